use crate::engine::SimRng;
use crate::model::{ClusterView, NodeId};
use crate::policy::{NoParams, Placement, PlacementExample, Policy, TaskView};
use crate::scenario::Mode;

use super::{free_share_after, min_by_key, NodeOrder};

/// Bin packing (most allocated): the node with the least CPU and memory left after placing
/// the task, averaged as fractions — Kubernetes' MostAllocated; keeps other nodes empty. Shares
/// are compared exactly (as fractions); ties go to the lowest node id.
pub struct BinPack;

impl Policy for BinPack {
    const NAME: &'static str = "bin-pack";
    const RULE: &'static str =
        "argmin (free CPU fraction + free memory fraction) / 2 after placing";
    const ABOUT: &'static str =
        "Kubernetes' MostAllocated: puts the task where the least CPU and memory remain, \
         which fills nodes one at a time and keeps others empty for big tasks or for scaling \
         down.";
    const MODES: &'static [Mode] = &[Mode::Central];
    type Params = NoParams;
    fn new(_: NoParams) -> Self {
        BinPack
    }
}

impl Placement for BinPack {
    fn select(
        &mut self,
        task: &TaskView,
        cluster: &ClusterView<'_>,
        candidates: &[NodeId],
        _: &mut SimRng,
    ) -> Option<NodeId> {
        min_by_key(candidates, |n| free_share_after(task, cluster, n))
    }

    fn order(&self) -> Option<NodeOrder> {
        Some(NodeOrder::LeastFree)
    }

    /// Sizes differ: the node with the least room left wins.
    fn example() -> PlacementExample {
        PlacementExample::mixed_sizes()
    }
}
