//! Policies: what waits (queue discipline), where it runs (placement) and what is turned away
//! (admission).
//!
//! A policy decides; the engine acts. Each trait method gets a read-only view and returns a
//! decision, so every policy is a few lines a student can read in one sitting. To add one,
//! write a small type implementing [`Policy`] and the family's trait in its own file, and add
//! one line to the family's list in `registry.rs`; from outside the crate, call
//! [`register_placement`] (or [`register_queue`], [`register_admission`]) before loading the
//! scenario that names it (see `docs/writing-a-policy.md`).
//!
//! `schedsim policies NAME` explains a policy from what it declares here ([`Policy::RULE`],
//! [`Policy::ABOUT`], [`Policy::PARAMS`], [`Policy::MODES`]) and shows it deciding on the small
//! state of its family trait's `example()` ([`example`]), so the text cannot drift from the
//! code.

pub mod admission;
pub mod example;
pub mod placement;
pub mod queue;
mod registry;

use serde::de::DeserializeOwned;

pub use example::{AdmissionExample, Example, PlacementExample, QueueExample, Worked};
pub use registry::{
    admissions, all, build_admission, build_placement, build_queue, find, placements, queues,
    register_admission, register_placement, register_queue, worked_example, Entry, Family,
    PolicyInfo, RegisterError,
};

use crate::engine::SimRng;
use crate::model::{ClusterView, NodeId};
use crate::scenario::Mode;

/// What a policy needs to know to register itself.
pub trait Policy: Sized + 'static {
    /// Registry name, as written in scenario files.
    const NAME: &'static str;
    /// The rule in one formula or sentence (shown by `schedsim policies`).
    const RULE: &'static str;
    /// What it does and why one would choose it, a few sentences for `schedsim policies NAME`
    /// (empty: only the rule is shown).
    const ABOUT: &'static str = "";
    /// Its parameters, with defaults and meaning (empty when there are none). They must match
    /// [`Policy::Params`]; the tests build every policy from these defaults.
    const PARAMS: &'static [Param] = &[];
    /// Dispatch modes in which the rule makes sense.
    const MODES: &'static [Mode] = &[Mode::Central, Mode::PerNode];
    /// Parameters as written in the scenario (`{ kind = "...", key = value }`).
    type Params: DeserializeOwned;
    /// Builds the policy from its parameters.
    fn new(params: Self::Params) -> Self;
}

/// One parameter of a policy, as `schedsim policies` shows it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Param {
    /// Key in `{ kind = "...", key = value }`.
    pub name: &'static str,
    /// Default value as TOML text (`"false"`, `"{ cpu = 1.0, memory = 1.0 }"`); `None` when
    /// the parameter is required.
    pub default: Option<&'static str>,
    /// What it means, with units.
    pub meaning: &'static str,
}

impl Param {
    /// `name = default`, or `name (required)`.
    pub fn signature(&self) -> String {
        match self.default {
            Some(d) => format!("{} = {d}", self.name),
            None => format!("{} (required)", self.name),
        }
    }
}

/// A task as policies see it.
#[derive(Clone, Copy, Debug)]
pub struct TaskView {
    /// Index of the workflow class.
    pub class: usize,
    /// Priority of the workflow class (higher is more important).
    pub priority: f64,
    /// When the workflow arrived (seconds).
    pub arrival: f64,
    /// When the task became ready (seconds).
    pub ready_at: f64,
    /// Absolute deadline of the workflow (seconds), `f64::INFINITY` without one.
    pub deadline: f64,
    /// The task's work estimate (seconds at speed 1): its `work_estimate` draw, a trace's
    /// recorded estimate, or else the mean of its work distribution.
    pub expected_work: f64,
    /// The work actually sampled for this task (what an oracle would know).
    pub work: f64,
    /// Requested CPU in millicores (1000 = one core).
    pub cpu: u64,
    /// Requested memory in bytes.
    pub memory: u64,
}

