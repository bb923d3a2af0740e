//! A queue of ready tasks ordered by (rank, arrival in the queue).

use std::collections::BTreeMap;

use crate::model::GroupId;

/// Position in a queue: lower rank first, then lower sequence number (FCFS).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct QueueKey {
    /// Rank from the queue discipline.
    pub rank: f64,
    /// Order in which the task joined a queue.
    pub seq: u64,
}

impl Eq for QueueKey {}

impl PartialOrd for QueueKey {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for QueueKey {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.rank.total_cmp(&other.rank).then(self.seq.cmp(&other.seq))
    }
}

/// A waiting task.
#[derive(Clone, Copy, Debug)]
pub struct QueuedTask {
    /// Workflow slot.
    pub wf: u32,
    /// Task index in its workflow class.
    pub task: u32,
    /// Requested millicores.
    pub cpu: u64,
    /// Requested bytes.
    pub memory: u64,
    /// Nodes it may run on.
    pub group: GroupId,
}

/// Waiting tasks in service order. O(log n) insert and remove, in-order walk.
pub type ReadyQueue = BTreeMap<QueueKey, QueuedTask>;
