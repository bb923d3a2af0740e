//! Integration tests, one binary (links once): modules by subject.

mod bad_input;
mod cli;
mod determinism;
mod experiments;
mod invariants;
mod orchestration;
mod overload;
mod theory;
mod util;
