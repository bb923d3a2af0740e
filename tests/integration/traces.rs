//! Replaying recorded workloads: the shipped trace scenarios, the real traces beside the
//! project (skipped with a message when `../shared/data/traces/` is absent), scaling and
//! windows, bounded slowdown worked by hand, `schedsim import`, and bad trace input.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use schedsim::model::{Model, WorkflowClass};
use schedsim::sim::{Observer, TaskEvent};
use schedsim::{Scenario, Simulation, Summary};

fn shipped(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/traces").join(name)
}

/// A real trace beside the project, or `None` (with a message) when it is not there.
fn real_trace(file: &str) -> Option<PathBuf> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data/traces").join(file);
    if path.exists() {
        Some(path)
    } else {
        eprintln!("skipped: {} is absent", path.display());
        None
    }
}

/// Checks that no task of a replayed job starts before its predecessors finished (a join
/// counts as finished when the last of its instances is).
/// Each task's predecessors and whether it is a join; when each finished (NaN: not yet).
type JobTasks = (Vec<(Vec<usize>, bool)>, Vec<f64>);

#[derive(Default)]
struct Precedence {
    /// Per workflow in flight: each task's predecessors and whether it is a join, and when it
    /// finished (NaN: not yet).
    jobs: HashMap<u64, JobTasks>,
    started: u64,
    violations: Vec<String>,
}

impl Precedence {
    /// When `task` of `wf` was done: its finish, or for a join the last finish of its
    /// instances (remembered, so a join of many instances is summed up once).
    fn done_at(&mut self, wf: u64, task: usize) -> Option<f64> {
        let (tasks, finished) = self.jobs.get_mut(&wf)?;
        if finished[task].is_nan() && tasks[task].1 {
            let last = tasks[task].0.iter().try_fold(0.0, |m: f64, &p| {
                Some(m.max(Some(finished[p]).filter(|t| !t.is_nan())?))
            });
            finished[task] = last.unwrap_or(f64::NAN);
        }
        Some(finished[task]).filter(|t| !t.is_nan())
    }
}

impl Observer for Precedence {
    fn job(&mut self, _time: f64, workflow: u64, template: &WorkflowClass) {
        let tasks: Vec<_> = template.tasks.iter().map(|t| (t.after.clone(), t.join)).collect();
        let finished = vec![f64::NAN; tasks.len()];
        self.jobs.insert(workflow, (tasks, finished));
    }
    fn started(&mut self, e: &TaskEvent) {
        self.started += 1;
        let Some((tasks, _)) = self.jobs.get(&e.workflow) else {
            self.violations
                .push(format!("workflow {} started a task before it arrived", e.workflow));
            return;
        };
        for p in tasks[e.task].0.clone() {
            match self.done_at(e.workflow, p) {
                Some(t) if t <= e.time => {}
                other => self.violations.push(format!(
                    "t={}: workflow {} task {} started; predecessor {p} done at {other:?}",
                    e.time, e.workflow, e.task
                )),
            }
        }
    }
    fn finished(&mut self, e: &TaskEvent) {
        if let Some((_, finished)) = self.jobs.get_mut(&e.workflow) {
            finished[e.task] = e.time;
        }
    }
    fn completed(&mut self, _time: f64, workflow: u64, _class: usize) {
        self.jobs.remove(&workflow);
    }
}

/// Runs the scenario's `[policy]` once, checking precedence; asserts conservation.
fn replay(s: &Scenario) -> (Summary, Precedence) {
    let model = Model::new(s).unwrap_or_else(|e| panic!("{e}"));
    let sim = Simulation::with_observer(&model, &s.policy, s.seed, Precedence::default()).unwrap();
    let (result, checker) = sim.run();
    let sum = result.summary;
    assert!(
        checker.violations.is_empty(),
        "{:?}",
        &checker.violations[..checker.violations.len().min(5)]
    );
    assert_eq!(sum.arrived, sum.completed + sum.rejected + sum.failed + sum.in_flight);
    (sum, checker)
}

