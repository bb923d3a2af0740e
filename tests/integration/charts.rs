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
