//! Arrival processes: when the next workflow of a class arrives.

use std::sync::Arc;

use rand::Rng;
use rand_distr::{Distribution, Exp1};

use crate::engine::SimRng;
use crate::scenario::ArrivalSpec;

/// A running arrival process with its own random stream.
///
/// Each call to [`ArrivalProcess::next_after`] returns the next arrival time; the caller stops
/// asking once a time reaches the scenario's duration.
#[derive(Clone, Debug)]
pub struct ArrivalProcess {
    kind: Kind,
    rng: SimRng,
}

#[derive(Clone, Debug)]
enum Kind {
    Poisson { rate: f64 },
    Periodic { interval: f64, offset: f64, count: u64 },
    Bursty { rates: [f64; 2], switch: [f64; 2], on: bool },
    Varying { pieces: Vec<(f64, f64)>, period: Option<f64> },
    Diurnal { mean_rate: f64, amplitude: f64, period: f64 },
    Replay { times: Arc<[f64]>, next: usize },
}

impl ArrivalProcess {
    /// Starts the process described by a validated `spec`, drawing from `rng`.
    pub fn new(spec: &ArrivalSpec, rng: SimRng) -> Self {
        let kind = match spec {
            ArrivalSpec::Poisson { rate } => Kind::Poisson { rate: *rate },
            ArrivalSpec::Periodic { interval, offset } => {
                Kind::Periodic { interval: *interval, offset: *offset, count: 0 }
            }
            ArrivalSpec::Bursty { rate_on, rate_off, mean_on, mean_off } => Kind::Bursty {
                rates: [*rate_off, *rate_on],
                switch: [1.0 / mean_off, 1.0 / mean_on],
                on: true,
            },
            ArrivalSpec::Varying { rates, period } => {
                Kind::Varying { pieces: rates.clone(), period: *period }
            }
            ArrivalSpec::Diurnal { mean_rate, amplitude, period } => {
                Kind::Diurnal { mean_rate: *mean_rate, amplitude: *amplitude, period: *period }
            }
            ArrivalSpec::Replay { times, .. } => Kind::Replay { times: times.0.clone(), next: 0 },
        };
        ArrivalProcess { kind, rng }
    }

    /// The first arrival after time `now` (the previous arrival, or 0 at the start); `None`
    /// when the process has no more arrivals (end of a replay, or a final zero rate).
    pub fn next_after(&mut self, now: f64) -> Option<f64> {
        let rng = &mut self.rng;
        match &mut self.kind {
            Kind::Poisson { rate } => Some(now + exp1(rng) / *rate),
            Kind::Periodic { interval, offset, count } => {
                // Computed from the count, not accumulated, so no rounding drift.
                *count += 1;
                Some(*offset + *count as f64 * *interval)
            }
            Kind::Bursty { rates, switch, on } => {
                // Competing exponentials: an arrival at rate r, a state switch at rate s.
                let mut t = now;
                loop {
                    let (r, s) = (rates[*on as usize], switch[*on as usize]);
                    t += exp1(rng) / (r + s);
                    if rng.random::<f64>() * (r + s) < r {
                        return Some(t);
                    }
                    *on = !*on;
                }
            }
            Kind::Varying { pieces, period } => next_piecewise(pieces, *period, now, exp1(rng)),
            Kind::Diurnal { mean_rate, amplitude, period } => {
                // Thinning (Lewis & Shedler): propose at the peak rate, accept with
                // probability rate(t) / peak.
                let peak = *mean_rate * (1.0 + *amplitude);
                let mut t = now;
                loop {
                    t += exp1(rng) / peak;
                    let rate = *mean_rate
                        * (1.0 + *amplitude * (2.0 * std::f64::consts::PI * t / *period).sin());
                    if rng.random::<f64>() * peak < rate {
                        return Some(t);
                    }
                }
            }
            Kind::Replay { times, next } => {
                let t = times.get(*next).copied();
                *next += 1;
                t
            }
        }
    }
}

