//! Generic adjustments that any Clerk revision needs before progenitor can generate a client
//! that keeps working as the API grows. Unlike the overlay, these are rules rather than
//! individual fixes, so they apply unchanged to newer revisions; everything they touch is
//! listed in the fixes report.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value};

/// Everything the rules changed, for the report.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Normalizations {
    /// Operations removed from the client, with the reason.
    pub dropped_operations: Vec<OperationNote>,
    /// Operations kept with a change, with what changed.
    pub altered_operations: Vec<OperationNote>,
    /// Response schemas that no longer reject unknown fields.
    pub open_objects: Vec<String>,
    /// Response enums turned into strings, with the values the document knew.
    pub open_enums: Vec<(String, Vec<String>)>,
    /// String constraints dropped, as (JSON pointer, what was dropped).
    pub relaxed_strings: Vec<(String, String)>,
}

/// One note about one operation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OperationNote {
    /// `GET`, `POST`, ...
    pub method: String,
    /// The path template.
    pub path: String,
    /// The operationId, or `-`.
    pub operation_id: String,
    /// What was done and why.
    pub note: String,
}

const METHODS: [&str; 8] = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];
/// Request body media types that progenitor can send.
const SENDABLE: [&str; 5] = [
    "application/json",
    "application/x-www-form-urlencoded",
    "application/octet-stream",
    "text/plain",
    "text/x-markdown",
];

/// Applies every rule to `document` in place.
pub fn normalize(document: &mut Value) -> Normalizations {
    let mut notes = Normalizations::default();
    let components = document.get("components").cloned().unwrap_or(Value::Null);
    let mut response_refs = BTreeSet::new();
    if let Some(paths) = document.get_mut("paths").and_then(Value::as_object_mut) {
        for (path, item) in paths.iter_mut() {
            let Some(item) = item.as_object_mut() else { continue };
            for method in METHODS {
                let Some(operation) = item.get_mut(method) else { continue };
                let id = operation_id(operation);
                let note = |note: String| OperationNote {
                    method: method.to_uppercase(),
                    path: path.clone(),
                    operation_id: id.clone(),
                    note,
                };
                if let Some(change) = dedupe_parameters(operation, &components) {
                    notes.altered_operations.push(note(change));
                }
                match narrow_request_body(operation, &components) {
                    Ok(Some(change)) => notes.altered_operations.push(note(change)),
                    Ok(None) => {}
                    Err(reason) => {
                        notes.dropped_operations.push(note(reason));
                        item.remove(method);
                        continue;
                    }
                }
                for change in unify_responses(operation, &components) {
                    notes.altered_operations.push(note(change));
                }
                if let Some(responses) = operation.get_mut("responses") {
                    collect_refs(responses, &mut response_refs);
                    let label = format!("{} {path} response", method.to_uppercase());
                    open_schemas_in(responses, &label, &mut notes);
                }
            }
        }
    }
    open_component_responses(document, &response_refs, &mut notes);
    relax_strings(document, &mut String::new(), &mut notes.relaxed_strings);
    notes.open_objects.sort();
    notes.open_enums.sort();
    notes
}

/// String formats for which typify would need a crate the client does not carry (chrono,
/// uuid): such values stay strings.
const FORMATS_NEEDING_CRATES: [&str; 7] = ["date-time", "date", "time", "uuid", "ipv4", "ipv6", "ip"];

/// Drops `pattern` (typify turns it into a validating newtype that needs the regress crate
/// and would reject an ID format Clerk changes) and the formats above, everywhere.
fn relax_strings(node: &mut Value, at: &mut String, relaxed: &mut Vec<(String, String)>) {
    match node {
        Value::Object(map) => {
            let mut dropped = Vec::new();
            if map.get("pattern").is_some_and(Value::is_string) && map.get("type").is_none_or(|t| t == "string") {
                if let Some(Value::String(pattern)) = map.remove("pattern") {
                    dropped.push(format!("pattern `{pattern}`"));
                }
            }
            if let Some(Value::String(format)) = map.get("format") {
                if map.get("type") == Some(&Value::String("string".to_string()))
                    && FORMATS_NEEDING_CRATES.contains(&format.as_str())
                {
                    dropped.push(format!("format `{format}`"));
                    map.remove("format");
                }
            }
            if !dropped.is_empty() {
                relaxed.push((at.clone(), dropped.join(", ")));
            }
            for (key, child) in map.iter_mut() {
                let mark = at.len();
                at.push('/');
                at.push_str(&key.replace('~', "~0").replace('/', "~1"));
                relax_strings(child, at, relaxed);
                at.truncate(mark);
            }
        }
        Value::Array(items) => {
            for (index, item) in items.iter_mut().enumerate() {
                let mark = at.len();
                at.push_str(&format!("/{index}"));
                relax_strings(item, at, relaxed);
                at.truncate(mark);
            }
        }
        _ => {}
    }
}

