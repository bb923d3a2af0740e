//! Workflow classes and their task templates.

use crate::model::{GroupId, Shape, ShapeId};
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
    /// Tasks, indexed by position; `after` and `successors` use these indices. The first
    /// [`WorkflowClass::steps`] are the workflow's steps; the rest are the compensation
    /// steps that [`TaskTemplate::compensation`] points to.
    pub tasks: Vec<TaskTemplate>,
    /// Number of real steps (the first entries of `tasks`).
    pub steps: usize,
    /// Passing the deadline aborts the workflow.
    pub abort_on_deadline: bool,
    /// An abort lets running steps finish (instead of cancelling them).
    pub drain_on_abort: bool,
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
    /// Probability that an attempt fails.
    pub fail_probability: f64,
    /// A failing attempt stops at its end (otherwise at a uniformly random point).
    pub fail_at_end: bool,
    /// Retries after failed attempts before the workflow aborts.
    pub retries: u32,
    /// Delay before each retry.
    pub backoff: Backoff,
    /// Index (in the class's tasks) of the step that undoes this one on rollback.
    pub compensation: Option<usize>,
    /// The user's estimate of the work (none: the mean of `work`), for SJF and backfilling.
    pub estimate: Option<Distribution>,
    /// A join: no work and no resources; done as soon as its predecessors are. Replayed
    /// traces use one after a task of many parallel instances, so that a child depends on
    /// one join instead of on every instance (n + m edges, not n × m).
    pub join: bool,
}

impl TaskTemplate {
    /// A task that always runs to its end, once: no dependencies yet, no failures, no
    /// compensation, no stated estimate (a compensation step, or one instance of a replayed
    /// job's task). `shape` is the id of `shape_of` in the run's shape table.
    pub fn plain(name: String, shape: ShapeId, shape_of: Shape, work: Distribution) -> Self {
        TaskTemplate {
            name,
            shape,
            cpu: shape_of.cpu,
            memory: shape_of.memory,
            work,
            group: shape_of.group,
            probability: 1.0,
            after: Vec::new(),
            successors: Vec::new(),
            fail_probability: 0.0,
            fail_at_end: false,
            retries: 0,
            backoff: Backoff::None,
            compensation: None,
            estimate: None,
            join: false,
        }
    }

    /// Expected work of all attempts of one run of the task, in multiples of one attempt's
    /// work: attempt k + 1 happens when the k before it failed (probability pᵏ), and a failed
    /// attempt does all of its work (`at = "end"`) or half of it on average (uniform).
    pub fn expected_attempt_work(&self) -> f64 {
        let p = self.fail_probability;
        let per_attempt = (1.0 - p) + p * if self.fail_at_end { 1.0 } else { 0.5 };
        (0..=self.retries.min(10_000)).map(|k| p.powi(k as i32)).sum::<f64>() * per_attempt
    }
}

/// Delay between a failed attempt and its retry.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Backoff {
    /// Retry at once.
    None,
    /// The same delay every time.
    Constant(f64),
    /// min(max, initial × factor^(k−1)) before retry k.
    Exponential {
        /// Delay before the first retry.
        initial: f64,
        /// Growth per retry.
        factor: f64,
        /// Longest delay.
        max: f64,
    },
}

impl Backoff {
    /// Seconds to wait before retry `k` (1 for the first retry).
    pub fn delay(&self, k: u32) -> f64 {
        match *self {
            Backoff::None => 0.0,
            Backoff::Constant(d) => d,
            Backoff::Exponential { initial: 0.0, .. } => 0.0,
            Backoff::Exponential { initial, factor, max } => {
                // Overflow to infinity is capped by `max`.
                (initial * factor.powi(k.saturating_sub(1).min(i32::MAX as u32) as i32)).min(max)
            }
        }
    }
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

#[cfg(test)]
mod tests {
    use super::Backoff;

    #[test]
    fn exponential_backoff_grows_by_its_factor_up_to_its_max() {
        let b = Backoff::Exponential { initial: 0.1, factor: 2.0, max: 0.5 };
        let delays: Vec<f64> = (1..=5).map(|k| b.delay(k)).collect();
        assert_eq!(delays, [0.1, 0.2, 0.4, 0.5, 0.5]);
        let huge = Backoff::Exponential { initial: 1.0, factor: 10.0, max: 1e9 };
        assert_eq!(huge.delay(1000), 1e9);
        assert_eq!(Backoff::Exponential { initial: 0.0, factor: 10.0, max: 1e9 }.delay(999), 0.0);
        assert_eq!(Backoff::Constant(0.3).delay(7), 0.3);
        assert_eq!(Backoff::None.delay(1), 0.0);
    }
}
