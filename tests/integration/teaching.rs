//! The teaching scenarios (`scenarios/teaching/`): each file's header says what a student
//! should observe, and each test here checks that observation on fixed seeds. Effects that
//! are statistical are asserted on paired differences across replications (common random
//! numbers: replication k has seed `seed + k` under every policy) with 99 % Student-t
//! intervals, so the tests hold by a margin and never flake.

use std::path::{Path, PathBuf};

use schedsim::experiment::{replicate, resolve_policy, Estimate};
use schedsim::{Override, Scenario, Summary};

/// Replications per policy: enough for tight paired intervals, few enough to stay fast.
const REPLICATIONS: u64 = 10;

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/teaching")
}

/// The teaching scenario `name`, with `--set` style overrides.
fn load(name: &str, sets: &[&str]) -> Scenario {
    let overrides: Vec<Override> = sets.iter().map(|s| s.parse().unwrap()).collect();
    Scenario::load_with(&dir().join(format!("{name}.toml")), &overrides)
        .unwrap_or_else(|e| panic!("{e}"))
}

/// The replications of the scenario's policy set `policy`.
fn runs(s: &Scenario, policy: &str) -> Vec<Summary> {
    let set = resolve_policy(s, Some(policy)).unwrap();
    replicate(s, &set, REPLICATIONS).unwrap()
}

/// The 99 % interval of `f(b) − f(a)` over paired replications.
fn diff(a: &[Summary], b: &[Summary], f: impl Fn(&Summary) -> f64) -> Estimate {
    assert_eq!(a.len(), b.len());
    let d: Vec<f64> = a.iter().zip(b).map(|(x, y)| f(y) - f(x)).collect();
    Estimate::new(&d, 0.99)
}

/// The 99 % interval of `f(b) / f(a)` over paired replications.
fn ratio(a: &[Summary], b: &[Summary], f: impl Fn(&Summary) -> f64) -> Estimate {
    let r: Vec<f64> = a.iter().zip(b).map(|(x, y)| f(y) / f(x)).collect();
    Estimate::new(&r, 0.99)
}

/// Asserts that the whole interval lies above `bound` (`above`) or below it.
fn assert_bound(e: &Estimate, above: bool, bound: f64, what: &str) {
    let holds = if above { e.mean - e.half_width > bound } else { e.mean + e.half_width < bound };
    let side = if above { "above" } else { "below" };
    assert!(holds, "{what}: {:.4} ± {:.4} (99 %) is not {side} {bound}", e.mean, e.half_width);
}

/// Asserts that the interval lies entirely above 0.
fn assert_positive(e: &Estimate, what: &str) {
    assert_bound(e, true, 0.0, what);
}

/// The 99 % interval of a metric's mean over the replications.
fn mean(runs: &[Summary], f: impl Fn(&Summary) -> f64) -> Estimate {
    Estimate::new(&runs.iter().map(f).collect::<Vec<_>>(), 0.99)
}

/// A figure of workflow class `name`.
fn class(s: &Summary, name: &str, f: impl Fn(&schedsim::metrics::ClassSummary) -> f64) -> f64 {
    f(s.classes.iter().find(|c| c.name == name).unwrap_or_else(|| panic!("no class {name}")))
}

#[test]
fn every_teaching_scenario_validates_states_its_lesson_and_is_tested() {
    let tested = [
        "admission-control",
        "fcfs-vs-sjf",
        "head-of-line-blocking",
        "heterogeneous-nodes",
        "power-of-two",
        "priority-starvation",
    ];
    let mut found: Vec<String> = std::fs::read_dir(dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .map(|p| p.file_stem().unwrap().to_string_lossy().into_owned())
        .collect();
    found.sort();
    assert_eq!(found, tested, "each teaching scenario needs a test here, and only those");
    for name in tested {
        let path = dir().join(format!("{name}.toml"));
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.starts_with("# Lesson: "), "{name}: the file must open with its lesson");
        let header: String = text.lines().take_while(|l| l.starts_with('#')).collect();
        assert!(header.contains("should observe"), "{name}: the header must say what to observe");
        assert!(header.contains(&format!("scenarios/teaching/{name}.toml")), "{name}: no command");
        let s = Scenario::load(&path).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(s.name, name, "the scenario's name is its file name");
    }
}

