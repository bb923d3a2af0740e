//! The load monitor of per-node mode: migration off overloaded nodes, and work stealing.
//!
//! **Migration.** Every `interval` seconds, each node whose load Lᵢ is above `overload`
//! gives away queued tasks, the last in its service order first, until its load is at or
//! below the threshold. A task goes to the node the `target` placement policy picks among
//! the nodes that are up, could run it, and would stay at or below the threshold with it; a
//! task no such node can take stays (moving it would just overload another node).
//!
//! **Work stealing.** After every event, each node that is up with nothing running and
//! nothing queued takes the oldest queued task (earliest to join a queue) that it could run
//! from the most loaded node holding one (ties: the lowest node number), and starts it.
//!
//! A moved task keeps its place in line (its queue key) and its ready time, so its wait
//! counts from when it first became ready.

use super::ready_queue::{QueueKey, QueuedTask};
use super::{Event, Move, Observer, PlacementReason, Simulation};
use crate::model::{ClusterView, NodeId, ANY_NODE};

impl<O: Observer> Simulation<'_, O> {
    /// A look at the loads: migrate off every overloaded node, then schedule the next look.
    pub(super) fn on_monitor(&mut self) {
        let Some(monitor) = &self.model.monitor else { return };
        let (interval, overload) = (monitor.interval, monitor.overload);
        if let Some(limit) = overload {
            for node in 0..self.model.nodes.len() {
                if self.up(node) && self.load(node) > limit {
                    self.migrate_from(node, limit);
                }
            }
        }
        self.events.push(self.now.after(interval), Event::Monitor);
    }

    fn load(&self, i: NodeId) -> f64 {
        ClusterView { nodes: &self.model.nodes, loads: &self.state.loads }.load(i)
    }

    /// Moves queued tasks off `src`, last in service order first, while its load is above
    /// `limit`.
    fn migrate_from(&mut self, src: NodeId, limit: f64) {
        let mut queued: Vec<(QueueKey, QueuedTask)> =
            self.node_queues[src].entries().map(|(k, q)| (*k, *q)).collect();
        queued.sort_unstable_by_key(|&(k, _)| std::cmp::Reverse(k));
        for (key, q) in queued {
            if self.load(src) <= limit {
                break;
            }
            let shape = self.shapes.list[q.shape];
            let nodes = &self.model.nodes;
            let loads = &self.state.loads;
            let down = &self.down;
            self.candidates.clear();
            self.candidates.extend(self.model.groups[shape.group].iter().filter(|&&i| {
                let (n, l) = (&nodes[i], &loads[i]);
                let after = (l.cpu_allocated + l.cpu_queued + shape.cpu) as f64 / n.cpu as f64;
                i != src
                    && down[i] == 0
                    && n.cpu >= shape.cpu
                    && n.memory >= shape.memory
                    && after <= limit
            }));
            if self.candidates.is_empty() {
                continue;
            }
            let view = self.task_view(q.wf, q.task);
            let cluster = ClusterView { nodes, loads };
            let Some((target, rng)) = self.monitor_target.as_mut() else { return };
            let to =
                target.select(&view, &cluster, &self.candidates, rng).unwrap_or(self.candidates[0]);
            let (id, now) = (self.workflows.get(q.wf).id, self.now.secs());
            let why = PlacementReason::Migration;
            self.observer.placed(now, id, q.task as usize, to, &self.candidates, &cluster, why);
            self.move_queued(src, to, key, q, Move::Migration);
        }
    }

    /// Lets every idle node steal one task; says whether any did.
    pub(super) fn steal_work(&mut self) -> bool {
        if self.waiting == 0 || !self.model.monitor.as_ref().is_some_and(|m| m.work_stealing) {
            return false;
        }
        let mut stole = false;
        for thief in 0..self.model.nodes.len() {
            let l = &self.state.loads[thief];
            if !self.up(thief) || l.running > 0 || l.queued > 0 {
                continue;
            }
            if let Some((victim, key, q)) = self.find_steal(thief) {
                self.move_queued(victim, thief, key, q, Move::Steal);
                stole = true;
            }
        }
        stole
    }

    /// The oldest task `thief` could run, on the most loaded node holding one.
    fn find_steal(&self, thief: NodeId) -> Option<(NodeId, QueueKey, QueuedTask)> {
        let node = &self.model.nodes[thief];
        let group = self.node_group[thief];
        let runnable = |s: usize| {
            let shape = &self.shapes.list[s];
            (shape.group == ANY_NODE || shape.group == group)
                && shape.cpu <= node.cpu
                && shape.memory <= node.memory
        };
        let mut best: Option<(f64, NodeId)> = None;
        for victim in 0..self.model.nodes.len() {
            if victim == thief || self.state.loads[victim].queued == 0 {
                continue;
            }
            if !self.node_queues[victim].entries().any(|(_, q)| runnable(q.shape)) {
                continue;
            }
            let load = self.load(victim);
            if best.is_none_or(|(b, _)| load > b) {
                best = Some((load, victim));
            }
        }
        let (_, victim) = best?;
        self.node_queues[victim]
            .entries()
            .filter(|(_, q)| runnable(q.shape))
            .min_by_key(|(k, _)| k.seq)
            .map(|(k, q)| (victim, *k, *q))
    }

    /// Moves a queued task from `from`'s queue to `to`'s, keeping its key.
    fn move_queued(&mut self, from: NodeId, to: NodeId, key: QueueKey, q: QueuedTask, why: Move) {
        let shape = self.shapes.list[q.shape];
        self.node_queues[from].remove(&key, q.shape);
        self.update_node(from, |l| l.remove_queued(&shape));
        // Without backfill the moved task may have blocked the ones behind it.
        self.mark_node(from);
        self.node_queues[to].insert(key, q);
        self.update_node(to, |l| l.add_queued(&shape));
        self.mark_node(to);
        let wf = self.workflows.get_mut(q.wf);
        wf.tasks[q.task as usize].node = to as u32;
        let (class, measured, id) = (wf.class as usize, wf.measured, wf.id);
        match why {
            Move::Migration => self.recorder.migrated(class, measured),
            Move::Steal => self.recorder.stolen(class, measured),
            Move::Redistribution => {}
        }
        if let Some(s) = self.sampler.as_mut() {
            s.moved(why);
        }
        self.observer.moved(self.now.secs(), id, q.task as usize, from, to, why);
    }
}
