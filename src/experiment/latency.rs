//! The latency distribution of each run, kept as quantiles at fixed levels, so that an
//! experiment can draw a latency CDF per policy without keeping every workflow.
//!
//! Each run records the latency of every measured workflow (arrived at or after the warmup,
//! completed) in the same kind of histogram the run's summary uses (microseconds, three
//! significant digits), and keeps its quantiles at [`LEVELS`]. Across replications the
//! quantile functions are averaged level by level ("Vincent averaging"): at level q the
//! experiment reports the mean of the replications' q-quantiles with a 95 % Student-t
//! interval. Every replication weighs the same, as in `aggregate.csv`, and at q = 0.5, 0.95
//! and 0.99 the values equal the means of `latency_p50`, `latency_p95` and `latency_p99`
//! there.

use std::collections::HashMap;

use super::{Estimate, Layout, RunRow};
use crate::metrics::Quantity;
use crate::policy::RejectReason;
use crate::report::number;
use crate::sim::Observer;

/// Quantile levels kept per run: every percent from 0 (the smallest latency) to 1 (the
/// largest), with 0.995 and 0.999 added for the tail.
pub const LEVELS: [f64; 103] = {
    let mut levels = [0.0; 103];
    let mut i = 0;
    while i <= 99 {
        levels[i] = i as f64 / 100.0;
        i += 1;
    }
    levels[100] = 0.995;
    levels[101] = 0.999;
    levels[102] = 1.0;
    levels
};

/// An observer that records the latency of every workflow arriving at or after `warmup`.
/// Memory is the histogram plus one entry per workflow in flight.
#[derive(Debug)]
pub struct LatencyObserver {
    warmup: f64,
    arrivals: HashMap<u64, f64>,
    latency: Quantity,
}

impl LatencyObserver {
    /// An observer measuring workflows that arrive at or after `warmup` (s).
    pub fn new(warmup: f64) -> Self {
        LatencyObserver { warmup, arrivals: HashMap::new(), latency: Quantity::default() }
    }

    /// The latency (s) at each of [`LEVELS`]; NaN everywhere when no workflow completed.
    pub fn quantiles(&self) -> Vec<f64> {
        LEVELS
            .iter()
            .map(|&q| if q >= 1.0 { self.latency.max() } else { self.latency.quantile(q) })
            .collect()
    }
}

impl Observer for LatencyObserver {
    fn arrival(&mut self, time: f64, workflow: u64, _: usize, rejected: Option<RejectReason>) {
        if rejected.is_none() && time >= self.warmup {
            self.arrivals.insert(workflow, time);
        }
    }

    fn completed(&mut self, time: f64, workflow: u64, _: usize) {
        if let Some(arrival) = self.arrivals.remove(&workflow) {
            self.latency.record(time - arrival);
        }
    }
}

/// The `latency_quantiles` field of `runs.csv`: the values at [`LEVELS`], separated by
/// spaces, so that a run stays one line of the journal.
pub fn encode(quantiles: &[f64]) -> String {
    quantiles.iter().map(|&v| number(v)).collect::<Vec<_>>().join(" ")
}

/// Reads a `latency_quantiles` field back.
///
/// # Errors
/// A message when a value is not a number or their count is not that of [`LEVELS`].
pub fn decode(field: &str) -> Result<Vec<f64>, String> {
    let values = field
        .split_ascii_whitespace()
        .map(|s| s.parse::<f64>().map_err(|_| format!("latency quantile `{s}` is not a number")))
        .collect::<Result<Vec<f64>, String>>()?;
    if values.len() != LEVELS.len() {
        return Err(format!(
            "latency_quantiles holds {} values, expected {}",
            values.len(),
            LEVELS.len()
        ));
    }
    Ok(values)
}

/// `latency.csv`: per point, policy and level q, the replications' mean q-quantile of the
/// latency with its 95 % interval: `q, n, latency_mean, ci_low, ci_high` (s). `rows` are
/// sorted by (point, policy).
pub fn latency_csv(layout: &Layout, rows: &[RunRow]) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let header = layout.vary.iter().map(String::as_str).chain([
        "policy",
        "q",
        "n",
        "latency_mean",
        "ci_low",
        "ci_high",
    ]);
    // Writing into memory cannot fail.
    let _ = w.write_record(header);
    for group in rows.chunk_by(|a, b| (a.point, a.policy) == (b.point, b.policy)) {
        let (point, policy) = (group[0].point, group[0].policy);
        for (i, &q) in LEVELS.iter().enumerate() {
            let values: Vec<f64> = group.iter().filter_map(|r| r.latency.get(i).copied()).collect();
            let e = Estimate::new(&values, 0.95);
            let fields = layout.points[point].iter().cloned().chain([
                layout.policies[policy].clone(),
                number(q),
                e.n.to_string(),
                number(e.mean),
                number(e.mean - e.half_width),
                number(e.mean + e.half_width),
            ]);
            let _ = w.write_record(fields);
        }
    }
    w.into_inner().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_are_increasing_from_0_to_1() {
        assert_eq!(LEVELS[0], 0.0);
        assert_eq!(LEVELS[50], 0.5);
        assert_eq!(LEVELS[95], 0.95);
        assert_eq!(LEVELS[99], 0.99);
        assert_eq!(LEVELS[102], 1.0);
        assert!(LEVELS.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn encode_and_decode_round_trip() {
        let q: Vec<f64> = LEVELS.iter().map(|l| l * 3.25).collect();
        assert_eq!(decode(&encode(&q)).unwrap(), q);
        let nan = vec![f64::NAN; LEVELS.len()];
        assert!(decode(&encode(&nan)).unwrap().iter().all(|v| v.is_nan()));
        assert!(decode("1 2 3").unwrap_err().contains("expected 103"));
        assert!(decode("x").unwrap_err().contains("`x`"));
    }

    #[test]
    fn the_observer_measures_admitted_workflows_after_the_warmup() {
        let mut o = LatencyObserver::new(10.0);
        o.arrival(5.0, 0, 0, None); // before the warmup
        o.arrival(10.0, 1, 0, None);
        o.arrival(11.0, 2, 0, Some(RejectReason::Admission));
        o.arrival(12.0, 3, 0, None);
        o.completed(20.0, 0, 0);
        o.completed(12.5, 1, 0);
        o.completed(16.0, 3, 0);
        let q = o.quantiles();
        // Quantiles come from the histogram (within 0.1 %), the maximum is exact.
        assert!((q[0] - 2.5).abs() < 2.5e-3, "{}", q[0]);
        assert!((q[50] - 2.5).abs() < 2.5e-3, "{}", q[50]);
        assert_eq!(q[102], 4.0);
        assert!(o.arrivals.is_empty());
    }
}
