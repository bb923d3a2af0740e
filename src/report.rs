//! Output files: pure serializers from results to bytes, an atomic file writer, and the
//! pictures and reports drawn from a result folder.
//!
//! - [`charts`]: plain functions from result data to a picture (SVG or PNG) and its CSV;
//! - [`results`]: reading a result folder back (what `plot` and `report` start from);
//! - [`figures`]: which charts a folder gets, and writing them to `plots/`;
//! - [`html`]: the self-contained `report.html` and the Markdown `report.md`.

pub mod charts;
pub mod figures;
pub mod html;
pub mod results;

use std::path::Path;

use serde::Serialize;

use crate::metrics::{
    reason_name, ClassSummary, NodeSummary, Outage, Summary, TimeSeries, TimelineData,
    WorkflowRecord,
};
use crate::sim::TaskKind;

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

/// Formats a metric for CSV: the shortest text that reads back as the same f64 (integers
/// without a decimal point, `NaN` for undefined ratios), so files are stable byte for byte.
pub fn number(x: f64) -> String {
    format!("{x}")
}

/// `summary.csv`: one row for a run of `policy` with `seed`: `policy, seed`, then every
/// metric of [`Summary::METRICS`].
///
/// # Errors
/// [`ReportError::Serialize`] (not expected).
pub fn summary_csv(s: &Summary, policy: &str, seed: u64) -> Result<Vec<u8>, ReportError> {
    let header = ["policy", "seed"].into_iter().chain(Summary::METRICS);
    let row = [policy.to_string(), seed.to_string()]
        .into_iter()
        .chain(s.metrics().into_iter().map(number));
    let err = |e: &dyn std::fmt::Display| ReportError::Serialize {
        what: "summary.csv",
        message: e.to_string(),
    };
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(header).map_err(|e| err(&e))?;
    w.write_record(row).map_err(|e| err(&e))?;
    w.into_inner().map_err(|e| err(&e))
}

/// `nodes.csv`: per-node time-averaged load and utilization.
///
/// # Errors
/// [`ReportError::Serialize`].
pub fn nodes_csv(nodes: &[NodeSummary]) -> Result<Vec<u8>, ReportError> {
    csv_bytes("nodes.csv", nodes)
}

/// `classes.csv`: the figures of each workflow class, one row per class.
///
/// # Errors
/// [`ReportError::Serialize`].
pub fn classes_csv(classes: &[ClassSummary]) -> Result<Vec<u8>, ReportError> {
    csv_bytes("classes.csv", classes)
}

/// `workflows.csv`: one row per measured workflow.
///
/// # Errors
/// [`ReportError::Serialize`].
pub fn workflows_csv(records: &[WorkflowRecord]) -> Result<Vec<u8>, ReportError> {
    csv_bytes("workflows.csv", records)
}

/// A CSV file from a header and rows of text: the header is written even with no row, so
/// that an empty file (no outage, no rejection) still says what it would hold.
fn csv_table<'a>(
    what: &'static str,
    header: impl IntoIterator<Item = &'a str>,
    rows: impl IntoIterator<Item = Vec<String>>,
) -> Result<Vec<u8>, ReportError> {
    let err = |e: &dyn std::fmt::Display| ReportError::Serialize { what, message: e.to_string() };
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(header).map_err(|e| err(&e))?;
    for row in rows {
        w.write_record(row).map_err(|e| err(&e))?;
    }
    w.into_inner().map_err(|e| err(&e))
}

/// `timeseries.csv`: one row per sample: `time` (s), one column per node named after it
/// (its load Lᵢ), `weighted_load` (Σ wᵢ·Lᵢ / N), then `migrations` and `steals` (tasks moved
/// in the interval ending at that sample). See [`TimeSeries`].
///
/// # Errors
/// [`ReportError::Serialize`] (not expected).
pub fn timeseries_csv(ts: &TimeSeries) -> Result<Vec<u8>, ReportError> {
    let header = std::iter::once("time").chain(ts.nodes.iter().map(String::as_str)).chain([
        "weighted_load",
        "migrations",
        "steals",
    ]);
    let rows = (0..ts.len()).map(|k| {
        std::iter::once(number(ts.times[k]))
            .chain(ts.loads_at(k).iter().map(|&l| number(l)))
            .chain([number(ts.weighted[k]), ts.migrations[k].to_string(), ts.steals[k].to_string()])
            .collect()
    });
    csv_table("timeseries.csv", header, rows)
}

/// `outages.csv`: one row per interval a node was down: `node` (its name), `start`, `end`
/// (s; the end of the run when it was still down), in the order they began.
///
/// # Errors
/// [`ReportError::Serialize`] (not expected).
pub fn outages_csv(outages: &[Outage], nodes: &[String]) -> Result<Vec<u8>, ReportError> {
    let name = |i: usize| nodes.get(i).map_or("?", String::as_str).to_string();
    let rows = outages.iter().map(|o| vec![name(o.node), number(o.start), number(o.end)]);
    csv_table("outages.csv", ["node", "start", "end"], rows)
}

/// `tasks.csv`: one row per task attempt, in the order they started: `workflow` (arrival
/// number), `class`, `task` (name), `attempt` (from 1), `kind` (`step` or `compensation`),
/// `node`, `start`, `end` (s), `outcome` (`completed`, `failed`, `lost`, `cancelled`, or
/// `running` when the run ended first).
///
/// # Errors
/// [`ReportError::Serialize`] (not expected).
pub fn tasks_csv(t: &TimelineData) -> Result<Vec<u8>, ReportError> {
    let name = |names: &[String], i: usize| names.get(i).map_or("?", String::as_str).to_string();
    let rows = t.attempts.iter().map(|a| {
        let kind = match a.kind {
            TaskKind::Step => "step",
            TaskKind::Compensation => "compensation",
        };
        vec![
            a.workflow.to_string(),
            name(&t.classes, a.class),
            t.task_name(a).to_string(),
            a.attempt.to_string(),
            kind.to_string(),
            name(&t.nodes, a.node),
            number(a.start),
            number(a.end),
            a.outcome.name().to_string(),
        ]
    });
    let header =
        ["workflow", "class", "task", "attempt", "kind", "node", "start", "end", "outcome"];
    csv_table("tasks.csv", header, rows)
}

/// `rejected.csv`: one row per workflow rejected on arrival: `time` (s), `workflow`,
/// `class`, `reason` (`admission` or `queue_full`).
///
/// # Errors
/// [`ReportError::Serialize`] (not expected).
pub fn rejected_csv(t: &TimelineData) -> Result<Vec<u8>, ReportError> {
    let rows = t.rejected.iter().map(|r| {
        vec![
            number(r.time),
            r.workflow.to_string(),
            t.classes.get(r.class).map_or("?", String::as_str).to_string(),
            reason_name(r.reason).to_string(),
        ]
    });
    csv_table("rejected.csv", ["time", "workflow", "class", "reason"], rows)
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
    // A temporary file is private (0600); results are for sharing, like any new file.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::Permissions::from_mode(0o644);
        tmp.as_file().set_permissions(mode).map_err(err)?;
    }
    tmp.as_file().sync_all().map_err(err)?;
    tmp.persist(path).map_err(|e| err(e.error))?;
    Ok(())
}
