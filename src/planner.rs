//! Capacity planning (`schedsim plan`): the smallest capacity, or the largest arrival rate,
//! for which every service-level objective holds with confidence.
//!
//! An [`Slo`] such as `latency_p99<=2.0` holds at a probe when the 95 % confidence bound on
//! its unfavourable side is within the limit (the upper bound for `<=`, the lower for `>=`),
//! over the probe's replications; a probe whose runs were unstable fails. The search assumes
//! that raising the parameter helps (more nodes, more cores) — or, with
//! [`Direction::Largest`] (`--rate-max`), that raising it hurts — and bisects the candidate
//! values. It then re-runs the answer and the value just below it with fresh seeds, and warns
//! when the verdicts are not monotone in the parameter.
//!
//! Several parameters are planned with a [`Cost`]: a coordinate search starts from the top
//! of every range and lowers one parameter at a time (the most expensive per unit first) to
//! the smallest value that still meets the objectives with the others fixed, until no
//! parameter can be lowered. The result is a local optimum of the cost, not always the
//! global one.

mod cost;
mod slo;

use std::collections::BTreeMap;

pub use cost::{Cost, CostError};
pub use slo::{Comparison, Slo, SloError};

use crate::experiment::{replicate_range, Estimate, RunError};
use crate::scenario::{Override, PolicySet, Scenario, ScenarioError};

/// Confidence level of the intervals that decide whether an SLO holds.
pub const LEVEL: f64 = 0.95;

/// Which end of the range the search looks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    /// The smallest value meeting the objectives (capacity: nodes, cores).
    Smallest,
    /// The largest value meeting them (load: an arrival rate).
    Largest,
}

/// One parameter the planner may change: a scenario path and its candidate values, in
/// increasing order.
#[derive(Clone, Debug)]
pub struct Parameter {
    /// Dotted path, as `--set` takes it.
    pub path: String,
    /// Candidate values, increasing.
    pub values: Vec<toml::Value>,
}

/// One evaluated combination of parameter values.
#[derive(Clone, Debug)]
pub struct Probe {
    /// Index into each parameter's values.
    pub at: Vec<usize>,
    /// The values, as numbers (for tables, charts, the cost).
    pub values: Vec<f64>,
    /// `search` or `verify` (re-run with fresh seeds).
    pub kind: &'static str,
    /// One estimate per SLO, in order.
    pub estimates: Vec<Estimate>,
    /// Whether each SLO holds.
    pub holds: Vec<bool>,
    /// Whether every replication stayed stable.
    pub stable: bool,
}

impl Probe {
    /// Every SLO holds and every run was stable.
    pub fn pass(&self) -> bool {
        self.stable && self.holds.iter().all(|&h| h)
    }
}

/// The outcome of planning one policy.
#[derive(Clone, Debug)]
pub struct PolicyPlan {
    /// Policy name.
    pub policy: String,
    /// Every probe, in the order run.
    pub probes: Vec<Probe>,
    /// The values found, one per parameter; none when nothing in range meets the SLOs.
    pub answer: Option<Vec<f64>>,
    /// The cost of the answer, when a cost was given.
    pub cost: Option<f64>,
    /// Doubts about the answer, for people.
    pub warnings: Vec<String>,
}

/// What to plan.
#[derive(Clone, Debug)]
pub struct Request {
    /// The parameters (one, or several with a cost).
    pub parameters: Vec<Parameter>,
    /// The objectives.
    pub slos: Vec<Slo>,
    /// Smallest or largest value.
    pub direction: Direction,
    /// Replications per probe.
    pub replications: u64,
    /// The cost of a combination (required with several parameters).
    pub cost: Option<Cost>,
}

/// Why planning could not run.
#[derive(Debug, thiserror::Error)]
pub enum PlanError {
    /// A probe's scenario is invalid (e.g. a count of 0).
    #[error("at {point}")]
    Scenario {
        /// The parameter values.
        point: String,
        /// The problem.
        #[source]
        source: ScenarioError,
    },
    /// A run could not be built.
    #[error(transparent)]
    Run(#[from] RunError),
    /// The request itself is wrong.
    #[error("{0}")]
    Invalid(String),
}

/// Runs probes of one policy, remembering them so that no combination runs twice.
struct Prober<'a> {
    scenario_path: &'a std::path::Path,
    sets: &'a [Override],
    policy: &'a PolicySet,
    request: &'a Request,
    probes: Vec<Probe>,
    seen: BTreeMap<Vec<usize>, bool>,
}