fn load(path: &Path, overrides: &[&str]) -> Scenario {
    let overrides: Vec<_> = overrides.iter().map(|o| o.parse().unwrap()).collect();
    Scenario::load_with(path, &overrides).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn shipped_trace_scenarios_replay_every_job() {
    for (file, jobs) in
        [("swf.toml", 288), ("alibaba.toml", 40), ("pods.toml", 398), ("schedsim.toml", 40)]
    {
        let s = load(&shipped(file), &[]);
        let (sum, checker) = replay(&s);
        assert_eq!(sum.arrived, jobs, "{file}");
        assert_eq!((sum.completed, sum.in_flight), (jobs, 0), "{file}: drain finishes every job");
        assert!(checker.started > 0);
        assert!(sum.bounded_slowdown >= 1.0, "{file}: slowdown {}", sum.bounded_slowdown);
    }
}

#[test]
fn a_class_column_gives_each_class_its_own_results() {
    let (sum, _) = replay(&load(&shipped("pods.toml"), &[]));
    let names: Vec<&str> = sum.classes.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["trace", "batch", "web"]);
    let by = |n: &str| sum.classes.iter().find(|c| c.name == n).unwrap().arrived;
    assert_eq!(by("trace"), 0, "every pod has a tier");
    assert_eq!(by("batch") + by("web"), sum.arrived);
    assert!(by("web") > by("batch"), "two thirds of the sample's pods are web");
}

#[test]
fn a_workflow_trace_arrives_as_a_stream_of_instances() {
    let s = load(&shipped("wfcommons.toml"), &[]);
    let (sum, _) = replay(&s);
    // Poisson at 0.02/s over 3,300 measured seconds: about 66 instances.
    assert!((40..=95).contains(&sum.arrived), "{} arrived", sum.arrived);
    let faster = load(&shipped("wfcommons.toml"), &["trace.arrival.rate=0.06"]);
    let (busier, _) = replay(&faster);
    assert!(busier.arrived > 2 * sum.arrived);
    assert!(busier.utilization > 2.0 * sum.utilization);
}

#[test]
fn schedsim_format_replays_exactly_like_its_source() {
    // sample.csv is `schedsim import` of the Alibaba sample: same jobs, same results.
    let (a, _) = replay(&load(&shipped("alibaba.toml"), &[]));
    let (b, _) = replay(&load(&shipped("schedsim.toml"), &[]));
    assert_eq!(a.metrics().map(f64::to_bits), b.metrics().map(f64::to_bits));
}

#[test]
fn easy_backfilling_cuts_the_wait_of_the_swf_sample() {
    let wait = |queue: &str| {
        let s = load(&shipped("swf.toml"), &[&format!("policy.queue={queue}")]);
        replay(&s).0.wait_mean
    };
    let (fcfs, easy, conservative) =
        (wait("fcfs"), wait("easy-backfill"), wait("conservative-backfill"));
    assert!(easy < 0.8 * fcfs, "easy {easy} vs fcfs {fcfs}");
    assert!(conservative < fcfs, "conservative {conservative} vs fcfs {fcfs}");
}

/// The sample's recorded waits are those of a strict FCFS machine (make_samples.py computes
/// them so): replayed under strict FCFS, schedsim must give exactly the recorded waits.
#[test]
fn strict_fcfs_reproduces_the_recorded_waits_of_an_fcfs_log() {
    let s = load(&shipped("swf.toml"), &["policy.queue=fcfs"]);
    assert!(!s.cluster.backfill);
    let (sum, _) = replay(&s);
    assert!(sum.recorded_wait_mean > 1000.0);
    assert!(
        (sum.wait_mean - sum.recorded_wait_mean).abs() < 1e-9,
        "{} vs {}",
        sum.wait_mean,
        sum.recorded_wait_mean
    );
}

