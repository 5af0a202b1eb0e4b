//! The leniency rules for everything a response can reach. Clerk's answers are read by a
//! client that must keep working while Clerk changes them, so every schema a response can
//! reach is loosened the same way, in any revision:
//!
//! - no `additionalProperties: false`: a field Clerk adds is ignored;
//! - string enums become strings (the known values stay in the docs): a value Clerk adds
//!   parses;
//! - no property is required and every property may be `null`: a field Clerk leaves out or
//!   nulls decodes as `None` (or an empty value);
//! - a `oneOf`/`anyOf` whose variants are all objects becomes one object with every variant's
//!   properties: it decodes in one pass, and a variant the document does not list still
//!   decodes instead of silently matching the first variant whose fields happen to fit.

use std::collections::BTreeSet;

use serde_json::{Map, Value, json};

use crate::normalize::{Normalizations, resolve};

/// Opens every schema a response can reach: the responses given as `roots` (`$ref`s), then
/// the component schemas they reference, transitively. Inline response schemas are opened by
/// the caller with [`open_schemas_in`].
pub(crate) fn open_component_responses(document: &mut Value, roots: &BTreeSet<String>, notes: &mut Normalizations) {
    // Union variants are read from the document as Clerk wrote it; they are opened where
    // they are copied to.
    let snapshot = document.get("components").cloned().unwrap_or(Value::Null);
    let Some(components) = document.get_mut("components").and_then(Value::as_object_mut) else { return };
    let mut pending: Vec<String> = roots.iter().cloned().collect();
    let mut seen = BTreeSet::new();
    while let Some(reference) = pending.pop() {
        if !seen.insert(reference.clone()) {
            continue;
        }
        let Some(rest) = reference.strip_prefix("#/components/") else { continue };
        let mut parts = rest.splitn(2, '/');
        let (Some(section), Some(name)) = (parts.next(), parts.next()) else { continue };
        if section != "responses" && section != "schemas" {
            continue;
        }
        let Some(node) = components.get_mut(section).and_then(|s| s.get_mut(name)) else { continue };
        let mut found = BTreeSet::new();
        collect_refs(node, &mut found);
        pending.extend(found);
        open_schemas_in(node, name, &snapshot, notes);
    }
}

/// Every `$ref` under `value`.
pub(crate) fn collect_refs(value: &Value, refs: &mut BTreeSet<String>) {
    match value {
        Value::Object(map) => {
            if let Some(Value::String(reference)) = map.get("$ref") {
                refs.insert(reference.clone());
            }
            map.values().for_each(|v| collect_refs(v, refs));
        }
        Value::Array(items) => items.iter().for_each(|v| collect_refs(v, refs)),
        _ => {}
    }
}

/// Walks a response or schema and opens every schema in it (references are opened where
/// they are defined).
pub(crate) fn open_schemas_in(node: &mut Value, label: &str, components: &Value, notes: &mut Normalizations) {
    let Some(map) = node.as_object_mut() else {
        if let Some(items) = node.as_array_mut() {
            for (index, item) in items.iter_mut().enumerate() {
                open_schemas_in(item, &format!("{label}[{index}]"), components, notes);
            }
        }
        return;
    };
    if map.get("additionalProperties") == Some(&Value::Bool(false)) {
        map.remove("additionalProperties");
        notes.open_objects.push(label.to_string());
    }
    open_response_enum(map, label, notes);
    merge_object_union(map, label, components, notes);
    if map.get("properties").is_some_and(Value::is_object) {
        if let Some(required) = map.remove("required")
            && required.as_array().is_some_and(|r| !r.is_empty())
        {
            notes.optional_schemas.push(label.to_string());
        }
        if let Some(properties) = map.get_mut("properties").and_then(Value::as_object_mut) {
            for property in properties.values_mut() {
                make_nullable(property);
            }
        }
    }
    for (key, child) in map.iter_mut() {
        let child_label = match key.as_str() {
            "properties" | "content" => {
                if let Some(children) = child.as_object_mut() {
                    for (name, grandchild) in children.iter_mut() {
                        let sep = if key == "properties" { "." } else { " " };
                        open_schemas_in(grandchild, &format!("{label}{sep}{name}"), components, notes);
                    }
                }
                continue;
            }
            "items" => format!("{label}[]"),
            "schema" | "allOf" | "oneOf" | "anyOf" | "not" => label.to_string(),
            "additionalProperties" => format!("{label}{{*}}"),
            _ => continue,
        };
        open_schemas_in(child, &child_label, components, notes);
    }
}

