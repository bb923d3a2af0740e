//! Which task ran where and when: the data of a Gantt chart, collected by an observer.
//!
//! [`Timeline`] is an [`Observer`]: give it to [`crate::Simulation::with_observer`] and it
//! records every task attempt (start, end, node, and how it ended), every rejected arrival
//! and every node outage. [`Timeline::finish`] turns it into [`TimelineData`], which
//! [`crate::report::charts::gantt`] draws and [`crate::report::tasks_csv`] writes.
//!
//! A Gantt chart is readable only for small runs, so the timeline keeps at most
//! [`GANTT_LIMIT`] attempts and as many rejected arrivals, and beyond that only counts them:
//! memory stays bounded however long the run, and the chart refuses with the counts.
//!
//! ```
//! use schedsim::metrics::Timeline;
//! use schedsim::report::charts::{self, Format, Gantt};
//! use schedsim::{Model, Scenario, Simulation};
//!
//! # let scenario = Scenario::from_toml(r#"
//! # name = "tiny"
//! # duration = 10.0
//! # [[cluster.nodes]]
//! # name = "n"
//! # cpu = 1
//! # memory = "1GiB"
//! # [[workflows]]
//! # name = "job"
//! # arrival = { kind = "periodic", interval = 2.0 }
//! # [[workflows.tasks]]
//! # name = "work"
//! # cpu = 1
//! # work = { kind = "constant", value = 1.0 }
//! # "#, std::path::Path::new("tiny.toml"), &[]).unwrap();
//! let model = Model::new(&scenario).unwrap();
//! let sim = Simulation::with_observer(&model, &scenario.policy, 1, Timeline::new(&model))?;
//! let (result, timeline) = sim.run();
//! let data = timeline.finish(result.summary.end_time);
//! let svg = charts::gantt(&Gantt { title: "Tasks on nodes".into(), timeline: &data }, Format::Svg)?;
//! # assert_eq!(data.attempts.len(), 4);
//! # let _ = svg;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::collections::HashMap;

use super::{Outage, OutageLog};
use crate::model::{Model, NodeId};
use crate::policy::RejectReason;
use crate::sim::{Interruption, Observer, TaskEvent, TaskKind};

/// Most task attempts (and, separately, rejected arrivals) a Gantt chart shows: beyond it the
/// bars are thinner than a pixel and the picture says nothing.
pub const GANTT_LIMIT: usize = 2_000;

/// How a task attempt ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// It ran to its end (a step's success, or a compensation done).
    Completed,
    /// The attempt failed ([`Interruption::Failed`]).
    Failed,
    /// Its node went down ([`Interruption::Lost`]).
    Lost,
    /// Its workflow aborted ([`Interruption::Cancelled`]).
    Cancelled,
    /// It was still running when the run ended (a run that stops at `duration`).
    Running,
}

impl Outcome {
    /// All outcomes, in the order of their names in files.
    pub const ALL: [Outcome; 5] =
        [Outcome::Completed, Outcome::Failed, Outcome::Lost, Outcome::Cancelled, Outcome::Running];

    /// The name in `tasks.csv`.
    pub fn name(self) -> &'static str {
        match self {
            Outcome::Completed => "completed",
            Outcome::Failed => "failed",
            Outcome::Lost => "lost",
            Outcome::Cancelled => "cancelled",
            Outcome::Running => "running",
        }
    }

    /// The outcome named `name` (as [`Outcome::name`] writes it).
    pub fn parse(name: &str) -> Option<Outcome> {
        Outcome::ALL.into_iter().find(|o| o.name() == name)
    }

    /// Whether the attempt stopped before its work was done.
    pub fn interrupted(self) -> bool {
        matches!(self, Outcome::Failed | Outcome::Lost | Outcome::Cancelled)
    }
}

/// One attempt of a task on a node: a bar of the Gantt chart.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Attempt {
    /// Workflow arrival number.
    pub workflow: u64,
    /// Workflow class index.
    pub class: usize,
    /// Task index in the class ([`TimelineData::task_names`]).
    pub task: usize,
    /// Attempt number of the task, from 1.
    pub attempt: u32,
    /// Step or compensation.
    pub kind: TaskKind,
    /// The node.
    pub node: NodeId,
    /// Start (s).
    pub start: f64,
    /// End (s): when it finished or was interrupted, or the end of the run.
    pub end: f64,
    /// How it ended.
    pub outcome: Outcome,
}

/// A workflow turned away on arrival: a tick on the Gantt chart.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Rejection {
    /// Arrival time (s).
    pub time: f64,
    /// Workflow arrival number.
    pub workflow: u64,
    /// Workflow class index.
    pub class: usize,
    /// Why.
    pub reason: RejectReason,
}

/// Name of a rejection reason in files (`rejected.csv`), as in `summary.csv`'s
/// `rejected_<reason>` columns.
pub fn reason_name(reason: RejectReason) -> &'static str {
    match reason {
        RejectReason::Admission => "admission",
        RejectReason::QueueFull => "queue_full",
        RejectReason::Unschedulable => "unschedulable",
    }
}

/// The rejection reason named `name` (as [`reason_name`] writes it).
pub fn parse_reason(name: &str) -> Option<RejectReason> {
    [RejectReason::Admission, RejectReason::QueueFull, RejectReason::Unschedulable]
        .into_iter()
        .find(|&r| reason_name(r) == name)
}

