//! `report` and `plot` on experiment folders: the HTML parses, is self-contained and holds
//! every chart and table; bad folders are refused naming exactly what is missing (exit 2).

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use assert_cmd::Command;
use predicates::prelude::*;
use scraper::{Html, Selector};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn schedsim() -> Command {
    let mut c = Command::cargo_bin("schedsim").unwrap();
    c.current_dir(root());
    c
}

/// One `compare --report` of the heterogeneous scenario (5 policies, 3 replications), shared
/// by the tests that only read it.
fn compared() -> &'static Path {
    static DIR: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    let (_, dir) = DIR.get_or_init(|| {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("compare");
        schedsim()
            .args(["compare", "scenarios/heterogeneous.toml", "-r", "3", "-q"])
            .args(["--set", "duration=600", "--set", "warmup=60", "--report", "--out"])
            .arg(&dir)
            .assert()
            .success()
            .stdout(predicate::str::contains("report written to"));
        (tmp, dir)
    });
    dir
}

fn select<'a>(doc: &'a Html, css: &str) -> Vec<scraper::ElementRef<'a>> {
    doc.select(&Selector::parse(css).unwrap()).collect()
}

#[test]
fn report_html_parses_and_includes_every_chart() {
    let dir = compared();
    let html = std::fs::read_to_string(dir.join("report.html")).unwrap();
    let doc = Html::parse_document(&html);
    assert!(doc.errors.is_empty(), "HTML parse errors: {:?}", doc.errors);
    let svgs: Vec<String> = std::fs::read_dir(dir.join("plots"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "svg"))
        .map(|p| p.file_stem().unwrap().to_string_lossy().into_owned())
        .collect();
    // The latency CDF and a bar chart per headline metric.
    assert_eq!(svgs.len(), 6, "{svgs:?}");
    for stem in &svgs {
        let figure = select(&doc, &format!("figure#fig-{stem}"));
        assert_eq!(figure.len(), 1, "figure {stem} missing");
        let svg = figure[0].select(&Selector::parse("svg").unwrap()).count();
        assert_eq!(svg, 1, "figure {stem} has no inline SVG");
        assert!(dir.join("plots").join(format!("{stem}.csv")).is_file(), "{stem}.csv");
    }
    assert_eq!(select(&doc, "svg").len(), svgs.len());
}

#[test]
fn report_html_fetches_nothing() {
    let html = std::fs::read_to_string(compared().join("report.html")).unwrap();
    assert!(!html.contains("http://") && !html.contains("https://"), "a URL in the report");
    let doc = Html::parse_document(&html);
    for tag in ["script", "link", "img", "iframe", "object", "embed", "image", "use"] {
        assert!(select(&doc, tag).is_empty(), "<{tag}> in a self-contained report");
    }
    for e in select(&doc, "*") {
        for (name, value) in e.value().attrs() {
            assert!(
                !(name == "src" || name.ends_with("href") && !value.starts_with('#')),
                "<{} {name}=\"{value}\"> would fetch",
                e.value().name()
            );
        }
    }
    let css: String = select(&doc, "style").iter().flat_map(|s| s.text()).collect();
    assert!(!css.contains("url(") && !css.contains("@import"), "CSS fetches: {css}");
}

#[test]
fn report_has_the_tables_the_issue_lists() {
    let dir = compared();
    let html = std::fs::read_to_string(dir.join("report.html")).unwrap();
    let doc = Html::parse_document(&html);
    for id in ["scenario", "comparison", "paired", "best", "charts", "manifest"] {
        assert_eq!(select(&doc, &format!("section#{id}")).len(), 1, "section {id}");
    }
    let policies = ["default", "round-robin", "least-loaded", "power-of-two", "random"];
    let comparison = &select(&doc, "section#comparison table")[0];
    let rows: Vec<String> = comparison
        .select(&Selector::parse("tbody tr td:first-child").unwrap())
        .map(|td| td.text().collect())
        .collect();
    assert_eq!(rows, policies);
    // The best mean of each of the five columns is marked.
    assert_eq!(comparison.select(&Selector::parse("td.best").unwrap()).count(), 5);
    // Every significant headline difference in paired.csv is starred, and only those.
    let paired = std::fs::read_to_string(dir.join("paired.csv")).unwrap();
    let headline =
        ["avg_weighted_load", "latency_mean", "latency_p99", "rejection_rate", "throughput"];
    let significant = paired
        .lines()
        .filter(|l| l.ends_with(",true") && headline.iter().any(|m| l.contains(&format!(",{m},"))))
        .count();
    let starred = select(&doc, "section#paired td.sig").len();
    assert!(significant > 0, "the scenario's policies differ significantly");
    assert_eq!(starred, significant);
    // Offered load from the manifest's scenario, and the manifest itself.
    let scenario: String = select(&doc, "section#scenario")[0].text().collect();
    assert!(scenario.contains("Offered load") && scenario.contains("cluster"), "{scenario}");
    let manifest: String = select(&doc, "section#manifest pre")[0].text().collect();
    assert!(manifest.contains("\"scenario_hash\""));
    let best: String = select(&doc, "section#best")[0].text().collect();
    assert!(best.contains("p99 latency:"), "{best}");

    let md = std::fs::read_to_string(dir.join("report.md")).unwrap();
    assert!(md.contains("![Latency distribution — heterogeneous](plots/latency_cdf.svg)"));
    assert!(md.contains("| round-robin − default |"), "paired table in Markdown");
    assert!(md.contains("```json"));
}

