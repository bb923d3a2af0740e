//! Backfilling with reservations: the central walk of `easy-backfill` and
//! `conservative-backfill` (see [`Reservations`]).
//!
//! Each walk looks at the waiting tasks in service order against a *profile* of every node:
//! its free CPU and memory from now on, as a step function that rises when a running task is
//! expected to end (its start plus its work estimate over the node's speed) and falls over the
//! interval of each reservation made so far in this walk. A task
//! - starts now, on a node the placement policy picks among those where it fits over
//!   `[now, now + estimate)` in the profile (so it delays no reservation), or else
//! - gets a reservation on the node where it fits earliest, if the discipline reserves for it
//!   (EASY: the first such task only; conservative: every one), or else
//! - waits (EASY: it may not delay the reservation, and that is all).
//!
//! A running task past its estimate is expected to end at any moment: its release is placed
//! just after now, never at now, so the profile's first step is always the room free now.
//! Reservations are not kept between walks; they are computed again at the next event, from
//! the tasks then running, so tasks that end early make later ones move up.
//!
//! Cost per walk: O(Q log Q) to order the queue plus O(G · P) per task looked at, for G nodes
//! in its group and P steps in a profile (running tasks + reservations on the node).

use super::jobs::class_of;
use super::ready_queue::{QueueKey, QueuedTask, ReadyQueue};
use super::{Observer, Simulation};
use crate::model::NodeId;
use crate::policy::Reservations;

/// Free room on one node from one moment on, until the next step.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Step {
    at: f64,
    cpu: i64,
    memory: i64,
}

/// The free room of a node over future time: steps in time order, the first at now; the last
/// lasts forever.
#[derive(Clone, Debug, Default, PartialEq)]
pub(super) struct Profile {
    steps: Vec<Step>,
}

impl Profile {
    /// A node with `cpu` millicores and `memory` bytes free now, and `releases` (time, cpu,
    /// memory) of its running tasks, in any order. Releases at or before now come right after
    /// the first step.
    fn new(now: f64, cpu: i64, memory: i64, releases: &mut [(f64, i64, i64)]) -> Self {
        releases.sort_by(|a, b| a.0.total_cmp(&b.0));
        let mut steps = vec![Step { at: now, cpu, memory }];
        for &(at, c, m) in releases.iter() {
            let last = *steps.last().expect("a profile has a first step");
            let at = at.max(now);
            if steps.len() > 1 && last.at == at {
                let last = steps.last_mut().expect("checked");
                last.cpu += c;
                last.memory += m;
            } else {
                steps.push(Step { at, cpu: last.cpu + c, memory: last.memory + m });
            }
        }
        Profile { steps }
    }

    /// The first step from which `cpu` and `memory` stay free for `duration` seconds, or
    /// `None` when they never are (more than the node will ever have free).
    fn earliest(&self, cpu: i64, memory: i64, duration: f64) -> Option<usize> {
        let fits = |s: &Step| s.cpu >= cpu && s.memory >= memory;
        let mut i = 0;
        'start: while i < self.steps.len() {
            if !fits(&self.steps[i]) {
                i += 1;
                continue;
            }
            let end = self.steps[i].at + duration;
            let mut j = i + 1;
            while j < self.steps.len() && self.steps[j].at < end {
                if !fits(&self.steps[j]) {
                    i = j + 1;
                    continue 'start;
                }
                j += 1;
            }
            return Some(i);
        }
        None
    }

    /// Holds `cpu` and `memory` from step `from` for `duration` seconds.
    fn hold(&mut self, from: usize, duration: f64, cpu: i64, memory: i64) {
        if duration <= 0.0 {
            return;
        }
        let end = self.steps[from].at + duration;
        let mut k = from + 1;
        while k < self.steps.len() && self.steps[k].at < end {
            k += 1;
        }
        if end.is_finite() && self.steps.get(k).is_none_or(|s| s.at != end) {
            // The room comes back at `end`: a step there, with the room before the hold.
            let before = self.steps[k - 1];
            self.steps.insert(k, Step { at: end, ..before });
        }
        for s in &mut self.steps[from..k] {
            s.cpu -= cpu;
            s.memory -= memory;
        }
    }

    /// When step `i` begins.
    fn at(&self, i: usize) -> f64 {
        self.steps[i].at
    }
}

/// Scratch space of the walk, kept between walks to save allocations.
#[derive(Debug, Default)]
pub(super) struct Scratch {
    order: Vec<(QueueKey, QueuedTask)>,
    profiles: Vec<Option<Profile>>,
    releases: Vec<(f64, i64, i64)>,
}

