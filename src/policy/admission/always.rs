use crate::policy::{Admission, AdmissionView, NoParams, Policy, RejectReason};

/// Admit every workflow.
pub struct Always;

impl Policy for Always {
    const NAME: &'static str = "always";
    const RULE: &'static str = "admit every workflow";
    const ABOUT: &'static str =
        "No admission control: every arrival is let in, so latency grows without bound under \
         overload. The baseline.";
    type Params = NoParams;
    fn new(_: NoParams) -> Self {
        Always
    }
}

impl Admission for Always {
    fn reject(&self, _: &AdmissionView) -> Option<RejectReason> {
        None
    }
}