#[test]
fn sjf_lowers_the_mean_latency_and_raises_the_long_jobs_tail() {
    let s = load("fcfs-vs-sjf", &[]);
    let (fcfs, sjf) = (runs(&s, "default"), runs(&s, "sjf"));
    // About half: the header promises it, so the whole interval must be below 0.6.
    let all = ratio(&fcfs, &sjf, |r| r.latency_mean);
    assert_bound(&all, false, 0.6, "mean latency, SJF / FCFS");
    let short = diff(&sjf, &fcfs, |r| class(r, "short", |c| c.latency_mean));
    assert_positive(&short, "short jobs' mean latency, FCFS − SJF");
    let long_mean = diff(&fcfs, &sjf, |r| class(r, "long", |c| c.latency_mean));
    assert_positive(&long_mean, "long jobs' mean latency, SJF − FCFS");
    let long_p99 = diff(&fcfs, &sjf, |r| class(r, "long", |c| c.latency_p99));
    assert_positive(&long_p99, "long jobs' p99 latency, SJF − FCFS");
}

#[test]
fn power_of_two_gets_most_of_the_benefit_of_least_loaded() {
    let s = load("power-of-two", &[]);
    let (random, p2c, ll) =
        (runs(&s, "default"), runs(&s, "power-of-two"), runs(&s, "least-loaded"));
    assert_positive(&diff(&p2c, &random, |r| r.latency_mean), "random − power-of-two");
    assert_positive(&diff(&ll, &p2c, |r| r.latency_mean), "power-of-two − least-loaded");
    assert_positive(&diff(&p2c, &random, |r| r.latency_p99), "p99: random − power-of-two");
    // The share of random's excess latency (over least-loaded) that power-of-two removes,
    // per replication: the header promises over 80 %.
    let share: Vec<f64> = (0..random.len())
        .map(|k| {
            let (r, p, l) = (random[k].latency_mean, p2c[k].latency_mean, ll[k].latency_mean);
            (r - p) / (r - l)
        })
        .collect();
    assert_bound(&Estimate::new(&share, 0.99), true, 0.8, "share of the gap power-of-two removes");
}

#[test]
fn backfill_unblocks_the_small_jobs_behind_a_wide_one() {
    let strict = load("head-of-line-blocking", &[]);
    assert!(!strict.cluster.backfill, "the file shows the blocking; backfill is the fix");
    let backfill = load("head-of-line-blocking", &["cluster.backfill=true"]);
    let (blocked, free) = (runs(&strict, "default"), runs(&backfill, "default"));
    // Small jobs: at least twice as fast with backfill.
    let small = ratio(&blocked, &free, |r| class(r, "small", |c| c.latency_mean));
    assert_bound(&small, false, 0.5, "small jobs' latency, with / without backfill");
    // The wide jobs do not share the gain: they still wait for a whole node to empty, and
    // small jobs slipping into the freed cores can delay that.
    let wide = ratio(&blocked, &free, |r| class(r, "wide", |c| c.latency_mean));
    assert_bound(&wide, true, 0.8, "wide jobs' latency, with / without backfill");
}

#[test]
fn easy_backfill_gives_the_wide_jobs_their_turn_back() {
    let strict = load("head-of-line-blocking", &[]);
    let free = load("head-of-line-blocking", &["cluster.backfill=true"]);
    let easy = load("head-of-line-blocking", &["policy.queue=easy-backfill"]);
    let (blocked, free, easy) =
        (runs(&strict, "default"), runs(&free, "default"), runs(&easy, "default"));
    let wide = |r: &Summary| class(r, "wide", |c| c.latency_mean);
    let small = |r: &Summary| class(r, "small", |c| c.latency_mean);
    // The reservation protects the wide jobs: faster than with free-for-all backfill...
    assert_positive(&diff(&easy, &free, wide), "wide latency, free backfill − EASY");
    // ... while the small jobs still gain over the strict queue.
    assert_positive(&diff(&easy, &blocked, small), "small latency, strict − EASY");
}

