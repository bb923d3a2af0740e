//! TODO (importers branch)
use super::{NodeColumns, TraceError};
use std::path::Path;
/// A node row.
pub struct NodeRow {
    /// Name.
    pub name: Option<String>,
    /// Cores.
    pub cpu: f64,
    /// Bytes.
    pub memory: f64,
    /// Count.
    pub count: u32,
    /// Pool.
    pub pool: Option<String>,
    /// Speed.
    pub speed: Option<f64>,
}
/// Reads nodes.
///
/// # Errors
/// Always.
pub fn read_nodes(_path: &Path, _c: &NodeColumns) -> Result<Vec<NodeRow>, TraceError> {
    todo!()
}
