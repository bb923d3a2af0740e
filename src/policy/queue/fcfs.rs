use crate::policy::{NoParams, Policy, QueueDiscipline, TaskView};

/// First come, first served: rank = 0 for every task, so tasks are served in the order they
/// became ready.
pub struct Fcfs;

impl Policy for Fcfs {
    const NAME: &'static str = "fcfs";
    const RULE: &'static str = "serve tasks in the order they became ready";
    type Params = NoParams;
    fn new(_: NoParams) -> Self {
        Fcfs
    }
}

impl QueueDiscipline for Fcfs {
    fn rank(&self, _task: &TaskView) -> f64 {
        0.0
    }
}
