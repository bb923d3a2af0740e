//! `schedsim trace`: the readable event log of a small run, and where two policies diverge.

use anyhow::{Context, Result};
use schedsim::experiment::resolve_policies;
use schedsim::metrics::{Timeline, TimelineData};
use schedsim::report::charts::{self, Format, Gantt};
use schedsim::report::write_atomic;
use schedsim::trace::{first_divergence, Trace, TraceLine};
use schedsim::{Model, Override, PolicySet, Scenario, Simulation, Summary};

use super::args::{TraceArgs, TraceFormat};
use super::commands::chosen_policy;
use super::InputError;
use super::{out, outln};

/// Trace lines kept per event at most (an event writes a handful of lines).
const LINES_PER_EVENT: u64 = 16;

pub fn trace(a: TraceArgs) -> Result<()> {
    let overrides = a.sets.iter().map(|s| s.parse::<Override>()).collect::<Result<Vec<_>, _>>()?;
    let scenario = Scenario::load_with(&a.scenario, &overrides)?;
    let seed = a.seed.unwrap_or(scenario.seed);
    let model = Model::new(&scenario).map_err(InputError)?;
    if let Some(pair) = &a.compare {
        return compare(&a, &scenario, &model, seed, pair);
    }
    let (label, policy) = chosen_policy(&a.choice, &scenario)?;
    let (summary, trace, timeline) = traced(&a, &scenario, &model, &policy, seed)?;
    if let Some(path) = &a.gantt {
        let title = format!("{}: tasks on nodes ({label}, seed {seed})", scenario.name);
        let chart = charts::gantt(&Gantt { title, timeline: &timeline }, Format::Svg)?;
        write_atomic(path, &chart.picture)?;
    }
    match a.format {
        TraceFormat::Text => {
            outln!("scenario {} (seed {seed}), policy {label}: {policy}", scenario.name)?;
            for line in trace.lines() {
                outln!("{}", line.text())?;
            }
            if trace.dropped() > 0 {
                outln!("... {} more lines not kept", trace.dropped())?;
            }
            outln!(
                "{} events; {} workflows arrived, {} completed, {} rejected, {} failed",
                summary.events,
                summary.arrived,
                summary.completed,
                summary.rejected,
                summary.failed
            )?;
        }
        TraceFormat::Csv => out!("{}", String::from_utf8_lossy(&csv_bytes(trace.lines())?))?,
    }
    Ok(())
}

/// Runs `policy` with a [`Trace`] (and a [`Timeline`] for the Gantt chart); refuses runs
/// longer than `--max-events`.
fn traced<'m>(
    a: &TraceArgs,
    scenario: &Scenario,
    model: &'m Model,
    policy: &PolicySet,
    seed: u64,
) -> Result<(Summary, Trace<'m>, TimelineData)> {
    let limit = a.max_events.saturating_mul(LINES_PER_EVENT).min(usize::MAX as u64) as usize;
    let observer = (Trace::new(model, policy, limit), Timeline::new(model));
    let sim = Simulation::with_observer(model, policy, seed, observer).map_err(InputError)?;
    let (result, (trace, timeline)) = sim.run();
    let events = result.summary.events;
    if events > a.max_events {
        return Err(InputError(format!(
            "{}: the run processes {events} events, more than --max-events {}; a trace is for \
             reading: make the run smaller (e.g. {}) or raise --max-events",
            a.scenario.display(),
            a.max_events,
            suggest_duration(scenario, events, a.max_events)
        ))
        .into());
    }
    let timeline = timeline.finish(result.summary.end_time);
    Ok((result.summary, trace, timeline))
}

/// `--set` flags for a duration that would bring the run under the limit, assuming events
/// grow in proportion to it (and no warmup, which must stay below the duration).
fn suggest_duration(scenario: &Scenario, events: u64, max: u64) -> String {
    if max == 0 {
        return "a --max-events above 0".to_string();
    }
    let d = scenario.duration * max as f64 / events as f64 * 0.8;
    let magnitude = 10f64.powf(d.log10().floor());
    let d = ((d / magnitude).floor() * magnitude).max(magnitude);
    if scenario.warmup >= d {
        format!("--set duration={d} --set warmup=0")
    } else {
        format!("--set duration={d}")
    }
}

fn csv_bytes(lines: &[TraceLine]) -> Result<Vec<u8>> {
    let mut w = csv::Writer::from_writer(Vec::new());
    for l in lines {
        w.serialize(l).context("cannot write the trace as CSV")?;
    }
    w.into_inner().context("cannot write the trace as CSV")
}

/// `--compare A B`: the first decision where the two runs differ.
fn compare(
    a: &TraceArgs,
    scenario: &Scenario,
    model: &Model,
    seed: u64,
    pair: &[String],
) -> Result<()> {
    let sets = resolve_policies(scenario, pair)?;
    let [(name_a, set_a), (name_b, set_b)] = &sets[..] else {
        return Err(InputError("--compare takes two policies".into()).into());
    };
    let (_, ta, _) = traced(a, scenario, model, set_a, seed)?;
    let (_, tb, _) = traced(a, scenario, model, set_b, seed)?;
    outln!("scenario {} (seed {seed})", scenario.name)?;
    outln!("  {name_a}: {set_a}")?;
    outln!("  {name_b}: {set_b}")?;
    let Some(d) = first_divergence(ta.decisions(), tb.decisions()) else {
        outln!("the two runs take the same {} decisions", ta.decisions().len())?;
        return Ok(());
    };
    outln!("the same first {} decisions; then they diverge:", d.index)?;
    // Context: the lines of run A just before the divergence.
    if let Some(first) = d.a.as_ref().or(d.b.as_ref()) {
        let lines = if d.a.is_some() { ta.lines() } else { tb.lines() };
        let from = first.line.saturating_sub(3);
        outln!("\nlast common events:")?;
        for l in &lines[from..first.line] {
            outln!("  {}", l.text())?;
        }
    }
    for (name, rec, trace) in [(name_a, &d.a, &ta), (name_b, &d.b, &tb)] {
        outln!("\n{name}:")?;
        match rec {
            Some(r) => {
                outln!("  {}", trace.lines()[r.line].text())?;
                outln!("  state it saw: {}", r.state)?;
            }
            None => outln!("  (no more decisions: its run ended)")?,
        }
    }
    Ok(())
}
