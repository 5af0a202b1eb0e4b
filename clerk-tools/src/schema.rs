//! The tools' JSON Schemas, built from the declarations of their inputs ([`crate::input`]) and
//! outputs ([`output!`]): the doc comments are the descriptions, the rules the constraints. No
//! Rust names reach them (no type names, no references, no integer formats): a model reads
//! them, and not every host resolves a reference.

use serde_json::{Map, Value, json};

use crate::input::{FieldSpec, Input, InputSpec, Kind, Rule};
use crate::secret::Credential;

/// The JSON Schema dialect every tool schema declares.
const DIALECT: &str = "https://json-schema.org/draft/2020-12/schema";

/// The JSON interface's own input: the key a call is made with, when the host does not hold it.
const SECRET_KEY: FieldSpec = FieldSpec {
    rust_name: "secret_key",
    doc: " The Clerk Secret Key for API authentication",
    kind: Kind::Text,
    rules: &[Rule::Required],
};
/// Its name.
pub(crate) const SECRET_KEY_NAME: &str = "secretKey";

/// The schema of the JSON interface's `secretKey` input.
#[cfg(feature = "operations")]
pub(crate) fn secret_key_schema() -> Value {
    field_schema(SECRET_KEY.kind, SECRET_KEY.rules, description(SECRET_KEY.doc))
}

/// The JSON Schema of one input field: its form's types, its rules, then its description.
fn field_schema(kind: Kind, rules: &[Rule], description: String) -> Value {
    let mut schema = Map::new();
    let types = match kind {
        Kind::Text if rules.iter().any(|rule| matches!(rule, Rule::Required | Rule::PathId)) => json!("string"),
        Kind::Text | Kind::Password => json!(["string", "null"]),
        Kind::Number => json!(["integer", "string"]),
        Kind::Flag => json!(["boolean", "string"]),
        Kind::List => json!("string"),
        Kind::Object => json!(["object", "string"]),
    };
    schema.insert("type".into(), types);
    for rule in rules {
        match rule {
            Rule::Range { min, max } => {
                schema.insert("minimum".into(), json!(min));
                if let Some(max) = max {
                    schema.insert("maximum".into(), json!(max));
                }
            }
            Rule::OneOf(values) => {
                let mut allowed: Vec<Value> = values.iter().map(|value| json!(value)).collect();
                // A nullable input may be null, which the allowed values must then include.
                if schema.get("type").and_then(Value::as_array).is_some_and(|types| types.contains(&json!("null"))) {
                    allowed.push(Value::Null);
                }
                schema.insert("enum".into(), Value::Array(allowed));
            }
            Rule::Required | Rule::PathId => {}
        }
    }
    schema.insert("description".into(), Value::String(description));
    Value::Object(schema)
}

/// A doc comment as a description: rustdoc's lines joined into paragraphs, since a model reads
/// each description as running text.
pub(crate) fn description(doc: &str) -> String {
    let mut paragraphs: Vec<String> = Vec::new();
    let mut current: Vec<&str> = Vec::new();
    for line in doc.lines().map(str::trim) {
        if line.is_empty() {
            if !current.is_empty() {
                paragraphs.push(current.join(" "));
                current.clear();
            }
        } else {
            current.push(line);
        }
    }
    if !current.is_empty() {
        paragraphs.push(current.join(" "));
    }
    paragraphs.join("\n\n")
}

/// The schema of the input `I`, with the JSON interface's `secretKey` first when `with_key`.
///
/// A group of which at least one input is required is stated as a chain of `if`/`else` on
/// `required` (if the first is given the input is fine, else the second must be, and so on):
/// `anyOf` of `required` says the same, but some model hosts refuse any tool whose input schema
/// has `anyOf`, `oneOf` or `allOf` at its top level, which would cost every tool of the server.
pub(crate) fn input_schema<I: Input>(with_key: bool) -> Value {
    schema_of_input(I::SPEC, I::names(), with_key)
}

