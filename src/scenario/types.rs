//! The scenario file's serde types. Field docs are the key reference (the README repeats them).

use std::collections::BTreeMap;
use std::fmt;
use std::path::PathBuf;

use serde::de::{self, MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::Bytes;
use crate::workload::feed::Scan;
use crate::workload::trace::{CsvColumns, Format, ImportOptions, NodeColumns};

/// A whole scenario: the cluster, the workflows that arrive, and the policies.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// Short identifier, used to name result folders.
    pub name: String,
    /// What the scenario shows, for people.
    #[serde(default)]
    pub description: String,
    /// Simulated seconds during which workflows arrive. With a `[trace]` it may be left out:
    /// the trace's last arrival (after window and scaling) plus one second.
    #[serde(default = "unset", skip_serializing_if = "is_unset")]
    pub duration: f64,
    /// Workflows arriving before this time are simulated but not measured.
    #[serde(default)]
    pub warmup: f64,
    /// Base seed of the run; replication k of an experiment uses `seed + k`.
    #[serde(default = "default_seed")]
    pub seed: u64,
    /// After `duration`, keep simulating until the work in flight is finished.
    #[serde(default = "yes")]
    pub drain: bool,
    /// Default number of replications for experiments.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replications: Option<u32>,
    /// Safety limits.
    #[serde(default)]
    pub limits: Limits,
    /// The nodes and how work is dispatched to them.
    pub cluster: ClusterSpec,
    /// The policy used by `run` unless `--policy` names another.
    #[serde(default)]
    pub policy: PolicySet,
    /// Named alternative policies (for `--policy NAME` and comparisons). Keys they omit are
    /// taken from `[policy]`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub policies: Vec<NamedPolicySet>,
    /// The workflow classes (none needed when a `[trace]` brings the work).
    #[serde(default)]
    pub workflows: Vec<WorkflowSpec>,
    /// A recorded workload replayed as one more workflow class.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trace: Option<TraceSpec>,
    /// A task that runs past its stated work estimate (`work_estimate`, or a trace's requested
    /// time) is stopped there, as a batch scheduler kills a job at its requested time; by
    /// default it keeps running. Tasks without a stated estimate are never stopped.
    #[serde(default, skip_serializing_if = "is_default")]
    pub kill_on_estimate: bool,
    /// The load monitor (per-node mode): migration off overloaded nodes and work stealing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub monitor: Option<MonitorSpec>,
    /// Seconds between two samples of every node's load Lᵢ(t) and of the average weighted
    /// load, for the load-over-time chart (`timeseries.csv`); no sampling when absent, so
    /// runs that do not draw it pay nothing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sample_interval: Option<f64>,
    /// Folder of the scenario file, for resolving relative paths (replay files).
    #[serde(skip)]
    pub base_dir: PathBuf,
}

/// `duration` when the file leaves it out (NaN, filled in from a trace or reported missing).
fn unset() -> f64 {
    f64::NAN
}

fn is_unset(duration: &f64) -> bool {
    duration.is_nan()
}

fn default_seed() -> u64 {
    1
}

fn yes() -> bool {
    true
}

/// Limits that keep an unstable run from exhausting memory or time.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Limits {
    /// Workflows admitted but not finished at once; above it the run stops and reports itself
    /// unstable (arrivals exceed what the cluster can serve).
    #[serde(default = "default_max_in_flight")]
    pub max_in_flight: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits { max_in_flight: default_max_in_flight() }
    }
}

fn default_max_in_flight() -> u64 {
    100_000
}

/// How ready tasks reach nodes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Mode {
    /// One cluster queue; tasks are placed when they fit (Kubernetes-like).
    #[default]
    Central,
    /// Tasks are sent to a node's own queue as soon as they are ready (load-balancer-like).
    PerNode,
}

impl fmt::Display for Mode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Mode::Central => "central",
            Mode::PerNode => "per-node",
        })
    }
}

/// The cluster: its nodes and its dispatch mode.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ClusterSpec {
    /// `central` or `per-node`.
    #[serde(default)]
    pub mode: Mode,
    /// May later tasks in a queue start while the head waits for room?
    #[serde(default = "yes")]
    pub backfill: bool,
    /// Node kinds.
    #[serde(default)]
    pub nodes: Vec<NodeSpec>,
    /// More nodes read from a CSV file (one row per node or node kind).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nodes_csv: Option<NodesCsvSpec>,
}

