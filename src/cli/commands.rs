//! One function per command.

use std::path::Path;

use anyhow::{Context, Result};
use schedsim::experiment::resolve_policy;
use schedsim::metrics::{Timeline, TimelineData, GANTT_LIMIT};
use schedsim::policy::{self, Family, PolicyInfo};
use schedsim::report::{self, write_atomic};
use schedsim::scenario::{Mode, PolicySpec};
use schedsim::{Model, Override, PolicySet, RunOptions, RunResult, Scenario, Simulation};

use super::args::{PoliciesArgs, RunArgs, ValidateArgs};
use super::table;
use super::InputError;
use super::{out, outln};

/// Reads a policy given on the command line: a name, or a TOML inline table.
fn parse_spec(flag: &str, text: &str) -> Result<PolicySpec> {
    let t = text.trim();
    if t.starts_with('{') {
        let doc: toml::Table = toml::from_str(&format!("p = {t}"))
            .map_err(|e| InputError(format!("--{flag} {t}: not a TOML table: {}", e.message())))?;
        let value = doc.get("p").cloned().unwrap_or(toml::Value::Table(toml::Table::new()));
        value
            .try_into::<PolicySpec>()
            .map_err(|e| InputError(format!("--{flag} {t}: {}", e.message())).into())
    } else {
        Ok(PolicySpec::named(t))
    }
}

/// The policy set of a run: the named one, with flag overrides, checked for the mode.
fn chosen_policy(a: &RunArgs, scenario: &Scenario) -> Result<(String, PolicySet)> {
    let mut set = resolve_policy(scenario, a.policy.as_deref())?;
    let mut label = a.policy.clone().unwrap_or_else(|| "default".to_string());
    let flags = [("queue", &a.queue), ("placement", &a.placement), ("admission", &a.admission)];
    for (flag, value) in flags {
        let Some(text) = value else { continue };
        let spec = parse_spec(flag, text)?;
        match flag {
            "queue" => set.queue = spec,
            "placement" => set.placement = spec,
            _ => set.admission = spec,
        }
        label = set.to_string();
    }
    let mode = scenario.cluster.mode;
    policy::build_queue(&set.queue).map_err(|e| InputError(format!("queue: {e}")))?;
    policy::build_placement(&set.placement, mode)
        .map_err(|e| InputError(format!("placement: {e}")))?;
    policy::build_admission(&set.admission).map_err(|e| InputError(format!("admission: {e}")))?;
    Ok((label, set))
}

pub fn run(a: RunArgs) -> Result<()> {
    let overrides = a.sets.iter().map(|s| s.parse::<Override>()).collect::<Result<Vec<_>, _>>()?;
    let scenario = Scenario::load_with(&a.scenario, &overrides)?;
    let (label, policy) = chosen_policy(&a, &scenario)?;
    let seed = a.seed.unwrap_or(scenario.seed);
    let model = Model::new(&scenario).map_err(InputError)?;
    let trace_workflows = a.trace_workflows || a.plots;
    let options = RunOptions { trace_workflows };
    // The Gantt chart's data is collected only when charts are drawn: it costs a record per
    // task attempt (up to GANTT_LIMIT).
    let (result, timeline) = if a.plots {
        let sim = Simulation::with_observer(&model, &policy, seed, Timeline::new(&model));
        let (result, timeline) = sim.map_err(InputError)?.options(options).run();
        let end = result.summary.end_time;
        (result, Some(timeline.finish(end)))
    } else {
        (Simulation::new(&model, &policy, seed).map_err(InputError)?.options(options).run().0, None)
    };
    let summary = &result.summary;

    if let Some(dir) = &a.out {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("cannot create output folder {}", dir.display()))?;
        write_atomic(&dir.join("summary.csv"), &report::summary_csv(summary, &label, seed)?)?;
        write_atomic(&dir.join("nodes.csv"), &report::nodes_csv(&summary.nodes)?)?;
        write_atomic(&dir.join("classes.csv"), &report::classes_csv(&summary.classes)?)?;
        if trace_workflows {
            write_atomic(&dir.join("workflows.csv"), &report::workflows_csv(&result.workflows)?)?;
        }
        write_timelines(dir, &result, timeline.as_ref())?;
    }
    if a.json {
        let json = report::summary_json(summary)?;
        outln!("{}", String::from_utf8_lossy(&json))?;
    } else {
        out!("{}", table::run_summary(&scenario, &model, &label, &policy, seed, summary))?;
    }
    if !summary.stable {
        eprintln!(
            "warning: the run is unstable: more than {} workflows were in flight at t = {:.1} s, \
             so arrivals outpace the cluster; the run stopped early (raise limits.max_in_flight \
             to let it grow further)",
            scenario.limits.max_in_flight, summary.end_time
        );
    }
    if let (Some(dir), false) = (&a.out, a.json) {
        outln!("results written to {}", dir.display())?;
    }
    if let (Some(dir), true) = (&a.out, a.plots) {
        super::plots::draw(dir, schedsim::report::figures::PlotOptions::default(), a.json)?;
    }
    Ok(())
}

