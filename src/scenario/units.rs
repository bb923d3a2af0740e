//! Memory sizes written as `"512MiB"`, `"8GiB"` or a plain number of bytes.

use std::fmt;

use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A number of bytes. Files accept an integer, or a string with a unit: `B`, `KiB`, `MiB`,
/// `GiB`, `TiB` (powers of 1024) or `KB`, `MB`, `GB`, `TB` (powers of 1000), e.g. `"1.5GiB"`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct Bytes(pub u64);

impl Bytes {
    /// Parses `"512MiB"`-style text.
    pub fn parse(text: &str) -> Result<Bytes, String> {
        let t = text.trim();
        let split = t.find(|c: char| c.is_ascii_alphabetic()).unwrap_or(t.len());
        let (num, unit) = t.split_at(split);
        let value: f64 = num.trim().parse().map_err(|_| {
            format!("`{text}` is not a size: expected a number with a unit, like \"512MiB\"")
        })?;
        let scale: f64 = match unit.trim() {
            "" | "B" => 1.0,
            "KiB" | "Ki" => 1024.0,
            "MiB" | "Mi" => 1024.0 * 1024.0,
            "GiB" | "Gi" => 1024.0 * 1024.0 * 1024.0,
            "TiB" | "Ti" => 1024f64.powi(4),
            "KB" | "kB" | "K" => 1e3,
            "MB" | "M" => 1e6,
            "GB" | "G" => 1e9,
            "TB" | "T" => 1e12,
            other => {
                return Err(format!(
                    "unknown size unit `{other}` in `{text}`: use B, KiB, MiB, GiB, TiB, KB, MB, GB or TB"
                ))
            }
        };
        if !(value.is_finite() && value >= 0.0) {
            return Err(format!("size `{text}` must be zero or more"));
        }
        Ok(Bytes((value * scale).round() as u64))
    }
}

impl fmt::Display for Bytes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const UNITS: [(&str, u64); 4] =
            [("TiB", 1 << 40), ("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)];
        for (name, size) in UNITS {
            if self.0 >= size && self.0.is_multiple_of(size) {
                return write!(f, "{}{name}", self.0 / size);
            }
        }
        write!(f, "{}B", self.0)
    }
}

impl Serialize for Bytes {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_string())
    }
}

impl<'de> Deserialize<'de> for Bytes {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Bytes;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a size in bytes or a string like \"512MiB\"")
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Bytes, E> {
                Ok(Bytes(v))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Bytes, E> {
                u64::try_from(v).map(Bytes).map_err(|_| E::custom("a size must be zero or more"))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Bytes, E> {
                Bytes::parse(&v.to_string()).map_err(E::custom)
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Bytes, E> {
                Bytes::parse(v).map_err(E::custom)
            }
        }
        d.deserialize_any(V)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_binary_and_decimal_units() {
        assert_eq!(Bytes::parse("512MiB").unwrap(), Bytes(512 << 20));
        assert_eq!(Bytes::parse("8GiB").unwrap(), Bytes(8 << 30));
        assert_eq!(Bytes::parse("1.5 GB").unwrap(), Bytes(1_500_000_000));
        assert_eq!(Bytes::parse("100").unwrap(), Bytes(100));
        assert!(Bytes::parse("12 parsecs").unwrap_err().contains("unknown size unit"));
        assert!(Bytes::parse("lots").is_err());
        assert_eq!(Bytes(3 << 30).to_string(), "3GiB");
    }
}
