use rand::Rng;

use crate::engine::SimRng;
use crate::model::{ClusterView, NodeId};
use crate::policy::{NoParams, Placement, Policy, TaskView};

/// Power of two choices: two distinct candidates chosen at random, the less loaded one wins
/// (ties: the first drawn). Nearly as good as least-loaded while looking at two nodes only.
pub struct PowerOfTwo;

impl Policy for PowerOfTwo {
    const NAME: &'static str = "power-of-two";
    const RULE: &'static str = "draw two candidates at random, take the one with smaller Lᵢ";
    const ABOUT: &'static str =
        "Samples two candidates and keeps the less loaded: it needs the load of two nodes \
         instead of all, yet removes most of random placement's queueing (the power of two \
         choices, Mitzenmacher 2001). Choose it when asking every node is too costly.";
    type Params = NoParams;
    fn new(_: NoParams) -> Self {
        PowerOfTwo
    }
}

impl Placement for PowerOfTwo {
    fn select(
        &mut self,
        _: &TaskView,
        cluster: &ClusterView<'_>,
        candidates: &[NodeId],
        rng: &mut SimRng,
    ) -> Option<NodeId> {
        match candidates.len() {
            0 => None,
            1 => Some(candidates[0]),
            n => {
                let a = rng.random_range(0..n);
                let b = (a + rng.random_range(1..n)) % n;
                let (a, b) = (candidates[a], candidates[b]);
                Some(if cluster.load(b) < cluster.load(a) { b } else { a })
            }
        }
    }
}
