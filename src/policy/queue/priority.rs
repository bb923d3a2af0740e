use crate::policy::{NoParams, Policy, QueueDiscipline, TaskView};

/// Priority classes: rank = −priority, so the highest class priority goes first, FCFS within a
/// class.
pub struct PriorityQueue;

impl Policy for PriorityQueue {
    const NAME: &'static str = "priority";
    const RULE: &'static str = "highest workflow-class priority first, FCFS within a class";
    const ABOUT: &'static str =
        "Protects an important class (interactive requests over batch jobs) completely: a \
         lower class runs only when no higher one waits. Under overload the lowest class \
         starves. Choose it when classes have strict precedence; use weighted-priority to let \
         waiting time count too.";
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
