//! The `schedsim` command line: what it prints, the files it writes, its exit codes. Every
//! command runs from the crate root with short durations, and none may panic.

use std::path::{Path, PathBuf};

use assert_cmd::assert::Assert;
use assert_cmd::Command;
use predicates::prelude::*;

/// The crate root, where `scenarios/` lives.
fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// `schedsim ARGS...` run from the crate root; asserts that it did not panic.
fn schedsim<I, S>(args: I) -> Assert
where
    I: IntoIterator<Item = S>,
    S: AsRef<std::ffi::OsStr>,
{
    Command::cargo_bin("schedsim")
        .unwrap()
        .current_dir(root())
        .args(args)
        .assert()
        .stderr(predicate::str::contains("panicked").not())
}

/// `schedsim run SCENARIO` with a short run, then `extra`.
fn run_short(scenario: &str, extra: &[&str]) -> Assert {
    let mut args = vec!["run", scenario, "--set", "duration=300", "--set", "warmup=30"];
    args.extend_from_slice(extra);
    schedsim(args)
}

const MM1: &str = "scenarios/mm1.toml";
const ORDERS: &str = "scenarios/order-processing.toml";
const HETEROGENEOUS: &str = "scenarios/heterogeneous.toml";

fn stdout_of(a: &Assert) -> String {
    String::from_utf8_lossy(&a.get_output().stdout).into_owned()
}

fn stderr_of(a: &Assert) -> String {
    String::from_utf8_lossy(&a.get_output().stderr).into_owned()
}

/// The keys `--json` must have (the contract).
const JSON_KEYS: &[&str] = &[
    "arrived",
    "completed",
    "rejected",
    "failed",
    "in_flight",
    "rejection_rate",
    "latency_mean",
    "latency_p50",
    "latency_p95",
    "latency_p99",
    "latency_max",
    "wait_mean",
    "avg_weighted_load",
    "utilization",
    "load_imbalance",
    "throughput",
    "deadline_miss_rate",
    "events",
    "wall_seconds",
    "attempts",
    "retries",
    "task_failures",
    "tasks_lost",
    "tasks_cancelled",
    "wasted_cpu_seconds",
    "rollbacks",
    "aborted_retries",
    "aborted_deadline",
    "compensations",
    "compensation_cpu_seconds",
    "rollback_latency_mean",
    "rollback_latency_p99",
    "node_failures",
    "availability",
    "migrations",
    "steals",
];

/// The columns of `summary.csv` before issue 3 added the orchestration figures: they keep
/// their positions, so scripts reading the file by position do not break.
const SUMMARY_COLUMNS_V1: &[&str] = &[
    "policy",
    "seed",
    "arrived",
    "completed",
    "rejected",
    "failed",
    "in_flight",
    "rejection_rate",
    "latency_mean",
    "latency_p50",
    "latency_p95",
    "latency_p99",
    "latency_max",
    "wait_mean",
    "wait_p50",
    "wait_p95",
    "wait_p99",
    "wait_max",
    "wait_probability",
    "queue_mean",
    "queue_max",
    "avg_weighted_load",
    "utilization",
    "memory_utilization",
    "load_imbalance",
    "throughput",
    "deadline_miss_rate",
    "events",
    "rejected_admission",
    "rejected_queue_full",
    "rejected_unschedulable",
    "window",
    "end_time",
    "stable",
];

#[test]
fn run_prints_the_summary_table() {
    let a = schedsim(["run", MM1, "--set", "duration=2000", "--set", "warmup=100"]).success();
    let out = stdout_of(&a);
    for part in [
        "scenario  mm1",
        "policy    default: queue=fcfs placement=least-loaded admission=always",
        "window    100.0 s .. 2000.0 s",
        "arrived",
        "completed",
        "rejected %",
        "latency (s)",
        "p99",
        "avg weighted",
        "utilization",
        "throughput",
        "server",
    ] {
        assert!(out.contains(part), "the table should show `{part}`:\n{out}");
    }
}

