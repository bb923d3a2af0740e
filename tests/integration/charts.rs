//! Charts: the structure of each chart's SVG (title, axis labels, one series per policy in its
//! palette colour), the CSV beside it, PNG output on a machine without fonts, and `plot` on
//! real result folders.

use std::path::Path;

use assert_cmd::Command;
use predicates::prelude::*;
use schedsim::report::charts::{
    self, CdfSeries, ChartError, Format, Interval, LatencyCdf, MetricBars, SweepCurves,
    SweepSeries, HEADLINE_INFO, PALETTE,
};
use scraper::{Html, Selector};

fn hex(k: usize) -> String {
    let (r, g, b) = PALETTE[k];
    format!("#{r:02X}{g:02X}{b:02X}")
}

/// The SVG parsed, and all its text joined.
fn parse(svg: &[u8]) -> (Html, String) {
    let text = String::from_utf8(svg.to_vec()).expect("SVG is UTF-8");
    assert!(text.starts_with("<svg"), "not an SVG: {}", &text[..text.len().min(80)]);
    let doc = Html::parse_fragment(&text);
    let words: Vec<String> = doc
        .select(&Selector::parse("text").unwrap())
        .map(|t| t.text().collect::<String>().trim().to_string())
        .collect();
    (doc, words.join("\n"))
}

/// Elements matching `selector` whose attribute `attr` is `value`.
fn count(doc: &Html, selector: &str, attr: &str, value: &str) -> usize {
    doc.select(&Selector::parse(selector).unwrap())
        .filter(|e| e.value().attr(attr).is_some_and(|v| v.eq_ignore_ascii_case(value)))
        .count()
}

fn cdf_input(log_x: bool) -> LatencyCdf {
    let series = ["fcfs", "sjf", "edf"]
        .iter()
        .enumerate()
        .map(|(k, name)| {
            let scale = 1.0 + k as f64;
            let points: Vec<(f64, f64)> = (0..=100)
                .map(|i| {
                    let q = i as f64 / 100.0;
                    (q, scale * -(1.0 - q * 0.999).ln())
                })
                .collect();
            let at = |q: f64| scale * -(1.0 - q * 0.999).ln();
            CdfSeries { name: name.to_string(), p95: at(0.95), p99: at(0.99), points }
        })
        .collect();
    LatencyCdf { title: "Latency distribution — test".into(), series, log_x }
}

#[test]
fn latency_cdf_has_title_axes_legend_and_one_curve_per_policy() {
    for log_x in [false, true] {
        let chart = charts::latency_cdf(&cdf_input(log_x), Format::Svg).unwrap();
        let (doc, text) = parse(&chart.picture);
        assert!(text.contains("Latency distribution — test"), "title missing:\n{text}");
        let x_desc = if log_x { "latency (s, log scale)" } else { "latency (s)" };
        assert!(text.contains(x_desc), "x axis label missing:\n{text}");
        assert!(text.contains("fraction of workflows with latency ≤ x"), "y axis label:\n{text}");
        assert!(text.contains("p95") && text.contains("p99"), "quantile marks:\n{text}");
        for (k, name) in ["fcfs", "sjf", "edf"].iter().enumerate() {
            assert!(text.lines().any(|l| l == *name), "legend lacks {name}:\n{text}");
            // One curve (polyline) per policy in its colour, plus its legend swatch.
            assert_eq!(count(&doc, "polyline", "stroke", &hex(k)), 2, "curves of {name}");
        }
        // Ticks are short numbers, not float noise.
        assert!(!text.contains("0000000"), "tick labels:\n{text}");
        let data = String::from_utf8(chart.data).unwrap();
        assert!(data.starts_with("policy,q,latency_s\n"));
        assert_eq!(data.lines().count(), 1 + 3 * 101);
    }
}

