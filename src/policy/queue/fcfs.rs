use crate::policy::{NoParams, Policy, QueueDiscipline, TaskView};

/// First come, first served: rank = 0 for every task, so tasks are served in the order they
/// became ready.
pub struct Fcfs;

impl Policy for Fcfs {
    const NAME: &'static str = "fcfs";
    const RULE: &'static str = "serve tasks in the order they became ready";
    const ABOUT: &'static str =
        "The fair default: no task overtakes another. Simple and starvation-free, but a short \
         task waits behind every long one that arrived first, so the mean latency is high \
         when work sizes vary.";
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
