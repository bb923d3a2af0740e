use crate::policy::{NoParams, Policy, QueueDiscipline, TaskView};

/// Earliest deadline first: rank = the workflow's absolute deadline; tasks without a deadline
/// come after all that have one, FCFS among themselves.
pub struct Edf;

impl Policy for Edf {
    const NAME: &'static str = "edf";
    const RULE: &'static str = "earliest absolute workflow deadline first (none = last)";
    const ABOUT: &'static str =
        "Serves the workflow whose deadline comes first. On one server it meets every \
         deadline that any order could meet while the load stays below capacity; under \
         overload misses cascade. Choose it when workflows carry deadlines.";
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
