//! Running a plan: in parallel, journaled, resumable, sharded, to a requested precision.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use rayon::prelude::*;

use super::output::{
    aggregate_csv, paired_csv, read_runs, Journal, Layout, Manifest, OutputError, RunsFile,
};
use super::{
    aggregate, latency_csv, mser5_truncation, paired, Aggregate, Estimate, Paired, Plan, PlanError,
    RunRow,
};
use crate::report::write_atomic;
use crate::sim::{RunOptions, Simulation};

/// How to run a plan.
#[derive(Clone, Debug, Default)]
pub struct ExperimentOptions {
    /// Output folder.
    pub out: PathBuf,
    /// Keep the runs already in `out/runs.csv` and run only the missing ones.
    pub resume: bool,
    /// `(I, N)`: run only cells whose grid index ≡ I (mod N).
    pub shard: Option<(usize, usize)>,
    /// Add replications until every headline metric's 95 % half-width is within this
    /// fraction of its mean.
    pub precision: Option<f64>,
    /// Cap on replications with `precision`.
    pub max_replications: u64,
    /// Estimate the warmup by MSER-5 on a pilot run.
    pub auto_warmup: bool,
    /// The command line, for the manifest.
    pub command_line: Vec<String>,
}

/// Metrics `precision` waits for.
pub const HEADLINE: [&str; 5] =
    ["avg_weighted_load", "latency_mean", "latency_p99", "rejection_rate", "throughput"];

/// What an experiment produced (also written to the output folder).
#[derive(Clone, Debug)]
pub struct ExperimentResult {
    /// Points and policies.
    pub layout: Layout,
    /// Every run, in grid order.
    pub rows: Vec<RunRow>,
    /// Per point, policy and metric.
    pub aggregates: Vec<Aggregate>,
    /// Against the first policy.
    pub paired: Vec<Paired>,
    /// The manifest written.
    pub manifest: Manifest,
}

