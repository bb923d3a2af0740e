//! Queue disciplines: the order in which waiting tasks are served.

mod conservative_backfill;
mod easy_backfill;
mod edf;
mod fcfs;
mod priority;
mod sjf;
mod weighted_priority;

pub use conservative_backfill::ConservativeBackfill;
pub use easy_backfill::EasyBackfill;
pub use edf::Edf;
pub use fcfs::Fcfs;
pub use priority::PriorityQueue;
pub use sjf::Sjf;
pub use weighted_priority::WeightedPriority;
