//! The results of one run.

use serde::Serialize;

/// Why the run ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum StopReason {
    /// Arrivals ended at `duration` and all admitted work finished (`drain = true`).
    Drained,
    /// The clock reached `duration` (`drain = false`); unfinished work is in flight.
    Duration,
    /// Admitted, unfinished workflows exceeded `limits.max_in_flight`: arrivals outpace what
    /// the cluster can serve, and the run stopped before exhausting memory.
    Unstable,
    /// A line of the replayed trace could not be read during the run (the file changed since
    /// the scenario was loaded and checked): the run stopped there.
    TraceUnreadable,
}

/// Why a workflow was aborted (and rolled back).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum AbortReason {
    /// A step failed more often than its `retries` allow.
    Retries,
    /// It passed its deadline with `on_deadline = "abort"`.
    Deadline,
}

/// Rejected workflows by reason.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct RejectedBy {
    /// Refused by admission control (e.g. load at or above the threshold).
    pub admission: u64,
    /// Refused because the queues were full (`queue-limit`).
    pub queue_full: u64,
    /// A task fits on no node that could exist. Scenario validation refuses such tasks in
    /// workflow classes, so only a replayed trace's jobs (bigger than every node) count here.
    pub unschedulable: u64,
}

impl RejectedBy {
    /// All rejections.
    pub fn total(&self) -> u64 {
        self.admission + self.queue_full + self.unschedulable
    }
}

/// Figures of one workflow class.
#[derive(Clone, Debug, Serialize)]
pub struct ClassSummary {
    /// Class name.
    pub name: String,
    /// Measured arrivals.
    pub arrived: u64,
    /// Completed.
    pub completed: u64,
    /// Rejected.
    pub rejected: u64,
    /// Failed (aborted).
    pub failed: u64,
    /// Still in flight at the end.
    pub in_flight: u64,
    /// rejected / arrived.
    pub rejection_rate: f64,
    /// Mean latency, seconds.
    pub latency_mean: f64,
    /// Median latency.
    pub latency_p50: f64,
    /// 95th percentile latency.
    pub latency_p95: f64,
    /// 99th percentile latency.
    pub latency_p99: f64,
    /// Largest latency.
    pub latency_max: f64,
    /// Completed after the deadline / completed.
    pub deadline_miss_rate: f64,
    /// Attempts of workflow steps started (first tries, retries and restarts after a node
    /// failure; compensations not included).
    pub attempts: u64,
    /// Failed attempts that were retried.
    pub retries: u64,
    /// Attempts that failed.
    pub task_failures: u64,
    /// Running tasks lost to node failures (rescheduled).
    pub tasks_lost: u64,
    /// Running tasks cancelled by an abort (`cancel = "immediate"`).
    pub tasks_cancelled: u64,
    /// CPU-seconds (cores × seconds) held by attempts that did not complete: failed, lost or
    /// cancelled.
    pub wasted_cpu_seconds: f64,
    /// Workflows aborted, each starting a saga rollback.
    pub rollbacks: u64,
    /// Of those, aborted because a step exhausted its retries.
    pub aborted_retries: u64,
    /// Of those, aborted at their deadline (`on_deadline = "abort"`).
    pub aborted_deadline: u64,
    /// Compensation steps run to the end.
    pub compensations: u64,
    /// CPU-seconds spent compensating.
    pub compensation_cpu_seconds: f64,
    /// Mean time from abort to the end of the last compensation, seconds.
    pub rollback_latency_mean: f64,
    /// 99th percentile of that time.
    pub rollback_latency_p99: f64,
    /// Queued tasks the monitor moved to another node.
    pub migrations: u64,
    /// Queued tasks stolen by idle nodes.
    pub steals: u64,
    /// Mean bounded slowdown of completed workflows: max(1, latency / max(T, 10 s)), T the
    /// critical path of their tasks' run times.
    pub bounded_slowdown: f64,
}

/// Time-averaged figures of one node.
#[derive(Clone, Debug, Serialize)]
pub struct NodeSummary {
    /// Node name.
    pub name: String,
    /// Pool, empty when none.
    pub pool: String,
    /// Cores.
    pub cpu: f64,
    /// Bytes.
    pub memory: u64,
    /// Work per second per core.
    pub speed: f64,
    /// Weight in the average weighted load.
    pub weight: f64,
    /// Time-averaged load Lᵢ.
    pub load: f64,
    /// Time-averaged CPU utilization Uᵢ.
    pub utilization: f64,
    /// Time-averaged memory utilization.
    pub memory_utilization: f64,
    /// Tasks started on the node during the window.
    pub tasks_started: u64,
    /// Fraction of the window the node was up.
    pub availability: f64,
    /// Failures and outages that began in the window.
    pub failures: u64,
    /// Running tasks lost to its failures in the window.
    pub tasks_lost: u64,
}

