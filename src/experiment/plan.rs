//! An experiment's plan: scenario variants (points) × policies × replications.

use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use super::latency::LatencyObserver;
use super::vary::{label, Vary};
use super::{replication_seed, Layout};
use crate::model::Model;
use crate::scenario::{Override, PolicySet, PolicySpec, Scenario, ScenarioError};
use crate::sim::Simulation;

/// Why an experiment cannot be planned.
#[derive(Debug, thiserror::Error)]
pub enum PlanError {
    /// The base scenario is invalid.
    #[error(transparent)]
    Scenario(#[from] ScenarioError),
    /// A point of the grid gives an invalid scenario.
    #[error("--vary point {point}: {source}")]
    Point {
        /// The point, as `path=value, ...`.
        point: String,
        /// What is wrong with the scenario there.
        source: ScenarioError,
    },
    /// A policy choice is not understood.
    #[error("{0}")]
    Policy(String),
    /// Something else about the plan is wrong.
    #[error("{0}")]
    Invalid(String),
}

/// One scenario variant of the grid.
#[derive(Clone, Debug)]
pub struct Point {
    /// The varied values, one per `--vary`, as they appear in files.
    pub labels: Vec<String>,
    /// The scenario at this point.
    pub scenario: Scenario,
    /// Its model.
    pub model: Model,
}

/// One run of the grid.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cell {
    /// Position in grid order: (point × policies + policy) × replications + replication.
    pub index: usize,
    /// Point index.
    pub point: usize,
    /// Policy index.
    pub policy: usize,
    /// Replication number (its seed is the scenario seed + replication).
    pub replication: u64,
}

/// The figures of one finished run.
#[derive(Clone, Debug, PartialEq)]
pub struct RunRow {
    /// Point index.
    pub point: usize,
    /// Policy index.
    pub policy: usize,
    /// Replication number.
    pub replication: u64,
    /// Seed used.
    pub seed: u64,
    /// Metrics in [`crate::Summary::METRICS`] order.
    pub values: Vec<f64>,
    /// Workflow latency (s) at each of [`super::LATENCY_LEVELS`], for the latency CDF.
    pub latency: Vec<f64>,
}

/// Everything an experiment runs: built and validated up front, so a bad point or policy is
/// reported before any work starts.
#[derive(Clone, Debug)]
pub struct Plan {
    /// The scenario file.
    pub path: PathBuf,
    /// The scenario after `--set`, before `--vary`.
    pub base: Scenario,
    /// SHA-256 of the resolved base scenario: what `--resume` and `merge` compare.
    pub hash: String,
    /// The varied parameters.
    pub vary: Vec<Vary>,
    /// The grid points, first `--vary` outermost.
    pub points: Vec<Point>,
    /// Policies by name; the first is the baseline of paired differences.
    pub policies: Vec<(String, PolicySet)>,
    /// Replications per (point, policy).
    pub replications: u64,
}

