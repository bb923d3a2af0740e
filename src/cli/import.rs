//! `schedsim import`: a recorded trace converted to schedsim's own trace CSV.

use std::io::{BufWriter, Write};
use std::path::Path;

use anyhow::{Context, Result};
use schedsim::scenario::{Bytes, Window};
use schedsim::workload::trace::{self, native::NativeWriter, CsvColumns, ImportOptions};

use super::args::ImportArgs;
use super::{outln, InputError};

/// Reads FILE in its format, writes every job (inside `--window`) to OUT as schedsim trace
/// CSV, and prints how many jobs, tasks and instances it holds and what was repaired. OUT is
/// written whole or not at all (a temporary file renamed at the end).
pub fn import(a: ImportArgs) -> Result<()> {
    let options = ImportOptions {
        node_memory: match &a.node_memory {
            Some(text) => Some(Bytes::parse(text).map_err(InputError)?.0 as f64),
            None => None,
        },
        columns: columns(&a.map)?,
    };
    let window = match &a.window {
        Some(w) => Some(window(w)?),
        None => None,
    };
    let mut stream =
        trace::open(a.format, &a.file, &options).map_err(|e| InputError(e.to_string()))?;
    let dir = a.out.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let tmp = tempfile::NamedTempFile::new_in(dir)
        .with_context(|| format!("cannot write in {}", dir.display()))?;
    let mut writer = NativeWriter::new(BufWriter::new(tmp));
    let (mut jobs, mut tasks, mut instances) = (0u64, 0u64, 0u64);
    for job in stream.by_ref() {
        let job = job.map_err(|e| InputError(e.to_string()))?;
        if let Some(w) = window {
            if job.arrival < w.start {
                continue;
            }
            if job.arrival >= w.end {
                break;
            }
        }
        jobs += 1;
        tasks += job.tasks.len() as u64;
        instances += job.tasks.iter().map(|t| u64::from(t.instances)).sum::<u64>();
        writer.write(&job).with_context(|| format!("cannot write {}", a.out.display()))?;
    }
    let tmp = writer
        .finish()
        .and_then(|w| w.into_inner().map_err(|e| e.into_error()))
        .with_context(|| format!("cannot write {}", a.out.display()))?;
    // A temporary file is private (0600); a converted trace is for sharing, like any new file.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::Permissions::from_mode(0o644);
        tmp.as_file()
            .set_permissions(mode)
            .with_context(|| format!("cannot write {}", a.out.display()))?;
    }
    tmp.as_file().sync_all().with_context(|| format!("cannot write {}", a.out.display()))?;
    tmp.persist(&a.out).with_context(|| format!("cannot write {}", a.out.display()))?;
    outln!(
        "{}: {jobs} jobs, {tasks} tasks, {instances} task instances -> {}",
        a.file.display(),
        a.out.display()
    )?;
    let report = stream.report();
    if report.counts.is_empty() {
        outln!("nothing repaired or skipped")?;
    } else {
        outln!("repaired or skipped (rule: count):")?;
        for (rule, count) in &report.counts {
            outln!("  {rule}: {count}")?;
        }
    }
    std::io::stdout().flush()?;
    Ok(())
}

/// `--map KEY=VALUE` pairs as a `[trace.columns]` table: a value that reads as a TOML number
/// or boolean is one, anything else a column name.
fn columns(pairs: &[String]) -> Result<Option<CsvColumns>> {
    if pairs.is_empty() {
        return Ok(None);
    }
    let mut table = toml::Table::new();
    for pair in pairs {
        let (key, value) = pair.split_once('=').ok_or_else(|| {
            InputError(format!("--map {pair}: expected KEY=VALUE, e.g. --map arrival=created"))
        })?;
        let value = match value.parse::<f64>() {
            Ok(x) => toml::Value::Float(x),
            Err(_) => match value {
                "true" | "false" => toml::Value::Boolean(value == "true"),
                _ => toml::Value::String(value.to_string()),
            },
        };
        table.insert(key.trim().to_string(), value);
    }
    let columns = CsvColumns::deserialize(toml::Value::Table(table))
        .map_err(|e| InputError(format!("--map: {}", e.message())))?;
    Ok(Some(columns))
}

/// `START,END` in trace seconds.
fn window(text: &str) -> Result<Window> {
    let bad =
        || InputError(format!("--window {text}: expected START,END in trace seconds, START < END"));
    let (start, end) = text.split_once(',').ok_or_else(bad)?;
    let (start, end): (f64, f64) =
        (start.trim().parse().map_err(|_| bad())?, end.trim().parse().map_err(|_| bad())?);
    if !(start.is_finite() && end.is_finite() && start < end) {
        return Err(bad().into());
    }
    Ok(Window { start, end })
}

use serde::Deserialize as _;
