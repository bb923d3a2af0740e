//! Charts: plain functions from result data to a picture (SVG or PNG) and the CSV of what
//! they draw.
//!
//! Every chart has a title, axis labels with units, a legend and the Okabe–Ito palette, which
//! stays distinguishable under the common colour-vision deficiencies. A series keeps its
//! colour across charts (policy k is always colour k), so a reader matches them by eye.
//!
//! Text is laid out with DejaVu Sans, which the binary embeds: SVG names the family
//! `sans-serif` (the reader's browser draws it), PNG draws the embedded glyphs, so neither
//! needs a font installed. Every chart is a function of the same shape: an input struct,
//! `fn chart(&Input, Format) -> Result<Chart, ChartError>`.

use std::sync::OnceLock;

use plotters::coord::ranged1d::{SegmentValue, ValueFormatter};
use plotters::coord::types::RangedCoordf64;
use plotters::coord::Shift;
use plotters::element::IntoDynElement;
use plotters::prelude::*;

use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::{number, tasks_csv, timeseries_csv};
use crate::metrics::{TimeSeries, TimelineData, GANTT_LIMIT};
use crate::sim::TaskKind;

/// The embedded font (see `assets/fonts/README.md`).
const FONT: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");
/// The family name charts ask for, registered to [`FONT`].
const FAMILY: &str = "sans-serif";
/// Picture size in pixels (SVG user units).
const SIZE: (u32, u32) = (800, 480);

/// Okabe & Ito (2008) colours, most distinct first (yellow, hard to see on white, last).
pub const PALETTE: [(u8, u8, u8); 8] = [
    (0, 114, 178),   // blue
    (230, 159, 0),   // orange
    (0, 158, 115),   // bluish green
    (213, 94, 0),    // vermillion
    (204, 121, 167), // reddish purple
    (86, 180, 233),  // sky blue
    (0, 0, 0),       // black
    (240, 228, 66),  // yellow
];

/// The colour of series `k` (cycling after eight).
pub fn colour(k: usize) -> RGBColor {
    let (r, g, b) = PALETTE[k % PALETTE.len()];
    RGBColor(r, g, b)
}

/// Picture format.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// Scalable vector graphics (text drawn by the viewer).
    Svg,
    /// A bitmap, text drawn with the embedded font.
    Png,
}

impl Format {
    /// File extension.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Svg => "svg",
            Format::Png => "png",
        }
    }
}

/// A drawn chart: the picture and the data it shows.
#[derive(Clone, Debug)]
pub struct Chart {
    /// SVG text or PNG bytes.
    pub picture: Vec<u8>,
    /// CSV of the plotted values, written beside the picture.
    pub data: Vec<u8>,
}

/// Why a chart could not be drawn.
#[derive(Debug, thiserror::Error)]
pub enum ChartError {
    /// Nothing to draw (every value missing).
    #[error("{0}: no data to draw")]
    NoData(String),
    /// Too much to draw legibly (a Gantt chart of a long run).
    #[error(
        "{chart}: the run has {attempts} task attempts and {rejected} rejected arrivals; a Gantt \
         chart shows at most {limit} of each (shorten the run, e.g. --set duration=..., or use \
         fewer arrivals)"
    )]
    TooLarge {
        /// Chart title.
        chart: String,
        /// Task attempts in the run.
        attempts: u64,
        /// Rejected arrivals in the run.
        rejected: u64,
        /// The most of each a chart shows.
        limit: usize,
    },
    /// The drawing library failed.
    #[error("cannot draw {chart}: {message}")]
    Draw {
        /// Chart title.
        chart: String,
        /// The reason.
        message: String,
    },
}

/// Whether lower or higher values of a metric are better.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Better {
    /// Smaller is better (latency, rejections, load).
    Lower,
    /// Larger is better (throughput).
    Higher,
}

/// What a metric is called on a chart.
#[derive(Clone, Copy, Debug)]
pub struct MetricInfo {
    /// Column name in the result files.
    pub name: &'static str,
    /// Human label.
    pub label: &'static str,
    /// Unit, for the axis.
    pub unit: &'static str,
    /// Which direction is better.
    pub better: Better,
}

/// The headline metrics, in `HEADLINE` order. Lower weighted load is better: the same
/// arrivals and work are served with less CPU held and queued.
pub const HEADLINE_INFO: [MetricInfo; 5] = [
    MetricInfo {
        name: "avg_weighted_load",
        label: "Average weighted load",
        unit: "fraction of capacity",
        better: Better::Lower,
    },
    MetricInfo { name: "latency_mean", label: "Mean latency", unit: "s", better: Better::Lower },
    MetricInfo { name: "latency_p99", label: "p99 latency", unit: "s", better: Better::Lower },
    MetricInfo {
        name: "rejection_rate",
        label: "Rejection rate",
        unit: "fraction of arrivals",
        better: Better::Lower,
    },
    MetricInfo {
        name: "throughput",
        label: "Throughput",
        unit: "workflows/s",
        better: Better::Higher,
    },
];

