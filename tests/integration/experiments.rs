//! Experiments: shards and merge, thread counts, kill and resume, common random numbers,
//! confidence-interval coverage, bad input.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use schedsim::experiment::{
    merge, replicate, run_experiment, Estimate, ExperimentOptions, Plan, Vary,
};
use schedsim::{theory, Override, Scenario};

fn scenario_path(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios").join(name)
}

/// A small sweep of the order scenario: 2 rates × 2 policies × 3 replications = 12 cells.
fn small_plan() -> Plan {
    let sets: Vec<Override> =
        ["duration=300", "warmup=30"].iter().map(|s| s.parse().unwrap()).collect();
    let vary = vec!["workflows.order.arrival.rate=20,30".parse::<Vary>().unwrap()];
    Plan::new(
        &scenario_path("order-processing.toml"),
        &sets,
        vary,
        &["default,sjf-p2c".into()],
        Some(3),
    )
    .unwrap()
}

fn options(out: &Path) -> ExperimentOptions {
    ExperimentOptions { out: out.to_path_buf(), max_replications: 200, ..Default::default() }
}

fn read(dir: &Path, file: &str) -> Vec<u8> {
    std::fs::read(dir.join(file)).unwrap_or_else(|e| panic!("{}: {e}", dir.join(file).display()))
}

fn quiet(_: usize, _: usize) {}

#[test]
fn sharded_then_merged_equals_the_unsharded_run() {
    let tmp = tempfile::tempdir().unwrap();
    let whole = tmp.path().join("whole");
    run_experiment(small_plan(), &options(&whole), &quiet).unwrap();
    let shards: Vec<PathBuf> = (0..3)
        .map(|i| {
            let dir = tmp.path().join(format!("shard-{i}"));
            let opts = ExperimentOptions { shard: Some((i, 3)), ..options(&dir) };
            run_experiment(small_plan(), &opts, &quiet).unwrap();
            dir
        })
        .collect();
    let merged = tmp.path().join("merged");
    merge(&shards, &merged, vec![]).unwrap();
    for file in ["runs.csv", "aggregate.csv", "paired.csv"] {
        assert_eq!(read(&whole, file), read(&merged, file), "{file} differs after merge");
    }
    // A missing shard and a shard given twice are refused.
    let e = merge(&shards[..2], &tmp.path().join("m2"), vec![]).unwrap_err().to_string();
    assert!(e.contains("missing"), "{e}");
    let twice = [shards[0].clone(), shards[0].clone(), shards[1].clone(), shards[2].clone()];
    let e = merge(&twice, &tmp.path().join("m3"), vec![]).unwrap_err().to_string();
    assert!(e.contains("twice"), "{e}");
}

#[test]
fn merging_unrelated_experiments_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let a = tmp.path().join("a");
    run_experiment(small_plan(), &options(&a), &quiet).unwrap();
    let b = tmp.path().join("b");
    let other = Plan::new(
        &scenario_path("mmc.toml"),
        &["duration=200".parse().unwrap(), "warmup=20".parse().unwrap()],
        vec![],
        &[],
        Some(2),
    )
    .unwrap();
    run_experiment(other, &options(&b), &quiet).unwrap();
    let e = merge(&[a, b], &tmp.path().join("m"), vec![]).unwrap_err().to_string();
    assert!(e.contains("different experiment"), "{e}");
}

#[test]
fn thread_count_does_not_change_the_files() {
    let tmp = tempfile::tempdir().unwrap();
    let dirs: Vec<PathBuf> = [1, 2]
        .iter()
        .map(|&n| {
            let dir = tmp.path().join(format!("j{n}"));
            let pool = rayon::ThreadPoolBuilder::new().num_threads(n).build().unwrap();
            pool.install(|| run_experiment(small_plan(), &options(&dir), &quiet)).unwrap();
            dir
        })
        .collect();
    for file in ["runs.csv", "aggregate.csv", "paired.csv"] {
        assert_eq!(read(&dirs[0], file), read(&dirs[1], file), "{file} depends on --jobs");
    }
}

#[test]
fn identical_policies_have_a_paired_difference_of_exactly_zero() {
    let path = scenario_path("mmc.toml");
    let sets: Vec<Override> =
        ["duration=2000", "warmup=100"].iter().map(|s| s.parse().unwrap()).collect();
    // The same policy set twice, once by name and once inline.
    let plan =
        Plan::new(&path, &sets, vec![], &["default".into(), "placement=first-fit".into()], Some(5))
            .unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let r = run_experiment(plan, &options(tmp.path()), &quiet).unwrap();
    assert!(!r.paired.is_empty());
    for p in &r.paired {
        assert!(
            p.estimate.mean == 0.0 || p.estimate.mean.is_nan(),
            "{}: {}",
            p.metric,
            p.estimate.mean
        );
        assert!(!p.significant());
    }
}

#[test]
fn confidence_intervals_cover_the_exact_value_about_95_percent_of_the_time() {
    // 200 independent experiments of 10 replications each on M/M/1 at ρ = 0.5.
    let text = r#"
        name = "mm1-coverage"
        duration = 4000.0
        warmup = 200.0
        [[cluster.nodes]]
        name = "server"
        cpu = 1
        memory = "1GiB"
        [[workflows]]
        name = "job"
        arrival = { kind = "poisson", rate = 0.5 }
        [[workflows.tasks]]
        name = "serve"
        cpu = 1
        work = { kind = "exponential", mean = 1.0 }
    "#;
    let exact = theory::mm1_response(0.5, 1.0);
    let mut covered = 0;
    for j in 0..200u64 {
        let mut s = Scenario::from_toml(text, "mm1.toml".as_ref(), &[]).unwrap();
        s.seed = 1_000 * j + 1;
        let runs = replicate(&s, &s.policy, 10).unwrap();
        let means: Vec<f64> = runs.iter().map(|r| r.latency_mean).collect();
        covered += Estimate::new(&means, 0.95).contains(exact) as u32;
    }
    assert!((180..=198).contains(&covered), "coverage {covered}/200 is outside 90–99 %");
}

