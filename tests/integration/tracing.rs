//! `schedsim trace` and `schedsim plan` from the command line (issue 6).

use assert_cmd::Command;

fn schedsim(args: &[&str]) -> assert_cmd::assert::Assert {
    Command::cargo_bin("schedsim")
        .unwrap()
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(args)
        .assert()
}

fn stdout(a: &assert_cmd::assert::Assert) -> String {
    String::from_utf8_lossy(&a.get_output().stdout).into_owned()
}

fn stderr(a: &assert_cmd::assert::Assert) -> String {
    String::from_utf8_lossy(&a.get_output().stderr).into_owned()
}

/// Two nodes, one task per workflow, load-threshold admission; `extra` adds keys.
fn tiny(dir: &tempfile::TempDir, mode: &str, extra: &str) -> String {
    let path = dir.path().join("tiny.toml");
    std::fs::write(
        &path,
        format!(
            r#"name = "tiny"
duration = 5.0
seed = 4
[cluster]
mode = "{mode}"
[[cluster.nodes]]
name = "n"
count = 2
cpu = 1
memory = "1GiB"
[policy]
admission = {{ kind = "load-threshold", limit = 0.9 }}
[[policies]]
name = "rr"
placement = "round-robin"
[[workflows]]
name = "job"
priority = 1
arrival = {{ kind = "poisson", rate = 2.0 }}
[[workflows.tasks]]
name = "work"
cpu = 0.5
work = {{ kind = "exponential", mean = 0.5 }}
{extra}
"#
        ),
    )
    .unwrap();
    path.to_str().unwrap().to_string()
}

#[test]
fn trace_says_which_policy_decided_and_the_numbers_it_compared() {
    let dir = tempfile::tempdir().unwrap();
    let out = stdout(&schedsim(&["trace", &tiny(&dir, "central", "")]).success());
    let lines: Vec<&str> = out.lines().collect();
    assert!(lines[0].starts_with("scenario tiny (seed 4), policy default"), "{out}");
    let arrive = lines.iter().find(|l| l.contains("arrives")).unwrap();
    assert!(arrive.starts_with("t="), "{arrive}");
    assert!(
        arrive.contains("job#0 arrives (class job, priority 1) -> admitted by load-threshold(limit=0.9) (weighted load 0.00 < 0.9)"),
        "{arrive}"
    );
    assert!(out.contains("job#0/work ready -> cluster queue (1 waiting; fcfs)"), "{out}");
    assert!(out.contains("job#0/work -> n-0 by least-loaded (loads: n-0 0.00, n-1 0.00)"), "{out}");
    assert!(out.contains("job#0/work starts on n-0 (attempt 1, 0.5 cores)"), "{out}");
    assert!(out.contains("job#0 completes (latency "), "{out}");
    // Times never go back.
    let times: Vec<f64> = lines
        .iter()
        .filter_map(|l| l.strip_prefix("t=")?.split_whitespace().next()?.parse().ok())
        .collect();
    assert!(times.len() > 20 && times.windows(2).all(|w| w[0] <= w[1]));
}

#[test]
fn trace_in_per_node_mode_shows_the_placement_when_a_task_becomes_ready() {
    let dir = tempfile::tempdir().unwrap();
    let out = stdout(&schedsim(&["trace", &tiny(&dir, "per-node", "")]).success());
    assert!(
        out.contains(
            "job#0/work sent to the queue of n-0 by least-loaded (loads: n-0 0.00, n-1 0.00)"
        ),
        "{out}"
    );
    assert!(out.contains("job#0/work ready -> queue of n-0 (1 waiting; fcfs)"), "{out}");
}

#[test]
fn trace_shows_failures_retries_and_rollbacks() {
    let dir = tempfile::tempdir().unwrap();
    let extra = "failure = { probability = 0.5 }\nretries = 1\nbackoff = { kind = \"constant\", delay = 0.25 }";
    let out = stdout(&schedsim(&["trace", &tiny(&dir, "central", extra)]).success());
    for part in
        ["FAILS on", "will retry after a 0.250 s backoff", "ABORTED", "failed: rollback complete"]
    {
        assert!(out.contains(part), "`{part}` missing:\n{out}");
    }
}