fn schema_of_input(spec: &InputSpec, names: &[&str], with_key: bool) -> Value {
    let key = with_key.then_some((SECRET_KEY_NAME, &SECRET_KEY));
    let fields = key.into_iter().chain(names.iter().copied().zip(spec.fields));
    let mut properties = Map::new();
    let mut required = Vec::new();
    for (name, field) in fields {
        if field.rules.iter().any(|rule| matches!(rule, Rule::Required | Rule::PathId)) {
            required.push(json!(name));
        }
        properties.insert(name.to_string(), field_schema(field.kind, field.rules, description(field.doc)));
    }
    let name_of = |rust_name: &str| {
        spec.fields.iter().position(|field| field.rust_name == rust_name).and_then(|index| names.get(index)).copied()
    };
    let group: Vec<&str> = spec.at_least_one_of.iter().filter_map(|field| name_of(field)).collect();
    let mut text = description(spec.doc);
    if !group.is_empty() {
        let quoted: Vec<String> = group.iter().map(|name| format!("`{name}`")).collect();
        text.push_str(&format!(" At least one of {} is required.", crate::input::either(&as_strs(&quoted))));
    }
    if spec.requires_change.is_some() {
        let ids: Vec<String> = names
            .iter()
            .zip(spec.fields)
            .filter(|(_, field)| field.rules.contains(&Rule::PathId))
            .map(|(name, _)| format!("`{name}`"))
            .collect();
        text.push_str(&format!(" At least one input besides {} is required.", crate::input::either(&as_strs(&ids))));
    }
    let mut schema = Map::new();
    schema.insert("type".into(), json!("object"));
    schema.insert("additionalProperties".into(), json!(false));
    schema.insert("properties".into(), Value::Object(properties));
    if !required.is_empty() {
        schema.insert("required".into(), Value::Array(required));
    }
    schema.insert("description".into(), Value::String(text));
    schema.insert("$schema".into(), json!(DIALECT));
    if let Some(Value::Object(rule)) = at_least_one_of(&group) {
        schema.extend(rule);
    }
    Value::Object(schema)
}

fn as_strs(texts: &[String]) -> Vec<&str> {
    texts.iter().map(String::as_str).collect()
}

/// `{"if": {"required": [first]}, "else": ...}` down to `{"required": [last]}`.
fn at_least_one_of(names: &[&str]) -> Option<Value> {
    match names {
        [] => None,
        [last] => Some(json!({"required": [last]})),
        [first, rest @ ..] => {
            let mut rule = json!({"if": {"required": [first]}});
            if let (Some(object), Some(otherwise)) = (rule.as_object_mut(), at_least_one_of(rest)) {
                object.insert("else".to_string(), otherwise);
            }
            Some(rule)
        }
    }
}

/// What describing an output found besides its schema.
#[derive(Debug, Default)]
pub(crate) struct Found {
    /// A [`Credential`] is part of it.
    pub(crate) credentials: bool,
}

/// A type of the tools' outputs, described as JSON Schema.
pub(crate) trait Describe {
    /// Whether the value may be `null`: a field of any other type is always present.
    const NULLABLE: bool = false;

    fn describe(found: &mut Found) -> Value;
}

/// The schema of an output, described by `describe`, and whether it carries credentials.
pub(crate) fn output_schema(describe: fn(&mut Found) -> Value) -> (Value, bool) {
    let mut found = Found::default();
    let mut schema = describe(&mut found);
    if let Some(object) = schema.as_object_mut() {
        object.insert("$schema".into(), json!(DIALECT));
    }
    (schema, found.credentials)
}

impl Describe for String {
    fn describe(_: &mut Found) -> Value {
        json!({"type": "string"})
    }
}

impl Describe for i64 {
    fn describe(_: &mut Found) -> Value {
        json!({"type": "integer"})
    }
}

impl Describe for bool {
    fn describe(_: &mut Found) -> Value {
        json!({"type": "boolean"})
    }
}

impl Describe for Map<String, Value> {
    fn describe(_: &mut Found) -> Value {
        json!({"type": "object", "additionalProperties": true})
    }
}

impl Describe for Credential {
    fn describe(found: &mut Found) -> Value {
        found.credentials = true;
        json!({"type": "string"})
    }
}

impl<T: Describe> Describe for Vec<T> {
    fn describe(found: &mut Found) -> Value {
        json!({"type": "array", "items": T::describe(found)})
    }
}

impl<T: Describe> Describe for Option<T> {
    const NULLABLE: bool = true;

    fn describe(found: &mut Found) -> Value {
        let mut schema = T::describe(found);
        match schema.get_mut("type") {
            Some(Value::String(one)) => {
                let one = std::mem::take(one);
                schema["type"] = json!([one, "null"]);
                schema
            }
            Some(Value::Array(several)) => {
                several.push(json!("null"));
                schema
            }
            _ => json!({"anyOf": [schema, {"type": "null"}]}),
        }
    }
}

/// One field of an output struct, as [`output!`] records it.
pub(crate) struct OutputField {
    /// The Rust field's name; serde writes it in camelCase.
    pub(crate) rust_name: &'static str,
    /// The doc comment, line by line.
    pub(crate) doc: &'static str,
    /// Its fields stand in the struct's place (`#[serde(flatten)]`).
    pub(crate) flatten: bool,
    pub(crate) nullable: bool,
    pub(crate) describe: fn(&mut Found) -> Value,
}