#[test]
fn bars_have_one_bar_and_whisker_per_policy_and_units() {
    let m = HEADLINE_INFO.iter().find(|m| m.name == "latency_p99").copied().unwrap();
    let bars: Vec<(String, Interval)> = ["default", "round-robin", "random"]
        .iter()
        .enumerate()
        .map(|(k, n)| {
            let mean = 1.0 + k as f64;
            (n.to_string(), Interval { mean, low: mean - 0.2, high: mean + 0.3 })
        })
        .collect();
    let input =
        MetricBars { title: "p99 latency by policy".into(), metric: m, bars, replications: 5 };
    let chart = charts::metric_bars(&input, Format::Svg).unwrap();
    let (doc, text) = parse(&chart.picture);
    assert!(text.contains("p99 latency by policy"));
    assert!(text.contains("p99 latency (s)"), "y axis with unit:\n{text}");
    assert!(text.contains("95 % confidence interval, 5 replications"), "x axis:\n{text}");
    for (k, name) in ["default", "round-robin", "random"].iter().enumerate() {
        // The bar and its legend swatch.
        assert_eq!(count(&doc, "rect", "fill", &hex(k)), 2, "bars of {name}");
        assert!(text.lines().filter(|l| l == name).count() >= 2, "axis and legend name {name}");
    }
    let data = String::from_utf8(chart.data).unwrap();
    assert_eq!(
        data,
        "policy,metric,mean,ci_low,ci_high\ndefault,latency_p99,1,0.8,1.3\n\
         round-robin,latency_p99,2,1.8,2.3\nrandom,latency_p99,3,2.8,3.3\n"
    );
}

#[test]
fn sweep_curves_have_a_line_and_band_per_policy() {
    let m = HEADLINE_INFO[1];
    let series: Vec<SweepSeries> = (0..2)
        .map(|k| SweepSeries {
            name: format!("policy-{k}"),
            points: [10.0, 20.0, 30.0]
                .iter()
                .map(|&x| {
                    let mean = x / 10.0 + k as f64;
                    (x, Interval { mean, low: mean * 0.9, high: mean * 1.1 })
                })
                .collect(),
        })
        .collect();
    let input = SweepCurves {
        title: "Mean latency vs arrival.rate".into(),
        parameter: "workflows.order.arrival.rate".into(),
        metric: m,
        series,
    };
    let chart = charts::sweep_curves(&input, Format::Svg).unwrap();
    let (doc, text) = parse(&chart.picture);
    assert!(text.contains("Mean latency vs arrival.rate"));
    assert!(text.contains("workflows.order.arrival.rate"), "x axis:\n{text}");
    assert!(text.contains("Mean latency (s)"), "y axis:\n{text}");
    assert!(text.contains("95 % confidence band"), "band legend:\n{text}");
    for k in 0..2 {
        assert_eq!(count(&doc, "polyline", "stroke", &hex(k)), 2, "line of policy-{k}");
        assert_eq!(count(&doc, "polygon", "fill", &hex(k)), 1, "band of policy-{k}");
    }
    assert_eq!(String::from_utf8(chart.data).unwrap().lines().count(), 1 + 2 * 3);
}

#[test]
fn charts_without_data_say_so() {
    let nan = Interval { mean: f64::NAN, low: f64::NAN, high: f64::NAN };
    let input = MetricBars {
        title: "empty".into(),
        metric: HEADLINE_INFO[0],
        bars: vec![("a".into(), nan)],
        replications: 1,
    };
    assert!(matches!(charts::metric_bars(&input, Format::Svg), Err(ChartError::NoData(_))));
    let cdf = LatencyCdf { title: "empty".into(), series: vec![], log_x: true };
    assert!(matches!(charts::latency_cdf(&cdf, Format::Png), Err(ChartError::NoData(_))));
}

/// An image's pixel rows (RGB).
fn decode_png(bytes: &[u8]) -> (u32, u32, Vec<u8>) {
    let decoder = png::Decoder::new(std::io::Cursor::new(bytes));
    let mut reader = decoder.read_info().expect("a PNG");
    let mut buf = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut buf).expect("a frame");
    buf.truncate(info.buffer_size());
    (info.width, info.height, buf)
}