/// A closed string enum in a response becomes a string whose known values are documented.
fn open_response_enum(map: &mut Map<String, Value>, label: &str, notes: &mut Normalizations) {
    if let Some(values) = open_enum(map) {
        notes.open_enums.push((label.to_string(), values));
    }
}

/// Turns a closed string enum into a string whose known values are documented, and returns
/// the values; `None` when `map` is not a string enum.
pub(crate) fn open_enum(map: &mut Map<String, Value>) -> Option<Vec<String>> {
    let string_enum = map.get("enum").and_then(Value::as_array).and_then(|values| {
        let typed_string = map.get("type").is_none_or(|t| t == "string");
        let strings: Option<Vec<String>> =
            values.iter().filter(|v| !v.is_null()).map(|v| v.as_str().map(str::to_string)).collect();
        strings.filter(|_| typed_string)
    });
    let values = string_enum?;
    map.remove("enum");
    map.insert("type".to_string(), Value::String("string".to_string()));
    let known = values.iter().map(|v| format!("`{v}`")).collect::<Vec<_>>().join(", ");
    append_description(map, &format!("Known values: {known}."));
    Some(values)
}

fn append_description(map: &mut Map<String, Value>, text: &str) {
    let description = match map.get("description").and_then(Value::as_str) {
        Some(existing) if !existing.trim().is_empty() => format!("{}\n\n{text}", existing.trim_end()),
        _ => text.to_string(),
    };
    map.insert("description".to_string(), Value::String(description));
}

/// A property that may be absent may also be `null`: typify then generates an `Option`
/// (never a `Vec` or map with a default, which would reject `null`). A `$ref` cannot carry
/// `nullable` in OpenAPI 3.0, so it is wrapped in a one-element `allOf` that can.
fn make_nullable(property: &mut Value) {
    let Some(map) = property.as_object_mut() else { return };
    // A default is what the document says an absent value means; the client reports absence
    // as `None` and leaves defaults to the caller.
    map.remove("default");
    if let Some(reference) = map.get("$ref").cloned() {
        let mut wrapper = Map::new();
        wrapper.insert("allOf".to_string(), json!([{ "$ref": reference }]));
        wrapper.insert("nullable".to_string(), Value::Bool(true));
        if let Some(description) = map.get("description") {
            wrapper.insert("description".to_string(), description.clone());
        }
        *property = Value::Object(wrapper);
    } else {
        map.insert("nullable".to_string(), Value::Bool(true));
    }
}

/// Keys that do not change what a property holds once enums are open.
const COSMETIC: [&str; 7] = ["description", "example", "examples", "enum", "nullable", "title", "deprecated"];

/// Replaces a `oneOf`/`anyOf` of objects by one object holding every variant's properties.
/// A property whose schema differs between variants becomes untyped (any JSON value).
fn merge_object_union(map: &mut Map<String, Value>, label: &str, components: &Value, notes: &mut Normalizations) {
    let Some((keyword, variants)) =
        ["oneOf", "anyOf"].iter().find_map(|k| map.get(*k).and_then(Value::as_array).map(|v| (*k, v.clone())))
    else {
        return;
    };
    if variants.is_empty() {
        return;
    }
    let mut merged: Vec<(String, Value)> = Vec::new();
    let mut names = Vec::new();
    for variant in &variants {
        let Some(properties) = object_properties(variant, components, 0) else { return };
        names.push(match variant.get("$ref").and_then(Value::as_str) {
            Some(reference) => format!("`{}`", reference.rsplit('/').next().unwrap_or(reference)),
            None => "an inline object".to_string(),
        });
        for (name, schema) in properties {
            match merged.iter_mut().find(|(existing, _)| *existing == name) {
                None => merged.push((name, schema)),
                Some((_, existing)) if same_shape(existing, &schema) => {}
                Some((_, existing)) => {
                    *existing = json!({"description": "Its type differs between the variants this object merges."});
                }
            }
        }
    }
    map.remove(keyword);
    map.remove("discriminator");
    map.insert("type".to_string(), Value::String("object".to_string()));
    let mut properties = map.get("properties").and_then(Value::as_object).cloned().unwrap_or_default();
    for (name, schema) in merged {
        properties.entry(name).or_insert(schema);
    }
    map.insert("properties".to_string(), Value::Object(properties));
    append_description(map, &format!("One object for any of: {}.", names.join(", ")));
    notes.merged_unions.push((label.to_string(), names));
}

