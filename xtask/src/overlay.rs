//! Our reviewed fixes to Clerk's document, kept as an OpenAPI Overlay (1.0) under `spec/`.
//!
//! Each action names a target with a JSONPath and either merges an `update` into it or
//! removes it. Targets use the plain subset of JSONPath that fixes need (`$.a.b['c/d']`), so a
//! reviewer can read each one as an address. An action that a newer revision of the document
//! no longer needs (its target is gone, or the update is already there) is skipped and
//! reported, never an error.

use serde_json::Value;

/// What one overlay action did to the document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActionOutcome {
    /// The action's target, as written in the overlay.
    pub target: String,
    /// The action's description: why the fix exists.
    pub description: String,
    /// What happened.
    pub status: ActionStatus,
    /// Each change made, as `added`/`changed`/`removed` lines with a JSON pointer.
    pub changes: Vec<String>,
}

/// Whether an action changed the document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ActionStatus {
    /// The document changed.
    Applied,
    /// The update was already part of the document.
    AlreadyPresent,
    /// The target does not exist in this revision.
    TargetMissing,
}

/// Applies every action of `overlay` to `document`, in order.
pub fn apply_overlay(document: &mut Value, overlay: &Value) -> Result<Vec<ActionOutcome>, String> {
    if overlay.get("overlay").and_then(Value::as_str).is_none() {
        return Err("not an OpenAPI Overlay: the `overlay` version field is missing".to_string());
    }
    let actions = overlay.get("actions").and_then(Value::as_array).ok_or("the overlay has no `actions` list")?;
    let mut outcomes = Vec::with_capacity(actions.len());
    for (index, action) in actions.iter().enumerate() {
        let context = |message: String| format!("overlay action {}: {message}", index + 1);
        let target =
            action.get("target").and_then(Value::as_str).ok_or_else(|| context("`target` is missing".to_string()))?;
        let description = action
            .get("description")
            .and_then(Value::as_str)
            .ok_or_else(|| context(format!("`{target}` has no description saying why")))?
            .trim()
            .to_string();
        let segments = parse_target(target).map_err(context)?;
        let remove = action.get("remove").and_then(Value::as_bool).unwrap_or(false);
        let update = action.get("update");
        if remove == update.is_some() {
            return Err(context(format!("`{target}` needs exactly one of `update` or `remove: true`")));
        }
        let mut changes = Vec::new();
        let status = if remove {
            let (parent_segments, last) = segments.split_at(segments.len().saturating_sub(1));
            match (resolve_mut(document, parent_segments), last.first()) {
                (Some(Value::Object(parent)), Some(key)) if parent.contains_key(key) => {
                    parent.remove(key);
                    changes.push(format!("removed {}", pointer(&segments)));
                    ActionStatus::Applied
                }
                _ => ActionStatus::TargetMissing,
            }
        } else {
            // Parameters listed by reference are matched by the name they resolve to.
            let shared_parameters = document.pointer("/components/parameters").cloned().unwrap_or(Value::Null);
            match resolve_mut(document, &segments) {
                Some(node) => {
                    let mut at = pointer(&segments);
                    merge(node, update.unwrap_or(&Value::Null), &mut at, &mut changes, &shared_parameters);
                    if changes.is_empty() { ActionStatus::AlreadyPresent } else { ActionStatus::Applied }
                }
                None => ActionStatus::TargetMissing,
            }
        };
        outcomes.push(ActionOutcome { target: target.to_string(), description, status, changes });
    }
    Ok(outcomes)
}