/// The schema of an output struct: every field that is not nullable is required.
pub(crate) fn object(doc: &str, fields: &[OutputField], found: &mut Found) -> Value {
    let mut properties = Map::new();
    let mut required = Vec::new();
    for field in fields {
        let schema = (field.describe)(found);
        if field.flatten {
            if let Some(inner) = schema.get("properties").and_then(Value::as_object) {
                properties.extend(inner.iter().map(|(name, property)| (name.clone(), property.clone())));
            }
            if let Some(inner) = schema.get("required").and_then(Value::as_array) {
                required.extend(inner.iter().cloned());
            }
            continue;
        }
        let name = camel_case(field.rust_name);
        if !field.nullable {
            required.push(json!(name));
        }
        properties.insert(name, described(schema, description(field.doc)));
    }
    let mut schema = Map::new();
    schema.insert("type".into(), json!("object"));
    schema.insert("properties".into(), Value::Object(properties));
    if !required.is_empty() {
        schema.insert("required".into(), Value::Array(required));
    }
    schema.insert("description".into(), Value::String(description(doc)));
    Value::Object(schema)
}

/// `schema` with `text` as its description, last: a field's own description says more than
/// that of its type.
fn described(mut schema: Value, text: String) -> Value {
    if let Some(object) = schema.as_object_mut() {
        object.shift_remove("description");
        object.insert("description".into(), Value::String(text));
    }
    schema
}

/// A field name as serde's `rename_all = "camelCase"` writes it: each `_` dropped and the
/// letter after it capitalised.
fn camel_case(snake: &str) -> String {
    let mut camel = String::with_capacity(snake.len());
    let mut capitalize = false;
    for c in snake.chars() {
        if c == '_' {
            capitalize = true;
        } else if capitalize {
            camel.push(c.to_ascii_uppercase());
            capitalize = false;
        } else {
            camel.push(c);
        }
    }
    camel
}

/// Declares an output struct once: its fields and their doc comments, from which come the
/// struct (serialized in camelCase) and its JSON Schema. `#[serde(flatten)]` on a field puts
/// that field's own fields in its place.
macro_rules! output {
    (
        $(#[doc = $doc:literal])*
        pub struct $name:ident {
            $(
                $(#[doc = $field_doc:literal])*
                $(#[serde($flatten:ident)])?
                pub $field:ident: $type:ty,
            )*
        }
    ) => {
        $(#[doc = $doc])*
        #[derive(Debug, Clone, PartialEq, serde::Serialize)]
        #[serde(rename_all = "camelCase")]
        pub struct $name {
            $(
                $(#[doc = $field_doc])*
                $(#[serde($flatten)])?
                pub $field: $type,
            )*
        }

        impl crate::schema::Describe for $name {
            fn describe(found: &mut crate::schema::Found) -> serde_json::Value {
                const FIELDS: &[crate::schema::OutputField] = &[$(
                    crate::schema::OutputField {
                        rust_name: stringify!($field),
                        doc: concat!($($field_doc, "\n"),*),
                        flatten: crate::schema::output!(@flatten $($flatten)?),
                        nullable: <$type as crate::schema::Describe>::NULLABLE,
                        describe: <$type as crate::schema::Describe>::describe,
                    },
                )*];
                crate::schema::object(concat!($($doc, "\n"),*), FIELDS, found)
            }
        }
    };
    (@flatten) => { false };
    (@flatten flatten) => { true };
}
pub(crate) use output;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serde_and_the_schema_agree_on_names() {
        output! {
            /// A sample.
            pub struct Sample {
                /// With a digit.
                pub primary_web3_wallet_id: Option<String>,
                /// Plain.
                pub total_count: i64,
            }
        }
        let written = serde_json::to_value(Sample { primary_web3_wallet_id: None, total_count: 1 }).unwrap();
        let (schema, credentials) = output_schema(Sample::describe);
        let written: Vec<&String> = written.as_object().unwrap().keys().collect();
        let described: Vec<&String> = schema["properties"].as_object().unwrap().keys().collect();
        assert_eq!(written, described);
        assert_eq!(schema["required"], json!(["totalCount"]));
        assert!(!credentials);
    }

    #[test]
    fn descriptions_are_running_text() {
        assert_eq!(
            description(" One line\n wrapped.\n\n Second paragraph.\n"),
            "One line wrapped.\n\nSecond paragraph."
        );
    }

    #[test]
    fn at_least_one_of_is_a_chain_of_if_else() {
        assert_eq!(
            at_least_one_of(&["a", "b", "c"]),
            Some(json!({"if": {"required": ["a"]}, "else": {"if": {"required": ["b"]}, "else": {"required": ["c"]}}}))
        );
    }
}
