//! Which charts a result folder gets, built from its files, and writing them to `plots/`.
//!
//! - An experiment with one point (`compare`): the latency CDF per policy (from
//!   `latency.csv`) and a bar chart per headline metric with 95 % whiskers (from
//!   `aggregate.csv`).
//! - An experiment with several points (`sweep`): each headline metric against the first
//!   numeric varied parameter, one line per policy (and per value of the other varied
//!   parameters), with 95 % bands.
//! - A run (`run --out`): the latency CDF of its workflows (`workflows.csv`, with
//!   `--trace-workflows` or `--plots`), the load over time (`timeseries.csv`, with the
//!   scenario's `sample_interval`) and the Gantt chart of its tasks on nodes (`tasks.csv`, with
//!   `--plots`, for runs of at most [`GANTT_LIMIT`] task attempts).

use std::path::{Path, PathBuf};

use super::charts::{
    self, CdfSeries, Chart, ChartError, Format, Gantt, Interval, LatencyCdf, LoadOverTime,
    MetricBars, MetricInfo, SweepCurves, SweepSeries, HEADLINE_INFO,
};
use super::results::{Experiment, Results, Run};
use super::{number, write_atomic, ReportError};
use crate::experiment::LATENCY_LEVELS;
use crate::metrics::GANTT_LIMIT;

/// How to draw.
#[derive(Clone, Copy, Debug)]
pub struct PlotOptions {
    /// Picture format.
    pub format: Format,
    /// Logarithmic latency axis on the CDF.
    pub log_x: bool,
}

impl Default for PlotOptions {
    fn default() -> Self {
        PlotOptions { format: Format::Svg, log_x: false }
    }
}

/// A chart with its file name and title.
#[derive(Clone, Debug)]
pub struct Figure {
    /// File name without extension (`latency_cdf`, `bars_latency_p99`, ...).
    pub stem: String,
    /// Title, also the figure caption in reports.
    pub title: String,
    /// What it shows and where the data comes from, for reports.
    pub caption: String,
    /// The picture and its data.
    pub chart: Chart,
}

/// The charts of a result folder, and notes on charts that could not be drawn and why.
///
/// # Errors
/// [`ChartError::Draw`] when plotters fails.
pub fn figures(
    results: &Results,
    opts: PlotOptions,
) -> Result<(Vec<Figure>, Vec<String>), ChartError> {
    match results {
        Results::Experiment(e) => experiment_figures(e, opts),
        Results::Run(r) => run_figures(r, opts),
    }
}

/// Writes each figure's picture and CSV into `dir/plots/`, atomically; returns the pictures'
/// paths.
///
/// # Errors
/// [`ReportError::Write`] naming the file.
pub fn write_figures(
    dir: &Path,
    figures: &[Figure],
    format: Format,
) -> Result<Vec<PathBuf>, ReportError> {
    let plots = dir.join("plots");
    std::fs::create_dir_all(&plots)
        .map_err(|source| ReportError::Write { path: plots.clone(), source })?;
    let mut written = Vec::new();
    for f in figures {
        let picture = plots.join(format!("{}.{}", f.stem, format.extension()));
        write_atomic(&picture, &f.chart.picture)?;
        write_atomic(&plots.join(format!("{}.csv", f.stem)), &f.chart.data)?;
        written.push(picture);
    }
    Ok(written)
}

/// The scenario's name, from the manifest.
pub fn scenario_name(e: &Experiment) -> String {
    e.manifest.scenario.get("name").and_then(|v| v.as_str()).unwrap_or("experiment").to_string()
}

fn interval(e: &Experiment, point: &[String], policy: &str, metric: &str) -> Interval {
    e.aggregate(point, policy, metric).map_or(
        Interval { mean: f64::NAN, low: f64::NAN, high: f64::NAN },
        |a| Interval { mean: a.mean, low: a.ci_low, high: a.ci_high },
    )
}

