use serde::Deserialize;

use crate::policy::{Admission, AdmissionExample, AdmissionView, Param, Policy, RejectReason};

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
    const ABOUT: &'static str =
        "Bounds the backlog: new workflows are turned away while too many tasks wait, so the \
         wait of those admitted stays bounded. A lower limit rejects more and waits less.";
    const PARAMS: &'static [Param] = &[Param {
        name: "limit",
        default: None,
        meaning: "number of waiting tasks (all queues) at or above which arrivals are \
                  rejected, e.g. 100",
    }];
    type Params = QueueLimitParams;
    fn new(p: QueueLimitParams) -> Self {
        QueueLimit { limit: p.limit }
    }
}

impl Admission for QueueLimit {
    fn reject(&self, s: &AdmissionView) -> Option<RejectReason> {
        (s.waiting_tasks >= self.limit).then_some(RejectReason::QueueFull)
    }

    /// The limit is required.
    fn example() -> AdmissionExample {
        AdmissionExample::standard().with_params("limit = 100")
    }
}
