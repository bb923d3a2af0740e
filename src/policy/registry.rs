//! The name registry: scenario files say `queue = "sjf"`, the registry builds the policy.

use serde::Deserialize;

use super::admission::{Always, LoadThreshold, QueueLimit};
use super::placement::{
    BestFit, BinPack, FirstFit, LeastLoaded, PowerOfTwo, Random, ResourceScore, RoundRobin, Spread,
    WeightedLeastLoaded,
};
use super::queue::{Edf, Fcfs, PriorityQueue, Sjf, WeightedPriority};
use super::{Admission, Placement, Policy, QueueDiscipline};
use crate::scenario::{Mode, PolicySpec};

/// The three families of policies.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Family {
    /// Queue disciplines.
    Queue,
    /// Placement policies.
    Placement,
    /// Admission policies.
    Admission,
}

impl Family {
    /// Human name of the family.
    pub fn name(self) -> &'static str {
        match self {
            Family::Queue => "queue discipline",
            Family::Placement => "placement policy",
            Family::Admission => "admission policy",
        }
    }
}

/// What the registry tells about a policy.
#[derive(Clone, Copy, Debug)]
pub struct PolicyInfo {
    /// Registry name.
    pub name: &'static str,
    /// Its family.
    pub family: Family,
    /// The rule in one line.
    pub rule: &'static str,
    /// Its parameters.
    pub params: &'static str,
    /// Dispatch modes it supports.
    pub modes: &'static [Mode],
}

/// A registry entry: the description and a constructor.
pub struct Entry<T: ?Sized> {
    /// The description.
    pub info: PolicyInfo,
    build: fn(&toml::Table) -> Result<Box<T>, String>,
}

fn info<P: Policy>(family: Family) -> PolicyInfo {
    PolicyInfo { name: P::NAME, family, rule: P::RULE, params: P::PARAMS, modes: P::MODES }
}

fn params<P: Policy>(table: &toml::Table) -> Result<P, String> {
    P::Params::deserialize(toml::Value::Table(table.clone())).map(P::new).map_err(|e| {
        let why = crate::scenario::explain(e.message(), "", "");
        let expected = if P::PARAMS.is_empty() { "no parameters" } else { P::PARAMS };
        format!("bad parameters for `{}`: {why} (expected: {expected})", P::NAME)
    })
}

fn queue<P: Policy + QueueDiscipline>() -> Entry<dyn QueueDiscipline> {
    Entry { info: info::<P>(Family::Queue), build: |t| Ok(Box::new(params::<P>(t)?)) }
}

fn placement<P: Policy + Placement>() -> Entry<dyn Placement> {
    Entry { info: info::<P>(Family::Placement), build: |t| Ok(Box::new(params::<P>(t)?)) }
}

fn admission<P: Policy + Admission>() -> Entry<dyn Admission> {
    Entry { info: info::<P>(Family::Admission), build: |t| Ok(Box::new(params::<P>(t)?)) }
}

/// Every queue discipline. Add a line here to register a new one.
pub fn queues() -> Vec<Entry<dyn QueueDiscipline>> {
    vec![
        queue::<Fcfs>(),
        queue::<Sjf>(),
        queue::<PriorityQueue>(),
        queue::<Edf>(),
        queue::<WeightedPriority>(),
    ]
}

/// Every placement policy. Add a line here to register a new one.
pub fn placements() -> Vec<Entry<dyn Placement>> {
    vec![
        placement::<RoundRobin>(),
        placement::<Random>(),
        placement::<LeastLoaded>(),
        placement::<WeightedLeastLoaded>(),
        placement::<PowerOfTwo>(),
        placement::<FirstFit>(),
        placement::<BestFit>(),
        placement::<Spread>(),
        placement::<BinPack>(),
        placement::<ResourceScore>(),
    ]
}

/// Every admission policy. Add a line here to register a new one.
pub fn admissions() -> Vec<Entry<dyn Admission>> {
    vec![admission::<Always>(), admission::<LoadThreshold>(), admission::<QueueLimit>()]
}

fn build<T: ?Sized>(
    entries: Vec<Entry<T>>,
    spec: &PolicySpec,
    family: Family,
) -> Result<(Box<T>, PolicyInfo), String> {
    match entries.iter().find(|e| e.info.name == spec.kind) {
        Some(e) => Ok(((e.build)(&spec.params)?, e.info)),
        None => {
            let names: Vec<&str> = entries.iter().map(|e| e.info.name).collect();
            let hint = crate::scenario::closest(&spec.kind, names.iter().copied())
                .map(|s| format!(" — did you mean `{s}`?"))
                .unwrap_or_default();
            Err(format!(
                "unknown {} `{}`{hint} (known: {})",
                family.name(),
                spec.kind,
                names.join(", ")
            ))
        }
    }
}

/// Builds a queue discipline from its spec.
///
/// # Errors
/// A message naming the unknown policy (with the closest known name) or the bad parameter.
pub fn build_queue(spec: &PolicySpec) -> Result<Box<dyn QueueDiscipline>, String> {
    build(queues(), spec, Family::Queue).map(|(p, _)| p)
}

/// Builds a placement policy for a dispatch mode.
///
/// # Errors
/// As [`build_queue`], and when the policy makes no sense in `mode`.
pub fn build_placement(spec: &PolicySpec, mode: Mode) -> Result<Box<dyn Placement>, String> {
    let (p, info) = build(placements(), spec, Family::Placement)?;
    if !info.modes.contains(&mode) {
        return Err(format!(
            "`{}` places by free capacity, which only the central queue knows; in {mode} mode \
             every task joins a node's queue at once — use least-loaded, \
             weighted-least-loaded, power-of-two, round-robin, random, spread or \
             resource-score, or set cluster.mode = \"central\"",
            info.name
        ));
    }
    Ok(p)
}

/// Builds an admission policy.
///
/// # Errors
/// As [`build_queue`].
pub fn build_admission(spec: &PolicySpec) -> Result<Box<dyn Admission>, String> {
    build(admissions(), spec, Family::Admission).map(|(p, _)| p)
}