impl Plan {
    /// Plans `replications` runs of each policy at each point of the grid spanned by `vary`.
    ///
    /// # Errors
    /// [`PlanError`] naming the file, the point or the policy that is wrong.
    pub fn new(
        path: &Path,
        sets: &[Override],
        vary: Vec<Vary>,
        policies: &[String],
        replications: Option<u64>,
    ) -> Result<Plan, PlanError> {
        let base = Scenario::load_with(path, sets)?;
        let replications = replications.or(base.replications.map(u64::from)).unwrap_or(10);
        if replications == 0 {
            return Err(PlanError::Invalid("--replications must be at least 1".into()));
        }
        let policies = resolve_policies(&base, policies)?;
        let json = serde_json::to_string(&base).map_err(|e| PlanError::Invalid(e.to_string()))?;
        let hash = format!("{:x}", Sha256::digest(json.as_bytes()));

        let mut combos: Vec<Vec<usize>> = vec![Vec::new()];
        for v in &vary {
            combos = combos
                .into_iter()
                .flat_map(|c| {
                    (0..v.values.len()).map(move |i| {
                        let mut c = c.clone();
                        c.push(i);
                        c
                    })
                })
                .collect();
        }
        let mut points = Vec::with_capacity(combos.len());
        for combo in combos {
            let mut overrides = sets.to_vec();
            let mut labels = Vec::new();
            for (v, &i) in vary.iter().zip(&combo) {
                overrides.push(Override::new(&v.path, v.values[i].clone()));
                labels.push(label(&v.values[i]));
            }
            let point_name = || {
                vary.iter()
                    .zip(&labels)
                    .map(|(v, l)| format!("{}={l}", v.path))
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            let scenario = Scenario::load_with(path, &overrides)
                .map_err(|source| PlanError::Point { point: point_name(), source })?;
            let mut model = Model::new(&scenario).map_err(PlanError::Invalid)?;
            // Experiments keep figures, not per-run load samples: sampling would only cost.
            model.sample_interval = None;
            for (name, set) in &policies {
                Simulation::new(&model, set, 0).map_err(|e| {
                    PlanError::Policy(format!("policy `{name}` at {}: {e}", point_name()))
                })?;
            }
            points.push(Point { labels, scenario, model });
        }
        Ok(Plan { path: path.to_path_buf(), base, hash, vary, points, policies, replications })
    }

    /// Every cell in grid order.
    pub fn cells(&self) -> Vec<Cell> {
        self.cells_up_to(self.replications)
    }

    /// Cells of replications `0..replications` (for precision rounds), in grid order.
    pub fn cells_up_to(&self, replications: u64) -> Vec<Cell> {
        let mut out = Vec::new();
        for point in 0..self.points.len() {
            for policy in 0..self.policies.len() {
                for replication in 0..replications {
                    let index = ((point * self.policies.len() + policy) as u64 * replications
                        + replication) as usize;
                    out.push(Cell { index, point, policy, replication });
                }
            }
        }
        out
    }

    /// Runs one cell: built entirely inside the calling thread from the shared, read-only
    /// plan, so the result does not depend on which worker runs it.
    pub fn run(&self, cell: &Cell) -> RunRow {
        let point = &self.points[cell.point];
        let seed = replication_seed(point.scenario.seed, cell.replication);
        let (_, policy) = &self.policies[cell.policy];
        let observer = LatencyObserver::new(point.model.warmup);
        let (result, observer) = Simulation::with_observer(&point.model, policy, seed, observer)
            .expect("policies were checked when the plan was built")
            .run();
        RunRow {
            point: cell.point,
            policy: cell.policy,
            replication: cell.replication,
            seed,
            values: result.summary.metrics().to_vec(),
            latency: observer.quantiles(),
        }
    }

    /// Sets the warmup of every point (e.g. from MSER-5).
    ///
    /// # Errors
    /// [`PlanError::Invalid`] when the warmup is not below every point's duration.
    pub fn set_warmup(&mut self, warmup: f64) -> Result<(), PlanError> {
        for p in &mut self.points {
            if !(warmup >= 0.0 && warmup < p.scenario.duration) {
                return Err(PlanError::Invalid(format!(
                    "warmup {warmup} is not below the duration {}",
                    p.scenario.duration
                )));
            }
            p.scenario.warmup = warmup;
            p.model.warmup = warmup;
        }
        self.base.warmup = warmup;
        Ok(())
    }

    /// What the output files need to name points and policies.
    pub fn layout(&self) -> Layout {
        Layout {
            vary: self.vary.iter().map(|v| v.path.clone()).collect(),
            points: self.points.iter().map(|p| p.labels.clone()).collect(),
            policies: self.policies.iter().map(|(n, _)| n.clone()).collect(),
            replications: self.replications,
        }
    }
}

/// Resolves policy choices: `all` (the scenario's `[policy]` as `default`, then every
/// `[[policies]]` entry), a name, or an inline set like `queue=sjf,placement=least-loaded`
/// (keys not given come from `[policy]`). No choice means `all`.
///
/// # Errors
/// [`PlanError::Policy`] naming an unknown policy (with the closest name) or a bad inline set.
pub fn resolve_policies(
    s: &Scenario,
    choices: &[String],
) -> Result<Vec<(String, PolicySet)>, PlanError> {
    let mut out: Vec<(String, PolicySet)> = Vec::new();
    let all =
        || std::iter::once("default".to_string()).chain(s.policies.iter().map(|p| p.name.clone()));
    let choices: Vec<String> =
        if choices.is_empty() { vec!["all".into()] } else { choices.to_vec() };
    for choice in choices.iter().flat_map(|c| {
        if c.contains('=') {
            vec![c.clone()]
        } else {
            c.split(',').map(|x| x.trim().to_string()).collect()
        }
    }) {
        if choice == "all" {
            for name in all() {
                let set = s.policy_named(&name).expect("listed names exist");
                out.push((name, set));
            }
        } else if choice.contains('=') {
            let mut set = s.policy.clone();
            for pair in choice.split(',') {
                let (k, v) = pair.split_once('=').ok_or_else(|| {
                    PlanError::Policy(format!("--policy {choice}: expected key=value pairs, e.g. queue=sjf,placement=least-loaded"))
                })?;
                let spec = PolicySpec::named(v.trim());
                match k.trim() {
                    "queue" => set.queue = spec,
                    "placement" => set.placement = spec,
                    "admission" => set.admission = spec,
                    other => {
                        return Err(PlanError::Policy(format!(
                        "--policy {choice}: unknown key `{other}` (queue, placement or admission)"
                    )))
                    }
                }
            }
            out.push((choice.clone(), set));
        } else {
            let set = s.policy_named(&choice).ok_or_else(|| {
                let names: Vec<String> = all().collect();
                let hint = crate::scenario::closest(&choice, names.iter().map(String::as_str))
                    .map(|x| format!(" — did you mean `{x}`?"))
                    .unwrap_or_default();
                PlanError::Policy(format!(
                    "scenario `{}` has no policy named `{choice}`{hint} (policies: all, {})",
                    s.name,
                    names.join(", ")
                ))
            })?;
            out.push((choice.clone(), set));
        }
    }
    let mut names: Vec<&str> = out.iter().map(|(n, _)| n.as_str()).collect();
    names.sort_unstable();
    if names.windows(2).any(|w| w[0] == w[1]) {
        return Err(PlanError::Policy("a policy is named twice".into()));
    }
    Ok(out)
}
