//! Large pools are placed through an index of nodes in the rule's order (`sim/node_index.rs`)
//! instead of a scan; these tests check that nothing but the speed changes. Each indexed rule
//! runs beside a copy registered from outside the crate that declares no order, so the engine
//! scans every candidate for it, on pools big enough to be indexed, with mixed capacities,
//! pinned tasks and failing nodes; the two runs must agree on every figure.

use std::sync::Once;

use schedsim::engine::SimRng;
use schedsim::model::{ClusterView, NodeId};
use schedsim::policy::placement::{
    BestFit, BinPack, FirstFit, LeastLoaded, Spread, WeightedLeastLoaded,
};
use schedsim::policy::{self, NoParams, Placement, Policy, TaskView};
use schedsim::scenario::Mode;

use crate::util::scenario;

/// Declares `$scan`, the rule `$rule` without its node order.
macro_rules! scanned {
    ($scan:ident, $rule:ident, $name:literal, $modes:expr) => {
        struct $scan($rule);
        impl Policy for $scan {
            const NAME: &'static str = $name;
            const RULE: &'static str = "as the built-in rule, scanning every candidate";
            const ABOUT: &'static str = "A test copy of a built-in rule without its node \
                                         order, so that the engine scans every candidate.";
            const MODES: &'static [Mode] = $modes;
            type Params = NoParams;
            fn new(p: NoParams) -> Self {
                $scan($rule::new(p))
            }
        }
        impl Placement for $scan {
            fn select(
                &mut self,
                task: &TaskView,
                cluster: &ClusterView<'_>,
                candidates: &[NodeId],
                rng: &mut SimRng,
            ) -> Option<NodeId> {
                self.0.select(task, cluster, candidates, rng)
            }
        }
    };
}

const BOTH: &[Mode] = &[Mode::Central, Mode::PerNode];
const CENTRAL: &[Mode] = &[Mode::Central];
scanned!(ScanFirstFit, FirstFit, "test-scan-first-fit", CENTRAL);
scanned!(ScanLeastLoaded, LeastLoaded, "test-scan-least-loaded", BOTH);
scanned!(ScanWeighted, WeightedLeastLoaded, "test-scan-weighted-least-loaded", BOTH);
scanned!(ScanSpread, Spread, "test-scan-spread", BOTH);
scanned!(ScanBestFit, BestFit, "test-scan-best-fit", CENTRAL);
scanned!(ScanBinPack, BinPack, "test-scan-bin-pack", CENTRAL);

fn register() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        policy::register_placement::<ScanFirstFit>().unwrap();
        policy::register_placement::<ScanLeastLoaded>().unwrap();
        policy::register_placement::<ScanWeighted>().unwrap();
        policy::register_placement::<ScanSpread>().unwrap();
        policy::register_placement::<ScanBestFit>().unwrap();
        policy::register_placement::<ScanBinPack>().unwrap();
    });
}

/// 140 nodes of three capacities (the 70 `front` nodes also a pool of their own), some
/// failing; three task shapes, one pinned to the pool, one that fits only the big nodes.
fn cluster(mode: &str, placement: &str) -> String {
    format!(
        r#"
        name = "large-pool"
        duration = 400.0
        warmup = 50.0
        seed = 3
        [cluster]
        mode = "{mode}"
        backfill = true
        [[cluster.nodes]]
        name = "front"
        count = 70
        cpu = 2
        memory = "4GiB"
        pool = "front"
        failures = {{ mtbf = 300.0, mttr = 30.0 }}
        [[cluster.nodes]]
        name = "big"
        count = 40
        cpu = 8
        memory = "16GiB"
        [[cluster.nodes]]
        name = "odd"
        count = 30
        cpu = 3
        memory = "5GiB"
        failures = {{ mtbf = 500.0, mttr = 20.0 }}
        [policy]
        placement = "{placement}"
        [[workflows]]
        name = "job"
        arrival = {{ kind = "poisson", rate = 30.0 }}
        [[workflows.tasks]]
        name = "front"
        pool = "front"
        cpu = 1
        memory = "1GiB"
        work = {{ kind = "exponential", mean = 3.0 }}
        [[workflows.tasks]]
        name = "any"
        after = ["front"]
        cpu = 2
        memory = "3GiB"
        work = {{ kind = "exponential", mean = 4.0 }}
        [[workflows.tasks]]
        name = "wide"
        after = ["front"]
        cpu = 0.5
        memory = "6GiB"
        work = {{ kind = "exponential", mean = 2.0 }}
        "#
    )
}

fn summary(mode: &str, placement: &str) -> String {
    let s = scenario(&cluster(mode, placement));
    let r = schedsim::run_once(&s, &s.policy, 1, Default::default()).unwrap();
    let mut summary = r.summary;
    summary.wall_seconds = 0.0;
    format!("{summary:?}")
}

#[test]
fn indexed_rules_place_exactly_as_a_scan_of_every_node() {
    register();
    let cases = [
        ("central", "first-fit"),
        ("central", "least-loaded"),
        ("central", "weighted-least-loaded"),
        ("central", "spread"),
        ("central", "best-fit"),
        ("central", "bin-pack"),
        ("per-node", "least-loaded"),
        ("per-node", "weighted-least-loaded"),
        ("per-node", "spread"),
    ];
    for (mode, rule) in cases {
        let indexed = summary(mode, rule);
        assert!(indexed.contains("completed: "), "{indexed}");
        assert_eq!(indexed, summary(mode, &format!("test-scan-{rule}")), "{rule} in {mode} mode");
    }
}
