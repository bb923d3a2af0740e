//! Admission policies: which arriving workflows are let in.

mod always;
mod load_threshold;
mod queue_limit;

pub use always::Always;
pub use load_threshold::LoadThreshold;
pub use queue_limit::QueueLimit;
