use crate::policy::{NoParams, Policy, QueueDiscipline, Reservations, TaskView};
use crate::scenario::Mode;

/// Conservative backfilling (Mu'alem and Feitelson): serve in FCFS order; every waiting task,
/// in that order, gets the earliest reservation (time and node) that fits around the running
/// tasks and the reservations before it, judged by work estimates; a task starts now when its
/// reservation is now.
///
/// Reservations are computed afresh whenever the queue is walked, so a task that finishes
/// before its estimate lets every later reservation move earlier.
pub struct ConservativeBackfill;

impl Policy for ConservativeBackfill {
    const NAME: &'static str = "conservative-backfill";
    const RULE: &'static str = "FCFS; every waiting task in turn gets the earliest reservation \
                                that delays no task before it (by estimates); it starts when its \
                                reservation is now";
    const ABOUT: &'static str =
        "Where EASY protects only the head of the line, conservative backfilling gives every \
         waiting task a start time no later task may delay. Predictable (a user can be told \
         when the job will start) and fair to wide jobs, at the price of fewer backfilling \
         chances than EASY, so the mean wait is usually a little higher. Needs work estimates \
         (`work_estimate`, or a trace's requested time); central mode only.";
    const MODES: &'static [Mode] = &[Mode::Central];
    type Params = NoParams;
    fn new(_: NoParams) -> Self {
        ConservativeBackfill
    }
}

impl QueueDiscipline for ConservativeBackfill {
    fn rank(&self, _task: &TaskView) -> f64 {
        0.0
    }

    fn reservations(&self) -> Reservations {
        Reservations::All
    }
}
