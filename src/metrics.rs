//! What is measured, exactly as DESIGN.md defines it.
//!
//! Measurement covers the window from `warmup` to the end of the run, and only workflows that
//! arrive inside the window count. Time averages integrate piecewise-constant quantities
//! exactly; quantiles come from HDR histograms (three significant digits), so memory does not
//! grow with the number of workflows.

mod outages;
mod quantity;
mod recorder;
mod summary;
mod timeline;
mod timeseries;

pub use outages::{Outage, OutageLog, MAX_OUTAGES};
pub use quantity::Quantity;
pub use recorder::{Recorder, RunEnd};
pub use summary::{
    AbortReason, ClassSummary, NodeSummary, RejectedBy, StopReason, Summary, WorkflowRecord,
};
pub use timeline::{
    parse_reason, reason_name, Attempt, Outcome, Rejection, Timeline, TimelineData, GANTT_LIMIT,
};
pub use timeseries::TimeSeries;