#[test]
fn strict_priority_under_overload_starves_the_low_class() {
    let s = load("priority-starvation", &[]);
    let (fcfs, prio) = (runs(&s, "default"), runs(&s, "priority"));
    let interactive = |r: &Summary| class(r, "interactive", |c| c.latency_mean);
    let done = |r: &Summary| class(r, "batch", |c| c.completed as f64 / c.arrived as f64);
    // FCFS: everyone drowns, interactive requests too.
    assert!(mean(&fcfs, interactive).mean > 50.0, "FCFS should let the queue grow for all");
    // Priority: interactive requests keep a latency of a second or two...
    let e = mean(&prio, interactive);
    assert_bound(&e, false, 3.0, "interactive latency under priority");
    // ... and the batch class gets what is left: about half of its jobs never finish, and
    // those that do wait far longer than under FCFS.
    let e = mean(&prio, done);
    assert_bound(&e, false, 0.6, "batch jobs completed under priority");
    assert_positive(&diff(&prio, &fcfs, done), "batch completion, FCFS − priority");
    let batch_latency = diff(&fcfs, &prio, |r| class(r, "batch", |c| c.latency_mean));
    assert_positive(&batch_latency, "batch mean latency, priority − FCFS");
}

#[test]
fn admission_control_trades_rejections_for_latency() {
    let s = load("admission-control", &[]);
    let (always, loose, strict) = (runs(&s, "default"), runs(&s, "limit-20"), runs(&s, "limit-5"));
    assert!(always.iter().all(|r| r.rejected == 0), "`always` rejects nothing");
    assert!(loose.iter().chain(&strict).all(|r| r.rejected == r.rejected_by.queue_full));
    // Stricter limit: more rejections ...
    assert_positive(&diff(&always, &loose, |r| r.rejection_rate), "rejection, limit-20 − always");
    assert_positive(&diff(&loose, &strict, |r| r.rejection_rate), "rejection, limit-5 − limit-20");
    // ... and less latency for those admitted.
    assert_positive(&diff(&loose, &always, |r| r.latency_p99), "p99, always − limit-20");
    assert_positive(&diff(&strict, &loose, |r| r.latency_p99), "p99, limit-20 − limit-5");
    assert_positive(&diff(&strict, &loose, |r| r.latency_mean), "mean, limit-20 − limit-5");
}

#[test]
fn weighted_least_loaded_beats_least_loaded_on_heterogeneous_nodes() {
    let s = load("heterogeneous-nodes", &[]);
    let (wll, ll) = (runs(&s, "default"), runs(&s, "least-loaded"));
    assert_positive(&diff(&wll, &ll, |r| r.latency_mean), "mean latency, LL − WLL");
    assert_positive(&diff(&wll, &ll, |r| r.latency_p99), "p99 latency, LL − WLL");
    // Why: the fast nodes get most of the tasks under WLL, fewer than half under LL.
    let fast_share = |r: &Summary| {
        let on = |fast: bool| -> u64 {
            r.nodes
                .iter()
                .filter(|n| n.name.starts_with("fast") == fast)
                .map(|n| n.tasks_started)
                .sum()
        };
        on(true) as f64 / (on(true) + on(false)) as f64
    };
    let (w, l) = (mean(&wll, fast_share), mean(&ll, fast_share));
    assert_bound(&w, true, 0.5, "fast nodes' share of the tasks under WLL");
    assert_bound(&l, false, 0.5, "fast nodes' share of the tasks under LL");
}