/// One 100-core node replaying the KTH SP2 log (27,992 jobs) under three disciplines.
#[test]
fn kth_sp2_easy_waits_clearly_less_than_fcfs() {
    let Some(path) = real_trace("KTH-SP2-1996-2.1-cln.swf.gz") else { return };
    let text = format!(
        "name = \"kth\"\ndrain = true\n[cluster]\nmode = \"central\"\nbackfill = false\n\
         [[cluster.nodes]]\nname = \"sp2\"\ncpu = 100\nmemory = \"1TiB\"\n\
         [policy]\nqueue = \"fcfs\"\nplacement = \"first-fit\"\n\
         [trace]\nformat = \"swf\"\npath = {:?}\n",
        path.display().to_string()
    );
    let mut waits = Vec::new();
    for queue in ["fcfs", "easy-backfill", "conservative-backfill"] {
        let text = text.replace("queue = \"fcfs\"", &format!("queue = \"{queue}\""));
        let s = Scenario::from_toml(&text, "kth.toml".as_ref(), &[]).unwrap();
        let (sum, _) = replay(&s);
        assert_eq!(sum.in_flight, 0);
        assert!(sum.recorded_wait_mean > 0.0, "the log records waits");
        eprintln!(
            "KTH SP2 {queue}: mean wait {:.0} s (recorded {:.0} s), bounded slowdown {:.2}, \
             utilization {:.3}",
            sum.wait_mean, sum.recorded_wait_mean, sum.bounded_slowdown, sum.utilization
        );
        waits.push(sum.wait_mean);
    }
    let (fcfs, easy, conservative) = (waits[0], waits[1], waits[2]);
    assert!(easy < 0.5 * fcfs, "EASY {easy:.0} s is not clearly below FCFS {fcfs:.0} s");
    assert!(conservative < fcfs, "conservative {conservative:.0} s vs FCFS {fcfs:.0} s");
}

#[test]
fn the_run_summary_shows_the_recorded_wait_beside_the_simulated_one() {
    let out = Command::cargo_bin("schedsim")
        .unwrap()
        .args(["run"])
        .arg(shipped("swf.toml"))
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{text}");
    assert!(text.contains("recorded mean wait in the trace"), "{text}");
    assert!(text.contains("bounded slowdown"), "{text}");
    assert!(text.contains("trace: 288 jobs"), "{text}");
}

#[test]
fn alibaba_dag_jobs_complete_in_dependency_order() {
    let Some(path) = real_trace("alibaba_v2018_batch_task_selected_DAGs.csv") else { return };
    let s = load(
        &shipped("alibaba.toml"),
        &[&format!("trace.path={}", path.display()), "cluster.nodes.0.count=100"],
    );
    let (sum, checker) = replay(&s);
    assert_eq!(sum.arrived, 2120);
    assert_eq!((sum.completed, sum.in_flight, sum.rejected), (2120, 0, 0));
    assert!(checker.started >= 3_000_000, "{} instances started", checker.started);
}

/// A two-job SWF log on one 4-core node: job 1 holds all 4 cores for 100 s, job 2 (same
/// submit time) waits for it, then runs 5 s.
const TWO_JOBS: &str = "; MaxProcs: 4\n\
    1 0 0 100 4 -1 -1 4 200 -1 1 1 1 -1 1 -1 -1 -1\n\
    2 0 0 5 4 -1 -1 4 10 -1 1 1 1 -1 1 -1 -1 -1\n";

