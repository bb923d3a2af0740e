//! Reading a result folder back: what `plot` and `report` draw from.
//!
//! Two kinds of folder exist: an experiment's (`compare`, `sweep`, `merge`: `manifest.json`,
//! `aggregate.csv`, `paired.csv`, `runs.csv`, and `latency.csv` since the charts came) and a
//! single run's (`run --out`: `summary.csv`, `nodes.csv`, `workflows.csv` with
//! `--trace-workflows`). Anything else is refused with the list of files that are missing.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::experiment::Manifest;

/// Why a result folder cannot be read.
#[derive(Debug, thiserror::Error)]
pub enum ResultsError {
    /// The path is not a folder.
    #[error("{}: not a folder (give the folder written by run --out, compare or sweep)", path.display())]
    NotAFolder {
        /// The path given.
        path: PathBuf,
    },
    /// The folder lacks files a result folder has.
    #[error("{}: not a schedsim result folder: {missing} missing{hint}", dir.display())]
    Missing {
        /// The folder.
        dir: PathBuf,
        /// The files missing, as a sentence (`aggregate.csv and paired.csv`).
        missing: String,
        /// What would be right.
        hint: String,
    },
    /// A file is there but cannot be read or is not what schedsim writes.
    #[error("{}: {message}", path.display())]
    Bad {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
}

/// One row of `aggregate.csv`.
#[derive(Clone, Debug, PartialEq)]
pub struct AggregateRow {
    /// Values of the varied paths (empty for `compare`).
    pub point: Vec<String>,
    /// Policy name.
    pub policy: String,
    /// Metric name.
    pub metric: String,
    /// Replications with a value.
    pub n: usize,
    /// Mean.
    pub mean: f64,
    /// 95 % interval.
    pub ci_low: f64,
    /// See `ci_low`.
    pub ci_high: f64,
}

/// One row of `paired.csv`.
#[derive(Clone, Debug, PartialEq)]
pub struct PairedRow {
    /// Values of the varied paths.
    pub point: Vec<String>,
    /// Policy name.
    pub policy: String,
    /// Baseline policy.
    pub baseline: String,
    /// Metric name.
    pub metric: String,
    /// Mean of policy − baseline.
    pub mean_diff: f64,
    /// 95 % interval.
    pub ci_low: f64,
    /// See `ci_low`.
    pub ci_high: f64,
    /// Whether the interval excludes 0.
    pub significant: bool,
}

/// One row of `latency.csv`.
#[derive(Clone, Debug, PartialEq)]
pub struct LatencyRow {
    /// Values of the varied paths.
    pub point: Vec<String>,
    /// Policy name.
    pub policy: String,
    /// Quantile level.
    pub q: f64,
    /// Mean q-quantile of the latency over the replications (s).
    pub latency: f64,
}

/// An experiment folder.
#[derive(Clone, Debug)]
pub struct Experiment {
    /// The folder.
    pub dir: PathBuf,
    /// `manifest.json`.
    pub manifest: Manifest,
    /// `aggregate.csv`.
    pub aggregates: Vec<AggregateRow>,
    /// `paired.csv`.
    pub paired: Vec<PairedRow>,
    /// `latency.csv`, when the folder has it.
    pub latency: Option<Vec<LatencyRow>>,
}

impl Experiment {
    /// The aggregate of `metric` for `policy` at `point`.
    pub fn aggregate(&self, point: &[String], policy: &str, metric: &str) -> Option<&AggregateRow> {
        self.aggregates
            .iter()
            .find(|a| a.point == point && a.policy == policy && a.metric == metric)
    }
}

/// A single run's folder.
#[derive(Clone, Debug)]
pub struct Run {
    /// The folder.
    pub dir: PathBuf,
    /// `summary.csv`: metric name → value, in column order (policy and seed included).
    pub summary: Vec<(String, String)>,
    /// Latencies (s) of the completed workflows in `workflows.csv`, when present.
    pub latencies: Option<Vec<f64>>,
}

impl Run {
    /// A value of `summary.csv` (`policy`, `seed` or a metric).
    pub fn get(&self, name: &str) -> Option<&str> {
        self.summary.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }
}

/// A result folder.
#[derive(Clone, Debug)]
pub enum Results {
    /// From `compare`, `sweep` or `merge`.
    Experiment(Box<Experiment>),
    /// From `run --out`.
    Run(Run),
}

const EXPERIMENT_FILES: [&str; 3] = ["manifest.json", "aggregate.csv", "paired.csv"];

/// Reads the result folder `dir`.
///
/// # Errors
/// [`ResultsError`] naming the missing or malformed file.
pub fn load(dir: &Path) -> Result<Results, ResultsError> {
    if !dir.is_dir() {
        return Err(ResultsError::NotAFolder { path: dir.to_path_buf() });
    }
    let has = |f: &str| dir.join(f).is_file();
    let missing: Vec<&str> = EXPERIMENT_FILES.iter().copied().filter(|f| !has(f)).collect();
    if missing.is_empty() {
        return load_experiment(dir).map(|e| Results::Experiment(Box::new(e)));
    }
    if missing.len() == EXPERIMENT_FILES.len() && has("summary.csv") {
        return load_run(dir).map(Results::Run);
    }
    let hint = if missing.len() == EXPERIMENT_FILES.len() {
        " (an experiment folder from compare or sweep has manifest.json, aggregate.csv and \
         paired.csv; a run folder from `run --out` has summary.csv)"
    } else {
        " (an unfinished experiment? `--resume` finishes it and writes every file)"
    };
    Err(ResultsError::Missing {
        dir: dir.to_path_buf(),
        missing: sentence(&missing),
        hint: hint.to_string(),
    })
}

fn sentence(items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [one] => one.to_string(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

fn bad(path: &Path, message: impl Into<String>) -> ResultsError {
    ResultsError::Bad { path: path.to_path_buf(), message: message.into() }
}

/// A CSV file as its header and rows of text.
fn read_csv(path: &Path) -> Result<(Vec<String>, Vec<Vec<String>>), ResultsError> {
    let mut reader = csv::Reader::from_path(path).map_err(|e| bad(path, e.to_string()))?;
    let header: Vec<String> =
        reader.headers().map_err(|e| bad(path, e.to_string()))?.iter().map(String::from).collect();
    let mut rows = Vec::new();
    for (i, r) in reader.records().enumerate() {
        let r = r.map_err(|e| bad(path, format!("line {}: {e}", i + 2)))?;
        rows.push(r.iter().map(String::from).collect());
    }
    Ok((header, rows))
}

/// Column access by name, with errors naming the file, the line and the column.
struct Table {
    path: PathBuf,
    columns: BTreeMap<String, usize>,
    rows: Vec<Vec<String>>,
}

impl Table {
    fn read(path: &Path, needed: &[impl AsRef<str>]) -> Result<Table, ResultsError> {
        let (header, rows) = read_csv(path)?;
        let columns: BTreeMap<String, usize> =
            header.iter().enumerate().map(|(i, h)| (h.clone(), i)).collect();
        let absent: Vec<&str> =
            needed.iter().map(AsRef::as_ref).filter(|c| !columns.contains_key(*c)).collect();
        if !absent.is_empty() {
            return Err(bad(path, format!("column {} missing", sentence(&absent))));
        }
        Ok(Table { path: path.to_path_buf(), columns, rows })
    }

    fn text<'a>(&self, row: &'a [String], column: &str) -> &'a str {
        self.columns.get(column).and_then(|&i| row.get(i)).map_or("", String::as_str)
    }

    fn number(&self, i: usize, row: &[String], column: &str) -> Result<f64, ResultsError> {
        let t = self.text(row, column);
        t.parse::<f64>()
            .map_err(|_| bad(&self.path, format!("line {}: {column} `{t}` is not a number", i + 2)))
    }

    fn point(&self, row: &[String], vary: &[String]) -> Vec<String> {
        vary.iter().map(|v| self.text(row, v).to_string()).collect()
    }
}

fn load_experiment(dir: &Path) -> Result<Experiment, ResultsError> {
    let path = dir.join("manifest.json");
    let bytes = std::fs::read(&path).map_err(|e| bad(&path, e.to_string()))?;
    let manifest: Manifest = serde_json::from_slice(&bytes)
        .map_err(|e| bad(&path, format!("not a schedsim manifest: {e}")))?;
    let vary = manifest.layout.vary.clone();
    let with_vary = |cols: &[&'static str]| -> Vec<String> {
        vary.iter().cloned().chain(cols.iter().map(|c| c.to_string())).collect()
    };

    let cols = with_vary(&["policy", "metric", "n", "mean", "ci_low", "ci_high"]);
    let t = Table::read(&dir.join("aggregate.csv"), &cols)?;
    let mut aggregates = Vec::new();
    for (i, r) in t.rows.iter().enumerate() {
        aggregates.push(AggregateRow {
            point: t.point(r, &vary),
            policy: t.text(r, "policy").to_string(),
            metric: t.text(r, "metric").to_string(),
            n: t.number(i, r, "n")? as usize,
            mean: t.number(i, r, "mean")?,
            ci_low: t.number(i, r, "ci_low")?,
            ci_high: t.number(i, r, "ci_high")?,
        });
    }
    if aggregates.is_empty() {
        return Err(bad(&t.path, "no rows: the experiment has no finished run"));
    }

    let cols = with_vary(&[
        "policy",
        "baseline",
        "metric",
        "mean_diff",
        "ci_low",
        "ci_high",
        "significant",
    ]);
    let t = Table::read(&dir.join("paired.csv"), &cols)?;
    let mut paired = Vec::new();
    for (i, r) in t.rows.iter().enumerate() {
        paired.push(PairedRow {
            point: t.point(r, &vary),
            policy: t.text(r, "policy").to_string(),
            baseline: t.text(r, "baseline").to_string(),
            metric: t.text(r, "metric").to_string(),
            mean_diff: t.number(i, r, "mean_diff")?,
            ci_low: t.number(i, r, "ci_low")?,
            ci_high: t.number(i, r, "ci_high")?,
            significant: t.text(r, "significant") == "true",
        });
    }

    let latency_path = dir.join("latency.csv");
    let latency = if latency_path.is_file() {
        let cols = with_vary(&["policy", "q", "latency_mean"]);
        let t = Table::read(&latency_path, &cols)?;
        let mut rows = Vec::new();
        for (i, r) in t.rows.iter().enumerate() {
            rows.push(LatencyRow {
                point: t.point(r, &vary),
                policy: t.text(r, "policy").to_string(),
                q: t.number(i, r, "q")?,
                latency: t.number(i, r, "latency_mean")?,
            });
        }
        Some(rows)
    } else {
        None
    };
    Ok(Experiment { dir: dir.to_path_buf(), manifest, aggregates, paired, latency })
}

fn load_run(dir: &Path) -> Result<Run, ResultsError> {
    let path = dir.join("summary.csv");
    let (header, rows) = read_csv(&path)?;
    let Some(row) = rows.first() else {
        return Err(bad(&path, "no row (summary.csv holds one row per run)"));
    };
    if !header.iter().any(|h| h == "policy") {
        return Err(bad(&path, "column policy missing"));
    }
    let summary = header.into_iter().zip(row.iter().cloned()).collect();
    let wf = dir.join("workflows.csv");
    let latencies = if wf.is_file() {
        let t = Table::read(&wf, &["status", "latency"])?;
        let mut xs = Vec::new();
        for (i, r) in t.rows.iter().enumerate() {
            if t.text(r, "status") == "completed" {
                xs.push(t.number(i, r, "latency")?);
            }
        }
        Some(xs)
    } else {
        None
    };
    Ok(Run { dir: dir.to_path_buf(), summary, latencies })
}