#[test]
fn run_shows_failures_rollbacks_outages_and_the_monitor_when_the_scenario_has_them() {
    let out = stdout_of(&run_short(ORDERS, &["--set", "duration=2000"]).success());
    for part in ["attempts ", "retried", "rollback ", "compensations", "nodes     ", "avail"] {
        assert!(out.contains(part), "the table should show `{part}`:\n{out}");
    }
    let out = stdout_of(&run_short("scenarios/load-balancing.toml", &[]).success());
    assert!(out.contains("monitor   "), "{out}");
    assert!(out.contains("stolen by idle nodes"), "{out}");
    // A scenario without any of it keeps the short table.
    let out = stdout_of(&run_short(MM1, &[]).success());
    assert!(!out.contains("attempts ") && !out.contains("avail"), "{out}");
}

#[test]
fn run_json_prints_one_object_with_every_documented_key() {
    let a =
        schedsim(["run", MM1, "--set", "duration=2000", "--set", "warmup=100", "--json"]).success();
    let out = stdout_of(&a);
    // The whole of stdout is one JSON value: no table, no extra lines.
    let v: serde_json::Value = serde_json::from_str(&out).expect("stdout is one JSON value");
    let obj = v.as_object().expect("a JSON object");
    for key in JSON_KEYS {
        let value = obj.get(*key).unwrap_or_else(|| panic!("missing key `{key}`:\n{out}"));
        assert!(value.is_number() || value.is_null(), "`{key}` is not a number: {value}");
    }
    let count = |k: &str| obj[k].as_u64().unwrap_or_else(|| panic!("`{k}` is not a count"));
    assert!(count("arrived") > 1000, "{out}");
    assert_eq!(
        count("arrived"),
        count("completed") + count("rejected") + count("failed") + count("in_flight"),
        "conservation"
    );
    let by = obj["rejected_by"].as_object().expect("rejected_by is an object");
    for reason in ["admission", "queue_full", "unschedulable"] {
        assert!(by.get(reason).is_some_and(|x| x.is_u64()), "rejected_by.{reason}: {out}");
    }
    let classes = obj["classes"].as_array().expect("classes is a list");
    assert_eq!(classes.len(), 1);
    assert_eq!(classes[0]["name"], "job");
    assert_eq!(classes[0]["arrived"], obj["arrived"]);
}

#[test]
fn run_json_lists_every_workflow_class() {
    let a = run_short("scenarios/bank-transfer.toml", &["--json"]).success();
    let v: serde_json::Value = serde_json::from_str(&stdout_of(&a)).unwrap();
    let classes = v["classes"].as_array().unwrap();
    assert!(!classes.is_empty());
    let total: u64 = classes.iter().map(|c| c["arrived"].as_u64().unwrap()).sum();
    assert_eq!(Some(total), v["arrived"].as_u64());
}

#[test]
fn run_out_writes_summary_nodes_and_classes_csv() {
    let dir = tempfile::tempdir().unwrap();
    let a = run_short(ORDERS, &["--out", dir.path().to_str().unwrap()]).success();
    assert!(stdout_of(&a).contains("results written to"));

    let summary = std::fs::read_to_string(dir.path().join("summary.csv")).unwrap();
    let mut lines = summary.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    // Every figure of the JSON but the wall-clock time, left out so that files are
    // reproducible byte for byte.
    for key in JSON_KEYS.iter().filter(|&&k| k != "wall_seconds") {
        assert!(header.contains(key), "summary.csv lacks `{key}`: {header:?}");
    }
    assert_eq!(lines.count(), 1, "one row per run");
    assert_eq!(&header[..SUMMARY_COLUMNS_V1.len()], SUMMARY_COLUMNS_V1, "existing columns moved");
    assert_eq!(header[SUMMARY_COLUMNS_V1.len()], "attempts", "new columns are appended");

    let classes = std::fs::read_to_string(dir.path().join("classes.csv")).unwrap();
    let header = classes.lines().next().unwrap();
    for column in ["name", "arrived", "completed", "failed", "rollbacks", "compensations"] {
        assert!(header.split(',').any(|c| c == column), "classes.csv lacks `{column}`: {header}");
    }
    assert_eq!(classes.lines().count(), 2, "a header and the order class");

    let nodes = std::fs::read_to_string(dir.path().join("nodes.csv")).unwrap();
    let header = nodes.lines().next().unwrap();
    for column in ["name", "pool", "load", "utilization"] {
        assert!(header.split(',').any(|c| c == column), "nodes.csv lacks `{column}`: {header}");
    }
    assert_eq!(nodes.lines().count(), 1 + 7, "a header and the 7 nodes of the scenario");
    assert!(nodes.contains("payment-2"), "{nodes}");

    assert!(
        !dir.path().join("workflows.csv").exists(),
        "workflows.csv is written only with --trace-workflows"
    );
}

