//! schedsim against the floor: a minimal hand-written event loop for the same models.
//!
//! The floor is what a discrete-event simulation of these systems cannot beat by much: a
//! binary heap of `(time, seq)` events, a FIFO per station, one exponential draw per service
//! and arrival, the waits summed — no generality at all. schedsim runs the same models through
//! its normal path (scenario file → `Model` → `Simulation`, with policies, metrics and every
//! feature compiled in). The target: schedsim ≥ 0.5× the floor's customers/s.
//!
//! - `mmc`: M/M/8 at ρ = 0.9 (λ = 7.2/s, mean service 1 s), `scenarios/mmc.toml`;
//! - `tandem`: four M/M/2 stations in series (means 0.10, 0.15, 0.12, 0.05 s, λ = 10/s),
//!   `scenarios/tandem.toml`.
//!
//! Run with `cargo bench --bench floor`; criterion prints customers/s (`elem/s`) for
//! `floor/<model>` and `schedsim/<model>`; the README quotes the medians and their ratio.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, VecDeque};
use std::hint::black_box;
use std::path::Path;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion, SamplingMode, Throughput};
use rand::SeedableRng;
use rand_distr::{Distribution, Exp};
use rand_pcg::Pcg64Mcg;
use schedsim::{Model, Override, Scenario, Simulation};

/// Simulated seconds of arrivals: ~360 k customers for mmc, ~300 k for the tandem.
const MMC_DURATION: f64 = 50_000.0;
const TANDEM_DURATION: f64 = 30_000.0;

/// An event of the floor loop: a job arrives at station `station`, or leaves it.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    Arrival,
    Departure { station: u8 },
}

/// The floor: stations in series, each with `servers` and exponential service of mean
/// `means[k]`, Poisson arrivals at `rate` until `duration`. Returns (customers, Σ waits), so
/// that nothing is optimized away. Events are ordered by (time, seq), as schedsim orders them.
fn floor(rate: f64, servers: u32, means: &[f64], duration: f64, seed: u64) -> (u64, f64) {
    let mut rng = Pcg64Mcg::seed_from_u64(seed);
    let arrival = Exp::new(rate).unwrap();
    let service: Vec<Exp<f64>> = means.iter().map(|m| Exp::new(1.0 / m).unwrap()).collect();
    // Min-heap on (time bits, seq): times are non-negative, so their bits order like them.
    let mut heap: BinaryHeap<Reverse<(u64, u64, Kind)>> = BinaryHeap::new();
    let mut queues: Vec<VecDeque<f64>> = vec![VecDeque::new(); means.len()];
    let mut busy = vec![0u32; means.len()];
    let (mut seq, mut customers, mut waits) = (0u64, 0u64, 0.0);
    let mut push = |heap: &mut BinaryHeap<_>, t: f64, kind| {
        seq += 1;
        heap.push(Reverse((t.to_bits(), seq, kind)));
    };
    push(&mut heap, arrival.sample(&mut rng), Kind::Arrival);
    // Starts service at `k` now or queues the job (its ready time).
    let enter = |k: usize, now: f64, busy: &mut [u32], queues: &mut [VecDeque<f64>]| -> bool {
        if busy[k] < servers {
            busy[k] += 1;
            true
        } else {
            queues[k].push_back(now);
            false
        }
    };
    while let Some(Reverse((bits, _, kind))) = heap.pop() {
        let now = f64::from_bits(bits);
        match kind {
            Kind::Arrival => {
                customers += 1;
                let next = now + arrival.sample(&mut rng);
                if next < duration {
                    push(&mut heap, next, Kind::Arrival);
                }
                if enter(0, now, &mut busy, &mut queues) {
                    push(
                        &mut heap,
                        now + service[0].sample(&mut rng),
                        Kind::Departure { station: 0 },
                    );
                }
            }
            Kind::Departure { station } => {
                let k = station as usize;
                match queues[k].pop_front() {
                    Some(ready) => {
                        waits += now - ready;
                        let t = now + service[k].sample(&mut rng);
                        push(&mut heap, t, Kind::Departure { station });
                    }
                    None => busy[k] -= 1,
                }
                if k + 1 < means.len() && enter(k + 1, now, &mut busy, &mut queues) {
                    let t = now + service[k + 1].sample(&mut rng);
                    push(&mut heap, t, Kind::Departure { station: station + 1 });
                }
            }
        }
    }
    (customers, waits)
}

fn scenario(file: &str, duration: f64) -> Scenario {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios").join(file);
    let overrides: Vec<Override> = [format!("duration={duration}"), "warmup=0".to_string()]
        .iter()
        .map(|s| s.parse().unwrap())
        .collect();
    Scenario::load_with(&path, &overrides).unwrap_or_else(|e| panic!("{e}"))
}

/// A model: its name, scenario file, arrival rate, servers per station, mean service per
/// station, simulated seconds of arrivals.
struct Bench {
    name: &'static str,
    file: &'static str,
    rate: f64,
    servers: u32,
    means: &'static [f64],
    duration: f64,
}

fn against_floor(c: &mut Criterion) {
    let models = [
        Bench {
            name: "mmc",
            file: "mmc.toml",
            rate: 7.2,
            servers: 8,
            means: &[1.0],
            duration: MMC_DURATION,
        },
        Bench {
            name: "tandem",
            file: "tandem.toml",
            rate: 10.0,
            servers: 2,
            means: &[0.10, 0.15, 0.12, 0.05],
            duration: TANDEM_DURATION,
        },
    ];
    for Bench { name, file, rate, servers, means, duration } in models {
        let mut group = c.benchmark_group(name);
        group
            .sampling_mode(SamplingMode::Flat)
            .sample_size(10)
            .warm_up_time(Duration::from_secs(1))
            .measurement_time(Duration::from_secs(4));
        let (customers, _) = floor(rate, servers, means, duration, 1);
        group.throughput(Throughput::Elements(customers));
        group.bench_function("floor", |b| {
            b.iter(|| black_box(floor(rate, servers, means, black_box(duration), 1)))
        });
        let s = scenario(file, duration);
        let model = Model::new(&s).unwrap();
        let arrived = Simulation::new(&model, &s.policy, s.seed).unwrap().run().0.summary.arrived;
        group.throughput(Throughput::Elements(arrived));
        group.bench_function("schedsim", |b| {
            b.iter(|| {
                let sim = Simulation::new(&model, &s.policy, s.seed).unwrap();
                black_box(sim.run().0.summary.arrived)
            })
        });
        group.finish();
    }
}

criterion_group!(benches, against_floor);
criterion_main!(benches);
