//! `schedsim plan`: the capacity that meets the SLOs, per policy.

use std::fmt::Write as _;
use std::path::PathBuf;

use anyhow::{Context, Result};
use schedsim::experiment::{resolve_policies, Vary};
use schedsim::planner::{
    plan_policy, value_number, Cost, Direction, Parameter, PolicyPlan, Request, Slo, LEVEL,
};
use schedsim::report::charts::{self, Format, Interval, MetricInfo, SweepCurves, SweepSeries};
use schedsim::report::{figures, write_atomic};
use schedsim::{Override, Scenario, Summary};

use super::args::PlanArgs;
use super::outln;
use super::InputError;

pub fn plan(a: PlanArgs) -> Result<()> {
    let sets = a.sets.iter().map(|s| s.parse::<Override>()).collect::<Result<Vec<_>, _>>()?;
    let scenario = Scenario::load_with(&a.scenario, &sets)?;
    let slos = a.slo.iter().map(|s| s.parse::<Slo>()).collect::<Result<Vec<_>, _>>()?;
    let (texts, direction) =
        match &a.rate_max {
            Some(r) => (vec![r.clone()], Direction::Largest),
            None if a.vary.is_empty() => return Err(InputError(
                "plan needs --vary PATH=RANGE (a capacity, e.g. cluster.nodes.worker.count=1..64) \
                 or --rate-max PATH=RANGE (an arrival rate)"
                    .into(),
            )
            .into()),
            None => (a.vary.clone(), Direction::Smallest),
        };
    let parameters = texts.iter().map(|t| parameter(t)).collect::<Result<Vec<_>>>()?;
    let cost = a.cost.as_deref().map(str::parse::<Cost>).transpose()?;
    let paths: Vec<&str> = parameters.iter().map(|p| p.path.as_str()).collect();
    match &cost {
        None if parameters.len() > 1 => {
            return Err(InputError(format!(
                "{} parameters are varied: give a --cost to choose between combinations, e.g. \
                 --cost \"{}\"",
                parameters.len(),
                paths.join(" + ")
            ))
            .into())
        }
        Some(c) if !c.unknown_paths(&paths).is_empty() => {
            return Err(InputError(format!(
                "--cost {c}: `{}` is not a --vary path ({})",
                c.unknown_paths(&paths)[0],
                paths.join(", ")
            ))
            .into())
        }
        _ => {}
    }
    let replications = a.replications.or(scenario.replications.map(u64::from)).unwrap_or(10);
    if replications < 2 {
        return Err(
            InputError("--replications must be at least 2 to have an interval".into()).into()
        );
    }
    let policies = resolve_policies(&scenario, std::slice::from_ref(&a.policies))?;
    let request = Request { parameters, slos, direction, replications, cost };
    let out =
        a.out.clone().unwrap_or_else(|| PathBuf::from(format!("results/{}-plan", scenario.name)));

    let pool = rayon::ThreadPoolBuilder::new().num_threads(a.jobs.unwrap_or(0)).build()?;
    let mut plans = Vec::new();
    for (name, set) in &policies {
        let plan = pool.install(|| plan_policy(&a.scenario, &sets, name, set, &request))?;
        print_plan(&request, &plan)?;
        plans.push(plan);
    }
    if plans.len() > 1 {
        outln!("\nanswers")?;
        for p in &plans {
            outln!("  {:<24} {}", p.policy, answer_text(&request, p))?;
        }
    }
    std::fs::create_dir_all(&out).with_context(|| format!("cannot create {}", out.display()))?;
    write_atomic(&out.join("plan.csv"), &plan_csv(&request, &plans)?)?;
    let chart = plan_chart(&scenario, &request, &plans);
    match chart {
        Ok(c) => write_atomic(&out.join("plan.svg"), &c.picture)?,
        Err(e) => eprintln!("warning: no chart: {e}"),
    }
    let manifest = serde_json::json!({
        "command": std::env::args().collect::<Vec<_>>(),
        "scenario": scenario,
        "slos": request.slos.iter().map(|s| s.to_string()).collect::<Vec<_>>(),
        "direction": if direction == Direction::Smallest { "smallest" } else { "largest" },
        "replications_per_probe": replications,
        "confidence": LEVEL,
        "cost": request.cost.as_ref().map(|c| c.to_string()),
        "answers": plans.iter().map(|p| serde_json::json!({
            "policy": p.policy,
            "values": p.answer,
            "cost": p.cost,
            "warnings": p.warnings,
            "probes": p.probes.len(),
        })).collect::<Vec<_>>(),
        "schedsim_version": env!("CARGO_PKG_VERSION"),
    });
    write_atomic(&out.join("manifest.json"), &serde_json::to_vec_pretty(&manifest)?)?;
    outln!("\nresults written to {}", out.display())?;
    Ok(())
}

/// `PATH=A..B` (step 1), `PATH=A..B:STEP` or `PATH=1,2,4`: numeric values in increasing order.
fn parameter(text: &str) -> Result<Parameter> {
    let mut t = text.to_string();
    if let Some((_, values)) = text.split_once('=') {
        if values.contains("..") && !values.contains(':') {
            t.push_str(":1");
        }
    }
    let vary: Vary = t.parse()?;
    let mut values = vary.values;
    if values.iter().any(|v| value_number(v).is_nan()) {
        return Err(InputError(format!("{text}: the values must be numbers")).into());
    }
    values.sort_by(|x, y| value_number(x).total_cmp(&value_number(y)));
    values.dedup_by(|x, y| value_number(x) == value_number(y));
    if values.len() < 2 {
        return Err(InputError(format!("{text}: give at least two values to search")).into());
    }
    Ok(Parameter { path: vary.path, values })
}

