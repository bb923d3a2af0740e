//! Collects measurements during a run and turns them into a [`Summary`].

use super::{AbortReason, ClassSummary, NodeSummary, Quantity, RejectedBy, StopReason, Summary};
use crate::model::{Model, NodeLoad};
use crate::policy::RejectReason;

/// Counters of one workflow class, over measured workflows.
#[derive(Clone, Debug, Default)]
struct ClassCounters {
    arrived: u64,
    completed: u64,
    failed: u64,
    rejected: RejectedBy,
    missed: u64,
    latency: Quantity,
    orchestration: Orchestration,
    rollback_latency: Quantity,
    /// Σ bounded slowdown of completed workflows (their count is `completed`).
    slowdown: f64,
    killed: u64,
    /// Σ and count of the waits a trace recorded for admitted measured jobs.
    recorded_wait: f64,
    recorded_waits: u64,
}

/// What failures, rollbacks and load moves cost one class (measured workflows only).
#[derive(Clone, Copy, Debug, Default)]
struct Orchestration {
    attempts: u64,
    retries: u64,
    task_failures: u64,
    tasks_lost: u64,
    tasks_cancelled: u64,
    wasted_cpu: f64,
    rollbacks: u64,
    aborted_retries: u64,
    aborted_deadline: u64,
    compensations: u64,
    compensation_cpu: f64,
    migrations: u64,
    steals: u64,
}

impl Orchestration {
    fn add(&mut self, o: &Orchestration) {
        self.attempts += o.attempts;
        self.retries += o.retries;
        self.task_failures += o.task_failures;
        self.tasks_lost += o.tasks_lost;
        self.tasks_cancelled += o.tasks_cancelled;
        self.wasted_cpu += o.wasted_cpu;
        self.rollbacks += o.rollbacks;
        self.aborted_retries += o.aborted_retries;
        self.aborted_deadline += o.aborted_deadline;
        self.compensations += o.compensations;
        self.compensation_cpu += o.compensation_cpu;
        self.migrations += o.migrations;
        self.steals += o.steals;
    }
}

/// Time integrals of one node's load, over the window.
#[derive(Clone, Copy, Debug, Default)]
struct NodeArea {
    /// Time up to which the integrals are taken.
    last: f64,
    /// ∫ (CPU allocated + queued) dt, millicore-seconds.
    load: f64,
    /// ∫ CPU allocated dt, millicore-seconds.
    cpu: f64,
    /// ∫ memory allocated dt, byte-seconds.
    memory: f64,
    /// Tasks started in the window.
    started: u64,
    /// Seconds down within the window, and since when it is down (if it is).
    down: f64,
    down_since: Option<f64>,
    /// Failures (outages) that began in the window.
    failures: u64,
    /// Tasks lost to its failures in the window.
    lost: u64,
}

/// The state of a run when it ended, for [`Recorder::summarize`].
#[derive(Clone, Copy, Debug)]
pub struct RunEnd<'a> {
    /// Simulated time at the end.
    pub end: f64,
    /// Final node loads.
    pub loads: &'a [NodeLoad],
    /// Final load imbalance (CV of Lᵢ).
    pub imbalance: f64,
    /// Tasks waiting at the end.
    pub waiting: u64,
    /// Measured workflows still unfinished, per class.
    pub in_flight: &'a [u64],
    /// Why the run ended.
    pub stop_reason: StopReason,
    /// Events processed.
    pub events: u64,
}

/// Collects the measurements of one run.
#[derive(Clone, Debug)]
pub struct Recorder {
    warmup: f64,
    classes: Vec<ClassCounters>,
    wait: Quantity,
    /// Measured tasks that waited at all.
    waited: u64,
    nodes: Vec<NodeArea>,
    /// ∫ (tasks waiting) dt over the window, the time it is taken up to, and the peak.
    queue_area: f64,
    queue_last: f64,
    queue_max: u64,
    /// ∫ CV(L) dt over the window, and the time it is taken up to.
    imbalance_area: f64,
    imbalance_last: f64,
}

impl Recorder {
    /// A recorder for a run of `model`.
    pub fn new(model: &Model) -> Self {
        Recorder {
            warmup: model.warmup,
            classes: vec![ClassCounters::default(); model.classes.len()],
            wait: Quantity::default(),
            waited: 0,
            nodes: vec![NodeArea::default(); model.nodes.len()],
            imbalance_area: 0.0,
            imbalance_last: 0.0,
            queue_area: 0.0,
            queue_last: 0.0,
            queue_max: 0,
        }
    }

