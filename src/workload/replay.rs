//! Reading recorded arrival times.

use std::path::Path;

/// Reads arrival times (seconds) from a CSV file: the `time` column when the file has a header
/// naming one, otherwise the first column. Returns them sorted.
///
/// # Errors
/// A message naming the file and line when it cannot be read or a value is not a time ≥ 0.
pub fn read_arrival_times(path: &Path) -> Result<Vec<f64>, String> {
    let shown = path.display();
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .trim(csv::Trim::All)
        .comment(Some(b'#'))
        .from_path(path)
        .map_err(|e| format!("cannot read arrival times from {shown}: {e}"))?;
    let mut column = 0;
    let mut times = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let record = record.map_err(|e| format!("{shown}: {e}"))?;
        let line = record.position().map_or(i as u64 + 1, |p| p.line());
        let field = record.get(column).unwrap_or("");
        match field.parse::<f64>() {
            Ok(t) if t.is_finite() && t >= 0.0 => times.push(t),
            Ok(t) => return Err(format!("{shown}:{line}: arrival time {t} must be 0 or more")),
            Err(_) if i == 0 => {
                // A header: use its `time` column if it has one.
                column = record.iter().position(|h| h.eq_ignore_ascii_case("time")).unwrap_or(0);
            }
            Err(_) => {
                return Err(format!("{shown}:{line}: `{field}` is not a time in seconds"));
            }
        }
    }
    if times.is_empty() {
        return Err(format!("{shown} holds no arrival times"));
    }
    times.sort_by(f64::total_cmp);
    Ok(times)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn reads_header_and_plain_files() {
        let mut f = tempfile::NamedTempFile::new().unwrap();
        writeln!(f, "id,time\na,2.5\nb,1.0").unwrap();
        assert_eq!(read_arrival_times(f.path()).unwrap(), vec![1.0, 2.5]);
        let mut g = tempfile::NamedTempFile::new().unwrap();
        writeln!(g, "3\n1\n2").unwrap();
        assert_eq!(read_arrival_times(g.path()).unwrap(), vec![1.0, 2.0, 3.0]);
        let mut h = tempfile::NamedTempFile::new().unwrap();
        writeln!(h, "time\n1\nsoon").unwrap();
        let e = read_arrival_times(h.path()).unwrap_err();
        assert!(e.contains(":3:") && e.contains("soon"), "{e}");
    }
}
