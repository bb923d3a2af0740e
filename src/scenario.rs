//! Scenario files: the serde types, loading with located errors, `--set` overrides and
//! validation.
//!
//! A scenario is TOML. [`Scenario::load`] reads a file, applies overrides, checks every rule and
//! returns either a scenario the simulator can trust or an error that names the file, line and
//! field and says what would be right.

mod load;
mod overrides;
mod types;
mod units;
mod validate;

pub(crate) use load::explain;
pub use load::{closest, Problem, ScenarioError};
pub use overrides::Override;
pub use types::*;
pub use units::Bytes;
pub use validate::MAX_SAMPLE_VALUES;
