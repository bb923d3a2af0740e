//! `--vary PATH=VALUES`: the parameters a sweep walks through.

use std::fmt;
use std::str::FromStr;

/// A scenario path and the values it takes, e.g. `workflows.order.arrival.rate=10..100:10`.
#[derive(Clone, Debug, PartialEq)]
pub struct Vary {
    /// Dotted path, as `--set` takes it.
    pub path: String,
    /// The values, in order.
    pub values: Vec<toml::Value>,
}

/// A `--vary` that cannot be understood.
#[derive(Debug, thiserror::Error)]
#[error("--vary {text}: {message}")]
pub struct VaryError {
    /// The argument as typed.
    pub text: String,
    /// What is wrong and what would be right.
    pub message: String,
}

/// Most values a single `--vary` range may produce (a typo like `0..1e9:1` should not try to
/// build a billion scenarios).
const MAX_VALUES: usize = 100_000;

impl FromStr for Vary {
    type Err = VaryError;

    /// `PATH=1,2,4,8` (a list) or `PATH=START..END:STEP` (a range, END included when the steps
    /// land on it; integers stay integers).
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let err = |message: String| VaryError { text: text.to_string(), message };
        let (path, values) = text.split_once('=').ok_or_else(|| {
            err("expected PATH=VALUES, e.g. workflows.order.arrival.rate=10..100:10".into())
        })?;
        let path = path.trim();
        if path.is_empty() || path.split('.').any(|s| s.trim().is_empty()) {
            return Err(err("the path is empty or has an empty segment".into()));
        }
        let values = values.trim();
        let parsed = if let Some((range, step)) =
            values.split_once(':').filter(|_| values.contains(".."))
        {
            range_values(range, step).map_err(err)?
        } else {
            let items: Vec<&str> = values.split(',').map(str::trim).collect();
            if items.iter().any(|i| i.is_empty()) {
                return Err(err(
                    "a value is empty: write a list like 1,2,4,8 or a range like 10..100:10".into(),
                ));
            }
            items.into_iter().map(parse_value).collect()
        };
        Ok(Vary { path: path.to_string(), values: parsed })
    }
}

fn parse_value(text: &str) -> toml::Value {
    toml::from_str::<toml::Table>(&format!("v = {text}"))
        .ok()
        .and_then(|mut t| t.remove("v"))
        .unwrap_or_else(|| toml::Value::String(text.to_string()))
}

fn range_values(range: &str, step: &str) -> Result<Vec<toml::Value>, String> {
    let (start, end) = range.split_once("..").ok_or("a range is START..END:STEP")?;
    let (start, end, step) = (start.trim(), end.trim(), step.trim());
    let num =
        |s: &str| s.parse::<f64>().map_err(|_| format!("`{s}` is not a number in START..END:STEP"));
    let (a, b, d) = (num(start)?, num(end)?, num(step)?);
    if !(a.is_finite() && b.is_finite() && d.is_finite()) {
        return Err("range bounds and step must be finite numbers".into());
    }
    if d <= 0.0 {
        return Err(format!("the step must be above 0, got {step}"));
    }
    if b < a {
        return Err(format!("the range is empty: {start} is above {end}"));
    }
    let count = ((b - a) / d + 1e-9).floor() as usize + 1;
    if count > MAX_VALUES {
        return Err(format!("the range has {count} values, more than {MAX_VALUES}"));
    }
    let integers = [start, end, step].iter().all(|s| s.parse::<i64>().is_ok());
    Ok((0..count)
        .map(|i| {
            if integers {
                toml::Value::Integer(a as i64 + i as i64 * d as i64)
            } else {
                // Round away the binary noise of a + i·d (0.30000000000000004 → 0.3).
                let x = a + i as f64 * d;
                toml::Value::Float(format!("{x:.12}").parse().unwrap_or(x))
            }
        })
        .collect())
}

impl fmt::Display for Vary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let values: Vec<String> = self.values.iter().map(label).collect();
        write!(f, "{}={}", self.path, values.join(","))
    }
}

/// How a value appears in file columns and tables: strings without quotes.
pub fn label(v: &toml::Value) -> String {
    match v {
        toml::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(text: &str) -> Vec<String> {
        text.parse::<Vary>().unwrap().values.iter().map(label).collect()
    }

    #[test]
    fn lists_and_ranges() {
        assert_eq!(values("a.b=1,2,4,8"), ["1", "2", "4", "8"]);
        assert_eq!(values("a=10..50:10"), ["10", "20", "30", "40", "50"]);
        assert_eq!(values("a=0.1..0.5:0.1"), ["0.1", "0.2", "0.3", "0.4", "0.5"]);
        assert_eq!(values("policy.queue=fcfs,sjf"), ["fcfs", "sjf"]);
    }

    #[test]
    fn bad_ranges_are_refused() {
        for (text, why) in [
            ("a=5..1:1", "empty"),
            ("a=1..5:0", "step must be above 0"),
            ("a=1..x:1", "not a number"),
            ("a", "PATH=VALUES"),
            ("=1,2", "empty"),
            ("a=1,,2", "empty"),
        ] {
            let e = text.parse::<Vary>().unwrap_err().to_string();
            assert!(e.contains(why), "{text}: {e}");
        }
    }
}
