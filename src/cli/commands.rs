//! One function per command.

use anyhow::{Context, Result};
use schedsim::experiment::resolve_policy;
use schedsim::policy::{self, Family, PolicyInfo};
use schedsim::report::{self, write_atomic};
use schedsim::scenario::{Mode, PolicySpec};
use schedsim::{Model, Override, PolicySet, RunOptions, Scenario, Simulation};

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

/// The policy set of a run: the one `name`d (`default` when none), with the `--queue`,
/// `--placement` and `--admission` overrides, checked for the mode.
pub fn chosen_policy(
    name: Option<&str>,
    [queue, placement, admission]: [&Option<String>; 3],
    scenario: &Scenario,
) -> Result<(String, PolicySet)> {
    let mut set = resolve_policy(scenario, name)?;
    let mut label = name.unwrap_or("default").to_string();
    let flags = [("queue", queue), ("placement", placement), ("admission", admission)];
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
    let flags = [&a.queue, &a.placement, &a.admission];
    let (label, policy) = chosen_policy(a.policy.as_deref(), flags, &scenario)?;
    let seed = a.seed.unwrap_or(scenario.seed);
    let model = Model::new(&scenario).map_err(InputError)?;
    let sim = Simulation::new(&model, &policy, seed).map_err(InputError)?;
    let trace_workflows = a.trace_workflows || a.plots;
    let (result, _) = sim.options(RunOptions { trace_workflows }).run();
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
