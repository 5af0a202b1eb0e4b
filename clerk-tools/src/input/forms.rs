//! The forms the JSON interface reads inputs in: each field type of the inputs is a [`Form`],
//! which takes the looser forms agents send (numbers as strings, `"true"`, comma-separated
//! lists, metadata as JSON text) into the Rust type the typed methods take, words every refusal
//! itself, and says what counts as given.

use serde::Deserialize;
use serde::de::{self, Deserializer};
use serde_json::{Map, Value};

use super::rules::{Rule, check_path_id, required};
use crate::error::Error;
use crate::secret::Password;

/// What kind of value a field holds, for the rules that depend on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// Text (trimmed; blank is absent).
    Text,
    /// A password: sent exactly as given; blank is absent.
    Password,
    /// A whole number.
    Number,
    /// `true` or `false`.
    Flag,
    /// A list of texts.
    List,
    /// A JSON object (metadata, claims, an actor).
    Object,
}

/// A field type of the tools' inputs.
pub(crate) trait Form {
    /// What kind of value it holds.
    const KIND: Kind;

    /// Reads the value in any of the forms agents send; the error is what the caller reads.
    fn read<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error>
    where
        Self: Sized;

    /// Whether a value was given: a blank text, an empty list or a missing value was not.
    fn is_given(&self) -> bool;

    /// Normalises the value (trims texts, drops blank ones) and checks `rules`, naming the
    /// input `name` in the error.
    fn check(&mut self, name: &str, rules: &[Rule]) -> Result<(), Error>;
}

/// A field as serde reads it from JSON: in any of the forms agents send ([`Form::read`]). Each
/// input is read through a mirror struct of these fields, so that serde compiles one reader per
/// form rather than one per field.
#[derive(Default)]
pub(crate) struct Agent<T>(pub(crate) T);

impl<'de, T: Form> Deserialize<'de> for Agent<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        T::read(deserializer).map(Agent)
    }
}

/// What an input that is not text is told.
pub(crate) const NOT_TEXT: &str = "must be text";
/// What a true-or-false input that is neither is told.
const NOT_A_FLAG: &str = "must be true or false";

/// The text of an optional or required text input, `null` read as absent.
fn read_text<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<String>, D::Error> {
    match Value::deserialize(deserializer)? {
        Value::Null => Ok(None),
        Value::String(text) => Ok(Some(text)),
        _ => Err(de::Error::custom(NOT_TEXT)),
    }
}

impl Form for String {
    const KIND: Kind = Kind::Text;

    fn read<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        read_text(deserializer).map(Option::unwrap_or_default)
    }

    fn is_given(&self) -> bool {
        !self.trim().is_empty()
    }

    fn check(&mut self, name: &str, rules: &[Rule]) -> Result<(), Error> {
        let trimmed = self.trim();
        if trimmed.len() != self.len() {
            *self = trimmed.to_string();
        }
        required(name, rules, Form::is_given(self))?;
        if rules.contains(&Rule::PathId) {
            check_path_id(name, self)?;
        }
        Ok(())
    }
}

impl Form for Option<String> {
    const KIND: Kind = Kind::Text;

    fn read<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        read_text(deserializer)
    }

    fn is_given(&self) -> bool {
        self.as_deref().is_some_and(|text| !text.trim().is_empty())
    }

    fn check(&mut self, name: &str, rules: &[Rule]) -> Result<(), Error> {
        *self = self.as_deref().map(str::trim).filter(|text| !text.is_empty()).map(str::to_string);
        required(name, rules, self.is_some())?;
        for rule in rules {
            if let (Rule::OneOf(values), Some(value)) = (rule, self.as_deref())
                && !values.contains(&value)
            {
                return Err(Error::invalid(name, format!("must be one of {}", values.join(", "))));
            }
        }
        Ok(())
    }
}

impl Form for Option<Password> {
    const KIND: Kind = Kind::Password;

    fn read<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        read_text(deserializer).map(|text| text.map(Password::new))
    }

    fn is_given(&self) -> bool {
        self.as_ref().is_some_and(|password| !password.expose().trim().is_empty())
    }

    /// A password is sent exactly as given, spaces included; only a blank one is absent.
    fn check(&mut self, name: &str, rules: &[Rule]) -> Result<(), Error> {
        if !Form::is_given(self) {
            *self = None;
        }
        required(name, rules, self.is_some())
    }
}

/// The longest integer that survives a trip through a JSON double.
const SAFE_INTEGER: f64 = 9_007_199_254_740_991.0;

impl Form for Option<i64> {
    const KIND: Kind = Kind::Number;

