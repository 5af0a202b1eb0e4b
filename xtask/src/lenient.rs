//! The leniency rules, for the API client and the webhook events alike. What Clerk sends is
//! read by code generated from one revision while Clerk moves on to the next, so every schema a
//! response can reach, and every event payload, is loosened the same way:
//!
//! - `additionalProperties: false` is dropped: a field Clerk adds is ignored;
//! - a string enum becomes a string whose known values are documented: a value Clerk adds
//!   decodes (an enum of anything else is dropped);
//! - no property is required: a field Clerk leaves out decodes as absent (nor is one of a list,
//!   `anyOf: [{required: [a]}, {required: [b]}]`);
//! - validation keywords (`pattern`, bounds, lengths, item counts, `default`) and the formats
//!   that need crates the clients do not carry (dates, UUIDs, IP addresses) are dropped: the
//!   types describe what comes, they do not police it;
//! - a union of objects becomes one object with every variant's properties, so that decoding
//!   never guesses a variant (a property whose shape differs between variants holds any JSON
//!   value, and one that is an enum in several knows all their values).
//!
//! The two walks differ only where their generators do. The API client's schemas are OpenAPI
//! for progenitor: `allOf` stays (progenitor merges it), and each property is marked nullable, a
//! `$ref` one through a one-element `allOf`, so that `null` decodes as `None`. The event schemas
//! become JSON Schema for typify, and every combinator, `allOf` included, is merged here.

use std::collections::BTreeSet;

use serde_json::{Map, Value, json};

/// What the rules changed, for the reports.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Leniency {
    /// Schemas that no longer reject unknown fields.
    pub open_objects: Vec<String>,
    /// Enums turned into strings, with the values the document knew.
    pub open_enums: Vec<(String, Vec<String>)>,
    /// Schemas whose required properties became optional.
    pub optional: Vec<String>,
    /// Unions and combinators replaced by one schema.
    pub merged: Vec<Merge>,
    /// Validation keywords and formats dropped, with what they were.
    pub relaxed: Vec<(String, String)>,
}

/// One union or combinator replaced by one schema.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Merge {
    /// Where.
    pub at: String,
    /// `oneOf`, `anyOf` or `allOf`.
    pub keyword: String,
    /// What it held: `` `Name` `` for a reference, or what an inline variant is.
    pub variants: Vec<String>,
}

impl Leniency {
    pub(crate) fn sort(&mut self) {
        self.open_objects.sort();
        self.open_enums.sort();
        self.optional.sort();
        self.optional.dedup();
        self.merged.sort();
        self.relaxed.sort();
    }
}

/// String formats for which typify would need a crate the clients do not carry (chrono,
/// uuid): such values stay strings.
pub(crate) const FORMATS_NEEDING_CRATES: [&str; 7] = ["date-time", "date", "time", "uuid", "ipv4", "ipv6", "ip"];

/// Validation keywords. typify turns some into constrained types (a string of bounded length is
/// a newtype that refuses any other) that would reject a value Clerk starts sending.
const CONSTRAINTS: [&str; 12] = [
    "pattern",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "minLength",
    "maxLength",
    "minItems",
    "maxItems",
    "uniqueItems",
    "multipleOf",
    "default",
];

/// Follows local `$ref`s (`#/components/<section>/<name>`) within `components`.
pub(crate) fn resolve<'a>(value: &'a Value, components: &'a Value) -> &'a Value {
    let mut current = value;
    for _ in 0..8 {
        let Some(reference) = current.get("$ref").and_then(Value::as_str) else { break };
        let Some(rest) = reference.strip_prefix("#/components/") else { break };
        let mut node = components;
        for segment in rest.split('/') {
            let segment = segment.replace("~1", "/").replace("~0", "~");
            match node.get(&segment) {
                Some(next) => node = next,
                None => return current,
            }
        }
        current = node;
    }
    current
}