/// Dark pixels (text and lines) in the rectangle x0..x1 × y0..y1.
fn dark_pixels(png: &(u32, u32, Vec<u8>), (x0, x1): (u32, u32), (y0, y1): (u32, u32)) -> usize {
    let (w, _, px) = png;
    (y0..y1)
        .flat_map(|y| (x0..x1).map(move |x| ((y * w + x) * 3) as usize))
        .filter(|&i| px[i] < 100 && px[i + 1] < 100 && px[i + 2] < 100)
        .count()
}

#[test]
fn png_draws_text_with_the_embedded_font() {
    let chart = charts::latency_cdf(&cdf_input(false), Format::Png).unwrap();
    assert_eq!(&chart.picture[..8], b"\x89PNG\r\n\x1a\n");
    let png = decode_png(&chart.picture);
    assert_eq!((png.0, png.1), (800, 480));
    // The title is centred at the top: its glyphs are dark pixels there.
    assert!(dark_pixels(&png, (250, 550), (10, 40)) > 200, "no title text drawn");
    // The y axis description is drawn rotated at the far left.
    assert!(dark_pixels(&png, (5, 35), (100, 400)) > 100, "no y axis label drawn");
}

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// A fontconfig setup that knows no font at all, as on a fresh container.
fn empty_fontconfig(dir: &Path) -> std::path::PathBuf {
    let conf = dir.join("fonts.conf");
    std::fs::write(
        &conf,
        "<?xml version=\"1.0\"?>\n<!DOCTYPE fontconfig SYSTEM \"fonts.dtd\">\n<fontconfig>\n\
         <cachedir>/nonexistent-font-cache</cachedir>\n</fontconfig>\n",
    )
    .unwrap();
    conf
}

#[test]
fn plot_png_works_with_no_fonts_installed() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("run");
    let conf = empty_fontconfig(tmp.path());
    Command::cargo_bin("schedsim")
        .unwrap()
        .current_dir(root())
        .args(["run", "scenarios/mm1.toml", "--set", "duration=2000", "--set", "warmup=100"])
        .arg("--out")
        .arg(&out)
        .arg("--trace-workflows")
        .assert()
        .success();
    Command::cargo_bin("schedsim")
        .unwrap()
        .env("FONTCONFIG_FILE", &conf)
        .env("FONTCONFIG_PATH", tmp.path())
        .env("XDG_DATA_HOME", tmp.path())
        .env("HOME", tmp.path())
        .arg("plot")
        .arg(&out)
        .args(["--format", "png"])
        .assert()
        .success()
        .stdout(predicate::str::contains("1 charts written"));
    let png = decode_png(&std::fs::read(out.join("plots/latency_cdf.png")).unwrap());
    assert!(dark_pixels(&png, (250, 550), (10, 40)) > 200, "no title text drawn");
    let data = std::fs::read_to_string(out.join("plots/latency_cdf.csv")).unwrap();
    assert!(data.starts_with("policy,q,latency_s\ndefault,0,"), "{data}");
}

#[test]
fn run_plots_draws_the_latency_cdf() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("run");
    Command::cargo_bin("schedsim")
        .unwrap()
        .current_dir(root())
        .args(["run", "scenarios/mm1.toml", "--set", "duration=2000", "--set", "warmup=100"])
        .arg("--out")
        .arg(&out)
        .arg("--plots")
        .assert()
        .success();
    assert!(out.join("workflows.csv").is_file(), "--plots keeps the workflows");
    let svg = std::fs::read(out.join("plots/latency_cdf.svg")).unwrap();
    let (doc, text) = parse(&svg);
    assert!(text.contains("Latency distribution — default, seed 1"), "{text}");
    assert_eq!(count(&doc, "polyline", "stroke", &hex(0)), 2);
}

// ---- Load over time and Gantt (per-run charts) ----

use schedsim::metrics::{Outcome, Timeline, TimelineData, GANTT_LIMIT};
use schedsim::report::charts::{Gantt, LoadOverTime};
use schedsim::sim::TaskKind;
use schedsim::{Model, RunResult, Simulation};

use crate::util::scenario;

/// Four unequal per-node nodes with a maintenance outage, the monitor migrating and idle
/// nodes stealing: every mark of the load chart appears.
const BALANCING: &str = r#"
name = "balancing"
duration = 120.0
seed = 7
sample_interval = 5.0

