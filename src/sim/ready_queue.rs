//! Queues of ready tasks, ordered by (rank, arrival in the queue) and indexed by task shape.

use std::collections::{BTreeMap, VecDeque};

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

/// One shape's waiting tasks in service order.
///
/// Most tasks join behind every task already waiting (all of them under FCFS, whose keys only
/// grow): those go to a deque, O(1) in and out. A task that joins ahead of the last one (a
/// shorter job under SJF, a retried task keeping its old place) goes to a B-tree. The first
/// task is the earlier of the two fronts.
#[derive(Clone, Debug, Default)]
struct ShapeQueue {
    /// Sorted by key.
    tail: VecDeque<(QueueKey, QueuedTask)>,
    ahead: BTreeMap<QueueKey, QueuedTask>,
}

impl ShapeQueue {
    fn insert(&mut self, key: QueueKey, task: QueuedTask) {
        if self.tail.back().is_none_or(|(last, _)| *last < key) {
            self.tail.push_back((key, task));
        } else {
            self.ahead.insert(key, task);
        }
    }

    /// Whether the first task is the tail's (rather than the tree's).
    fn first_in_tail(&self) -> Option<bool> {
        match (self.tail.front(), self.ahead.first_key_value()) {
            (Some((a, _)), Some((b, _))) => Some(a < b),
            (Some(_), None) => Some(true),
            (None, Some(_)) => Some(false),
            (None, None) => None,
        }
    }

    fn first(&self) -> Option<(&QueueKey, &QueuedTask)> {
        match self.first_in_tail()? {
            true => self.tail.front().map(|(k, t)| (k, t)),
            false => self.ahead.first_key_value(),
        }
    }

    fn pop_first(&mut self) -> Option<QueuedTask> {
        match self.first_in_tail()? {
            true => self.tail.pop_front().map(|(_, t)| t),
            false => self.ahead.pop_first().map(|(_, t)| t),
        }
    }

    fn remove(&mut self, key: &QueueKey) -> Option<QueuedTask> {
        if let Some(task) = self.ahead.remove(key) {
            return Some(task);
        }
        let at = self.tail.binary_search_by(|(k, _)| k.cmp(key)).ok()?;
        self.tail.remove(at).map(|(_, t)| t)
    }

    fn is_empty(&self) -> bool {
        self.tail.is_empty() && self.ahead.is_empty()
    }

    /// Every task, not in service order.
    fn iter(&self) -> impl Iterator<Item = (&QueueKey, &QueuedTask)> {
        self.tail.iter().map(|(k, t)| (k, t)).chain(self.ahead.iter())
    }
}

/// Waiting tasks in service order, kept in one ordered queue per task shape.
///
/// Tasks of one shape that do not fit block every later task of that shape (and of larger
/// shapes in the same pool), so a walk of the queue in rank order can drop a whole shape at
/// once instead of visiting each of its tasks: a walk costs O(shapes waiting) per task
/// started, not O(queue length). The shapes with waiting tasks are listed apart, so that a
/// replayed trace with thousands of distinct shapes pays only for those in the queue.
#[derive(Clone, Debug, Default)]
pub struct ReadyQueue {
    by_shape: Vec<ShapeQueue>,
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
            self.by_shape.resize_with(s + 1, ShapeQueue::default);
            self.position.resize(s + 1, NOT_WAITING);
        }
        if self.position[s] == NOT_WAITING {
            self.position[s] = self.waiting.len() as u32;
            self.waiting.push(s);
        }
        self.by_shape[s].insert(key, task);
    }

    /// Shapes that have waiting tasks, in no particular order.
    pub fn waiting_shapes(&self) -> impl Iterator<Item = ShapeId> + '_ {
        self.waiting.iter().copied()
    }

    /// The first task of a shape.
    pub fn first(&self, shape: ShapeId) -> Option<(&QueueKey, &QueuedTask)> {
        self.by_shape.get(shape)?.first()
    }

    /// Removes the first task of a shape.
    pub fn pop_first(&mut self, shape: ShapeId) -> Option<QueuedTask> {
        let task = self.by_shape.get_mut(shape)?.pop_first();
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
        self.by_shape.iter().flat_map(ShapeQueue::iter)
    }

    /// Removes and returns every waiting task, in service order.
    pub fn take_all(&mut self) -> Vec<(QueueKey, QueuedTask)> {
        let mut all: Vec<(QueueKey, QueuedTask)> = Vec::new();
        for q in &mut self.by_shape {
            all.extend(q.tail.drain(..));
            all.extend(std::mem::take(&mut q.ahead));
        }
        all.sort_by_key(|&(k, _)| k);
        for &s in &self.waiting {
            self.position[s] = NOT_WAITING;
        }
        self.waiting.clear();
        all
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// Whatever the order of keys in, tasks come out in key order, and removal by key
        /// takes out exactly that task.
        #[test]
        fn serves_in_key_order(ops in proptest::collection::vec((0u8..4, 0u32..6, any::<bool>()), 1..200)) {
            let mut q = ReadyQueue::default();
            let mut model: BTreeMap<QueueKey, QueuedTask> = BTreeMap::new();
            for (seq, (rank, drift, remove)) in ops.into_iter().enumerate() {
                // Mostly growing keys (FCFS-like), sometimes jumping ahead.
                let key = QueueKey { rank: f64::from(rank), seq: seq as u64 / (1 + drift as u64) };
                let task = QueuedTask { wf: seq as u32, task: 0, shape: 0 };
                if model.contains_key(&key) {
                    continue;
                }
                q.insert(key, task);
                model.insert(key, task);
                if remove {
                    let k = *model.keys().nth(seq % model.len()).unwrap();
                    prop_assert_eq!(q.remove(&k, 0).map(|t| t.wf), model.remove(&k).map(|t| t.wf));
                }
                prop_assert_eq!(q.first(0).map(|(k, _)| *k), model.first_key_value().map(|(k, _)| *k));
                if seq % 3 == 0 {
                    prop_assert_eq!(q.pop_first(0).map(|t| t.wf), model.pop_first().map(|(_, t)| t.wf));
                }
            }
            let rest: Vec<u32> = q.take_all().iter().map(|(_, t)| t.wf).collect();
            let expected: Vec<u32> = model.values().map(|t| t.wf).collect();
            prop_assert_eq!(rest, expected);
        }
    }
}
