//! The name registry: scenario files say `queue = "sjf"`, the registry builds the policy.
//!
//! The built-in policies are listed in [`queues`], [`placements`] and [`admissions`]; a
//! program using schedsim as a library adds its own with [`register_placement`] (and the
//! queue and admission twins), after which scenarios name them like any other.

use std::sync::{Mutex, RwLock};

use serde::Deserialize;

use super::admission::{Always, LoadThreshold, QueueLimit};
use super::example::{Example, Worked};
use super::placement::{
    BestFit, BinPack, FirstFit, LeastLoaded, PowerOfTwo, Random, ResourceScore, RoundRobin, Spread,
    WeightedLeastLoaded,
};
use super::queue::{
    ConservativeBackfill, EasyBackfill, Edf, Fcfs, PriorityQueue, Sjf, WeightedPriority,
};
use super::{Admission, Param, Placement, Policy, QueueDiscipline};
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
    /// What it does and why one would choose it (may be empty).
    pub about: &'static str,
    /// Its parameters.
    pub params: &'static [Param],
    /// Dispatch modes it supports.
    pub modes: &'static [Mode],
}

/// A registry entry: the description, a constructor and the worked example.
pub struct Entry<T: ?Sized> {
    /// The description.
    pub info: PolicyInfo,
    build: fn(&toml::Table) -> Result<Box<T>, String>,
    example: fn() -> Example,
}

// By hand: a derive would require `T: Clone`, but an entry holds only function pointers.
impl<T: ?Sized> Clone for Entry<T> {
    fn clone(&self) -> Self {
        Entry { info: self.info, build: self.build, example: self.example }
    }
}

impl<T: ?Sized> Entry<T> {
    /// Builds the policy from the parameters of a `{ kind = "...", ... }` table (without
    /// `kind`).
    ///
    /// # Errors
    /// A message naming the bad parameter and the expected ones.
    pub fn build(&self, params: &toml::Table) -> Result<Box<T>, String> {
        (self.build)(params)
    }

    /// The state its worked example runs on.
    pub fn example(&self) -> Example {
        (self.example)()
    }
}

fn info<P: Policy>(family: Family) -> PolicyInfo {
    PolicyInfo {
        name: P::NAME,
        family,
        rule: P::RULE,
        about: P::ABOUT,
        params: P::PARAMS,
        modes: P::MODES,
    }
}

fn params<P: Policy>(table: &toml::Table) -> Result<P, String> {
    P::Params::deserialize(toml::Value::Table(table.clone())).map(P::new).map_err(|e| {
        let why = crate::scenario::explain(e.message(), "", "");
        let expected = if P::PARAMS.is_empty() {
            "no parameters".to_string()
        } else {
            P::PARAMS.iter().map(Param::signature).collect::<Vec<_>>().join(", ")
        };
        format!("bad parameters for `{}`: {why} (expected: {expected})", P::NAME)
    })
}

fn queue<P: Policy + QueueDiscipline>() -> Entry<dyn QueueDiscipline> {
    Entry {
        info: info::<P>(Family::Queue),
        build: |t| Ok(Box::new(params::<P>(t)?)),
        example: || Example::Queue(P::example()),
    }
}

fn placement<P: Policy + Placement>() -> Entry<dyn Placement> {
    Entry {
        info: info::<P>(Family::Placement),
        build: |t| Ok(Box::new(params::<P>(t)?)),
        example: || Example::Placement(P::example()),
    }
}

fn admission<P: Policy + Admission>() -> Entry<dyn Admission> {
    Entry {
        info: info::<P>(Family::Admission),
        build: |t| Ok(Box::new(params::<P>(t)?)),
        example: || Example::Admission(P::example()),
    }
}

/// Policies registered at run time by programs that use schedsim as a library.
static USER_QUEUES: RwLock<Vec<Entry<dyn QueueDiscipline>>> = RwLock::new(Vec::new());
static USER_PLACEMENTS: RwLock<Vec<Entry<dyn Placement>>> = RwLock::new(Vec::new());
static USER_ADMISSIONS: RwLock<Vec<Entry<dyn Admission>>> = RwLock::new(Vec::new());
/// Held while registering, so two threads cannot register one name twice.
static REGISTERING: Mutex<()> = Mutex::new(());

/// The registered entries of one family. The lists hold only function pointers, so a panic
/// elsewhere while a lock was held cannot leave them half-written: a poisoned lock is read.
fn user<T: ?Sized>(list: &RwLock<Vec<Entry<T>>>) -> Vec<Entry<T>> {
    list.read().unwrap_or_else(|e| e.into_inner()).clone()
}

/// Why a policy could not be registered.
#[derive(Debug, thiserror::Error)]
pub enum RegisterError {
    /// Another policy (built-in or registered) already has the name.
    #[error("a {family} named `{name}` already exists; policy names must be unique")]
    NameTaken {
        /// The name.
        name: &'static str,
        /// The family of the policy that has it.
        family: &'static str,
    },
    /// The name is empty or not written like the built-in ones.
    #[error(
        "`{0}` is not a valid policy name: use lowercase letters, digits and '-', starting with \
         a letter"
    )]
    BadName(&'static str),
}

fn register<T: ?Sized>(list: &RwLock<Vec<Entry<T>>>, entry: Entry<T>) -> Result<(), RegisterError> {
    let name = entry.info.name;
    let valid = name.starts_with(|c: char| c.is_ascii_lowercase())
        && name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    if !valid {
        return Err(RegisterError::BadName(name));
    }
    let _registering = REGISTERING.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(other) = find(name) {
        return Err(RegisterError::NameTaken { name, family: other.family.name() });
    }
    list.write().unwrap_or_else(|e| e.into_inner()).push(entry);
    Ok(())
}

