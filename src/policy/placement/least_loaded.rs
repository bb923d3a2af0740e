use crate::engine::SimRng;
use crate::model::{ClusterView, NodeId};
use crate::policy::{NoParams, Placement, Policy, TaskView};

use super::{min_by_key, NodeOrder};

/// Least loaded: the candidate with the smallest load Lᵢ (ties: lowest node id). In per-node
/// mode this is join-the-shortest-queue measured in CPU.
pub struct LeastLoaded;

impl Policy for LeastLoaded {
    const NAME: &'static str = "least-loaded";
    const RULE: &'static str = "argmin Lᵢ, Lᵢ = (CPU allocated + queued) / capacity";
    const ABOUT: &'static str =
        "Looks at every candidate and picks the one with the least CPU in use or promised \
         (join the shortest queue). Balances well on equal nodes; it compares shares of \
         cores, so it is blind to node speed.";
    type Params = NoParams;
    fn new(_: NoParams) -> Self {
        LeastLoaded
    }
}

impl Placement for LeastLoaded {
    fn select(
        &mut self,
        _: &TaskView,
        cluster: &ClusterView<'_>,
        candidates: &[NodeId],
        _: &mut SimRng,
    ) -> Option<NodeId> {
        min_by_key(candidates, |n| cluster.load(n))
    }

    fn order(&self) -> Option<NodeOrder> {
        Some(NodeOrder::LeastLoad)
    }
}
