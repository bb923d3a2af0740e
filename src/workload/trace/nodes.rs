//! A cluster's nodes from a CSV file (`[cluster.nodes_csv]`), read through a column mapping,
//! [`NodeColumns`]: one row per node, or per kind of node with a `count` column.
//!
//! The first line is a header naming the columns. A row gives `cpu` cores (× `cpu_scale`; a
//! Kubernetes quantity like `3500m` is millicores) and `memory` bytes (× `memory_unit` or
//! `memory_scale`; a cell with its own unit like `64Gi` or `16GiB` is read in it), and
//! optionally `count` (1 when empty), `name`, `pool` (none when empty) and `speed` (the
//! default when empty). Node files are short and written by hand: unlike a trace, a bad
//! value is not repaired but is an error naming its line and column.

use std::path::Path;

use super::{
    column_index, csv_error, memory_factor, open_mapped_csv, parse_cpu, parse_memory,
    positive_scale, NodeColumns, TraceError,
};

/// One row of a node CSV: `count` identical nodes.
#[derive(Clone, Debug, PartialEq)]
pub struct NodeRow {
    /// Name of the node kind; `None` without a name column or with an empty cell.
    pub name: Option<String>,
    /// Cores of each node (above 0).
    pub cpu: f64,
    /// Bytes of memory of each node (0 or more).
    pub memory: f64,
    /// How many such nodes (1 without a count column or with an empty cell).
    pub count: u32,
    /// Pool they belong to.
    pub pool: Option<String>,
    /// Relative speed (above 0); `None`: the default.
    pub speed: Option<f64>,
}

const TABLE: &str = "cluster.nodes_csv.columns";

