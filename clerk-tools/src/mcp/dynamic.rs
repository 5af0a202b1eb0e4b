//! Dynamic mode: three tools that search, describe and call the selected tools, so that a
//! model's context holds three short definitions however many operations the selection
//! reaches. Every rule of the selection applies: a tool it leaves out is refused exactly like
//! one that does not exist.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use rmcp::model::{JsonObject, Tool as ListedTool, ToolAnnotations};
use serde_json::{Value, json};

use super::McpServer;
use crate::error::Error;
use crate::json::unknown_among;
use crate::registry::Tool;

/// Searches the selected tools.
pub(crate) const SEARCH: &str = "clerk_search_operations";
/// Describes one.
pub(crate) const DESCRIBE: &str = "clerk_describe_operation";
/// Calls one.
pub(crate) const CALL: &str = "clerk_call_operation";

/// The three tools, as listed to the client.
pub(crate) fn listed() -> Vec<ListedTool> {
    let schema = |value: Value| Arc::new(value.as_object().cloned().unwrap_or_default());
    // Every output is an object; what is in it depends on the operation.
    let output = || schema(json!({"type": "object"}));
    let reads = || ToolAnnotations::new().read_only(true).destructive(false).idempotent(true).open_world(false);
    vec![
        ListedTool::new(
            SEARCH,
            "Find Clerk Backend API operations to call: name, method, path, group and summary of each match. \
             Describe one before calling it.",
            schema(json!({
                "type": "object",
                "properties": {
                    "query": {"type": "string", "description": "Words to find in the name, path, group or summary; empty lists all"},
                    "group": {"type": "string", "description": "Only this API group, e.g. users"}
                },
                "required": ["query"],
                "additionalProperties": false
            })),
        )
        .with_raw_output_schema(output())
        .with_title("Search operations")
        .annotate(reads()),
        ListedTool::new(
            DESCRIBE,
            "An operation's description, input schema and annotations (whether it only reads, or removes something).",
            schema(json!({
                "type": "object",
                "properties": {"name": {"type": "string", "description": "The operation's name, from the search"}},
                "required": ["name"],
                "additionalProperties": false
            })),
        )
        .with_raw_output_schema(output())
        .with_title("Describe an operation")
        .annotate(reads()),
        ListedTool::new(
            CALL,
            "Call an operation with an input that follows its schema; answers its output.",
            schema(json!({
                "type": "object",
                "properties": {
                    "name": {"type": "string", "description": "The operation's name"},
                    "input": {"type": "object", "description": "Its input"}
                },
                "required": ["name"],
                "additionalProperties": false
            })),
        )
        .with_raw_output_schema(output())
        .with_title("Call an operation")
        .annotate(ToolAnnotations::new().open_world(true)),
    ]
}

type Outcome<'a> = Pin<Box<dyn Future<Output = Result<Value, Error>> + Send + 'a>>;

/// The outcome of a call of one of the three tools, or `None` for any other name.
pub(crate) fn call<'a>(server: &'a McpServer, name: &str, mut arguments: JsonObject) -> Option<Outcome<'a>> {
    let selected = &server.shared.selected;
    match name {
        SEARCH => {
            let found = text(&arguments, "query").and_then(|query| {
                let group = optional_text(&arguments, "group")?;
                Ok(search(selected, &query, group.as_deref()))
            });
            Some(Box::pin(async move { found }))
        }
        DESCRIBE => {
            let described = text(&arguments, "name").and_then(|name| find(selected, &name)).map(describe);
            Some(Box::pin(async move { described }))
        }
        CALL => {
            let tool = text(&arguments, "name").and_then(|name| find(selected, &name));
            let input = match arguments.shift_remove("input") {
                None | Some(Value::Null) => Ok(JsonObject::new()),
                Some(Value::Object(input)) => Ok(input),
                Some(_) => Err(Error::invalid("input", "must be a JSON object of the operation's inputs")),
            };
            Some(Box::pin(async move { server.run(tool?, input?).await }))
        }
        _ => None,
    }
}

