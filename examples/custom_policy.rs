//! A placement policy written outside schedsim, registered by name and used from a scenario.
//! `docs/writing-a-policy.md` walks through it; CI runs it (`cargo run --example custom_policy`).

use schedsim::engine::SimRng;
use schedsim::model::{ClusterView, NodeId};
use schedsim::policy::{self, NoParams, Placement, Policy, TaskView};
use schedsim::{run_once, RunOptions, Scenario};

/// Most free memory: the candidate with the most memory neither held nor promised.
pub struct MostFreeMemory;

impl Policy for MostFreeMemory {
    const NAME: &'static str = "most-free-memory";
    const RULE: &'static str = "argmax free memory (bytes neither allocated nor queued)";
    const ABOUT: &'static str = "Keeps memory-hungry nodes busy last: useful when memory, \
                                 not CPU, is the scarce resource.";
    type Params = NoParams; // no parameters: `placement = "most-free-memory"`
    fn new(_: NoParams) -> Self {
        MostFreeMemory
    }
}

impl Placement for MostFreeMemory {
    fn select(
        &mut self,
        _task: &TaskView,
        cluster: &ClusterView<'_>,
        candidates: &[NodeId],
        _rng: &mut SimRng,
    ) -> Option<NodeId> {
        // Ties go to the first candidate (lowest node id), as in the built-in policies.
        candidates.iter().copied().rev().max_by_key(|&n| cluster.unreserved_memory(n))
    }
}

const SCENARIO: &str = r#"
name = "custom-policy"
duration = 600.0
[cluster]
mode = "per-node"
[[cluster.nodes]]
name = "large"
cpu = 2
memory = "16GiB"
[[cluster.nodes]]
name = "small"
count = 2
cpu = 2
memory = "4GiB"
[policy]
placement = "most-free-memory"
[[policies]]
name = "least-loaded"
placement = "least-loaded"
[[workflows]]
name = "job"
arrival = { kind = "poisson", rate = 4.0 }
[[workflows.tasks]]
name = "work"
cpu = 1
memory = "1GiB"
work = { kind = "exponential", mean = 1.0 }
"#;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    // Register before loading: validation checks policy names against the registry.
    policy::register_placement::<MostFreeMemory>()?;
    let scenario = Scenario::from_toml(SCENARIO, "custom-policy.toml".as_ref(), &[])?;

    // The catalogue knows it too: `schedsim policies NAME` shows the same.
    let (info, _, worked) = policy::worked_example(MostFreeMemory::NAME)?;
    println!("{} — {}", info.name, info.rule);
    for line in worked.state.lines().chain(worked.decisions.iter().map(String::as_str)) {
        println!("  {line}");
    }

    for name in ["default", "least-loaded"] {
        let set = schedsim::experiment::resolve_policy(&scenario, Some(name))?;
        let s = run_once(&scenario, &set, scenario.seed, RunOptions::default())?.summary;
        let started: Vec<String> =
            s.nodes.iter().map(|n| format!("{} {}", n.name, n.tasks_started)).collect();
        println!(
            "{name:<13} {}: mean latency {:.3} s; tasks started: {}",
            set.placement,
            s.latency_mean,
            started.join(", ")
        );
    }
    Ok(())
}
