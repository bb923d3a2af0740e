use serde::Deserialize;

use crate::policy::{Admission, AdmissionView, Policy, RejectReason};

/// Reject a new workflow while the number of waiting tasks is at or above `limit`.
pub struct QueueLimit {
    limit: u64,
}

/// Parameters of [`QueueLimit`].
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QueueLimitParams {
    /// Waiting tasks at or above which arrivals are rejected.
    pub limit: u64,
}

impl Policy for QueueLimit {
    const NAME: &'static str = "queue-limit";
    const RULE: &'static str = "reject while waiting tasks ≥ limit";
    const PARAMS: &'static str = "limit (required): number of waiting tasks, e.g. 100";
    type Params = QueueLimitParams;
    fn new(p: QueueLimitParams) -> Self {
        QueueLimit { limit: p.limit }
    }
}

impl Admission for QueueLimit {
    fn reject(&self, s: &AdmissionView) -> Option<RejectReason> {
        (s.waiting_tasks >= self.limit).then_some(RejectReason::QueueFull)
    }
}