/// One estimate with its 95 % interval (interval bounds NaN when unknown).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Interval {
    /// Mean.
    pub mean: f64,
    /// Lower bound.
    pub low: f64,
    /// Upper bound.
    pub high: f64,
}

/// One policy's latency distribution: the latency at increasing levels q.
#[derive(Clone, Debug)]
pub struct CdfSeries {
    /// Policy name.
    pub name: String,
    /// `(q, latency in s)`, q increasing from 0 to 1.
    pub points: Vec<(f64, f64)>,
    /// Latency at q = 0.95 and 0.99 (s), marked on the curve.
    pub p95: f64,
    /// See `p95`.
    pub p99: f64,
}

/// Input of [`latency_cdf`].
#[derive(Clone, Debug)]
pub struct LatencyCdf {
    /// Chart title.
    pub title: String,
    /// One curve per policy.
    pub series: Vec<CdfSeries>,
    /// Logarithmic latency axis (for long tails).
    pub log_x: bool,
}

/// Latency CDF: the fraction of completed workflows whose latency is at most x, one curve
/// per policy, p95 (circle) and p99 (triangle) marked on each.
///
/// # Errors
/// [`ChartError::NoData`] when no series has a finite point.
pub fn latency_cdf(input: &LatencyCdf, format: Format) -> Result<Chart, ChartError> {
    let min_x = if input.log_x { f64::MIN_POSITIVE } else { f64::NEG_INFINITY };
    let xs = input
        .series
        .iter()
        .flat_map(|s| s.points.iter().map(|p| p.1))
        .filter(|x| x.is_finite() && *x >= min_x);
    let Some((lo, hi)) = extent(xs) else {
        return Err(ChartError::NoData(input.title.clone()));
    };
    let (lo, hi) = if !input.log_x {
        (0.0_f64.min(lo), pad_top(hi))
    } else if hi > lo {
        (lo / 1.2, hi * 1.2)
    } else {
        (lo / 2.0, hi * 2.0)
    };
    let picture = render(&Cdf { input, lo, hi }, format)?;
    let mut rows = vec![["policy", "q", "latency_s"].map(String::from).to_vec()];
    for s in &input.series {
        for &(q, x) in &s.points {
            rows.push(vec![s.name.clone(), number(q), number(x)]);
        }
    }
    Ok(Chart { picture, data: csv_rows(&rows) })
}

struct Cdf<'a> {
    input: &'a LatencyCdf,
    lo: f64,
    hi: f64,
}

impl Drawing for Cdf<'_> {
    fn title(&self) -> &str {
        &self.input.title
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), String> {
        let (lo, hi) = (self.lo, self.hi);
        if self.input.log_x {
            let x: LogCoord<f64> = (lo..hi).log_scale().into();
            draw_cdf(root, self.input, x, lo, hi)
        } else {
            draw_cdf(root, self.input, RangedCoordf64::from(lo..hi), lo, hi)
        }
    }
}

fn draw_cdf<DB: DrawingBackend, X>(
    root: &DrawingArea<DB, Shift>,
    input: &LatencyCdf,
    x: X,
    lo: f64,
    hi: f64,
) -> Result<(), String>
where
    X: Ranged<ValueType = f64> + ValueFormatter<f64>,
{
    let mut chart = frame(root, &input.title).build_cartesian_2d(x, 0.0..1.02).map_err(text)?;
    chart
        .configure_mesh()
        .x_desc(if input.log_x { "latency (s, log scale)" } else { "latency (s)" })
        .y_desc("fraction of workflows with latency ≤ x")
        .x_labels(8)
        .x_label_formatter(&|v| tick(*v))
        .y_label_formatter(&|v| tick(*v))
        .max_light_lines(4)
        .label_style((FAMILY, 14))
        .axis_desc_style((FAMILY, 15))
        .light_line_style(LIGHT_GRID)
        .draw()
        .map_err(text)?;
    let grey = RGBColor(120, 120, 120);
    for (q, label) in [(0.95, "p95"), (0.99, "p99")] {
        chart
            .draw_series(DashedLineSeries::new(vec![(lo, q), (hi, q)], 6, 4, grey.into()))
            .map_err(text)?;
        chart
            .draw_series(std::iter::once(Text::new(label, (lo, q), (FAMILY, 12).into_font())))
            .map_err(text)?;
    }
    let keep = |x: f64| x.is_finite() && x >= lo && x <= hi;
    for (k, s) in input.series.iter().enumerate() {
        let c = colour(k);
        let points: Vec<(f64, f64)> =
            s.points.iter().filter(|p| keep(p.1)).map(|&(q, x)| (x, q)).collect();
        chart
            .draw_series(LineSeries::new(points, c.stroke_width(2)))
            .map_err(text)?
            .label(s.name.as_str())
            .legend(line_swatch(c.stroke_width(3)));
        if keep(s.p95) {
            chart.draw_series([Circle::new((s.p95, 0.95), 5, c.filled())]).map_err(text)?;
        }
        if keep(s.p99) {
            chart.draw_series([TriangleMarker::new((s.p99, 0.99), 6, c.filled())]).map_err(text)?;
        }
    }
    legend_entry(&mut chart, "p95 (●), p99 (▲)", move |(x, y)| {
        Circle::new((x + 12, y), 4, grey.filled())
    })?;
    legend(&mut chart, SeriesLabelPosition::LowerRight)
}

