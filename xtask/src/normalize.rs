//! Generic adjustments that any Clerk revision needs before progenitor can generate a client
//! that keeps working as the API grows. Unlike the overlay, these are rules rather than
//! individual fixes, so they apply unchanged to newer revisions; everything they touch is
//! listed in the fixes report.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value, json};

use crate::lenient::{
    FORMATS_NEEDING_CRATES, Leniency, collect_refs, open_component_responses, open_schemas_in, resolve,
};

/// Everything the rules changed, for the report.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Normalizations {
    /// Operations removed from the client, with the reason.
    pub dropped_operations: Vec<OperationNote>,
    /// Operations kept with a change, with what changed.
    pub altered_operations: Vec<OperationNote>,
    /// Operations renamed so their Rust names read as words: (document's operationId, new).
    pub renamed_operations: Vec<(String, String)>,
    /// How many operations decode Clerk's error body for every 4xx and 5xx status.
    pub clerk_error_operations: usize,
    /// Operations whose errors keep the document's own error bodies, with why.
    pub other_error_operations: Vec<OperationNote>,
    /// What the leniency rules changed in the schemas a response can reach.
    pub leniency: Leniency,
    /// Parameter enums turned into strings, with the values the document knew.
    pub open_parameter_enums: Vec<(String, Vec<String>)>,
    /// Request-body properties changed so that only what the caller gives is sent.
    pub request_bodies: Vec<String>,
    /// String constraints dropped, as (JSON pointer, what was dropped).
    pub relaxed_strings: Vec<(String, String)>,
    /// Integer schemas made `i64`, as (JSON pointer, what was dropped).
    pub widened_integers: Vec<(String, String)>,
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
    // Item schema name -> (the list schema that declared them inline, the items).
    let mut hoisted_items: BTreeMap<String, (String, Value)> = BTreeMap::new();
    if let Some(paths) = document.get_mut("paths").and_then(Value::as_object_mut) {
        for (path, item) in paths.iter_mut() {
            let Some(item) = item.as_object_mut() else { continue };
            let shared_parameters = item.get("parameters").cloned().unwrap_or(Value::Null);
            for method in METHODS {
                let Some(operation) = item.get_mut(method) else { continue };
                let id = operation_id(operation);
                let note = |note: String| OperationNote {
                    method: method.to_uppercase(),
                    path: path.clone(),
                    operation_id: id.clone(),
                    note,
                };
                record_page_limit(operation, &shared_parameters, &components);
                if let Some(change) = count_in_integers(operation, &shared_parameters, &components) {
                    notes.altered_operations.push(note(change));
                }
                if let Some(renamed) = rename_operation(operation) {
                    notes.renamed_operations.push((id.clone(), renamed));
                }
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
                notes.request_bodies.extend(
                    send_only_given(operation)
                        .into_iter()
                        .map(|field| format!("{} {path} {field}", method.to_uppercase())),
                );
                if let Some(change) = accept_both_list_shapes(operation, &components, &mut hoisted_items) {
                    notes.altered_operations.push(note(change));
                }
                match decode_clerk_errors(operation, &components) {
                    Ok(change) => {
                        notes.clerk_error_operations += 1;
                        notes.altered_operations.extend(change.map(note));
                    }
                    Err(why) => notes.other_error_operations.push(note(why)),
                }
                for change in unify_responses(operation, &components) {
                    notes.altered_operations.push(note(change));
                }
                if let Some(responses) = operation.get_mut("responses").and_then(Value::as_object_mut) {
                    for (status, response) in responses.iter_mut() {
                        collect_refs(response, &mut response_refs);
                        let label = format!("{} {path} {status}", method.to_uppercase());
                        open_schemas_in(response, &label, &components, &mut notes.leniency);
                    }
                }
            }
        }
    }
    if let Some(schemas) = document.pointer_mut("/components/schemas").and_then(Value::as_object_mut) {
        for (name, (list_name, schema)) in hoisted_items {
            response_refs.insert(format!("#/components/schemas/{name}"));
            // The list schema names its items rather than declaring a second copy of them.
            if let Some(list) = schemas.get_mut(&list_name) {
                list["items"] = json!({"$ref": format!("#/components/schemas/{name}")});
            }
            schemas.entry(name).or_insert(schema);
        }
    }
    open_component_responses(document, &response_refs, &mut notes.leniency);
    open_parameter_enums(document, &mut notes.open_parameter_enums);
    relax_strings(document, &mut String::new(), &mut notes.relaxed_strings);
    widen_integers(document, &mut String::new(), &mut notes.widened_integers);
    notes.leniency.sort();
    notes
}

