//! Helpers shared by the integration tests.

use std::path::Path;

use schedsim::experiment::{replicate, Estimate};
use schedsim::{Scenario, Summary};

/// Parses a scenario written inline; panics with the error (test input is ours).
pub fn scenario(text: &str) -> Scenario {
    Scenario::from_toml(text, Path::new("test.toml"), &[]).unwrap_or_else(|e| panic!("{e}"))
}

/// `n` replications of the scenario's `[policy]`.
pub fn replications(s: &Scenario, n: u64) -> Vec<Summary> {
    replicate(s, &s.policy, n).unwrap_or_else(|e| panic!("{e}"))
}

/// Asserts that `theory` lies in the 99.9 % Student-t confidence interval of `metric` across
/// the replications. The interval comes from the runs themselves, so the tolerance tightens
/// as the runs get longer; the seeds are fixed, so the test never flakes.
pub fn assert_matches_theory(
    runs: &[Summary],
    what: &str,
    metric: impl Fn(&Summary) -> f64,
    theory: f64,
) {
    let values: Vec<f64> = runs.iter().map(metric).collect();
    let e = Estimate::new(&values, 0.999);
    assert!(
        e.contains(theory),
        "{what}: simulated {:.5} ± {:.5} (99.9 % CI, {} runs) does not contain theory {theory:.5}",
        e.mean,
        e.half_width,
        e.n
    );
    // The interval must also be tight enough to mean something (within 5 % of the value).
    assert!(
        e.half_width < 0.05 * theory.abs().max(1e-3),
        "{what}: the confidence interval ±{:.5} is too wide to test {theory:.5}",
        e.half_width
    );
}