/// Nodes read from a CSV file through a column mapping (`[cluster.nodes_csv]`).
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct NodesCsvSpec {
    /// The file, relative to the scenario file.
    pub path: PathBuf,
    /// Which columns hold what.
    pub columns: NodeColumns,
}

/// A recorded workload to replay (`[trace]`): every job of the file becomes one workflow of
/// the class named `class`, with the job's own DAG, sizes and recorded run times.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct TraceSpec {
    /// `swf`, `alibaba-2018`, `wfcommons`, `csv` (with `columns`) or `schedsim` (what
    /// `schedsim import` writes).
    pub format: Format,
    /// The file, relative to the scenario file.
    pub path: PathBuf,
    /// Name of the workflow class the jobs belong to in the results.
    #[serde(default = "trace_class")]
    pub class: String,
    /// Only jobs arriving in `[start, end)` (trace seconds) are replayed; time 0 of the run is
    /// `start`. Without a window the run starts at the first job's arrival.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub window: Option<Window>,
    /// Simulated seconds per trace second, for arrivals, run times and estimates alike
    /// (0.001 for a trace in milliseconds; 0.5 replays the trace twice as fast).
    #[serde(default = "one_f")]
    pub time_scale: f64,
    /// Load multiplier on arrivals: below 1 each job is kept with this probability (thinning,
    /// a fresh draw per replication); above 1 the gaps between arrivals shrink by this factor
    /// ("what if 30 % more load": 1.3). Run times are unchanged.
    #[serde(default = "one_f")]
    pub load_scale: f64,
    /// Memory of one machine (`alibaba-2018`: `plan_mem` is a percentage of it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub node_memory: Option<Bytes>,
    /// Column mapping (`csv` format).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub columns: Option<CsvColumns>,
    /// How instances of the workflow arrive (`wfcommons` only; once at time 0 by default).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub arrival: Option<ArrivalSpec>,
    /// Define the cluster from the SWF header instead of `[[cluster.nodes]]`: `one-node` (one
    /// node with `MaxProcs` cores) or `nodes` (`MaxNodes` nodes sharing `MaxProcs`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cluster: Option<HeaderCluster>,
    /// Pool the trace's tasks run in (any node when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pool: Option<String>,
    /// Priority of the class (jobs with a priority column use their own).
    #[serde(default)]
    pub priority: f64,
    /// What the pass over the file at load found.
    #[serde(skip)]
    pub scan: Option<Scan>,
}

impl TraceSpec {
    /// The reader options this table sets.
    pub fn import_options(&self) -> ImportOptions {
        ImportOptions {
            node_memory: self.node_memory.map(|b| b.0 as f64),
            columns: self.columns.clone(),
        }
    }
}

fn trace_class() -> String {
    "trace".into()
}

/// The part of a trace to replay, in trace seconds.
#[derive(Clone, Copy, Debug, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Window {
    /// First arrival time kept.
    pub start: f64,
    /// Arrivals at or after this are left out.
    pub end: f64,
}

/// A cluster defined by an SWF log's header.
#[derive(Clone, Copy, Debug, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum HeaderCluster {
    /// One node with `MaxProcs` cores.
    OneNode,
    /// `MaxNodes` nodes with `MaxProcs / MaxNodes` cores each.
    Nodes,
}

/// A kind of node, possibly repeated `count` times.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct NodeSpec {
    /// Node name; with `count > 1` the nodes are `name-0`, `name-1`, ...
    pub name: String,
    /// How many nodes of this kind.
    #[serde(default = "one")]
    pub count: u32,
    /// CPU cores (fractional allowed: 0.5 = 500m).
    pub cpu: f64,
    /// Memory, e.g. `"8GiB"`.
    pub memory: Bytes,
    /// Work per second per core (default 1).
    #[serde(default = "one_f")]
    pub speed: f64,
    /// Pool label: tasks pinned to a pool run only on its nodes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pool: Option<String>,
    /// Weight in the average weighted load; default cpu × speed / cluster mean.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weight: Option<f64>,
    /// Free-form labels (reported, not interpreted).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub labels: BTreeMap<String, String>,
    /// Random failures of each node of this kind: exponential up and down times.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub failures: Option<NodeFailureSpec>,
    /// Scheduled outages (maintenance) of nodes of this kind.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub outages: Vec<OutageSpec>,
}

/// Random node failures: each node of the kind stays up for an exponential time with mean
/// `mtbf`, then down for an exponential time with mean `mttr`, and so on.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct NodeFailureSpec {
    /// Mean time between failures (seconds up).
    pub mtbf: f64,
    /// Mean time to repair (seconds down).
    pub mttr: f64,
}