#[test]
fn trace_workflows_writes_one_row_per_measured_arrival() {
    let dir = tempfile::tempdir().unwrap();
    // A tight admission limit, so that rejected workflows are listed too.
    run_short(
        ORDERS,
        &[
            "--admission",
            "{kind = \"queue-limit\", limit = 2}",
            "--trace-workflows",
            "--out",
            dir.path().to_str().unwrap(),
        ],
    )
    .success();
    let summary = std::fs::read_to_string(dir.path().join("summary.csv")).unwrap();
    let mut rows = csv::Reader::from_reader(summary.as_bytes());
    let headers = rows.headers().unwrap().clone();
    let row = rows.records().next().unwrap().unwrap();
    let field = |name: &str| {
        let i = headers.iter().position(|h| h == name).unwrap();
        row[i].parse::<u64>().unwrap()
    };
    let (arrived, rejected) = (field("arrived"), field("rejected"));
    assert!(rejected > 0, "the limit should reject some orders");

    let workflows = std::fs::read_to_string(dir.path().join("workflows.csv")).unwrap();
    let records = workflows.lines().count() - 1;
    assert_eq!(records as u64, arrived, "one workflows.csv row per measured arrival");
    let listed_rejected = workflows.lines().filter(|l| l.contains(",rejected,")).count();
    assert_eq!(listed_rejected as u64, rejected);
}

#[test]
fn bare_scenario_path_runs_it() {
    let a = schedsim([MM1]).success();
    let out = stdout_of(&a);
    assert!(out.contains("scenario  mm1"), "{out}");
    assert!(out.contains("latency"), "{out}");
}

#[test]
fn no_arguments_prints_help() {
    let a = schedsim(Vec::<&str>::new()).success();
    assert!(stdout_of(&a).contains("Usage"), "{}", stdout_of(&a));
}

#[test]
fn help_texts_work() {
    schedsim(["--help"]).success().stdout(predicate::str::contains("run"));
    schedsim(["run", "--help"]).success().stdout(predicate::str::contains("--trace-workflows"));
    schedsim(["validate", "--help"]).success();
}

#[test]
fn policy_flag_picks_a_named_policy() {
    let a = run_short(ORDERS, &["--policy", "sjf-p2c"]).success();
    let out = stdout_of(&a);
    assert!(out.contains("policy    sjf-p2c: queue=sjf placement=power-of-two"), "{out}");
    let a = run_short(ORDERS, &["--policy", "default"]).success();
    assert!(stdout_of(&a).contains("policy    default: queue=fcfs placement=least-loaded"));
}

#[test]
fn unknown_policy_flag_exits_2_with_a_suggestion() {
    let a = run_short(ORDERS, &["--policy", "sjf-p2d"]).code(2);
    let err = stderr_of(&a);
    assert!(err.contains("no policy named `sjf-p2d`"), "{err}");
    assert!(err.contains("did you mean `sjf-p2c`?"), "{err}");
    assert!(err.contains("default, sjf-p2c, bin-pack, shed-load"), "lists the names: {err}");
    assert!(stdout_of(&a).is_empty(), "nothing on stdout when the run does not start");
}

#[test]
fn queue_flag_overrides_the_discipline() {
    let a = run_short(MM1, &["--queue", "sjf"]).success();
    assert!(stdout_of(&a).contains("queue=sjf placement=least-loaded"), "{}", stdout_of(&a));
    let a = run_short(MM1, &["--queue", "{kind = \"sjf\", true_work = true}"]).success();
    assert!(stdout_of(&a).contains("sjf(true_work=true)"), "{}", stdout_of(&a));
}

#[test]
fn placement_flag_takes_a_table_with_parameters() {
    let a =
        run_short(ORDERS, &["--placement", "{kind = \"resource-score\", weights = {cpu = 2.0}}"])
            .success();
    let out = stdout_of(&a);
    assert!(out.contains("placement=resource-score(weights="), "{out}");
    assert!(out.contains("cpu = 2.0"), "{out}");
}

