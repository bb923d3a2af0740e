//! Experiment files: `runs.csv` (a journal while running, sorted at the end),
//! `aggregate.csv`, `paired.csv` and `manifest.json`.

use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use serde::{Deserialize, Serialize};

use super::{Aggregate, Paired, RunRow};
use crate::report::number;
use crate::Summary;

/// What the files need to name points and policies, stored in the manifest so that `merge`
/// and `--resume` can read runs without the scenario.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Layout {
    /// Varied paths, one column each.
    pub vary: Vec<String>,
    /// Each point's values.
    pub points: Vec<Vec<String>>,
    /// Policy names; the first is the baseline.
    pub policies: Vec<String>,
    /// Replications per (point, policy).
    pub replications: u64,
}

/// The reproducibility record of an experiment.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Manifest {
    /// schedsim version.
    pub schedsim_version: String,
    /// Command that produced the files.
    pub command_line: Vec<String>,
    /// Scenario file.
    pub scenario_path: PathBuf,
    /// SHA-256 of the resolved scenario.
    pub scenario_hash: String,
    /// The resolved scenario (after `--set`).
    pub scenario: serde_json::Value,
    /// Policy sets by name.
    pub policy_sets: Vec<(String, String)>,
    /// Points, policies, replications.
    pub layout: Layout,
    /// Seeds of replications 0, 1, ...
    pub seeds: Vec<u64>,
    /// Warmup used (after `--auto-warmup`, the estimated one).
    pub warmup: f64,
    /// `[I, N]` when only cells with index ≡ I (mod N) were run.
    pub shard: Option<[usize; 2]>,
    /// Cells in the whole grid.
    pub cells_total: usize,
    /// Rayon threads.
    pub threads: usize,
    /// Start time (RFC 3339).
    pub started: String,
    /// End time (RFC 3339), empty while running.
    pub finished: String,
    /// Notes (precision cap reached, warmup estimate, ...).
    pub notes: Vec<String>,
}

/// Why an experiment file could not be read or written.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    /// File system error.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The reason.
        source: std::io::Error,
    },
    /// The file's content is not what schedsim writes.
    #[error("{}: {message}", path.display())]
    Format {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
}

fn io(path: &Path) -> impl Fn(std::io::Error) -> OutputError + '_ {
    move |source| OutputError::Io { path: path.to_path_buf(), source }
}

/// `runs.csv` columns.
pub struct RunsFile;

impl RunsFile {
    /// Header: one column per varied path, `policy, replication, seed`, the metrics, then
    /// `latency_quantiles` (the run's latency at each of [`super::LATENCY_LEVELS`], separated
    /// by spaces: last, so that the metric columns read as before).
    pub fn header(layout: &Layout) -> Vec<String> {
        layout
            .vary
            .iter()
            .cloned()
            .chain(["policy", "replication", "seed"].map(String::from))
            .chain(Summary::METRICS.iter().map(|m| m.to_string()))
            .chain(["latency_quantiles".to_string()])
            .collect()
    }

    /// One row as CSV fields.
    pub fn record(layout: &Layout, row: &RunRow) -> Vec<String> {
        layout.points[row.point]
            .iter()
            .cloned()
            .chain([
                layout.policies[row.policy].clone(),
                row.replication.to_string(),
                row.seed.to_string(),
            ])
            .chain(row.values.iter().map(|&v| number(v)))
            .chain([super::latency::encode(&row.latency)])
            .collect()
    }

    /// The whole file for `rows` (sorted by the caller).
    pub fn serialize(layout: &Layout, rows: &[RunRow]) -> Vec<u8> {
        let mut out = csv_line(&Self::header(layout));
        for r in rows {
            out.extend(csv_line(&Self::record(layout, r)));
        }
        out
    }
}

fn csv_line(fields: &[String]) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    // Writing strings into memory cannot fail.
    let _ = w.write_record(fields);
    w.into_inner().unwrap_or_default()
}

