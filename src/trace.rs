//! A readable log of one run, one line per event, saying which policy took each decision and
//! the numbers it compared — for teaching and debugging (`schedsim trace`).
//!
//! [`Trace`] is an [`Observer`]: run a [`crate::Simulation`] with it and read
//! [`Trace::lines`]. Each [`TraceLine`] has the time, the subject (`order#17/check_inventory`,
//! a node), what happened and the detail, so it prints as text or as a CSV row. The
//! decisions (admissions, placements, starts) are also kept as [`Decision`]s, so two runs of
//! one scenario under different policies can be compared decision by decision
//! ([`first_divergence`]).

use std::collections::HashMap;
use std::fmt::Write;

use serde::Serialize;

use crate::metrics::AbortReason;
use crate::model::{ClusterView, Model, NodeId, WorkflowClass};
use crate::policy::{AdmissionView, RejectReason};
use crate::scenario::{PolicySet, PolicySpec};
use crate::sim::{Interruption, Move, Observer, PlacementReason, QueueId, TaskEvent, TaskKind};

/// Most candidate nodes named on one placement line; the rest are counted.
const MAX_CANDIDATES_SHOWN: usize = 8;

/// One event of the run.
#[derive(Clone, Debug, Serialize)]
pub struct TraceLine {
    /// Simulated time, seconds.
    pub time: f64,
    /// Workflow arrival number (none for node events).
    pub workflow: Option<u64>,
    /// Workflow class (empty for node events).
    pub class: String,
    /// Task name (empty for workflow and node events).
    pub task: String,
    /// What happened: `arrive`, `ready`, `place`, `start`, `finish`, `fail`, `retry`, `lost`,
    /// `cancel`, `move`, `skip`, `complete`, `abort`, `failed`, `down`, `up`.
    pub event: &'static str,
    /// The node concerned, if any.
    pub node: String,
    /// The policy that decided, if this is a decision.
    pub policy: String,
    /// The outcome and the numbers compared, for people.
    pub detail: String,
}

impl TraceLine {
    /// `order#17/check_inventory`, `order#17`, or the node name.
    pub fn subject(&self) -> String {
        match (self.workflow, self.task.is_empty()) {
            (Some(w), true) => format!("{}#{w}", self.class),
            (Some(w), false) => format!("{}#{w}/{}", self.class, self.task),
            (None, _) => self.node.clone(),
        }
    }

    /// The line as text: `t=12.304  order#17/check_inventory -> inventory-1 by ...`.
    pub fn text(&self) -> String {
        format!("t={:<9.3} {} {}", self.time, self.subject(), self.detail)
    }
}

/// A decision of a policy, for comparing two runs.
#[derive(Clone, Debug, PartialEq)]
pub enum Decision {
    /// Admission control admitted (or not) workflow `workflow`.
    Admission {
        /// Workflow arrival number.
        workflow: u64,
        /// Admitted?
        admitted: bool,
    },
    /// A task was sent to (per-node) or started on (central) a node.
    Placement {
        /// Workflow arrival number.
        workflow: u64,
        /// Task index.
        task: usize,
        /// The chosen node.
        node: NodeId,
    },
    /// A task started (the queue discipline chose it).
    Start {
        /// Workflow arrival number.
        workflow: u64,
        /// Task index.
        task: usize,
        /// The node.
        node: NodeId,
    },
}

/// A decision with when it was taken, its trace line and the cluster state then.
#[derive(Clone, Debug)]
pub struct DecisionRecord {
    /// Simulated time.
    pub time: f64,
    /// The decision.
    pub decision: Decision,
    /// Index of its line in [`Trace::lines`].
    pub line: usize,
    /// Node loads and queue length just before it, for people.
    pub state: String,
}

/// The observer that writes the trace.
pub struct Trace<'m> {
    model: &'m Model,
    policy: PolicySet,
    lines: Vec<TraceLine>,
    decisions: Vec<DecisionRecord>,
    /// Arrival time and class of the workflows in flight.
    workflows: HashMap<u64, (f64, usize)>,
    /// Task names of the replayed trace jobs in flight (their class lists none).
    job_tasks: HashMap<u64, Vec<String>>,
    /// Stop recording after this many lines (the caller refuses such runs).
    limit: usize,
    /// Lines not recorded because of the limit.
    dropped: usize,
    /// Loads as last seen by a policy (updated at every placement), and tasks waiting.
    state: String,
    /// Why admission decided as it did, for the arrival line that follows.
    admission_reason: String,
}

impl<'m> Trace<'m> {
    /// A trace of a run of `model` under `policy`, keeping at most `limit` lines.
    pub fn new(model: &'m Model, policy: &PolicySet, limit: usize) -> Self {
        Trace {
            model,
            policy: policy.clone(),
            lines: Vec::new(),
            decisions: Vec::new(),
            workflows: HashMap::new(),
            job_tasks: HashMap::new(),
            limit,
            dropped: 0,
            state: String::new(),
            admission_reason: String::new(),
        }
    }

