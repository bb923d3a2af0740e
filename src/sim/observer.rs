//! Hooks that see every decision of a run, for traces, Gantt charts and invariant tests.

use crate::model::NodeId;
use crate::policy::RejectReason;

/// A task starting or finishing on a node.
#[derive(Clone, Copy, Debug)]
pub struct TaskEvent {
    /// Simulated time.
    pub time: f64,
    /// Workflow arrival number.
    pub workflow: u64,
    /// Workflow class index.
    pub class: usize,
    /// Task index within the class.
    pub task: usize,
    /// The node.
    pub node: NodeId,
    /// Millicores held.
    pub cpu: u64,
    /// Bytes held.
    pub memory: u64,
}

/// Receives the events of a run. Every method has an empty default body; implement those you
/// need. The simulator is generic over its observer, so the default [`NoObserver`] costs
/// nothing.
pub trait Observer {
    /// A workflow arrived; `rejected` says why it was turned away, if it was.
    fn arrival(
        &mut self,
        _time: f64,
        _workflow: u64,
        _class: usize,
        _rejected: Option<RejectReason>,
    ) {
    }
    /// A task of a workflow became ready.
    fn ready(&mut self, _time: f64, _workflow: u64, _task: usize) {}
    /// A conditional step was skipped (its branch was not taken); it counts as done now.
    fn skipped(&mut self, _time: f64, _workflow: u64, _task: usize) {}
    /// A task started.
    fn started(&mut self, _event: &TaskEvent) {}
    /// A task finished.
    fn finished(&mut self, _event: &TaskEvent) {}
    /// A workflow completed.
    fn completed(&mut self, _time: f64, _workflow: u64, _class: usize) {}
}

/// The observer that ignores everything.
#[derive(Clone, Copy, Debug, Default)]
pub struct NoObserver;

impl Observer for NoObserver {}