/// Input of [`metric_bars`]: one bar per policy.
#[derive(Clone, Debug)]
pub struct MetricBars {
    /// Chart title.
    pub title: String,
    /// The metric.
    pub metric: MetricInfo,
    /// `(policy, estimate)`, in policy order.
    pub bars: Vec<(String, Interval)>,
    /// Replications behind each bar, for the caption.
    pub replications: u64,
}

/// A metric per policy: bars at the mean with 95 % confidence whiskers.
///
/// # Errors
/// [`ChartError::NoData`] when every mean is missing.
pub fn metric_bars(input: &MetricBars, format: Format) -> Result<Chart, ChartError> {
    let values = input.bars.iter().flat_map(|(_, i)| [i.mean, i.low, i.high]);
    if input.bars.iter().all(|(_, i)| !i.mean.is_finite()) {
        return Err(ChartError::NoData(input.title.clone()));
    }
    let (lo, hi) = extent(values.chain([0.0])).unwrap_or((0.0, 1.0));
    // Extra headroom: the legend sits above the tallest whisker.
    let (lo, hi) = (if lo < 0.0 { lo * 1.1 } else { 0.0 }, pad_top(hi) * 1.2);
    let picture = render(&Bars { input, lo, hi }, format)?;
    let mut rows =
        vec![["policy", "metric", "mean", "ci_low", "ci_high"].map(String::from).to_vec()];
    for (name, i) in &input.bars {
        rows.push(vec![
            name.clone(),
            input.metric.name.to_string(),
            number(i.mean),
            number(i.low),
            number(i.high),
        ]);
    }
    Ok(Chart { picture, data: csv_rows(&rows) })
}

struct Bars<'a> {
    input: &'a MetricBars,
    lo: f64,
    hi: f64,
}

impl Drawing for Bars<'_> {
    fn title(&self) -> &str {
        &self.input.title
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), String> {
        draw_bars(root, self.input, self.lo, self.hi)
    }
}

fn draw_bars<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    input: &MetricBars,
    lo: f64,
    hi: f64,
) -> Result<(), String> {
    let n = input.bars.len() as i32;
    let names: Vec<String> = input.bars.iter().map(|(n, _)| n.clone()).collect();
    let mut chart = frame(root, &input.title)
        // `into_segmented` makes a segment for each value of 0..=n-1.
        .build_cartesian_2d((0..n - 1).into_segmented(), lo..hi)
        .map_err(text)?;
    let x_desc =
        format!("policy (whiskers: 95 % confidence interval, {} replications)", input.replications);
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_labels(input.bars.len())
        .x_label_formatter(&|v| match v {
            SegmentValue::CenterOf(i) | SegmentValue::Exact(i) => {
                names.get(*i as usize).cloned().unwrap_or_default()
            }
            SegmentValue::Last => String::new(),
        })
        .x_desc(x_desc)
        .y_desc(format!("{} ({})", input.metric.label, input.metric.unit))
        .y_label_formatter(&|v| tick(*v))
        .max_light_lines(4)
        .label_style((FAMILY, 14))
        .axis_desc_style((FAMILY, 15))
        .light_line_style(LIGHT_GRID)
        .draw()
        .map_err(text)?;
    for (k, (name, i)) in input.bars.iter().enumerate() {
        let c = colour(k);
        let k = k as i32;
        if !i.mean.is_finite() {
            continue;
        }
        let mut bar = Rectangle::new(
            [(SegmentValue::Exact(k), 0.0), (SegmentValue::Exact(k + 1), i.mean)],
            c.filled(),
        );
        bar.set_margin(0, 0, 18, 18);
        chart
            .draw_series([bar])
            .map_err(text)?
            .label(name.as_str())
            .legend(move |(x, y)| Rectangle::new([(x, y - 6), (x + 14, y + 6)], c.filled()));
        if i.low.is_finite() && i.high.is_finite() {
            chart
                .draw_series([ErrorBar::new_vertical(
                    SegmentValue::CenterOf(k),
                    i.low,
                    i.mean,
                    i.high,
                    BLACK.stroke_width(2),
                    16,
                )])
                .map_err(text)?;
        }
    }
    legend(&mut chart, SeriesLabelPosition::UpperRight)
}

/// One line of a sweep chart: a policy (and the other varied values, if any).
#[derive(Clone, Debug)]
pub struct SweepSeries {
    /// Legend text.
    pub name: String,
    /// `(x, estimate)`, x increasing.
    pub points: Vec<(f64, Interval)>,
}

/// Input of [`sweep_curves`].
#[derive(Clone, Debug)]
pub struct SweepCurves {
    /// Chart title.
    pub title: String,
    /// The varied parameter (its scenario path).
    pub parameter: String,
    /// The metric on the y axis.
    pub metric: MetricInfo,
    /// One line per series.
    pub series: Vec<SweepSeries>,
}