    /// The recorded lines, in event order.
    pub fn lines(&self) -> &[TraceLine] {
        &self.lines
    }

    /// The recorded decisions, in order.
    pub fn decisions(&self) -> &[DecisionRecord] {
        &self.decisions
    }

    /// Lines left out because the run had more than `limit`.
    pub fn dropped(&self) -> usize {
        self.dropped
    }

    /// Stores a line; its index, or none once the limit is reached.
    fn push(&mut self, line: TraceLine) -> Option<usize> {
        if self.lines.len() >= self.limit {
            self.dropped += 1;
            None
        } else {
            self.lines.push(line);
            Some(self.lines.len() - 1)
        }
    }

    /// Records a decision whose line was stored.
    fn decide(&mut self, time: f64, decision: Decision, line: Option<usize>) {
        if let Some(line) = line {
            let state = self.state.clone();
            self.decisions.push(DecisionRecord { time, decision, line, state });
        }
    }

    fn line(&self, time: f64, workflow: u64, task: Option<usize>) -> TraceLine {
        let class = self.workflows.get(&workflow).map_or(0, |w| w.1);
        let c = &self.model.classes[class];
        TraceLine {
            time,
            workflow: Some(workflow),
            class: c.name.clone(),
            // A replayed trace job has its own tasks, which its class does not list.
            task: task
                .map(|t| match self.job_tasks.get(&workflow) {
                    Some(names) => names[t].clone(),
                    None => c.tasks[t].name.clone(),
                })
                .unwrap_or_default(),
            event: "",
            node: String::new(),
            policy: String::new(),
            detail: String::new(),
        }
    }

    fn node_line(&self, time: f64, node: NodeId, event: &'static str, detail: String) -> TraceLine {
        TraceLine {
            time,
            workflow: None,
            class: String::new(),
            task: String::new(),
            event,
            node: self.model.nodes[node].name.clone(),
            policy: String::new(),
            detail,
        }
    }

    fn task_line(&mut self, e: &TaskEvent, event: &'static str, detail: String) -> Option<usize> {
        let mut l = self.line(e.time, e.workflow, Some(e.task));
        l.event = event;
        l.node = self.model.nodes[e.node].name.clone();
        l.detail = detail;
        self.push(l)
    }

    /// What the placement policy compared on each candidate node.
    fn compared(&self, spec: &PolicySpec, candidates: &[NodeId], cluster: &ClusterView) -> String {
        let name = |i: NodeId| self.model.nodes[i].name.as_str();
        let (what, figure): (&str, Box<dyn Fn(NodeId) -> String>) = match spec.kind.as_str() {
            "weighted-least-loaded" => (
                "load / weight",
                Box::new(|i| format!("{:.2}", cluster.load(i) / self.model.nodes[i].weight)),
            ),
            "first-fit" | "best-fit" | "spread" | "bin-pack" | "resource-score" => (
                "free cores",
                Box::new(|i| {
                    let l = &cluster.loads[i];
                    format!("{}", (self.model.nodes[i].cpu - l.cpu_allocated) as f64 / 1000.0)
                }),
            ),
            _ => ("loads", Box::new(|i| format!("{:.2}", cluster.load(i)))),
        };
        let mut s = format!("{what}: ");
        for (k, &i) in candidates.iter().take(MAX_CANDIDATES_SHOWN).enumerate() {
            let sep = if k > 0 { ", " } else { "" };
            let _ = write!(s, "{sep}{} {}", name(i), figure(i));
        }
        if candidates.len() > MAX_CANDIDATES_SHOWN {
            let _ = write!(s, ", … {} more", candidates.len() - MAX_CANDIDATES_SHOWN);
        }
        s
    }

    /// Why admission control decided as it did, in the policy's own terms.
    fn admission_reason(&self, view: &AdmissionView, admitted: bool) -> String {
        let spec = &self.policy.admission;
        let limit = spec.params.get("limit").map(|v| v.to_string()).unwrap_or_default();
        let (below, above) = ("<", "≥");
        let cmp = if admitted { below } else { above };
        match spec.kind.as_str() {
            "always" => "admits every workflow".to_string(),
            "load-threshold" => format!("weighted load {:.2} {cmp} {limit}", view.weighted_load),
            "queue-limit" => format!("{} tasks waiting {cmp} {limit}", view.waiting_tasks),
            _ => format!(
                "weighted load {:.2}, {} tasks waiting, {} in flight",
                view.weighted_load, view.waiting_tasks, view.in_flight
            ),
        }
    }
}

