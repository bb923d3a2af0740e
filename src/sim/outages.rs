//! Node failures and scheduled outages.
//!
//! A node with `failures = { mtbf, mttr }` alternates exponential up and down times (its own
//! random stream); scheduled outages take it down at fixed times. Outages can overlap: a node
//! is up when none is in progress. When a node goes down its running tasks are lost (their
//! work is wasted) and become ready again, which counts as a new attempt but does not use up
//! a retry: the task did nothing wrong. In per-node mode its queued tasks are placed again by
//! the placement policy. A down node is never a candidate for placement. New random failures
//! are drawn only before `duration`, so a draining run ends.

use rand_distr::{Distribution, Exp1};

use super::workflows::TaskState;
use super::{Event, Interruption, Move, Observer, PlacementReason, Simulation};
use crate::engine::SimTime;
use crate::model::NodeId;
use crate::scenario::Mode;

use super::jobs::class_of;

impl<O: Observer> Simulation<'_, O> {
    /// Puts the first random failure of every node and every scheduled outage on the clock.
    pub(super) fn schedule_outages(&mut self) {
        for node in 0..self.model.nodes.len() {
            self.schedule_failure(node);
        }
        for &(node, at, duration) in &self.model.outages {
            let node32 = node as u32;
            self.events
                .push(SimTime::from_secs(at), Event::NodeDown { node: node32, random: false });
            let end = SimTime::from_secs(at + duration);
            self.events.push(end, Event::NodeUp { node: node32, random: false });
        }
    }

    /// Draws when node `node` next fails (from now), if it has random failures and that is
    /// before the end of arrivals.
    fn schedule_failure(&mut self, node: NodeId) {
        if let Some((mtbf, _)) = self.model.node_failures[node] {
            let up: f64 = Exp1.sample(&mut self.failure_rngs[node]);
            let t = self.now.after(up * mtbf);
            if t.secs() < self.model.duration {
                self.events.push(t, Event::NodeDown { node: node as u32, random: true });
            }
        }
    }

    pub(super) fn on_node_down(&mut self, node: NodeId, random: bool) {
        let now = self.now.secs();
        if random {
            let mttr = self.model.node_failures[node].map_or(0.0, |f| f.1);
            let down: f64 = Exp1.sample(&mut self.failure_rngs[node]);
            self.events
                .push(self.now.after(down * mttr), Event::NodeUp { node: node as u32, random });
        }
        self.down[node] += 1;
        if self.down[node] > 1 {
            return;
        }
        self.reindex(node);
        self.recorder.node_down(now, node);
        if let Some(s) = self.sampler.as_mut() {
            s.node_down(now, node);
        }
        self.observer.node_down(now, node);

        // Its running tasks are lost. Outages are rare, so a scan of the workflows in flight
        // is cheaper than keeping a list of running tasks per node up to date on every start.
        let lost: Vec<(u32, u32)> = self
            .workflows
            .live()
            .flat_map(|(slot, wf)| {
                wf.tasks.iter().enumerate().filter_map(move |(t, run)| {
                    (run.state == TaskState::Running && run.node as usize == node)
                        .then_some((slot, t as u32))
                })
            })
            .collect();
        for (slot, t) in lost {
            let event = self.task_event(slot, t, node);
            let held = self.release(slot, t);
            self.observer.interrupted(&event, Interruption::Lost);
            let wf = self.workflows.get_mut(slot);
            let (class, measured) = (wf.class as usize, wf.measured);
            self.recorder.task_lost(class, node, held, measured, now);
            let is_step = (t as usize) < class_of(self.model, &self.jobs, slot, class as u32).steps;
            if wf.aborted && is_step {
                // Draining after an abort: the step will not run again.
                wf.tasks[t as usize].state = TaskState::Cancelled;
                if wf.running == 0 {
                    self.begin_rollback(slot);
                }
            } else {
                self.make_ready(slot, t);
            }
        }

        // Its queue is placed again, in service order, keeping each task's place in line.
        if self.model.mode == Mode::PerNode {
            for (key, q) in self.node_queues[node].take_all() {
                let shape = self.shapes.list[q.shape];
                self.update_node(node, |l| l.remove_queued(&shape));
                self.enqueue(q.wf, q.task, key, PlacementReason::Redistribution);
                let run = self.workflows.get(q.wf).tasks[q.task as usize];
                if run.state == TaskState::Queued {
                    let id = self.workflows.get(q.wf).id;
                    let to = run.node as usize;
                    self.observer.moved(now, id, q.task as usize, node, to, Move::Redistribution);
                }
            }
        }
    }

    pub(super) fn on_node_up(&mut self, node: NodeId, random: bool) {
        let now = self.now.secs();
        if random {
            self.schedule_failure(node);
        }
        self.down[node] -= 1;
        if self.down[node] > 0 {
            return;
        }
        self.reindex(node);
        self.recorder.node_up(now, node);
        if let Some(s) = self.sampler.as_mut() {
            s.node_up(now, node);
        }
        self.observer.node_up(now, node);
        match self.model.mode {
            Mode::Central => self.central_dirty = true,
            Mode::PerNode => {
                self.mark_node(node);
                for (key, q) in std::mem::take(&mut self.parked) {
                    self.enqueue(q.wf, q.task, key, PlacementReason::Ready);
                }
            }
        }
    }
}