/// The charts of an experiment folder (see [`figures`]).
///
/// # Errors
/// [`ChartError::Draw`] when plotters fails.
pub fn experiment_figures(
    e: &Experiment,
    opts: PlotOptions,
) -> Result<(Vec<Figure>, Vec<String>), ChartError> {
    let layout = &e.manifest.layout;
    let name = scenario_name(e);
    let mut figures = Vec::new();
    let mut notes = Vec::new();
    if layout.points.len() > 1 {
        return sweep_figures(e, opts);
    }
    let point = layout.points.first().cloned().unwrap_or_default();
    match &e.latency {
        Some(rows) => {
            let series: Vec<CdfSeries> = layout
                .policies
                .iter()
                .map(|p| {
                    let points: Vec<(f64, f64)> = rows
                        .iter()
                        .filter(|r| r.point == point && &r.policy == p)
                        .map(|r| (r.q, r.latency))
                        .collect();
                    let at = |q: f64| points.iter().find(|x| x.0 == q).map_or(f64::NAN, |x| x.1);
                    CdfSeries { name: p.clone(), p95: at(0.95), p99: at(0.99), points }
                })
                .collect();
            let title = format!("Latency distribution — {name}");
            let input = LatencyCdf { title: title.clone(), series, log_x: opts.log_x };
            match charts::latency_cdf(&input, opts.format) {
                Ok(chart) => figures.push(Figure {
                    stem: "latency_cdf".into(),
                    title,
                    caption: format!(
                        "Fraction of completed workflows with latency at most x, per policy: at \
                         each level q the mean over {} replications of each run's q-quantile \
                         (latency.csv). Circles mark p95, triangles p99.",
                        layout.replications
                    ),
                    chart,
                }),
                Err(ChartError::NoData(_)) => {
                    notes.push("no latency CDF: no workflow completed".into())
                }
                Err(err) => return Err(err),
            }
        }
        None => notes.push(
            "no latency CDF: latency.csv is missing (written by compare and sweep since \
             schedsim draws charts; run the experiment again)"
                .into(),
        ),
    }
    for m in HEADLINE_INFO {
        let bars =
            layout.policies.iter().map(|p| (p.clone(), interval(e, &point, p, m.name))).collect();
        let title = format!("{} by policy — {name}", m.label);
        let input =
            MetricBars { title: title.clone(), metric: m, bars, replications: layout.replications };
        match charts::metric_bars(&input, opts.format) {
            Ok(chart) => figures.push(Figure {
                stem: format!("bars_{}", m.name),
                title,
                caption: format!(
                    "{} ({}) per policy: mean over {} replications with its 95 % Student-t \
                     interval (aggregate.csv).",
                    m.label, m.unit, layout.replications
                ),
                chart,
            }),
            Err(ChartError::NoData(_)) => notes.push(format!("no {} chart: no value", m.name)),
            Err(err) => return Err(err),
        }
    }
    Ok((figures, notes))
}

fn sweep_figures(
    e: &Experiment,
    opts: PlotOptions,
) -> Result<(Vec<Figure>, Vec<String>), ChartError> {
    let layout = &e.manifest.layout;
    let name = scenario_name(e);
    let numeric = |k: usize| {
        let values: Vec<&String> = layout.points.iter().map(|p| &p[k]).collect();
        values.iter().all(|v| v.parse::<f64>().is_ok()) && values.iter().any(|v| *v != values[0])
    };
    let Some(axis) = (0..layout.vary.len()).find(|&k| numeric(k)) else {
        return Ok((
            Vec::new(),
            vec![format!(
                "no sweep chart: no varied parameter takes several numeric values ({})",
                layout.vary.join(", ")
            )],
        ));
    };
    let parameter = &layout.vary[axis];
    // A series per policy and per combination of the other varied values, in grid order.
    let others = |p: &[String]| -> Vec<String> {
        p.iter().enumerate().filter(|(k, _)| *k != axis).map(|(_, v)| v.clone()).collect()
    };
    let mut groups: Vec<Vec<String>> = Vec::new();
    for p in &layout.points {
        let o = others(p);
        if !groups.contains(&o) {
            groups.push(o);
        }
    }
    let other_names: Vec<&String> =
        layout.vary.iter().enumerate().filter(|(k, _)| *k != axis).map(|(_, v)| v).collect();
    let mut figures = Vec::new();
    let mut notes = Vec::new();
    for m in HEADLINE_INFO {
        let mut series = Vec::new();
        for policy in &layout.policies {
            for g in &groups {
                let mut points: Vec<(f64, Interval)> = layout
                    .points
                    .iter()
                    .filter(|p| &others(p) == g)
                    .filter_map(|p| {
                        let x = p[axis].parse::<f64>().ok()?;
                        Some((x, interval(e, p, policy, m.name)))
                    })
                    .collect();
                points.sort_by(|a, b| a.0.total_cmp(&b.0));
                let label = if g.is_empty() {
                    policy.clone()
                } else {
                    let values: Vec<String> =
                        other_names.iter().zip(g).map(|(k, v)| format!("{k}={v}")).collect();
                    format!("{policy}, {}", values.join(", "))
                };
                series.push(SweepSeries { name: label, points });
            }
        }
        let title = format!("{} vs {} — {name}", m.label, short(parameter));
        let input =
            SweepCurves { title: title.clone(), parameter: parameter.clone(), metric: m, series };
        match charts::sweep_curves(&input, opts.format) {
            Ok(chart) => figures.push(Figure {
                stem: format!("sweep_{}", m.name),
                title,
                caption: format!(
                    "{} ({}) against {parameter}: mean over {} replications per point, \
                     shaded 95 % Student-t band (aggregate.csv).",
                    m.label, m.unit, layout.replications
                ),
                chart,
            }),
            Err(ChartError::NoData(_)) => notes.push(format!("no {} chart: no value", m.name)),
            Err(err) => return Err(err),
        }
    }
    Ok((figures, notes))
}

/// The last two segments of a scenario path (`arrival.rate`), for titles.
fn short(path: &str) -> String {
    let parts: Vec<&str> = path.split('.').collect();
    parts[parts.len().saturating_sub(2)..].join(".")
}