fn schedsim() -> Command {
    Command::new(env!("CARGO_BIN_EXE_schedsim"))
}

fn lines(path: &Path) -> usize {
    std::fs::read_to_string(path).map(|t| t.lines().count()).unwrap_or(0)
}

#[test]
fn a_killed_sweep_resumes_to_the_same_files() {
    let tmp = tempfile::tempdir().unwrap();
    let scenario = scenario_path("mmc.toml");
    let args = |out: &Path| -> Vec<String> {
        [
            "sweep",
            scenario.to_str().unwrap(),
            "--vary",
            "workflows.job.arrival.rate=5,6,7",
            "--policies",
            "all",
            "-r",
            "8",
            "--set",
            "duration=4000",
            "--set",
            "warmup=100",
            "--jobs",
            "1",
            "--quiet",
            "--out",
            out.to_str().unwrap(),
        ]
        .iter()
        .map(|s| s.to_string())
        .collect()
    };
    let full = tmp.path().join("full");
    assert!(schedsim().args(args(&full)).status().unwrap().success());

    let killed = tmp.path().join("killed");
    let mut child = schedsim().args(args(&killed)).spawn().unwrap();
    let start = Instant::now();
    // Wait for a few finished runs (72 in all), then SIGKILL.
    while lines(&killed.join("runs.csv")) < 6 && start.elapsed() < Duration::from_secs(60) {
        std::thread::sleep(Duration::from_millis(5));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    let kept = lines(&killed.join("runs.csv"));
    assert!(kept < 73, "the sweep finished before it could be killed ({kept} lines)");

    let mut resumed = args(&killed);
    resumed.push("--resume".into());
    let out = schedsim().args(&resumed).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    for file in ["runs.csv", "aggregate.csv", "paired.csv"] {
        assert_eq!(read(&full, file), read(&killed, file), "{file} differs after kill + resume");
    }

    // A changed scenario is refused under --resume.
    let mut changed = resumed.clone();
    changed.extend(["--set".into(), "seed=99".into()]);
    let out = schedsim().args(&changed).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("different experiment"));
}

#[test]
fn bad_experiment_input_gets_a_clear_error() {
    let scenario = scenario_path("mmc.toml");
    let s = scenario.to_str().unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().to_str().unwrap();
    for (args, expected) in [
        (vec!["sweep", s, "--vary", "workflows.job.arival.rate=1,2"], "did you mean `arrival`"),
        (vec!["sweep", s, "--vary", "workflows.job.arrival.rate=5..1:1"], "range is empty"),
        (vec!["sweep", s, "--vary", "workflows.job.arrival.rate=1..5:0"], "step must be above 0"),
        (vec!["sweep", s, "--vary", "workflows.nojob.arrival.rate=1,2"], "no entry named `nojob`"),
        (vec!["compare", s, "--shard", "3/2"], "0 ≤ I < N"),
        (vec!["compare", s, "--policy", "nosuch"], "no policy named `nosuch`"),
        (vec!["compare", s, "--precision", "0.05", "--shard", "0/2"], "cannot be split"),
        (vec!["merge", out, "--out", out], "manifest.json"),
    ] {
        let o = schedsim()
            .args(&args)
            .args(["--quiet"].iter().filter(|_| args[0] != "merge"))
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains(expected), "{args:?}: expected `{expected}` in: {err}");
        assert!(!err.contains("panicked"));
    }
}

#[test]
fn precision_adds_replications_until_the_intervals_are_narrow() {
    let sets: Vec<Override> =
        ["duration=1000", "warmup=100"].iter().map(|s| s.parse().unwrap()).collect();
    let plan =
        Plan::new(&scenario_path("mmc.toml"), &sets, vec![], &["default".into()], Some(4)).unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let opts =
        ExperimentOptions { precision: Some(0.05), max_replications: 64, ..options(tmp.path()) };
    let r = run_experiment(plan, &opts, &quiet).unwrap();
    assert!(r.layout.replications > 4, "precision should have added replications");
    let notes = r.manifest.notes.join("; ");
    assert!(notes.contains("precision"), "{notes}");
    if notes.contains("reached with") {
        for a in r.aggregates.iter().filter(|a| a.metric == "latency_mean") {
            assert!(a.estimate.half_width <= 0.05 * a.estimate.mean);
        }
    }
}

#[test]
fn auto_warmup_reports_the_estimate_it_used() {
    let sets: Vec<Override> =
        ["duration=3000", "warmup=0"].iter().map(|s| s.parse().unwrap()).collect();
    let plan =
        Plan::new(&scenario_path("mmc.toml"), &sets, vec![], &["default".into()], Some(2)).unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let opts = ExperimentOptions { auto_warmup: true, ..options(tmp.path()) };
    let r = run_experiment(plan, &opts, &quiet).unwrap();
    assert!(r.manifest.notes.iter().any(|n| n.contains("MSER-5")), "{:?}", r.manifest.notes);
    assert!(r.manifest.warmup >= 0.0 && r.manifest.warmup < 1500.0, "warmup {}", r.manifest.warmup);
}
