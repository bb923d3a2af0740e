use crate::engine::SimRng;
use crate::model::{ClusterView, NodeId};
use crate::policy::{NoParams, Placement, PlacementExample, Policy, TaskView};
use crate::scenario::Mode;

use super::NodeOrder;

/// First fit: the first node, in declaration order, where the task fits.
pub struct FirstFit;

impl Policy for FirstFit {
    const NAME: &'static str = "first-fit";
    const RULE: &'static str = "the first node (in scenario order) where the task fits";
    const ABOUT: &'static str =
        "Fills nodes in the order they are declared, leaving later nodes empty (they could be \
         switched off). Fast and predictable, but the first nodes run hot.";
    const MODES: &'static [Mode] = &[Mode::Central];
    type Params = NoParams;
    fn new(_: NoParams) -> Self {
        FirstFit
    }
}

impl Placement for FirstFit {
    fn select(
        &mut self,
        _: &TaskView,
        _: &ClusterView<'_>,
        candidates: &[NodeId],
        _: &mut SimRng,
    ) -> Option<NodeId> {
        // The engine offers only nodes where the task fits, in node order.
        candidates.first().copied()
    }

    fn order(&self) -> Option<NodeOrder> {
        Some(NodeOrder::Id)
    }

    /// The first node is full, so the task goes to the next one that fits.
    fn example() -> PlacementExample {
        PlacementExample::mixed_sizes()
    }
}
