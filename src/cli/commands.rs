//! One function per command.

use std::path::Path;

use anyhow::{Context, Result};
use schedsim::experiment::resolve_policy;
use schedsim::metrics::{Timeline, TimelineData, GANTT_LIMIT};
use schedsim::policy::{self, Family, PolicyInfo};
use schedsim::report::{self, write_atomic};
use schedsim::scenario::{Mode, PolicySpec};
use schedsim::{Model, Override, PolicySet, RunOptions, RunResult, Scenario, Simulation};

use super::args::{PoliciesArgs, PolicyChoice, RunArgs, ValidateArgs};
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

/// The policy set of a run: the one named by `--policy` (`default` when none), with the
/// `--queue`, `--placement` and `--admission` overrides, checked for the mode.
pub fn chosen_policy(c: &PolicyChoice, scenario: &Scenario) -> Result<(String, PolicySet)> {
    let mut set = resolve_policy(scenario, c.policy.as_deref())?;
    let mut label = c.policy.clone().unwrap_or_else(|| "default".to_string());
    let flags = [("queue", &c.queue), ("placement", &c.placement), ("admission", &c.admission)];
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
    policy::build_queue(&set.queue, mode).map_err(|e| InputError(format!("queue: {e}")))?;
    policy::build_placement(&set.placement, mode)
        .map_err(|e| InputError(format!("placement: {e}")))?;
    policy::build_admission(&set.admission).map_err(|e| InputError(format!("admission: {e}")))?;
    Ok((label, set))
}

pub fn run(a: RunArgs) -> Result<()> {
    let overrides = a.sets.iter().map(|s| s.parse::<Override>()).collect::<Result<Vec<_>, _>>()?;
    let scenario = Scenario::load_with(&a.scenario, &overrides)?;
    let (label, policy) = chosen_policy(&a.choice, &scenario)?;
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
    if let Some(e) = &result.trace_error {
        // The file was read whole at load; failing now means it changed since.
        return Err(InputError(format!("the trace became unreadable during the run: {e}")).into());
    }
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
                "{}: ok ({} nodes, {} workflow classes{}, {} policies)",
                path.display(),
                s.node_count(),
                s.workflows.len(),
                match (&s.trace, s.trace.as_ref().and_then(|t| t.scan.as_ref())) {
                    (Some(t), Some(scan)) => format!(
                        " plus a trace ({}, {} jobs)",
                        serde_json::to_value(t.format)
                            .ok()
                            .and_then(|v| v.as_str().map(String::from))
                            .unwrap_or_default(),
                        scan.jobs
                    ),
                    _ => String::new(),
                },
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

/// Dispatch modes as words.
fn modes(p: &PolicyInfo) -> String {
    let names: Vec<String> = p.modes.iter().map(|m| m.to_string()).collect();
    match p.modes {
        [Mode::Central] => "central only".to_string(),
        _ => names.join(", "),
    }
}

/// How a scenario names a policy of the family.
fn family_key(f: Family) -> &'static str {
    match f {
        Family::Queue => "queue",
        Family::Placement => "placement",
        Family::Admission => "admission",
    }
}

/// `schedsim policies`: every registered policy, by family, with its rule, modes and
/// parameters; `schedsim policies NAME`: one policy explained, with a worked example computed
/// by the policy itself.
pub fn policies(a: PoliciesArgs) -> Result<()> {
    match &a.name {
        Some(name) => explain_policy(name),
        None => list_policies(),
    }
}

fn list_policies() -> Result<()> {
    let mut family = None;
    for p in policy::all() {
        if family != Some(p.family) {
            family = Some(p.family);
            let title = match p.family {
                Family::Queue => "Queue disciplines: what waits first",
                Family::Placement => "Placement policies: where a task runs",
                Family::Admission => "Admission policies: which workflows are let in",
            };
            outln!(
                "\n{title} ({} = \"NAME\" or {{ kind = \"NAME\", ... }})",
                family_key(p.family)
            )?;
        }
        outln!("  {:<22} {}", p.name, p.rule)?;
        let params = if p.params.is_empty() {
            "none".to_string()
        } else {
            p.params.iter().map(|x| x.signature()).collect::<Vec<_>>().join(", ")
        };
        outln!("  {:<22} modes: {} · params: {params}", "", modes(&p))?;
    }
    outln!("\n`schedsim policies NAME` explains one, with a worked example.")?;
    Ok(())
}

fn explain_policy(name: &str) -> Result<()> {
    let Some(p) = policy::find(name) else {
        let all = policy::all();
        let names: Vec<&str> = all.iter().map(|p| p.name).collect();
        let hint = schedsim::scenario::closest(name, names.iter().copied())
            .map(|s| format!(" — did you mean `{s}`?"))
            .unwrap_or_default();
        return Err(InputError(format!(
            "no policy named `{name}`{hint} (policies: {})",
            names.join(", ")
        ))
        .into());
    };
    let (_, example, worked) = policy::worked_example(name).map_err(anyhow::Error::msg)?;
    outln!("{} — {} ({} = \"{}\")", p.name, p.family.name(), family_key(p.family), p.name)?;
    outln!("\nRule: {}", p.rule)?;
    if !p.about.is_empty() {
        outln!("\n{}", table::wrap(p.about, 92))?;
    }
    outln!("\nParameters:")?;
    if p.params.is_empty() {
        outln!("  none")?;
    }
    for x in p.params {
        outln!("  {}", x.signature())?;
        outln!("      {}", table::wrap(x.meaning, 86).replace('\n', "\n      "))?;
    }
    outln!("\nDispatch modes: {}", modes(&p))?;
    let params = match example.params() {
        "" => "default parameters".to_string(),
        t => format!("{{ kind = \"{}\", {t} }}", p.name),
    };
    outln!("\nWorked example (computed now by the policy itself, with {params}):")?;
    for line in worked.state.lines() {
        outln!("  {line}")?;
    }
    for line in &worked.decisions {
        outln!("  {line}")?;
    }
    Ok(())
}