/// One measured workflow (`--trace-workflows`).
#[derive(Clone, Debug, Serialize)]
pub struct WorkflowRecord {
    /// Arrival number of the workflow in the run (0-based, all classes).
    pub id: u64,
    /// Class name.
    pub class: String,
    /// Arrival time.
    pub arrival: f64,
    /// `completed`, `rejected`, `failed` (aborted and rolled back) or `in-flight`.
    pub status: &'static str,
    /// Completion time, or for a failed workflow the end of its rollback (NaN otherwise).
    pub finish: f64,
    /// finish − arrival (NaN unless completed or failed).
    pub latency: f64,
    /// Whether it completed after its deadline.
    pub deadline_missed: bool,
}

/// Everything one run reports. Field order is the column order of `summary.csv`.
#[derive(Clone, Debug, Serialize)]
pub struct Summary {
    /// Workflows that arrived in the window.
    pub arrived: u64,
    /// Of those, completed.
    pub completed: u64,
    /// Of those, rejected (see `rejected_by`).
    pub rejected: u64,
    /// Of those, failed (aborted after exhausting retries or passing a deadline).
    pub failed: u64,
    /// Of those, admitted and unfinished at the end.
    pub in_flight: u64,
    /// rejected / arrived.
    pub rejection_rate: f64,
    /// Mean latency (finish of the last task − arrival), seconds.
    pub latency_mean: f64,
    /// Median latency.
    pub latency_p50: f64,
    /// 95th percentile latency.
    pub latency_p95: f64,
    /// 99th percentile latency.
    pub latency_p99: f64,
    /// Largest latency.
    pub latency_max: f64,
    /// Mean task wait (start − ready).
    pub wait_mean: f64,
    /// Median task wait.
    pub wait_p50: f64,
    /// 95th percentile task wait.
    pub wait_p95: f64,
    /// 99th percentile task wait.
    pub wait_p99: f64,
    /// Largest task wait.
    pub wait_max: f64,
    /// Fraction of tasks that waited at all (start > ready): Erlang C's P(wait) for M/M/c.
    pub wait_probability: f64,
    /// Time-averaged number of tasks waiting in queues (the central queue in central mode,
    /// all node queues in per-node mode).
    pub queue_mean: f64,
    /// Most tasks waiting at once.
    pub queue_max: u64,
    /// Time average of Σ wᵢ·Lᵢ / N.
    pub avg_weighted_load: f64,
    /// Time average of CPU allocated / CPU capacity over the cluster.
    pub utilization: f64,
    /// Time average of memory allocated / memory capacity.
    pub memory_utilization: f64,
    /// Time average of the coefficient of variation of Lᵢ across nodes.
    pub load_imbalance: f64,
    /// Completed workflows per second of window.
    pub throughput: f64,
    /// Completed after their deadline / completed.
    pub deadline_miss_rate: f64,
    /// Events processed.
    pub events: u64,
    /// Wall-clock seconds the run took (not part of `summary.csv`, which must be
    /// reproducible byte for byte).
    pub wall_seconds: f64,
    /// Seconds of the measurement window (end − warmup).
    pub window: f64,
    /// Simulated time at which the run ended.
    pub end_time: f64,
    /// Whether the run ended without hitting the in-flight limit.
    pub stable: bool,
    /// Why the run ended.
    pub stop_reason: StopReason,
    /// Rejections by reason.
    pub rejected_by: RejectedBy,
    /// Attempts of workflow steps started (first tries, retries and restarts after a node
    /// failure; compensations not included).
    pub attempts: u64,
    /// Failed attempts that were retried.
    pub retries: u64,
    /// Attempts that failed.
    pub task_failures: u64,
    /// Running tasks lost to node failures (rescheduled).
    pub tasks_lost: u64,
    /// Running tasks cancelled by an abort (`cancel = "immediate"`).
    pub tasks_cancelled: u64,
    /// CPU-seconds (cores × seconds) held by attempts that did not complete: failed, lost or
    /// cancelled.
    pub wasted_cpu_seconds: f64,
    /// Workflows aborted, each starting a saga rollback.
    pub rollbacks: u64,
    /// Of those, aborted because a step exhausted its retries.
    pub aborted_retries: u64,
    /// Of those, aborted at their deadline (`on_deadline = "abort"`).
    pub aborted_deadline: u64,
    /// Compensation steps run to the end.
    pub compensations: u64,
    /// CPU-seconds spent compensating.
    pub compensation_cpu_seconds: f64,
    /// Mean time from abort to the end of the last compensation, seconds.
    pub rollback_latency_mean: f64,
    /// 99th percentile of that time.
    pub rollback_latency_p99: f64,
    /// Node failures and outages that began in the window.
    pub node_failures: u64,
    /// Mean over nodes of the fraction of the window each was up.
    pub availability: f64,
    /// Queued tasks the monitor moved to another node.
    pub migrations: u64,
    /// Queued tasks stolen by idle nodes.
    pub steals: u64,
    /// Mean bounded slowdown of completed workflows: max(1, latency / max(T, 10 s)), where T
    /// is the workflow's critical path of task run times (for a one-task job, its run time:
    /// (wait + run) / max(run, 10 s)). The HPC measure of how much waiting hurt, without
    /// letting jobs of a few seconds dominate.
    pub bounded_slowdown: f64,
    /// Tasks stopped at their work estimate (`kill_on_estimate = true`).
    pub tasks_killed: u64,
    /// Mean wait the real scheduler achieved for the replayed jobs that were measured and
    /// admitted here (SWF logs record it), beside which to read `wait_mean`; NaN when the
    /// trace records none.
    pub recorded_wait_mean: f64,
    /// Per workflow class.
    pub classes: Vec<ClassSummary>,
    /// Per node.
    pub nodes: Vec<NodeSummary>,
}

