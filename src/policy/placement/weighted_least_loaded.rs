use crate::engine::SimRng;
use crate::model::{ClusterView, NodeId};
use crate::policy::{NoParams, Placement, PlacementExample, Policy, TaskView};

use super::{min_by_key, NodeOrder};

/// Weighted least loaded: the candidate with the smallest Lᵢ / wᵢ, so that heavier (bigger,
/// faster) nodes take proportionally more work.
pub struct WeightedLeastLoaded;

impl Policy for WeightedLeastLoaded {
    const NAME: &'static str = "weighted-least-loaded";
    const RULE: &'static str = "argmin Lᵢ / wᵢ";
    const ABOUT: &'static str =
        "Least loaded per unit of capacity: dividing by the weight (by default cpu × speed \
         over the cluster mean) makes a big or fast node look less loaded than a small one at \
         the same Lᵢ, so it gets proportionally more work. Choose it on heterogeneous nodes.";
    type Params = NoParams;
    fn new(_: NoParams) -> Self {
        WeightedLeastLoaded
    }
}

impl Placement for WeightedLeastLoaded {
    fn select(
        &mut self,
        _: &TaskView,
        cluster: &ClusterView<'_>,
        candidates: &[NodeId],
        _: &mut SimRng,
    ) -> Option<NodeId> {
        min_by_key(candidates, |n| cluster.load(n) / cluster.nodes[n].weight)
    }

    fn order(&self) -> Option<NodeOrder> {
        Some(NodeOrder::LeastLoad)
    }

    /// A fast node looks busy by Lᵢ but is the least loaded per unit of capacity.
    fn example() -> PlacementExample {
        PlacementExample::mixed_speeds()
    }
}