/// A metric against the varied parameter: one line per series, its 95 % confidence band
/// shaded.
///
/// # Errors
/// [`ChartError::NoData`] when no point is finite.
pub fn sweep_curves(input: &SweepCurves, format: Format) -> Result<Chart, ChartError> {
    let finite = |i: &Interval| i.mean.is_finite();
    let xs =
        input.series.iter().flat_map(|s| s.points.iter().filter(|p| finite(&p.1)).map(|p| p.0));
    let Some((x0, x1)) = extent(xs) else {
        return Err(ChartError::NoData(input.title.clone()));
    };
    let pad = if x1 > x0 { (x1 - x0) * 0.04 } else { x0.abs().max(1.0) * 0.5 };
    let ys = input
        .series
        .iter()
        .flat_map(|s| s.points.iter().flat_map(|p| [p.1.mean, p.1.low, p.1.high]));
    let (y0, y1) = extent(ys.chain([0.0])).unwrap_or((0.0, 1.0));
    let (y0, y1) = (if y0 < 0.0 { y0 * 1.1 } else { 0.0 }, pad_top(y1));
    let picture = render(&Sweep { input, x: (x0 - pad)..(x1 + pad), y: y0..y1 }, format)?;
    let mut rows =
        vec![[input.parameter.as_str(), "series", "metric", "mean", "ci_low", "ci_high"]
            .map(String::from)
            .to_vec()];
    for s in &input.series {
        for (x, i) in &s.points {
            rows.push(vec![
                number(*x),
                s.name.clone(),
                input.metric.name.to_string(),
                number(i.mean),
                number(i.low),
                number(i.high),
            ]);
        }
    }
    Ok(Chart { picture, data: csv_rows(&rows) })
}

struct Sweep<'a> {
    input: &'a SweepCurves,
    x: std::ops::Range<f64>,
    y: std::ops::Range<f64>,
}

impl Drawing for Sweep<'_> {
    fn title(&self) -> &str {
        &self.input.title
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), String> {
        draw_sweep(root, self.input, self.x.clone(), self.y.clone())
    }
}

fn draw_sweep<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    input: &SweepCurves,
    x: std::ops::Range<f64>,
    y: std::ops::Range<f64>,
) -> Result<(), String> {
    let mut chart = frame(root, &input.title).build_cartesian_2d(x, y).map_err(text)?;
    chart
        .configure_mesh()
        .x_desc(input.parameter.as_str())
        .x_label_formatter(&|v| tick(*v))
        .y_desc(format!("{} ({})", input.metric.label, input.metric.unit))
        .y_label_formatter(&|v| tick(*v))
        .max_light_lines(4)
        .label_style((FAMILY, 14))
        .axis_desc_style((FAMILY, 15))
        .light_line_style(LIGHT_GRID)
        .draw()
        .map_err(text)?;
    for (k, s) in input.series.iter().enumerate() {
        let c = colour(k);
        let band: Vec<&(f64, Interval)> =
            s.points.iter().filter(|p| p.1.low.is_finite() && p.1.high.is_finite()).collect();
        if band.len() >= 2 {
            let outline: Vec<(f64, f64)> = band
                .iter()
                .map(|p| (p.0, p.1.high))
                .chain(band.iter().rev().map(|p| (p.0, p.1.low)))
                .collect();
            chart.draw_series([Polygon::new(outline, c.mix(0.18).filled())]).map_err(text)?;
        }
        let line: Vec<(f64, f64)> =
            s.points.iter().filter(|p| p.1.mean.is_finite()).map(|p| (p.0, p.1.mean)).collect();
        chart
            .draw_series(LineSeries::new(line.clone(), c.stroke_width(2)))
            .map_err(text)?
            .label(s.name.as_str())
            .legend(line_swatch(c.stroke_width(3)));
        chart.draw_series(line.into_iter().map(|p| Circle::new(p, 4, c.filled()))).map_err(text)?;
    }
    legend_entry(
        &mut chart,
        "shaded: 95 % confidence band",
        box_swatch(RGBColor(120, 120, 120).mix(0.25).filled()),
    )?;
    legend(&mut chart, SeriesLabelPosition::UpperLeft)
}

/// Input of [`load_over_time`].
#[derive(Clone, Debug)]
pub struct LoadOverTime<'a> {
    /// Chart title.
    pub title: String,
    /// The sampled loads, outages and moves of one run.
    pub series: &'a TimeSeries,
}

/// The colour of node `i` on the load chart: the palette without black, which the weighted
/// average uses.
fn node_colour(i: usize) -> RGBColor {
    const NODE_COLOURS: [usize; 7] = [0, 1, 2, 3, 4, 5, 7];
    colour(NODE_COLOURS[i % NODE_COLOURS.len()])
}

