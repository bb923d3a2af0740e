//! schedsim: a discrete-event simulator of service orchestration and task scheduling.
//!
//! A [`Scenario`] describes a cluster (nodes with CPU, memory, speed and pools), workflow
//! classes (DAGs of service calls) with their arrival processes, and policies (queue
//! discipline, placement, admission). A run is a pure function of (scenario, policy, seed).
//!
//! The pieces, in the order a run uses them:
//! - [`scenario`]: the TOML file, `--set` overrides, validation with located errors;
//! - [`model`]: nodes, pools and workflow templates built from a scenario;
//! - [`workload`]: arrival processes and work distributions;
//! - [`engine`]: simulated time, the event queue, seeded random streams;
//! - [`policy`]: queue disciplines, placement and admission, by name;
//! - [`sim`]: the scheduler loop;
//! - [`metrics`]: the measurements and the run's [`Summary`];
//! - [`experiment`]: replications in parallel with confidence intervals;
//! - [`report`]: CSV and JSON output, written atomically;
//! - [`theory`]: exact queueing formulas the tests check the simulator against.
//!
//! ```
#![doc = include_str!("../examples/quickstart.rs")]
//! ```
#![warn(missing_docs)]

pub mod engine;
pub mod experiment;
pub mod metrics;
pub mod model;
pub mod planner;
pub mod policy;
pub mod report;
pub mod scenario;
pub mod sim;
pub mod theory;
pub mod trace;
pub mod workload;

pub use experiment::{run_once, RunError};
pub use metrics::Summary;
pub use model::Model;
pub use scenario::{Override, PolicySet, Scenario, ScenarioError};
pub use sim::{RunOptions, RunResult, Simulation};
