//! The conventions every tool shares (CONTRACTS.md, "Conventions shared by every tool"):
//! trimming and absent values, comma-splitting, numbers, booleans, metadata, IDs in paths,
//! and the output defaults. Each check names the input it rejects.

use clerk_api::types;
use serde::Serialize;

use crate::error::Error;
use crate::secret::Password;

/// The forms agents send, accepted by the JSON interface and decoded into the Rust types of
/// the typed inputs: one input struct per tool serves both doors. Each `deserialize_with`
/// function here takes the agent forms CONTRACTS.md allows; its error message is the one the
/// caller sees, in plain words.
pub mod agent {
    use serde::Deserialize;
    use serde::de::{self, Deserializer, Visitor};
    use serde_json::{Map, Value};

    /// The longest integer that survives a trip through a JSON double.
    const SAFE_INTEGER: f64 = 9_007_199_254_740_991.0;

    /// A whole number: a JSON number or a string holding one; `null` and a blank string are
    /// absent.
    pub fn number<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<i64>, D::Error> {
        let value = Value::deserialize(deserializer)?;
        let whole = |f: f64| (f.is_finite() && f.fract() == 0.0 && f.abs() <= SAFE_INTEGER).then_some(f as i64);
        let parsed: Option<Option<i64>> = match &value {
            Value::Null => Some(None),
            Value::Number(n) => n.as_i64().or_else(|| n.as_f64().and_then(whole)).map(Some),
            Value::String(text) if text.trim().is_empty() => Some(None),
            Value::String(text) => {
                let text = text.trim();
                text.parse::<i64>().ok().or_else(|| text.parse::<f64>().ok().and_then(whole)).map(Some)
            }
            _ => None,
        };
        parsed.ok_or_else(|| de::Error::custom("must be a whole number, given as a number or a string holding one"))
    }

    /// `true` or `false`, or the strings `"true"`/`"false"` in any case; `null` and a blank
    /// string are absent.
    pub fn flag<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<bool>, D::Error> {
        match Value::deserialize(deserializer)? {
            Value::Null => Ok(None),
            Value::Bool(b) => Ok(Some(b)),
            Value::String(text) => match text.trim().to_ascii_lowercase().as_str() {
                "" => Ok(None),
                "true" => Ok(Some(true)),
                "false" => Ok(Some(false)),
                _ => Err(de::Error::custom("must be true or false")),
            },
            _ => Err(de::Error::custom("must be true or false")),
        }
    }