/// One scheduled outage.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct OutageSpec {
    /// The node that goes down (`payment-1`); every node of the kind when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub node: Option<String>,
    /// When it goes down, simulated seconds.
    pub at: f64,
    /// How long it stays down, seconds.
    pub duration: f64,
}

/// The load monitor of per-node mode.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct MonitorSpec {
    /// Seconds between two looks at the node loads.
    #[serde(default = "one_f")]
    pub interval: f64,
    /// Load Lᵢ above which a node's queued tasks are moved elsewhere; no migration when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub overload: Option<f64>,
    /// Placement policy that picks where a migrated task goes.
    #[serde(default = "default_placement")]
    pub target: PolicySpec,
    /// A node with nothing running and nothing queued takes the oldest queued task it can run
    /// from the most loaded node.
    #[serde(default)]
    pub work_stealing: bool,
}

fn one() -> u32 {
    1
}

fn one_f() -> f64 {
    1.0
}

/// The three policy choices of a run.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct PolicySet {
    /// Queue discipline, e.g. `"fcfs"` or `{ kind = "sjf", true_work = true }`.
    #[serde(default = "default_queue")]
    pub queue: PolicySpec,
    /// Placement policy, e.g. `"least-loaded"`.
    #[serde(default = "default_placement")]
    pub placement: PolicySpec,
    /// Admission control, e.g. `{ kind = "load-threshold", limit = 0.9 }`.
    #[serde(default = "default_admission")]
    pub admission: PolicySpec,
}

impl Default for PolicySet {
    fn default() -> Self {
        PolicySet {
            queue: default_queue(),
            placement: default_placement(),
            admission: default_admission(),
        }
    }
}

fn default_queue() -> PolicySpec {
    PolicySpec::named("fcfs")
}

fn default_placement() -> PolicySpec {
    // Works in both dispatch modes (fit-based policies are central-only).
    PolicySpec::named("least-loaded")
}

fn default_admission() -> PolicySpec {
    PolicySpec::named("always")
}

impl fmt::Display for PolicySet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "queue={} placement={} admission={}", self.queue, self.placement, self.admission)
    }
}

/// A named alternative to `[policy]`; omitted keys are inherited from it.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct NamedPolicySet {
    /// Name used by `--policy NAME`.
    pub name: String,
    /// Queue discipline (default: `[policy].queue`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub queue: Option<PolicySpec>,
    /// Placement (default: `[policy].placement`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub placement: Option<PolicySpec>,
    /// Admission (default: `[policy].admission`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub admission: Option<PolicySpec>,
}

/// A policy by registry name, with parameters. Written as `"name"` or
/// `{ kind = "name", param = value, ... }`.
#[derive(Clone, Debug, PartialEq)]
pub struct PolicySpec {
    /// Registry name, e.g. `least-loaded`.
    pub kind: String,
    /// Parameters other than `kind`.
    pub params: toml::Table,
}

impl PolicySpec {
    /// A policy with no parameters.
    pub fn named(kind: &str) -> Self {
        PolicySpec { kind: kind.to_string(), params: toml::Table::new() }
    }
}

impl fmt::Display for PolicySpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.kind)?;
        if !self.params.is_empty() {
            let inner: Vec<String> =
                self.params.iter().map(|(k, v)| format!("{k}={}", v)).collect();
            write!(f, "({})", inner.join(","))?;
        }
        Ok(())
    }
}

impl Serialize for PolicySpec {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if self.params.is_empty() {
            s.serialize_str(&self.kind)
        } else {
            let mut table = self.params.clone();
            table.insert("kind".into(), toml::Value::String(self.kind.clone()));
            table.serialize(s)
        }
    }
}

impl<'de> Deserialize<'de> for PolicySpec {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = PolicySpec;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a policy name like \"fcfs\" or a table like { kind = \"sjf\", ... }")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<PolicySpec, E> {
                Ok(PolicySpec::named(v))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<PolicySpec, A::Error> {
                let mut params =
                    toml::Table::deserialize(de::value::MapAccessDeserializer::new(map))?;
                match params.remove("kind") {
                    Some(toml::Value::String(kind)) => Ok(PolicySpec { kind, params }),
                    Some(other) => Err(de::Error::custom(format!(
                        "`kind` must be a policy name string, got {}",
                        other.type_str()
                    ))),
                    None => Err(de::Error::missing_field("kind")),
                }
            }
        }
        d.deserialize_any(V)
    }
}