#[test]
fn trace_csv_has_one_row_per_line() {
    let dir = tempfile::tempdir().unwrap();
    let path = tiny(&dir, "central", "");
    let text = stdout(&schedsim(&["trace", &path]).success());
    let csv = stdout(&schedsim(&["trace", &path, "--format", "csv"]).success());
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(header, ["time", "workflow", "class", "task", "event", "node", "policy", "detail"]);
    let rows = reader.records().count();
    assert_eq!(rows + 2, text.lines().count(), "the text adds a header and a footer line");
}

#[test]
fn trace_draws_the_gantt_chart_of_the_traced_run() {
    let dir = tempfile::tempdir().unwrap();
    let path = tiny(&dir, "central", "");
    let svg = dir.path().join("gantt.svg");
    let out = stdout(&schedsim(&["trace", &path, "--gantt", svg.to_str().unwrap()]).success());
    let starts = out.lines().filter(|l| l.contains(" starts on ")).count();
    let picture = std::fs::read_to_string(&svg).unwrap();
    assert!(picture.starts_with("<svg"), "an SVG file");
    assert!(picture.contains("tasks on nodes"), "titled");
    for node in ["n-0", "n-1"] {
        assert!(picture.contains(node), "a row labelled {node}");
    }
    assert!(starts > 5 && picture.matches("<rect").count() >= starts, "a bar per task start");
}

#[test]
fn trace_refuses_long_runs_with_advice() {
    let a = schedsim(&["trace", "scenarios/order-processing.toml"]).code(2);
    let err = stderr(&a);
    assert!(err.contains("more than --max-events 10000"), "{err}");
    assert!(err.contains("--set duration="), "{err}");
    schedsim(&[
        "trace",
        "scenarios/order-processing.toml",
        "--set",
        "duration=2",
        "--set",
        "warmup=0",
    ])
    .success();
}

#[test]
fn trace_compare_prints_the_first_diverging_decision_with_the_state() {
    let dir = tempfile::tempdir().unwrap();
    let path = tiny(&dir, "central", "");
    let out = stdout(&schedsim(&["trace", &path, "--compare", "default", "rr"]).success());
    assert!(out.contains("then they diverge"), "{out}");
    assert!(out.contains("by least-loaded") && out.contains("by round-robin"), "{out}");
    assert!(out.contains("state it saw: loads: n-0"), "{out}");
    let same = stdout(&schedsim(&["trace", &path, "--compare", "default", "queue=fcfs"]).success());
    assert!(same.contains("the two runs take the same"), "{same}");
}

#[test]
fn plan_prints_probes_and_the_answer_and_writes_its_files() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("plan");
    let a = schedsim(&[
        "plan",
        "scenarios/mmc.toml",
        "--vary",
        "cluster.nodes.worker.count=1..16",
        "--slo",
        "wait_probability<=0.3",
        "--set",
        "duration=2000",
        "--set",
        "warmup=200",
        "--out",
        out.to_str().unwrap(),
    ])
    .success();
    let text = stdout(&a);
    assert!(text.contains("answer: cluster.nodes.worker.count = 10"), "{text}");
    assert!(text.contains("(re-run, fresh seeds)"), "{text}");
    let csv = std::fs::read_to_string(out.join("plan.csv")).unwrap();
    assert!(csv.starts_with("policy,probe,kind,cluster.nodes.worker.count,wait_probability_mean"));
    let svg = std::fs::read_to_string(out.join("plan.svg")).unwrap();
    assert!(
        svg.contains("SLO: wait_probability&lt;=0.3") || svg.contains("SLO: wait_probability<=0.3")
    );
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(manifest["answers"][0]["values"][0], 10.0);
}

#[test]
fn plan_rejects_bad_objectives_and_missing_costs() {
    let a = schedsim(&[
        "plan",
        "scenarios/mmc.toml",
        "--vary",
        "cluster.nodes.worker.count=1..4",
        "--slo",
        "latency_p98<=1",
    ])
    .code(2);
    assert!(stderr(&a).contains("did you mean `latency_p99`?"), "{}", stderr(&a));
    let a = schedsim(&[
        "plan",
        "scenarios/order-processing.toml",
        "--vary",
        "cluster.nodes.payment.count=1..4",
        "--vary",
        "cluster.nodes.order.count=1..4",
        "--slo",
        "latency_p99<=2",
    ])
    .code(2);
    assert!(stderr(&a).contains("give a --cost"), "{}", stderr(&a));
    let a = schedsim(&["plan", "scenarios/mmc.toml", "--slo", "latency_p99<=2"]).code(2);
    assert!(stderr(&a).contains("--vary"), "{}", stderr(&a));
}