fn two_jobs(dir: &Path, extra: &str) -> Scenario {
    std::fs::write(dir.join("two.swf"), TWO_JOBS).unwrap();
    let text = format!(
        "name = \"two\"\ndrain = true\n{extra}\n[cluster]\nmode = \"central\"\n\
         [policy]\nqueue = \"fcfs\"\nplacement = \"first-fit\"\n\
         [trace]\nformat = \"swf\"\npath = \"two.swf\"\ncluster = \"one-node\"\n"
    );
    let path = dir.join("two.toml");
    std::fs::write(&path, text).unwrap();
    Scenario::load(&path).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn bounded_slowdown_by_hand() {
    let dir = tempfile::tempdir().unwrap();
    let (sum, _) = replay(&two_jobs(dir.path(), ""));
    // Job 1: (0 + 100) / 100 = 1. Job 2: (100 + 5) / max(5, 10) = 10.5. Mean 5.75.
    assert_eq!(sum.bounded_slowdown, 5.75);
    assert_eq!(sum.wait_mean, 50.0);
}

#[test]
fn kill_on_estimate_stops_a_task_at_its_requested_time() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("over.swf"),
        "; MaxProcs: 2\n1 0 0 100 2 -1 -1 2 30 -1 1 1 1 -1 1 -1 -1 -1\n",
    )
    .unwrap();
    let text = |kill: bool| {
        format!(
            "name = \"over\"\ndrain = true\nkill_on_estimate = {kill}\n[cluster]\nmode = \"central\"\n\
             [policy]\nqueue = \"easy-backfill\"\nplacement = \"first-fit\"\n\
             [trace]\nformat = \"swf\"\npath = \"over.swf\"\ncluster = \"one-node\"\n"
        )
    };
    for (kill, latency, killed) in [(false, 100.0, 0), (true, 30.0, 1)] {
        std::fs::write(dir.path().join("over.toml"), text(kill)).unwrap();
        let s = Scenario::load(&dir.path().join("over.toml")).unwrap();
        let (sum, _) = replay(&s);
        assert_eq!((sum.latency_mean, sum.tasks_killed), (latency, killed), "kill = {kill}");
    }
}

#[test]
fn load_and_time_scales_reshape_the_arrivals() {
    let base = load(&shipped("swf.toml"), &[]);
    let (sum, _) = replay(&base);
    // Compressed arrivals: the same jobs in half the span, so the duration halves.
    let denser = load(&shipped("swf.toml"), &["trace.load_scale=2.0"]);
    assert!((denser.duration - 1.0 - (base.duration - 1.0) / 2.0).abs() < 1e-6);
    let (dense, _) = replay(&denser);
    assert_eq!(dense.arrived, sum.arrived);
    assert!(dense.wait_mean > sum.wait_mean);
    // Thinned: about 40 % of the jobs kept, a fresh draw per seed.
    let (thin, _) = replay(&load(&shipped("swf.toml"), &["trace.load_scale=0.4"]));
    assert!((80..=155).contains(&thin.arrived), "{} kept of {}", thin.arrived, sum.arrived);
    // The recorded wait is that of the jobs replayed, not of the whole file.
    assert!(thin.recorded_wait_mean.is_finite());
    assert_ne!(thin.recorded_wait_mean, sum.recorded_wait_mean);
    // time_scale stretches arrivals and run times alike: waits scale with it.
    let (slow, _) = replay(&load(&shipped("swf.toml"), &["trace.time_scale=2.0"]));
    assert!((slow.wait_mean - 2.0 * sum.wait_mean).abs() < 1e-6 * sum.wait_mean.max(1.0));
}

#[test]
fn a_window_replays_only_the_jobs_inside_it() {
    let s = load(&shipped("swf.toml"), &["trace.window.start=3600", "trace.window.end=7200"]);
    let (sum, _) = replay(&s);
    assert!(sum.arrived > 20 && sum.arrived < 100, "{} jobs in one hour", sum.arrived);
}

