//! Simulated time.

use std::cmp::Ordering;
use std::fmt;

/// A point in simulated time, in seconds since the start of the run.
///
/// A newtype rather than a bare `f64` so that simulated time cannot be mixed up with durations
/// of wall-clock time or with other floating-point quantities, and so that it can be totally
/// ordered (`f64::total_cmp`) and used as a heap key. Times are never NaN: every constructor
/// in the simulator starts from validated, finite scenario values.
#[derive(Clone, Copy, Debug, Default, PartialEq, serde::Serialize)]
pub struct SimTime(f64);

impl SimTime {
    /// The start of every run.
    pub const ZERO: SimTime = SimTime(0.0);

    /// Time `seconds` after the start of the run.
    pub fn from_secs(seconds: f64) -> Self {
        debug_assert!(!seconds.is_nan(), "simulated time must not be NaN");
        // Adding +0.0 turns -0.0 into +0.0: times are ordered by `total_cmp`, which puts
        // -0.0 before 0.0, so a scenario value of `-0.0` would otherwise lie in the past.
        SimTime(seconds + 0.0)
    }

    /// Seconds since the start of the run.
    pub fn secs(self) -> f64 {
        self.0
    }

    /// This time advanced by `seconds`.
    pub fn after(self, seconds: f64) -> Self {
        SimTime::from_secs(self.0 + seconds)
    }

    /// Seconds elapsed from `earlier` to `self`.
    pub fn since(self, earlier: SimTime) -> f64 {
        self.0 - earlier.0
    }
}

impl Eq for SimTime {}

impl PartialOrd for SimTime {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for SimTime {
    fn cmp(&self, other: &Self) -> Ordering {
        self.0.total_cmp(&other.0)
    }
}

impl fmt::Display for SimTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:.3}", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::SimTime;

    #[test]
    fn negative_zero_is_the_start_not_before_it() {
        // Regression (found by the mutation test): an outage `at = -0.0` was ordered before
        // the start of the run and the clock went backwards.
        assert!(SimTime::from_secs(-0.0) >= SimTime::ZERO);
        assert_eq!(SimTime::from_secs(-0.0).secs().to_bits(), 0.0f64.to_bits());
    }
}
