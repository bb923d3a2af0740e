//! Workflow instances in flight, in a slab of reusable slots.

use super::ready_queue::QueueKey;

/// Where a task of a workflow instance is in its life.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum TaskState {
    /// Waiting for predecessors.
    #[default]
    Pending,
    /// In a queue (the central one, or node [`TaskRun::node`]'s).
    Queued,
    /// Ready, but every node that could run it is down (per-node mode).
    Parked,
    /// Running on node [`TaskRun::node`].
    Running,
    /// Failed, waiting for its retry.
    Backoff,
    /// Finished.
    Done,
    /// Not run: its branch was not taken.
    Skipped,
    /// Stopped or never started because its workflow aborted.
    Cancelled,
    /// Failed with no retries left.
    Failed,
}

/// State of one task of a workflow instance.
#[derive(Clone, Copy, Debug, Default)]
pub struct TaskRun {
    /// Sampled work (seconds at speed 1).
    pub work: f64,
    /// Its work estimate (seconds at speed 1): the drawn `work_estimate`, the trace's, or
    /// the mean work.
    pub estimate: f64,
    /// When it could have started had nothing ever waited: the end of its predecessors on the
    /// workflow's critical path of run times (for bounded slowdown).
    pub path: f64,
    /// When it last became ready.
    pub ready_at: f64,
    /// When its current attempt started.
    pub started_at: f64,
    /// Its position while queued, to find it again (abort, migration).
    pub key: QueueKey,
    /// Identifies the pending event of its current attempt or backoff: an event whose token
    /// differs is stale (the attempt was cancelled or lost).
    pub token: u64,
    /// Predecessors not yet done.
    pub preds_left: u32,
    /// Node it is queued at (per-node mode) or running on.
    pub node: u32,
    /// Attempts started.
    pub attempts: u32,
    /// Failed attempts so far (retries used).
    pub failures: u32,
    /// Position among the workflow's finished steps (for the rollback order).
    pub done_order: u32,
    /// Where it is in its life.
    pub state: TaskState,
    /// Whether this step runs (conditional branches may skip it).
    pub included: bool,
    /// Whether the current attempt fails at its end event.
    pub fails: bool,
}

/// One workflow instance.
#[derive(Clone, Debug, Default)]
pub struct WorkflowRun {
    /// Arrival number in the run.
    pub id: u64,
    /// Class index.
    pub class: u32,
    /// Arrival time.
    pub arrival: f64,
    /// Arrived inside the measurement window.
    pub measured: bool,
    /// Steps not yet done (finished or skipped).
    pub open: u32,
    /// Steps running now.
    pub running: u32,
    /// Steps finished so far (gives [`TaskRun::done_order`]).
    pub finished: u32,
    /// Whether the slot holds a workflow in flight.
    pub live: bool,
    /// Aborted: no new steps start; it rolls back.
    pub aborted: bool,
    /// When it was aborted.
    pub abort_time: f64,
    /// Length of the workflow's critical path of run times so far (for bounded slowdown).
    pub critical_path: f64,
    /// Compensation tasks (indices into `tasks`) in the order they run.
    pub rollback: Vec<u32>,
    /// Next entry of `rollback` to start.
    pub rollback_next: u32,
    /// Per-task state, indexed like the class's tasks (compensations only after an abort).
    pub tasks: Vec<TaskRun>,
}

/// Slots for workflows in flight; freed slots (and their vectors) are reused, so a long run
/// allocates only as much as its peak number of workflows in flight.
#[derive(Debug, Default)]
pub struct Slab {
    slots: Vec<WorkflowRun>,
    free: Vec<u32>,
}

impl Slab {
    /// A slot for a new workflow, reset, its vectors cleared.
    pub fn alloc(&mut self) -> u32 {
        let i = match self.free.pop() {
            Some(i) => i,
            None => {
                self.slots.push(WorkflowRun::default());
                (self.slots.len() - 1) as u32
            }
        };
        let w = &mut self.slots[i as usize];
        w.live = true;
        w.aborted = false;
        w.running = 0;
        w.finished = 0;
        w.rollback_next = 0;
        w.critical_path = 0.0;
        i
    }

    /// Returns a slot for reuse.
    pub fn release(&mut self, i: u32) {
        let w = &mut self.slots[i as usize];
        w.tasks.clear();
        w.rollback.clear();
        w.live = false;
        self.free.push(i);
    }

    /// Workflows in flight, with their slots, in slot order.
    pub fn live(&self) -> impl Iterator<Item = (u32, &WorkflowRun)> {
        self.slots.iter().enumerate().filter(|(_, w)| w.live).map(|(i, w)| (i as u32, w))
    }

    /// The workflow in slot `i`.
    pub fn get(&self, i: u32) -> &WorkflowRun {
        &self.slots[i as usize]
    }

    /// The workflow in slot `i`, mutably.
    pub fn get_mut(&mut self, i: u32) -> &mut WorkflowRun {
        &mut self.slots[i as usize]
    }
}
