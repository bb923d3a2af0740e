//! Running scenarios: one run, or replications in parallel with confidence intervals.

use rayon::prelude::*;
use statrs::distribution::{ContinuousCDF, StudentsT};

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
    let model = Model::new(scenario).map_err(RunError::Policy)?;
    // Build once up front so that a bad policy is reported before any work starts.
    Simulation::new(&model, policy, scenario.seed).map_err(RunError::Policy)?;
    (0..replications)
        .into_par_iter()
        .map(|k| {
            let seed = replication_seed(scenario.seed, k);
            let sim = Simulation::new(&model, policy, seed).map_err(RunError::Policy)?;
            Ok(sim.run().0.summary)
        })
        .collect()
}

/// A mean with its 95 % confidence half-width (Student t).
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize)]
pub struct Estimate {
    /// Sample mean.
    pub mean: f64,
    /// Half-width of the confidence interval.
    pub half_width: f64,
    /// Sample standard deviation.
    pub std: f64,
    /// Number of values.
    pub n: usize,
}

impl Estimate {
    /// The estimate of the mean of `values` at confidence level `level` (e.g. 0.95). NaN
    /// values are ignored; with fewer than two values the half-width is NaN.
    pub fn new(values: &[f64], level: f64) -> Estimate {
        let xs: Vec<f64> = values.iter().copied().filter(|v| !v.is_nan()).collect();
        let n = xs.len();
        if n == 0 {
            return Estimate { mean: f64::NAN, half_width: f64::NAN, std: f64::NAN, n };
        }
        let mean = xs.iter().sum::<f64>() / n as f64;
        if n < 2 {
            return Estimate { mean, half_width: f64::NAN, std: f64::NAN, n };
        }
        let var = xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1) as f64;
        let std = var.sqrt();
        let t = StudentsT::new(0.0, 1.0, (n - 1) as f64)
            .map(|d| d.inverse_cdf(0.5 + level / 2.0))
            .unwrap_or(f64::NAN);
        Estimate { mean, half_width: t * std / (n as f64).sqrt(), std, n }
    }

    /// Whether `value` lies inside the interval.
    pub fn contains(&self, value: f64) -> bool {
        (value - self.mean).abs() <= self.half_width
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn student_t_half_width() {
        // n = 5, sd = 1.5811: t(0.975, 4) = 2.7764 → hw = 2.7764 · 1.5811 / √5 = 1.9632.
        let e = Estimate::new(&[1.0, 2.0, 3.0, 4.0, 5.0], 0.95);
        assert!((e.mean - 3.0).abs() < 1e-12);
        assert!((e.half_width - 1.9632).abs() < 1e-3, "{}", e.half_width);
    }
}
