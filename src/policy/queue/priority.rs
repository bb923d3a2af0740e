use crate::policy::{NoParams, Policy, QueueDiscipline, TaskView};

/// Priority classes: rank = −priority, so the highest class priority goes first, FCFS within a
/// class.
pub struct PriorityQueue;

impl Policy for PriorityQueue {
    const NAME: &'static str = "priority";
    const RULE: &'static str = "highest workflow-class priority first, FCFS within a class";
    type Params = NoParams;
    fn new(_: NoParams) -> Self {
        PriorityQueue
    }
}

impl QueueDiscipline for PriorityQueue {
    fn rank(&self, task: &TaskView) -> f64 {
        -task.priority
    }
}
