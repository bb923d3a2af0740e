use serde::Deserialize;

use crate::policy::{Admission, AdmissionExample, AdmissionView, Param, Policy, RejectReason};

/// Reject a new workflow while the average weighted load L = Σ wᵢ·Lᵢ / N is at or above
/// `limit`. With limit 1.0 on identical one-task nodes this is the M/M/c/c loss system.
pub struct LoadThreshold {
    limit: f64,
}

/// Parameters of [`LoadThreshold`].
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LoadThresholdParams {
    /// Weighted load at or above which arrivals are rejected.
    pub limit: f64,
}

/// Loads are sums of floating-point ratios; a load that is mathematically at the limit may be
/// a few ulps below it.
const TOLERANCE: f64 = 1e-9;

impl Policy for LoadThreshold {
    const NAME: &'static str = "load-threshold";
    const RULE: &'static str = "reject while L = Σ wᵢ·Lᵢ / N ≥ limit";
    const ABOUT: &'static str =
        "Turns new workflows away while the cluster is busy, trading a rejection rate for the \
         latency of those admitted. With limit 1.0 on identical one-task nodes it is the \
         M/M/c/c loss system (Erlang B).";
    const PARAMS: &'static [Param] = &[Param {
        name: "limit",
        default: None,
        meaning: "average weighted load at or above which arrivals are rejected, e.g. 0.9",
    }];
    type Params = LoadThresholdParams;
    fn new(p: LoadThresholdParams) -> Self {
        LoadThreshold { limit: p.limit }
    }
}

impl Admission for LoadThreshold {
    fn reject(&self, s: &AdmissionView) -> Option<RejectReason> {
        (s.weighted_load >= self.limit - TOLERANCE).then_some(RejectReason::Admission)
    }

    /// The limit is required; 0.9 is a common choice.
    fn example() -> AdmissionExample {
        AdmissionExample::standard().with_params("limit = 0.9")
    }
}
