//! Queue disciplines: the order in which waiting tasks are served.

mod edf;
mod fcfs;
mod priority;
mod sjf;
mod weighted_priority;

pub use edf::Edf;
pub use fcfs::Fcfs;
pub use priority::PriorityQueue;
pub use sjf::Sjf;
pub use weighted_priority::WeightedPriority;
