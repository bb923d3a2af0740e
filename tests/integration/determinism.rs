//! Same scenario and seed → byte-identical output, whatever the thread count; different
//! policies under one seed see the same workload.

use schedsim::experiment::replicate;
use schedsim::report::summary_csv;
use schedsim::{run_once, RunOptions, Scenario};

fn order_processing() -> Scenario {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/order-processing.toml");
    let overrides = ["duration=600".parse().unwrap(), "warmup=60".parse().unwrap()];
    Scenario::load_with(path.as_ref(), &overrides).unwrap()
}

#[test]
fn same_seed_gives_byte_identical_summary_csv() {
    let s = order_processing();
    let csv = |seed| {
        let r = run_once(&s, &s.policy, seed, RunOptions::default()).unwrap();
        summary_csv(&r.summary, "default", seed).unwrap()
    };
    assert_eq!(csv(7), csv(7));
    assert_ne!(csv(7), csv(8), "a different seed must give a different run");
}

#[test]
fn replications_do_not_depend_on_the_thread_count() {
    let s = order_processing();
    let with_threads = |n| {
        let pool = rayon::ThreadPoolBuilder::new().num_threads(n).build().unwrap();
        pool.install(|| replicate(&s, &s.policy, 6).unwrap())
            .iter()
            .enumerate()
            .flat_map(|(k, r)| summary_csv(r, "default", k as u64).unwrap())
            .collect::<Vec<u8>>()
    };
    assert_eq!(with_threads(1), with_threads(2));
}

#[test]
fn failures_outages_and_the_monitor_do_not_depend_on_the_thread_count() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/load-balancing.toml");
    let overrides =
        ["duration=600", "cluster.nodes.big.failures.mtbf=120"].map(|o| o.parse().unwrap());
    let s = Scenario::load_with(path.as_ref(), &overrides).unwrap();
    let with_threads = |n| {
        let pool = rayon::ThreadPoolBuilder::new().num_threads(n).build().unwrap();
        let runs = pool.install(|| replicate(&s, &s.policy, 4).unwrap());
        assert!(runs.iter().all(|r| r.node_failures > 0 && r.steals > 0));
        runs.iter()
            .enumerate()
            .flat_map(|(k, r)| summary_csv(r, "default", k as u64).unwrap())
            .collect::<Vec<u8>>()
    };
    assert_eq!(with_threads(1), with_threads(2));
}

#[test]
fn every_policy_sees_the_same_arrivals() {
    // Common random numbers: arrivals and work come from streams the policy cannot touch.
    let s = order_processing();
    let arrivals = |name: &str| {
        let policy = s.policy_named(name).unwrap();
        let r = run_once(&s, &policy, 3, RunOptions { trace_workflows: true }).unwrap();
        let mut seen: Vec<_> = r.workflows.iter().map(|w| (w.id, w.arrival.to_bits())).collect();
        seen.sort_unstable();
        seen
    };
    let base = arrivals("default");
    assert!(!base.is_empty());
    for name in ["sjf-p2c", "bin-pack"] {
        assert_eq!(arrivals(name), base, "policy {name} saw different arrivals");
    }
}