/// A workflow class: a DAG of tasks and its arrival process.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct WorkflowSpec {
    /// Class name.
    pub name: String,
    /// Priority class (higher is more important), used by `priority` and `weighted-priority`.
    #[serde(default)]
    pub priority: f64,
    /// Deadline in seconds after arrival; finishing later counts as a miss.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deadline: Option<f64>,
    /// What passing the deadline does: `continue` (only counts a miss) or `abort` (roll the
    /// workflow back).
    #[serde(default, skip_serializing_if = "is_default")]
    pub on_deadline: OnDeadline,
    /// What an abort does to the workflow's running tasks: `immediate` cancels them, `drain`
    /// lets them finish (and compensates them too) before the rollback starts.
    #[serde(default, skip_serializing_if = "is_default")]
    pub cancel: Cancel,
    /// When instances of this class arrive.
    pub arrival: ArrivalSpec,
    /// The tasks; `after` lists form the DAG.
    pub tasks: Vec<TaskSpec>,
}

fn is_default<T: Default + PartialEq>(x: &T) -> bool {
    *x == T::default()
}

/// What passing a workflow's deadline does.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum OnDeadline {
    /// Keep going; a late completion counts as a deadline miss.
    #[default]
    Continue,
    /// Abort the workflow and roll it back.
    Abort,
}

/// What an abort does to running tasks.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Cancel {
    /// Stop them at once; their work is wasted.
    #[default]
    Immediate,
    /// Let them finish; the rollback starts when the last one ends.
    Drain,
}

/// One task of a workflow: a call to a service.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct TaskSpec {
    /// Name, unique within the workflow.
    pub name: String,
    /// Cores held while running.
    pub cpu: f64,
    /// Memory held while running.
    #[serde(default)]
    pub memory: Bytes,
    /// Work in seconds at speed 1; duration = work / node speed, whatever `cpu` it holds.
    pub work: DistSpec,
    /// What the user says the work will be (seconds at speed 1), drawn independently of the
    /// true work; SJF and backfilling rank and reserve by it. Default: the mean of `work`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub work_estimate: Option<DistSpec>,
    /// Pool the task must run in (any node when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pool: Option<String>,
    /// Tasks that must finish before this one is ready.
    #[serde(default)]
    pub after: Vec<String>,
    /// Probability that this step runs at all (a conditional branch); a skipped step counts
    /// as done at once, so its successors are not held up.
    #[serde(default = "one_f")]
    pub probability: f64,
    /// How an attempt of this task can fail.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub failure: Option<FailureSpec>,
    /// Attempts after a failed one before the workflow aborts (0 = abort on the first
    /// failure).
    #[serde(default, skip_serializing_if = "is_default")]
    pub retries: i64,
    /// Delay between a failed attempt and its retry (none when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub backoff: Option<BackoffSpec>,
    /// The step that undoes this one when its workflow is rolled back (saga compensation).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub compensate: Option<CompensateSpec>,
}

/// Failure of a task's attempts.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct FailureSpec {
    /// Probability that an attempt fails, independently of the others.
    pub probability: f64,
    /// Where in its duration a failing attempt stops: `uniform` (a uniformly random point)
    /// or `end`.
    #[serde(default, skip_serializing_if = "is_default")]
    pub at: FailurePoint,
}

/// Where a failing attempt stops.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum FailurePoint {
    /// At a uniformly random point of its duration.
    #[default]
    Uniform,
    /// At the end of its duration (the work is done, the answer is an error).
    End,
}

/// Delay before retry k (k = 1 for the first retry).
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[serde(tag = "kind", rename_all = "kebab-case", deny_unknown_fields)]
pub enum BackoffSpec {
    /// The same delay before every retry.
    Constant {
        /// Seconds.
        delay: f64,
    },
    /// min(max, initial × factor^(k−1)).
    Exponential {
        /// Delay before the first retry, seconds.
        initial: f64,
        /// Growth per retry (default 2).
        #[serde(default = "two")]
        factor: f64,
        /// Longest delay, seconds (default: no limit, in practice 10⁹ s).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        max: Option<f64>,
    },
}

fn two() -> f64 {
    2.0
}

/// A compensation step: scheduled like any task when its workflow rolls back.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct CompensateSpec {
    /// Name, e.g. `release_inventory`.
    pub name: String,
    /// Cores held while running.
    pub cpu: f64,
    /// Memory held while running.
    #[serde(default)]
    pub memory: Bytes,
    /// Work in seconds at speed 1.
    pub work: DistSpec,
    /// Pool it runs in (default: the pool of the task it compensates).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pool: Option<String>,
}