impl Prober<'_> {
    fn numbers(&self, at: &[usize]) -> Vec<f64> {
        at.iter().zip(&self.request.parameters).map(|(&i, p)| value_number(&p.values[i])).collect()
    }

    /// Evaluates a combination (`verify`: with seeds after the search's).
    fn probe(&mut self, at: &[usize], verify: bool) -> Result<bool, PlanError> {
        if !verify {
            if let Some(&pass) = self.seen.get(at) {
                return Ok(pass);
            }
        }
        let mut sets = self.sets.to_vec();
        for (&i, p) in at.iter().zip(&self.request.parameters) {
            sets.push(Override::new(&p.path, p.values[i].clone()));
        }
        let point = || {
            at.iter()
                .zip(&self.request.parameters)
                .map(|(&i, p)| format!("{}={}", p.path, p.values[i]))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let scenario = Scenario::load_with(self.scenario_path, &sets)
            .map_err(|source| PlanError::Scenario { point: point(), source })?;
        let r = self.request.replications;
        let first = if verify { r } else { 0 };
        let runs = replicate_range(&scenario, self.policy, first..first + r)?;
        let stable = runs.iter().all(|s| s.stable);
        let estimates: Vec<Estimate> = self
            .request
            .slos
            .iter()
            .map(|slo| {
                let values: Vec<f64> = runs.iter().map(|s| slo.value(s)).collect();
                Estimate::new(&values, LEVEL)
            })
            .collect();
        let holds = self.request.slos.iter().zip(&estimates).map(|(s, e)| s.holds(e)).collect();
        let probe = Probe {
            at: at.to_vec(),
            values: self.numbers(at),
            kind: if verify { "verify" } else { "search" },
            estimates,
            holds,
            stable,
        };
        let pass = probe.pass();
        self.probes.push(probe);
        if !verify {
            self.seen.insert(at.to_vec(), pass);
        }
        Ok(pass)
    }

    /// Candidate index `r` of parameter `k` counted from the unfavourable end: `r = 0` is
    /// the smallest value with [`Direction::Smallest`] and the largest with
    /// [`Direction::Largest`], so a larger `r` is always expected to help.
    fn index(&self, k: usize, r: usize) -> usize {
        match self.request.direction {
            Direction::Smallest => r,
            Direction::Largest => self.request.parameters[k].values.len() - 1 - r,
        }
    }

    /// Probes the combination at positions `rs` (see [`Prober::index`]).
    fn probe_at(&mut self, rs: &[usize], verify: bool) -> Result<bool, PlanError> {
        let at: Vec<usize> = rs.iter().enumerate().map(|(k, &r)| self.index(k, r)).collect();
        self.probe(&at, verify)
    }

    /// The smallest position of parameter `k` (others fixed at `rs`) meeting the SLOs, by
    /// bisection between `bad` (fails) and `good` (passes).
    fn bisect(
        &mut self,
        rs: &[usize],
        k: usize,
        mut bad: usize,
        mut good: usize,
    ) -> Result<usize, PlanError> {
        let mut point = rs.to_vec();
        while good - bad > 1 {
            let mid = (bad + good) / 2;
            point[k] = mid;
            if self.probe_at(&point, false)? {
                good = mid;
            } else {
                bad = mid;
            }
        }
        Ok(good)
    }
}

/// A parameter value as a number (booleans 0/1; anything else NaN).
pub fn value_number(v: &toml::Value) -> f64 {
    match v {
        toml::Value::Integer(i) => *i as f64,
        toml::Value::Float(f) => *f,
        toml::Value::Boolean(b) => *b as u8 as f64,
        _ => f64::NAN,
    }
}

/// Plans one policy.
///
/// # Errors
/// [`PlanError`] when a probe's scenario is invalid or a run cannot be built.
pub fn plan_policy(
    scenario_path: &std::path::Path,
    sets: &[Override],
    name: &str,
    policy: &PolicySet,
    request: &Request,
) -> Result<PolicyPlan, PlanError> {
    let mut p =
        Prober { scenario_path, sets, policy, request, probes: Vec::new(), seen: BTreeMap::new() };
    let mut warnings = Vec::new();
    let top: Vec<usize> = request.parameters.iter().map(|q| q.values.len() - 1).collect();
    let answer: Option<Vec<usize>> = if top.len() == 1 {
        search_one(&mut p, top[0], &mut warnings)?.map(|r| vec![r])
    } else {
        coordinate_search(&mut p, &top, &mut warnings)?
    };
    if let Some(rs) = &answer {
        verify(&mut p, rs, &mut warnings)?;
    }
    check_monotone(&p, &mut warnings);
    let answer_values = answer.as_ref().map(|rs| {
        let at: Vec<usize> = rs.iter().enumerate().map(|(k, &r)| p.index(k, r)).collect();
        p.numbers(&at)
    });
    let cost = match (&request.cost, &answer_values) {
        (Some(c), Some(v)) => Some(c.eval(&paths(request), v)),
        _ => None,
    };
    Ok(PolicyPlan {
        policy: name.to_string(),
        probes: p.probes,
        answer: answer_values,
        cost,
        warnings,
    })
}

fn paths(r: &Request) -> Vec<&str> {
    r.parameters.iter().map(|p| p.path.as_str()).collect()
}

