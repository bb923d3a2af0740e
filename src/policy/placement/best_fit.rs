use crate::engine::SimRng;
use crate::model::{ClusterView, NodeId};
use crate::policy::{NoParams, Placement, PlacementExample, Policy, TaskView};
use crate::scenario::Mode;

use super::{left_after, min_by_key, Fraction, NodeOrder};

/// Best fit: the node where the task fits most tightly — the least CPU left free after
/// placing it, as a fraction of the node's CPU, then the least memory left (as a fraction of
/// its memory); fractions are compared exactly, ties go to the lowest node id.
pub struct BestFit;

impl Policy for BestFit {
    const NAME: &'static str = "best-fit";
    const RULE: &'static str =
        "argmin free CPU fraction left after placing, then free memory fraction";
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
            let (cpu_left, mem_left) = left_after(task, cluster, n);
            (
                Fraction::new(cpu_left, node.cpu as i128),
                Fraction::new(mem_left, node.memory as i128),
            )
        })
    }

    fn order(&self) -> Option<NodeOrder> {
        Some(NodeOrder::TightestCpu)
    }

    /// Sizes differ: the tightest fit is not the emptiest node.
    fn example() -> PlacementExample {
        PlacementExample::mixed_sizes()
    }
}