/// progenitor names parameters in snake case; two parameters that differ only in case
/// (`frontendApi`, deprecated, beside `frontend_api`) would become one Rust name twice.
/// Keeps the non-deprecated one (the first, when neither or both are deprecated).
fn dedupe_parameters(operation: &mut Value, components: &Value) -> Option<String> {
    let parameters = operation.get_mut("parameters")?.as_array_mut()?;
    let facts: Vec<(String, String, bool)> = parameters
        .iter()
        .map(|parameter| {
            let resolved = resolve(parameter, components);
            let name = resolved.get("name").and_then(Value::as_str).unwrap_or_default().to_string();
            let deprecated = resolved.get("deprecated").and_then(Value::as_bool).unwrap_or(false);
            (snake_case(&name), name, deprecated)
        })
        .collect();
    let mut keep = vec![true; facts.len()];
    for later in 0..facts.len() {
        if let Some(earlier) = (0..later).find(|&earlier| keep[earlier] && facts[earlier].0 == facts[later].0) {
            if facts[earlier].2 && !facts[later].2 {
                keep[earlier] = false;
            } else {
                keep[later] = false;
            }
        }
    }
    let dropped: Vec<String> =
        facts.iter().zip(&keep).filter(|(_, kept)| !**kept).map(|(fact, _)| format!("`{}`", fact.1)).collect();
    if dropped.is_empty() {
        return None;
    }
    let mut flags = keep.into_iter();
    parameters.retain(|_| flags.next().unwrap_or(true));
    Some(format!(
        "parameter {} dropped: its Rust name collides with another parameter's, which is kept",
        dropped.join(", ")
    ))
}

