//! What arrives and how much work it brings: arrival processes and distributions.

mod arrival;
mod distribution;
pub mod feed;
mod replay;
pub mod trace;

pub use arrival::ArrivalProcess;
pub use distribution::Distribution;
pub use replay::read_arrival_times;