fn text(arguments: &JsonObject, name: &str) -> Result<String, Error> {
    optional_text(arguments, name)?.ok_or_else(|| Error::invalid(name, crate::input::REQUIRED_REASON))
}

fn optional_text(arguments: &JsonObject, name: &str) -> Result<Option<String>, Error> {
    match arguments.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(text)) => Ok(Some(text.trim().to_string())),
        Some(_) => Err(Error::invalid(name, crate::input::NOT_TEXT)),
    }
}

/// The selected tool `name`, or the error for an unknown one, whose suggestions are selected
/// tools only.
fn find(selected: &[&'static Tool], name: &str) -> Result<&'static Tool, Error> {
    if let Some(tool) = selected.iter().copied().find(|tool| tool.name == name) {
        return Ok(tool);
    }
    let names: Vec<&str> = selected.iter().map(|tool| tool.name).collect();
    let listed: &[&str] = if names.len() <= 50 { &names } else { &[SEARCH] };
    Err(unknown_among(name, &names, listed))
}

/// The method, path and groups of the operation a tool calls first.
fn operation_of(tool: &Tool) -> (&'static str, &'static str, Vec<&'static str>) {
    let operation = tool.operations.first().and_then(|id| clerk_api::Operation::find(id));
    let groups = if tool.groups.is_empty() {
        operation.map(|operation| operation.groups.to_vec()).unwrap_or_default()
    } else {
        tool.groups.to_vec()
    };
    (operation.map_or("", |o| o.method), operation.map_or("", |o| o.path), groups)
}

/// Whether `word` is in `text`, a plural found by its singular too.
fn mentions(text: &str, word: &str) -> bool {
    text.contains(word) || word.strip_suffix('s').is_some_and(|singular| singular.len() > 2 && text.contains(singular))
}

/// The selected tools that match most words of `query` (all of them for an empty one), best
/// first.
fn search(selected: &[&'static Tool], query: &str, group: Option<&str>) -> Value {
    let words: Vec<String> =
        query.split(|c: char| !c.is_alphanumeric()).filter(|word| !word.is_empty()).map(str::to_lowercase).collect();
    let mut found: Vec<(usize, Value)> = Vec::new();
    for tool in selected {
        let (method, path, groups) = operation_of(tool);
        if group.is_some_and(|group| !groups.contains(&group)) {
            continue;
        }
        let text = format!("{} {} {} {}", tool.name, path, groups.join(" "), tool.title).to_lowercase();
        let score = words.iter().filter(|word| mentions(&text, word)).count();
        if words.is_empty() || score > 0 {
            let entry = json!({
                "name": tool.name, "method": method, "path": path, "group": groups.join(","), "summary": tool.title
            });
            found.push((score, entry));
        }
    }
    found.sort_by_key(|(score, _)| std::cmp::Reverse(*score));
    let operations: Vec<Value> = found.into_iter().map(|(_, entry)| entry).collect();
    json!({"success": true, "total": operations.len(), "operations": operations})
}

fn describe(tool: &'static Tool) -> Value {
    let (method, path, groups) = operation_of(tool);
    json!({
        "success": true,
        "name": tool.name,
        "method": method,
        "path": path,
        "group": groups.join(","),
        "description": tool.description,
        "inputSchema": tool.input_schema_without_secret,
        "annotations": {
            "readOnlyHint": tool.nature.read_only,
            "destructiveHint": tool.nature.destructive,
            "idempotentHint": tool.nature.idempotent,
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_three_definitions_fit_in_four_kilobytes() {
        let size: usize = listed()
            .iter()
            .map(|tool| {
                tool.name.len()
                    + tool.description.as_deref().map_or(0, str::len)
                    + serde_json::to_string(&*tool.input_schema).unwrap().len()
            })
            .sum();
        assert!(size <= 4096, "{size} bytes");
    }

    #[test]
    fn words_match_plurals_by_their_singular() {
        assert!(mentions("clerk_api_get_organization_count", "organizations"));
        assert!(!mentions("clerk_api_get_user", "ts"));
    }
}
