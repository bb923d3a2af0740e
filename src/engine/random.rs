//! Seeded random streams, one per purpose.
//!
//! The generator is PCG-64 MCG (`rand_pcg::Pcg64Mcg`), a documented algorithm whose output for a
//! given state never changes between releases or machines. Each purpose (arrivals of a class,
//! work of a class, branch choices, policy tie-breaks, ...) gets its own stream derived from the
//! run seed, so that changing the policy never changes the arrivals or the work: policies
//! compared under one seed see exactly the same workload (common random numbers).

use rand_pcg::Pcg64Mcg;

/// The random generator every stream uses.
pub type SimRng = Pcg64Mcg;

/// What a random stream is used for. Part of the stream's seed derivation, so the numbering
/// must never change (append new purposes at the end).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Purpose {
    /// Inter-arrival times of one workflow class.
    Arrivals = 1,
    /// Sampled work of the tasks of one workflow class.
    Work = 2,
    /// Conditional-branch choices of one workflow class.
    Branch = 3,
    /// Random choices made by policies (random placement, power-of-two, ...).
    Policy = 4,
    /// Up and down times of one node (random node failures).
    Failure = 5,
    /// Whether an attempt of a task fails, and where (keyed by workflow, task and attempt).
    TaskFailure = 6,
    /// Work of compensation steps (keyed by workflow and task).
    Compensation = 7,
    /// Work estimates of the tasks of one workflow class (`work_estimate`).
    Estimate = 8,
}

/// Derives independent streams from one run seed.
#[derive(Clone, Copy, Debug)]
pub struct Streams {
    seed: u64,
}

impl Streams {
    /// Streams for the run with this seed.
    pub fn new(seed: u64) -> Self {
        Streams { seed }
    }

    /// The stream for `purpose`, number `index` (e.g. the workflow class index).
    ///
    /// The 128-bit state is built by SplitMix64 from (seed, purpose, index), so nearby seeds
    /// and indices still give unrelated streams.
    pub fn stream(&self, purpose: Purpose, index: u64) -> SimRng {
        let mut state = splitmix64(self.seed ^ splitmix64(purpose as u64));
        state = splitmix64(state ^ splitmix64(index.wrapping_add(0x5851_F42D_4C95_7F2D)));
        let hi = splitmix64(state);
        let lo = splitmix64(hi ^ 0xDA94_2042_E4DD_58B5);
        Pcg64Mcg::new(((hi as u128) << 64) | lo as u128)
    }
}

impl Streams {
    /// A stream for one event identified by `key` (e.g. workflow number, task, attempt).
    ///
    /// Keyed streams make a draw depend on *what* it is for, not on how many draws came
    /// before: a workflow's third attempt at a task fails or not whatever the policy did
    /// before it, so policies compared under one seed see the same failures.
    pub fn keyed(&self, purpose: Purpose, key: [u64; 3]) -> SimRng {
        let index = key.iter().fold(0x2545_F491_4F6C_DD1D, |h, &k| splitmix64(h ^ k));
        self.stream(purpose, index)
    }
}

/// One step of SplitMix64 (Steele, Lea, Flood 2014): a bijective 64-bit mixer.
fn splitmix64(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::Rng;

    #[test]
    fn streams_are_reproducible_and_distinct() {
        let s = Streams::new(42);
        let a: u64 = s.stream(Purpose::Arrivals, 0).random();
        let b: u64 = s.stream(Purpose::Arrivals, 0).random();
        let c: u64 = s.stream(Purpose::Arrivals, 1).random();
        let d: u64 = s.stream(Purpose::Work, 0).random();
        assert_eq!(a, b);
        assert_ne!(a, c);
        assert_ne!(a, d);
    }

    #[test]
    fn stream_output_is_pinned() {
        // Guards portability: if this changes, every published result changes with it.
        let x: u64 = Streams::new(1).stream(Purpose::Arrivals, 0).random();
        assert_eq!(x, PINNED);
    }
    const PINNED: u64 = 7453058752643882481;
}
