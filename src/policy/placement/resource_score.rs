use serde::Deserialize;

use crate::engine::SimRng;
use crate::model::{ClusterView, NodeId};
use crate::policy::{Param, Placement, PlacementExample, Policy, TaskView};

use super::{left_after, min_by_key};

/// Resource score: R = Σ rᵣ·wᵣ over resources, where rᵣ is the fraction of resource r left
/// free on the node after placing the task; the highest R wins. Positive weights spread work,
/// negative weights pack it.
pub struct ResourceScore {
    w: ResourceWeights,
}

/// Weights wᵣ per resource.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResourceWeights {
    /// Weight of the free CPU fraction.
    #[serde(default = "one")]
    pub cpu: f64,
    /// Weight of the free memory fraction.
    #[serde(default = "one")]
    pub memory: f64,
}

fn one() -> f64 {
    1.0
}

/// Parameters of [`ResourceScore`].
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResourceScoreParams {
    /// Resource weights (default cpu = 1, memory = 1).
    #[serde(default = "default_weights")]
    pub weights: ResourceWeights,
}

fn default_weights() -> ResourceWeights {
    ResourceWeights { cpu: 1.0, memory: 1.0 }
}

impl Policy for ResourceScore {
    const NAME: &'static str = "resource-score";
    const RULE: &'static str = "argmax R = Σ rᵣ·wᵣ, rᵣ = free fraction of resource r after placing";
    const ABOUT: &'static str =
        "A weighted score over resources, like the Kubernetes scheduler's scoring plugins: \
         positive weights spread (default: CPU and memory count equally, as spread), negative \
         weights pack, and unequal weights favour the scarcer resource.";
    const PARAMS: &'static [Param] = &[Param {
        name: "weights",
        default: Some("{ cpu = 1.0, memory = 1.0 }"),
        meaning: "weight wᵣ of each resource's free fraction; negative weights pack",
    }];
    type Params = ResourceScoreParams;
    fn new(p: ResourceScoreParams) -> Self {
        ResourceScore { w: p.weights }
    }
}

impl Placement for ResourceScore {
    fn select(
        &mut self,
        task: &TaskView,
        cluster: &ClusterView<'_>,
        candidates: &[NodeId],
        _: &mut SimRng,
    ) -> Option<NodeId> {
        min_by_key(candidates, |n| {
            let node = &cluster.nodes[n];
            let (cpu, mem) = left_after(task, cluster, n);
            let (cpu, mem) = (cpu as f64 / node.cpu as f64, mem as f64 / node.memory as f64);
            -(cpu * self.w.cpu + mem * self.w.memory)
        })
    }

    /// Sizes differ, and memory is used unevenly.
    fn example() -> PlacementExample {
        PlacementExample::mixed_sizes()
    }
}
