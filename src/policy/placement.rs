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

use crate::model::NodeId;

/// The candidate with the smallest `key`; ties go to the earliest candidate (lowest node id).
pub(crate) fn min_by_key(candidates: &[NodeId], key: impl Fn(NodeId) -> f64) -> Option<NodeId> {
    let mut best: Option<(NodeId, f64)> = None;
    for &n in candidates {
        let k = key(n);
        if best.is_none_or(|(_, b)| k < b) {
            best = Some((n, k));
        }
    }
    best.map(|(n, _)| n)
}
