//! Placement policies: which node a task goes to.

mod best_fit;
mod bin_pack;
mod first_fit;
mod least_loaded;
mod power_of_two;
mod random;
mod resource_score;
mod round_robin;
mod spread;
mod weighted_least_loaded;

pub use best_fit::BestFit;
pub use bin_pack::BinPack;
pub use first_fit::FirstFit;
pub use least_loaded::LeastLoaded;
pub use power_of_two::PowerOfTwo;
pub use random::Random;
pub use resource_score::ResourceScore;
pub use round_robin::RoundRobin;
pub use spread::Spread;
pub use weighted_least_loaded::WeightedLeastLoaded;

use std::cmp::Ordering;

use crate::model::{ClusterView, NodeId};
use crate::policy::TaskView;

/// The candidate with the smallest `key`; ties go to the earliest candidate (lowest node id).
pub(crate) fn min_by_key<K: PartialOrd>(
    candidates: &[NodeId],
    key: impl Fn(NodeId) -> K,
) -> Option<NodeId> {
    let mut best: Option<(NodeId, K)> = None;
    for &n in candidates {
        let k = key(n);
        if best.as_ref().is_none_or(|(_, b)| k < *b) {
            best = Some((n, k));
        }
    }
    best.map(|(n, _)| n)
}

/// How a placement rule ranks nodes, when the rank of a node depends only on its own state
/// and capacity: then the engine can keep the nodes of a large pool sorted by it and find the
/// rule's choice in O(log N) instead of asking [`crate::policy::Placement::select`] about
/// every node.
///
/// Each order is exact among nodes of equal capacity (CPU, memory and weight), ties to the
/// lowest node id; across capacities the engine hands the best node of each capacity to
/// `select`, which makes the final pick. A rule that declares an order must therefore pick
/// exactly as that order does among equal nodes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NodeOrder {
    /// Lowest node id that fits (first-fit).
    Id,
    /// Least CPU allocated plus queued (least-loaded, weighted-least-loaded).
    LeastLoad,
    /// Most free CPU share plus free memory share (spread).
    MostFree,
    /// Least free CPU that fits, then least free memory (best-fit).
    TightestCpu,
    /// Least free CPU share plus free memory share that fits (bin-pack).
    LeastFree,
}

/// A ratio compared exactly, so that keys equal as fractions tie (and the lowest node id wins)
/// whatever floating point would have said; only values too large for 128-bit products
/// compare as floating point.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Fraction {
    num: i128,
    /// Always > 0.
    den: i128,
}

impl Fraction {
    pub(crate) fn new(num: i128, den: i128) -> Self {
        debug_assert!(den > 0);
        Fraction { num, den }
    }
}

impl PartialEq for Fraction {
    fn eq(&self, other: &Self) -> bool {
        self.partial_cmp(other) == Some(Ordering::Equal)
    }
}

impl PartialOrd for Fraction {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        if self.den == other.den {
            return Some(self.num.cmp(&other.num));
        }
        match (self.num.checked_mul(other.den), other.num.checked_mul(self.den)) {
            (Some(a), Some(b)) => Some(a.cmp(&b)),
            _ => (self.num as f64 / self.den as f64)
                .partial_cmp(&(other.num as f64 / other.den as f64)),
        }
    }
}

/// CPU and memory that would be left unreserved on node `n` after placing `task`.
pub(crate) fn left_after(task: &TaskView, cluster: &ClusterView<'_>, n: NodeId) -> (i128, i128) {
    let cpu = (cluster.unreserved_cpu(n) - task.cpu as i64) as i128;
    let memory = (cluster.unreserved_memory(n) - task.memory as i64) as i128;
    (cpu, memory)
}

/// Free CPU share plus free memory share of node `n` after placing `task`, exactly:
/// (CPU left × memory + memory left × CPU) / (CPU × memory).
pub(crate) fn free_share_after(task: &TaskView, cluster: &ClusterView<'_>, n: NodeId) -> Fraction {
    let node = &cluster.nodes[n];
    let (cpu_left, mem_left) = left_after(task, cluster, n);
    let (c, m) = (node.cpu as i128, node.memory as i128);
    Fraction::new(cpu_left * m + mem_left * c, c * m)
}
