use crate::engine::SimRng;
use crate::model::{ClusterView, NodeId};
use crate::policy::{NoParams, Placement, PlacementExample, Policy, TaskView};
use crate::scenario::Mode;

use super::min_by_key;

/// Best fit: the node where the task fits most tightly — the least CPU left free after
/// placing it, as a fraction of the node's CPU, then the least memory left.
pub struct BestFit;

impl Policy for BestFit {
    const NAME: &'static str = "best-fit";
    const RULE: &'static str = "argmin free CPU fraction left after placing (then memory)";
    const ABOUT: &'static str =
        "Puts the task where it leaves the smallest gap, which keeps large holes free for \
         large tasks and packs the cluster tightly.";
    const MODES: &'static [Mode] = &[Mode::Central];
    type Params = NoParams;
    fn new(_: NoParams) -> Self {
        BestFit
    }
}

impl Placement for BestFit {
    fn select(
        &mut self,
        task: &TaskView,
        cluster: &ClusterView<'_>,
        candidates: &[NodeId],
        _: &mut SimRng,
    ) -> Option<NodeId> {
        min_by_key(candidates, |n| {
            let node = &cluster.nodes[n];
            let cpu_left = (cluster.unreserved_cpu(n) - task.cpu as i64) as f64 / node.cpu as f64;
            let mem_left =
                (cluster.unreserved_memory(n) - task.memory as i64) as f64 / node.memory as f64;
            // CPU decides; memory only breaks ties (it is scaled far below one millicore).
            cpu_left + mem_left * 1e-6
        })
    }

    /// Sizes differ: the tightest fit is not the emptiest node.
    fn example() -> PlacementExample {
        PlacementExample::mixed_sizes()
    }
}
