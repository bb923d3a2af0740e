//! Output files: pure serializers from results to bytes, and an atomic file writer.

use std::path::Path;

use serde::Serialize;

use crate::metrics::{NodeSummary, Summary, WorkflowRecord};

/// One `summary.csv` row: the run's scalar figures, flat, in a stable column order. Wall-clock
/// time is left out so that the same scenario and seed give byte-identical files.
#[derive(Serialize)]
struct SummaryRow<'a> {
    policy: &'a str,
    seed: u64,
    arrived: u64,
    completed: u64,
    rejected: u64,
    failed: u64,
    in_flight: u64,
    rejection_rate: f64,
    latency_mean: f64,
    latency_p50: f64,
    latency_p95: f64,
    latency_p99: f64,
    latency_max: f64,
    wait_mean: f64,
    wait_p50: f64,
    wait_p95: f64,
    wait_p99: f64,
    wait_max: f64,
    wait_probability: f64,
    queue_mean: f64,
    queue_max: u64,
    avg_weighted_load: f64,
    utilization: f64,
    memory_utilization: f64,
    load_imbalance: f64,
    throughput: f64,
    deadline_miss_rate: f64,
    events: u64,
    rejected_admission: u64,
    rejected_queue_full: u64,
    rejected_unschedulable: u64,
    window: f64,
    end_time: f64,
    stable: bool,
}

/// Why an output could not be produced.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    /// Serialization failed.
    #[error("cannot serialize {what}: {message}")]
    Serialize {
        /// Which output.
        what: &'static str,
        /// The reason.
        message: String,
    },
    /// Writing the file failed.
    #[error("cannot write {}", path.display())]
    Write {
        /// The file.
        path: std::path::PathBuf,
        /// The reason.
        source: std::io::Error,
    },
}

fn csv_bytes<T: Serialize>(
    what: &'static str,
    rows: impl IntoIterator<Item = T>,
) -> Result<Vec<u8>, ReportError> {
    let err = |e: &dyn std::fmt::Display| ReportError::Serialize { what, message: e.to_string() };
    let mut w = csv::Writer::from_writer(Vec::new());
    for row in rows {
        w.serialize(row).map_err(|e| err(&e))?;
    }
    w.into_inner().map_err(|e| err(&e))
}

/// `summary.csv`: one row for a run of `policy` with `seed`.
///
/// # Errors
/// [`ReportError::Serialize`] (not expected for finite rows).
pub fn summary_csv(s: &Summary, policy: &str, seed: u64) -> Result<Vec<u8>, ReportError> {
    let row = SummaryRow {
        policy,
        seed,
        arrived: s.arrived,
        completed: s.completed,
        rejected: s.rejected,
        failed: s.failed,
        in_flight: s.in_flight,
        rejection_rate: s.rejection_rate,
        latency_mean: s.latency_mean,
        latency_p50: s.latency_p50,
        latency_p95: s.latency_p95,
        latency_p99: s.latency_p99,
        latency_max: s.latency_max,
        wait_mean: s.wait_mean,
        wait_p50: s.wait_p50,
        wait_p95: s.wait_p95,
        wait_p99: s.wait_p99,
        wait_max: s.wait_max,
        wait_probability: s.wait_probability,
        queue_mean: s.queue_mean,
        queue_max: s.queue_max,
        avg_weighted_load: s.avg_weighted_load,
        utilization: s.utilization,
        memory_utilization: s.memory_utilization,
        load_imbalance: s.load_imbalance,
        throughput: s.throughput,
        deadline_miss_rate: s.deadline_miss_rate,
        events: s.events,
        rejected_admission: s.rejected_by.admission,
        rejected_queue_full: s.rejected_by.queue_full,
        rejected_unschedulable: s.rejected_by.unschedulable,
        window: s.window,
        end_time: s.end_time,
        stable: s.stable,
    };
    csv_bytes("summary.csv", [row])
}

/// `nodes.csv`: per-node time-averaged load and utilization.
///
/// # Errors
/// [`ReportError::Serialize`].
pub fn nodes_csv(nodes: &[NodeSummary]) -> Result<Vec<u8>, ReportError> {
    csv_bytes("nodes.csv", nodes)
}

/// `workflows.csv`: one row per measured workflow.
///
/// # Errors
/// [`ReportError::Serialize`].
pub fn workflows_csv(records: &[WorkflowRecord]) -> Result<Vec<u8>, ReportError> {
    csv_bytes("workflows.csv", records)
}

/// The run summary as one JSON object (NaN becomes `null`).
///
/// # Errors
/// [`ReportError::Serialize`].
pub fn summary_json(s: &Summary) -> Result<Vec<u8>, ReportError> {
    serde_json::to_vec_pretty(s)
        .map_err(|e| ReportError::Serialize { what: "summary JSON", message: e.to_string() })
}

/// Writes `bytes` to `path` whole or not at all: a temporary file in the same folder, synced,
/// then renamed over the target.
///
/// # Errors
/// [`ReportError::Write`] naming the file.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), ReportError> {
    use std::io::Write;
    let err = |source| ReportError::Write { path: path.to_path_buf(), source };
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let mut tmp = tempfile::NamedTempFile::new_in(dir).map_err(err)?;
    tmp.write_all(bytes).map_err(err)?;
    tmp.as_file().sync_all().map_err(err)?;
    tmp.persist(path).map_err(|e| err(e.error))?;
    Ok(())
}