/// Why an experiment failed.
#[derive(Debug, thiserror::Error)]
pub enum ExperimentError {
    /// The plan is wrong.
    #[error(transparent)]
    Plan(#[from] PlanError),
    /// A file could not be read or written.
    #[error(transparent)]
    Output(#[from] OutputError),
    /// A result file could not be written.
    #[error(transparent)]
    Report(#[from] crate::report::ReportError),
    /// Options that do not go together, or files that do not match.
    #[error("{0}")]
    Refused(String),
}

fn now() -> String {
    humantime::format_rfc3339_seconds(SystemTime::now()).to_string()
}

fn write(path: &Path, bytes: &[u8]) -> Result<(), ExperimentError> {
    Ok(write_atomic(path, bytes)?)
}

fn manifest_of(
    plan: &Plan,
    opts: &ExperimentOptions,
    layout: &Layout,
    notes: Vec<String>,
) -> Manifest {
    Manifest {
        schedsim_version: env!("CARGO_PKG_VERSION").to_string(),
        command_line: opts.command_line.clone(),
        scenario_path: plan.path.clone(),
        scenario_hash: plan.hash.clone(),
        scenario: serde_json::to_value(&plan.base).unwrap_or_default(),
        policy_sets: plan.policies.iter().map(|(n, s)| (n.clone(), s.to_string())).collect(),
        layout: layout.clone(),
        seeds: (0..layout.replications)
            .map(|k| super::replication_seed(plan.base.seed, k))
            .collect(),
        warmup: plan.base.warmup,
        shard: opts.shard.map(|(i, n)| [i, n]),
        cells_total: layout.points.len() * layout.policies.len() * layout.replications as usize,
        threads: rayon::current_num_threads(),
        started: now(),
        finished: String::new(),
        notes,
    }
}

/// Estimates the warmup by MSER-5 on the workflow latencies (in arrival order) of a pilot run
/// of the first point and policy, from time 0.
fn estimate_warmup(plan: &Plan) -> Result<(f64, String), ExperimentError> {
    let point = &plan.points[0];
    let mut model = point.model.clone();
    model.warmup = 0.0;
    let sim = Simulation::new(&model, &plan.policies[0].1, point.scenario.seed)
        .map_err(PlanError::Policy)?;
    let result = sim.options(RunOptions { trace_workflows: true }).run().0;
    let done: Vec<_> = result.workflows.iter().filter(|w| w.status == "completed").collect();
    let latencies: Vec<f64> = done.iter().map(|w| w.latency).collect();
    match mser5_truncation(&latencies) {
        Some(d) => {
            let warmup = done.get(d).map_or(0.0, |w| w.arrival);
            let note = format!("auto-warmup (MSER-5 on {} latencies of a pilot run): {warmup:.3} s, {d} discarded", latencies.len());
            Ok((warmup, note))
        }
        None => Err(ExperimentError::Refused(format!(
            "--auto-warmup: the pilot run completed only {} workflows, too few for MSER-5 (needs 50)",
            latencies.len()
        ))),
    }
}

/// Whether every headline metric of every (point, policy) is within `precision`.
fn precise_enough(rows: &[RunRow], precision: f64) -> bool {
    aggregate(rows).iter().filter(|a| HEADLINE.contains(&a.metric)).all(|a| {
        let e: &Estimate = &a.estimate;
        e.mean.is_nan() || e.half_width == 0.0 || e.half_width <= precision * e.mean.abs()
    })
}

/// Runs `plan` into `opts.out`, calling `progress(done, total)` after every run.
///
/// # Errors
/// [`ExperimentError`]: bad options, a changed scenario under `--resume`, or I/O.
pub fn run_experiment(
    mut plan: Plan,
    opts: &ExperimentOptions,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Result<ExperimentResult, ExperimentError> {
    if let Some((i, n)) = opts.shard {
        if n == 0 || i >= n {
            return Err(ExperimentError::Refused(format!(
                "--shard {i}/{n}: need 0 ≤ I < N, e.g. 0/3"
            )));
        }
    }
    if opts.precision.is_some() && (opts.shard.is_some() || opts.resume) {
        return Err(ExperimentError::Refused(
            "--precision decides the number of replications as it goes, so it cannot be split \
             into shards or resumed; give --replications instead"
                .into(),
        ));
    }
    let mut notes = Vec::new();
    if opts.auto_warmup {
        let (warmup, note) = estimate_warmup(&plan)?;
        plan.set_warmup(warmup)?;
        notes.push(note);
    }
    std::fs::create_dir_all(&opts.out)
        .map_err(|source| OutputError::Io { path: opts.out.clone(), source })?;
    let runs_path = opts.out.join("runs.csv");
    let manifest_path = opts.out.join("manifest.json");
    let mut layout = plan.layout();

    let mut rows: Vec<RunRow> = Vec::new();
    if opts.resume && manifest_path.exists() {
        let old: Manifest = std::fs::read(&manifest_path)
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok())
            .ok_or_else(|| {
                ExperimentError::Refused(format!(
                    "--resume: cannot read {}",
                    manifest_path.display()
                ))
            })?;
        let same = old.scenario_hash == plan.hash
            && old.layout == layout
            && old.shard == opts.shard.map(|(i, n)| [i, n])
            && old.warmup == plan.base.warmup;
        if !same {
            return Err(ExperimentError::Refused(format!(
                "--resume: {} holds runs of a different experiment (the scenario, its --set \
                 values, the grid, the policies, the replications, the shard or the warmup \
                 changed); use another --out or drop --resume to start over",
                opts.out.display()
            )));
        }
        if runs_path.exists() {
            rows = read_runs(&runs_path, &layout)?;
        }
    }
    let first = manifest_of(&plan, opts, &layout, notes.clone());
    let started = first.started.clone();
    write(&manifest_path, &serde_json::to_vec_pretty(&first).unwrap_or_default())?;
    let journal = Journal::open(&runs_path, &layout, opts.resume)?;

    let mut replications = plan.replications;
    let mut done_before = 0;
    loop {
        let present: BTreeSet<(usize, usize, u64)> =
            rows.iter().map(|r| (r.point, r.policy, r.replication)).collect();
        let todo: Vec<_> = plan
            .cells_up_to(replications)
            .into_iter()
            .filter(|c| opts.shard.is_none_or(|(i, n)| c.index % n == i))
            .filter(|c| {
                c.replication >= done_before
                    && !present.contains(&(c.point, c.policy, c.replication))
            })
            .collect();
        let total = todo.len();
        let counter = std::sync::atomic::AtomicUsize::new(0);
        let fresh: Vec<Result<RunRow, OutputError>> = todo
            .par_iter()
            .map(|cell| {
                let row = plan.run(cell);
                journal.append(&layout, &row)?;
                let n = counter.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
                progress(n, total);
                Ok(row)
            })
            .collect();
        for r in fresh {
            rows.push(r?);
        }
        rows.sort_by_key(|r| (r.point, r.policy, r.replication));
        let Some(precision) = opts.precision else { break };
        if precise_enough(&rows, precision) {
            notes.push(format!("precision {precision} reached with {replications} replications"));
            break;
        }
        if replications >= opts.max_replications {
            notes.push(format!(
                "precision {precision} NOT reached: stopped at the cap of {replications} replications"
            ));
            break;
        }
        done_before = replications;
        replications = (replications * 2).min(opts.max_replications);
        plan.replications = replications;
        layout.replications = replications;
        // The journal's columns do not depend on the replication count.
    }

    let aggregates = aggregate(&rows);
    let pairs = paired(&rows);
    write(&runs_path, &RunsFile::serialize(&layout, &rows))?;
    write(&opts.out.join("aggregate.csv"), &aggregate_csv(&layout, &aggregates))?;
    write(&opts.out.join("paired.csv"), &paired_csv(&layout, &pairs))?;
    write(&opts.out.join("latency.csv"), &latency_csv(&layout, &rows))?;
    let mut manifest = manifest_of(&plan, opts, &layout, notes);
    manifest.started = started;
    manifest.finished = now();
    write(&manifest_path, &serde_json::to_vec_pretty(&manifest).unwrap_or_default())?;
    Ok(ExperimentResult { layout, rows, aggregates, paired: pairs, manifest })
}

/// Combines shard folders of one experiment into `out`, recomputing the aggregates.
///
/// # Errors
/// [`ExperimentError::Refused`] when the folders come from different experiments, or cells
/// are missing or duplicated.
pub fn merge(
    dirs: &[PathBuf],
    out: &Path,
    command_line: Vec<String>,
) -> Result<ExperimentResult, ExperimentError> {
    let mut manifests = Vec::new();
    for d in dirs {
        let path = d.join("manifest.json");
        let bytes = std::fs::read(&path)
            .map_err(|source| OutputError::Io { path: path.clone(), source })?;
        let m: Manifest = serde_json::from_slice(&bytes).map_err(|e| OutputError::Format {
            path: path.clone(),
            message: format!("not a schedsim manifest: {e}"),
        })?;
        manifests.push(m);
    }
    let Some(first) = manifests.first().cloned() else {
        return Err(ExperimentError::Refused("merge needs at least one folder".into()));
    };
    for (d, m) in dirs.iter().zip(&manifests) {
        if m.scenario_hash != first.scenario_hash
            || m.layout != first.layout
            || m.warmup != first.warmup
        {
            return Err(ExperimentError::Refused(format!(
                "{} is from a different experiment than {} (scenario, grid, policies, \
                 replications or warmup differ): refusing to merge",
                d.display(),
                dirs[0].display()
            )));
        }
    }
    let layout = first.layout.clone();
    let mut rows = Vec::new();
    for d in dirs {
        rows.extend(read_runs(&d.join("runs.csv"), &layout)?);
    }
    rows.sort_by_key(|r| (r.point, r.policy, r.replication));
    if let Some(w) = rows.windows(2).find(|w| {
        (w[0].point, w[0].policy, w[0].replication) == (w[1].point, w[1].policy, w[1].replication)
    }) {
        return Err(ExperimentError::Refused(format!(
            "a run is present twice (policy `{}`, replication {}): a shard was given twice?",
            layout.policies[w[0].policy], w[0].replication
        )));
    }
    let expected = first.cells_total;
    if rows.len() != expected {
        return Err(ExperimentError::Refused(format!(
            "the folders hold {} of the {expected} runs of the grid: a shard is missing or unfinished",
            rows.len()
        )));
    }
    std::fs::create_dir_all(out)
        .map_err(|source| OutputError::Io { path: out.to_path_buf(), source })?;
    let aggregates = aggregate(&rows);
    let pairs = paired(&rows);
    write(&out.join("runs.csv"), &RunsFile::serialize(&layout, &rows))?;
    write(&out.join("aggregate.csv"), &aggregate_csv(&layout, &aggregates))?;
    write(&out.join("paired.csv"), &paired_csv(&layout, &pairs))?;
    write(&out.join("latency.csv"), &latency_csv(&layout, &rows))?;
    let mut manifest = first;
    manifest.shard = None;
    manifest.command_line = command_line;
    manifest.notes.push(format!(
        "merged from {}",
        dirs.iter().map(|d| d.display().to_string()).collect::<Vec<_>>().join(", ")
    ));
    manifest.finished = now();
    write(&out.join("manifest.json"), &serde_json::to_vec_pretty(&manifest).unwrap_or_default())?;
    Ok(ExperimentResult { layout, rows, aggregates, paired: pairs, manifest })
}