    /// A workflow of `class` arrived (measured or not).
    pub fn arrived(&mut self, class: usize, measured: bool) {
        if measured {
            self.classes[class].arrived += 1;
        }
    }

    /// A workflow was rejected.
    pub fn rejected(&mut self, class: usize, reason: RejectReason, measured: bool) {
        if measured {
            let r = &mut self.classes[class].rejected;
            match reason {
                RejectReason::Admission => r.admission += 1,
                RejectReason::QueueFull => r.queue_full += 1,
                RejectReason::Unschedulable => r.unschedulable += 1,
            }
        }
    }

    /// A workflow completed with this latency.
    pub fn completed(&mut self, class: usize, latency: f64, missed_deadline: bool, measured: bool) {
        if measured {
            let c = &mut self.classes[class];
            c.completed += 1;
            c.missed += missed_deadline as u64;
            c.latency.record(latency);
        }
    }

    /// A completed workflow's bounded slowdown.
    pub fn slowdown(&mut self, class: usize, slowdown: f64, measured: bool) {
        if measured {
            self.classes[class].slowdown += slowdown;
        }
    }

    /// An admitted replayed job whose trace recorded the wait the real scheduler gave it.
    pub fn recorded_wait(&mut self, class: usize, wait: f64, measured: bool) {
        if measured {
            self.classes[class].recorded_wait += wait;
            self.classes[class].recorded_waits += 1;
        }
    }

    /// A task was stopped at its work estimate.
    pub fn killed(&mut self, class: usize, measured: bool) {
        if measured {
            self.classes[class].killed += 1;
        }
    }

    /// An attempt of a workflow step started (retries and restarts after a node failure
    /// count; compensation steps do not).
    pub fn attempt(&mut self, class: usize, measured: bool) {
        if measured {
            self.classes[class].orchestration.attempts += 1;
        }
    }

    /// An attempt failed after holding `cpu_seconds` (cores × seconds).
    pub fn task_failed(&mut self, class: usize, cpu_seconds: f64, measured: bool) {
        if measured {
            let o = &mut self.classes[class].orchestration;
            o.task_failures += 1;
            o.wasted_cpu += cpu_seconds;
        }
    }

    /// A failed attempt will be retried.
    pub fn retry(&mut self, class: usize, measured: bool) {
        if measured {
            self.classes[class].orchestration.retries += 1;
        }
    }

    /// A running task was lost when `node` failed, after holding `cpu_seconds`.
    pub fn task_lost(
        &mut self,
        class: usize,
        node: usize,
        cpu_seconds: f64,
        measured: bool,
        now: f64,
    ) {
        if measured {
            let o = &mut self.classes[class].orchestration;
            o.tasks_lost += 1;
            o.wasted_cpu += cpu_seconds;
        }
        if now >= self.warmup {
            self.nodes[node].lost += 1;
        }
    }

    /// A running task was cancelled by its workflow's abort, after holding `cpu_seconds`.
    pub fn task_cancelled(&mut self, class: usize, cpu_seconds: f64, measured: bool) {
        if measured {
            let o = &mut self.classes[class].orchestration;
            o.tasks_cancelled += 1;
            o.wasted_cpu += cpu_seconds;
        }
    }

    /// A workflow was aborted and starts its rollback.
    pub fn aborted(&mut self, class: usize, reason: AbortReason, measured: bool) {
        if measured {
            let o = &mut self.classes[class].orchestration;
            o.rollbacks += 1;
            match reason {
                AbortReason::Retries => o.aborted_retries += 1,
                AbortReason::Deadline => o.aborted_deadline += 1,
            }
        }
    }

    /// A compensation step finished after holding `cpu_seconds`.
    pub fn compensated(&mut self, class: usize, cpu_seconds: f64, measured: bool) {
        if measured {
            let o = &mut self.classes[class].orchestration;
            o.compensations += 1;
            o.compensation_cpu += cpu_seconds;
        }
    }

    /// A workflow failed: its rollback ended `rollback_latency` seconds after the abort.
    pub fn failed(&mut self, class: usize, rollback_latency: f64, measured: bool) {
        if measured {
            let c = &mut self.classes[class];
            c.failed += 1;
            c.rollback_latency.record(rollback_latency);
        }
    }

    /// The monitor moved a queued task to another node.
    pub fn migrated(&mut self, class: usize, measured: bool) {
        if measured {
            self.classes[class].orchestration.migrations += 1;
        }
    }

    /// An idle node stole a queued task.
    pub fn stolen(&mut self, class: usize, measured: bool) {
        if measured {
            self.classes[class].orchestration.steals += 1;
        }
    }

