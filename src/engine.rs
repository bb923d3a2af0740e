//! The discrete-event engine: simulated time, the event queue and the seeded random streams.
//!
//! Nothing here knows about nodes or workflows; `sim` builds the scheduler on top.

mod queue;
mod random;
mod time;

pub use queue::EventQueue;
pub use random::{Purpose, SimRng, Streams};
pub use time::SimTime;