/// Drops `pattern` (typify turns it into a validating newtype that needs the regress crate
/// and would reject an ID format Clerk changes) and the formats above, everywhere.
fn relax_strings(node: &mut Value, at: &mut String, relaxed: &mut Vec<(String, String)>) {
    match node {
        Value::Object(map) => {
            let mut dropped = Vec::new();
            if map.get("pattern").is_some_and(Value::is_string)
                && map.get("type").is_none_or(|t| t == "string")
                && let Some(Value::String(pattern)) = map.remove("pattern")
            {
                dropped.push(format!("pattern `{pattern}`"));
            }
            if let Some(Value::String(format)) = map.get("format")
                && map.get("type") == Some(&Value::String("string".to_string()))
                && FORMATS_NEEDING_CRATES.contains(&format.as_str())
            {
                dropped.push(format!("format `{format}`"));
                map.remove("format");
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
            Some(schema) => ResponseKind::Typed(without_examples(schema).to_string()),
            None => ResponseKind::Raw,
        },
        None if content.is_empty() => ResponseKind::None,
        None => ResponseKind::Raw,
    }
}

/// A schema without its `example`s: two bodies that differ only in their examples decode
/// alike.
fn without_examples(schema: &Value) -> Value {
    match schema {
        Value::Object(map) => Value::Object(
            map.iter()
                .filter(|(key, _)| *key != "example" && *key != "examples")
                .map(|(key, value)| (key.clone(), without_examples(value)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(without_examples).collect()),
        other => other.clone(),
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

/// Words of an operationId, so that acronyms stay whole: `ListRedirectURLs` is `list`,
/// `redirect`, `urls` (not `ur`, `ls`), `GetOAuthAccessToken` is `get`, `oauth`, `access`,
/// `token` and `createM2MToken` is `create`, `m2m`, `token`.
pub(crate) fn operation_words(id: &str) -> Vec<String> {
    // `OAuth` is one word written with two capitals; it is the only such word in Clerk's
    // operationIds.
    let chars: Vec<char> = id.replace("OAuth", "Oauth").chars().collect();
    let mut words: Vec<String> = Vec::new();
    let mut current = String::new();
    let mut index = 0;
    while index < chars.len() {
        let c = chars[index];
        if !c.is_ascii_alphanumeric() {
            if !current.is_empty() {
                words.push(std::mem::take(&mut current));
            }
            index += 1;
            continue;
        }
        let previous = if current.is_empty() { None } else { index.checked_sub(1).map(|i| chars[i]) };
        let next = chars.get(index + 1).copied();
        let boundary = c.is_ascii_uppercase()
            && match previous {
                Some(p) if p.is_ascii_lowercase() => true,
                // In a run of capitals, the last one starts the next word when lower case
                // follows, unless that is a plural `s` closing the acronym (`URLs`).
                Some(p) if p.is_ascii_uppercase() || p.is_ascii_digit() => {
                    let plural =
                        next == Some('s') && chars.get(index + 2).is_none_or(|after| !after.is_ascii_lowercase());
                    next.is_some_and(|n| n.is_ascii_lowercase()) && !plural
                }
                _ => false,
            };
        if boundary && !current.is_empty() {
            words.push(std::mem::take(&mut current));
        }
        current.push(c.to_ascii_lowercase());
        index += 1;
    }
    if !current.is_empty() {
        words.push(current);
    }
    words
}

/// A parameter's closed enum would make the client refuse a value Clerk accepts: one the
/// document forgot (session status `pending`) or one a later revision adds. Parameters are
/// strings whose known values are documented; the caller checks what it needs.
fn open_parameter_enums(document: &mut Value, opened: &mut Vec<(String, Vec<String>)>) {
    let mut open = |parameter: &mut Value, label: String| {
        let name = parameter.get("name").and_then(Value::as_str).unwrap_or("?").to_string();
        for pointer in ["/schema", "/schema/items"] {
            let Some(schema) = parameter.pointer_mut(pointer).and_then(Value::as_object_mut) else { continue };
            if let Some(values) = crate::lenient::open_enum(schema) {
                opened.push((format!("{label} `{name}`"), values));
            }
        }
    };
    if let Some(paths) = document.get_mut("paths").and_then(Value::as_object_mut) {
        for (path, item) in paths.iter_mut() {
            let Some(item) = item.as_object_mut() else { continue };
            for (method, operation) in item.iter_mut() {
                let Some(parameters) = operation.get_mut("parameters").and_then(Value::as_array_mut) else { continue };
                for parameter in parameters {
                    open(parameter, format!("{} {path}", method.to_uppercase()));
                }
            }
        }
    }
    if let Some(parameters) = document.pointer_mut("/components/parameters").and_then(Value::as_object_mut) {
        for (name, parameter) in parameters.iter_mut() {
            open(parameter, format!("components.parameters.{name}"));
        }
    }
    opened.sort();
}

/// A request body sends what the caller gave and nothing else. typify fills an optional
/// property that has a `default` with that default and always sends it (a PATCH of a user
/// would send `notify_primary_email_address_changed: false` unasked), and leaves an optional
/// map out when it is empty, so `{}` (which clears metadata) could never be sent. Defaults of
/// optional properties are dropped (Clerk applies its own), and free-form maps are nullable:
/// absent is not sent, `{}` is sent as given. Returns what changed.
fn send_only_given(operation: &mut Value) -> Vec<String> {
    let Some(schema) = operation.pointer_mut("/requestBody/content/application~1json/schema") else {
        return Vec::new();
    };
    let required: Vec<Value> = schema.get("required").and_then(Value::as_array).cloned().unwrap_or_default();
    let Some(properties) = schema.get_mut("properties").and_then(Value::as_object_mut) else { return Vec::new() };
    let mut changed = Vec::new();
    for (name, property) in properties.iter_mut() {
        let Some(property) = property.as_object_mut() else { continue };
        // An object that declares some properties and allows any other (`actor`: `sub` and
        // whatever the caller adds) is a free-form map: typify would keep only the declared
        // properties and drop the rest before sending.
        if property.get("additionalProperties") == Some(&json!(true))
            && property.get("properties").is_some_and(|p| p.as_object().is_some_and(|p| !p.is_empty()))
        {
            let declared: Vec<String> = property
                .remove("properties")
                .and_then(|p| p.as_object().map(|p| p.keys().cloned().collect()))
                .unwrap_or_default();
            property.remove("required");
            changed.push(format!(
                "`{name}`: an open object, sent whole (it declares {}, and allows any other property)",
                declared.iter().map(|d| format!("`{d}`")).collect::<Vec<_>>().join(", ")
            ));
        }
        if required.contains(&json!(name)) {
            continue;
        }
        if let Some(default) = property.remove("default") {
            changed.push(format!("`{name}`: default `{default}` not sent"));
        }
        let free_form = property.get("type") == Some(&json!("object")) && property.get("properties").is_none();
        if free_form && property.get("nullable") != Some(&json!(true)) {
            property.insert("nullable".to_string(), json!(true));
            changed.push(format!("`{name}`: `{{}}` can be sent"));
        }
    }
    changed
}

/// Every operationId becomes its words in snake case (`GetUserList` -> `get_user_list`), which
/// progenitor keeps as the client method's name and `OperationInfo::operation_id`: the fixed
/// document then names each generated operation, and nothing has to read the generated code to
/// find out. Returns the new id when it differs from what progenitor's own conversion would
/// give: an acronym, which that conversion splits letter by letter (`list_redirect_ur_ls`).
fn rename_operation(operation: &mut Value) -> Option<String> {
    let id = operation.get("operationId")?.as_str()?;
    let has_acronym = id.contains("OAuth")
        || id.as_bytes().windows(2).any(|w| w[0].is_ascii_uppercase() && w[1].is_ascii_uppercase());
    let renamed = operation_words(id).join("_");
    operation["operationId"] = Value::String(renamed.clone());
    has_acronym.then_some(renamed)
}

/// The operation extension in which normalization keeps the page size of a list that pages
/// with `limit` and `offset`: the largest page its `limit` allows.
pub const PAGE_LIMIT: &str = "x-page-limit";

/// A list that pages with `limit` and `offset` (query parameters of its own or of its path)
/// records the largest page its `limit` allows, the `maximum` (else the `default`) of its
/// schema, as [`PAGE_LIMIT`]: its stream asks for pages of that size. It is read before the
/// integer rule drops the bounds.
fn record_page_limit(operation: &mut Value, shared_parameters: &Value, components: &Value) {
    let own = operation.get("parameters").and_then(Value::as_array).into_iter().flatten();
    let shared = shared_parameters.as_array().into_iter().flatten();
    let parameters: Vec<&Value> = own.chain(shared).map(|parameter| resolve(parameter, components)).collect();
    let query = |name: &str| {
        parameters.iter().find(|parameter| {
            parameter.get("name") == Some(&json!(name)) && parameter.get("in") == Some(&json!("query"))
        })
    };
    let (Some(limit), Some(_)) = (query("limit"), query("offset")) else { return };
    let Some(schema) = limit.get("schema").map(|schema| resolve(schema, components)) else { return };
    let largest = ["maximum", "default"]
        .iter()
        .find_map(|bound| schema.get(*bound).and_then(Value::as_f64))
        .filter(|size| *size >= 1.0);
    if let Some(size) = largest {
        operation[PAGE_LIMIT] = json!(size as i64);
    }
}

/// `limit` and `offset` count items. Where the document declares them as numbers (some newer
/// endpoints do, and the pre-versioning document did everywhere), they become integers, so that
/// `limit=10` is sent rather than `10.0` and every list pages with the same type. A shared
/// parameter (a component, or one of the path's) is copied into the operation for that, since
/// the operation's own parameters override the path's. Returns what changed.
fn count_in_integers(operation: &mut Value, shared_parameters: &Value, components: &Value) -> Option<String> {
    let as_integer = |parameter: &Value| -> Option<Value> {
        let resolved = resolve(parameter, components);
        let name = resolved.get("name").and_then(Value::as_str)?;
        let schema = resolve(resolved.get("schema")?, components);
        let counts = matches!(name, "limit" | "offset") && resolved.get("in") == Some(&json!("query"));
        if !counts || schema.get("type") != Some(&json!("number")) {
            return None;
        }
        let mut counted = resolved.clone();
        counted["schema"] = schema.clone();
        counted["schema"]["type"] = json!("integer");
        counted["schema"].as_object_mut()?.remove("format");
        Some(counted)
    };
    let mut changed = Vec::new();
    let own = operation.get_mut("parameters").and_then(Value::as_array_mut);
    let own_names: Vec<String> = own
        .as_ref()
        .map(|own| {
            own.iter()
                .filter_map(|parameter| resolve(parameter, components).get("name").and_then(Value::as_str))
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default();
    if let Some(own) = own {
        for parameter in own.iter_mut() {
            if let Some(counted) = as_integer(parameter) {
                changed.push(format!("`{}`", counted["name"].as_str().unwrap_or_default()));
                *parameter = counted;
            }
        }
    }
    for parameter in shared_parameters.as_array().into_iter().flatten() {
        if let Some(counted) = as_integer(parameter)
            && let Some(name) = counted["name"].as_str().map(str::to_string)
            && !own_names.contains(&name)
        {
            changed.push(format!("`{name}`"));
            match operation.get_mut("parameters").and_then(Value::as_array_mut) {
                Some(own) => own.push(counted),
                None => operation["parameters"] = json!([counted]),
            }
        }
    }
    match changed.as_slice() {
        [] => None,
        [one] => Some(format!("{one} is sent as an integer, which the document declares as `number`")),
        many => Some(format!("{} are sent as integers, which the document declares as `number`", many.join(" and "))),
    }
}

/// An operation that takes `paginated` answers a bare array, or `{data, total_count}` when
/// asked with `paginated=true`; the document shows only the array. Other lists answer
/// `{data, total_count}`. Either way the success response becomes `clerk_api::Page<Item>` (an
/// `x-rust-type`), which decodes both shapes in one pass.
/// Items declared inline in a named array schema (`OAuthAccessToken`) become a schema of their
/// own (`OAuthAccessTokenItem`, the name typify gave them anyway), so that `Page` can name them.
fn accept_both_list_shapes(
    operation: &mut Value,
    components: &Value,
    hoisted_items: &mut BTreeMap<String, (String, Value)>,
) -> Option<String> {
    let takes_paginated = operation.get("parameters").and_then(Value::as_array).is_some_and(|parameters| {
        parameters.iter().any(|parameter| {
            let parameter = resolve(parameter, components);
            parameter.get("name") == Some(&json!("paginated")) && parameter.get("in") == Some(&json!("query"))
        })
    });
    let responses = operation.get_mut("responses")?.as_object_mut()?;
    let response = resolve(responses.get("200")?, components).clone();
    let schema = response.pointer("/content/application~1json/schema")?.clone();
    let resolved = resolve(&schema, components);
    let items = match resolved.get("type").and_then(Value::as_str) {
        Some("array") if takes_paginated => resolved.get("items")?,
        // Clerk's own page object (`{data, total_count}`, the lists without `paginated`): the
        // same type, so every list reads the same way and a bare array still decodes.
        Some("object") => {
            let properties = resolved.get("properties")?.as_object()?;
            let mut names: Vec<&str> = properties.keys().map(String::as_str).collect();
            names.sort_unstable();
            if names != ["data", "total_count"] {
                return None;
            }
            let data = resolve(&properties["data"], components);
            if data.get("type") != Some(&json!("array")) {
                return None;
            }
            data.get("items")?
        }
        _ => return None,
    };
    let shape = if takes_paginated {
        "the document's array, or `{data, total_count}`, which Clerk answers to `paginated=true`"
    } else {
        "the document's `{data, total_count}`, or a bare array"
    };
    let (items, item_name) = match items.get("$ref").and_then(Value::as_str) {
        Some(reference) => (items.clone(), reference.rsplit('/').next()?.to_string()),
        None => {
            let list_name = schema.get("$ref").and_then(Value::as_str)?.rsplit('/').next()?;
            let item_name = format!("{list_name}Item");
            hoisted_items.entry(item_name.clone()).or_insert_with(|| (list_name.to_string(), items.clone()));
            (json!({"$ref": format!("#/components/schemas/{item_name}")}), item_name)
        }
    };
    let mut both = response;
    both["content"]["application/json"]["schema"] = json!({
        "type": "array",
        "items": items.clone(),
        "x-rust-type": {"crate": "clerk-api", "version": "*", "path": "clerk_api::Page", "parameters": [items]}
    });
    responses.insert("200".to_string(), both);
    Some(format!("the success response is `Page<{item_name}>`: {shape}"))
}

/// Clerk answers every failed request with its error body, whatever status the document
/// declares. The error responses are replaced by `4XX` and `5XX` with that body, so an
/// undeclared status (a 404, a 429) still yields Clerk's message, code and trace id. The body is
/// the one the operation's error responses declare by reference (`ClerkErrors` for most), or
/// `ClerkErrors` when they declare none or declare it inline: some newer endpoints declare an
/// inline copy of it, and progenitor would name that copy after the operation's success type
/// (`{operationId}Response`) and decode errors as the success type. An operation whose error
/// responses disagree keeps them. Returns what changed beyond the rule, if anything.
fn decode_clerk_errors(operation: &mut Value, components: &Value) -> Result<Option<String>, String> {
    let Some(responses) = operation.get_mut("responses").and_then(Value::as_object_mut) else {
        return Err("no responses".to_string());
    };
    if responses.contains_key("default") {
        return Err("a `default` response covers the errors".to_string());
    }
    let error_statuses: Vec<String> =
        responses.keys().filter(|s| s.starts_with('4') || s.starts_with('5')).cloned().collect();
    let mut body: Option<(ResponseKind, Value)> = None;
    for status in &error_statuses {
        let kind = response_kind(resolve(&responses[status], components));
        match (&body, &kind) {
            (_, ResponseKind::None) => {}
            (None, _) => body = Some((kind.clone(), responses[status].clone())),
            (Some((chosen, _)), _) if *chosen == kind => {}
            (Some((chosen, _)), _) => {
                return Err(format!("its error responses declare both {} and {}", describe(chosen), describe(&kind)));
            }
        }
    }
    let clerk_errors = if components.pointer("/responses/ClerkErrors").is_some() {
        Some(json!({"$ref": "#/components/responses/ClerkErrors"}))
    } else if components.pointer("/schemas/ClerkErrors").is_some() {
        Some(json!({
            "description": "Request was not successful",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ClerkErrors"}}}
        }))
    } else {
        None
    };
    let inline = |response: &Value| {
        response.get("$ref").is_none()
            && response.pointer("/content/application~1json/schema").is_some_and(|schema| schema.get("$ref").is_none())
    };
    let (body, change) = match (body, clerk_errors) {
        (Some((_, response)), Some(clerk_errors)) if inline(&response) => (
            clerk_errors,
            Some("its inline error body is decoded as `ClerkErrors`, Clerk's error body, which it copies".to_string()),
        ),
        (Some((_, response)), _) => (response, None),
        (None, Some(clerk_errors)) => (clerk_errors, None),
        (None, None) => return Err("it declares no error body and the document has no `ClerkErrors`".to_string()),
    };
    for status in error_statuses {
        responses.remove(&status);
    }
    responses.insert("4XX".to_string(), body.clone());
    responses.insert("5XX".to_string(), body);
    Ok(change)
}

/// Integers are `i64` everywhere: typify picks `u64`, `NonZeroU64` or `i32` from bounds and
/// formats, and a bound Clerk moves between revisions would change the Rust type of a
/// parameter or field. Ranges are the caller's to check.
fn widen_integers(node: &mut Value, at: &mut String, widened: &mut Vec<(String, String)>) {
    match node {
        Value::Object(map) => {
            if map.get("type") == Some(&json!("integer")) {
                let mut dropped = Vec::new();
                for bound in ["minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf"] {
                    if let Some(value) = map.remove(bound) {
                        dropped.push(format!("`{bound}: {value}`"));
                    }
                }
                match map.get("format").and_then(Value::as_str) {
                    Some("int64") => {}
                    Some(format) => dropped.push(format!("format `{format}`")),
                    None => {}
                }
                map.insert("format".to_string(), json!("int64"));
                if !dropped.is_empty() {
                    widened.push((at.clone(), dropped.join(", ")));
                }
            }
            for (key, child) in map.iter_mut() {
                let mark = at.len();
                at.push('/');
                at.push_str(&key.replace('~', "~0").replace('/', "~1"));
                widen_integers(child, at, widened);
                at.truncate(mark);
            }
        }
        Value::Array(items) => {
            for (index, item) in items.iter_mut().enumerate() {
                let mark = at.len();
                at.push_str(&format!("/{index}"));
                widen_integers(item, at, widened);
                at.truncate(mark);
            }
        }
        _ => {}
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
        // Clerk sends its error body for the body-less errors too: every error status decodes it.
        let responses = doc["paths"]["/x"]["post"]["responses"].as_object().unwrap();
        assert_eq!(responses.keys().collect::<Vec<_>>(), ["200", "4XX", "5XX"]);
        assert_eq!(responses["4XX"], json!({"$ref": "#/components/responses/E"}));
        assert_eq!(notes.clerk_error_operations, 1);
        assert_eq!(notes.leniency.open_objects, ["Err"]);
        assert_eq!(notes.leniency.open_enums, [("Err.kind".to_string(), vec!["a".to_string(), "b".to_string()])]);
        assert!(doc["components"]["schemas"]["Err"]["properties"]["kind"].get("enum").is_none());
    }

    /// progenitor names an inline error body after the success type; Clerk's own error body
    /// decodes it instead.
    #[test]
    fn an_inline_error_body_decodes_as_clerk_errors() {
        let inline = |properties: Value| json!({"content": {"application/json": {"schema": {"type": "object", "properties": properties}}}});
        let mut doc = json!({
            "paths": {"/keys": {"post": {"operationId": "createKey", "responses": {
                "200": inline(json!({"id": {"type": "string"}})),
                "400": inline(json!({"errors": {"type": "array", "items": {"type": "object"}}})),
                "404": inline(json!({"errors": {"type": "array", "items": {"type": "object"}}}))}}}},
            "components": {"schemas": {"ClerkErrors": {"type": "object", "properties": {"errors": {"type": "array"}}}}}
        });
        let notes = normalize(&mut doc);
        let responses = doc["paths"]["/keys"]["post"]["responses"].as_object().unwrap();
        assert_eq!(responses.keys().collect::<Vec<_>>(), ["200", "4XX", "5XX"]);
        assert_eq!(
            responses["4XX"]["content"]["application/json"]["schema"],
            json!({"$ref": "#/components/schemas/ClerkErrors"})
        );
        assert_eq!(notes.clerk_error_operations, 1);
        assert_eq!(notes.altered_operations.len(), 1);
        assert!(notes.altered_operations[0].note.contains("inline error body is decoded as `ClerkErrors`"));
    }

    /// A response schema written inline in the operation is opened like a component one.
    #[test]
    fn inline_response_schemas_are_lenient() {
        let mut doc = json!({
            "paths": {"/keys": {"get": {"operationId": "getKeys", "responses": {"200": {"content": {"application/json": {"schema": {
                "type": "object", "additionalProperties": false, "required": ["id", "kind"],
                "properties": {"id": {"type": "string"}, "kind": {"type": "string", "enum": ["api_key"]}}}}}}}}}},
            "components": {"schemas": {"ClerkErrors": {"type": "object"}}}
        });
        let notes = normalize(&mut doc);
        let schema = &doc["paths"]["/keys"]["get"]["responses"]["200"]["content"]["application/json"]["schema"];
        assert!(schema.get("additionalProperties").is_none() && schema.get("required").is_none(), "{schema}");
        assert_eq!(schema["properties"]["id"], json!({"type": "string", "nullable": true}));
        assert!(schema["properties"]["kind"].get("enum").is_none(), "{schema}");
        assert_eq!(notes.leniency.open_objects, ["GET /keys 200 application/json"]);
    }

    #[test]
    fn operation_words_keep_acronyms_whole() {
        for (id, words) in [
            ("ListRedirectURLs", "list_redirect_urls"),
            ("GetOAuthAccessToken", "get_oauth_access_token"),
            ("GetJWKS", "get_jwks"),
            ("VerifyTOTP", "verify_totp"),
            ("ListJWTTemplates", "list_jwt_templates"),
            ("RotateSCIMDirectoryAPIKey", "rotate_scim_directory_api_key"),
            ("createM2MToken", "create_m2m_token"),
            ("getM2MTokens", "get_m2m_tokens"),
            ("GenerateSvixAuthURL", "generate_svix_auth_url"),
            ("GetUserList", "get_user_list"),
        ] {
            assert_eq!(operation_words(id).join("_"), words, "{id}");
        }
    }

    #[test]
    fn inline_list_items_get_a_name_and_open_request_objects_are_sent_whole() {
        let mut doc = json!({
            "paths": {
                "/tokens": {"get": {"operationId": "ListTokens",
                    "parameters": [{"name": "paginated", "in": "query", "schema": {"type": "boolean"}}],
                    "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Tokens"}}}}}}},
                "/actors": {"post": {"operationId": "CreateActor",
                    "requestBody": {"content": {"application/json": {"schema": {"type": "object", "required": ["actor"],
                        "properties": {"actor": {"type": "object", "additionalProperties": true, "required": ["sub"],
                                                 "properties": {"sub": {"type": "string"}}}}}}}},
                    "responses": {"200": {"description": "ok"}}}}
            },
            "components": {"schemas": {"Tokens": {"type": "array", "items": {"type": "object", "properties": {"token": {"type": "string"}}}}}}
        });
        let notes = normalize(&mut doc);
        let schemas = &doc["components"]["schemas"];
        assert_eq!(schemas["Tokens"]["items"], json!({"$ref": "#/components/schemas/TokensItem"}));
        assert_eq!(schemas["TokensItem"]["properties"]["token"]["nullable"], true);
        let page = &doc["paths"]["/tokens"]["get"]["responses"]["200"]["content"]["application/json"]["schema"];
        assert_eq!(page["x-rust-type"]["parameters"], json!([{"$ref": "#/components/schemas/TokensItem"}]));
        let actor = &doc["paths"]["/actors"]["post"]["requestBody"]["content"]["application/json"]["schema"]["properties"]
            ["actor"];
        assert_eq!(actor, &json!({"type": "object", "additionalProperties": true}));
        assert!(
            notes.request_bodies.iter().any(|note| note.contains("`actor`: an open object")),
            "{:?}",
            notes.request_bodies
        );
    }

    #[test]
    fn lists_record_their_largest_page_and_count_in_integers() {
        let mut doc = json!({
            "paths": {
                "/tokens": {"get": {"operationId": "ListTokens", "parameters": [
                    {"name": "limit", "in": "query", "schema": {"type": "number", "format": "double", "minimum": 1, "maximum": 100}},
                    {"name": "offset", "in": "query", "schema": {"type": "number"}}],
                    "responses": {"200": {"description": "ok"}}}},
                "/things": {
                    "parameters": [{"$ref": "#/components/parameters/Offset"}],
                    "get": {"operationId": "ListThings", "parameters": [{"$ref": "#/components/parameters/Limit"}],
                        "responses": {"200": {"description": "ok"}}}},
                "/unpaged": {"get": {"operationId": "ListUnpaged", "parameters": [
                    {"name": "limit", "in": "query", "schema": {"type": "integer", "maximum": 5}}],
                    "responses": {"200": {"description": "ok"}}}},
            },
            "components": {"parameters": {
                "Limit": {"name": "limit", "in": "query", "schema": {"type": "integer", "default": 10}},
                "Offset": {"name": "offset", "in": "query", "schema": {"type": "number", "minimum": 0}}}}
        });
        let notes = normalize(&mut doc);
        assert_eq!(doc["paths"]["/tokens"]["get"][PAGE_LIMIT], 100);
        assert_eq!(doc["paths"]["/things"]["get"][PAGE_LIMIT], 10);
        assert_eq!(doc["paths"]["/unpaged"]["get"].get(PAGE_LIMIT), None);
        let parameters = &doc["paths"]["/tokens"]["get"]["parameters"];
        assert_eq!(parameters[0]["schema"], json!({"type": "integer", "format": "int64"}));
        assert_eq!(parameters[1]["schema"], json!({"type": "integer", "format": "int64"}));
        // The shared parameter is copied into the one operation that takes it: one of the path's.
        let things = &doc["paths"]["/things"];
        assert_eq!(things["parameters"], json!([{"$ref": "#/components/parameters/Offset"}]));
        assert_eq!(
            things["get"]["parameters"][1],
            json!({"name": "offset", "in": "query", "schema": {"type": "integer", "format": "int64"}})
        );
        let notes: Vec<(&str, &str)> =
            notes.altered_operations.iter().map(|note| (note.path.as_str(), note.note.as_str())).collect();
        assert_eq!(
            notes,
            [
                ("/tokens", "`limit` and `offset` are sent as integers, which the document declares as `number`"),
                ("/things", "`offset` is sent as an integer, which the document declares as `number`")
            ]
        );
    }

    #[test]
    fn paginated_lists_accept_both_shapes_and_integers_are_i64() {
        let mut doc = json!({
            "paths": {"/things": {"get": {"operationId": "ListThings",
                "parameters": [{"name": "paginated", "in": "query", "schema": {"type": "boolean"}},
                               {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 500}}],
                "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {"type": "array", "items": {"$ref": "#/components/schemas/Thing"}}}}}}}}},
            "components": {"schemas": {"Thing": {"type": "object", "required": ["id"], "properties": {"id": {"type": "string"}}}}}
        });
        let notes = normalize(&mut doc);
        let schema = &doc["paths"]["/things"]["get"]["responses"]["200"]["content"]["application/json"]["schema"];
        assert_eq!(schema["type"], "array");
        assert_eq!(
            schema["x-rust-type"],
            json!({"crate": "clerk-api", "version": "*", "path": "clerk_api::Page",
                   "parameters": [{"$ref": "#/components/schemas/Thing"}]})
        );
        assert_eq!(doc["components"]["schemas"]["Thing"]["properties"]["id"]["nullable"], true);
        let limit = &doc["paths"]["/things"]["get"]["parameters"][1]["schema"];
        assert_eq!(limit, &json!({"type": "integer", "format": "int64"}));
        assert_eq!(notes.widened_integers.len(), 1);
        assert!(notes.leniency.optional.contains(&"Thing".to_string()));
    }
}