    /// Node `i` went down.
    pub fn node_down(&mut self, now: f64, i: usize) {
        let a = &mut self.nodes[i];
        a.down_since = Some(now);
        if now >= self.warmup {
            a.failures += 1;
        }
    }

    /// Node `i` came back up.
    pub fn node_up(&mut self, now: f64, i: usize) {
        let warmup = self.warmup;
        let a = &mut self.nodes[i];
        if let Some(since) = a.down_since.take() {
            a.down += (now - since.max(warmup)).max(0.0);
        }
    }

    /// A task of a measured (or not) workflow started after waiting `wait` seconds on `node`.
    pub fn started(&mut self, node: usize, wait: f64, now: f64, measured: bool) {
        if measured {
            self.wait.record(wait);
            self.waited += (wait > 0.0) as u64;
        }
        if now >= self.warmup {
            self.nodes[node].started += 1;
        }
    }

    /// Integrates node `i`'s load (unchanged since its last update) and the cluster's load
    /// imbalance `cv` (unchanged since the last call; computed only when time has passed) up
    /// to `now`. Call just before a change.
    pub fn advance(&mut self, now: f64, i: usize, load: &NodeLoad, cv: impl FnOnce() -> f64) {
        let from = self.imbalance_last.max(self.warmup);
        if now > from {
            self.imbalance_area += cv() * (now - from);
        }
        self.imbalance_last = now;
        let a = &mut self.nodes[i];
        let from = a.last.max(self.warmup);
        if now > from {
            let dt = now - from;
            a.load += (load.cpu_allocated + load.cpu_queued) as f64 * dt;
            a.cpu += load.cpu_allocated as f64 * dt;
            a.memory += load.memory_allocated as f64 * dt;
        }
        a.last = now;
    }

    /// The number of waiting tasks is about to change; it was `waiting` since the last call.
    pub fn queue_changing(&mut self, now: f64, waiting: u64) {
        let from = self.queue_last.max(self.warmup);
        if now > from {
            self.queue_area += waiting as f64 * (now - from);
        }
        if now >= self.warmup {
            self.queue_max = self.queue_max.max(waiting);
        }
        self.queue_last = now;
    }

    /// Totals over the measured workflows: (arrived, completed, rejected, failed).
    pub fn totals(&self) -> (u64, u64, u64, u64) {
        self.classes.iter().fold((0, 0, 0, 0), |t, c| {
            (t.0 + c.arrived, t.1 + c.completed, t.2 + c.rejected.total(), t.3 + c.failed)
        })
    }

