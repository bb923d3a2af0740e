//! What the orchestrator does when a step fails: retry after a backoff, or abort the workflow
//! and roll it back (saga).
//!
//! A failed attempt has already released its resources. With retries left, the task becomes
//! ready again after [`crate::model::Backoff::delay`]. Without, the workflow aborts: none of
//! its steps start any more, queued and waiting ones are cancelled, running ones are
//! cancelled (`cancel = "immediate"`) or allowed to finish (`cancel = "drain"`), and then the
//! compensations of its finished steps run one after another in reverse completion order,
//! each queued and placed like any task. The workflow counts as failed when the last
//! compensation ends. Passing the deadline with `on_deadline = "abort"` aborts the same way.

use super::workflows::{TaskRun, TaskState};
use super::{Event, Interruption, Observer, Simulation};
use crate::engine::Purpose;
use crate::metrics::AbortReason;

use super::jobs::class_of;

impl<O: Observer> Simulation<'_, O> {
    /// An attempt of task `t` failed after holding `held` CPU-seconds: retry or abort.
    pub(super) fn attempt_failed(&mut self, slot: u32, t: u32, held: f64) {
        let now = self.now.secs();
        let wf = self.workflows.get_mut(slot);
        let (class, measured, id) = (wf.class as usize, wf.measured, wf.id);
        self.recorder.task_failed(class, held, measured);
        let template = &class_of(self.model, &self.jobs, slot, class as u32).tasks[t as usize];
        let run = &mut wf.tasks[t as usize];
        if wf.aborted {
            // Draining after an abort: a failed step is not retried and has nothing to undo.
            run.state = TaskState::Cancelled;
            if wf.running == 0 {
                self.begin_rollback(slot);
            }
            return;
        }
        if run.failures >= template.retries {
            run.state = TaskState::Failed;
            self.abort(slot, AbortReason::Retries);
            return;
        }
        run.failures += 1;
        self.recorder.retry(class, measured);
        let delay = template.backoff.delay(run.failures);
        self.observer.retrying(now, id, t as usize, delay);
        if delay > 0.0 {
            run.state = TaskState::Backoff;
            run.token = self.next_token;
            self.next_token += 1;
            let event = Event::Retry { wf: slot, task: t, token: run.token };
            self.events.push(self.now.after(delay), event);
        } else {
            self.make_ready(slot, t);
        }
    }

    /// A backoff ended: the task is ready again (unless its workflow aborted meanwhile).
    pub(super) fn on_retry(&mut self, slot: u32, t: u32, token: u64) {
        let wf = self.workflows.get(slot);
        match wf.tasks.get(t as usize) {
            Some(run) if wf.live && run.token == token && run.state == TaskState::Backoff => {
                self.make_ready(slot, t);
            }
            _ => {}
        }
    }

    /// The deadline of workflow `id` (in `slot` if it is still in flight) has come.
    pub(super) fn on_deadline(&mut self, slot: u32, id: u64) {
        let wf = self.workflows.get(slot);
        if wf.live && wf.id == id && !wf.aborted {
            self.abort(slot, AbortReason::Deadline);
        }
    }

    /// Stops the workflow's steps and starts its rollback (at once, or once its running steps
    /// have drained).
    pub(super) fn abort(&mut self, slot: u32, why: AbortReason) {
        let now = self.now.secs();
        let wf = self.workflows.get_mut(slot);
        wf.aborted = true;
        wf.abort_time = now;
        let (class, measured, id) = (wf.class as usize, wf.measured, wf.id);
        self.recorder.aborted(class, why, measured);
        self.observer.aborted(now, id, class, why);
        let template = class_of(self.model, &self.jobs, slot, class as u32);
        let (drain, steps) = (template.drain_on_abort, template.steps as u32);
        for t in 0..steps {
            match self.workflows.get(slot).tasks[t as usize].state {
                TaskState::Queued | TaskState::Parked => {
                    self.dequeue(slot, t);
                    self.recorder.queue_changing(now, self.waiting);
                    self.waiting -= 1;
                }
                TaskState::Pending | TaskState::Backoff => {}
                TaskState::Running if !drain => {
                    let node = self.workflows.get(slot).tasks[t as usize].node as usize;
                    let event = self.task_event(slot, t, node);
                    let held = self.release(slot, t);
                    self.observer.interrupted(&event, Interruption::Cancelled);
                    self.recorder.task_cancelled(class, held, measured);
                }
                _ => continue,
            }
            self.workflows.get_mut(slot).tasks[t as usize].state = TaskState::Cancelled;
        }
        if self.workflows.get(slot).running == 0 {
            self.begin_rollback(slot);
        }
    }

    /// Lines up the compensations of the finished steps, last finished first, and starts
    /// the first.
    pub(super) fn begin_rollback(&mut self, slot: u32) {
        let wf = self.workflows.get_mut(slot);
        let class = class_of(self.model, &self.jobs, slot, wf.class);
        let mut done: Vec<(u32, u32)> = wf.tasks[..class.steps]
            .iter()
            .zip(&class.tasks)
            .filter(|(run, _)| run.state == TaskState::Done)
            .filter_map(|(run, tmpl)| tmpl.compensation.map(|c| (run.done_order, c as u32)))
            .collect();
        done.sort_unstable_by_key(|&(order, _)| std::cmp::Reverse(order));
        wf.rollback.clear();
        wf.rollback.extend(done.iter().map(|&(_, c)| c));
        wf.rollback_next = 0;
        wf.tasks.resize(class.tasks.len(), TaskRun::default());
        self.next_compensation(slot);
    }

    /// Starts the next compensation of a rollback, or ends the workflow as failed.
    pub(super) fn next_compensation(&mut self, slot: u32) {
        let wf = self.workflows.get_mut(slot);
        let Some(&c) = wf.rollback.get(wf.rollback_next as usize) else {
            self.workflow_failed(slot);
            return;
        };
        wf.rollback_next += 1;
        // Keyed by workflow and step, so the work does not depend on when the abort came.
        let mut rng = self.streams.keyed(Purpose::Compensation, [wf.id, c as u64, 0]);
        let template = &class_of(self.model, &self.jobs, slot, wf.class).tasks[c as usize];
        let work = template.work.sample(&mut rng);
        let estimate = match &template.estimate {
            Some(e) => e.sample(&mut rng),
            None => template.work.mean(),
        };
        wf.tasks[c as usize] = TaskRun { work, estimate, included: true, ..TaskRun::default() };
        self.make_ready(slot, c);
    }

    /// The rollback of an aborted workflow is over.
    fn workflow_failed(&mut self, slot: u32) {
        let now = self.now.secs();
        let wf = self.workflows.get(slot);
        let (c, id, measured, arrival) = (wf.class as usize, wf.id, wf.measured, wf.arrival);
        self.recorder.failed(c, now - wf.abort_time, measured);
        if measured {
            self.classes[c].in_flight_measured -= 1;
            if self.options.trace_workflows {
                let name = self.model.classes[c].name.clone();
                let mut r = super::record(name, id, arrival, "failed");
                r.finish = now;
                r.latency = now - arrival;
                self.records.push(r);
            }
        }
        self.observer.failed(now, id, c);
        self.in_flight -= 1;
        self.free_slot(slot);
    }
}
