//! Integration tests, one binary (links once): modules by subject.

mod backfill;
mod bad_input;
mod charts;
mod cli;
mod determinism;
mod experiments;
mod invariants;
mod orchestration;
mod overload;
mod placement_index;
mod planning;
mod policies;
mod report;
mod snapshots;
mod teaching;
mod theory;
mod traces;
mod tracing;
mod util;
