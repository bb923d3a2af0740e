//! Workflow classes and their task templates.

use crate::model::{GroupId, ShapeId};
use crate::scenario::ArrivalSpec;
use crate::workload::Distribution;

/// A workflow class: a DAG template and its arrival process.
#[derive(Clone, Debug)]
pub struct WorkflowClass {
    /// Class name.
    pub name: String,
    /// Priority (higher is more important).
    pub priority: f64,
    /// Relative deadline, seconds after arrival.
    pub deadline: Option<f64>,
    /// When instances arrive.
    pub arrival: ArrivalSpec,
    /// Tasks, indexed by position; `after` and `successors` use these indices.
    pub tasks: Vec<TaskTemplate>,
}

/// One task of a workflow template.
#[derive(Clone, Debug)]
pub struct TaskTemplate {
    /// Name within the workflow.
    pub name: String,
    /// Its shape (pool, CPU, memory), shared with identical tasks.
    pub shape: ShapeId,
    /// Requested millicores.
    pub cpu: u64,
    /// Requested bytes.
    pub memory: u64,
    /// Work distribution (seconds at speed 1).
    pub work: Distribution,
    /// Nodes it may run on.
    pub group: GroupId,
    /// Probability the step runs at all.
    pub probability: f64,
    /// Predecessors (indices into the class's tasks).
    pub after: Vec<usize>,
    /// Successors (the inverse of `after`).
    pub successors: Vec<usize>,
}

impl WorkflowClass {
    /// Long-run mean arrival rate (per second); for a non-repeating pattern or a replay, the
    /// mean over `[0, duration)`.
    pub fn mean_rate(&self, duration: f64) -> f64 {
        match &self.arrival {
            ArrivalSpec::Poisson { rate } => *rate,
            ArrivalSpec::Periodic { interval, .. } => 1.0 / interval,
            ArrivalSpec::Bursty { rate_on, rate_off, mean_on, mean_off } => {
                (rate_on * mean_on + rate_off * mean_off) / (mean_on + mean_off)
            }
            ArrivalSpec::Varying { rates, period } => {
                let end = period.unwrap_or(duration);
                let mut total = 0.0;
                for (i, &(start, rate)) in rates.iter().enumerate() {
                    let stop = rates.get(i + 1).map_or(end, |r| r.0).min(end);
                    total += rate * (stop - start).max(0.0);
                }
                total / end
            }
            ArrivalSpec::Diurnal { mean_rate, .. } => *mean_rate,
            ArrivalSpec::Replay { times, .. } => {
                times.0.iter().filter(|&&t| t < duration).count() as f64 / duration
            }
        }
    }
}
