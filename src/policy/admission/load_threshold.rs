use serde::Deserialize;

use crate::policy::{Admission, AdmissionView, Policy, RejectReason};

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
    const PARAMS: &'static str = "limit (required): weighted load, e.g. 0.9";
    type Params = LoadThresholdParams;
    fn new(p: LoadThresholdParams) -> Self {
        LoadThreshold { limit: p.limit }
    }
}

impl Admission for LoadThreshold {
    fn reject(&self, s: &AdmissionView) -> Option<RejectReason> {
        (s.weighted_load >= self.limit - TOLERANCE).then_some(RejectReason::Admission)
    }
}
