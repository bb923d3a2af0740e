use crate::engine::SimRng;
use crate::model::{ClusterView, NodeId};
use crate::policy::{NoParams, Placement, Policy, TaskView};

/// Round robin: the first candidate at or after the node following the last choice, wrapping
/// around.
pub struct RoundRobin {
    next: NodeId,
}

impl Policy for RoundRobin {
    const NAME: &'static str = "round-robin";
    const RULE: &'static str = "next candidate after the previous choice, cyclically";
    const ABOUT: &'static str =
        "Takes turns without looking at the nodes: cheap and even in count, but blind to \
         load, size and speed, so small or slow nodes get as many tasks as big ones.";
    type Params = NoParams;
    fn new(_: NoParams) -> Self {
        RoundRobin { next: 0 }
    }
}

impl Placement for RoundRobin {
    fn select(
        &mut self,
        _: &TaskView,
        _: &ClusterView<'_>,
        candidates: &[NodeId],
        _: &mut SimRng,
    ) -> Option<NodeId> {
        let pick =
            candidates.iter().copied().find(|&n| n >= self.next).or(candidates.first().copied())?;
        self.next = pick + 1;
        Some(pick)
    }
}
