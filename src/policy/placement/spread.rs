use crate::engine::SimRng;
use crate::model::{ClusterView, NodeId};
use crate::policy::{NoParams, Placement, PlacementExample, Policy, TaskView};

use std::cmp::Reverse;

use super::{free_share_after, min_by_key, NodeOrder};

/// Spread (least allocated): the node with the most CPU and memory left after placing the
/// task, averaged over the two as fractions of capacity — Kubernetes' LeastAllocated. Shares
/// are compared exactly (as fractions); ties go to the lowest node id.
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

impl Placement for Spread {
    fn select(
        &mut self,
        task: &TaskView,
        cluster: &ClusterView<'_>,
        candidates: &[NodeId],
        _: &mut SimRng,
    ) -> Option<NodeId> {
        min_by_key(candidates, |n| Reverse(free_share_after(task, cluster, n)))
    }

    fn order(&self) -> Option<NodeOrder> {
        Some(NodeOrder::MostFree)
    }

    /// Sizes differ: the node with the most room left wins.
    fn example() -> PlacementExample {
        PlacementExample::mixed_sizes()
    }
}