/// Load over time: each node's load Lᵢ(t) (thin lines, one colour per node) and the average
/// weighted load Σ wᵢ·Lᵢ / N (thick black), sampled every `sample_interval` seconds. A
/// node's outages are shaded in its colour with a strip along the top; tasks moved by the
/// monitor (migrations) and by idle nodes (steals) are ticks along the bottom at the sample
/// that follows them. A dashed line marks L = 1 (the node's CPU fully requested).
///
/// # Errors
/// [`ChartError::NoData`] when there is no sample.
pub fn load_over_time(input: &LoadOverTime<'_>, format: Format) -> Result<Chart, ChartError> {
    let ts = input.series;
    if ts.is_empty() {
        return Err(ChartError::NoData(input.title.clone()));
    }
    let last = ts.times[ts.len() - 1];
    let x1 = ts.outages.iter().map(|o| o.end).fold(last, f64::max);
    let x1 = if x1 > 0.0 { x1 } else { 1.0 };
    let top = extent(ts.loads.iter().chain(&ts.weighted).copied()).map_or(1.0, |e| e.1);
    let entries = ts.nodes.len()
        + 1
        + ts.migrations.iter().any(|&m| m > 0) as usize
        + ts.steals.iter().any(|&m| m > 0) as usize
        + !ts.outages.is_empty() as usize;
    let y1 = top.max(1.0) * 1.05 * legend_headroom(entries);
    let picture = render(&Load { input, x1, y1 }, format)?;
    let data = timeseries_csv(ts)
        .map_err(|e| ChartError::Draw { chart: input.title.clone(), message: e.to_string() })?;
    Ok(Chart { picture, data })
}

struct Load<'a> {
    input: &'a LoadOverTime<'a>,
    x1: f64,
    y1: f64,
}

impl Drawing for Load<'_> {
    fn title(&self) -> &str {
        &self.input.title
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), String> {
        let ts = self.input.series;
        let (x1, y1) = (self.x1, self.y1);
        let mut chart =
            frame(root, &self.input.title).build_cartesian_2d(0.0..x1, 0.0..y1).map_err(text)?;
        chart
            .configure_mesh()
            .x_desc("simulated time (s)")
            .y_desc("load Lᵢ = (CPU allocated + queued) / capacity")
            .x_label_formatter(&|v| tick(*v))
            .y_label_formatter(&|v| tick(*v))
            .max_light_lines(4)
            .label_style((FAMILY, 14))
            .axis_desc_style((FAMILY, 15))
            .light_line_style(LIGHT_GRID)
            .draw()
            .map_err(text)?;
        let strip = y1 * 0.02;
        for o in &ts.outages {
            let c = node_colour(o.node);
            let shade = Rectangle::new([(o.start, 0.0), (o.end, y1)], c.mix(0.12).filled());
            let mark = Rectangle::new([(o.start, y1 - strip), (o.end, y1)], c.filled());
            chart.draw_series([shade, mark]).map_err(text)?;
        }
        let grey = RGBColor(120, 120, 120);
        chart
            .draw_series(DashedLineSeries::new(vec![(0.0, 1.0), (x1, 1.0)], 6, 4, grey.into()))
            .map_err(text)?;
        let n = ts.nodes.len();
        for (i, name) in ts.nodes.iter().enumerate() {
            let c = node_colour(i);
            let points = ts.times.iter().enumerate().map(|(k, &t)| (t, ts.loads[k * n + i]));
            chart
                .draw_series(LineSeries::new(points, c.stroke_width(1)))
                .map_err(text)?
                .label(name.as_str())
                .legend(line_swatch(c.stroke_width(2)));
        }
        let average = ts.times.iter().copied().zip(ts.weighted.iter().copied());
        chart
            .draw_series(LineSeries::new(average, BLACK.stroke_width(3)))
            .map_err(text)?
            .label("average weighted load Σ wᵢLᵢ / N")
            .legend(line_swatch(BLACK.stroke_width(3)));
        let ticks = |counts: &[u64], low: f64, c: RGBColor| -> Vec<PathElement<(f64, f64)>> {
            ts.times
                .iter()
                .zip(counts)
                .filter(|(_, &m)| m > 0)
                .map(|(&t, _)| {
                    PathElement::new(vec![(t, low), (t, low + strip)], c.stroke_width(2))
                })
                .collect()
        };
        if ts.migrations.iter().any(|&m| m > 0) {
            chart
                .draw_series(ticks(&ts.migrations, 0.0, BLACK))
                .map_err(text)?
                .label("migration (tick at the bottom)")
                .legend(tick_swatch(BLACK.stroke_width(2)));
        }
        if ts.steals.iter().any(|&m| m > 0) {
            chart
                .draw_series(ticks(&ts.steals, strip, grey))
                .map_err(text)?
                .label("steal (grey tick above)")
                .legend(tick_swatch(grey.stroke_width(2)));
        }
        if !ts.outages.is_empty() {
            legend_entry(
                &mut chart,
                "node down (shaded in its colour)",
                box_swatch(grey.mix(0.3).filled()),
            )?;
        }
        legend(&mut chart, SeriesLabelPosition::UpperRight)
    }
}

/// Input of [`gantt`].
#[derive(Clone, Debug)]
pub struct Gantt<'a> {
    /// Chart title.
    pub title: String,
    /// What ran where (from [`crate::metrics::Timeline`] or `tasks.csv`).
    pub timeline: &'a TimelineData,
}

