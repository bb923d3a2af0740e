//! Running scenarios: one run, replications, and experiments — grids of scenario variants ×
//! policies × replications, run in parallel, summarised with confidence intervals, resumable
//! and splittable into shards.

mod driver;
mod latency;
mod mser;
mod output;
mod plan;
mod stats;
mod vary;

use rayon::prelude::*;

pub use driver::{
    merge, run_experiment, ExperimentError, ExperimentOptions, ExperimentResult, HEADLINE,
};
pub use latency::{latency_csv, LatencyObserver, LEVELS as LATENCY_LEVELS};
pub use mser::mser5_truncation;
pub use output::{
    aggregate_csv, paired_csv, read_runs, Journal, Layout, Manifest, OutputError, RunsFile,
};
pub use plan::{resolve_policies, Cell, Plan, PlanError, Point, RunRow};
pub use stats::{aggregate, paired, Aggregate, Estimate, Paired};
pub use vary::{Vary, VaryError};

use crate::model::Model;
use crate::scenario::{PolicySet, Scenario};
use crate::sim::{RunOptions, RunResult, Simulation};
use crate::Summary;

/// Why a run could not start.
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    /// `--policy NAME` names no policy of the scenario.
    #[error("scenario `{scenario}` has no policy named `{name}`{hint} (policies: {known})")]
    UnknownPolicy {
        /// The scenario's name.
        scenario: String,
        /// The name asked for.
        name: String,
        /// A suggestion, or empty.
        hint: String,
        /// The names it has.
        known: String,
    },
    /// A policy could not be built (unknown name, bad parameter, wrong mode).
    #[error("{0}")]
    Policy(String),
}

/// The policy set called `name` in the scenario (`None` or `"default"`: `[policy]`).
///
/// # Errors
/// [`RunError::UnknownPolicy`] listing the names the scenario has.
pub fn resolve_policy(scenario: &Scenario, name: Option<&str>) -> Result<PolicySet, RunError> {
    let name = name.unwrap_or("default");
    scenario.policy_named(name).ok_or_else(|| {
        let names: Vec<&str> = std::iter::once("default")
            .chain(scenario.policies.iter().map(|p| p.name.as_str()))
            .collect();
        RunError::UnknownPolicy {
            scenario: scenario.name.clone(),
            name: name.to_string(),
            hint: crate::scenario::closest(name, names.iter().copied())
                .map(|s| format!(" — did you mean `{s}`?"))
                .unwrap_or_default(),
            known: names.join(", "),
        }
    })
}

/// One replication of a validated scenario under `policy` with `seed`.
///
/// # Errors
/// [`RunError::Policy`] when the policy set cannot be built for the scenario's mode.
pub fn run_once(
    scenario: &Scenario,
    policy: &PolicySet,
    seed: u64,
    options: RunOptions,
) -> Result<RunResult, RunError> {
    let model = Model::new(scenario).map_err(RunError::Policy)?;
    let sim = Simulation::new(&model, policy, seed).map_err(RunError::Policy)?;
    Ok(sim.options(options).run().0)
}

/// The seed of replication `k` of a scenario whose base seed is `seed`: `seed + k`, so that
/// replication k uses the same seed under every policy (common random numbers).
pub fn replication_seed(seed: u64, k: u64) -> u64 {
    seed.wrapping_add(k)
}

/// `replications` independent runs, in parallel on the current rayon pool, returned in
/// replication order whatever the thread count.
///
/// # Errors
/// As [`run_once`].
pub fn replicate(
    scenario: &Scenario,
    policy: &PolicySet,
    replications: u64,
) -> Result<Vec<Summary>, RunError> {
    replicate_range(scenario, policy, 0..replications)
}

/// Replications number `range` (replication k uses seed `seed + k`), in parallel, returned in
/// replication order. `plan` uses later numbers to re-run a probe with fresh seeds.
///
/// # Errors
/// As [`run_once`].
pub fn replicate_range(
    scenario: &Scenario,
    policy: &PolicySet,
    range: std::ops::Range<u64>,
) -> Result<Vec<Summary>, RunError> {
    let mut model = Model::new(scenario).map_err(RunError::Policy)?;
    // Only the summaries are kept.
    model.sample_interval = None;
    // Build once up front so that a bad policy is reported before any work starts.
    Simulation::new(&model, policy, scenario.seed).map_err(RunError::Policy)?;
    range
        .into_par_iter()
        .map(|k| {
            let seed = replication_seed(scenario.seed, k);
            let sim = Simulation::new(&model, policy, seed).map_err(RunError::Policy)?;
            Ok(sim.run().0.summary)
        })
        .collect()
}