#[test]
fn sweep_plots_draw_curves_per_metric() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("sweep");
    schedsim()
        .args(["sweep", "scenarios/mm1.toml", "--vary", "workflows.job.arrival.rate=0.4,0.6"])
        .args(["-r", "2", "-q", "--set", "duration=500", "--set", "warmup=50", "--plots"])
        .arg("--out")
        .arg(&dir)
        .assert()
        .success()
        .stdout(predicate::str::contains("5 charts written"));
    let svg = std::fs::read_to_string(dir.join("plots/sweep_latency_p99.svg")).unwrap();
    assert!(svg.contains("workflows.job.arrival.rate"));
    let csv = std::fs::read_to_string(dir.join("plots/sweep_latency_p99.csv")).unwrap();
    assert!(csv.starts_with("workflows.job.arrival.rate,series,metric,mean,ci_low,ci_high\n"));
    assert_eq!(csv.lines().count(), 3);
}

#[test]
fn plot_and_report_refuse_folders_that_are_not_results() {
    let tmp = tempfile::tempdir().unwrap();
    let empty = tmp.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    for cmd in ["plot", "report"] {
        schedsim().arg(cmd).arg(&empty).assert().code(2).stderr(
            predicate::str::contains(
                "not a schedsim result folder: manifest.json, aggregate.csv and paired.csv missing",
            )
            .and(predicate::str::contains("summary.csv"))
            .and(predicate::str::contains("panicked").not()),
        );
    }
    schedsim()
        .arg("plot")
        .arg(tmp.path().join("nowhere"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("not a folder"));

    // An experiment folder with one file gone names that file.
    let partial = tmp.path().join("partial");
    std::fs::create_dir(&partial).unwrap();
    for f in ["manifest.json", "aggregate.csv"] {
        std::fs::copy(compared().join(f), partial.join(f)).unwrap();
    }
    schedsim().arg("report").arg(&partial).assert().code(2).stderr(
        predicate::str::contains("paired.csv missing")
            .and(predicate::str::contains("manifest.json").not()),
    );

    // A file with a column gone names the file and the column.
    std::fs::copy(compared().join("paired.csv"), partial.join("paired.csv")).unwrap();
    let aggregate = std::fs::read_to_string(compared().join("aggregate.csv")).unwrap();
    std::fs::write(partial.join("aggregate.csv"), aggregate.replacen("ci_high", "upper", 1))
        .unwrap();
    schedsim()
        .arg("plot")
        .arg(&partial)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("aggregate.csv: column ci_high missing"));

    // Without latency.csv the bars are still drawn, and the missing CDF is explained.
    std::fs::copy(compared().join("aggregate.csv"), partial.join("aggregate.csv")).unwrap();
    schedsim()
        .arg("plot")
        .arg(&partial)
        .assert()
        .success()
        .stdout(predicate::str::contains("5 charts written"))
        .stderr(predicate::str::contains("latency.csv is missing"));
}

#[test]
fn plot_and_report_on_a_run_folder() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("run");
    schedsim()
        .args(["run", "scenarios/mm1.toml", "--set", "duration=500", "--set", "warmup=50"])
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    schedsim().arg("plot").arg(&out).assert().code(2).stderr(
        predicate::str::contains("nothing to plot")
            .and(predicate::str::contains("workflows.csv is missing (run with --trace-workflows")),
    );
    schedsim()
        .arg("report")
        .arg(&out)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("a single run's folder"));
}