impl Summary {
    /// Names of the scalar metrics, in the column order of every CSV file
    /// (`summary.csv`, `runs.csv`, `aggregate.csv`). New metrics are appended, so existing
    /// columns keep their positions.
    pub const METRICS: [&'static str; 52] = [
        "arrived",
        "completed",
        "rejected",
        "failed",
        "in_flight",
        "rejection_rate",
        "latency_mean",
        "latency_p50",
        "latency_p95",
        "latency_p99",
        "latency_max",
        "wait_mean",
        "wait_p50",
        "wait_p95",
        "wait_p99",
        "wait_max",
        "wait_probability",
        "queue_mean",
        "queue_max",
        "avg_weighted_load",
        "utilization",
        "memory_utilization",
        "load_imbalance",
        "throughput",
        "deadline_miss_rate",
        "events",
        "rejected_admission",
        "rejected_queue_full",
        "rejected_unschedulable",
        "window",
        "end_time",
        "stable",
        "attempts",
        "retries",
        "task_failures",
        "tasks_lost",
        "tasks_cancelled",
        "wasted_cpu_seconds",
        "rollbacks",
        "aborted_retries",
        "aborted_deadline",
        "compensations",
        "compensation_cpu_seconds",
        "rollback_latency_mean",
        "rollback_latency_p99",
        "node_failures",
        "availability",
        "migrations",
        "steals",
        "bounded_slowdown",
        "tasks_killed",
        "recorded_wait_mean",
    ];

    /// The scalar metrics as numbers, in [`Summary::METRICS`] order (counts are exact in
    /// f64; `stable` is 1 or 0). Wall-clock time is not among them, so files built from them
    /// are reproducible byte for byte.
    pub fn metrics(&self) -> [f64; 52] {
        let r = &self.rejected_by;
        [
            self.arrived as f64,
            self.completed as f64,
            self.rejected as f64,
            self.failed as f64,
            self.in_flight as f64,
            self.rejection_rate,
            self.latency_mean,
            self.latency_p50,
            self.latency_p95,
            self.latency_p99,
            self.latency_max,
            self.wait_mean,
            self.wait_p50,
            self.wait_p95,
            self.wait_p99,
            self.wait_max,
            self.wait_probability,
            self.queue_mean,
            self.queue_max as f64,
            self.avg_weighted_load,
            self.utilization,
            self.memory_utilization,
            self.load_imbalance,
            self.throughput,
            self.deadline_miss_rate,
            self.events as f64,
            r.admission as f64,
            r.queue_full as f64,
            r.unschedulable as f64,
            self.window,
            self.end_time,
            self.stable as u8 as f64,
            self.attempts as f64,
            self.retries as f64,
            self.task_failures as f64,
            self.tasks_lost as f64,
            self.tasks_cancelled as f64,
            self.wasted_cpu_seconds,
            self.rollbacks as f64,
            self.aborted_retries as f64,
            self.aborted_deadline as f64,
            self.compensations as f64,
            self.compensation_cpu_seconds,
            self.rollback_latency_mean,
            self.rollback_latency_p99,
            self.node_failures as f64,
            self.availability,
            self.migrations as f64,
            self.steals as f64,
            self.bounded_slowdown,
            self.tasks_killed as f64,
            self.recorded_wait_mean,
        ]
    }
}
