//! Hooks that see every decision of a run, for traces, Gantt charts and invariant tests.

use crate::metrics::AbortReason;
use crate::model::NodeId;
use crate::policy::RejectReason;

/// What kind of task an event is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TaskKind {
    /// A step of the workflow.
    Step,
    /// A compensation step run during a rollback.
    Compensation,
}

/// A task starting, finishing or being interrupted on a node.
#[derive(Clone, Copy, Debug)]
pub struct TaskEvent {
    /// Simulated time.
    pub time: f64,
    /// Workflow arrival number.
    pub workflow: u64,
    /// Workflow class index.
    pub class: usize,
    /// Task index within the class (compensations come after the steps).
    pub task: usize,
    /// The node.
    pub node: NodeId,
    /// Millicores held.
    pub cpu: u64,
    /// Bytes held.
    pub memory: u64,
    /// Step or compensation.
    pub kind: TaskKind,
    /// Attempt number of the task, from 1.
    pub attempt: u32,
}

/// Why a running task stopped before its end.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Interruption {
    /// The attempt failed (it may be retried).
    Failed,
    /// Its node went down; it goes back to ready.
    Lost,
    /// Its workflow aborted (`cancel = "immediate"`).
    Cancelled,
}

/// Why a queued task moved from one node's queue to another's (per-node mode).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Move {
    /// The monitor moved it off an overloaded node.
    Migration,
    /// An idle node stole it.
    Steal,
    /// Its node went down and the placement policy chose another.
    Redistribution,
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
    /// A task of a workflow became ready (first time, after a backoff, or after its node
    /// failed).
    fn ready(&mut self, _time: f64, _workflow: u64, _task: usize) {}
    /// A conditional step was skipped (its branch was not taken); it counts as done now.
    fn skipped(&mut self, _time: f64, _workflow: u64, _task: usize) {}
    /// A task started.
    fn started(&mut self, _event: &TaskEvent) {}
    /// A task finished.
    fn finished(&mut self, _event: &TaskEvent) {}
    /// A running task stopped early and released its resources.
    fn interrupted(&mut self, _event: &TaskEvent, _why: Interruption) {}
    /// A failed task will become ready again after `delay` seconds.
    fn retrying(&mut self, _time: f64, _workflow: u64, _task: usize, _delay: f64) {}
    /// A queued task moved between node queues.
    fn moved(
        &mut self,
        _time: f64,
        _workflow: u64,
        _task: usize,
        _from: NodeId,
        _to: NodeId,
        _why: Move,
    ) {
    }
    /// A workflow completed.
    fn completed(&mut self, _time: f64, _workflow: u64, _class: usize) {}
    /// A workflow was aborted; its rollback starts.
    fn aborted(&mut self, _time: f64, _workflow: u64, _class: usize, _why: AbortReason) {}
    /// An aborted workflow's last compensation finished: it counts as failed.
    fn failed(&mut self, _time: f64, _workflow: u64, _class: usize) {}
    /// A node went down.
    fn node_down(&mut self, _time: f64, _node: NodeId) {}
    /// A node came back up.
    fn node_up(&mut self, _time: f64, _node: NodeId) {}
}

/// The observer that ignores everything.
#[derive(Clone, Copy, Debug, Default)]
pub struct NoObserver;

impl Observer for NoObserver {}