    /// A JSON number or a string holding one; `null` and a blank string are absent.
    fn read<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let whole = |f: f64| (f.is_finite() && f.fract() == 0.0 && f.abs() <= SAFE_INTEGER).then_some(f as i64);
        let parsed: Option<Option<i64>> = match Value::deserialize(deserializer)? {
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

    fn is_given(&self) -> bool {
        self.is_some()
    }

    fn check(&mut self, name: &str, rules: &[Rule]) -> Result<(), Error> {
        required(name, rules, self.is_some())?;
        for rule in rules {
            if let (Rule::Range { min, max }, Some(n)) = (rule, *self)
                && (n < *min || max.is_some_and(|max| n > max))
            {
                let reason = match max {
                    Some(max) => format!("must be a whole number from {min} to {max}"),
                    None => format!("must be a whole number of at least {min}"),
                };
                return Err(Error::invalid(name, reason));
            }
        }
        Ok(())
    }
}

impl Form for Option<bool> {
    const KIND: Kind = Kind::Flag;

    /// `true` or `false`, or the strings `"true"`/`"false"` in any case; `null` and a blank
    /// string are absent.
    fn read<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        match Value::deserialize(deserializer)? {
            Value::Null => Ok(None),
            Value::Bool(b) => Ok(Some(b)),
            Value::String(text) => match text.trim().to_ascii_lowercase().as_str() {
                "" => Ok(None),
                "true" => Ok(Some(true)),
                "false" => Ok(Some(false)),
                _ => Err(de::Error::custom(NOT_A_FLAG)),
            },
            _ => Err(de::Error::custom(NOT_A_FLAG)),
        }
    }

    fn is_given(&self) -> bool {
        self.is_some()
    }

    fn check(&mut self, name: &str, rules: &[Rule]) -> Result<(), Error> {
        required(name, rules, self.is_some())
    }
}

impl Form for Vec<String> {
    const KIND: Kind = Kind::List;

    /// A "comma-separated for multiple" input, or a JSON array of such strings; `null` is
    /// empty.
    fn read<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let not_a_list = || de::Error::custom("must be a comma-separated string or a list of strings");
        match Value::deserialize(deserializer)? {
            Value::Null => Ok(Vec::new()),
            Value::String(text) => Ok(split_list(&text)),
            Value::Array(items) => items.iter().try_fold(Vec::new(), |mut entries, item| match item {
                Value::String(text) => {
                    entries.extend(split_list(text));
                    Ok(entries)
                }
                _ => Err(not_a_list()),
            }),
            _ => Err(not_a_list()),
        }
    }

    fn is_given(&self) -> bool {
        self.iter().any(|entry| !entry.trim().is_empty())
    }

    /// Entries are trimmed and empty ones dropped, so that an empty list is not sent.
    fn check(&mut self, name: &str, rules: &[Rule]) -> Result<(), Error> {
        if self.iter().any(|entry| entry.trim().len() != entry.len() || entry.is_empty()) {
            *self = self.iter().map(|entry| entry.trim()).filter(|e| !e.is_empty()).map(str::to_string).collect();
        }
        required(name, rules, !self.is_empty())
    }
}

impl Form for Option<Map<String, Value>> {
    const KIND: Kind = Kind::Object;

    /// A JSON object, given as an object or as a string holding one; `null` and a blank
    /// string are absent.
    fn read<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
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

    fn is_given(&self) -> bool {
        self.is_some()
    }

    fn check(&mut self, name: &str, rules: &[Rule]) -> Result<(), Error> {
        required(name, rules, self.is_some())
    }
}

/// Splits a "comma-separated for multiple" input: entries trimmed, empty entries dropped.
pub(crate) fn split_list(text: &str) -> Vec<String> {
    text.split(',').map(str::trim).filter(|entry| !entry.is_empty()).map(str::to_string).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        #[test]
        fn splitting_yields_only_trimmed_non_empty_entries(input in ".{0,200}") {
            for entry in split_list(&input) {
                proptest::prop_assert!(!entry.is_empty());
                proptest::prop_assert_eq!(entry.trim(), entry.as_str());
                proptest::prop_assert!(!entry.contains(','));
            }
        }

        #[test]
        fn splitting_round_trips(
            entries in proptest::collection::vec("[^,\\s]([^,]{0,20}[^,\\s])?", 0..10),
            padding in "[ \t]{0,3}",
        ) {
            let joined = entries.iter().map(|e| format!("{padding}{e}{padding}")).collect::<Vec<_>>().join(",");
            proptest::prop_assert_eq!(split_list(&joined), entries.clone());
            let rejoined = split_list(&joined).join(",");
            proptest::prop_assert_eq!(split_list(&rejoined), entries);
        }

        #[test]
        fn metadata_given_as_text_reads_as_the_object_it_holds(text in "\\PC{0,200}") {
            let parsed = <Option<Map<String, Value>> as Form>::read(Value::String(text.clone()));
            if let Ok(Some(map)) = parsed {
                proptest::prop_assert_eq!(Value::Object(map), serde_json::from_str::<Value>(&text).unwrap());
            }
        }
    }
}
