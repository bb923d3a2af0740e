//! Reading a result folder back: what `plot` and `report` draw from.
//!
//! Two kinds of folder exist: an experiment's (`compare`, `sweep`, `merge`: `manifest.json`,
//! `aggregate.csv`, `paired.csv`, `runs.csv`, and `latency.csv` since the charts came) and a
//! single run's (`run --out`: `summary.csv`, `nodes.csv`, `classes.csv`, `workflows.csv` with
//! `--trace-workflows`, `timeseries.csv` with `sample_interval`, `tasks.csv` and
//! `rejected.csv` with `--plots`, `outages.csv` with either). Anything else is refused with
//! the list of files that are missing.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::experiment::Manifest;
use crate::metrics::{parse_reason, Attempt, Outage, Outcome, Rejection, TimeSeries, TimelineData};
use crate::sim::TaskKind;

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
    /// `timeseries.csv` (with `outages.csv`), when present.
    pub timeseries: Option<TimeSeries>,
    /// `tasks.csv` (with `rejected.csv` and `outages.csv`), when present.
    pub timeline: Option<TimelineData>,
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
    Run(Box<Run>),
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
        return load_run(dir).map(|r| Results::Run(Box::new(r)));
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
    let mut run =
        Run { dir: dir.to_path_buf(), summary, latencies, timeseries: None, timeline: None };
    let outages = dir.join("outages.csv");
    if dir.join("timeseries.csv").is_file() {
        let mut ts = read_timeseries(&dir.join("timeseries.csv"))?;
        if outages.is_file() {
            ts.outages = read_outages(&outages, &ts.nodes)?;
        }
        run.timeseries = Some(ts);
    }
    if dir.join("tasks.csv").is_file() {
        let end = run.get("end_time").and_then(|v| v.parse::<f64>().ok()).unwrap_or(f64::NAN);
        let mut t = read_tasks(dir, end)?;
        if outages.is_file() {
            t.outages = read_outages(&outages, &t.nodes)?;
        }
        run.timeline = Some(t);
    }
    Ok(run)
}

/// `timeseries.csv`: `time`, a column per node, `weighted_load`, `migrations`, `steals`.
fn read_timeseries(path: &Path) -> Result<TimeSeries, ResultsError> {
    const TAIL: [&str; 3] = ["weighted_load", "migrations", "steals"];
    let (header, rows) = read_csv(path)?;
    let n = header.len().saturating_sub(1 + TAIL.len());
    if header.len() < 2 + TAIL.len() || header[0] != "time" || header[1 + n..] != TAIL {
        return Err(bad(
            path,
            "expected the columns time, one per node, weighted_load, migrations, steals",
        ));
    }
    let nodes: Vec<String> = header[1..1 + n].to_vec();
    let mut ts = TimeSeries::new(f64::NAN, nodes);
    for (i, r) in rows.iter().enumerate() {
        let value = |c: usize| -> Result<f64, ResultsError> {
            let t = r.get(c).map_or("", String::as_str);
            t.parse::<f64>().map_err(|_| {
                bad(path, format!("line {}: {} `{t}` is not a number", i + 2, header[c]))
            })
        };
        ts.times.push(value(0)?);
        for c in 1..=n {
            ts.loads.push(value(c)?);
        }
        ts.weighted.push(value(n + 1)?);
        ts.migrations.push(value(n + 2)? as u64);
        ts.steals.push(value(n + 3)? as u64);
    }
    if ts.times.len() >= 2 {
        ts.interval = ts.times[1] - ts.times[0];
    }
    Ok(ts)
}

/// Index of the node named `name`, or an error naming the file and line.
fn node_index(path: &Path, i: usize, nodes: &[String], name: &str) -> Result<usize, ResultsError> {
    nodes.iter().position(|n| n == name).ok_or_else(|| {
        bad(
            path,
            format!(
                "line {}: node `{name}` is not a node of the run ({})",
                i + 2,
                nodes.join(", ")
            ),
        )
    })
}

