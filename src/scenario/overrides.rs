//! `--set PATH=VALUE`: change any scenario value from the command line.

use std::str::FromStr;

use super::ScenarioError;

/// One override: a dotted path and a TOML value.
///
/// Path segments name table keys; inside an array of tables (`cluster.nodes`, `workflows`,
/// `workflows.X.tasks`, `policies`) a segment names the entry whose `name` it equals, or gives
/// its 0-based index. Values are parsed as TOML (`9.5`, `true`, `"sjf"`,
/// `{ kind = "poisson", rate = 3 }`); anything that is not valid TOML is taken as a string, so
/// `--set policy.queue=sjf` works without quotes.
#[derive(Clone, Debug, PartialEq)]
pub struct Override {
    text: String,
    path: Vec<String>,
    value: toml::Value,
}

impl FromStr for Override {
    type Err = ScenarioError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let err = |message: &str| ScenarioError::Override {
            text: text.to_string(),
            message: message.to_string(),
        };
        let (path, raw) =
            text.split_once('=').ok_or_else(|| err("expected PATH=VALUE, e.g. seed=7"))?;
        let path: Vec<String> = path.trim().split('.').map(|s| s.trim().to_string()).collect();
        if path.iter().any(String::is_empty) {
            return Err(err("the path has an empty segment"));
        }
        let raw = raw.trim();
        let value = toml::from_str::<toml::Table>(&format!("v = {raw}"))
            .ok()
            .and_then(|mut t| t.remove("v"))
            .unwrap_or_else(|| toml::Value::String(raw.to_string()));
        Ok(Override { text: text.to_string(), path, value })
    }
}

impl Override {
    /// Sets `path` (dotted, as on the command line) to `value`.
    pub fn new(path: &str, value: toml::Value) -> Self {
        Override {
            text: format!("{path}={value}"),
            path: path.split('.').map(str::to_string).collect(),
            value,
        }
    }

    /// The override as typed.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Sets the value in a parsed scenario document.
    ///
    /// # Errors
    /// [`ScenarioError::Override`] when an intermediate segment does not exist or names an
    /// array entry that is not there.
    pub fn apply(&self, root: &mut toml::Table) -> Result<(), ScenarioError> {
        let err = |message: String| ScenarioError::Override { text: self.text.clone(), message };
        let (last, parents) = self.path.split_last().expect("paths are never empty");
        let mut table = root;
        let mut walked = String::new();
        let mut segments = parents.iter().peekable();
        while let Some(seg) = segments.next() {
            let here = if walked.is_empty() { seg.clone() } else { format!("{walked}.{seg}") };
            let value = table.entry(seg.clone()).or_insert_with(|| toml::Table::new().into());
            table = match value {
                toml::Value::Table(t) => t,
                toml::Value::Array(items) => {
                    let Some(entry) = segments.next() else {
                        return Err(err(format!(
                            "`{here}` is a list: name an entry, e.g. {here}.NAME.{last}"
                        )));
                    };
                    let names: Vec<String> = items
                        .iter()
                        .filter_map(|i| i.get("name").and_then(|n| n.as_str()).map(str::to_string))
                        .collect();
                    let index = names
                        .iter()
                        .position(|n| n == entry)
                        .or_else(|| entry.parse::<usize>().ok().filter(|&i| i < items.len()));
                    match index.and_then(|i| items[i].as_table_mut()) {
                        Some(t) => t,
                        None => {
                            return Err(err(format!(
                                "`{here}` has no entry named `{entry}` (entries: {})",
                                names.join(", ")
                            )))
                        }
                    }
                }
                other => {
                    return Err(err(format!("`{here}` is a {}, not a table", other.type_str())))
                }
            };
            walked = here;
        }
        table.insert(last.clone(), self.value.clone());
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc() -> toml::Table {
        toml::from_str(
            r#"
            seed = 1
            [cluster]
            [[cluster.nodes]]
            name = "worker"
            count = 2
            [[workflows]]
            name = "order"
            arrival = { kind = "poisson", rate = 1.0 }
            "#,
        )
        .unwrap()
    }

    #[test]
    fn sets_values_by_entry_name() {
        let mut d = doc();
        "cluster.nodes.worker.count=12".parse::<Override>().unwrap().apply(&mut d).unwrap();
        "workflows.order.arrival.rate=9.5".parse::<Override>().unwrap().apply(&mut d).unwrap();
        "policy.queue=sjf".parse::<Override>().unwrap().apply(&mut d).unwrap();
        assert_eq!(d["cluster"]["nodes"][0]["count"].as_integer(), Some(12));
        assert_eq!(d["workflows"][0]["arrival"]["rate"].as_float(), Some(9.5));
        assert_eq!(d["policy"]["queue"].as_str(), Some("sjf"));
    }

    #[test]
    fn names_the_missing_entry() {
        let mut d = doc();
        let e = "cluster.nodes.gpu.count=1".parse::<Override>().unwrap().apply(&mut d);
        let msg = e.unwrap_err().to_string();
        assert!(msg.contains("no entry named `gpu`") && msg.contains("worker"), "{msg}");
        assert!("nonsense".parse::<Override>().is_err());
    }
}
