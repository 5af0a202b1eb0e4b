//! The conventions every tool shares (CONTRACTS.md, "Conventions shared by every tool"):
//! trimming and absent values, comma-splitting, numbers, booleans, metadata, IDs in paths,
//! and the output defaults. Each check names the input it rejects.

use schemars::JsonSchema;
use serde::Deserialize;
use serde_json::{Map, Value};

use crate::error::Error;
use crate::secret::SecretKey;

/// A number input: a JSON number or a string holding one (agents send both).
#[derive(Debug, Clone, PartialEq, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum NumberInput {
    /// A JSON number.
    Number(serde_json::Number),
    /// A string such as `"10"`.
    Text(String),
}

impl From<i64> for NumberInput {
    fn from(value: i64) -> Self {
        NumberInput::Number(value.into())
    }
}

impl From<&str> for NumberInput {
    fn from(value: &str) -> Self {
        NumberInput::Text(value.to_string())
    }
}

/// A boolean input: `true`/`false`, or the strings `"true"`/`"false"`.
#[derive(Debug, Clone, PartialEq, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum FlagInput {
    /// A JSON boolean.
    Bool(bool),
    /// `"true"` or `"false"` (any case).
    Text(String),
}

impl From<bool> for FlagInput {
    fn from(value: bool) -> Self {
        FlagInput::Bool(value)
    }
}

/// Calls a generated builder's setter for each value that is present, and leaves the others
/// unset: `with_present!(api.list_users(), limit = limit, query = query.clone())`. Setting
/// only what is given keeps the call compiling when a newer revision adds optional fields or
/// turns a required field optional.
macro_rules! with_present {
    ($builder:expr $(, $setter:ident = $value:expr)* $(,)?) => {{
        let builder = $builder;
        $(
            let builder = match $value {
                Some(value) => builder.$setter(value),
                None => builder,
            };
        )*
        builder
    }};
}
pub(crate) use with_present;

/// The secret key must be present and not blank.
pub fn require_secret_key(key: &SecretKey) -> Result<(), Error> {
    if key.is_blank() {
        return Err(Error::invalid("secretKey", "is required"));
    }
    Ok(())
}

/// Trims a text input; missing, empty and blank all mean absent.
pub fn text(value: Option<&str>) -> Option<String> {
    value.map(str::trim).filter(|v| !v.is_empty()).map(str::to_string)
}

/// A password is sent exactly as given, spaces included; only an empty or blank one is
/// absent.
pub fn password(value: Option<&str>) -> Option<String> {
    value.filter(|v| !v.trim().is_empty()).map(str::to_string)
}

/// A required text input (trimmed).
pub fn required_text(field: &str, value: Option<&str>) -> Result<String, Error> {
    text(value).ok_or_else(|| Error::invalid(field, "is required"))
}

/// Splits a "comma-separated for multiple" input: entries trimmed, empty entries dropped.
pub fn split_list(value: Option<&str>) -> Vec<String> {
    value
        .map(|v| v.split(',').map(str::trim).filter(|e| !e.is_empty()).map(str::to_string).collect())
        .unwrap_or_default()
}