[cluster]
mode = "per-node"

[[cluster.nodes]]
name = "big"
count = 2
cpu = 4
memory = "16GiB"

[[cluster.nodes]]
name = "small"
count = 2
cpu = 1
memory = "4GiB"
outages = [{ node = "small-1", at = 30.0, duration = 20.0 }]

[monitor]
overload = 1.5
work_stealing = true

[policy]
placement = "round-robin"

[[workflows]]
name = "request"
arrival = { kind = "poisson", rate = 3.4 }

[[workflows.tasks]]
name = "serve"
cpu = 1
work = { kind = "exponential", mean = 1.0 }
"#;

/// A run of `text` with a timeline observer.
fn run_with_timeline(text: &str) -> (RunResult, TimelineData) {
    let s = scenario(text);
    let model = Model::new(&s).unwrap();
    let sim = Simulation::with_observer(&model, &s.policy, s.seed, Timeline::new(&model)).unwrap();
    let (result, timeline) = sim.run();
    let end = result.summary.end_time;
    (result, timeline.finish(end))
}

/// Elements matching `selector` with every attribute of `attrs`.
fn count_with(doc: &Html, selector: &str, attrs: &[(&str, &str)]) -> usize {
    doc.select(&Selector::parse(selector).unwrap())
        .filter(|e| {
            attrs.iter().all(|(a, v)| e.value().attr(a).is_some_and(|x| x.eq_ignore_ascii_case(v)))
        })
        .count()
}

#[test]
fn load_over_time_has_a_line_per_node_the_average_outages_and_moves() {
    let (result, _) = run_with_timeline(BALANCING);
    let ts = result.timeseries.expect("sample_interval samples the loads");
    assert_eq!(ts.nodes, ["big-0", "big-1", "small-0", "small-1"]);
    assert!(ts.migrations.iter().sum::<u64>() > 0 && ts.steals.iter().sum::<u64>() > 0);
    assert_eq!(ts.outages.len(), 1, "{:?}", ts.outages);
    let input = LoadOverTime { title: "Load over time — balancing".into(), series: &ts };
    let chart = charts::load_over_time(&input, Format::Svg).unwrap();
    let (doc, text) = parse(&chart.picture);
    assert!(text.contains("Load over time — balancing"), "title:\n{text}");
    assert!(text.contains("simulated time (s)"), "x axis:\n{text}");
    assert!(text.contains("load Lᵢ = (CPU allocated + queued) / capacity"), "y axis:\n{text}");
    assert!(text.contains("average weighted load"), "legend:\n{text}");
    for (k, name) in ts.nodes.iter().enumerate() {
        assert!(text.lines().any(|l| l == name), "legend lacks {name}:\n{text}");
        // Its line and its legend swatch, in its palette colour.
        assert_eq!(count_with(&doc, "polyline", &[("stroke", &hex(k))]), 2, "line of {name}");
    }
    // The average: thick black, line and swatch.
    let thick_black = [("stroke", "#000000"), ("stroke-width", "3")];
    assert_eq!(count_with(&doc, "polyline", &thick_black), 2);
    // small-1's outage: shaded in its colour, with a strip along the top.
    assert!(text.contains("node down"), "{text}");
    assert_eq!(count_with(&doc, "rect", &[("fill", &hex(3)), ("opacity", "0.12")]), 1);
    assert_eq!(count_with(&doc, "rect", &[("fill", &hex(3)), ("opacity", "1")]), 1);
    // A tick per sample with a migration (and one legend swatch).
    let samples_with_migrations = ts.migrations.iter().filter(|&&m| m > 0).count();
    let ticks = [("stroke", "#000000"), ("stroke-width", "2")];
    assert_eq!(count_with(&doc, "polyline", &ticks), samples_with_migrations + 1);
    assert!(text.contains("migration") && text.contains("steal"), "{text}");
    // The data beside it is timeseries.csv.
    let data = String::from_utf8(chart.data).unwrap();
    assert!(data.starts_with("time,big-0,big-1,small-0,small-1,weighted_load,migrations,steals\n"));
    assert_eq!(data.lines().count(), 1 + ts.len());
}