/// Splits `$.paths['/users'].get` into `["paths", "/users", "get"]`.
pub fn parse_target(target: &str) -> Result<Vec<String>, String> {
    let unsupported = |why: &str| format!("unsupported target `{target}`: {why}");
    let mut rest = target.strip_prefix('$').ok_or_else(|| unsupported("it must start with `$`"))?;
    let mut segments = Vec::new();
    while !rest.is_empty() {
        if let Some(after_dot) = rest.strip_prefix('.') {
            let end = after_dot.find(['.', '[']).unwrap_or(after_dot.len());
            let name = &after_dot[..end];
            if name.is_empty() || name == "*" {
                return Err(unsupported("wildcards and empty names are not supported"));
            }
            segments.push(name.to_string());
            rest = &after_dot[end..];
        } else if let Some(after_bracket) = rest.strip_prefix('[') {
            let quote = after_bracket
                .chars()
                .next()
                .filter(|c| *c == '\'' || *c == '"')
                .ok_or_else(|| unsupported("brackets must hold a quoted name"))?;
            let inner = &after_bracket[1..];
            let end = inner.find(quote).ok_or_else(|| unsupported("unclosed quote"))?;
            segments.push(inner[..end].to_string());
            rest =
                inner[end + 1..].strip_prefix(']').ok_or_else(|| unsupported("expected `]` after the quoted name"))?;
        } else {
            return Err(unsupported("expected `.name` or `['name']`"));
        }
    }
    if segments.is_empty() {
        return Err(unsupported("the whole document cannot be a target"));
    }
    Ok(segments)
}

fn resolve_mut<'a>(mut node: &'a mut Value, segments: &[String]) -> Option<&'a mut Value> {
    for segment in segments {
        node = node.as_object_mut()?.get_mut(segment)?;
    }
    Some(node)
}

/// Renders segments as a JSON pointer (RFC 6901), the form the report uses.
pub fn pointer(segments: &[String]) -> String {
    segments.iter().map(|s| format!("/{}", s.replace('~', "~0").replace('/', "~1"))).collect()
}

/// Overlay merge: objects merge key by key, arrays gain the items they lack (an OpenAPI
/// parameter already present, matched by `name` and `in`, is merged instead), anything else
/// is replaced. A reference admits no siblings, so an object holding `$ref` on either side
/// replaces its counterpart whole.
fn merge(target: &mut Value, update: &Value, at: &mut String, changes: &mut Vec<String>, shared_parameters: &Value) {
    let is_reference = |v: &Value| v.get("$ref").is_some();
    match (target, update) {
        (Value::Object(target_map), Value::Object(update_map))
            if !is_reference(update) && !target_map.contains_key("$ref") =>
        {
            for (key, value) in update_map {
                let mark = at.len();
                at.push('/');
                at.push_str(&key.replace('~', "~0").replace('/', "~1"));
                match target_map.get_mut(key) {
                    Some(existing) => merge(existing, value, at, changes, shared_parameters),
                    None => {
                        target_map.insert(key.clone(), value.clone());
                        changes.push(format!("added {at}: {}", brief(value)));
                    }
                }
                at.truncate(mark);
            }
        }
        (Value::Array(target_items), Value::Array(update_items)) => {
            for item in update_items {
                if target_items.contains(item) {
                    continue;
                }
                match target_items.iter().position(|existing| same_parameter(existing, item, shared_parameters)) {
                    // Declared through a shared parameter: the shared definition stays as it is.
                    Some(index) if target_items[index].get("$ref").is_some() => {}
                    Some(index) => {
                        let mark = at.len();
                        at.push_str(&format!("/{index}"));
                        merge(&mut target_items[index], item, at, changes, shared_parameters);
                        at.truncate(mark);
                    }
                    None => {
                        target_items.push(item.clone());
                        changes.push(format!("added {at}/-: {}", brief(item)));
                    }
                }
            }
        }
        (target, update) => {
            if target != update {
                changes.push(format!("changed {at}: {} -> {}", brief(target), brief(update)));
                *target = update.clone();
            }
        }
    }
}

/// OpenAPI parameters are identified by `name` and `in`, after following a
/// `#/components/parameters/...` reference.
fn same_parameter(existing: &Value, item: &Value, shared_parameters: &Value) -> bool {
    let identity = |v: &Value| {
        let v = match v.get("$ref").and_then(Value::as_str).and_then(|r| r.strip_prefix("#/components/parameters/")) {
            Some(name) => shared_parameters.get(name)?,
            None => v,
        };
        Some((v.get("name")?.as_str()?.to_string(), v.get("in")?.as_str()?.to_string()))
    };
    matches!((identity(existing), identity(item)), (Some(a), Some(b)) if a == b)
}