/// Snake case as progenitor applies it to parameter names.
pub(crate) fn snake_case(name: &str) -> String {
    let mut out = String::with_capacity(name.len() + 4);
    for (index, c) in name.chars().enumerate() {
        if c.is_ascii_uppercase() {
            if index > 0 && !out.ends_with('_') {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
        } else if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('_') {
            out.push('_');
        }
    }
    out
}

/// Counts the operations under `paths`.
pub fn count_operations(document: &Value) -> usize {
    document
        .get("paths")
        .and_then(Value::as_object)
        .map(|paths| {
            paths
                .values()
                .filter_map(Value::as_object)
                .map(|item| METHODS.iter().filter(|m| item.contains_key(**m)).count())
                .sum()
        })
        .unwrap_or(0)
}

fn operation_id(operation: &Value) -> String {
    operation.get("operationId").and_then(Value::as_str).unwrap_or("-").to_string()
}

/// Follows a local `$ref` (`#/components/...`) within `components`.
fn resolve<'a>(value: &'a Value, components: &'a Value) -> &'a Value {
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

/// Keeps one sendable request body media type. `Err` means the operation cannot be sent by
/// the generated client at all and must be dropped.
fn narrow_request_body(operation: &mut Value, components: &Value) -> Result<Option<String>, String> {
    let Some(body) = operation.get("requestBody") else { return Ok(None) };
    let resolved = resolve(body, components).clone();
    let Some(content) = resolved.get("content").and_then(Value::as_object) else { return Ok(None) };
    let offered: Vec<&String> = content.keys().collect();
    let chosen = offered
        .iter()
        .find(|t| t.as_str() == "application/json")
        .or_else(|| offered.iter().find(|t| SENDABLE.contains(&t.as_str())));
    let Some(chosen) = chosen else {
        return Err(format!(
            "request body is {}, which the generator cannot send; dropped rather than generate a method that cannot work",
            offered.iter().map(|t| format!("`{t}`")).collect::<Vec<_>>().join(", ")
        ));
    };
    let mut media = content[chosen.as_str()].clone();
    let mut changes = Vec::new();
    if offered.len() > 1 {
        changes.push(format!(
            "request body sent as `{chosen}` only (the document also offers {})",
            offered.iter().filter(|t| *t != chosen).map(|t| format!("`{t}`")).collect::<Vec<_>>().join(", ")
        ));
    }
    if media.get("encoding").is_some_and(|e| e.as_object().is_some_and(|e| !e.is_empty())) {
        media.as_object_mut().map(|m| m.remove("encoding"));
        changes.push(format!("`encoding` of the `{chosen}` request body ignored"));
    }
    if changes.is_empty() {
        return Ok(None);
    }
    let mut narrowed = resolved.clone();
    let mut only = Map::new();
    only.insert(chosen.to_string(), media);
    narrowed["content"] = Value::Object(only);
    operation["requestBody"] = narrowed;
    Ok(Some(changes.join("; ")))
}

/// How a response decodes, which progenitor needs to be the same for every success status
/// and for every error status of an operation.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum ResponseKind {
    None,
    Raw,
    Typed(String),
}

fn response_kind(response: &Value) -> ResponseKind {
    let Some(content) = response.get("content").and_then(Value::as_object) else { return ResponseKind::None };
    let json = content.iter().find(|(t, _)| *t == "application/json" || t.starts_with("application/json;"));
    match json {
        Some((_, media)) => match media.get("schema") {
            Some(schema) => ResponseKind::Typed(schema.to_string()),
            None => ResponseKind::Raw,
        },
        None if content.is_empty() => ResponseKind::None,
        None => ResponseKind::Raw,
    }
}

fn describe(kind: &ResponseKind) -> String {
    match kind {
        ResponseKind::None => "no body".to_string(),
        ResponseKind::Raw => "a non-JSON body".to_string(),
        ResponseKind::Typed(schema) => {
            match serde_json::from_str::<Value>(schema).ok().and_then(|s| s.get("$ref").cloned()) {
                Some(Value::String(reference)) => format!("`{}`", reference.rsplit('/').next().unwrap_or(&reference)),
                _ => format!(
                    "the inline schema `{}`",
                    crate::overlay::brief(&serde_json::from_str(schema).unwrap_or_default()).trim_matches('`')
                ),
            }
        }
    }
}

fn is_success(status: &str) -> bool {
    status == "101" || status.starts_with('2')
}

fn is_error(status: &str) -> bool {
    status.starts_with('4') || status.starts_with('5')
}

/// Removes the responses whose body kind disagrees with the rest of their class (success or
/// error). A removed error response still reaches the caller as an error carrying its status.
fn unify_responses(operation: &mut Value, components: &Value) -> Vec<String> {
    let Some(responses) = operation.get_mut("responses").and_then(Value::as_object_mut) else { return Vec::new() };
    let kinds: BTreeMap<String, ResponseKind> = responses
        .iter()
        .map(|(status, response)| (status.clone(), response_kind(resolve(response, components))))
        .collect();
    // A response declared by reference is named after it; others by their body.
    let labels: BTreeMap<String, String> = responses
        .iter()
        .map(|(status, response)| {
            let label = match response.get("$ref").and_then(Value::as_str) {
                Some(reference) => format!("`{}`", reference.rsplit('/').next().unwrap_or(reference)),
                None => describe(&kinds[status]),
            };
            (status.clone(), label)
        })
        .collect();
    let label_of_kind = |kind: &ResponseKind| {
        kinds
            .iter()
            .find(|(_, k)| *k == kind)
            .map(|(status, _)| labels[status].clone())
            .unwrap_or_else(|| describe(kind))
    };
    let mut changes = Vec::new();
    let mut drop = BTreeSet::new();
    // `default` counts as both a success and an error response.
    if let Some(default_kind) = kinds.get("default") {
        let success: BTreeSet<_> = kinds.iter().filter(|(s, _)| is_success(s)).map(|(_, k)| k).collect();
        if !success.is_empty() && success.iter().any(|k| *k != default_kind) {
            drop.insert("default".to_string());
            changes.push(format!(
                "`default` response ({}) removed: it disagrees with the success responses, which it would also cover",
                labels["default"]
            ));
        }
    }
    for (class, in_class) in [("success", is_success as fn(&str) -> bool), ("error", is_error)] {
        let members: Vec<(&String, &ResponseKind)> = kinds
            .iter()
            .filter(|(status, _)| in_class(status) || (status.as_str() == "default" && !drop.contains("default")))
            .collect();
        let mut tally: BTreeMap<&ResponseKind, usize> = BTreeMap::new();
        for (_, kind) in &members {
            *tally.entry(kind).or_default() += 1;
        }
        if tally.len() <= 1 {
            continue;
        }
        // The most common kind wins; on a tie a typed body beats a raw one beats none.
        let winner = tally.iter().max_by_key(|(kind, count)| (**count, **kind)).map(|(k, _)| (*k).clone());
        let Some(winner) = winner else { continue };
        for (status, kind) in members {
            if *kind != winner {
                drop.insert(status.clone());
                changes.push(format!(
                    "{class} response `{status}` ({}) removed: the operation's other {class} responses have {}; it now surfaces as an unexpected response with its status",
                    if *kind == ResponseKind::None { describe(kind) } else { labels[status].clone() },
                    label_of_kind(&winner)
                ));
            }
        }
    }
    for status in &drop {
        responses.remove(status);
    }
    changes
}

fn collect_refs(value: &Value, refs: &mut BTreeSet<String>) {
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

/// Opens every schema a response can reach: response components, then the schema components
/// they reference, transitively.
fn open_component_responses(document: &mut Value, roots: &BTreeSet<String>, notes: &mut Normalizations) {
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
        open_schemas_in(node, name, notes);
    }
}

/// Walks a response or schema and opens every schema in it (not following references).
fn open_schemas_in(node: &mut Value, label: &str, notes: &mut Normalizations) {
    let Some(map) = node.as_object_mut() else {
        if let Some(items) = node.as_array_mut() {
            for (index, item) in items.iter_mut().enumerate() {
                open_schemas_in(item, &format!("{label}[{index}]"), notes);
            }
        }
        return;
    };
    if map.get("additionalProperties") == Some(&Value::Bool(false)) {
        map.remove("additionalProperties");
        notes.open_objects.push(label.to_string());
    }
    let string_enum = map.get("enum").and_then(Value::as_array).and_then(|values| {
        let typed_string = map.get("type").is_none_or(|t| t == "string");
        let strings: Option<Vec<String>> =
            values.iter().filter(|v| !v.is_null()).map(|v| v.as_str().map(str::to_string)).collect();
        strings.filter(|_| typed_string)
    });
    if let Some(values) = string_enum {
        map.remove("enum");
        map.insert("type".to_string(), Value::String("string".to_string()));
        let known = values.iter().map(|v| format!("`{v}`")).collect::<Vec<_>>().join(", ");
        let description = match map.get("description").and_then(Value::as_str) {
            Some(text) => format!("{}\n\nKnown values: {known}.", text.trim_end()),
            None => format!("Known values: {known}."),
        };
        map.insert("description".to_string(), Value::String(description));
        notes.open_enums.push((label.to_string(), values));
    }
    for (key, child) in map.iter_mut() {
        let child_label = match key.as_str() {
            "properties" | "content" => {
                if let Some(children) = child.as_object_mut() {
                    for (name, grandchild) in children.iter_mut() {
                        let sep = if key == "properties" { "." } else { " " };
                        open_schemas_in(grandchild, &format!("{label}{sep}{name}"), notes);
                    }
                }
                continue;
            }
            "items" => format!("{label}[]"),
            "schema" | "allOf" | "oneOf" | "anyOf" | "not" => label.to_string(),
            "additionalProperties" => format!("{label}{{*}}"),
            _ => continue,
        };
        open_schemas_in(child, &child_label, notes);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn drops_multipart_and_unifies_error_bodies() {
        let mut doc = json!({
            "paths": {"/x": {
                "put": {"operationId": "Up", "requestBody": {"content": {"multipart/form-data": {"schema": {}}}}, "responses": {}},
                "post": {"operationId": "Verify", "responses": {
                    "200": {"description": "ok", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Err"}}}},
                    "400": {"description": "bad"},
                    "404": {"description": "missing"},
                    "500": {"$ref": "#/components/responses/E"}}}
            }},
            "components": {"responses": {"E": {"description": "e", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Err"}}}}},
                "schemas": {"Err": {"type": "object", "additionalProperties": false, "properties": {"kind": {"type": "string", "enum": ["a", "b"]}}}}}
        });
        let notes = normalize(&mut doc);
        assert_eq!(notes.dropped_operations.len(), 1);
        assert_eq!(notes.dropped_operations[0].operation_id, "Up");
        assert!(doc["paths"]["/x"].get("put").is_none());
        // Two body-less errors outnumber the typed one.
        let responses = doc["paths"]["/x"]["post"]["responses"].as_object().unwrap();
        assert_eq!(responses.keys().collect::<Vec<_>>(), ["200", "400", "404"]);
        assert_eq!(notes.open_objects, ["Err"]);
        assert_eq!(notes.open_enums, [("Err.kind".to_string(), vec!["a".to_string(), "b".to_string()])]);
        assert!(doc["components"]["schemas"]["Err"]["properties"]["kind"].get("enum").is_none());
    }
}