/// The latency at each of [`LATENCY_LEVELS`] of `sorted` values (nearest rank: the smallest
/// value with at least a fraction q of the values at or below it).
pub fn quantiles(sorted: &[f64]) -> Vec<(f64, f64)> {
    LATENCY_LEVELS
        .iter()
        .map(|&q| {
            let rank = ((q * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
            (q, sorted[rank - 1])
        })
        .collect()
}

fn run_figures(r: &Run, opts: PlotOptions) -> Result<(Vec<Figure>, Vec<String>), ChartError> {
    let mut figures = Vec::new();
    let mut notes = Vec::new();
    let policy = r.get("policy").unwrap_or("run").to_string();
    let who = format!("{policy}, seed {}", r.get("seed").unwrap_or("?"));
    match &r.latencies {
        None => notes.push(
            "no latency CDF: workflows.csv is missing (run with --trace-workflows, or --plots, \
             to write it)"
                .into(),
        ),
        Some(latencies) => match run_cdf(latencies, &policy, &who, opts)? {
            Some(f) => figures.push(f),
            None => notes.push("no latency CDF: no workflow completed".into()),
        },
    }
    match &r.timeseries {
        None => notes.push(
            "no load over time: timeseries.csv is missing (set sample_interval in the scenario, \
             e.g. --set sample_interval=10)"
                .into(),
        ),
        Some(ts) => {
            let title = format!("Load over time — {who}");
            let input = LoadOverTime { title: title.clone(), series: ts };
            match charts::load_over_time(&input, opts.format) {
                Ok(chart) => figures.push(Figure {
                    stem: "load_over_time".into(),
                    title,
                    caption: format!(
                        "Each node's load Lᵢ (CPU allocated + queued, over its capacity) and the \
                         average weighted load, sampled every {} s (timeseries.csv); node \
                         outages shaded (outages.csv), migrations and steals as ticks.",
                        number(ts.interval)
                    ),
                    chart,
                }),
                Err(ChartError::NoData(_)) => notes.push("no load over time: no sample".into()),
                Err(err) => return Err(err),
            }
        }
    }
    match &r.timeline {
        None => notes.push(format!(
            "no Gantt chart: tasks.csv is missing (run --plots writes it for runs of at most \
             {GANTT_LIMIT} task attempts)"
        )),
        Some(t) => {
            let title = format!("Tasks on nodes — {who}");
            match charts::gantt(&Gantt { title: title.clone(), timeline: t }, opts.format) {
                Ok(chart) => figures.push(Figure {
                    stem: "gantt".into(),
                    title,
                    caption: format!(
                        "The {} task attempts of the run on their nodes, coloured by workflow \
                         class (tasks.csv); compensations outlined, failed, lost or cancelled \
                         attempts pale with a black end, outages shaded, rejected arrivals as \
                         ticks.",
                        t.attempts.len()
                    ),
                    chart,
                }),
                Err(ChartError::NoData(_)) => {
                    notes.push("no Gantt chart: no task ran and no arrival was rejected".into())
                }
                Err(err @ ChartError::TooLarge { .. }) => {
                    notes.push(format!("no Gantt chart: {err}"))
                }
                Err(err) => return Err(err),
            }
        }
    }
    Ok((figures, notes))
}

/// The latency CDF of one run's completed workflows, or `None` when none completed.
fn run_cdf(
    latencies: &[f64],
    policy: &str,
    who: &str,
    opts: PlotOptions,
) -> Result<Option<Figure>, ChartError> {
    let mut sorted: Vec<f64> = latencies.iter().copied().filter(|x| x.is_finite()).collect();
    if sorted.is_empty() {
        return Ok(None);
    }
    sorted.sort_by(f64::total_cmp);
    let points = quantiles(&sorted);
    let at = |q: f64| points.iter().find(|x| x.0 == q).map_or(f64::NAN, |x| x.1);
    let title = format!("Latency distribution — {who}");
    let series = vec![CdfSeries { name: policy.to_string(), p95: at(0.95), p99: at(0.99), points }];
    let input = LatencyCdf { title: title.clone(), series, log_x: opts.log_x };
    let chart = charts::latency_cdf(&input, opts.format)?;
    Ok(Some(Figure {
        stem: "latency_cdf".into(),
        title,
        caption: format!(
            "Fraction of the {} completed workflows with latency at most x (workflows.csv); \
             circle p95, triangle p99.",
            sorted.len()
        ),
        chart,
    }))
}

/// The metric's chart description.
pub fn metric_info(name: &str) -> Option<MetricInfo> {
    HEADLINE_INFO.iter().copied().find(|m| m.name == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_rank_quantiles() {
        let xs: Vec<f64> = (1..=200).map(f64::from).collect();
        let q = quantiles(&xs);
        assert_eq!(q[0], (0.0, 1.0));
        assert_eq!(q[50], (0.5, 100.0));
        assert_eq!(q[95], (0.95, 190.0));
        assert_eq!(q[102], (1.0, 200.0));
        assert_eq!(quantiles(&[3.0])[0], (0.0, 3.0));
    }

    #[test]
    fn short_names_keep_the_last_two_segments() {
        assert_eq!(short("workflows.order.arrival.rate"), "arrival.rate");
        assert_eq!(short("duration"), "duration");
    }
}
