//! Workflow instances in flight, in a slab of reusable slots.

/// State of one task of a workflow instance.
#[derive(Clone, Copy, Debug, Default)]
pub struct TaskRun {
    /// Sampled work (seconds at speed 1).
    pub work: f64,
    /// Predecessors not yet done.
    pub preds_left: u32,
    /// Whether this step runs (conditional branches may skip it).
    pub included: bool,
    /// When it became ready.
    pub ready_at: f64,
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
    /// Tasks not yet done (finished or skipped).
    pub open: u32,
    /// Whether the slot holds a workflow in flight.
    pub live: bool,
    /// Per-task state, indexed like the class's tasks.
    pub tasks: Vec<TaskRun>,
}

/// Slots for workflows in flight; freed slots (and their task vectors) are reused, so a long
/// run allocates only as much as its peak number of workflows in flight.
#[derive(Debug, Default)]
pub struct Slab {
    slots: Vec<WorkflowRun>,
    free: Vec<u32>,
}

impl Slab {
    /// A slot for a new workflow, its task vector cleared.
    pub fn alloc(&mut self) -> u32 {
        let i = match self.free.pop() {
            Some(i) => i,
            None => {
                self.slots.push(WorkflowRun::default());
                (self.slots.len() - 1) as u32
            }
        };
        self.slots[i as usize].live = true;
        i
    }

    /// Returns a slot for reuse.
    pub fn release(&mut self, i: u32) {
        self.slots[i as usize].tasks.clear();
        self.slots[i as usize].live = false;
        self.free.push(i);
    }

    /// Workflows in flight, in slot order.
    pub fn live(&self) -> impl Iterator<Item = &WorkflowRun> {
        self.slots.iter().filter(|w| w.live)
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