/// An arrival process.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[serde(tag = "kind", rename_all = "kebab-case", deny_unknown_fields)]
pub enum ArrivalSpec {
    /// Poisson process: exponential gaps with mean 1/rate.
    Poisson {
        /// Arrivals per second.
        rate: f64,
    },
    /// One arrival every `interval` seconds, the first at `interval` (plus `offset`).
    Periodic {
        /// Seconds between arrivals.
        interval: f64,
        /// Shift of the whole sequence, seconds.
        #[serde(default)]
        offset: f64,
    },
    /// Markov-modulated on/off Poisson process (starts in the on state).
    Bursty {
        /// Arrivals per second while on.
        rate_on: f64,
        /// Arrivals per second while off.
        rate_off: f64,
        /// Mean seconds in the on state (exponential).
        mean_on: f64,
        /// Mean seconds in the off state (exponential).
        mean_off: f64,
    },
    /// Piecewise-constant rate: `rates = [[t0, r0], [t1, r1], ...]` means rate r0 from t0 until
    /// t1, and so on; with `period` the pattern repeats.
    Varying {
        /// `[start time, rate]` pairs, start times increasing from 0.
        rates: Vec<(f64, f64)>,
        /// Repeat the pattern every `period` seconds.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        period: Option<f64>,
    },
    /// Sinusoidal rate: mean_rate × (1 + amplitude × sin(2πt / period)).
    Diurnal {
        /// Average arrivals per second.
        mean_rate: f64,
        /// Relative swing, between 0 and 1.
        amplitude: f64,
        /// Seconds per cycle (86400 for a day).
        period: f64,
    },
    /// Arrival times read from a CSV file (a `time` column, or the first column).
    Replay {
        /// Path, relative to the scenario file.
        path: PathBuf,
        /// The times, read from `path` when the scenario is validated.
        #[serde(skip)]
        times: ReplayTimes,
    },
}

/// Arrival times read from a replay file, shared by every run of the scenario.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ReplayTimes(pub std::sync::Arc<[f64]>);

/// A distribution of work (seconds at speed 1) or of sizes.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[serde(tag = "kind", rename_all = "kebab-case", deny_unknown_fields)]
pub enum DistSpec {
    /// Always `value`.
    Constant {
        /// The value.
        value: f64,
    },
    /// Exponential with this mean.
    Exponential {
        /// Mean.
        mean: f64,
    },
    /// Uniform on [min, max].
    Uniform {
        /// Lower bound.
        min: f64,
        /// Upper bound.
        max: f64,
    },
    /// Normal, truncated at 0 (negative draws are redrawn).
    Normal {
        /// Mean before truncation.
        mean: f64,
        /// Standard deviation before truncation.
        std: f64,
    },
    /// Lognormal given by its mean and coefficient of variation.
    Lognormal {
        /// Mean.
        mean: f64,
        /// Coefficient of variation (std / mean).
        cv: f64,
    },
    /// Gamma given by its mean and coefficient of variation (shape = 1/cv²).
    Gamma {
        /// Mean.
        mean: f64,
        /// Coefficient of variation.
        cv: f64,
    },
    /// Weibull with shape k and scale λ.
    Weibull {
        /// Shape k.
        shape: f64,
        /// Scale λ.
        scale: f64,
    },
    /// Pareto (type I) with minimum `scale` and tail index `shape`.
    Pareto {
        /// Minimum value x_m.
        scale: f64,
        /// Tail index α (mean is finite only for α > 1).
        shape: f64,
    },
    /// One of `values`, each equally likely.
    Empirical {
        /// The observed values.
        values: Vec<f64>,
    },
}

impl Scenario {
    /// The policy set called `name`: `"default"` is `[policy]`, otherwise a `[[policies]]`
    /// entry with omitted keys inherited from `[policy]`.
    pub fn policy_named(&self, name: &str) -> Option<PolicySet> {
        if name == "default" {
            return Some(self.policy.clone());
        }
        let named = self.policies.iter().find(|p| p.name == name)?;
        Some(PolicySet {
            queue: named.queue.clone().unwrap_or_else(|| self.policy.queue.clone()),
            placement: named.placement.clone().unwrap_or_else(|| self.policy.placement.clone()),
            admission: named.admission.clone().unwrap_or_else(|| self.policy.admission.clone()),
        })
    }

    /// Total number of nodes.
    pub fn node_count(&self) -> u64 {
        self.cluster.nodes.iter().map(|n| n.count as u64).sum()
    }
}
