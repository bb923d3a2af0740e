//! Reading scenario files, and errors that point at the file, line and field.

use std::fmt;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::de::{DeTable, DeValue};
use toml::Spanned;

use super::{validate, Override, Scenario};

/// Why a scenario could not be loaded. Every variant names the file.
#[derive(Debug, thiserror::Error)]
pub enum ScenarioError {
    /// The file could not be read.
    #[error("cannot read scenario {}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The operating system's reason.
        source: std::io::Error,
    },
    /// The file is not valid TOML, or a value has the wrong type, or a key is unknown.
    #[error("{}: {message}", at(file, *line, *column))]
    Parse {
        /// The file.
        file: PathBuf,
        /// 1-based line (0 when unknown).
        line: usize,
        /// 1-based column (0 when unknown).
        column: usize,
        /// What is wrong and what would be right.
        message: String,
    },
    /// The file parses but breaks the model's rules.
    #[error("{}", Invalid { file, problems })]
    Invalid {
        /// The file.
        file: PathBuf,
        /// Every problem found, in file order.
        problems: Vec<Problem>,
    },
    /// A `--set PATH=VALUE` override does not apply.
    #[error("--set {text}: {message}")]
    Override {
        /// The override as typed.
        text: String,
        /// What is wrong.
        message: String,
    },
}

/// `file:line:column`, leaving out what is unknown (0).
fn at(file: &Path, line: usize, column: usize) -> String {
    match (line, column) {
        (0, _) => file.display().to_string(),
        (_, 0) => format!("{}:{line}", file.display()),
        _ => format!("{}:{line}:{column}", file.display()),
    }
}

/// One rule a scenario breaks.
#[derive(Clone, Debug, PartialEq)]
pub struct Problem {
    /// Dotted path of the field, naming array entries by their `name`
    /// (`workflows.order.tasks.pay.cpu`), the same syntax `--set` takes.
    pub field: String,
    /// 1-based line of the field (or of its closest enclosing table) in the file.
    pub line: Option<usize>,
    /// What is wrong and what would be right.
    pub message: String,
}

struct Invalid<'a> {
    file: &'a Path,
    problems: &'a [Problem],
}

impl fmt::Display for Invalid<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, p) in self.problems.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            match p.line {
                Some(line) => write!(f, "{}:{line}: ", self.file.display())?,
                None => write!(f, "{}: ", self.file.display())?,
            }
            write!(f, "{}: {}", p.field, p.message)?;
        }
        Ok(())
    }
}

/// One step of a path into the TOML document.
#[derive(Clone, Debug)]
pub(super) enum Seg<'a> {
    Key(&'a str),
    Index(usize),
}

impl Scenario {
    /// Reads, parses and validates a scenario file.
    ///
    /// # Errors
    /// [`ScenarioError`] naming the file, line and field when the file cannot be read, is not
    /// valid TOML, has unknown keys or wrong types, or breaks a rule of the model.
    pub fn load(path: &Path) -> Result<Scenario, ScenarioError> {
        Self::load_with(path, &[])
    }

    /// Like [`Scenario::load`], applying `--set` overrides before validation.
    ///
    /// # Errors
    /// As [`Scenario::load`], plus [`ScenarioError::Override`] for an override whose path does
    /// not exist.
    pub fn load_with(path: &Path, overrides: &[Override]) -> Result<Scenario, ScenarioError> {
        let text = std::fs::read_to_string(path)
            .map_err(|source| ScenarioError::Io { path: path.to_path_buf(), source })?;
        Self::from_toml(&text, path, overrides)
    }

    /// Parses and validates scenario text; `origin` names it in errors and anchors relative
    /// paths.
    ///
    /// # Errors
    /// As [`Scenario::load_with`].
    pub fn from_toml(
        text: &str,
        origin: &Path,
        overrides: &[Override],
    ) -> Result<Scenario, ScenarioError> {
        let parse_error = |e: toml::de::Error, note: &str| {
            let (line, column) = e.span().map(|s| line_col(text, s.start)).unwrap_or((0, 0));
            let context = match (e.span(), DeTable::parse(text)) {
                (Some(span), Ok(doc)) => path_at(&doc, span.start),
                _ => String::new(),
            };
            ScenarioError::Parse {
                file: origin.to_path_buf(),
                line,
                column,
                message: explain(e.message(), &context, note),
            }
        };
        let doc = DeTable::parse(text).map_err(|e| parse_error(e, ""))?;
        let mut scenario: Scenario = if overrides.is_empty() {
            toml::from_str(text).map_err(|e| parse_error(e, ""))?
        } else {
            let mut table: toml::Table = toml::from_str(text).map_err(|e| parse_error(e, ""))?;
            for o in overrides {
                o.apply(&mut table)?;
            }
            Scenario::deserialize(toml::Value::Table(table.clone())).map_err(|e| {
                // A value from --set has no place in the file: find its field in the
                // document re-rendered with the overrides applied.
                let rendered = toml::to_string(&table).unwrap_or_default();
                let context =
                    match (toml::from_str::<Scenario>(&rendered), DeTable::parse(&rendered)) {
                        (Err(e), Ok(doc)) => e.span().map(|s| path_at(&doc, s.start)),
                        _ => None,
                    };
                ScenarioError::Parse {
                    file: origin.to_path_buf(),
                    line: 0,
                    column: 0,
                    message: explain(
                        e.message(),
                        &context.unwrap_or_default(),
                        " (after applying --set overrides)",
                    ),
                }
            })?
        };
        scenario.base_dir = origin.parent().map(Path::to_path_buf).unwrap_or_default();
        let mut problems = validate::check(&mut scenario, &|path| locate(text, &doc, path));
        if problems.is_empty() {
            Ok(scenario)
        } else {
            problems.sort_by_key(|p| p.line.unwrap_or(usize::MAX));
            Err(ScenarioError::Invalid { file: origin.to_path_buf(), problems })
        }
    }
}