impl Observer for Trace<'_> {
    fn admission(
        &mut self,
        _time: f64,
        _workflow: u64,
        view: &AdmissionView,
        rejected: Option<RejectReason>,
    ) {
        self.state = format!(
            "weighted load {:.3}, {} tasks waiting, {} workflows in flight",
            view.weighted_load, view.waiting_tasks, view.in_flight
        );
        // The line is written by `arrival`, which knows the class.
        self.admission_reason = self.admission_reason(view, rejected.is_none());
    }

    fn arrival(&mut self, time: f64, workflow: u64, class: usize, rejected: Option<RejectReason>) {
        self.workflows.insert(workflow, (time, class));
        let c = &self.model.classes[class];
        let mut l = self.line(time, workflow, None);
        l.event = "arrive";
        l.policy = self.policy.admission.to_string();
        let reason = std::mem::take(&mut self.admission_reason);
        let outcome = match rejected {
            None => "admitted".to_string(),
            Some(RejectReason::Admission) => "REJECTED".to_string(),
            Some(RejectReason::QueueFull) => "REJECTED (queue full)".to_string(),
            Some(RejectReason::Unschedulable) => "REJECTED (fits on no node)".to_string(),
        };
        l.detail = format!(
            "arrives (class {}, priority {}) -> {outcome} by {} ({reason})",
            c.name, c.priority, l.policy
        );
        let line = self.push(l);
        self.decide(time, Decision::Admission { workflow, admitted: rejected.is_none() }, line);
        if rejected.is_some() {
            self.workflows.remove(&workflow);
            self.job_tasks.remove(&workflow);
        }
    }

    fn job(&mut self, _time: f64, workflow: u64, template: &WorkflowClass) {
        let names = template.tasks.iter().map(|t| t.name.clone()).collect();
        self.job_tasks.insert(workflow, names);
    }

    fn ready(&mut self, _time: f64, _workflow: u64, _task: usize) {}

    fn queued(
        &mut self,
        time: f64,
        workflow: u64,
        task: usize,
        queue: QueueId,
        rank: f64,
        waiting: u64,
    ) {
        let mut l = self.line(time, workflow, Some(task));
        l.event = "ready";
        l.policy = self.policy.queue.to_string();
        let rank = if self.policy.queue.kind == "fcfs" {
            String::new()
        } else {
            format!(", rank {rank:.3}")
        };
        l.detail = match queue {
            QueueId::Central => {
                format!("ready -> cluster queue ({waiting} waiting; {}{rank})", l.policy)
            }
            QueueId::Node(n) => {
                l.node = self.model.nodes[n].name.clone();
                format!("ready -> queue of {} ({waiting} waiting; {}{rank})", l.node, l.policy)
            }
            QueueId::Parked => {
                format!(
                    "ready -> set aside: every node that could run it is down ({waiting} aside)"
                )
            }
        };
        self.push(l);
    }

    fn placed(
        &mut self,
        time: f64,
        workflow: u64,
        task: usize,
        node: NodeId,
        candidates: &[NodeId],
        cluster: &ClusterView<'_>,
        why: PlacementReason,
    ) {
        let spec = match (why, &self.model.monitor) {
            (PlacementReason::Migration, Some(m)) => m.target.clone(),
            _ => self.policy.placement.clone(),
        };
        let mut loads = String::new();
        for (i, n) in self.model.nodes.iter().enumerate().take(4 * MAX_CANDIDATES_SHOWN) {
            let sep = if i > 0 { ", " } else { "" };
            let _ = write!(loads, "{sep}{} {:.2}", n.name, cluster.load(i));
        }
        self.state = format!("loads: {loads}");
        let compared = self.compared(&spec, candidates, cluster);
        let mut l = self.line(time, workflow, Some(task));
        l.event = "place";
        l.node = self.model.nodes[node].name.clone();
        l.policy = spec.to_string();
        let verb = match why {
            PlacementReason::Ready => "sent to the queue of",
            PlacementReason::Start => "->",
            PlacementReason::Migration => "to be migrated to",
            PlacementReason::Redistribution => "placed again on",
        };
        l.detail = format!("{verb} {} by {} ({compared})", l.node, l.policy);
        let line = self.push(l);
        self.decide(time, Decision::Placement { workflow, task, node }, line);
    }

    fn reserved(&mut self, time: f64, workflow: u64, task: usize, node: NodeId, at: f64) {
        let mut l = self.line(time, workflow, Some(task));
        l.event = "reserve";
        l.node = self.model.nodes[node].name.clone();
        l.policy = self.policy.queue.to_string();
        l.detail = format!(
            "cannot start now -> reserved {} from t = {at:.3} (by estimates; {})",
            l.node, l.policy
        );
        self.push(l);
    }

    fn skipped(&mut self, time: f64, workflow: u64, task: usize) {
        let mut l = self.line(time, workflow, Some(task));
        l.event = "skip";
        l.detail = "skipped (branch not taken)".to_string();
        self.push(l);
    }

    fn started(&mut self, e: &TaskEvent) {
        let what = match e.kind {
            TaskKind::Step => "starts",
            TaskKind::Compensation => "starts compensating",
        };
        let node = &self.model.nodes[e.node].name;
        let cores = e.cpu as f64 / 1000.0;
        let unit = if cores == 1.0 { "core" } else { "cores" };
        let detail = format!("{what} on {node} (attempt {}, {cores} {unit})", e.attempt);
        let line = self.task_line(e, "start", detail);
        let decision = Decision::Start { workflow: e.workflow, task: e.task, node: e.node };
        self.decide(e.time, decision, line);
    }

    fn finished(&mut self, e: &TaskEvent) {
        let node = self.model.nodes[e.node].name.clone();
        self.task_line(e, "finish", format!("finishes on {node}"));
    }

    fn interrupted(&mut self, e: &TaskEvent, why: Interruption) {
        let node = self.model.nodes[e.node].name.clone();
        let (event, detail) = match why {
            Interruption::Failed => ("fail", format!("FAILS on {node} (attempt {})", e.attempt)),
            Interruption::Lost => ("lost", format!("lost: {node} went down (back to ready)")),
            Interruption::Cancelled => {
                ("cancel", format!("cancelled on {node} (workflow aborted)"))
            }
        };
        self.task_line(e, event, detail);
    }

    fn retrying(&mut self, time: f64, workflow: u64, task: usize, delay: f64) {
        let mut l = self.line(time, workflow, Some(task));
        l.event = "retry";
        l.detail = if delay > 0.0 {
            format!("will retry after a {delay:.3} s backoff")
        } else {
            "retries at once".to_string()
        };
        self.push(l);
    }

    fn moved(
        &mut self,
        time: f64,
        workflow: u64,
        task: usize,
        from: NodeId,
        to: NodeId,
        why: Move,
    ) {
        let mut l = self.line(time, workflow, Some(task));
        l.event = "move";
        l.node = self.model.nodes[to].name.clone();
        let why = match why {
            Move::Migration => "migrated off an overloaded node",
            Move::Steal => "stolen by an idle node",
            Move::Redistribution => "its node went down",
        };
        l.detail = format!("moved {} -> {} ({why})", self.model.nodes[from].name, l.node);
        self.push(l);
    }

    fn completed(&mut self, time: f64, workflow: u64, _class: usize) {
        let arrival = self.workflows.get(&workflow).map_or(time, |w| w.0);
        let mut l = self.line(time, workflow, None);
        l.event = "complete";
        l.detail = format!("completes (latency {:.3} s)", time - arrival);
        self.push(l);
        self.workflows.remove(&workflow);
        self.job_tasks.remove(&workflow);
    }

    fn aborted(&mut self, time: f64, workflow: u64, _class: usize, why: AbortReason) {
        let mut l = self.line(time, workflow, None);
        l.event = "abort";
        l.detail = match why {
            AbortReason::Retries => "ABORTED: a step ran out of retries; rolling back".to_string(),
            AbortReason::Deadline => "ABORTED at its deadline; rolling back".to_string(),
        };
        self.push(l);
    }

    fn failed(&mut self, time: f64, workflow: u64, _class: usize) {
        let mut l = self.line(time, workflow, None);
        l.event = "failed";
        l.detail = "failed: rollback complete".to_string();
        self.push(l);
        self.workflows.remove(&workflow);
        self.job_tasks.remove(&workflow);
    }

    fn node_down(&mut self, time: f64, node: NodeId) {
        let l = self.node_line(time, node, "down", "goes DOWN".to_string());
        self.push(l);
    }

    fn node_up(&mut self, time: f64, node: NodeId) {
        let l = self.node_line(time, node, "up", "is back up".to_string());
        self.push(l);
    }
}

/// Where two traces of the same scenario and seed first took different decisions.
#[derive(Clone, Debug)]
pub struct Divergence {
    /// Number of the first differing decision (0-based).
    pub index: usize,
    /// The decision of each run there (none when that run had fewer decisions).
    pub a: Option<DecisionRecord>,
    /// The decision of the other run.
    pub b: Option<DecisionRecord>,
}

/// The first decision where two runs differ, or `None` when they took the same decisions.
pub fn first_divergence(a: &[DecisionRecord], b: &[DecisionRecord]) -> Option<Divergence> {
    let n = a.len().max(b.len());
    (0..n)
        .find(|&i| match (a.get(i), b.get(i)) {
            (Some(x), Some(y)) => x.decision != y.decision || x.time != y.time,
            _ => true,
        })
        .map(|index| Divergence { index, a: a.get(index).cloned(), b: b.get(index).cloned() })
}
