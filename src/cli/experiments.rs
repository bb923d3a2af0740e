//! `compare`, `sweep` and `merge`.

use std::io::IsTerminal;
use std::path::PathBuf;

use anyhow::{Context, Result};
use indicatif::{ProgressBar, ProgressStyle};
use schedsim::experiment::{self, ExperimentOptions, ExperimentResult, Plan, Vary, HEADLINE};
use schedsim::Override;

use super::args::{CompareArgs, ExperimentArgs, MergeArgs, SweepArgs};
use super::{outln, InputError};

fn parse_shard(text: &str) -> Result<(usize, usize)> {
    let bad = || InputError(format!("--shard {text}: expected I/N with 0 ≤ I < N, e.g. 0/4"));
    let (i, n) = text.split_once('/').ok_or_else(bad)?;
    let (i, n): (usize, usize) =
        (i.trim().parse().map_err(|_| bad())?, n.trim().parse().map_err(|_| bad())?);
    if n == 0 || i >= n {
        return Err(bad().into());
    }
    Ok((i, n))
}

fn run(common: ExperimentArgs, vary: Vec<Vary>, policies: Vec<String>) -> Result<()> {
    let sets = common.sets.iter().map(|s| s.parse::<Override>()).collect::<Result<Vec<_>, _>>()?;
    if let Some(p) = common.precision {
        if !(p > 0.0 && p < 1.0) {
            return Err(InputError(format!(
                "--precision {p}: give a fraction between 0 and 1, e.g. 0.05"
            ))
            .into());
        }
    }
    let shard = common.shard.as_deref().map(parse_shard).transpose()?;
    let plan = Plan::new(&common.scenario, &sets, vary, &policies, common.replications)?;
    let out = common.out.clone().unwrap_or_else(|| PathBuf::from("results").join(&plan.base.name));
    let opts = ExperimentOptions {
        out: out.clone(),
        resume: common.resume,
        shard,
        precision: common.precision,
        max_replications: common.max_replications,
        auto_warmup: common.auto_warmup,
        command_line: std::env::args().collect(),
    };
    let bar = if common.quiet || !std::io::stderr().is_terminal() {
        ProgressBar::hidden()
    } else {
        ProgressBar::new(0).with_style(
            ProgressStyle::with_template("{bar:40} {pos}/{len} runs  {elapsed} elapsed, ETA {eta}")
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
        )
    };
    let progress = |done: usize, total: usize| {
        bar.set_length(total as u64);
        bar.set_position(done as u64);
    };
    let threads = common.jobs.unwrap_or(0);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .context("cannot start worker threads")?;
    let result = pool.install(|| experiment::run_experiment(plan, &opts, &progress))?;
    bar.finish_and_clear();
    print_table(&result)?;
    for note in &result.manifest.notes {
        outln!("note: {note}")?;
    }
    outln!(
        "results written to {} (runs.csv, aggregate.csv, paired.csv, latency.csv, manifest.json)",
        out.display()
    )?;
    let plot_options = schedsim::report::figures::PlotOptions::default();
    if common.report {
        super::plots::write_report(&out, plot_options)?;
    } else if common.plots {
        super::plots::draw(&out, plot_options, false)?;
    }
    Ok(())
}

pub fn compare(a: CompareArgs) -> Result<()> {
    run(a.common, Vec::new(), a.policy)
}

pub fn sweep(a: SweepArgs) -> Result<()> {
    let vary = a.vary.iter().map(|v| v.parse::<Vary>()).collect::<Result<Vec<_>, _>>()?;
    run(a.common, vary, vec![a.policies])
}

pub fn merge(a: MergeArgs) -> Result<()> {
    let result = experiment::merge(&a.dirs, &a.out, std::env::args().collect())?;
    print_table(&result)?;
    outln!("merged {} runs into {}", result.rows.len(), a.out.display())?;
    Ok(())
}

fn cell(mean: f64, hw: f64) -> String {
    if mean.is_nan() {
        "-".into()
    } else if hw.is_nan() {
        format!("{mean:.4}")
    } else {
        format!("{mean:.4} ± {hw:.4}")
    }
}

/// A replayed trace's own figures per policy at point `p`: the task wait and bounded
/// slowdown, beside the mean wait the trace recorded (SWF logs keep what the real scheduler
/// achieved). Printed only when the replayed trace records waits.
fn trace_table(r: &ExperimentResult, p: usize) -> Result<()> {
    const METRICS: [&str; 3] = ["wait_mean", "bounded_slowdown", "recorded_wait_mean"];
    let find = |k: usize, m: &str| {
        r.aggregates.iter().find(|a| a.point == p && a.policy == k && a.metric == m)
    };
    let recorded = (0..r.layout.policies.len())
        .any(|k| find(k, "recorded_wait_mean").is_some_and(|a| a.estimate.mean.is_finite()));
    if !recorded {
        return Ok(());
    }
    let mut head = format!("{:<24}", "trace replay");
    for m in METRICS {
        head += &format!("{m:>26}");
    }
    outln!("{head}")?;
    for (k, name) in r.layout.policies.iter().enumerate() {
        let mut line = format!("{name:<24}");
        for m in METRICS {
            line += &format!(
                "{:>26}",
                find(k, m).map_or("-".into(), |a| cell(a.estimate.mean, a.estimate.half_width))
            );
        }
        outln!("{line}")?;
    }
    Ok(())
}

/// Headline metrics per point and policy (mean ± 95 % half-width), then paired differences.
fn print_table(r: &ExperimentResult) -> Result<()> {
    let l = &r.layout;
    let point_name = |p: usize| -> String {
        l.vary
            .iter()
            .zip(&l.points[p])
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join(" ")
    };
    outln!(
        "{} replications per policy{}; mean ± 95 % half-width (Student t)",
        l.replications,
        if l.points.len() > 1 { " and point" } else { "" }
    )?;
    let mut head = format!("{:<24}", "policy");
    for m in HEADLINE {
        head += &format!("{m:>26}");
    }
    for p in 0..l.points.len() {
        if !l.vary.is_empty() {
            outln!("\n{}", point_name(p))?;
        }
        outln!("{head}")?;
        for (k, name) in l.policies.iter().enumerate() {
            let mut line = format!("{name:<24}");
            for m in HEADLINE {
                let a =
                    r.aggregates.iter().find(|a| a.point == p && a.policy == k && a.metric == m);
                line += &format!(
                    "{:>26}",
                    a.map_or("-".into(), |a| cell(a.estimate.mean, a.estimate.half_width))
                );
            }
            outln!("{line}")?;
        }
        trace_table(r, p)?;
        if l.policies.len() > 1 {
            outln!("paired difference to `{}` (* = the 95 % interval excludes 0)", l.policies[0])?;
            for (k, name) in l.policies.iter().enumerate().skip(1) {
                let mut line = format!("{:<24}", format!("{name} − base"));
                for m in HEADLINE {
                    let d =
                        r.paired.iter().find(|d| d.point == p && d.policy == k && d.metric == m);
                    line += &format!(
                        "{:>26}",
                        d.map_or("-".into(), |d| format!(
                            "{}{}",
                            cell(d.estimate.mean, d.estimate.half_width),
                            if d.significant() { " *" } else { "  " }
                        ))
                    );
                }
                outln!("{line}")?;
            }
        }
    }
    Ok(())
}