/// `outages.csv`: `node`, `start`, `end`.
fn read_outages(path: &Path, nodes: &[String]) -> Result<Vec<Outage>, ResultsError> {
    let t = Table::read(path, &["node", "start", "end"])?;
    let mut outages = Vec::new();
    for (i, r) in t.rows.iter().enumerate() {
        outages.push(Outage {
            node: node_index(path, i, nodes, t.text(r, "node"))?,
            start: t.number(i, r, "start")?,
            end: t.number(i, r, "end")?,
        });
    }
    Ok(outages)
}

/// The `name` column of `nodes.csv` or `classes.csv`, in order.
fn names(path: &Path) -> Result<Vec<String>, ResultsError> {
    if !path.is_file() {
        return Err(bad(path, "missing (run --out writes it beside tasks.csv)"));
    }
    let t = Table::read(path, &["name"])?;
    Ok(t.rows.iter().map(|r| t.text(r, "name").to_string()).collect())
}

/// `tasks.csv` (and `rejected.csv` when present), with the node and class order of
/// `nodes.csv` and `classes.csv`, so rows and colours match the run's.
fn read_tasks(dir: &Path, end: f64) -> Result<TimelineData, ResultsError> {
    let nodes = names(&dir.join("nodes.csv"))?;
    let classes = names(&dir.join("classes.csv"))?;
    let mut task_names: Vec<Vec<String>> = vec![Vec::new(); classes.len()];
    let class_index = |path: &Path, i: usize, name: &str| {
        classes.iter().position(|c| c == name).ok_or_else(|| {
            bad(path, format!("line {}: class `{name}` is not in classes.csv", i + 2))
        })
    };
    let path = dir.join("tasks.csv");
    let cols = ["workflow", "class", "task", "attempt", "kind", "node", "start", "end", "outcome"];
    let t = Table::read(&path, &cols)?;
    let mut attempts = Vec::new();
    for (i, r) in t.rows.iter().enumerate() {
        let class = class_index(&path, i, t.text(r, "class"))?;
        let name = t.text(r, "task");
        let names = &mut task_names[class];
        let task = names.iter().position(|n| n == name).unwrap_or_else(|| {
            names.push(name.to_string());
            names.len() - 1
        });
        let kind = match t.text(r, "kind") {
            "step" => TaskKind::Step,
            "compensation" => TaskKind::Compensation,
            other => {
                return Err(bad(
                    &path,
                    format!("line {}: kind `{other}` is not step or compensation", i + 2),
                ))
            }
        };
        let outcome = t.text(r, "outcome");
        let outcome = Outcome::parse(outcome).ok_or_else(|| {
            let known: Vec<&str> = Outcome::ALL.iter().map(|o| o.name()).collect();
            bad(
                &path,
                format!("line {}: outcome `{outcome}` is not one of {}", i + 2, known.join(", ")),
            )
        })?;
        attempts.push(Attempt {
            workflow: t.number(i, r, "workflow")? as u64,
            class,
            task,
            attempt: t.number(i, r, "attempt")? as u32,
            kind,
            node: node_index(&path, i, &nodes, t.text(r, "node"))?,
            start: t.number(i, r, "start")?,
            end: t.number(i, r, "end")?,
            outcome,
        });
    }
    let mut rejected = Vec::new();
    let path = dir.join("rejected.csv");
    if path.is_file() {
        let t = Table::read(&path, &["time", "workflow", "class", "reason"])?;
        for (i, r) in t.rows.iter().enumerate() {
            let reason = parse_reason(t.text(r, "reason")).ok_or_else(|| {
                let other = t.text(r, "reason");
                bad(
                    &path,
                    format!("line {}: reason `{other}` is not admission or queue_full", i + 2),
                )
            })?;
            rejected.push(Rejection {
                time: t.number(i, r, "time")?,
                workflow: t.number(i, r, "workflow")? as u64,
                class: class_index(&path, i, t.text(r, "class"))?,
                reason,
            });
        }
    }
    let end =
        if end.is_finite() { end } else { attempts.iter().map(|a| a.end).fold(0.0, f64::max) };
    Ok(TimelineData {
        nodes,
        classes,
        task_names,
        attempts_seen: attempts.len() as u64,
        rejected_seen: rejected.len() as u64,
        attempts,
        rejected,
        outages: Vec::new(),
        end,
    })
}