fn answer_text(r: &Request, p: &PolicyPlan) -> String {
    match &p.answer {
        None => "none: no value in the range meets every SLO".to_string(),
        Some(v) => {
            let mut s: Vec<String> =
                r.parameters.iter().zip(v).map(|(q, x)| format!("{} = {x}", q.path)).collect();
            if let Some(c) = p.cost {
                s.push(format!("cost {c}"));
            }
            s.join(", ")
        }
    }
}

fn print_plan(r: &Request, p: &PolicyPlan) -> Result<()> {
    let what = if r.direction == Direction::Smallest { "smallest" } else { "largest" };
    let slos: Vec<String> = r.slos.iter().map(|s| s.to_string()).collect();
    outln!(
        "\npolicy {}: {what} value meeting {} ({} replications per probe, {:.0} % bounds)",
        p.policy,
        slos.join(" and "),
        r.replications,
        LEVEL * 100.0
    )?;
    let mut header = String::from("  ");
    let widths: Vec<usize> =
        r.parameters.iter().map(|q| short(&q.path).len().max(12) + 2).collect();
    for (q, w) in r.parameters.iter().zip(&widths) {
        let _ = write!(header, "{:>w$}", short(&q.path));
    }
    for s in &r.slos {
        let _ = write!(header, "{:>26}", s.metric);
    }
    outln!("{header}  verdict")?;
    for probe in &p.probes {
        let mut row = String::from("  ");
        for (v, w) in probe.values.iter().zip(&widths) {
            let _ = write!(row, "{v:>w$}");
        }
        for (e, holds) in probe.estimates.iter().zip(&probe.holds) {
            let cell =
                format!("{:.4} ± {:.4} {}", e.mean, e.half_width, if *holds { "ok" } else { "NO" });
            let _ = write!(row, "{cell:>26}");
        }
        let verdict = match (probe.pass(), probe.stable) {
            (true, _) => "meets",
            (false, false) => "fails (unstable)",
            (false, true) => "fails",
        };
        let kind = if probe.kind == "verify" { " (re-run, fresh seeds)" } else { "" };
        outln!("{row}  {verdict}{kind}")?;
    }
    outln!("  answer: {}", answer_text(r, p))?;
    for w in &p.warnings {
        outln!("  warning: {w}")?;
    }
    Ok(())
}

/// The last two segments of a path (`payment.count`), for column headers.
fn short(path: &str) -> String {
    let parts: Vec<&str> = path.split('.').collect();
    parts[parts.len().saturating_sub(2)..].join(".")
}

fn plan_csv(r: &Request, plans: &[PolicyPlan]) -> Result<Vec<u8>> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut header = vec!["policy".to_string(), "probe".into(), "kind".into()];
    header.extend(r.parameters.iter().map(|q| q.path.clone()));
    for s in &r.slos {
        header.push(format!("{}_mean", s.metric));
        header.push(format!("{}_half_width", s.metric));
        header.push(format!("{}_holds", s));
    }
    header.extend(["stable".to_string(), "meets".into(), "answer".into()]);
    w.write_record(&header)?;
    for p in plans {
        for (i, probe) in p.probes.iter().enumerate() {
            let mut row = vec![p.policy.clone(), i.to_string(), probe.kind.to_string()];
            row.extend(probe.values.iter().map(|v| v.to_string()));
            for (e, h) in probe.estimates.iter().zip(&probe.holds) {
                row.extend([e.mean.to_string(), e.half_width.to_string(), h.to_string()]);
            }
            let is_answer = p.answer.as_deref() == Some(&probe.values[..]);
            row.extend([probe.stable.to_string(), probe.pass().to_string(), is_answer.to_string()]);
            w.write_record(&row)?;
        }
    }
    Ok(w.into_inner()?)
}

/// The first SLO's metric against the first parameter, one line per policy, with the limit.
fn plan_chart(
    scenario: &Scenario,
    r: &Request,
    plans: &[PolicyPlan],
) -> Result<charts::Chart, charts::ChartError> {
    let slo = &r.slos[0];
    let mut series: Vec<SweepSeries> = plans
        .iter()
        .map(|p| {
            let mut points: Vec<(f64, Interval)> = p
                .probes
                .iter()
                .filter(|q| q.kind == "search")
                .map(|q| {
                    let e = &q.estimates[0];
                    (
                        q.values[0],
                        Interval {
                            mean: e.mean,
                            low: e.mean - e.half_width,
                            high: e.mean + e.half_width,
                        },
                    )
                })
                .collect();
            points.sort_by(|a, b| a.0.total_cmp(&b.0));
            SweepSeries { name: p.policy.clone(), points }
        })
        .collect();
    let xs = series.iter().flat_map(|s| s.points.iter().map(|p| p.0));
    let (x0, x1) = xs.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), x| (a.min(x), b.max(x)));
    if x0.is_finite() {
        let limit = Interval { mean: slo.limit, low: slo.limit, high: slo.limit };
        series.push(SweepSeries {
            name: format!("SLO: {slo}"),
            points: vec![(x0, limit), (x1, limit)],
        });
    }
    let name = Summary::METRICS[slo.index];
    let unit = if name.starts_with("latency") || name.starts_with("wait_") { "s" } else { "" };
    let metric = figures::metric_info(name).unwrap_or(MetricInfo {
        name,
        label: name,
        unit,
        better: charts::Better::Lower,
    });
    charts::sweep_curves(
        &SweepCurves {
            title: format!("{}: {} vs {}", scenario.name, slo.metric, r.parameters[0].path),
            parameter: r.parameters[0].path.clone(),
            metric,
            series,
        },
        Format::Svg,
    )
}