/// Gantt chart of tasks on nodes: a row per node (scenario order, top down), a bar per task
/// attempt from its start to its end, coloured by workflow class. Tasks running at the same
/// time on one node are stacked in lanes. A compensation is drawn outlined (white inside);
/// an interrupted attempt (failed, lost to its node going down, or cancelled by an abort) is
/// pale with a black mark at its end. Node outages are shaded grey across their row; rejected
/// arrivals are ticks in their class colour on a last row. The data beside it is
/// `tasks.csv`'s.
///
/// # Errors
/// [`ChartError::TooLarge`] for a run with more than [`GANTT_LIMIT`] attempts or rejected
/// arrivals; [`ChartError::NoData`] when nothing ran and nothing was rejected.
pub fn gantt(input: &Gantt<'_>, format: Format) -> Result<Chart, ChartError> {
    let t = input.timeline;
    if t.too_large() || t.attempts.len() > GANTT_LIMIT || t.rejected.len() > GANTT_LIMIT {
        return Err(ChartError::TooLarge {
            chart: input.title.clone(),
            attempts: t.attempts_seen.max(t.attempts.len() as u64),
            rejected: t.rejected_seen.max(t.rejected.len() as u64),
            limit: GANTT_LIMIT,
        });
    }
    if t.attempts.is_empty() && t.rejected.is_empty() {
        return Err(ChartError::NoData(input.title.clone()));
    }
    let ends = t.attempts.iter().map(|a| a.end).chain(t.rejected.iter().map(|r| r.time));
    let x1 = extent(ends.chain([t.end])).map_or(1.0, |e| e.1);
    let x1 = if x1 > 0.0 { x1 } else { 1.0 };
    let entries = t.classes.len()
        + t.attempts.iter().any(|a| a.kind == TaskKind::Compensation) as usize
        + t.attempts.iter().any(|a| a.outcome.interrupted()) as usize
        + !t.outages.is_empty() as usize
        + !t.rejected.is_empty() as usize;
    let top = legend_headroom(entries);
    let picture = render(&GanttDrawing { input, x1, top, lanes: lanes(t) }, format)?;
    let data = tasks_csv(t)
        .map_err(|e| ChartError::Draw { chart: input.title.clone(), message: e.to_string() })?;
    Ok(Chart { picture, data })
}

/// The lane of each attempt within its node's row, and the lanes of each node: attempts in
/// start order take the lowest lane free at their start (greedy interval partitioning, which
/// uses as many lanes as the most attempts running at once).
fn lanes(t: &TimelineData) -> (Vec<usize>, Vec<usize>) {
    let mut order: Vec<usize> = (0..t.attempts.len()).collect();
    order.sort_by(|&a, &b| t.attempts[a].start.total_cmp(&t.attempts[b].start).then(a.cmp(&b)));
    let mut busy_until: Vec<Vec<f64>> = vec![Vec::new(); t.nodes.len()];
    let mut lane = vec![0; t.attempts.len()];
    for i in order {
        let a = &t.attempts[i];
        let Some(busy) = busy_until.get_mut(a.node) else { continue };
        let free = busy.iter().position(|&end| end <= a.start).unwrap_or(busy.len());
        if free == busy.len() {
            busy.push(a.end);
        } else {
            busy[free] = a.end;
        }
        lane[i] = free;
    }
    (lane, busy_until.iter().map(|b| b.len().max(1)).collect())
}

struct GanttDrawing<'a> {
    input: &'a Gantt<'a>,
    x1: f64,
    /// The y range above the rows, as a multiple of the rows, left free for the legend.
    top: f64,
    /// Lane of each attempt, and lanes per node.
    lanes: (Vec<usize>, Vec<usize>),
}

