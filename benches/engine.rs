//! Simulator speed in customers (workflows) per second, through the normal code path:
//! `Scenario::load_with` → `Model::new` → `Simulation::new(..).run()`.
//!
//! Run with `cargo bench --bench engine`. Each benchmark's throughput is the number of
//! workflows that arrive in one run, so criterion reports customers/s ("elem/s"). `warmup` is
//! set to 0 so that the summary's `arrived` (which counts only workflows arriving after the
//! warmup) is every arrival the run simulates.
//!
//! - `engine/mmc`: scenarios/mmc.toml, M/M/8 at ρ = 0.9 (the issue's speed target:
//!   ≥ 1 M customers/s on one core);
//! - `engine/order-processing`: scenarios/order-processing.toml, five-task workflows on pools;
//! - `mode/*`: mmc in central and per-node mode, both with `least-loaded` placement (the
//!   scenario's `first-fit` exists only in central mode), so that only the dispatch mode
//!   differs.

use std::hint::black_box;
use std::path::Path;
use std::time::Duration;

use criterion::measurement::WallTime;
use criterion::{
    criterion_group, criterion_main, BenchmarkGroup, Criterion, SamplingMode, Throughput,
};
use schedsim::{Model, Override, Scenario, Simulation};

/// Simulated seconds of arrivals for mmc: ~360 k customers, ~0.2 s per run.
const MMC_DURATION: &str = "duration=50000";
/// Simulated seconds of arrivals for order-processing: ~108 k orders, ~0.2 s per run.
const ORDER_DURATION: &str = "duration=3600";

/// Loads a shipped scenario with `sets` applied and warmup 0.
fn load(file: &str, sets: &[&str]) -> Scenario {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios").join(file);
    let overrides: Vec<Override> = std::iter::once("warmup=0")
        .chain(sets.iter().copied())
        .map(|s| s.parse().unwrap_or_else(|e| panic!("override `{s}`: {e}")))
        .collect();
    Scenario::load_with(&path, &overrides).unwrap_or_else(|e| panic!("{e}"))
}

/// One run of `scenario` under its `[policy]` with its seed; returns the workflows that arrived.
fn simulate(model: &Model, scenario: &Scenario) -> u64 {
    let sim = Simulation::new(model, &scenario.policy, scenario.seed)
        .unwrap_or_else(|e| panic!("{}: {e}", scenario.name));
    sim.run().0.summary.arrived
}

/// Benchmarks one scenario under `id`, with its customers per run as the throughput.
fn bench_scenario(group: &mut BenchmarkGroup<'_, WallTime>, id: &str, scenario: &Scenario) {
    let model = Model::new(scenario).unwrap_or_else(|e| panic!("{}: {e}", scenario.name));
    // Runs are deterministic, so every iteration simulates the same customers.
    let customers = simulate(&model, scenario);
    group.throughput(Throughput::Elements(customers));
    group.bench_function(id, |b| b.iter(|| black_box(simulate(&model, black_box(scenario)))));
}

/// Few, long iterations: each run takes ~0.2 s, so flat sampling with 10 samples keeps the
/// whole bench well under two minutes.
fn configure(group: &mut BenchmarkGroup<'_, WallTime>) {
    group
        .sampling_mode(SamplingMode::Flat)
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(4));
}

fn engine(c: &mut Criterion) {
    let mut group = c.benchmark_group("engine");
    configure(&mut group);
    bench_scenario(&mut group, "mmc", &load("mmc.toml", &[MMC_DURATION]));
    bench_scenario(
        &mut group,
        "order-processing",
        &load("order-processing.toml", &[ORDER_DURATION]),
    );
    group.finish();
}

fn modes(c: &mut Criterion) {
    let mut group = c.benchmark_group("mode");
    configure(&mut group);
    let placement = r#"policy.placement="least-loaded""#;
    for mode in ["central", "per-node"] {
        let set_mode = format!(r#"cluster.mode="{mode}""#);
        let scenario = load("mmc.toml", &[MMC_DURATION, placement, &set_mode]);
        bench_scenario(&mut group, &format!("mmc/{mode}"), &scenario);
    }
    group.finish();
}

criterion_group!(benches, engine, modes);
criterion_main!(benches);
