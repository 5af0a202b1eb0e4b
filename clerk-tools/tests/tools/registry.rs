//! The JSON interface: the schemas as hosts and models see them (the whole surface is
//! `tool-schemas.json`, checked by the `tool_schemas` test), and the key kept from the model.

use std::collections::BTreeSet;

use serde_json::{Value, json};

use crate::common::{KEY, answer, fixture, only_request, start};

/// The property names of a schema, as a set. The schemas are self-contained (references are
/// inlined), so a schema's own `properties` are all of them.
fn properties(schema: &Value) -> BTreeSet<String> {
    property_names(schema).into_iter().collect()
}

#[test]
fn the_llm_facing_schemas_never_mention_the_key() {
    for tool in clerk_tools::tools() {
        let text = tool.input_schema_without_secret.to_string();
        assert!(!text.contains("secretKey") && !text.contains("SecretKey"), "{}: {text}", tool.name);
        let mut expected = properties(&tool.input_schema);
        assert!(expected.remove("secretKey"), "{}", tool.name);
        assert_eq!(properties(&tool.input_schema_without_secret), expected);
        assert!(!tool.description.is_empty());
    }
}

#[tokio::test]
async fn call_with_secret_takes_the_key_from_the_host() {
    let (server, tools) = start().await;
    answer(&server, "GET", "/v1/sessions/sess_1", 200, fixture("session.json")).await;
    // The model supplies only the schema's fields; a key it makes up is replaced.
    let output = tools
        .call_with_secret("clerk_get_session", json!({"sessionId": "sess_1", "secretKey": "sk_made_up"}), &KEY.into())
        .await;
    assert_eq!(output["success"], true, "{output}");
    only_request(&server, "/v1/sessions/sess_1").await;
}

/// The table declares each tool's nature; names and natures agree, so a host can trust the
/// hints: reads change nothing, deletes and revokes are destructive.
#[test]
fn every_tool_declares_a_nature_that_fits_its_name() {
    let names: Vec<&str> = clerk_tools::tools().iter().map(|tool| tool.name).collect();
    assert_eq!(names, clerk_tools::TOOL_NAMES);
    for tool in clerk_tools::tools() {
        let verb = tool.name.trim_start_matches("clerk_").split('_').next().unwrap_or_default();
        let nature = tool.nature;
        match verb {
            "list" | "get" => assert!(nature.read_only && !nature.destructive, "{}", tool.name),
            "delete" | "revoke" | "remove" | "ban" | "lock" => {
                assert!(!nature.read_only && nature.destructive, "{}", tool.name)
            }
            "create" | "add" => {
                assert!(!nature.read_only && !nature.destructive && !nature.idempotent, "{}", tool.name)
            }
            "update" | "merge" | "unban" | "unlock" => {
                assert!(!nature.read_only && !nature.destructive && nature.idempotent, "{}", tool.name)
            }
            other => panic!("{}: no rule for `{other}`", tool.name),
        }
        assert!(!tool.title.is_empty() && tool.title.len() < 40, "{}", tool.name);
    }
}

fn property_names(schema: &Value) -> Vec<String> {
    schema["properties"].as_object().map(|p| p.keys().cloned().collect()).unwrap_or_default()
}

/// `secretKey` is the first input and the first required one; the schema without the key
/// keeps every other input in the same place. (An order-preserving map's `remove` moves the
/// last entry into the hole: this catches it.)
#[test]
fn inputs_keep_their_order_with_and_without_the_key() {
    for tool in clerk_tools::tools() {
        let with_key = property_names(&tool.input_schema);
        let without_key = property_names(&tool.input_schema_without_secret);
        assert_eq!(with_key.first().map(String::as_str), Some("secretKey"), "{}", tool.name);
        assert_eq!(with_key[1..], without_key[..], "{}", tool.name);
        assert_eq!(tool.input_schema["required"][0], "secretKey", "{}", tool.name);
        let required_without: Vec<Value> =
            tool.input_schema_without_secret["required"].as_array().cloned().unwrap_or_default();
        assert_eq!(tool.input_schema["required"].as_array().unwrap()[1..], required_without[..], "{}", tool.name);
    }
}