impl Drawing for GanttDrawing<'_> {
    fn title(&self) -> &str {
        &self.input.title
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), String> {
        let t = self.input.timeline;
        let with_rejected = !t.rejected.is_empty();
        let rows = t.nodes.len() + with_rejected as usize;
        // Row r (0 = top) spans y from rows − r − 1 to rows − r.
        let base = |r: usize| (rows - r - 1) as f64;
        let mut chart = frame(root, &self.input.title)
            .y_label_area_size(110)
            .build_cartesian_2d(0.0..self.x1 * 1.02, 0.0..rows as f64 * self.top)
            .map_err(text)?;
        chart
            .configure_mesh()
            .disable_y_mesh()
            .y_labels(0)
            .x_desc("simulated time (s)")
            .y_desc("node")
            .x_label_formatter(&|v| tick(*v))
            .max_light_lines(4)
            .label_style((FAMILY, 14))
            .axis_desc_style((FAMILY, 15))
            .light_line_style(LIGHT_GRID)
            .draw()
            .map_err(text)?;
        // Row names, right-aligned beside the axis, and faint lines between rows.
        let style =
            TextStyle::from((FAMILY, 12).into_font()).pos(Pos::new(HPos::Right, VPos::Center));
        let names = t.nodes.iter().map(String::as_str).chain(with_rejected.then_some("rejected"));
        for (r, name) in names.enumerate() {
            let (x, y) = chart.backend_coord(&(0.0, base(r) + 0.5));
            root.draw(&Text::new(name.to_string(), (x - 6, y), style.clone())).map_err(text)?;
            let line = vec![(0.0, base(r)), (self.x1 * 1.02, base(r))];
            chart
                .draw_series([PathElement::new(line, LIGHT_GRID.stroke_width(1))])
                .map_err(text)?;
        }
        let grey = RGBColor(120, 120, 120);
        let shades = t.outages.iter().filter(|o| o.node < t.nodes.len()).map(|o| {
            Rectangle::new(
                [(o.start, base(o.node)), (o.end, base(o.node) + 1.0)],
                grey.mix(0.25).filled(),
            )
        });
        chart.draw_series(shades).map_err(text)?;
        let (lane, lanes) = &self.lanes;
        for (i, a) in t.attempts.iter().enumerate() {
            let Some(&n) = lanes.get(a.node) else { continue };
            let c = colour(a.class);
            let h = 0.8 / n as f64;
            let y0 = base(a.node) + 0.1 + lane[i] as f64 * h;
            let y1 = y0 + h * 0.85;
            let corners = [(a.start, y0), (a.end, y1)];
            let fill = match (a.kind, a.outcome.interrupted()) {
                (TaskKind::Compensation, _) => WHITE.filled(),
                (_, true) => c.mix(0.35).filled(),
                _ => c.filled(),
            };
            chart.draw_series([Rectangle::new(corners, fill)]).map_err(text)?;
            if a.kind == TaskKind::Compensation {
                chart.draw_series([Rectangle::new(corners, c.stroke_width(2))]).map_err(text)?;
            }
            if a.outcome.interrupted() {
                let mark = vec![(a.end, y0), (a.end, y1)];
                chart.draw_series([PathElement::new(mark, BLACK.stroke_width(3))]).map_err(text)?;
            }
        }
        if with_rejected {
            let ticks = t.rejected.iter().map(|r| {
                PathElement::new(
                    vec![(r.time, 0.15), (r.time, 0.85)],
                    colour(r.class).stroke_width(2),
                )
            });
            chart.draw_series(ticks).map_err(text)?;
        }
        // The legend: classes, then what the marks mean.
        for (k, class) in t.classes.iter().enumerate() {
            let c = colour(k);
            legend_entry(&mut chart, class.as_str(), box_swatch(c.filled()))?;
        }
        let any_compensation = t.attempts.iter().any(|a| a.kind == TaskKind::Compensation);
        if any_compensation {
            legend_entry(&mut chart, "compensation (outlined)", box_swatch(grey.stroke_width(2)))?;
        }
        if t.attempts.iter().any(|a| a.outcome.interrupted()) {
            legend_entry(
                &mut chart,
                "failed, lost or cancelled (pale, black end)",
                move |(x, y)| {
                    EmptyElement::at((x, y))
                        + Rectangle::new([(0, -6), (24, 6)], grey.mix(0.35).filled())
                        + PathElement::new(vec![(24, -6), (24, 6)], BLACK.stroke_width(3))
                },
            )?;
        }
        if !t.outages.is_empty() {
            legend_entry(&mut chart, "node down (shaded)", box_swatch(grey.mix(0.25).filled()))?;
        }
        if with_rejected {
            legend_entry(&mut chart, "rejected arrival (tick)", tick_swatch(grey.stroke_width(2)))?;
        }
        legend(&mut chart, SeriesLabelPosition::UpperRight)
    }
}

/// The grid's minor lines.
const LIGHT_GRID: RGBColor = RGBColor(235, 235, 235);

/// Every chart's frame: title, margins, room for tick labels and axis descriptions.
fn frame<'a, 'b, DB: DrawingBackend>(
    root: &'a DrawingArea<DB, Shift>,
    title: &str,
) -> ChartBuilder<'a, 'b, DB> {
    let mut builder = ChartBuilder::on(root);
    builder.caption(title, (FAMILY, 22)).margin(16).x_label_area_size(48).y_label_area_size(72);
    builder
}

fn legend<'a, DB: DrawingBackend + 'a, CT: CoordTranslate>(
    chart: &mut ChartContext<'a, DB, CT>,
    position: SeriesLabelPosition,
) -> Result<(), String> {
    chart
        .configure_series_labels()
        .position(position)
        .background_style(WHITE.mix(0.85))
        .border_style(RGBColor(160, 160, 160))
        .label_font((FAMILY, 14))
        .draw()
        .map_err(text)
}

/// How much taller than its data a chart's y range is so that a legend of `entries` lines
/// fits above the data instead of hiding it (a line is about 20 of the plot's ≈ 370 pixels).
fn legend_headroom(entries: usize) -> f64 {
    let fraction = ((entries as f64 * 20.0 + 16.0) / 370.0).min(0.6);
    1.0 / (1.0 - fraction)
}

/// A legend swatch: a box filled or outlined with `style`.
fn box_swatch(style: impl Into<ShapeStyle>) -> impl Fn((i32, i32)) -> Rectangle<(i32, i32)> {
    let style = style.into();
    move |(x, y)| Rectangle::new([(x, y - 6), (x + 24, y + 6)], style)
}