#[test]
fn admission_flag_takes_a_table_with_parameters() {
    let a =
        run_short(ORDERS, &["--admission", "{kind=\"queue-limit\", limit=5}", "--json"]).success();
    let v: serde_json::Value = serde_json::from_str(&stdout_of(&a)).unwrap();
    assert!(v["arrived"].as_u64().unwrap() > 0);
    let a = run_short(ORDERS, &["--admission", "{kind=\"queue-limit\", limit=5}"]).success();
    assert!(stdout_of(&a).contains("admission=queue-limit(limit=5)"), "{}", stdout_of(&a));
}

#[test]
fn policy_flags_are_shown_once_in_the_table() {
    let a = run_short(MM1, &["--queue", "sjf"]).success();
    let out = stdout_of(&a);
    let line = out.lines().find(|l| l.starts_with("policy")).unwrap();
    assert_eq!(line.matches("queue=").count(), 1, "{line}");
}

#[test]
fn bad_policy_flags_exit_2_with_a_clear_message() {
    let cases: &[(&str, &[&str], &str)] = &[
        (MM1, &["--queue", "sjff"], "did you mean `sjf`?"),
        (MM1, &["--placement", "leastloaded"], "did you mean `least-loaded`?"),
        (MM1, &["--admission", "alwys"], "did you mean `always`?"),
        (MM1, &["--placement", "{kind = "], "not a TOML table"),
        (MM1, &["--placement", "{weights = {cpu = 2.0}}"], "kind"),
        (MM1, &["--admission", "{kind=\"queue-limit\"}"], "limit"),
        (MM1, &["--queue", "{kind=\"sjf\", truework=true}"], "true_work"),
        (HETEROGENEOUS, &["--placement", "first-fit"], "central"),
    ];
    for (scenario, flags, expected) in cases {
        let a = run_short(scenario, flags).code(2);
        let err = stderr_of(&a);
        assert!(err.contains(expected), "{flags:?} should say `{expected}`:\n{err}");
        assert!(err.starts_with("Error: "), "{err}");
    }
}

#[test]
fn bad_set_exits_2_and_names_the_problem() {
    let a = schedsim(["run", MM1, "--set", "cluster.nodes.gpu.count=1"]).code(2);
    let err = stderr_of(&a);
    assert!(err.contains("no entry named `gpu`") && err.contains("server"), "{err}");

    let a = schedsim(["run", MM1, "--set", "nonsense"]).code(2);
    assert!(stderr_of(&a).contains("PATH=VALUE"), "{}", stderr_of(&a));

    let a = schedsim(["run", MM1, "--set", "workflows.job.arrival.rate=fast"]).code(2);
    let err = stderr_of(&a);
    assert!(err.contains("mm1.toml") && err.contains("workflows.job.arrival"), "{err}");
    assert!(err.contains("expected a number"), "{err}");

    let a = schedsim(["run", MM1, "--set", "warmup=200000"]).code(2);
    assert!(stderr_of(&a).contains("warmup: must be less than duration"), "{}", stderr_of(&a));
}

#[test]
fn bad_arguments_exit_2() {
    schedsim(["run", MM1, "--seed", "abc"]).code(2);
    schedsim(["run", MM1, "--bogus"]).code(2);
    schedsim(["frobnicate", "x"]).code(2);
}