/// Reads the nodes of `path` (plain or gzipped) through `columns`.
///
/// # Errors
/// The file cannot be read, has no header or no rows, the mapping names a column the header
/// lacks (line 1, listing the header's columns), a row has not as many fields as the header,
/// or a value is out of range (with its line).
pub fn read_nodes(path: &Path, columns: &NodeColumns) -> Result<Vec<NodeRow>, TraceError> {
    let fail = |line, message: String| TraceError::new(path, line, message);
    let cpu_scale = match columns.cpu_scale {
        Some(s) => positive_scale(path, TABLE, "cpu_scale", s)?,
        None => 1.0,
    };
    let memory_factor = memory_factor(path, TABLE, columns.memory_unit, columns.memory_scale)?;
    let (mut csv, header) = open_mapped_csv(path, columns.delimiter)?;
    let read_error = |e| csv_error(path, e);
    let index =
        |key: &str, name: &str| column_index(path, &header, &format!("{TABLE}.{key}"), name);
    let optional =
        |key: &str, name: &Option<String>| name.as_deref().map(|n| index(key, n)).transpose();
    let cpu = index("cpu", &columns.cpu)?;
    let memory = index("memory", &columns.memory)?;
    let count = optional("count", &columns.count)?;
    let name = optional("name", &columns.name)?;
    let pool = optional("pool", &columns.pool)?;
    let speed = optional("speed", &columns.speed)?;
    let mut rows = Vec::new();
    let mut record = csv::StringRecord::new();
    while csv.read_record(&mut record).map_err(read_error)? {
        let line = Some(record.position().map_or(0, |p| p.line()));
        if record.len() != header.len() {
            return Err(fail(
                line,
                format!("the row has {} fields, but the header has {}", record.len(), header.len()),
            ));
        }
        let bad = |column: usize, expected: &str| {
            fail(line, format!("{} is `{}`, expected {expected}", &header[column], &record[column]))
        };
        let text =
            |column: Option<usize>| column.map(|c| record[c].to_string()).filter(|s| !s.is_empty());
        let cores = parse_cpu(&record[cpu], cpu_scale)
            .filter(|&c| c > 0.0)
            .ok_or_else(|| bad(cpu, "a number of cores above 0"))?;
        let bytes = parse_memory(&record[memory], memory_factor)
            .ok_or_else(|| bad(memory, "a size (a number ≥ 0, or with a unit like 64GiB)"))?;
        let count = match count {
            Some(c) if !record[c].is_empty() => record[c]
                .parse::<f64>()
                .ok()
                .filter(|&n| n >= 1.0 && n.fract() == 0.0 && n <= f64::from(u32::MAX))
                .map(|n| n as u32)
                .ok_or_else(|| bad(c, "a whole number of nodes ≥ 1"))?,
            _ => 1,
        };
        let speed = match speed {
            Some(s) if !record[s].is_empty() => Some(
                record[s]
                    .parse::<f64>()
                    .ok()
                    .filter(|&v| v.is_finite() && v > 0.0)
                    .ok_or_else(|| bad(s, "a speed above 0"))?,
            ),
            _ => None,
        };
        rows.push(NodeRow {
            name: text(name),
            cpu: cores,
            memory: bytes,
            count,
            pool: text(pool),
            speed,
        });
    }
    if rows.is_empty() {
        return Err(fail(None, "no node rows below the header".into()));
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workload::trace::tests::test_file as file;
    use crate::workload::trace::MemoryUnit;

    fn columns() -> NodeColumns {
        NodeColumns {
            cpu: "cores".into(),
            memory: "ram".into(),
            memory_unit: Some(MemoryUnit::GiB),
            count: Some("n".into()),
            name: Some("kind".into()),
            pool: Some("pool".into()),
            speed: Some("speed".into()),
            ..NodeColumns::default()
        }
    }

    #[test]
    fn reads_rows() {
        let f = file("kind,cores,ram,n,pool,speed\nbig,64,256,2,gpu,1.5\n,3500m,16Gi,,,\n");
        let rows = read_nodes(f.path(), &columns()).unwrap();
        let gib = 1024f64.powi(3);
        assert_eq!(
            rows,
            vec![
                NodeRow {
                    name: Some("big".into()),
                    cpu: 64.0,
                    memory: 256.0 * gib,
                    count: 2,
                    pool: Some("gpu".into()),
                    speed: Some(1.5),
                },
                NodeRow {
                    name: None,
                    cpu: 3.5,
                    memory: 16.0 * gib,
                    count: 1,
                    pool: None,
                    speed: None
                },
            ]
        );
        let c: NodeColumns = toml::from_str(
            "cpu = \"cores\"\nmemory = \"ram\"\nmemory_unit = \"GiB\"\ncount = \"n\"",
        )
        .unwrap();
        let f = file("cores,ram,n\n4,8,3\n");
        assert_eq!(read_nodes(f.path(), &c).unwrap()[0].count, 3);
    }

    #[test]
    fn errors_name_line_and_column() {
        let f = file("kind,cores,ram,n,pool,speed\nbig,64,256,2,gpu,1.5\nsmall,0,8,1,,\n");
        let e = read_nodes(f.path(), &columns()).unwrap_err();
        assert_eq!(e.line, Some(3));
        assert_eq!(e.message, "cores is `0`, expected a number of cores above 0");
        let f = file("kind,cores,ram,n,pool,speed\nbig,64,256,2.5,gpu,1.5\n");
        assert!(read_nodes(f.path(), &columns()).unwrap_err().message.starts_with("n is `2.5`"));
        let f = file("kind,cores,ram,n,pool,speed\nbig,64,lots,2,gpu,1.5\n");
        assert!(read_nodes(f.path(), &columns()).unwrap_err().message.starts_with("ram is `lots`"));
        let f = file("kind,cpu,ram\nbig,64,256\n");
        let e = read_nodes(f.path(), &columns()).unwrap_err();
        assert_eq!(e.line, Some(1));
        assert_eq!(
            e.message,
            "cluster.nodes_csv.columns.cpu = \"cores\" is not a column of the header, whose \
             columns are: kind, cpu, ram"
        );
        let f = file("kind,cores,ram,n,pool,speed\n");
        assert!(read_nodes(f.path(), &columns()).unwrap_err().message.contains("no node rows"));
        assert!(read_nodes(Path::new("/nonexistent.csv"), &columns()).is_err());
    }
}
