//! Hooks that see every decision of a run, for traces, Gantt charts and invariant tests.

use crate::metrics::AbortReason;
use crate::model::{ClusterView, NodeId, WorkflowClass};
use crate::policy::{AdmissionView, RejectReason};

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

/// Where a ready task waits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum QueueId {
    /// The cluster queue (central mode).
    Central,
    /// A node's own queue (per-node mode).
    Node(NodeId),
    /// Aside, because every node that could run it is down (per-node mode).
    Parked,
}

/// Why the placement policy was asked for a node.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PlacementReason {
    /// A ready task is sent to a node's queue (per-node mode).
    Ready,
    /// A queued task starts now on one of the nodes where it fits (central mode).
    Start,
    /// The monitor moves a task off an overloaded node (its `target` policy decides).
    Migration,
    /// Its node went down; the task is placed again.
    Redistribution,
}

/// Receives the events of a run. Every method has an empty default body; implement those you
/// need. The simulator is generic over its observer, so the default [`NoObserver`] costs
/// nothing.
pub trait Observer {
    /// Whether the observer looks at anything. Leave it `true`: only [`NoObserver`] sets it
    /// `false`, which lets the engine skip building the task events of
    /// [`Observer::started`], [`Observer::finished`] and [`Observer::interrupted`] (an
    /// observer that sets it `false` silently misses those).
    const ENABLED: bool = true;
    /// A workflow arrived; `rejected` says why it was turned away, if it was.
    fn arrival(
        &mut self,
        _time: f64,
        _workflow: u64,
        _class: usize,
        _rejected: Option<RejectReason>,
    ) {
    }
    /// Admission control decided on an arriving workflow, looking at `view` (called just
    /// before [`Observer::arrival`]).
    fn admission(
        &mut self,
        _time: f64,
        _workflow: u64,
        _view: &AdmissionView,
        _rejected: Option<RejectReason>,
    ) {
    }
    /// A replayed trace job arrived with its own DAG: `template` lists its tasks (a task of
    /// n instances as n tasks, then a join that its successors wait for), indexed as the
    /// task numbers of later events. Called before [`Observer::admission`].
    fn job(&mut self, _time: f64, _workflow: u64, _template: &WorkflowClass) {}
    /// A task of a workflow became ready (first time, after a backoff, or after its node
    /// failed).
    fn ready(&mut self, _time: f64, _workflow: u64, _task: usize) {}
    /// A ready task joined a queue with this rank (lower is served first); `waiting` tasks
    /// are in that queue now, itself included.
    fn queued(
        &mut self,
        _time: f64,
        _workflow: u64,
        _task: usize,
        _queue: QueueId,
        _rank: f64,
        _waiting: u64,
    ) {
    }
    /// The placement policy chose `node` among `candidates`, seeing `cluster` (the state it
    /// compared, before the task is added). On a pool of 64 nodes or more under a rule that
    /// declares its node order, the candidates are the best node of each capacity, the only
    /// ones the rule was asked to compare.
    #[allow(clippy::too_many_arguments)]
    fn placed(
        &mut self,
        _time: f64,
        _workflow: u64,
        _task: usize,
        _node: NodeId,
        _candidates: &[NodeId],
        _cluster: &ClusterView<'_>,
        _why: PlacementReason,
    ) {
    }
    /// A task that cannot start now was given a reservation (backfilling): `node` will have
    /// room for it from time `at`, judged by work estimates. Reservations are recomputed at
    /// each walk of the queue, so a task may get several, each no later than the last when
    /// the estimates are exact.
    fn reserved(&mut self, _time: f64, _workflow: u64, _task: usize, _node: NodeId, _at: f64) {}
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

impl Observer for NoObserver {
    const ENABLED: bool = false;
}

/// Two observers at once: every event goes to the first, then to the second.
impl<A: Observer, B: Observer> Observer for (A, B) {
    const ENABLED: bool = A::ENABLED || B::ENABLED;
    fn admission(
        &mut self,
        time: f64,
        workflow: u64,
        view: &AdmissionView,
        rejected: Option<RejectReason>,
    ) {
        self.0.admission(time, workflow, view, rejected);
        self.1.admission(time, workflow, view, rejected);
    }
    fn arrival(&mut self, time: f64, workflow: u64, class: usize, rejected: Option<RejectReason>) {
        self.0.arrival(time, workflow, class, rejected);
        self.1.arrival(time, workflow, class, rejected);
    }
    fn ready(&mut self, time: f64, workflow: u64, task: usize) {
        self.0.ready(time, workflow, task);
        self.1.ready(time, workflow, task);
    }
    fn job(&mut self, time: f64, workflow: u64, template: &WorkflowClass) {
        self.0.job(time, workflow, template);
        self.1.job(time, workflow, template);
    }
    fn reserved(&mut self, time: f64, workflow: u64, task: usize, node: NodeId, at: f64) {
        self.0.reserved(time, workflow, task, node, at);
        self.1.reserved(time, workflow, task, node, at);
    }
    fn queued(
        &mut self,
        time: f64,
        workflow: u64,
        task: usize,
        queue: QueueId,
        rank: f64,
        waiting: u64,
    ) {
        self.0.queued(time, workflow, task, queue, rank, waiting);
        self.1.queued(time, workflow, task, queue, rank, waiting);
    }
    fn placed(
        &mut self,
        time: f64,
        workflow: u64,
        task: usize,
        node: NodeId,
        candidates: &[NodeId],
        cluster: &ClusterView<'_>,
        why: PlacementReason,
    ) {
        self.0.placed(time, workflow, task, node, candidates, cluster, why);
        self.1.placed(time, workflow, task, node, candidates, cluster, why);
    }
    fn skipped(&mut self, time: f64, workflow: u64, task: usize) {
        self.0.skipped(time, workflow, task);
        self.1.skipped(time, workflow, task);
    }
    fn started(&mut self, event: &TaskEvent) {
        self.0.started(event);
        self.1.started(event);
    }
    fn finished(&mut self, event: &TaskEvent) {
        self.0.finished(event);
        self.1.finished(event);
    }
    fn interrupted(&mut self, event: &TaskEvent, why: Interruption) {
        self.0.interrupted(event, why);
        self.1.interrupted(event, why);
    }
    fn retrying(&mut self, time: f64, workflow: u64, task: usize, delay: f64) {
        self.0.retrying(time, workflow, task, delay);
        self.1.retrying(time, workflow, task, delay);
    }
    fn moved(
        &mut self,
        time: f64,
        workflow: u64,
        task: usize,
        from: NodeId,
        to: NodeId,
        why: Move,
    ) {
        self.0.moved(time, workflow, task, from, to, why);
        self.1.moved(time, workflow, task, from, to, why);
    }
    fn completed(&mut self, time: f64, workflow: u64, class: usize) {
        self.0.completed(time, workflow, class);
        self.1.completed(time, workflow, class);
    }
    fn aborted(&mut self, time: f64, workflow: u64, class: usize, why: AbortReason) {
        self.0.aborted(time, workflow, class, why);
        self.1.aborted(time, workflow, class, why);
    }
    fn failed(&mut self, time: f64, workflow: u64, class: usize) {
        self.0.failed(time, workflow, class);
        self.1.failed(time, workflow, class);
    }
    fn node_down(&mut self, time: f64, node: NodeId) {
        self.0.node_down(time, node);
        self.1.node_down(time, node);
    }
    fn node_up(&mut self, time: f64, node: NodeId) {
        self.0.node_up(time, node);
        self.1.node_up(time, node);
    }
}