/// Everything a Gantt chart shows of one run.
#[derive(Clone, Debug, PartialEq)]
pub struct TimelineData {
    /// Node names (the rows), in scenario order.
    pub nodes: Vec<String>,
    /// Workflow class names (the colours), in scenario order.
    pub classes: Vec<String>,
    /// Task names of each class, steps then compensations.
    pub task_names: Vec<Vec<String>>,
    /// Task attempts, in the order they started (at most [`GANTT_LIMIT`]).
    pub attempts: Vec<Attempt>,
    /// Rejected arrivals, in time order (at most [`GANTT_LIMIT`]).
    pub rejected: Vec<Rejection>,
    /// Node outages, in the order they began.
    pub outages: Vec<Outage>,
    /// End of the run (s).
    pub end: f64,
    /// Attempts started in the whole run (more than `attempts.len()` when over the limit).
    pub attempts_seen: u64,
    /// Arrivals rejected in the whole run.
    pub rejected_seen: u64,
}

impl TimelineData {
    /// Whether the run had more attempts or rejections than [`GANTT_LIMIT`], so that the data
    /// is incomplete and no Gantt chart is drawn.
    pub fn too_large(&self) -> bool {
        self.attempts_seen > GANTT_LIMIT as u64 || self.rejected_seen > GANTT_LIMIT as u64
    }

    /// The name of attempt `a`'s task.
    pub fn task_name(&self, a: &Attempt) -> &str {
        self.task_names.get(a.class).and_then(|t| t.get(a.task)).map_or("?", String::as_str)
    }
}

/// An observer that records the timeline of a run (see the module docs).
#[derive(Debug)]
pub struct Timeline {
    data: TimelineData,
    /// Index in `data.attempts` of each running recorded attempt, by (workflow, task): a
    /// task has at most one attempt running at a time. Only looked up, never iterated.
    running: HashMap<(u64, usize), usize>,
    /// Outage intervals.
    outages: OutageLog,
}

impl Timeline {
    /// An empty timeline for a run of `model` (node, class and task names are copied, so the
    /// data outlives the model).
    pub fn new(model: &Model) -> Self {
        Timeline {
            data: TimelineData {
                nodes: model.nodes.iter().map(|n| n.name.clone()).collect(),
                classes: model.classes.iter().map(|c| c.name.clone()).collect(),
                task_names: model
                    .classes
                    .iter()
                    .map(|c| c.tasks.iter().map(|t| t.name.clone()).collect())
                    .collect(),
                attempts: Vec::new(),
                rejected: Vec::new(),
                outages: Vec::new(),
                end: 0.0,
                attempts_seen: 0,
                rejected_seen: 0,
            },
            running: HashMap::new(),
            outages: OutageLog::new(model.nodes.len()),
        }
    }

    /// The timeline of a run that ended at `end` (the summary's `end_time`): attempts still
    /// running and nodes still down end there.
    pub fn finish(mut self, end: f64) -> TimelineData {
        for (_, i) in self.running.drain() {
            self.data.attempts[i].end = end;
        }
        self.data.outages = self.outages.finish(end).0;
        self.data.end = end;
        self.data
    }

    fn ended(&mut self, event: &TaskEvent, outcome: Outcome) {
        if let Some(i) = self.running.remove(&(event.workflow, event.task)) {
            let a = &mut self.data.attempts[i];
            a.end = event.time;
            a.outcome = outcome;
        }
    }
}

impl Observer for Timeline {
    fn arrival(&mut self, time: f64, workflow: u64, class: usize, rejected: Option<RejectReason>) {
        let Some(reason) = rejected else { return };
        self.data.rejected_seen += 1;
        if self.data.rejected.len() < GANTT_LIMIT {
            self.data.rejected.push(Rejection { time, workflow, class, reason });
        }
    }

    fn started(&mut self, event: &TaskEvent) {
        self.data.attempts_seen += 1;
        if self.data.attempts.len() >= GANTT_LIMIT {
            return;
        }
        self.running.insert((event.workflow, event.task), self.data.attempts.len());
        self.data.attempts.push(Attempt {
            workflow: event.workflow,
            class: event.class,
            task: event.task,
            attempt: event.attempt,
            kind: event.kind,
            node: event.node,
            start: event.time,
            end: event.time,
            outcome: Outcome::Running,
        });
    }

    fn finished(&mut self, event: &TaskEvent) {
        self.ended(event, Outcome::Completed);
    }

    fn interrupted(&mut self, event: &TaskEvent, why: Interruption) {
        let outcome = match why {
            Interruption::Failed => Outcome::Failed,
            Interruption::Lost => Outcome::Lost,
            Interruption::Cancelled => Outcome::Cancelled,
        };
        self.ended(event, outcome);
    }

    fn node_down(&mut self, time: f64, node: NodeId) {
        self.outages.down(time, node);
    }

    fn node_up(&mut self, time: f64, node: NodeId) {
        self.outages.up(time, node);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outcome_names_read_back() {
        for o in Outcome::ALL {
            assert_eq!(Outcome::parse(o.name()), Some(o));
        }
        assert_eq!(Outcome::parse("done"), None);
        assert!(Outcome::Lost.interrupted() && !Outcome::Completed.interrupted());
    }
}