/// Adds a queue discipline to the registry, for this process: scenarios may then say
/// `queue = "<P::NAME>"`, and `schedsim`'s listing functions include it.
///
/// # Errors
/// [`RegisterError`] when the name is malformed or already used by any policy.
pub fn register_queue<P: Policy + QueueDiscipline>() -> Result<(), RegisterError> {
    register(&USER_QUEUES, queue::<P>())
}

/// Adds a placement policy to the registry, for this process: scenarios may then say
/// `placement = "<P::NAME>"`.
///
/// # Errors
/// [`RegisterError`] when the name is malformed or already used by any policy.
pub fn register_placement<P: Policy + Placement>() -> Result<(), RegisterError> {
    register(&USER_PLACEMENTS, placement::<P>())
}

/// Adds an admission policy to the registry, for this process: scenarios may then say
/// `admission = "<P::NAME>"`.
///
/// # Errors
/// [`RegisterError`] when the name is malformed or already used by any policy.
pub fn register_admission<P: Policy + Admission>() -> Result<(), RegisterError> {
    register(&USER_ADMISSIONS, admission::<P>())
}

/// Every queue discipline: the built-in ones (add a line here to register a new one), then
/// those registered with [`register_queue`].
pub fn queues() -> Vec<Entry<dyn QueueDiscipline>> {
    let mut entries = vec![
        queue::<Fcfs>(),
        queue::<Sjf>(),
        queue::<PriorityQueue>(),
        queue::<Edf>(),
        queue::<WeightedPriority>(),
        queue::<EasyBackfill>(),
        queue::<ConservativeBackfill>(),
    ];
    entries.extend(user(&USER_QUEUES));
    entries
}

/// Every placement policy: the built-in ones (add a line here to register a new one), then
/// those registered with [`register_placement`].
pub fn placements() -> Vec<Entry<dyn Placement>> {
    let mut entries = vec![
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
    ];
    entries.extend(user(&USER_PLACEMENTS));
    entries
}

/// Every admission policy: the built-in ones (add a line here to register a new one), then
/// those registered with [`register_admission`].
pub fn admissions() -> Vec<Entry<dyn Admission>> {
    let mut entries =
        vec![admission::<Always>(), admission::<LoadThreshold>(), admission::<QueueLimit>()];
    entries.extend(user(&USER_ADMISSIONS));
    entries
}

/// Every policy of every family, queue disciplines first, then placement, then admission,
/// each in registry order.
pub fn all() -> Vec<PolicyInfo> {
    let queues = queues().into_iter().map(|e| e.info);
    let placements = placements().into_iter().map(|e| e.info);
    queues.chain(placements).chain(admissions().into_iter().map(|e| e.info)).collect()
}

/// The policy called `name`, in any family.
pub fn find(name: &str) -> Option<PolicyInfo> {
    all().into_iter().find(|p| p.name == name)
}

/// Parses an example's parameters and builds the policy with them, as a scenario would.
fn example_params(info: &PolicyInfo, params: &str) -> Result<toml::Table, String> {
    toml::from_str(params)
        .map_err(|e| format!("the worked example of `{}` has bad parameters: {e}", info.name))
}

/// The worked example of the policy called `name`: its family's example state, decided by
/// the policy itself, built through the registry with the example's parameters.
///
/// # Errors
/// A message when no policy has the name, or when the example's parameters do not build
/// the policy (a bug in the policy's `example()`).
pub fn worked_example(name: &str) -> Result<(PolicyInfo, Example, Worked), String> {
    if let Some(e) = queues().into_iter().find(|e| e.info.name == name) {
        let Example::Queue(ex) = e.example() else { unreachable!("queue entries hold queues") };
        let policy = e.build(&example_params(&e.info, ex.params)?)?;
        let worked = Worked::queue(&ex, policy.as_ref());
        return Ok((e.info, Example::Queue(ex), worked));
    }
    if let Some(e) = placements().into_iter().find(|e| e.info.name == name) {
        let Example::Placement(ex) = e.example() else { unreachable!("placement entries") };
        let mut policy = e.build(&example_params(&e.info, ex.params)?)?;
        let worked = Worked::placement(&ex, policy.as_mut());
        return Ok((e.info, Example::Placement(ex), worked));
    }
    if let Some(e) = admissions().into_iter().find(|e| e.info.name == name) {
        let Example::Admission(ex) = e.example() else { unreachable!("admission entries") };
        let policy = e.build(&example_params(&e.info, ex.params)?)?;
        let worked = Worked::admission(&ex, policy.as_ref());
        return Ok((e.info, Example::Admission(ex), worked));
    }
    Err(format!("no policy named `{name}`"))
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

/// Builds a queue discipline for a dispatch mode.
///
/// # Errors
/// A message naming the unknown policy (with the closest known name) or the bad parameter,
/// or saying that the discipline makes no sense in `mode`.
pub fn build_queue(spec: &PolicySpec, mode: Mode) -> Result<Box<dyn QueueDiscipline>, String> {
    let (q, info) = build(queues(), spec, Family::Queue)?;
    if !info.modes.contains(&mode) {
        return Err(format!(
            "`{}` books future room on the whole cluster, which only the central queue can do;              set cluster.mode = \"central\", or use fcfs, sjf, priority, edf or              weighted-priority in {mode} mode",
            info.name
        ));
    }
    Ok(q)
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
