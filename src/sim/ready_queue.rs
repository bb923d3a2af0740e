//! Queues of ready tasks, ordered by (rank, arrival in the queue) and indexed by task shape.

use std::collections::BTreeMap;

use crate::model::ShapeId;

/// Position in a queue: lower rank first, then lower sequence number (FCFS).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
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
    /// Its shape (pool, CPU and memory request).
    pub shape: ShapeId,
}

/// Waiting tasks in service order, kept in one ordered map per task shape.
///
/// Tasks of one shape that do not fit block every later task of that shape (and of larger
/// shapes in the same pool), so a walk of the queue in rank order can drop a whole shape at
/// once instead of visiting each of its tasks: a walk costs O(shapes waiting) per task
/// started, not O(queue length). The shapes with waiting tasks are listed apart, so that a
/// replayed trace with thousands of distinct shapes pays only for those in the queue.
#[derive(Clone, Debug, Default)]
pub struct ReadyQueue {
    by_shape: Vec<BTreeMap<QueueKey, QueuedTask>>,
    /// Shapes with waiting tasks, in no particular order.
    waiting: Vec<ShapeId>,
    /// Position of each shape in `waiting` (`NOT_WAITING` when it has no task).
    position: Vec<u32>,
}

const NOT_WAITING: u32 = u32::MAX;

impl ReadyQueue {
    /// Adds a task.
    pub fn insert(&mut self, key: QueueKey, task: QueuedTask) {
        let s = task.shape;
        if s >= self.by_shape.len() {
            self.by_shape.resize_with(s + 1, BTreeMap::new);
            self.position.resize(s + 1, NOT_WAITING);
        }
        if self.position[s] == NOT_WAITING {
            self.position[s] = self.waiting.len() as u32;
            self.waiting.push(s);
        }
        self.by_shape[s].insert(key, task);
    }

    /// Shapes that have waiting tasks.
    pub fn shapes_waiting(&self, out: &mut Vec<ShapeId>) {
        out.clear();
        out.extend_from_slice(&self.waiting);
    }

    /// The first task of a shape.
    pub fn first(&self, shape: ShapeId) -> Option<(&QueueKey, &QueuedTask)> {
        self.by_shape.get(shape)?.first_key_value()
    }

    /// Removes the first task of a shape.
    pub fn pop_first(&mut self, shape: ShapeId) -> Option<QueuedTask> {
        let task = self.by_shape.get_mut(shape)?.pop_first().map(|(_, t)| t);
        self.forget_if_empty(shape);
        task
    }

    /// Removes the task at `key` of `shape`.
    pub fn remove(&mut self, key: &QueueKey, shape: ShapeId) -> Option<QueuedTask> {
        let task = self.by_shape.get_mut(shape)?.remove(key);
        self.forget_if_empty(shape);
        task
    }

    fn forget_if_empty(&mut self, shape: ShapeId) {
        if self.by_shape[shape].is_empty() && self.position[shape] != NOT_WAITING {
            let at = self.position[shape] as usize;
            self.waiting.swap_remove(at);
            if let Some(&moved) = self.waiting.get(at) {
                self.position[moved] = at as u32;
            }
            self.position[shape] = NOT_WAITING;
        }
    }

    /// Every waiting task with its key, in service order, into `out`.
    pub fn ordered(&self, out: &mut Vec<(QueueKey, QueuedTask)>) {
        out.clear();
        for &s in &self.waiting {
            out.extend(self.by_shape[s].iter().map(|(k, t)| (*k, *t)));
        }
        out.sort_unstable_by_key(|&(k, _)| k);
    }

    /// Every waiting task with its key, shape by shape (not in service order).
    pub fn entries(&self) -> impl Iterator<Item = (&QueueKey, &QueuedTask)> {
        self.by_shape.iter().flat_map(|m| m.iter())
    }

    /// Removes and returns every waiting task, in service order.
    pub fn take_all(&mut self) -> Vec<(QueueKey, QueuedTask)> {
        let mut all: Vec<(QueueKey, QueuedTask)> =
            self.by_shape.iter_mut().flat_map(std::mem::take).collect();
        all.sort_by_key(|&(k, _)| k);
        for &s in &self.waiting {
            self.position[s] = NOT_WAITING;
        }
        self.waiting.clear();
        all
    }
}