/// Central mode, a 2-core node, a 1-core task of exactly 3 s arriving every 2 s (at 2, 4, 6
/// and 8): never more than two run at once, nothing queues.
const HAND: &str = r#"
name = "hand"
duration = 10.0
sample_interval = 0.5

[[cluster.nodes]]
name = "solo"
cpu = 2
memory = "1GiB"

[[workflows]]
name = "job"
arrival = { kind = "periodic", interval = 2.0 }

[[workflows.tasks]]
name = "work"
cpu = 1
work = { kind = "constant", value = 3.0 }
"#;

#[test]
fn timeseries_csv_holds_the_load_computed_by_hand() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("hand.toml");
    std::fs::write(&path, HAND).unwrap();
    let out = tmp.path().join("run");
    Command::cargo_bin("schedsim")
        .unwrap()
        .arg("run")
        .arg(&path)
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    let csv = std::fs::read_to_string(out.join("timeseries.csv")).unwrap();
    let mut lines = csv.lines();
    assert_eq!(lines.next(), Some("time,solo,weighted_load,migrations,steals"));
    let rows: Vec<Vec<f64>> =
        lines.map(|l| l.split(',').map(|v| v.parse().unwrap()).collect()).collect();
    // The last task ends at 8 + 3 = 11 s, the end of the draining run: samples 0, 0.5, …, 11.
    assert_eq!(rows.len(), 23);
    for (k, row) in rows.iter().enumerate() {
        let t = row[0];
        assert_eq!(t, k as f64 * 0.5, "sample times are multiples of the interval");
        // Tasks k = 1..=4 run on [2k, 2k + 3): the sample at t counts those started at or
        // before t and not yet finished (the state after the events at t).
        let running = (1..=4).filter(|&j| 2.0 * j as f64 <= t && t < 2.0 * j as f64 + 3.0);
        let expected = running.count() as f64 / 2.0;
        assert_eq!(row[1], expected, "L(solo) at t = {t}");
        assert_eq!(row[2], expected, "one node of weight 1: the average is its load, t = {t}");
        assert_eq!((row[3], row[4]), (0.0, 0.0));
    }
    // No outage: outages.csv has its header only.
    assert_eq!(std::fs::read_to_string(out.join("outages.csv")).unwrap(), "node,start,end\n");
}

#[test]
fn sampling_changes_no_result_and_is_deterministic() {
    let without = scenario(&BALANCING.replace("sample_interval = 5.0\n", ""));
    let with = scenario(BALANCING);
    let run = |s: &schedsim::Scenario| schedsim::run_once(s, &s.policy, 3, Default::default());
    let (a, b) = (run(&without).unwrap(), run(&with).unwrap());
    assert!(a.timeseries.is_none());
    assert_eq!(
        format!("{:?}", a.summary.metrics()),
        format!("{:?}", b.summary.metrics()),
        "sampling must not change what is simulated"
    );
    let again = run(&with).unwrap();
    assert_eq!(b.timeseries, again.timeseries);
    let ts = b.timeseries.unwrap();
    for (k, &t) in ts.times.iter().enumerate() {
        assert_eq!(t, k as f64 * 5.0);
    }
    assert!(*ts.times.last().unwrap() <= b.summary.end_time);
    assert!(b.summary.end_time - ts.times.last().unwrap() < 5.0, "sampled to the end");
}

/// Orders (reserve → pay) that sometimes fail and roll back, a heavy batch class that fills
/// the nodes so admission turns some arrivals away, and a node that goes down for a while.
const GANTT: &str = r#"
name = "gantt"
duration = 30.0
seed = 4

[[cluster.nodes]]
name = "a"
cpu = 2
memory = "1GiB"

[[cluster.nodes]]
name = "b"
cpu = 2
memory = "1GiB"
outages = [{ at = 10.2, duration = 4.0 }]

[policy]
admission = { kind = "load-threshold", limit = 0.7 }

[[workflows]]
name = "order"
arrival = { kind = "periodic", interval = 1.0 }

