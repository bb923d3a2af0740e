use crate::engine::SimRng;
use crate::model::{ClusterView, NodeId};
use crate::policy::{NoParams, Placement, PlacementExample, Policy, TaskView};

use super::min_by_key;

/// Spread (least allocated): the node with the most CPU and memory left after placing the
/// task, averaged over the two as fractions of capacity — Kubernetes' LeastAllocated.
pub struct Spread;

impl Policy for Spread {
    const NAME: &'static str = "spread";
    const RULE: &'static str =
        "argmax (free CPU fraction + free memory fraction) / 2 after placing";
    const ABOUT: &'static str =
        "Kubernetes' LeastAllocated: puts the task where the most CPU and memory remain, \
         which spreads work and leaves headroom on every node.";
    type Params = NoParams;
    fn new(_: NoParams) -> Self {
        Spread
    }
}

/// Fraction of CPU and memory that would be free on node `n` after placing `task`.
pub(crate) fn free_after(task: &TaskView, cluster: &ClusterView<'_>, n: NodeId) -> (f64, f64) {
    let node = &cluster.nodes[n];
    let cpu = (cluster.unreserved_cpu(n) - task.cpu as i64) as f64 / node.cpu as f64;
    let mem = (cluster.unreserved_memory(n) - task.memory as i64) as f64 / node.memory as f64;
    (cpu, mem)
}

impl Placement for Spread {
    fn select(
        &mut self,
        task: &TaskView,
        cluster: &ClusterView<'_>,
        candidates: &[NodeId],
        _: &mut SimRng,
    ) -> Option<NodeId> {
        min_by_key(candidates, |n| {
            let (cpu, mem) = free_after(task, cluster, n);
            -(cpu + mem) / 2.0
        })
    }

    /// Sizes differ: the node with the most room left wins.
    fn example() -> PlacementExample {
        PlacementExample::mixed_sizes()
    }
}