/// Rewrites serde's wording for people editing TOML, and suggests the closest valid name for
/// an unknown key or variant.
pub(crate) fn explain(message: &str, context: &str, note: &str) -> String {
    let message = message.trim_end_matches('\n');
    let mut out = message.replacen("unknown field", "unknown key", 1).replacen(
        "missing field",
        "missing key",
        1,
    );
    // serde names Rust types; say what to write instead.
    for (rust, toml) in [
        ("expected f64", "expected a number"),
        ("expected u32", "expected a whole number, 0 or more"),
        ("expected u64", "expected a whole number, 0 or more"),
        ("expected a sequence", "expected a list like [\"a\", \"b\"]"),
        ("expected a map", "expected a table"),
    ] {
        if let Some(head) = out.strip_suffix(rust) {
            out = format!("{head}{toml}");
        }
    }
    if !context.is_empty() {
        out = format!("{context}: {out}");
    }
    if let Some(suggestion) = suggest(message) {
        out.push_str(&format!(" — did you mean `{suggestion}`?"));
    }
    out.push_str(note);
    out
}

/// From `unknown field \`x\`, expected one of \`a\`, \`b\`` picks the valid name closest to x.
fn suggest(message: &str) -> Option<String> {
    let rest = message
        .strip_prefix("unknown field `")
        .or_else(|| message.strip_prefix("unknown variant `"))?;
    let (unknown, expected) = rest.split_once('`')?;
    let candidates: Vec<&str> = expected.split('`').skip(1).step_by(2).collect();
    closest(unknown, candidates.iter().copied())
}

/// The candidate most similar to `word`, if any is similar enough to be a likely typo
/// (Jaro–Winkler similarity above 0.7). Used for "did you mean" hints.
pub fn closest<'a>(word: &str, candidates: impl Iterator<Item = &'a str>) -> Option<String> {
    candidates
        .map(|c| (strsim::jaro_winkler(word, c), c))
        .filter(|(score, _)| *score > 0.7)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c.to_string())
}

/// 1-based (line, column) of a byte offset.
fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

/// 1-based line of the deepest part of `path` present in `doc` (so a missing key is reported
/// at its table).
fn locate(text: &str, doc: &Spanned<DeTable<'_>>, path: &[Seg<'_>]) -> Option<usize> {
    let mut value: Option<&DeValue<'_>> = None;
    let mut table = Some(doc.get_ref());
    let mut offset = None;
    for seg in path {
        let next = match (seg, table, value) {
            (Seg::Key(k), Some(t), _) => t.get(*k),
            (Seg::Index(i), _, Some(DeValue::Array(a))) => a.get(*i),
            _ => None,
        };
        let Some(next) = next else { break };
        offset = Some(next.span().start);
        value = Some(next.get_ref());
        table = next.get_ref().as_table();
    }
    offset.map(|o| line_col(text, o).0)
}

/// The dotted path of the innermost key or value spanning `offset`, naming array entries by
/// their `name` key. An offset on a key (an unknown key) gives the path of its table. Empty at
/// top level.
fn path_at(doc: &Spanned<DeTable<'_>>, offset: usize) -> String {
    let mut parts: Vec<String> = Vec::new();
    find_path(doc.get_ref(), offset, &mut parts);
    parts.join(".")
}

/// Depth-first search for [`path_at`]: every table is searched, because the span of a
/// `[header]` table covers only its header line, not the keys below it.
fn find_path(table: &DeTable<'_>, offset: usize, parts: &mut Vec<String>) -> bool {
    let inside = |s: std::ops::Range<usize>| s.start <= offset && offset < s.end.max(s.start + 1);
    for (key, value) in table.iter() {
        let (key_span, value_span) = (key.span(), value.span());
        // The key of a `[header]` table lies inside its value's span: that is not the key.
        let in_header = value_span.start <= key_span.start && key_span.end <= value_span.end;
        if inside(key_span) && !in_header {
            return true;
        }
        parts.push(key.get_ref().to_string());
        let found = match value.get_ref() {
            DeValue::Table(t) => find_path(t, offset, parts),
            DeValue::Array(items) => items.iter().enumerate().any(|(i, item)| {
                let DeValue::Table(t) = item.get_ref() else { return inside(item.span()) };
                let name = t.get("name").and_then(|n| n.get_ref().as_str());
                parts.push(name.map_or_else(|| i.to_string(), str::to_string));
                let found = find_path(t, offset, parts) || inside(item.span());
                if !found {
                    parts.pop();
                }
                found
            }),
            _ => false,
        };
        if found || inside(value_span) {
            return true;
        }
        parts.pop();
    }
    false
}
