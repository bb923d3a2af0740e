//! Policies: what waits (queue discipline), where it runs (placement) and what is turned away
//! (admission).
//!
//! A policy decides; the engine acts. Each trait method gets a read-only view and returns a
//! decision, so every policy is a few lines a student can read in one sitting. To add one,
//! write a small type implementing [`Policy`] and the family's trait in its own file, and add
//! one line to the family's list in `registry.rs`.

pub mod admission;
pub mod placement;
pub mod queue;
mod registry;

use serde::de::DeserializeOwned;

pub use registry::{
    admissions, build_admission, build_placement, build_queue, placements, queues, Entry, Family,
    PolicyInfo,
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
    /// Parameters and their defaults, for people (empty when there are none).
    const PARAMS: &'static str = "";
    /// Dispatch modes in which the rule makes sense.
    const MODES: &'static [Mode] = &[Mode::Central, Mode::PerNode];
    /// Parameters as written in the scenario (`{ kind = "...", key = value }`).
    type Params: DeserializeOwned;
    /// Builds the policy from its parameters.
    fn new(params: Self::Params) -> Self;
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
    /// Mean of the task's work distribution (seconds at speed 1).
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
}

/// An admission policy admits or rejects each arriving workflow.
pub trait Admission: Send {
    /// `None` admits; `Some(reason)` rejects.
    fn reject(&self, state: &AdmissionView) -> Option<RejectReason>;
}

/// Parameters for policies that take none (any key is an error).
#[derive(Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NoParams {}
