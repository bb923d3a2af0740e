use crate::policy::{NoParams, Policy, QueueDiscipline, Reservations, TaskView};
use crate::scenario::Mode;

/// EASY backfilling (Lifka's Argonne scheduler, the default of Slurm and most HPC batch
/// systems): serve in FCFS order; when the first waiting task cannot start, it gets a
/// reservation at the earliest time enough CPU and memory free up on some node (judging running
/// tasks by their work estimates); a later task starts now if it fits and does not delay that
/// reservation.
///
/// The engine keeps the reservation (`sim/backfill.rs`); this discipline only asks for it.
/// With exact estimates the head task starts no later than its reservation; with estimates
/// that are too long (the usual case for user-given limits) it may start earlier.
pub struct EasyBackfill;

impl Policy for EasyBackfill {
    const NAME: &'static str = "easy-backfill";
    const RULE: &'static str = "FCFS; the first task that cannot start gets a reservation at \
                                the earliest time it fits (by estimates); later tasks start now \
                                if they fit and do not delay it";
    const ABOUT: &'static str =
        "Keeps FCFS's promise to the task at the head of the line only: it is guaranteed a \
         start time, and anything behind it may jump ahead to fill the holes, as long as it \
         will be done (by its estimate) before the head needs the room, or uses room the head \
         does not need. Large jobs are not starved, small ones flow through the gaps, and \
         utilization rises well above plain FCFS. Needs work estimates (`work_estimate`, or a \
         trace's requested time); central mode only.";
    const MODES: &'static [Mode] = &[Mode::Central];
    type Params = NoParams;
    fn new(_: NoParams) -> Self {
        EasyBackfill
    }
}

impl QueueDiscipline for EasyBackfill {
    fn rank(&self, _task: &TaskView) -> f64 {
        0.0
    }

    fn reservations(&self) -> Reservations {
        Reservations::Head
    }
}