[[workflows.tasks]]
name = "reserve"
cpu = 1
work = { kind = "constant", value = 0.6 }
compensate = { name = "release", cpu = 1, work = { kind = "constant", value = 0.3 } }

[[workflows.tasks]]
name = "pay"
cpu = 1
work = { kind = "constant", value = 0.8 }
after = ["reserve"]
failure = { probability = 0.3, at = "end" }

[[workflows]]
name = "batch"
arrival = { kind = "periodic", interval = 2.5 }

[[workflows.tasks]]
name = "crunch"
cpu = 2
work = { kind = "constant", value = 1.7 }
"#;

#[test]
fn gantt_has_a_row_per_node_bars_by_class_and_marks_what_went_wrong() {
    let (_, t) = run_with_timeline(GANTT);
    let interrupted = |a: &&schedsim::metrics::Attempt| a.outcome.interrupted();
    let is_comp = |a: &&schedsim::metrics::Attempt| a.kind == TaskKind::Compensation;
    // The scenario shows every mark (or the test proves nothing).
    assert!(!t.rejected.is_empty(), "no rejection");
    assert!(t.attempts.iter().any(|a| a.outcome == Outcome::Failed), "no failure");
    assert!(t.attempts.iter().any(|a| a.outcome == Outcome::Lost), "no task lost");
    assert!(t.attempts.iter().any(|a| is_comp(&a)), "no compensation");
    assert_eq!(t.outages.len(), 1);
    let chart =
        charts::gantt(&Gantt { title: "Tasks on nodes — gantt".into(), timeline: &t }, Format::Svg)
            .unwrap();
    let (doc, text) = parse(&chart.picture);
    assert!(text.contains("Tasks on nodes — gantt"), "title:\n{text}");
    assert!(text.contains("simulated time (s)") && text.contains("node"), "axes:\n{text}");
    for row in ["a", "b", "rejected"] {
        assert!(text.lines().any(|l| l == row), "row {row} unnamed:\n{text}");
    }
    for (k, class) in ["order", "batch"].iter().enumerate() {
        assert!(text.lines().any(|l| l == *class), "legend lacks {class}:\n{text}");
        let of_class = |a: &&schedsim::metrics::Attempt| a.class == k;
        let solid = t.attempts.iter().filter(of_class).filter(|a| !is_comp(a) && !interrupted(a));
        let pale = t.attempts.iter().filter(of_class).filter(|a| !is_comp(a) && interrupted(a));
        let outlined = t.attempts.iter().filter(of_class).filter(is_comp);
        // A solid bar per attempt that ran to its end, plus the legend swatch.
        let colour = hex(k);
        let fill = [("fill", colour.as_str()), ("opacity", "1")];
        assert_eq!(count_with(&doc, "rect", &fill), solid.count() + 1, "solid bars of {class}");
        let pale_fill = [("fill", colour.as_str()), ("opacity", "0.35")];
        assert_eq!(count_with(&doc, "rect", &pale_fill), pale.count(), "pale bars of {class}");
        let outline = [("stroke", colour.as_str()), ("fill", "none")];
        assert_eq!(count_with(&doc, "rect", &outline), outlined.count(), "outlined {class}");
        let ticks = t.rejected.iter().filter(|r| r.class == k).count();
        assert_eq!(count_with(&doc, "polyline", &[("stroke", &colour)]), ticks, "ticks of {class}");
    }
    // A black end mark per interrupted attempt, plus the legend's.
    let marks = [("stroke", "#000000"), ("stroke-width", "3")];
    let interrupted_count = t.attempts.iter().filter(interrupted).count();
    assert_eq!(count_with(&doc, "polyline", &marks), interrupted_count + 1);
    // b's outage shaded across its row, plus the legend swatch.
    assert_eq!(count_with(&doc, "rect", &[("fill", "#787878"), ("opacity", "0.25")]), 2);
    for label in
        ["compensation (outlined)", "failed, lost or cancelled", "node down", "rejected arrival"]
    {
        assert!(text.contains(label), "legend lacks {label}:\n{text}");
    }
    let data = String::from_utf8(chart.data).unwrap();
    assert!(data.starts_with("workflow,class,task,attempt,kind,node,start,end,outcome\n"));
    assert_eq!(data.lines().count(), 1 + t.attempts.len());
    assert!(data.contains(",release,1,compensation,"), "{data}");
}