/// The schemas a model reads name no Rust type: no root `title` (`ListUsersInput`), no
/// `$defs`/`$ref` (`SessionObject`), no Rust number formats (`int64`); and no combinator at
/// the top level of an input, which some hosts refuse outright.
#[test]
fn schemas_say_nothing_of_rust() {
    fn walk(schema: &Value, path: &str, tool: &str) {
        match schema {
            Value::Object(object) => {
                assert!(!object.contains_key("$ref") && !object.contains_key("$defs"), "{tool} {path}: {schema}");
                if let Some(format) = object.get("format").and_then(Value::as_str) {
                    assert!(!format.starts_with("int") && !format.starts_with("uint"), "{tool} {path}: {format}");
                    assert!(format != "double" && format != "float", "{tool} {path}: {format}");
                }
                for (key, value) in object {
                    walk(value, &format!("{path}/{key}"), tool);
                }
            }
            Value::Array(items) => items.iter().for_each(|item| walk(item, path, tool)),
            _ => {}
        }
    }
    for tool in clerk_tools::tools() {
        for (which, schema) in [
            ("input", &tool.input_schema),
            ("input without key", &tool.input_schema_without_secret),
            ("output", tool.output_schema.as_ref().expect("a curated tool declares its output")),
        ] {
            assert_eq!(schema["type"], "object", "{} {which}", tool.name);
            assert!(schema.get("title").is_none(), "{} {which}: {}", tool.name, schema["title"]);
            walk(schema, "", tool.name);
        }
        for schema in [&tool.input_schema, &tool.input_schema_without_secret] {
            for combinator in ["anyOf", "oneOf", "allOf"] {
                assert!(schema.get(combinator).is_none(), "{}: top-level {combinator}", tool.name);
            }
        }
    }
}

/// Metadata inputs take a JSON object, or a string holding one, as the contract says.
#[test]
fn metadata_inputs_take_an_object_or_a_string() {
    let mut seen = 0;
    for tool in clerk_tools::tools() {
        let properties = tool.input_schema["properties"].as_object().unwrap();
        for (name, property) in properties.iter().filter(|(name, _)| name.ends_with("Metadata")) {
            let types: BTreeSet<&str> =
                property["type"].as_array().into_iter().flatten().filter_map(Value::as_str).collect();
            assert!(types.contains("object") && types.contains("string"), "{} {name}: {property}", tool.name);
            seen += 1;
        }
    }
    assert!(seen >= 8, "metadata inputs of the user and organization tools");
}

/// `clerk_list_sessions` needs `userId` or `clientId`: the schema says so, in a form every
/// host accepts (if `userId` is given, fine; else `clientId` is required).
#[test]
fn list_sessions_states_its_either_or_rule() {
    let tool = clerk_tools::find_tool("clerk_list_sessions").unwrap();
    for schema in [&tool.input_schema, &tool.input_schema_without_secret] {
        assert_eq!(schema["if"], json!({"required": ["userId"]}), "{schema}");
        assert_eq!(schema["else"], json!({"required": ["clientId"]}), "{schema}");
    }
}

/// `clerk_create_user` needs an email address, a phone number or a username: the same rule,
/// chained one input at a time.
#[test]
fn create_user_states_its_one_of_three_rule() {
    let tool = clerk_tools::find_tool("clerk_create_user").unwrap();
    for schema in [&tool.input_schema, &tool.input_schema_without_secret] {
        assert_eq!(schema["if"], json!({"required": ["emailAddress"]}), "{schema}");
        assert_eq!(
            schema["else"],
            json!({"if": {"required": ["phoneNumber"]}, "else": {"required": ["username"]}}),
            "{schema}"
        );
    }
}