/// Whether `id` may go into a URL path segment: non-empty, only `A-Z a-z 0-9 _ -`.
pub fn is_path_safe(id: &str) -> bool {
    !id.is_empty() && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

/// A required ID that ends up in a URL path. Surrounding whitespace is trimmed; anything that
/// could change the path (`..`, `/`, `%2e`, `?`, `#`, inner whitespace) is rejected.
pub fn path_id(field: &str, value: Option<&str>) -> Result<String, Error> {
    let id = required_text(field, value)?;
    if !is_path_safe(&id) {
        return Err(Error::invalid(field, "may contain only letters, digits, `_` and `-`"));
    }
    Ok(id)
}

/// An integer input within `min..=max`; absent when missing or blank.
pub fn integer(field: &str, value: Option<&NumberInput>, min: i64, max: Option<i64>) -> Result<Option<i64>, Error> {
    let range = || match max {
        Some(max) => format!("must be an integer from {min} to {max}"),
        None => format!("must be an integer of at least {min}"),
    };
    let number = match value {
        None => return Ok(None),
        Some(NumberInput::Number(n)) => {
            n.as_i64().or_else(|| n.as_f64().filter(|f| f.fract() == 0.0 && f.abs() < 9e15).map(|f| f as i64))
        }
        Some(NumberInput::Text(t)) if t.trim().is_empty() => return Ok(None),
        Some(NumberInput::Text(t)) => {
            let t = t.trim();
            t.parse::<i64>().ok().or_else(|| {
                t.parse::<f64>().ok().filter(|f| f.is_finite() && f.fract() == 0.0 && f.abs() < 9e15).map(|f| f as i64)
            })
        }
    };
    match number {
        Some(n) if n >= min && max.is_none_or(|max| n <= max) => Ok(Some(n)),
        _ => Err(Error::invalid(field, range())),
    }
}

/// A boolean input; absent when missing or blank.
pub fn flag(field: &str, value: Option<&FlagInput>) -> Result<Option<bool>, Error> {
    match value {
        None => Ok(None),
        Some(FlagInput::Bool(b)) => Ok(Some(*b)),
        Some(FlagInput::Text(t)) => match t.trim().to_ascii_lowercase().as_str() {
            "" => Ok(None),
            "true" => Ok(Some(true)),
            "false" => Ok(Some(false)),
            _ => Err(Error::invalid(field, "must be true or false")),
        },
    }
}

/// A metadata input: a JSON object, or a string holding one. `null` and a blank string are
/// absent; anything else (array, number, malformed JSON) is rejected.
pub fn metadata(field: &str, value: Option<&Value>) -> Result<Option<Map<String, Value>>, Error> {
    let not_object = || Error::invalid(field, "must be a JSON object, given as an object or as a string holding one");
    match value {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Object(map)) => Ok(Some(map.clone())),
        Some(Value::String(text)) if text.trim().is_empty() => Ok(None),
        Some(Value::String(text)) => match serde_json::from_str::<Value>(text) {
            Ok(Value::Object(map)) => Ok(Some(map)),
            _ => Err(not_object()),
        },
        Some(_) => Err(not_object()),
    }
}

/// Output default for booleans the API did not return.
pub fn flag_or_false(value: Option<bool>) -> bool {
    value.unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn splits_trims_and_drops_empty_entries() {
        assert_eq!(split_list(Some(" a@x.io, ,b@x.io ,,")), ["a@x.io", "b@x.io"]);
        assert!(split_list(Some(" , ")).is_empty());
        assert!(split_list(None).is_empty());
    }

    #[test]
    fn path_ids_allow_only_the_safe_alphabet() {
        for good in ["user_2x1", "org-slug", "A9_-z"] {
            assert_eq!(path_id("userId", Some(good)).unwrap(), good);
        }
        assert_eq!(path_id("userId", Some("  user_1  ")).unwrap(), "user_1");
        for bad in ["..", ".", "a/b", "%2e%2e", "user 1", "", "   ", "a?b", "a#b", "é"] {
            let err = path_id("userId", Some(bad)).unwrap_err();
            assert!(matches!(&err, Error::InvalidInput { field, .. } if field == "userId"), "{bad}: {err}");
        }
    }

    #[test]
    fn integers_accept_numbers_and_numeric_strings_only() {
        let limit = |v: NumberInput| integer("limit", Some(&v), 1, Some(500));
        assert_eq!(limit(10.into()).unwrap(), Some(10));
        assert_eq!(limit(" 25 ".into()).unwrap(), Some(25));
        assert_eq!(limit(NumberInput::Number(serde_json::Number::from_f64(10.0).unwrap())).unwrap(), Some(10));
        assert_eq!(limit("".into()).unwrap(), None);
        for bad in [
            NumberInput::from(0),
            501.into(),
            "ten".into(),
            "2.5".into(),
            NumberInput::Number(serde_json::Number::from_f64(2.5).unwrap()),
        ] {
            assert!(limit(bad).is_err());
        }
    }

    #[test]
    fn metadata_must_be_an_object() {
        assert_eq!(
            metadata("publicMetadata", Some(&json!({"a": 1}))).unwrap(),
            Some(json!({"a": 1}).as_object().unwrap().clone())
        );
        assert_eq!(metadata("publicMetadata", Some(&json!("{\"a\": 1}"))).unwrap().unwrap()["a"], 1);
        assert_eq!(metadata("publicMetadata", Some(&json!(null))).unwrap(), None);
        for bad in [json!([1]), json!("nope"), json!(3), json!("[1]"), json!(true)] {
            assert!(metadata("publicMetadata", Some(&bad)).is_err(), "{bad}");
        }
    }
}