/// The shipped scenarios.
fn shipped() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(root().join("scenarios"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    files
}

#[test]
fn validate_accepts_every_shipped_scenario() {
    let files = shipped();
    assert!(files.len() >= 5, "{files:?}");
    let mut args = vec![PathBuf::from("validate")];
    args.extend(files.iter().cloned());
    let a = schedsim(&args).success();
    let out = stdout_of(&a);
    for f in &files {
        let line = format!("{}: ok", f.display());
        assert!(out.contains(&line), "missing `{line}`:\n{out}");
    }
}

#[test]
fn every_shipped_scenario_runs_briefly() {
    for f in shipped() {
        let f = f.to_str().unwrap().to_string();
        let a = schedsim(["run", &f, "--set", "duration=60", "--set", "warmup=6", "--json"]);
        let a = a.success();
        let v: serde_json::Value = serde_json::from_str(&stdout_of(&a)).unwrap();
        assert!(v["events"].as_u64().unwrap() > 0, "{f}");
    }
}

#[test]
fn validate_reports_file_and_line_of_a_broken_file() {
    let dir = tempfile::tempdir().unwrap();
    let broken = dir.path().join("broken.toml");
    let text = std::fs::read_to_string(root().join(MM1)).unwrap();
    let text = text.replace("cpu = 1\nmemory", "cpus = 1\nmemory");
    let line = text.lines().position(|l| l == "cpus = 1").unwrap() + 1;
    std::fs::write(&broken, &text).unwrap();

    let a =
        schedsim(["validate".as_ref(), root().join(MM1).as_os_str(), broken.as_os_str()]).code(2);
    let err = stderr_of(&a);
    let at = format!("{}:{line}:", broken.display());
    assert!(err.contains(&at), "should point at {at}:\n{err}");
    assert!(err.contains("did you mean `cpu`?"), "{err}");
    assert!(err.contains("1 of 2 scenario files are invalid"), "{err}");
    assert!(stdout_of(&a).contains("mm1.toml: ok"), "the good file is still checked");
}

#[test]
fn validate_prints_every_problem_of_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let broken = dir.path().join("two-problems.toml");
    let text = std::fs::read_to_string(root().join(MM1))
        .unwrap()
        .replace("rate = 0.8", "rate = -0.8")
        .replace("warmup = 5000.0", "warmup = 200000.0");
    std::fs::write(&broken, text).unwrap();
    let a = schedsim(["validate".as_ref(), broken.as_os_str()]).code(2);
    let err = stderr_of(&a);
    assert!(err.contains("two-problems.toml:6: warmup"), "{err}");
    assert!(err.contains("two-problems.toml:16: workflows.job.arrival.rate"), "{err}");
}

#[test]
fn missing_file_exits_2_and_names_it() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("nowhere.toml");
    let missing_str = missing.to_str().unwrap();
    for args in [vec!["run", missing_str], vec!["validate", missing_str], vec![missing_str]] {
        let a = schedsim(&args).code(2);
        let err = stderr_of(&a);
        assert!(err.contains(missing_str), "{args:?} should name the file:\n{err}");
        assert!(err.contains("cannot read scenario"), "{err}");
    }
}

#[test]
fn policies_lists_every_policy() {
    let a = schedsim(["policies"]).success();
    let out = stdout_of(&a);
    let names: Vec<&str> = out.lines().filter_map(|l| l.split_whitespace().next()).collect();
    for name in [
        "fcfs",
        "sjf",
        "priority",
        "edf",
        "weighted-priority",
        "round-robin",
        "random",
        "least-loaded",
        "weighted-least-loaded",
        "power-of-two",
        "first-fit",
        "best-fit",
        "spread",
        "bin-pack",
        "resource-score",
        "always",
        "load-threshold",
        "queue-limit",
    ] {
        assert!(names.contains(&name), "`{name}` is not listed:\n{out}");
    }
}

#[test]
fn policies_shows_one_policy_or_suggests_a_name() {
    let a = schedsim(["policies", "sjf"]).success();
    let out = stdout_of(&a);
    assert!(out.contains("sjf") && !out.contains("fcfs"), "{out}");
    let a = schedsim(["policies", "sjff"]).code(2);
    let err = stderr_of(&a);
    assert!(err.contains("no policy named `sjff`"), "{err}");
    assert!(err.contains("did you mean `sjf`?"), "{err}");
}

#[test]
fn same_scenario_and_seed_write_byte_identical_summary_csv() {
    let dirs: Vec<tempfile::TempDir> = (0..3).map(|_| tempfile::tempdir().unwrap()).collect();
    for (dir, seed) in dirs.iter().zip(["7", "7", "8"]) {
        run_short(ORDERS, &["--seed", seed, "--out", dir.path().to_str().unwrap()]).success();
    }
    let read = |d: &tempfile::TempDir, f: &str| std::fs::read(d.path().join(f)).unwrap();
    assert_eq!(read(&dirs[0], "summary.csv"), read(&dirs[1], "summary.csv"));
    assert_eq!(read(&dirs[0], "nodes.csv"), read(&dirs[1], "nodes.csv"));
    assert_ne!(
        read(&dirs[0], "summary.csv"),
        read(&dirs[2], "summary.csv"),
        "another seed gives another run"
    );
}
