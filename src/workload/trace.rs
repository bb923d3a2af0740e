//! Recorded workloads: reading job traces (SWF, Alibaba 2018 `batch_task`, WfCommons JSON,
//! a generic job/pod CSV with a column mapping, and schedsim's own trace CSV) as a stream of
//! [`TraceJob`]s in arrival order, and node CSVs that define a cluster.
//!
//! Every reader turns its format into the same small job type, so the simulator replays any
//! of them the same way. Readers stream: they hold one job at a time (Alibaba, whose rows are
//! not in arrival order, holds its compact row table instead, never its expanded instances).
//! What a reader had to repair is counted per rule in a [`RepairReport`], never dropped
//! silently.

pub mod alibaba;
pub mod csv_jobs;
pub mod native;
pub mod nodes;
pub mod swf;
pub mod wfcommons;

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// One task of a recorded job.
#[derive(Clone, Debug, PartialEq)]
pub struct TraceTask {
    /// Its name within the job (unique in the job).
    pub name: String,
    /// Tasks it runs after: indices into [`TraceJob::tasks`]; the DAG is acyclic.
    pub after: Vec<u32>,
    /// Identical instances that run in parallel (Alibaba's `instance_num`); 1 elsewhere. The
    /// task is done when all of them are.
    pub instances: u32,
    /// Cores each instance holds.
    pub cpu: f64,
    /// Bytes each instance holds.
    pub memory: f64,
    /// Recorded run time of each instance, in trace seconds (before `time_scale`).
    pub work: f64,
    /// The user's run-time estimate (SWF requested time), in trace seconds.
    pub estimate: Option<f64>,
}

/// One recorded job: a workflow instance with its own DAG.
#[derive(Clone, Debug, PartialEq)]
pub struct TraceJob {
    /// Job id as written in the trace.
    pub id: String,
    /// Arrival (submit) time in trace seconds.
    pub arrival: f64,
    /// Class column (CSV) or queue, used to group results; `None`: the trace's one class.
    pub class: Option<String>,
    /// Priority column, when mapped.
    pub priority: Option<f64>,
    /// The wait the real scheduler achieved (SWF field 3), for comparison with a replay.
    pub recorded_wait: Option<f64>,
    /// Its tasks.
    pub tasks: Vec<TraceTask>,
}

/// A trace file format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Format {
    /// Standard Workload Format (Parallel Workloads Archive), plain or `.gz`.
    Swf,
    /// Alibaba cluster-trace-v2018 `batch_task` CSV.
    #[serde(rename = "alibaba-2018")]
    Alibaba2018,
    /// WfCommons WfFormat JSON (1.4, 1.5): one workflow.
    Wfcommons,
    /// A job or pod CSV read through a column mapping ([`CsvColumns`]).
    Csv,
    /// schedsim's own trace CSV (what `schedsim import` writes).
    Schedsim,
}

/// Column mapping of a generic job/pod CSV (`[trace.columns]`). Each value names a column of
/// the file's header.
#[derive(Clone, Debug, Default, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct CsvColumns {}

/// Column mapping of a node CSV (`[cluster.nodes_csv]`).
#[derive(Clone, Debug, Default, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct NodeColumns {}

/// Format options a reader needs beyond the file.
#[derive(Clone, Debug, Default)]
pub struct ImportOptions {
    /// Bytes of one machine's memory: Alibaba's `plan_mem` is a percentage of it.
    pub node_memory: Option<f64>,
    /// The mapping of a generic CSV.
    pub columns: Option<CsvColumns>,
}

/// Counts of what a reader repaired or skipped, per documented rule.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RepairReport {
    /// Rule name → how many times it applied.
    pub counts: BTreeMap<&'static str, u64>,
}

/// A trace that cannot be read: the file, the line when there is one, and what is wrong.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TraceError {
    /// The file.
    pub path: PathBuf,
    /// 1-based line, when the problem is on one.
    pub line: Option<u64>,
    /// What is wrong and what would be right.
    pub message: String,
}

impl fmt::Display for TraceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(l) => write!(f, "{}:{l}: {}", self.path.display(), self.message),
            None => write!(f, "{}: {}", self.path.display(), self.message),
        }
    }
}

impl std::error::Error for TraceError {}

/// A stream of jobs in arrival order.
pub trait JobStream: Iterator<Item = Result<TraceJob, TraceError>> + Send {
    /// What was repaired or skipped so far (complete once the stream is exhausted).
    fn report(&self) -> &RepairReport;
}

/// Opens a trace for reading, jobs in arrival order.
///
/// # Errors
/// The file cannot be opened, is not in `format`, or the options it needs are missing.
pub fn open(
    format: Format,
    path: &Path,
    options: &ImportOptions,
) -> Result<Box<dyn JobStream>, TraceError> {
    let _ = (format, path, options);
    todo!("importers")
}