/// One parameter: check the favourable end (`top`), then bisect towards the other.
fn search_one(
    p: &mut Prober<'_>,
    top: usize,
    warnings: &mut Vec<String>,
) -> Result<Option<usize>, PlanError> {
    if !p.probe_at(&[top], false)? {
        // Not even the favourable end passes. A window in the middle would mean the results
        // are not monotone: look at a few interior points before giving up.
        let mut good = None;
        for r in (1..=5).map(|k| k * top / 6).filter(|&r| r > 0 && r < top) {
            if good.is_none() && p.probe_at(&[r], false)? {
                good = Some(r);
            }
        }
        let Some(good) = good else { return Ok(None) };
        warnings.push(format!(
            "not monotone: the end of the range ({}) fails the objectives but an interior \
             value passes; the answer is the best passing value found below it",
            p.request.parameters[0].values[p.index(0, top)]
        ));
        if good == 0 || p.probe_at(&[0], false)? {
            return Ok(Some(0));
        }
        return p.bisect(&[good], 0, 0, good).map(Some);
    }
    if p.probe_at(&[0], false)? {
        return Ok(Some(0));
    }
    p.bisect(&[top], 0, 0, top).map(Some)
}

/// Several parameters: from the top of every range, lower one at a time (the most expensive
/// per unit first) to the smallest position that still passes, until none can move.
fn coordinate_search(
    p: &mut Prober<'_>,
    top: &[usize],
    warnings: &mut Vec<String>,
) -> Result<Option<Vec<usize>>, PlanError> {
    let mut rs = top.to_vec();
    if !p.probe_at(&rs, false)? {
        return Ok(None);
    }
    let cost = p.request.cost.as_ref().ok_or_else(|| {
        PlanError::Invalid("several --vary parameters need a --cost to choose between".into())
    })?;
    let names = paths(p.request);
    let mut order: Vec<usize> = (0..rs.len()).collect();
    order.sort_by(|&a, &b| cost.weight(&names, b).total_cmp(&cost.weight(&names, a)));
    const MAX_ROUNDS: usize = 8;
    for round in 0.. {
        let before = rs.clone();
        for &k in &order {
            let mut lowest = rs.clone();
            lowest[k] = 0;
            rs[k] = if p.probe_at(&lowest, false)? { 0 } else { p.bisect(&rs, k, 0, rs[k])? };
        }
        if rs == before {
            break;
        }
        if round + 1 == MAX_ROUNDS {
            warnings.push(format!("the coordinate search stopped after {MAX_ROUNDS} rounds"));
            break;
        }
    }
    Ok(Some(rs))
}

/// Re-runs the answer, and each parameter's value one step worse, with fresh seeds.
fn verify(p: &mut Prober<'_>, rs: &[usize], warnings: &mut Vec<String>) -> Result<(), PlanError> {
    let at = |p: &Prober<'_>, rs: &[usize]| -> Vec<usize> {
        rs.iter().enumerate().map(|(k, &r)| p.index(k, r)).collect()
    };
    if !p.probe_at(rs, true)? {
        warnings.push(format!(
            "the answer ({}) failed when re-run with fresh seeds: it sits at the edge of the \
             objectives; more replications (--replications) would settle it",
            describe(p, &at(p, rs))
        ));
    }
    for k in 0..rs.len() {
        if rs[k] == 0 {
            continue;
        }
        let mut worse = rs.to_vec();
        worse[k] -= 1;
        if p.probe_at(&worse, true)? {
            warnings.push(format!(
                "{} also meets the objectives when re-run with fresh seeds: the answer may be \
                 one step from the best",
                describe(p, &at(p, &worse))
            ));
        }
    }
    Ok(())
}

fn describe(p: &Prober<'_>, at: &[usize]) -> String {
    at.iter()
        .zip(&p.request.parameters)
        .map(|(&i, q)| format!("{}={}", q.path, q.values[i]))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Warns when, along one parameter with the others equal, a better value fails where a
/// worse one passed.
fn check_monotone(p: &Prober<'_>, warnings: &mut Vec<String>) {
    let search: Vec<&Probe> = p.probes.iter().filter(|q| q.kind == "search").collect();
    for a in &search {
        for b in &search {
            let differs: Vec<usize> = (0..a.at.len()).filter(|&k| a.at[k] != b.at[k]).collect();
            let [k] = differs[..] else { continue };
            let b_better = match p.request.direction {
                Direction::Smallest => b.at[k] > a.at[k],
                Direction::Largest => b.at[k] < a.at[k],
            };
            if a.pass() && !b.pass() && b_better {
                let w = format!(
                    "not monotone: {} meets the objectives but {} does not; the search assumes \
                     that {} the parameter never hurts",
                    describe(p, &a.at),
                    describe(p, &b.at),
                    if p.request.direction == Direction::Smallest { "raising" } else { "lowering" }
                );
                if !warnings.iter().any(|x| x.starts_with("not monotone")) {
                    warnings.push(w);
                }
            }
        }
    }
}
