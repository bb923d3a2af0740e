//! Arrivals above capacity: the run reports itself unstable and stops at the in-flight cap
//! instead of exhausting memory.

use schedsim::metrics::StopReason;
use schedsim::{run_once, RunOptions};

use crate::util::scenario;

fn overloaded(mode: &str, drain: bool) -> String {
    format!(
        r#"
        name = "overload"
        duration = 1000000.0
        warmup = 10.0
        drain = {drain}
        [limits]
        max_in_flight = 2000
        [cluster]
        mode = "{mode}"
        [policy]
        placement = "least-loaded"
        [[cluster.nodes]]
        name = "server"
        count = 2
        cpu = 1
        memory = "1GiB"
        [[workflows]]
        name = "job"
        arrival = {{ kind = "poisson", rate = 20.0 }}
        [[workflows.tasks]]
        name = "serve"
        cpu = 1
        work = {{ kind = "exponential", mean = 1.0 }}
        "#
    )
}

#[test]
fn arrivals_above_capacity_stop_cleanly_as_unstable() {
    for mode in ["central", "per-node"] {
        for drain in [true, false] {
            let s = scenario(&overloaded(mode, drain));
            let r = run_once(&s, &s.policy, 1, RunOptions::default()).unwrap().summary;
            assert!(!r.stable, "{mode}: an overloaded run must report itself unstable");
            assert_eq!(r.stop_reason, StopReason::Unstable);
            // 20/s in, 2/s out: 2000 in flight after about 2000 / 18 ≈ 111 s, far before the
            // million-second duration.
            assert!(r.end_time < 1000.0, "{mode}: stopped at {}", r.end_time);
            assert!(r.in_flight > 1000);
            assert_eq!(r.arrived, r.completed + r.rejected + r.failed + r.in_flight);
        }
    }
}

#[test]
fn the_offered_load_estimate_flags_the_overload() {
    let s = scenario(&overloaded("central", true));
    let model = schedsim::Model::new(&s).unwrap();
    let offered = model.offered_load(s.duration);
    assert_eq!(offered[0].0, "cluster");
    assert!((offered[0].1 - 10.0).abs() < 1e-9, "20/s × 1 s over 2 cores = 10");
}
