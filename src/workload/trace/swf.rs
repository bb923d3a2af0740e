//! TODO (importers branch)
use super::TraceError;
use std::path::Path;
/// Header.
pub struct SwfHeader {
    /// Procs.
    pub max_procs: Option<u64>,
    /// Nodes.
    pub max_nodes: Option<u64>,
}
/// Reads the header.
///
/// # Errors
/// Always.
pub fn swf_header(_path: &Path) -> Result<SwfHeader, TraceError> {
    todo!()
}