/// The properties of a schema that is an object (directly, by reference, or as an `allOf`
/// of objects); `None` when it is anything else.
fn object_properties(schema: &Value, components: &Value, depth: usize) -> Option<Vec<(String, Value)>> {
    if depth > 8 {
        return None;
    }
    let schema = resolve(schema, components);
    if let Some(parts) = schema.get("allOf").and_then(Value::as_array) {
        let mut all = Vec::new();
        for part in parts {
            all.extend(object_properties(part, components, depth + 1)?);
        }
        return Some(all);
    }
    let is_object = schema.get("type").and_then(Value::as_str) == Some("object")
        || (schema.get("type").is_none() && schema.get("properties").is_some());
    if !is_object || schema.get("oneOf").is_some() || schema.get("anyOf").is_some() {
        return None;
    }
    let properties = schema.get("properties").and_then(Value::as_object).cloned().unwrap_or_default();
    Some(properties.into_iter().collect())
}

fn same_shape(a: &Value, b: &Value) -> bool {
    let strip = |value: &Value| {
        let mut value = value.clone();
        if let Some(map) = value.as_object_mut() {
            for key in COSMETIC {
                map.remove(key);
            }
        }
        value
    };
    strip(a) == strip(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn properties_become_optional_and_nullable() {
        let mut schema = json!({
            "type": "object",
            "required": ["id", "tags", "owner"],
            "properties": {
                "id": {"type": "string"},
                "tags": {"type": "array", "items": {"type": "string"}, "default": []},
                "owner": {"$ref": "#/components/schemas/Owner", "description": "Who."}
            }
        });
        let mut notes = Normalizations::default();
        open_schemas_in(&mut schema, "Thing", &Value::Null, &mut notes);
        assert!(schema.get("required").is_none());
        assert_eq!(schema["properties"]["id"], json!({"type": "string", "nullable": true}));
        assert_eq!(
            schema["properties"]["tags"],
            json!({"type": "array", "items": {"type": "string"}, "nullable": true})
        );
        assert_eq!(
            schema["properties"]["owner"],
            json!({"allOf": [{"$ref": "#/components/schemas/Owner"}], "nullable": true, "description": "Who."})
        );
        assert_eq!(notes.optional_schemas, ["Thing"]);
    }

    #[test]
    fn unions_of_objects_merge_and_conflicts_become_untyped() {
        let components = json!({"schemas": {
            "Otp": {"type": "object", "properties": {"object": {"type": "string", "enum": ["otp"]}, "attempts": {"type": "integer"}}},
            "Admin": {"type": "object", "properties": {"object": {"type": "string", "enum": ["admin"]}, "attempts": {"type": "string"}}}
        }});
        let mut schema = json!({"type": "object", "nullable": true, "oneOf": [
            {"$ref": "#/components/schemas/Otp"}, {"$ref": "#/components/schemas/Admin"}
        ], "discriminator": {"propertyName": "object"}});
        let mut notes = Normalizations::default();
        open_schemas_in(&mut schema, "Email.verification", &components, &mut notes);
        assert!(schema.get("oneOf").is_none() && schema.get("discriminator").is_none());
        assert_eq!(schema["properties"]["object"]["type"], "string");
        assert!(schema["properties"]["object"].get("enum").is_none());
        assert!(schema["properties"]["attempts"].get("type").is_none());
        assert_eq!(notes.merged_unions, [("Email.verification".to_string(), vec!["`Otp`".into(), "`Admin`".into()])]);

        // An array among the variants keeps the union.
        let mut mixed = json!({"oneOf": [{"type": "array", "items": {}}, {"$ref": "#/components/schemas/Otp"}]});
        open_schemas_in(&mut mixed, "List", &components, &mut Normalizations::default());
        assert!(mixed.get("oneOf").is_some());
    }
}