    /// The summary of a run that ended as `at_end` says.
    pub fn summarize(mut self, model: &Model, at_end: RunEnd<'_>) -> Summary {
        let RunEnd { end, loads, imbalance: cv, waiting, in_flight, stop_reason, events } = at_end;
        self.queue_changing(end, waiting);
        for (i, load) in loads.iter().enumerate() {
            self.advance(end, i, load, || cv);
            if self.nodes[i].down_since.is_some() {
                self.node_up(end, i);
            }
        }
        let window = (end - self.warmup).max(0.0);
        let ratio = |a: u64, b: u64| if b == 0 { f64::NAN } else { a as f64 / b as f64 };
        let per_second = |area: f64| if window > 0.0 { area / window } else { f64::NAN };

        let mut latency = Quantity::default();
        let mut classes = Vec::new();
        let mut rejected_by = RejectedBy::default();
        let mut missed = 0;
        let mut orchestration = Orchestration::default();
        let mut rollback_latency = Quantity::default();
        let (mut slowdown, mut killed) = (0.0, 0);
        let (mut recorded_wait, mut recorded_waits) = (0.0, 0);
        for (k, c) in self.classes.iter().enumerate() {
            slowdown += c.slowdown;
            killed += c.killed;
            recorded_wait += c.recorded_wait;
            recorded_waits += c.recorded_waits;
            latency.merge(&c.latency);
            rollback_latency.merge(&c.rollback_latency);
            orchestration.add(&c.orchestration);
            let o = &c.orchestration;
            missed += c.missed;
            rejected_by.admission += c.rejected.admission;
            rejected_by.queue_full += c.rejected.queue_full;
            rejected_by.unschedulable += c.rejected.unschedulable;
            classes.push(ClassSummary {
                name: model.classes[k].name.clone(),
                arrived: c.arrived,
                completed: c.completed,
                rejected: c.rejected.total(),
                failed: c.failed,
                in_flight: in_flight[k],
                rejection_rate: ratio(c.rejected.total(), c.arrived),
                latency_mean: c.latency.mean(),
                latency_p50: c.latency.quantile(0.50),
                latency_p95: c.latency.quantile(0.95),
                latency_p99: c.latency.quantile(0.99),
                latency_max: c.latency.max(),
                deadline_miss_rate: ratio(c.missed, c.completed),
                attempts: o.attempts,
                retries: o.retries,
                task_failures: o.task_failures,
                tasks_lost: o.tasks_lost,
                tasks_cancelled: o.tasks_cancelled,
                wasted_cpu_seconds: o.wasted_cpu,
                rollbacks: o.rollbacks,
                aborted_retries: o.aborted_retries,
                aborted_deadline: o.aborted_deadline,
                compensations: o.compensations,
                compensation_cpu_seconds: o.compensation_cpu,
                rollback_latency_mean: c.rollback_latency.mean(),
                rollback_latency_p99: c.rollback_latency.quantile(0.99),
                migrations: o.migrations,
                steals: o.steals,
                bounded_slowdown: c.slowdown / c.completed as f64,
            });
        }

        let n = model.nodes.len() as f64;
        let mut weighted = 0.0;
        let (mut cpu_area, mut cpu_cap, mut mem_area, mut mem_cap) = (0.0, 0.0, 0.0, 0.0);
        let mut nodes = Vec::new();
        let (mut availability, mut node_failures) = (0.0, 0);
        for (node, a) in model.nodes.iter().zip(&self.nodes) {
            let up = if window > 0.0 { 1.0 - a.down / window } else { f64::NAN };
            availability += up;
            node_failures += a.failures;
            let load = per_second(a.load) / node.cpu as f64;
            weighted += node.weight * load;
            cpu_area += a.cpu;
            cpu_cap += node.cpu as f64;
            mem_area += a.memory;
            mem_cap += node.memory as f64;
            nodes.push(NodeSummary {
                name: node.name.clone(),
                pool: node.pool.clone().unwrap_or_default(),
                cpu: node.cpu as f64 / 1000.0,
                memory: node.memory,
                speed: node.speed,
                weight: node.weight,
                load,
                utilization: per_second(a.cpu) / node.cpu as f64,
                memory_utilization: per_second(a.memory) / node.memory as f64,
                tasks_started: a.started,
                availability: up,
                failures: a.failures,
                tasks_lost: a.lost,
            });
        }

        let (arrived, completed, rejected, failed) = self.totals();
        let in_flight_total: u64 = in_flight.iter().sum();
        Summary {
            arrived,
            completed,
            rejected,
            failed,
            in_flight: in_flight_total,
            rejection_rate: ratio(rejected, arrived),
            latency_mean: latency.mean(),
            latency_p50: latency.quantile(0.50),
            latency_p95: latency.quantile(0.95),
            latency_p99: latency.quantile(0.99),
            latency_max: latency.max(),
            wait_mean: self.wait.mean(),
            wait_p50: self.wait.quantile(0.50),
            wait_p95: self.wait.quantile(0.95),
            wait_p99: self.wait.quantile(0.99),
            wait_max: self.wait.max(),
            wait_probability: ratio(self.waited, self.wait.count()),
            queue_mean: per_second(self.queue_area),
            queue_max: self.queue_max,
            avg_weighted_load: weighted / n,
            utilization: per_second(cpu_area) / cpu_cap,
            memory_utilization: per_second(mem_area) / mem_cap,
            load_imbalance: per_second(self.imbalance_area),
            throughput: per_second(completed as f64),
            deadline_miss_rate: ratio(missed, completed),
            events,
            wall_seconds: 0.0,
            window,
            end_time: end,
            stable: matches!(stop_reason, StopReason::Drained | StopReason::Duration),
            stop_reason,
            rejected_by,
            attempts: orchestration.attempts,
            retries: orchestration.retries,
            task_failures: orchestration.task_failures,
            tasks_lost: orchestration.tasks_lost,
            tasks_cancelled: orchestration.tasks_cancelled,
            wasted_cpu_seconds: orchestration.wasted_cpu,
            rollbacks: orchestration.rollbacks,
            aborted_retries: orchestration.aborted_retries,
            aborted_deadline: orchestration.aborted_deadline,
            compensations: orchestration.compensations,
            compensation_cpu_seconds: orchestration.compensation_cpu,
            rollback_latency_mean: rollback_latency.mean(),
            rollback_latency_p99: rollback_latency.quantile(0.99),
            node_failures,
            availability: availability / n,
            migrations: orchestration.migrations,
            steals: orchestration.steals,
            bounded_slowdown: slowdown / completed as f64,
            tasks_killed: killed,
            recorded_wait_mean: if recorded_waits > 0 {
                recorded_wait / recorded_waits as f64
            } else {
                f64::NAN
            },
            classes,
            nodes,
        }
    }
}