    /// A "comma-separated for multiple" input: entries trimmed, empty entries dropped. A JSON
    /// array of strings is taken too; `null` is empty.
    pub fn list<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<String>, D::Error> {
        struct ListVisitor;
        impl<'de> Visitor<'de> for ListVisitor {
            type Value = Vec<String>;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a comma-separated string or a list of strings")
            }
            fn visit_str<E: de::Error>(self, text: &str) -> Result<Vec<String>, E> {
                Ok(super::split_list(Some(text)))
            }
            fn visit_unit<E: de::Error>(self) -> Result<Vec<String>, E> {
                Ok(Vec::new())
            }
            fn visit_none<E: de::Error>(self) -> Result<Vec<String>, E> {
                Ok(Vec::new())
            }
            fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Vec<String>, D::Error> {
                deserializer.deserialize_any(ListVisitor)
            }
            fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<String>, A::Error> {
                let mut items = Vec::new();
                while let Some(item) = seq.next_element::<Value>()? {
                    match item {
                        Value::String(text) => items.extend(super::split_list(Some(&text))),
                        _ => return Err(de::Error::custom("must be a comma-separated string or a list of strings")),
                    }
                }
                Ok(items)
            }
        }
        deserializer.deserialize_any(ListVisitor)
    }

    /// A JSON object, given as an object or as a string holding one; `null` and a blank string
    /// are absent.
    pub fn object<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<Map<String, Value>>, D::Error> {
        let not_object = || de::Error::custom("must be a JSON object, given as an object or as a string holding one");
        match Value::deserialize(deserializer)? {
            Value::Null => Ok(None),
            Value::Object(map) => Ok(Some(map)),
            Value::String(text) if text.trim().is_empty() => Ok(None),
            Value::String(text) => match serde_json::from_str::<Value>(&text) {
                Ok(Value::Object(map)) => Ok(Some(map)),
                _ => Err(not_object()),
            },
            _ => Err(not_object()),
        }
    }

    /// The JSON Schemas of the agent forms, for the input schemas models see.
    #[cfg(feature = "derive-schemas")]
    pub mod schema {
        use schemars::{Schema, SchemaGenerator, json_schema};

        /// `limit`: an integer from 1 to 500, or a string holding one.
        pub fn limit(_: &mut SchemaGenerator) -> Schema {
            json_schema!({"type": ["integer", "string"], "minimum": 1, "maximum": 500})
        }

        /// A count that may be zero (`offset`, `maxAllowedMemberships`): an integer >= 0, or a
        /// string holding one.
        pub fn zero_or_more(_: &mut SchemaGenerator) -> Schema {
            json_schema!({"type": ["integer", "string"], "minimum": 0})
        }

        /// A positive integer (durations in seconds), or a string holding one.
        pub fn one_or_more(_: &mut SchemaGenerator) -> Schema {
            json_schema!({"type": ["integer", "string"], "minimum": 1})
        }

        /// `expiresInDays`: an integer from 1 to 365, or a string holding one.
        pub fn days(_: &mut SchemaGenerator) -> Schema {
            json_schema!({"type": ["integer", "string"], "minimum": 1, "maximum": 365})
        }

        /// A boolean, or `"true"`/`"false"`.
        pub fn flag(_: &mut SchemaGenerator) -> Schema {
            json_schema!({"type": ["boolean", "string"]})
        }

        /// A comma-separated string.
        pub fn list(_: &mut SchemaGenerator) -> Schema {
            json_schema!({"type": "string"})
        }

        /// A JSON object, or a string holding one.
        pub fn object(_: &mut SchemaGenerator) -> Schema {
            json_schema!({"type": ["object", "string"]})
        }
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

/// The longest ID accepted in a URL path: Clerk's IDs are about 30 characters, slugs a few
/// dozen.
pub const MAX_PATH_ID_LEN: usize = 128;

/// Trims a text input; missing, empty and blank all mean absent.
pub fn text(value: Option<&str>) -> Option<String> {
    value.map(str::trim).filter(|v| !v.is_empty()).map(str::to_string)
}

/// A password is sent exactly as given, spaces included; only an empty or blank one is
/// absent.
pub fn password(value: Option<&Password>) -> Option<String> {
    value.map(Password::expose).filter(|v| !v.trim().is_empty()).map(str::to_string)
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

/// The entries of a list input, trimmed, empty ones dropped; `None` when none is left, so
/// the filter is not sent.
pub fn list(values: &[String]) -> Option<Vec<String>> {
    let entries: Vec<String> = values.iter().map(|v| v.trim()).filter(|v| !v.is_empty()).map(str::to_string).collect();
    if entries.is_empty() { None } else { Some(entries) }
}

/// Whether `id` may go into a URL path segment: 1 to 128 characters of `A-Z a-z 0-9 _ -`.
pub fn is_path_safe(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= MAX_PATH_ID_LEN
        && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

/// A required ID that ends up in a URL path. Surrounding whitespace is trimmed; anything that
/// could change the path (`..`, `/`, `%2e`, `?`, `#`, inner whitespace) is rejected, and so is
/// an ID longer than any Clerk issues.
pub fn path_id(field: &str, value: Option<&str>) -> Result<String, Error> {
    let id = required_text(field, value)?;
    if id.len() > MAX_PATH_ID_LEN {
        return Err(Error::invalid(field, format!("must be at most {MAX_PATH_ID_LEN} characters long")));
    }
    if !is_path_safe(&id) {
        return Err(Error::invalid(field, "may contain only letters, digits, `_` and `-`"));
    }
    Ok(id)
}

/// An integer input within `min..=max`.
pub fn in_range(field: &str, value: Option<i64>, min: i64, max: Option<i64>) -> Result<Option<i64>, Error> {
    match value {
        Some(n) if n < min || max.is_some_and(|max| n > max) => Err(Error::invalid(
            field,
            match max {
                Some(max) => format!("must be a whole number from {min} to {max}"),
                None => format!("must be a whole number of at least {min}"),
            },
        )),
        other => Ok(other),
    }
}

/// An update or merge with none of its inputs given is refused, naming them: Clerk would
/// answer an empty change with the object unchanged, which hides the caller's mistake.
pub fn require_any(action: &str, inputs: &[(&str, bool)]) -> Result<(), Error> {
    if inputs.iter().any(|(_, given)| *given) {
        return Ok(());
    }
    let names: Vec<&str> = inputs.iter().map(|(name, _)| *name).collect();
    Err(Error::invalid("input", format!("nothing to {action}: give at least one of {}", names.join(", "))))
}

/// Output default for booleans the API did not return.
pub fn flag_or_false(value: Option<bool>) -> bool {
    value.unwrap_or(false)
}

/// Output of the tools that delete something: Clerk's deleted object.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "derive-schemas", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct DeletedObjectOutput {
    /// ID of the deleted object.
    pub id: Option<String>,
    /// The deleted object's type (`user`, `allowlist_identifier`, ...).
    pub object: String,
    /// Whether the object was deleted.
    pub deleted: bool,
    /// Always `true`.
    pub success: bool,
}

impl DeletedObjectOutput {
    /// Clerk's answer, completed: Clerk may leave out the `id` (the requested one is meant),
    /// and a success answer without `object` or `deleted` still means the object is gone.
    pub fn from_response(response: types::DeletedObject, requested_id: String, default_object: &str) -> Self {
        DeletedObjectOutput {
            id: response.id.or(Some(requested_id)),
            object: response.object.unwrap_or_else(|| default_object.to_string()),
            deleted: response.deleted.unwrap_or(true),
            success: true,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;
    use serde_json::json;

    #[test]
    fn splits_trims_and_drops_empty_entries() {
        assert_eq!(split_list(Some(" a@x.io, ,b@x.io ,,")), ["a@x.io", "b@x.io"]);
        assert!(split_list(Some(" , ")).is_empty());
        assert!(split_list(None).is_empty());
        assert_eq!(list(&[" a ".into(), "".into()]), Some(vec!["a".to_string()]));
        assert_eq!(list(&[]), None);
    }

    #[test]
    fn path_ids_allow_only_the_safe_alphabet_and_length() {
        for good in ["user_2x1", "org-slug", "A9_-z"] {
            assert_eq!(path_id("userId", Some(good)).unwrap(), good);
        }
        assert_eq!(path_id("userId", Some("  user_1  ")).unwrap(), "user_1");
        let long = "a".repeat(MAX_PATH_ID_LEN + 1);
        for bad in ["..", ".", "a/b", "%2e%2e", "user 1", "", "   ", "a?b", "a#b", "é", long.as_str()] {
            let err = path_id("userId", Some(bad)).unwrap_err();
            assert!(matches!(&err, Error::InvalidInput { field, .. } if field == "userId"), "{bad}: {err}");
        }
        assert!(path_id("userId", Some(&"a".repeat(100_000))).unwrap_err().to_string().len() < 200);
    }

    #[derive(Debug, Deserialize)]
    struct Forms {
        #[serde(default, deserialize_with = "agent::number")]
        number: Option<i64>,
        #[serde(default, deserialize_with = "agent::flag")]
        flag: Option<bool>,
        #[serde(default, deserialize_with = "agent::list")]
        list: Vec<String>,
        #[serde(default, deserialize_with = "agent::object")]
        object: Option<serde_json::Map<String, serde_json::Value>>,
    }

    fn forms(value: serde_json::Value) -> Result<Forms, String> {
        serde_json::from_value(value).map_err(|err| err.to_string())
    }

    #[test]
    fn agent_forms_decode_into_rust_types() {
        let given = forms(json!({"number": " 25 ", "flag": "TRUE", "list": "a, ,b", "object": "{\"a\": 1}"})).unwrap();
        assert_eq!(given.number, Some(25));
        assert_eq!(given.flag, Some(true));
        assert_eq!(given.list, ["a", "b"]);
        assert_eq!(given.object.unwrap()["a"], 1);
        let plain = forms(json!({"number": 10.0, "flag": false, "list": ["x", "y,z"], "object": {}})).unwrap();
        assert_eq!((plain.number, plain.flag, plain.list.len()), (Some(10), Some(false), 3));
        let absent = forms(json!({"number": "", "flag": null, "list": null, "object": " "})).unwrap();
        assert_eq!((absent.number, absent.flag, absent.list.len(), absent.object), (None, None, 0, None));
    }

    #[test]
    fn agent_forms_explain_what_is_wrong_in_plain_words() {
        for (input, expected) in [
            (json!({"number": true}), "must be a whole number"),
            (json!({"number": "2.5"}), "must be a whole number"),
            (json!({"number": "ten"}), "must be a whole number"),
            (json!({"flag": "yes"}), "must be true or false"),
            (json!({"list": [1]}), "comma-separated string or a list of strings"),
            (json!({"object": [1]}), "must be a JSON object"),
            (json!({"object": "nope"}), "must be a JSON object"),
        ] {
            let message = forms(input.clone()).unwrap_err();
            assert!(message.contains(expected), "{input}: {message}");
            assert!(!message.contains("untagged") && !message.contains("variant"), "{message}");
        }
    }

    #[test]
    fn ranges_are_checked_in_words() {
        assert_eq!(in_range("limit", Some(10), 1, Some(500)).unwrap(), Some(10));
        assert_eq!(in_range("limit", None, 1, Some(500)).unwrap(), None);
        assert_eq!(
            in_range("limit", Some(0), 1, Some(500)).unwrap_err().to_string(),
            "invalid input `limit`: must be a whole number from 1 to 500"
        );
    }
}