/// Reads `runs.csv` rows back. A last line without its newline (a run killed mid-write) is
/// ignored; rows naming points or policies the layout does not have are an error.
///
/// # Errors
/// [`OutputError`] naming the file and line.
pub fn read_runs(path: &Path, layout: &Layout) -> Result<Vec<RunRow>, OutputError> {
    let mut text = String::new();
    File::open(path).and_then(|mut f| f.read_to_string(&mut text)).map_err(io(path))?;
    let complete = &text[..text.rfind('\n').map_or(0, |i| i + 1)];
    let bad = |message: String| OutputError::Format { path: path.to_path_buf(), message };
    let mut reader = csv::ReaderBuilder::new().has_headers(true).from_reader(complete.as_bytes());
    let header: Vec<String> =
        reader.headers().map_err(|e| bad(e.to_string()))?.iter().map(String::from).collect();
    if header != RunsFile::header(layout) {
        return Err(bad("its columns are not those of this experiment".into()));
    }
    let k = layout.vary.len();
    let mut rows = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let line = i + 2;
        let record = record.map_err(|e| bad(format!("line {line}: {e}")))?;
        let fields: Vec<&str> = record.iter().collect();
        let point = layout
            .points
            .iter()
            .position(|p| p.iter().map(String::as_str).eq(fields[..k].iter().copied()))
            .ok_or_else(|| {
                bad(format!("line {line}: point {:?} is not in the grid", &fields[..k]))
            })?;
        let policy = layout
            .policies
            .iter()
            .position(|p| p == fields[k])
            .ok_or_else(|| bad(format!("line {line}: unknown policy `{}`", fields[k])))?;
        let int = |s: &str| {
            s.parse::<u64>().map_err(|_| bad(format!("line {line}: `{s}` is not a whole number")))
        };
        let (metrics, latency) = fields[k + 3..].split_at(fields.len() - k - 4);
        let latency =
            super::latency::decode(latency[0]).map_err(|e| bad(format!("line {line}: {e}")))?;
        let values = metrics
            .iter()
            .map(|s| {
                s.parse::<f64>().map_err(|_| bad(format!("line {line}: `{s}` is not a number")))
            })
            .collect::<Result<Vec<f64>, _>>()?;
        rows.push(RunRow {
            point,
            policy,
            replication: int(fields[k + 1])?,
            seed: int(fields[k + 2])?,
            values,
            latency,
        });
    }
    Ok(rows)
}

/// `runs.csv` while an experiment runs: every finished run is appended as one whole line and
/// synced, so a kill loses no finished run and leaves no half-written line.
pub struct Journal {
    path: PathBuf,
    file: Mutex<File>,
}

impl Journal {
    /// Starts a new journal (replacing any file), or with `resume` continues an existing one,
    /// first cutting a half-written last line.
    ///
    /// # Errors
    /// [`OutputError::Io`].
    pub fn open(path: &Path, layout: &Layout, resume: bool) -> Result<Journal, OutputError> {
        let file = if resume && path.exists() {
            let mut f = OpenOptions::new().read(true).write(true).open(path).map_err(io(path))?;
            let mut text = Vec::new();
            f.read_to_end(&mut text).map_err(io(path))?;
            let keep = text.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
            f.set_len(keep as u64).map_err(io(path))?;
            f.seek(SeekFrom::End(0)).map_err(io(path))?;
            if keep == 0 {
                f.write_all(&csv_line(&RunsFile::header(layout))).map_err(io(path))?;
            }
            f
        } else {
            let mut f = File::create(path).map_err(io(path))?;
            f.write_all(&csv_line(&RunsFile::header(layout))).map_err(io(path))?;
            f
        };
        file.sync_data().map_err(io(path))?;
        Ok(Journal { path: path.to_path_buf(), file: Mutex::new(file) })
    }

    /// Appends one finished run.
    ///
    /// # Errors
    /// [`OutputError::Io`].
    pub fn append(&self, layout: &Layout, row: &RunRow) -> Result<(), OutputError> {
        let line = csv_line(&RunsFile::record(layout, row));
        let mut f = self.file.lock().unwrap_or_else(|p| p.into_inner());
        f.write_all(&line).map_err(io(&self.path))?;
        f.sync_data().map_err(io(&self.path))
    }
}

fn estimate_fields(e: &super::Estimate) -> [String; 5] {
    [
        e.n.to_string(),
        number(e.mean),
        number(e.std),
        number(e.mean - e.half_width),
        number(e.mean + e.half_width),
    ]
}

/// `aggregate.csv`: per point, policy and metric: `n, mean, std, ci_low, ci_high` (95 %).
pub fn aggregate_csv(layout: &Layout, rows: &[Aggregate]) -> Vec<u8> {
    let header: Vec<String> = layout
        .vary
        .iter()
        .cloned()
        .chain(["policy", "metric", "n", "mean", "std", "ci_low", "ci_high"].map(String::from))
        .collect();
    let mut out = csv_line(&header);
    for a in rows {
        let fields: Vec<String> = layout.points[a.point]
            .iter()
            .cloned()
            .chain([layout.policies[a.policy].clone(), a.metric.to_string()])
            .chain(estimate_fields(&a.estimate))
            .collect();
        out.extend(csv_line(&fields));
    }
    out
}

/// `paired.csv`: per point, policy and metric, the mean difference to the baseline policy
/// with its 95 % interval and whether it excludes 0.
pub fn paired_csv(layout: &Layout, rows: &[Paired]) -> Vec<u8> {
    let header: Vec<String> = layout
        .vary
        .iter()
        .cloned()
        .chain(
            [
                "policy",
                "baseline",
                "metric",
                "n",
                "mean_diff",
                "std",
                "ci_low",
                "ci_high",
                "significant",
            ]
            .map(String::from),
        )
        .collect();
    let mut out = csv_line(&header);
    for p in rows {
        let fields: Vec<String> = layout.points[p.point]
            .iter()
            .cloned()
            .chain([
                layout.policies[p.policy].clone(),
                layout.policies[0].clone(),
                p.metric.to_string(),
            ])
            .chain(estimate_fields(&p.estimate))
            .chain([p.significant().to_string()])
            .collect();
        out.extend(csv_line(&fields));
    }
    out
}