/// Whether two schemas hold the same values: equal apart from documentation, vendor extensions
/// and validation keywords, an enum counting as the open string it becomes.
pub(crate) fn same_shape(a: &Value, b: &Value) -> bool {
    fn strip(value: &Value) -> Value {
        match value {
            Value::Object(map) => {
                let mut map: Map<String, Value> = map
                    .iter()
                    .filter(|(key, _)| {
                        !matches!(
                            key.as_str(),
                            "description" | "example" | "examples" | "deprecated" | "nullable" | "title"
                        ) && !key.starts_with("x-")
                            && !CONSTRAINTS.contains(&key.as_str())
                    })
                    .map(|(key, value)| (key.clone(), strip(value)))
                    .collect();
                if map.remove("enum").is_some() {
                    map.insert("type".to_string(), json!("string"));
                }
                Value::Object(map)
            }
            Value::Array(items) => Value::Array(items.iter().map(strip).collect()),
            other => other.clone(),
        }
    }
    strip(a) == strip(b)
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

/// The rules of one schema node that do not depend on the walk: open objects and enums, no
/// validation keywords.
fn relax(map: &mut Map<String, Value>, label: &str, notes: &mut Leniency) {
    if map.get("additionalProperties") == Some(&Value::Bool(false)) {
        map.remove("additionalProperties");
        notes.open_objects.push(label.to_string());
    }
    if let Some(values) = open_enum(map) {
        notes.open_enums.push((label.to_string(), values));
    } else if map.remove("enum").is_some() {
        notes.relaxed.push((label.to_string(), "non-string `enum`".to_string()));
    }
    let mut dropped = Vec::new();
    for key in CONSTRAINTS {
        if let Some(value) = map.remove(key) {
            dropped.push(format!("{key} `{value}`"));
        }
    }
    // `float` would make an `f32`, which refuses a number past its range that JSON allows;
    // without the format it is an `f64`.
    if let Some(Value::String(format)) = map.get("format")
        && (FORMATS_NEEDING_CRATES.contains(&format.as_str()) || format == "float")
    {
        dropped.push(format!("format `{format}`"));
        map.remove("format");
    }
    if !dropped.is_empty() {
        notes.relaxed.push((label.to_string(), dropped.join(", ")));
    }
}

/// The properties of several variants as one set: the first declaration of a name wins, the
/// same shape again adds its enum values to it, and a different shape makes it any JSON value.
fn merge_properties(properties: impl IntoIterator<Item = (String, Value)>) -> Map<String, Value> {
    let mut merged = Map::new();
    for (name, schema) in properties {
        match merged.get_mut(&name) {
            None => {
                merged.insert(name, schema);
            }
            Some(existing) if same_shape(existing, &schema) => {
                let more = schema.get("enum").and_then(Value::as_array).cloned().unwrap_or_default();
                if let Some(Value::Array(known)) = existing.get_mut("enum") {
                    for value in more {
                        if !known.contains(&value) {
                            known.push(value);
                        }
                    }
                }
            }
            Some(existing) => {
                let mut any = Map::new();
                let note = "Its type differs between the variants merged here: any JSON value.";
                if let Some(Value::String(text)) = existing.get("description") {
                    any.insert("description".to_string(), Value::String(text.clone()));
                }
                append_description(&mut any, note);
                *existing = Value::Object(any);
            }
        }
    }
    merged
}

/// How a variant is named in the reports.
fn describe_variant(variant: &Value) -> String {
    match variant.get("$ref").and_then(Value::as_str) {
        Some(reference) => format!("`{}`", reference.rsplit('/').next().unwrap_or(reference)),
        None if is_constraint_only(variant) => "a `required` constraint".to_string(),
        None => "an inline schema".to_string(),
    }
}

/// A branch that only constrains (`{required: [...]}`) and adds no shape.
fn is_constraint_only(branch: &Value) -> bool {
    branch.as_object().is_some_and(|o| !o.is_empty() && o.keys().all(|k| k == "required" || k == "description"))
}

// The API client's walk.

/// Opens every schema a response can reach: the responses given as `roots` (`$ref`s), then
/// the component schemas they reference, transitively. Inline response schemas are opened by
/// the caller with [`open_schemas_in`].
pub(crate) fn open_component_responses(document: &mut Value, roots: &BTreeSet<String>, notes: &mut Leniency) {
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
pub(crate) fn open_schemas_in(node: &mut Value, label: &str, components: &Value, notes: &mut Leniency) {
    let Some(map) = node.as_object_mut() else {
        if let Some(items) = node.as_array_mut() {
            for (index, item) in items.iter_mut().enumerate() {
                open_schemas_in(item, &format!("{label}[{index}]"), components, notes);
            }
        }
        return;
    };
    relax(map, label, notes);
    merge_object_union(map, label, components, notes);
    if map.get("properties").is_some_and(Value::is_object) {
        if let Some(required) = map.remove("required")
            && required.as_array().is_some_and(|r| !r.is_empty())
        {
            notes.optional.push(label.to_string());
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

/// A property that may be absent may also be `null`: typify then generates an `Option`
/// (never a `Vec` or map with a default, which would reject `null`). A `$ref` cannot carry
/// `nullable` in OpenAPI 3.0, so it is wrapped in a one-element `allOf` that can.
fn make_nullable(property: &mut Value) {
    let Some(map) = property.as_object_mut() else { return };
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

/// Replaces a `oneOf`/`anyOf` whose variants are all objects by one object holding every
/// variant's properties.
fn merge_object_union(map: &mut Map<String, Value>, label: &str, components: &Value, notes: &mut Leniency) {
    let Some((keyword, variants)) =
        ["oneOf", "anyOf"].iter().find_map(|k| map.get(*k).and_then(Value::as_array).map(|v| (*k, v.clone())))
    else {
        return;
    };
    if variants.is_empty() {
        return;
    }
    // `anyOf: [{required: [domain]}, {required: [domains]}]` says which fields must be there:
    // a validation rule like `required` itself, which would otherwise split the object into
    // variants that each refuse an answer missing their field.
    if variants.iter().all(is_constraint_only) {
        map.remove(keyword);
        let alternatives: Vec<String> = variants
            .iter()
            .map(|v| {
                let names = v["required"].as_array().cloned().unwrap_or_default();
                names.iter().filter_map(Value::as_str).map(|n| format!("`{n}`")).collect::<Vec<_>>().join(" and ")
            })
            .collect();
        notes.relaxed.push((label.to_string(), format!("{keyword} of required {}", alternatives.join(" or "))));
        return;
    }
    let mut properties = Vec::new();
    for variant in &variants {
        let Some(own) = object_properties(variant, components, 0) else { return };
        properties.extend(own);
    }
    let names: Vec<String> = variants.iter().map(describe_variant).collect();
    map.remove(keyword);
    map.remove("discriminator");
    map.insert("type".to_string(), Value::String("object".to_string()));
    let mut own = map.get("properties").and_then(Value::as_object).cloned().unwrap_or_default();
    for (name, schema) in merge_properties(properties) {
        own.entry(name).or_insert(schema);
    }
    map.insert("properties".to_string(), Value::Object(own));
    append_description(map, &format!("One object for any of: {}.", names.join(", ")));
    notes.merged.push(Merge { at: label.to_string(), keyword: keyword.to_string(), variants: names });
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

// The webhook events' walk.

/// Applies the rules to every definition of the event types, in place.
pub fn open_definitions(definitions: &mut Map<String, Value>) -> Leniency {
    let mut notes = Leniency::default();
    let components = json!({ "schemas": definitions.clone() });
    for (name, schema) in definitions.iter_mut() {
        open_definition(schema, name, &components, &mut notes);
    }
    notes.sort();
    notes
}

fn open_definition(node: &mut Value, label: &str, components: &Value, notes: &mut Leniency) {
    let Some(map) = node.as_object_mut() else { return };
    for keyword in ["allOf", "oneOf", "anyOf"] {
        if let Some(Value::Array(mut branches)) = map.remove(keyword) {
            let variants = branches.iter().map(describe_variant).collect();
            notes.merged.push(Merge { at: label.to_string(), keyword: keyword.to_string(), variants });
            // The node's own properties are one more branch.
            if let Some(properties) = map.remove("properties") {
                branches.push(json!({"type": "object", "properties": properties}));
            }
            absorb(map, merge_branches(&branches, components, 0));
        }
    }
    relax(map, label, notes);
    if let Some(Value::Array(required)) = map.remove("required")
        && !required.is_empty()
    {
        notes.optional.push(label.to_string());
    }
    if let Some(Value::Object(properties)) = map.get_mut("properties") {
        for (name, child) in properties.iter_mut() {
            open_definition(child, &format!("{label}.{name}"), components, notes);
        }
    }
    if let Some(items) = map.get_mut("items") {
        open_definition(items, &format!("{label}[]"), components, notes);
    }
    if let Some(extra) = map.get_mut("additionalProperties").filter(|v| v.is_object()) {
        open_definition(extra, &format!("{label}{{*}}"), components, notes);
    }
}

/// One schema for the branches of a combinator: the one branch that has a shape, one object
/// for branches that are objects, the common type of branches that share one, else any value.
fn merge_branches(branches: &[Value], components: &Value, depth: usize) -> Value {
    let shaped: Vec<&Value> = branches.iter().filter(|b| !is_constraint_only(b)).collect();
    if let [only] = shaped.as_slice() {
        return (*only).clone();
    }
    if shaped.is_empty() {
        return json!({});
    }
    let resolved: Vec<Value> = shaped
        .iter()
        .map(|branch| {
            let target = resolve(branch, components).clone();
            let nested = ["allOf", "oneOf", "anyOf"].iter().find_map(|k| target.get(*k).and_then(Value::as_array));
            match nested {
                Some(inner) if depth < 8 => {
                    let mut flat = target.clone();
                    if let Some(object) = flat.as_object_mut() {
                        object.remove("allOf");
                        object.remove("oneOf");
                        object.remove("anyOf");
                        absorb(object, merge_branches(inner, components, depth + 1));
                    }
                    flat
                }
                _ => target,
            }
        })
        .collect();
    let objects = resolved.iter().all(|b| b.get("properties").is_some() || b.get("type").is_none_or(|t| t == "object"));
    if !objects {
        let first_type = resolved[0].get("type");
        let same = resolved.iter().all(|b| b.get("type") == first_type && b.get("$ref").is_none());
        return match first_type {
            Some(kind) if same => json!({"type": kind}),
            // Mixed kinds: any JSON value.
            _ => json!({}),
        };
    }
    let properties = merge_properties(resolved.iter().flat_map(|branch| {
        branch.get("properties").and_then(Value::as_object).cloned().unwrap_or_default().into_iter()
    }));
    let mut merged = json!({"type": "object", "properties": properties});
    if let Some(text) = resolved.iter().find_map(|branch| branch.get("description")) {
        merged["description"] = text.clone();
    }
    if resolved.iter().any(|b| b.get("additionalProperties").is_some_and(|a| a != &Value::Bool(false))) {
        merged["additionalProperties"] = json!(true);
    }
    merged
}

/// Moves the merged schema into the node that held the combinator; the node's own
/// description and nullability win.
fn absorb(map: &mut Map<String, Value>, merged: Value) {
    let Value::Object(merged) = merged else { return };
    if merged.contains_key("$ref") {
        // A wrapper around one reference: the reference, with the node's description.
        map.remove("type");
    }
    for (key, value) in merged {
        if key == "type" || key == "properties" || key == "$ref" {
            map.insert(key, value);
        } else {
            map.entry(key).or_insert(value);
        }
    }
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
                "id": {"type": "string", "maxLength": 27},
                "tags": {"type": "array", "items": {"type": "string"}, "default": []},
                "owner": {"$ref": "#/components/schemas/Owner", "description": "Who."}
            }
        });
        let mut notes = Leniency::default();
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
        assert_eq!(notes.optional, ["Thing"]);
        assert_eq!(
            notes.relaxed,
            [
                ("Thing.id".to_string(), "maxLength `27`".to_string()),
                ("Thing.tags".to_string(), "default `[]`".to_string())
            ]
        );
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
        let mut notes = Leniency::default();
        open_schemas_in(&mut schema, "Email.verification", &components, &mut notes);
        assert!(schema.get("oneOf").is_none() && schema.get("discriminator").is_none());
        assert_eq!(schema["properties"]["object"]["type"], "string");
        assert!(schema["properties"]["object"].get("enum").is_none());
        // The one open string knows the values of both variants.
        assert_eq!(schema["properties"]["object"]["description"], "Known values: `otp`, `admin`.");
        assert!(schema["properties"]["attempts"].get("type").is_none());
        assert_eq!(
            notes.merged,
            [Merge {
                at: "Email.verification".to_string(),
                keyword: "oneOf".to_string(),
                variants: vec!["`Otp`".into(), "`Admin`".into()]
            }]
        );

        // An array among the variants keeps the union.
        let mut mixed = json!({"oneOf": [{"type": "array", "items": {}}, {"$ref": "#/components/schemas/Otp"}]});
        open_schemas_in(&mut mixed, "List", &components, &mut Leniency::default());
        assert!(mixed.get("oneOf").is_some());
    }

    #[test]
    fn a_union_of_required_lists_is_dropped_like_required() {
        // SAMLConnection: `domain` or `domains` must be there.
        let mut schema = json!({
            "type": "object",
            "required": ["id"],
            "properties": {"id": {"type": "string"}, "domain": {"type": "string"}, "domains": {"type": "array", "items": {"type": "string"}}},
            "anyOf": [{"required": ["domain"]}, {"required": ["domains"]}]
        });
        let mut notes = Leniency::default();
        open_schemas_in(&mut schema, "SAMLConnection", &Value::Null, &mut notes);
        assert!(schema.get("anyOf").is_none() && schema.get("required").is_none());
        assert_eq!(schema["properties"]["domain"], json!({"type": "string", "nullable": true}));
        assert_eq!(notes.merged, []);
        assert_eq!(
            notes.relaxed,
            [("SAMLConnection".to_string(), "anyOf of required `domain` or `domains`".to_string())]
        );
    }

    #[test]
    fn definitions_merge_branches_and_open_everything() {
        let mut definitions: Map<String, Value> = serde_json::from_value(json!({
            "Otp": {"type": "object", "additionalProperties": false, "required": ["status"], "properties": {
                "status": {"type": "string", "enum": ["verified", "failed"]},
                "attempts": {"type": "integer", "minimum": 0}}},
            "Admin": {"type": "object", "properties": {
                "status": {"type": "string", "enum": ["verified", "admin_only"]},
                "attempts": {"type": "string"}}},
            "Email": {"type": "object", "properties": {
                "verification": {"nullable": true, "oneOf": [{"$ref": "#/components/schemas/Otp"}, {"$ref": "#/components/schemas/Admin"}]},
                "owner": {"nullable": true, "allOf": [{"$ref": "#/components/schemas/Admin"}], "description": "Who."},
                "code": {"type": "string", "pattern": "^[0-9]+$"}},
                "anyOf": [{"required": ["code"]}, {"required": ["owner"]}]}
        }))
        .unwrap();
        let notes = open_definitions(&mut definitions);
        let verification = &definitions["Email"]["properties"]["verification"];
        assert_eq!(verification["type"], "object");
        assert_eq!(verification["properties"]["status"]["type"], "string");
        assert!(verification["properties"]["status"]["description"].as_str().unwrap().contains("`admin_only`"));
        // `integer` in one branch and `string` in the other: any JSON value.
        assert_eq!(
            verification["properties"]["attempts"],
            json!({"description": "Its type differs between the variants merged here: any JSON value."})
        );
        assert_eq!(
            definitions["Email"]["properties"]["owner"],
            json!({"$ref": "#/components/schemas/Admin", "nullable": true, "description": "Who."})
        );
        assert!(definitions["Email"].get("anyOf").is_none());
        assert!(definitions["Email"]["properties"]["code"].get("pattern").is_none());
        assert!(
            definitions["Otp"].get("additionalProperties").is_none() && definitions["Otp"].get("required").is_none()
        );
        assert!(definitions["Otp"]["properties"]["attempts"].get("minimum").is_none());
        assert_eq!(notes.open_objects, ["Otp"]);
        assert_eq!(notes.optional, ["Otp"]);
        let merged: Vec<(&str, &str)> = notes.merged.iter().map(|m| (m.at.as_str(), m.keyword.as_str())).collect();
        assert_eq!(merged, [("Email", "anyOf"), ("Email.owner", "allOf"), ("Email.verification", "oneOf")]);
    }

    #[test]
    fn shapes_compare_without_documentation_or_constraints() {
        let a = json!({"type": "string", "description": "A.", "maxLength": 3, "x-go": 1, "enum": ["a"]});
        let b = json!({"type": "string", "example": "b", "enum": ["b", "c"]});
        assert!(same_shape(&a, &b));
        assert!(!same_shape(&a, &json!({"type": "integer"})));
        assert!(same_shape(
            &json!({"type": "array", "items": {"type": "string", "title": "t"}}),
            &json!({"type": "array", "items": {"type": "string"}})
        ));
    }
}