/// Writes what the load-over-time and Gantt charts draw: `timeseries.csv` (with
/// `sample_interval`), `tasks.csv` and `rejected.csv` (with `--plots`, when the run is small
/// enough for a Gantt chart), and `outages.csv` with either.
fn write_timelines(dir: &Path, result: &RunResult, timeline: Option<&TimelineData>) -> Result<()> {
    if let Some(ts) = &result.timeseries {
        write_atomic(&dir.join("timeseries.csv"), &report::timeseries_csv(ts)?)?;
        if ts.truncated {
            eprintln!(
                "note: load sampling stopped at t = {} s: the run drained far beyond duration and \
                 more samples would not fit in memory (raise sample_interval)",
                ts.times.last().copied().unwrap_or(0.0)
            );
        }
    }
    let outages = match (&result.timeseries, timeline) {
        (Some(ts), _) => Some((&ts.outages, &ts.nodes)),
        (None, Some(t)) => Some((&t.outages, &t.nodes)),
        (None, None) => None,
    };
    if let Some((outages, nodes)) = outages {
        write_atomic(&dir.join("outages.csv"), &report::outages_csv(outages, nodes)?)?;
    }
    let Some(t) = timeline else { return Ok(()) };
    if t.too_large() {
        eprintln!(
            "note: no Gantt chart (tasks.csv): the run started {} task attempts and rejected {} \
             arrivals, more than the {GANTT_LIMIT} a Gantt chart can show (shorten the run, e.g. \
             --set duration=...)",
            t.attempts_seen, t.rejected_seen
        );
        return Ok(());
    }
    write_atomic(&dir.join("tasks.csv"), &report::tasks_csv(t)?)?;
    write_atomic(&dir.join("rejected.csv"), &report::rejected_csv(t)?)?;
    Ok(())
}

pub fn validate(a: ValidateArgs) -> Result<()> {
    let mut failed = 0;
    for path in &a.scenarios {
        match Scenario::load(path) {
            Ok(s) => outln!(
                "{}: ok ({} nodes, {} workflow classes, {} policies)",
                path.display(),
                s.node_count(),
                s.workflows.len(),
                1 + s.policies.len()
            )?,
            Err(e) => {
                failed += 1;
                eprintln!("{e}");
            }
        }
    }
    if failed > 0 {
        return Err(InputError(format!(
            "{failed} of {} scenario files are invalid",
            a.scenarios.len()
        ))
        .into());
    }
    Ok(())
}

pub fn policies(a: PoliciesArgs) -> Result<()> {
    let all: Vec<PolicyInfo> = policy::queues()
        .iter()
        .map(|e| e.info)
        .chain(policy::placements().iter().map(|e| e.info))
        .chain(policy::admissions().iter().map(|e| e.info))
        .collect();
    let shown: Vec<&PolicyInfo> = match &a.name {
        Some(name) => {
            let found: Vec<&PolicyInfo> = all.iter().filter(|p| p.name == name).collect();
            if found.is_empty() {
                let names: Vec<&str> = all.iter().map(|p| p.name).collect();
                let hint = schedsim::scenario::closest(name, names.iter().copied())
                    .map(|s| format!(" — did you mean `{s}`?"))
                    .unwrap_or_default();
                return Err(InputError(format!(
                    "no policy named `{name}`{hint} (policies: {})",
                    names.join(", ")
                ))
                .into());
            }
            found
        }
        None => all.iter().collect(),
    };
    let mut family = None;
    for p in shown {
        if family != Some(p.family) {
            family = Some(p.family);
            let title = match p.family {
                Family::Queue => "Queue disciplines (queue = ...)",
                Family::Placement => "Placement policies (placement = ...)",
                Family::Admission => "Admission policies (admission = ...)",
            };
            outln!("\n{title}")?;
        }
        let modes = if p.modes == [Mode::Central] { "  [central mode only]" } else { "" };
        outln!("  {:<22} {}{modes}", p.name, p.rule)?;
        if !p.params.is_empty() {
            outln!("  {:<22} params: {}", "", p.params)?;
        }
    }
    Ok(())
}