/// A one-line rendering of a value for the report, cut at 120 characters.
pub fn brief(value: &Value) -> String {
    let text = value.to_string();
    if text.chars().count() > 120 {
        let cut: String = text.chars().take(117).collect();
        format!("`{cut}...`")
    } else {
        format!("`{text}`")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn parses_targets() {
        assert_eq!(parse_target("$.paths['/users/{user_id}'].get").unwrap(), vec!["paths", "/users/{user_id}", "get"]);
        assert!(parse_target("$.paths[*]").is_err());
        assert!(parse_target("paths").is_err());
    }

    #[test]
    fn skips_what_is_already_there_and_what_is_gone() {
        let mut doc = json!({"a": {"b": {"type": "string"}, "p": [{"name": "x", "in": "query", "schema": {}}]}});
        let overlay = json!({"overlay": "1.0.0", "actions": [
            {"target": "$.a", "description": "d", "update": {"b": {"type": "string"}}},
            {"target": "$.a.p", "description": "d", "update": [{"name": "x", "in": "query", "schema": {}}]},
            {"target": "$.gone", "description": "d", "update": {"c": 1}},
            {"target": "$.a.c", "description": "d", "remove": true},
            {"target": "$.a", "description": "d", "update": {"c": 2}},
        ]});
        let outcomes = apply_overlay(&mut doc, &overlay).unwrap();
        let statuses: Vec<_> = outcomes.iter().map(|o| o.status).collect();
        assert_eq!(
            statuses,
            [
                ActionStatus::AlreadyPresent,
                ActionStatus::AlreadyPresent,
                ActionStatus::TargetMissing,
                ActionStatus::TargetMissing,
                ActionStatus::Applied
            ]
        );
        assert_eq!(outcomes[4].changes, ["added /a/c: `2`"]);
    }

    #[test]
    fn merges_a_parameter_by_name_and_appends_enum_values() {
        let mut doc = json!({"p": [{"name": "status", "in": "query", "schema": {"enum": ["a"]}}]});
        let overlay = json!({"overlay": "1.0.0", "actions": [{"target": "$.p", "description": "d",
            "update": [{"name": "status", "in": "query", "schema": {"enum": ["a", "b"]}}, {"name": "n", "in": "query"}]}]});
        let outcomes = apply_overlay(&mut doc, &overlay).unwrap();
        assert_eq!(
            doc,
            json!({"p": [{"name": "status", "in": "query", "schema": {"enum": ["a", "b"]}}, {"name": "n", "in": "query"}]})
        );
        assert_eq!(
            outcomes[0].changes,
            ["added /p/0/schema/enum/-: `\"b\"`", "added /p/-: `{\"name\":\"n\",\"in\":\"query\"}`"]
        );
    }

    #[test]
    fn a_parameter_declared_by_reference_is_already_present() {
        let mut doc = json!({
            "components": {"parameters": {"Paginated": {"name": "paginated", "in": "query"}}},
            "p": [{"$ref": "#/components/parameters/Paginated"}]
        });
        let overlay = json!({"overlay": "1.0.0", "actions": [{"target": "$.p", "description": "d",
            "update": [{"name": "paginated", "in": "query", "schema": {"type": "boolean"}}]}]});
        let outcomes = apply_overlay(&mut doc, &overlay).unwrap();
        assert_eq!(outcomes[0].status, ActionStatus::AlreadyPresent);
        assert_eq!(doc["p"], json!([{"$ref": "#/components/parameters/Paginated"}]));
    }

    #[test]
    fn a_reference_replaces_its_target() {
        let mut doc = json!({"r": {"400": {"description": "no body"}}});
        let overlay = json!({"overlay": "1.0.0", "actions": [
            {"target": "$.r", "description": "d", "update": {"400": {"$ref": "#/x"}}}]});
        apply_overlay(&mut doc, &overlay).unwrap();
        assert_eq!(doc, json!({"r": {"400": {"$ref": "#/x"}}}));
    }
}