/// A queue discipline orders waiting tasks.
pub trait QueueDiscipline: Send {
    /// The task's rank: lower ranks are served first; equal ranks in the order the tasks were
    /// queued (FCFS). Computed once, when the task joins the queue.
    fn rank(&self, task: &TaskView) -> f64;

    /// Whether the central walk books future resources for tasks that cannot start now
    /// (backfilling with reservations, by the tasks' work estimates). The default,
    /// [`Reservations::None`], leaves it to the cluster's `backfill` switch.
    fn reservations(&self) -> Reservations {
        Reservations::None
    }

    /// The queue on which `schedsim policies NAME` shows the rule at work. The default — four
    /// tasks that differ in class priority, deadline, expected and true work — suits most
    /// disciplines; override it to give parameters or a queue that shows what is special.
    fn example() -> QueueExample
    where
        Self: Sized,
    {
        QueueExample::standard()
    }
}

/// Which waiting tasks the central walk gives a reservation: the earliest time (and node) at
/// which enough CPU and memory will be free for them, judged by the running and reserved
/// tasks' work estimates. A task behind them starts now only if it delays none of them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reservations {
    /// None: the cluster's `backfill` switch decides whether a task that cannot start
    /// blocks those behind it.
    None,
    /// The first task that cannot start (EASY backfilling).
    Head,
    /// Every task that cannot start, in queue order (conservative backfilling).
    All,
}

/// A placement policy picks a node for a task.
pub trait Placement: Send {
    /// Picks one of `candidates` (never empty, in node order).
    ///
    /// In central mode the candidates are the nodes of the task's pool where it fits now; in
    /// per-node mode, those big enough to ever hold it (the task joins the node's queue).
    /// Returning `None` leaves the task waiting in the central queue.
    fn select(
        &mut self,
        task: &TaskView,
        cluster: &ClusterView<'_>,
        candidates: &[NodeId],
        rng: &mut SimRng,
    ) -> Option<NodeId>;

    /// The order in which the rule ranks nodes, when a node's rank depends only on its own
    /// load and capacity (see [`placement::NodeOrder`]). Declaring it lets the engine keep
    /// a large pool's nodes sorted and offer `select` only the best node of each capacity
    /// instead of every node, so a decision costs O(log N). The default, `None`, always
    /// offers every candidate.
    fn order(&self) -> Option<placement::NodeOrder> {
        None
    }

    /// The cluster on which `schedsim policies NAME` shows the rule at work. The default is
    /// three equal nodes loaded 0.10, 0.20 and 0.15 (the load rules' textbook case); override
    /// it to show what makes a rule different (sizes, speeds, parameters).
    fn example() -> PlacementExample
    where
        Self: Sized,
    {
        PlacementExample::standard()
    }
}

/// What admission control sees when a workflow arrives.
#[derive(Clone, Copy, Debug)]
pub struct AdmissionView {
    /// Average weighted load (Σ wᵢ·Lᵢ / N) right now.
    pub weighted_load: f64,
    /// Tasks waiting in queues (the central queue plus every node queue).
    pub waiting_tasks: u64,
    /// Workflows admitted and not yet finished.
    pub in_flight: u64,
}

/// Why a workflow was turned away.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RejectReason {
    /// Admission control refused it (e.g. the load was at or above the threshold).
    Admission,
    /// The queues were full (`queue-limit`).
    QueueFull,
    /// A task of the workflow fits on no node (a replayed job bigger than the cluster). Set
    /// by the simulator, never by an admission policy.
    Unschedulable,
}

/// An admission policy admits or rejects each arriving workflow.
pub trait Admission: Send {
    /// `None` admits; `Some(reason)` rejects.
    fn reject(&self, state: &AdmissionView) -> Option<RejectReason>;

    /// The arrivals on which `schedsim policies NAME` shows the rule at work: by default four
    /// moments of rising load and queue length; override it to give parameters.
    fn example() -> AdmissionExample
    where
        Self: Sized,
    {
        AdmissionExample::standard()
    }
}

/// Parameters for policies that take none (any key is an error).
#[derive(Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NoParams {}