#[test]
fn gantt_refuses_runs_over_the_limit_and_plot_says_so() {
    // About 3,000 one-task workflows.
    let big =
        HAND.replace("duration = 10.0", "duration = 6000.0").replace("value = 3.0", "value = 1.0");
    let (_, t) = run_with_timeline(&big);
    assert!(t.attempts_seen > GANTT_LIMIT as u64);
    assert_eq!(t.attempts.len(), GANTT_LIMIT, "the timeline stops recording at the limit");
    let err = charts::gantt(&Gantt { title: "big".into(), timeline: &t }, Format::Svg).unwrap_err();
    assert!(matches!(err, ChartError::TooLarge { limit: GANTT_LIMIT, .. }), "{err:?}");
    let message = err.to_string();
    assert!(
        message.contains("2999 task attempts") && message.contains("at most 2000"),
        "{message}"
    );

    // `run --plots` writes no tasks.csv and says why; `plot` skips the chart with a note.
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("big.toml");
    std::fs::write(&path, &big).unwrap();
    let out = tmp.path().join("run");
    Command::cargo_bin("schedsim")
        .unwrap()
        .arg("run")
        .arg(&path)
        .arg("--out")
        .arg(&out)
        .arg("--plots")
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "no Gantt chart (tasks.csv): the run started 2999 task attempts",
        ));
    assert!(!out.join("tasks.csv").exists());
    assert!(out.join("plots/load_over_time.svg").is_file());
    // A tasks.csv over the limit (written by hand) is skipped by plot, not an error.
    let mut rows = String::from("workflow,class,task,attempt,kind,node,start,end,outcome\n");
    for i in 0..=GANTT_LIMIT {
        rows.push_str(&format!("{i},job,work,1,step,solo,{i},{}.5,completed\n", i));
    }
    std::fs::write(out.join("tasks.csv"), rows).unwrap();
    Command::cargo_bin("schedsim")
        .unwrap()
        .arg("plot")
        .arg(&out)
        .assert()
        .success()
        .stdout(predicate::str::contains("2 charts written"))
        .stderr(
            predicate::str::contains("no Gantt chart")
                .and(predicate::str::contains("at most 2000")),
        );
}

#[test]
fn run_plots_writes_tasks_csv_and_plot_redraws_the_gantt_from_it() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("gantt.toml");
    std::fs::write(&path, GANTT).unwrap();
    let out = tmp.path().join("run");
    Command::cargo_bin("schedsim")
        .unwrap()
        .arg("run")
        .arg(&path)
        .arg("--out")
        .arg(&out)
        .arg("--plots")
        .assert()
        .success();
    let (_, t) = run_with_timeline(GANTT);
    let tasks = std::fs::read(out.join("tasks.csv")).unwrap();
    assert_eq!(tasks, schedsim::report::tasks_csv(&t).unwrap());
    let rejected = std::fs::read_to_string(out.join("rejected.csv")).unwrap();
    assert_eq!(rejected.lines().count(), 1 + t.rejected.len());
    assert_eq!(
        std::fs::read_to_string(out.join("outages.csv")).unwrap(),
        "node,start,end\nb,10.2,14.2\n"
    );
    let drawn = std::fs::read(out.join("plots/gantt.svg")).unwrap();
    // Read back from the files, the chart is the one drawn from the run itself.
    let title = "Tasks on nodes — default, seed 4".to_string();
    let direct = charts::gantt(&Gantt { title, timeline: &t }, Format::Svg).unwrap();
    assert_eq!(
        String::from_utf8(drawn.clone()).unwrap(),
        String::from_utf8(direct.picture).unwrap()
    );
    std::fs::remove_dir_all(out.join("plots")).unwrap();
    Command::cargo_bin("schedsim").unwrap().arg("plot").arg(&out).assert().success();
    assert_eq!(
        std::fs::read(out.join("plots/gantt.svg")).unwrap(),
        drawn,
        "plot redraws it identically"
    );
}