/// A legend swatch: a horizontal line, as the series is drawn.
fn line_swatch(style: impl Into<ShapeStyle>) -> impl Fn((i32, i32)) -> PathElement<(i32, i32)> {
    let style = style.into();
    move |(x, y)| PathElement::new(vec![(x, y), (x + 24, y)], style)
}

/// A legend swatch: a vertical tick, for marks at instants.
fn tick_swatch(style: impl Into<ShapeStyle>) -> impl Fn((i32, i32)) -> PathElement<(i32, i32)> {
    let style = style.into();
    move |(x, y)| PathElement::new(vec![(x + 12, y - 6), (x + 12, y + 6)], style)
}

/// A legend entry that is not a series (a marker's meaning): an empty series with a label.
fn legend_entry<'a, DB, X, Y, E>(
    chart: &mut ChartContext<'a, DB, Cartesian2d<X, Y>>,
    label: &str,
    swatch: impl Fn((i32, i32)) -> E + 'a,
) -> Result<(), String>
where
    DB: DrawingBackend + 'a,
    X: Ranged,
    Y: Ranged,
    E: IntoDynElement<'a, DB, (i32, i32)>,
{
    chart
        .draw_series(std::iter::empty::<Circle<(X::ValueType, Y::ValueType), i32>>())
        .map_err(text)?
        .label(label)
        .legend(swatch);
    Ok(())
}

/// An axis tick: at most four significant digits, no trailing zeros (`0.25`, `1200`, `1e-5`).
fn tick(v: f64) -> String {
    if v == 0.0 || !v.is_finite() {
        return "0".into();
    }
    let a = v.abs();
    if !(1e-4..1e6).contains(&a) {
        return format!("{v:.1e}");
    }
    let digits = (3 - a.log10().floor() as i32).clamp(0, 8) as usize;
    let s = format!("{v:.digits$}");
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

fn text(e: impl std::fmt::Display) -> String {
    e.to_string()
}

/// Smallest and largest finite value.
fn extent(values: impl Iterator<Item = f64>) -> Option<(f64, f64)> {
    values.filter(|v| v.is_finite()).fold(None, |acc, v| match acc {
        None => Some((v, v)),
        Some((lo, hi)) => Some((lo.min(v), hi.max(v))),
    })
}

/// Room above the highest value for the legend; a flat zero still gets an axis.
fn pad_top(hi: f64) -> f64 {
    if hi > 0.0 {
        hi * 1.15
    } else {
        1.0
    }
}

fn csv_rows(rows: &[Vec<String>]) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    for r in rows {
        // Writing into memory cannot fail.
        let _ = w.write_record(r);
    }
    w.into_inner().unwrap_or_default()
}

/// Registers the embedded font once per process: plotters looks fonts up by family name.
fn register_font() -> Result<(), String> {
    static REGISTERED: OnceLock<bool> = OnceLock::new();
    let ok = *REGISTERED
        .get_or_init(|| plotters::style::register_font(FAMILY, FontStyle::Normal, FONT).is_ok());
    if ok {
        Ok(())
    } else {
        Err("the embedded font is not a valid TrueType font".into())
    }
}

/// A chart that can draw itself on any plotters backend.
trait Drawing {
    fn title(&self) -> &str;
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), String>;
}

/// Draws `chart` on a white canvas of [`SIZE`] and encodes it.
fn render(chart: &impl Drawing, format: Format) -> Result<Vec<u8>, ChartError> {
    let fail = |message: String| ChartError::Draw { chart: chart.title().to_string(), message };
    register_font().map_err(fail)?;
    match format {
        Format::Svg => {
            let mut svg = String::new();
            {
                let root = SVGBackend::with_string(&mut svg, SIZE).into_drawing_area();
                root.fill(&WHITE).map_err(text).map_err(fail)?;
                chart.draw(&root).map_err(fail)?;
                root.present().map_err(text).map_err(fail)?;
            }
            Ok(svg.into_bytes())
        }
        Format::Png => {
            let (w, h) = SIZE;
            let mut rgb = vec![0u8; (w * h * 3) as usize];
            {
                let root = BitMapBackend::with_buffer(&mut rgb, SIZE).into_drawing_area();
                root.fill(&WHITE).map_err(text).map_err(fail)?;
                chart.draw(&root).map_err(fail)?;
                root.present().map_err(text).map_err(fail)?;
            }
            encode_png(&rgb, SIZE).map_err(fail)
        }
    }
}

fn encode_png(rgb: &[u8], (w, h): (u32, u32)) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, w, h);
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    let mut writer = encoder.write_header().map_err(text)?;
    writer.write_image_data(rgb).map_err(text)?;
    writer.finish().map_err(text)?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_are_short() {
        assert_eq!(tick(0.23000000000000004), "0.23");
        assert_eq!(tick(1.0), "1");
        assert_eq!(tick(0.0), "0");
        assert_eq!(tick(2500.0), "2500");
        assert_eq!(tick(0.00001), "1.0e-5");
    }

    #[test]
    fn palette_is_okabe_ito_and_cycles() {
        assert_eq!(colour(0), RGBColor(0, 114, 178));
        assert_eq!(colour(8), colour(0));
    }
}
