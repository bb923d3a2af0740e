use serde::Deserialize;

use crate::policy::{Param, Policy, QueueDiscipline, QueueExample, TaskView};

/// Weighted priority: P = Σ pⱼ·wⱼ over declared factors, highest P first.
///
/// Factors pⱼ: `priority` (class priority), `age` (seconds since the task became ready),
/// `workflow_age` (seconds since its workflow arrived), `work` (expected work, seconds at speed 1),
/// `cpu` (requested cores), `memory` (requested GiB). Every task ages at the same rate, so the
/// ages only shift P by a term common to all tasks: the order is fixed when a task is queued
/// and the rank can be −(w_priority·priority − w_age·ready_at − ...).
pub struct WeightedPriority {
    w: Weights,
}

/// Factor weights wⱼ (each defaults to 0).
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Weights {
    /// Weight of the class priority.
    #[serde(default)]
    pub priority: f64,
    /// Weight of the seconds waited since the task became ready.
    #[serde(default)]
    pub age: f64,
    /// Weight of the seconds since the workflow arrived.
    #[serde(default)]
    pub workflow_age: f64,
    /// Weight of the expected work (negative favours short tasks).
    #[serde(default)]
    pub work: f64,
    /// Weight of the requested cores.
    #[serde(default)]
    pub cpu: f64,
    /// Weight of the requested memory in GiB.
    #[serde(default)]
    pub memory: f64,
}

/// Parameters of [`WeightedPriority`].
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WeightedPriorityParams {
    /// The factor weights, e.g. `{ priority = 1.0, age = 0.1 }`.
    pub weights: Weights,
}

impl Policy for WeightedPriority {
    const NAME: &'static str = "weighted-priority";
    const RULE: &'static str =
        "P = Σ pⱼ·wⱼ over priority, age, workflow_age, work, cpu, memory: highest P first";
    const ABOUT: &'static str =
        "Blends several factors into one score with weights you choose: class priority, time \
         waited (aging, which prevents starvation), workflow age, expected work (negative \
         weight: short first), requested cores and memory. With only a priority weight it is \
         `priority`; with only a negative work weight it is `sjf`.";
    const PARAMS: &'static [Param] = &[Param {
        name: "weights",
        default: None,
        meaning: "factor weights wⱼ: { priority, age, workflow_age, work, cpu, memory }, each \
                  0 when left out (age and workflow_age in seconds, work in seconds at speed \
                  1, memory in GiB), e.g. { priority = 1.0, age = 0.5 }",
    }];
    type Params = WeightedPriorityParams;
    fn new(p: WeightedPriorityParams) -> Self {
        WeightedPriority { w: p.weights }
    }
}

impl QueueDiscipline for WeightedPriority {
    fn rank(&self, t: &TaskView) -> f64 {
        let w = &self.w;
        let p = w.priority * t.priority - w.age * t.ready_at - w.workflow_age * t.arrival
            + w.work * t.expected_work
            + w.cpu * t.cpu as f64 / 1000.0
            + w.memory * t.memory as f64 / (1u64 << 30) as f64;
        -p
    }

    /// Priority and waiting time both count: task a, waiting longest, overtakes c.
    fn example() -> QueueExample {
        QueueExample::standard().with_params("weights = { priority = 1.0, age = 0.5 }")
    }
}