impl<O: Observer> Simulation<'_, O> {
    /// Walks the central queue with reservations (see the module doc).
    pub(super) fn walk_reserving(&mut self, queue: &mut ReadyQueue, reserve: Reservations) {
        let model = self.model;
        let now = self.now.secs();
        let mut scratch = std::mem::take(&mut self.backfill);
        queue.ordered(&mut scratch.order);
        scratch.profiles.clear();
        scratch.profiles.resize(model.nodes.len(), None);
        let limit = match reserve {
            Reservations::None => 0,
            Reservations::Head => 1,
            Reservations::All => usize::MAX,
        };
        let mut reserved = 0;
        for &(key, task) in &scratch.order {
            if reserved >= limit && self.state.cpu_allocated >= model.total_cpu {
                break;
            }
            let shape = self.shapes.list[task.shape];
            let (cpu, memory) = (shape.cpu as i64, shape.memory as i64);
            let estimate = self.workflows.get(task.wf).tasks[task.task as usize].estimate;
            self.candidates.clear();
            let mut earliest: Option<(f64, usize, NodeId)> = None;
            for &n in &model.groups[shape.group] {
                let node = &model.nodes[n];
                if self.down[n] > 0 || node.cpu < shape.cpu || node.memory < shape.memory {
                    continue;
                }
                if scratch.profiles[n].is_none() {
                    scratch.profiles[n] = Some(self.profile(n, &mut scratch.releases));
                }
                let profile = scratch.profiles[n].as_ref().expect("just built");
                match profile.earliest(cpu, memory, estimate / node.speed) {
                    Some(0) => self.candidates.push(n),
                    Some(i) if earliest.is_none_or(|(at, _, _)| profile.at(i) < at) => {
                        earliest = Some((profile.at(i), i, n));
                    }
                    _ => {}
                }
            }
            if !self.candidates.is_empty() {
                let Some(node) = self.pick(&task) else { continue };
                let duration = estimate / model.nodes[node].speed;
                let profile = scratch.profiles[node].as_mut().expect("candidates have profiles");
                profile.hold(0, duration, cpu, memory);
                queue.remove(&key, task.shape);
                self.central_len -= 1;
                self.start(&task, &shape, node, false);
            } else if reserved < limit {
                if let Some((at, i, node)) = earliest {
                    let duration = estimate / model.nodes[node].speed;
                    let profile = scratch.profiles[node].as_mut().expect("reserved on a profile");
                    profile.hold(i, duration, cpu, memory);
                    reserved += 1;
                    let id = self.workflows.get(task.wf).id;
                    self.observer.reserved(now, id, task.task as usize, node, at);
                }
            }
        }
        self.backfill = scratch;
    }

    /// Node `n`'s profile from the tasks running on it.
    fn profile(&self, n: NodeId, releases: &mut Vec<(f64, i64, i64)>) -> Profile {
        let node = &self.model.nodes[n];
        let load = &self.state.loads[n];
        releases.clear();
        for &(slot, t) in &self.running_on[n] {
            let wf = self.workflows.get(slot);
            let template = &class_of(self.model, &self.jobs, slot, wf.class).tasks[t as usize];
            let run = &wf.tasks[t as usize];
            let end = run.started_at + run.estimate / node.speed;
            releases.push((end, template.cpu as i64, template.memory as i64));
        }
        let cpu = (node.cpu - load.cpu_allocated) as i64;
        let memory = (node.memory - load.memory_allocated) as i64;
        Profile::new(self.now.secs(), cpu, memory, releases)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn profile(cpu: i64, releases: &[(f64, i64)]) -> Profile {
        let mut r: Vec<_> = releases.iter().map(|&(t, c)| (t, c, 0)).collect();
        Profile::new(0.0, cpu, 0, &mut r)
    }

    fn cpus(p: &Profile) -> Vec<(f64, i64)> {
        p.steps.iter().map(|s| (s.at, s.cpu)).collect()
    }

    #[test]
    fn releases_make_steps_in_time_order() {
        let p = profile(1, &[(5.0, 2), (2.0, 1), (5.0, 1)]);
        assert_eq!(cpus(&p), vec![(0.0, 1), (2.0, 2), (5.0, 5)]);
    }

    #[test]
    fn overdue_releases_come_just_after_now() {
        // A task past its estimate frees its room "any moment", not now.
        let p = profile(0, &[(-3.0, 4)]);
        assert_eq!(cpus(&p), vec![(0.0, 0), (0.0, 4)]);
        assert_eq!(p.earliest(1, 0, 1.0), Some(1));
    }

    #[test]
    fn earliest_needs_the_room_for_the_whole_duration() {
        // Free 4 now, 1 from t = 3 (under a reservation), 6 from t = 10.
        let step = |at, cpu| Step { at, cpu, memory: 0 };
        let p = Profile { steps: vec![step(0.0, 4), step(3.0, 1), step(10.0, 6)] };
        assert_eq!(p.earliest(2, 0, 3.0), Some(0), "fits before the dip");
        assert_eq!(p.earliest(2, 0, 4.0), Some(2), "would overlap the dip");
        assert_eq!(p.earliest(1, 0, 100.0), Some(0), "fits under the dip too");
        assert_eq!(p.earliest(7, 0, 1.0), None, "never that much room");
    }

    #[test]
    fn hold_takes_room_over_its_interval_only() {
        let mut p = profile(4, &[(10.0, 4)]);
        p.hold(0, 4.0, 3, 0);
        assert_eq!(cpus(&p), vec![(0.0, 1), (4.0, 4), (10.0, 8)]);
        let i = p.earliest(8, 0, 5.0).unwrap();
        assert_eq!(p.at(i), 10.0);
        p.hold(i, 5.0, 8, 0);
        assert_eq!(cpus(&p), vec![(0.0, 1), (4.0, 4), (10.0, 0), (15.0, 8)]);
        // A hold that ends exactly on an existing step adds none.
        p.hold(1, 6.0, 1, 0);
        assert_eq!(cpus(&p), vec![(0.0, 1), (4.0, 3), (10.0, 0), (15.0, 8)]);
    }
}