fn exp1(rng: &mut SimRng) -> f64 {
    Exp1.sample(rng)
}

/// Next event of a non-homogeneous Poisson process with piecewise-constant rate, by inverting
/// the integrated rate: consume `budget` ~ Exp(1) units of rate × time from `now` on.
fn next_piecewise(
    pieces: &[(f64, f64)],
    period: Option<f64>,
    now: f64,
    mut budget: f64,
) -> Option<f64> {
    let mut t = now;
    // Position of `t` inside the pattern.
    let (mut cycle_start, mut local) = match period {
        Some(p) => {
            let k = (t / p).floor();
            (k * p, t - k * p)
        }
        None => (0.0, t),
    };
    let mut i = pieces.iter().rposition(|&(start, _)| start <= local).unwrap_or(0);
    loop {
        let rate = pieces[i].1;
        let end = match (pieces.get(i + 1), period) {
            (Some(&(next_start, _)), _) => next_start,
            (None, Some(p)) => p,
            (None, None) => f64::INFINITY,
        };
        let span = end - local;
        if rate > 0.0 && budget <= rate * span {
            return Some(t + budget / rate);
        }
        if end.is_infinite() {
            return None; // the last piece has rate 0 and never ends
        }
        budget -= rate * span;
        t += span;
        local = end;
        i += 1;
        if i == pieces.len() {
            let p = period.expect("only a periodic pattern runs past its last piece");
            cycle_start += p;
            t = cycle_start;
            local = 0.0;
            i = 0;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::{Purpose, Streams};

    fn count(spec: ArrivalSpec, horizon: f64) -> usize {
        let mut p = ArrivalProcess::new(&spec, Streams::new(11).stream(Purpose::Arrivals, 0));
        let mut t = 0.0;
        let mut n = 0;
        while let Some(next) = p.next_after(t) {
            assert!(next >= t, "time went backwards");
            if next >= horizon {
                break;
            }
            t = next;
            n += 1;
        }
        n
    }

    fn assert_near(n: usize, expected: f64) {
        // Poisson counts: within 5 standard deviations.
        let sd = expected.sqrt();
        assert!((n as f64 - expected).abs() < 5.0 * sd, "{n} arrivals, expected {expected}");
    }

    #[test]
    fn rates_match_the_specification() {
        assert_near(count(ArrivalSpec::Poisson { rate: 2.0 }, 50_000.0), 100_000.0);
        assert_eq!(count(ArrivalSpec::Periodic { interval: 0.5, offset: 0.0 }, 100.0), 199);
        // Bursty: on 1/3 of the time at 9/s, off 2/3 at 0 → mean 3/s (counts overdispersed).
        let bursty =
            ArrivalSpec::Bursty { rate_on: 9.0, rate_off: 0.0, mean_on: 1.0, mean_off: 2.0 };
        let n = count(bursty, 100_000.0) as f64;
        assert!((n / 100_000.0 - 3.0).abs() < 0.1, "bursty mean rate {}", n / 100_000.0);
        // Varying: 1/s for 10 s, 3/s for 30 s, repeating every 40 s → 100 per cycle.
        let varying =
            ArrivalSpec::Varying { rates: vec![(0.0, 1.0), (10.0, 3.0)], period: Some(40.0) };
        assert_near(count(varying, 40_000.0), 100_000.0);
        let diurnal = ArrivalSpec::Diurnal { mean_rate: 2.0, amplitude: 0.8, period: 100.0 };
        assert_near(count(diurnal, 50_000.0), 100_000.0);
    }

    #[test]
    fn varying_without_period_stops_at_a_final_zero_rate() {
        let spec = ArrivalSpec::Varying { rates: vec![(0.0, 5.0), (10.0, 0.0)], period: None };
        let n = count(spec, 1e9);
        assert_near(n, 50.0);
    }
}
