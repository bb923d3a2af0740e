use rand::Rng;

use crate::engine::SimRng;
use crate::model::{ClusterView, NodeId};
use crate::policy::{NoParams, Placement, Policy, TaskView};

/// Random: a candidate chosen uniformly at random (from the policy's own random stream).
pub struct Random;

impl Policy for Random {
    const NAME: &'static str = "random";
    const RULE: &'static str = "a candidate chosen uniformly at random";
    const ABOUT: &'static str =
        "Spreads tasks evenly on average without any information: the baseline every load-\
         aware rule should beat. With per-node queues each of c servers behaves as an M/M/1 \
         queue at λ/c.";
    type Params = NoParams;
    fn new(_: NoParams) -> Self {
        Random
    }
}

impl Placement for Random {
    fn select(
        &mut self,
        _: &TaskView,
        _: &ClusterView<'_>,
        candidates: &[NodeId],
        rng: &mut SimRng,
    ) -> Option<NodeId> {
        (!candidates.is_empty()).then(|| candidates[rng.random_range(0..candidates.len())])
    }
}