/// Loads `scenario` (text) beside `files` written in a fresh folder; the error text.
fn load_error(scenario: &str, files: &[(&str, &str)]) -> String {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in files {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    let path = dir.path().join("bad.toml");
    std::fs::write(&path, scenario).unwrap();
    match Scenario::load(&path) {
        Ok(_) => panic!("loaded:\n{scenario}"),
        Err(e) => e.to_string(),
    }
}

const HEAD: &str = "name = \"bad\"\nduration = 100.0\n[cluster]\nmode = \"central\"\n\
    [[cluster.nodes]]\nname = \"n\"\ncpu = 4\nmemory = \"8GiB\"\n";

#[test]
fn a_file_of_the_wrong_format_is_named_with_its_line() {
    let err = load_error(
        &format!("{HEAD}[trace]\nformat = \"swf\"\npath = \"jobs.json\"\n"),
        &[("jobs.json", "{\n  \"workflow\": {}\n}\n")],
    );
    assert!(err.contains("jobs.json:1:") && err.contains("trace.path"), "{err}");
}

#[test]
fn a_mapping_naming_a_missing_column_is_refused() {
    let err = load_error(
        &format!(
            "{HEAD}[trace]\nformat = \"csv\"\npath = \"pods.csv\"\n\
             columns = {{ arrival = \"created\", duration = \"secs\", cpu = \"cpu_m\" }}\n"
        ),
        &[("pods.csv", "created,seconds,cpu_m\n0,10,500\n")],
    );
    assert!(
        err.contains("pods.csv:1:") && err.contains("secs") && err.contains("seconds"),
        "{err}"
    );
}

#[test]
fn a_window_must_start_before_it_ends() {
    let err = load_error(
        &format!("{HEAD}[trace]\nformat = \"swf\"\npath = \"a.swf\"\nwindow = {{ start = 50.0, end = 50.0 }}\n"),
        &[("a.swf", TWO_JOBS)],
    );
    assert!(err.contains("trace.window") && err.contains("start must be before end"), "{err}");
    assert!(err.contains("line 12") || err.contains(":12"), "names the line: {err}");
}

#[test]
fn a_repeated_workflow_takes_no_window_or_load_scale() {
    let json = std::fs::read_to_string(shipped("sample-workflow.json")).unwrap();
    for key in ["window = { start = 0.0, end = 10.0 }", "load_scale = 2.0"] {
        let err = load_error(
            &format!(
                "{HEAD}[trace]\nformat = \"wfcommons\"\npath = \"w.json\"\n{key}\n\
                 arrival = {{ kind = \"poisson\", rate = 0.1 }}\n"
            ),
            &[("w.json", &json)],
        );
        assert!(err.contains("with [trace].arrival"), "{err}");
    }
}

#[test]
fn import_writes_the_schedsim_format_and_reports_repairs() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("jobs.csv");
    let assert = Command::cargo_bin("schedsim")
        .unwrap()
        .args(["import", "alibaba-2018"])
        .arg(shipped("sample_batch_task.csv"))
        .args(["--node-memory", "128GiB", "-o"])
        .arg(&out)
        .assert()
        .success();
    let text = String::from_utf8_lossy(&assert.get_output().stdout).to_string();
    assert!(text.contains("40 jobs"), "{text}");
    assert!(text.contains("repaired or skipped"), "{text}");
    // The committed sample is exactly what import writes.
    let written = std::fs::read_to_string(&out).unwrap();
    assert_eq!(written, std::fs::read_to_string(shipped("sample.csv")).unwrap());
    assert!(written.starts_with(
        "workflow,arrival,task,after,instances,cpu,memory,work,work_estimate,class,priority,recorded_wait\n"
    ));
}

#[test]
fn import_refuses_bad_input_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("jobs.csv");
    std::fs::write(dir.path().join("x.swf"), "1 2 3\n").unwrap();
    Command::cargo_bin("schedsim")
        .unwrap()
        .args(["import", "swf"])
        .arg(dir.path().join("x.swf"))
        .arg("-o")
        .arg(&out)
        .assert()
        .failure()
        .stderr(predicates::str::contains("x.swf:1:"));
    assert!(!out.exists(), "a failed import leaves no file");
}
