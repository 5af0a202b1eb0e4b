//! Reading OpenAPI documents and overlays as they are published: strict JSON, JSON with
//! trailing commas and single-quoted strings, or YAML.
//!
//! A document that starts with `{` is JSON: strict JSON goes through serde_json (fast), and
//! anything else through a JSON5 parser, which accepts the trailing commas and single-quoted
//! strings that hand-edited JSON collects and still rejects real mistakes. (YAML would also
//! accept such files, but it reads many broken JSON documents as valid YAML with another
//! meaning, `[1 2]` as a string, so it is kept for YAML.) Both parsers report the line and
//! column of whatever they cannot read.

use std::fmt;
use std::path::Path;

use serde_json::{Map, Value};

/// A document that could not be read, located in its file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadError {
    /// The file as the user named it.
    pub file: String,
    /// 1-based line of the problem, when the parser knows it.
    pub line: Option<usize>,
    /// 1-based column of the problem, when the parser knows it.
    pub column: Option<usize>,
    /// What is wrong there.
    pub message: String,
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.line, self.column) {
            (Some(line), Some(column)) => {
                write!(f, "{}:{}:{}: {}", self.file, line, column, self.message)
            }
            _ => write!(f, "{}: {}", self.file, self.message),
        }
    }
}

impl std::error::Error for LoadError {}

/// Reads a file from disk and parses it; see [`parse_document`].
pub fn read_document(path: &Path) -> Result<(Vec<u8>, Value), LoadError> {
    let file = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|err| LoadError {
        file: file.clone(),
        line: None,
        column: None,
        message: format!("cannot read the file: {err}"),
    })?;
    let value = parse_document(&file, &bytes)?;
    Ok((bytes, value))
}

/// Parses JSON, relaxed JSON or YAML into a JSON value. `file` only names the input in errors.
pub fn parse_document(file: &str, bytes: &[u8]) -> Result<Value, LoadError> {
    let located = |message: String, location: Option<(usize, usize)>| LoadError {
        file: file.to_string(),
        line: location.map(|(line, _)| line),
        column: location.map(|(_, column)| column),
        message,
    };
    // Strict JSON is by far the most common input and serde_json reads it several times faster.
    if let Ok(value) = serde_json::from_slice::<Value>(bytes) {
        return Ok(value);
    }
    let text = std::str::from_utf8(bytes).map_err(|err| {
        let (line, column) = line_and_column(bytes, err.valid_up_to());
        located(format!("not valid UTF-8: {err}"), Some((line, column)))
    })?;
    if text.trim().is_empty() {
        return Err(located("the document is empty".to_string(), None));
    }
    if text.trim_start().starts_with('{') {
        return json5::from_str::<Value>(text).map_err(|err| match err.position() {
            Some(at) => {
                let message = err.to_string();
                let message = message.strip_suffix(&format!(" at {at}")).unwrap_or(&message).to_string();
                located(message, Some((at.line + 1, at.column + 1)))
            }
            None => located(err.to_string(), None),
        });
    }
    let yaml: serde_norway::Value = serde_norway::from_str(text).map_err(|err| {
        let location = err.location().map(|at| (at.line(), at.column()));
        located(strip_location_suffix(&err.to_string()), location)
    })?;
    let value = yaml_to_json(yaml).map_err(|message| located(message, None))?;
    if !value.is_object() {
        return Err(located(
            "the document is not a mapping of fields (an OpenAPI document or overlay is an object)".to_string(),
            Some((1, 1)),
        ));
    }
    Ok(value)
}

fn line_and_column(bytes: &[u8], offset: usize) -> (usize, usize) {
    let before = &bytes[..offset.min(bytes.len())];
    let line = before.iter().filter(|b| **b == b'\n').count() + 1;
    let column = before.iter().rev().take_while(|b| **b != b'\n').count() + 1;
    (line, column)
}

/// The YAML parser appends " at line L column C" to its messages; we print the location ourselves.
fn strip_location_suffix(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(index) => message[..index].to_string(),
        None => message.to_string(),
    }
}

/// Converts YAML to JSON. YAML allows non-string keys (`200:` for a response code), which JSON
/// and OpenAPI treat as strings.
fn yaml_to_json(yaml: serde_norway::Value) -> Result<Value, String> {
    use serde_norway::Value as Yaml;
    Ok(match yaml {
        Yaml::Null => Value::Null,
        Yaml::Bool(b) => Value::Bool(b),
        Yaml::Number(n) => {
            if let Some(i) = n.as_i64() {
                Value::from(i)
            } else if let Some(u) = n.as_u64() {
                Value::from(u)
            } else {
                let f = n.as_f64().unwrap_or(f64::NAN);
                serde_json::Number::from_f64(f)
                    .map(Value::Number)
                    .ok_or_else(|| format!("the number {f} has no JSON form"))?
            }
        }
        Yaml::String(s) => Value::String(s),
        Yaml::Sequence(items) => Value::Array(items.into_iter().map(yaml_to_json).collect::<Result<_, _>>()?),
        Yaml::Mapping(mapping) => {
            let mut object = Map::with_capacity(mapping.len());
            for (key, value) in mapping {
                let key = match key {
                    Yaml::String(s) => s,
                    Yaml::Number(n) => n.to_string(),
                    Yaml::Bool(b) => b.to_string(),
                    other => return Err(format!("unsupported mapping key {other:?}")),
                };
                object.insert(key, yaml_to_json(value)?);
            }
            Value::Object(object)
        }
        Yaml::Tagged(tagged) => yaml_to_json(tagged.value)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_relaxed_json() {
        let value = parse_document("x.json", b"{\n\"a\": 'it\\'s',\n\"b\": [1, 2,],\n}\n").unwrap();
        assert_eq!(value, serde_json::json!({"a": "it's", "b": [1, 2]}));
    }

    #[test]
    fn reads_yaml_with_numeric_keys() {
        let value = parse_document("x.yaml", b"responses:\n  200:\n    description: ok\n").unwrap();
        assert_eq!(value, serde_json::json!({"responses": {"200": {"description": "ok"}}}));
    }

    #[test]
    fn locates_a_syntax_error() {
        let err = parse_document("x.json", b"{\n\"a\": 1,\n\"b\": [1 2],\n}\n").unwrap_err();
        assert_eq!(err.file, "x.json");
        assert_eq!(err.line, Some(3));
        assert!(err.column.is_some(), "{err}");
    }

    #[test]
    fn locates_a_truncated_document() {
        let err = parse_document("x.json", b"{\n\"a\": {\"b\": 1,\n").unwrap_err();
        assert!(err.line.is_some(), "{err}");
        assert!(err.to_string().starts_with("x.json:"), "{err}");
    }
}
