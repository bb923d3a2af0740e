//! Node loads sampled at regular times, for the load-over-time chart (`timeseries.csv`).
//!
//! With `sample_interval = Δ` the run records, at t = 0, Δ, 2Δ, … up to the end of the run,
//! every node's load Lᵢ(t) = (CPU allocated + CPU queued at i) / capacity and the average
//! weighted load Σ wᵢ·Lᵢ(t) / N. A sample is the piecewise-constant state *at* that instant,
//! after every event at exactly that time (right-continuous, like a step function drawn
//! with closed left ends): a task that starts at t = 2Δ counts in the sample at 2Δ.
//!
//! Alongside: how many queued tasks the monitor migrated and idle nodes stole in each
//! interval (kΔ − Δ, kΔ] (counts, so memory stays one row per sample however busy the monitor
//! is), and the outage intervals of the nodes, for shading.

use super::Outage;

/// The sampled loads of one run.
#[derive(Clone, Debug, PartialEq)]
pub struct TimeSeries {
    /// Seconds between samples.
    pub interval: f64,
    /// Node names, the columns of [`TimeSeries::loads`].
    pub nodes: Vec<String>,
    /// Sample times: `k · interval` for k = 0, 1, … (computed, not accumulated, so they are
    /// exact multiples).
    pub times: Vec<f64>,
    /// Lᵢ at each sample, row-major: sample k, node i at `k · nodes.len() + i`.
    pub loads: Vec<f64>,
    /// Σ wᵢ·Lᵢ / N at each sample.
    pub weighted: Vec<f64>,
    /// Tasks migrated by the monitor in (t_{k−1}, t_k] (at or before 0 for k = 0).
    pub migrations: Vec<u64>,
    /// Tasks stolen by idle nodes in the same intervals.
    pub steals: Vec<u64>,
    /// Node outages, in the order they began.
    pub outages: Vec<Outage>,
    /// Outages not kept because [`super::MAX_OUTAGES`] were already.
    pub outages_dropped: u64,
    /// Whether sampling stopped before the end of the run because the samples would not fit
    /// (a draining run can last much longer than `duration`, which validation bounds).
    pub truncated: bool,
}

impl TimeSeries {
    /// An empty series for nodes named `nodes`, sampled every `interval` seconds.
    pub fn new(interval: f64, nodes: Vec<String>) -> Self {
        TimeSeries {
            interval,
            nodes,
            times: Vec::new(),
            loads: Vec::new(),
            weighted: Vec::new(),
            migrations: Vec::new(),
            steals: Vec::new(),
            outages: Vec::new(),
            outages_dropped: 0,
            truncated: false,
        }
    }

    /// Number of samples.
    pub fn len(&self) -> usize {
        self.times.len()
    }

    /// Whether there is no sample.
    pub fn is_empty(&self) -> bool {
        self.times.is_empty()
    }

    /// The loads of every node at sample `k`.
    pub fn loads_at(&self, k: usize) -> &[f64] {
        let n = self.nodes.len();
        &self.loads[k * n..(k + 1) * n]
    }
}
