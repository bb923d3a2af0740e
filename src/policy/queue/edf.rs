use crate::policy::{NoParams, Policy, QueueDiscipline, TaskView};

/// Earliest deadline first: rank = the workflow's absolute deadline; tasks without a deadline
/// come after all that have one, FCFS among themselves.
pub struct Edf;

impl Policy for Edf {
    const NAME: &'static str = "edf";
    const RULE: &'static str = "earliest absolute workflow deadline first (none = last)";
    type Params = NoParams;
    fn new(_: NoParams) -> Self {
        Edf
    }
}

impl QueueDiscipline for Edf {
    fn rank(&self, task: &TaskView) -> f64 {
        task.deadline
    }
}
