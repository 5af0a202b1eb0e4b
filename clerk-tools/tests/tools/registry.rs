//! The JSON interface: the registry's schemas match the contracts field for field, the
//! LLM-facing schemas never mention the key, and the whole surface is snapshotted.

use std::collections::BTreeSet;

use serde_json::{Value, json};

use crate::common::{KEY, answer, fixture, only_request, start};

/// `(tool, inputs with * for required, output fields)`, copied from CONTRACTS.md.
const CONTRACT: [(&str, &str, &str); 39] = [
    (
        "clerk_list_users",
        "secretKey* limit offset orderBy emailAddress phoneNumber externalId username userId query",
        "users totalCount success",
    ),
    (
        "clerk_get_user",
        "secretKey* userId*",
        "id username firstName lastName imageUrl hasImage primaryEmailAddressId primaryPhoneNumberId \
         primaryWeb3WalletId emailAddresses phoneNumbers externalId passwordEnabled twoFactorEnabled totpEnabled \
         backupCodeEnabled banned locked deleteSelfEnabled createOrganizationEnabled lastSignInAt lastActiveAt \
         createdAt updatedAt publicMetadata privateMetadata unsafeMetadata success",
    ),
    (
        "clerk_create_user",
        "secretKey* emailAddress phoneNumber username password firstName lastName externalId publicMetadata \
         privateMetadata unsafeMetadata skipPasswordChecks skipPasswordRequirement",
        "id username firstName lastName imageUrl primaryEmailAddressId primaryPhoneNumberId emailAddresses \
         phoneNumbers externalId createdAt updatedAt publicMetadata success",
    ),
    (
        "clerk_update_user",
        "secretKey* userId* firstName lastName username password externalId primaryEmailAddressId \
         primaryPhoneNumberId publicMetadata privateMetadata unsafeMetadata skipPasswordChecks",
        "id username firstName lastName imageUrl primaryEmailAddressId primaryPhoneNumberId emailAddresses \
         phoneNumbers externalId banned locked createdAt updatedAt publicMetadata success",
    ),
    ("clerk_delete_user", "secretKey* userId*", "id object deleted success"),
    (
        "clerk_list_organizations",
        "secretKey* limit offset includeMembersCount query orderBy",
        "organizations totalCount success",
    ),
    ("clerk_get_organization", "secretKey* organizationId*", ORGANIZATION),
    (
        "clerk_create_organization",
        "secretKey* name* createdBy* slug maxAllowedMemberships publicMetadata privateMetadata",
        ORGANIZATION,
    ),
    ("clerk_list_sessions", "secretKey* userId clientId status limit offset", "sessions totalCount success"),
    ("clerk_get_session", "secretKey* sessionId*", SESSION),
    ("clerk_revoke_session", "secretKey* sessionId*", SESSION),
    (
        "clerk_update_organization",
        "secretKey* organizationId* name slug maxAllowedMemberships adminDeleteEnabled",
        ORGANIZATION,
    ),
    ("clerk_delete_organization", "secretKey* organizationId*", "id object deleted success"),
    (
        "clerk_list_organization_memberships",
        "secretKey* organizationId* limit offset orderBy role",
        "memberships totalCount success",
    ),
    ("clerk_add_organization_member", "secretKey* organizationId* userId* role*", MEMBERSHIP),
    ("clerk_update_organization_membership", "secretKey* organizationId* userId* role*", MEMBERSHIP),
    ("clerk_remove_organization_member", "secretKey* organizationId* userId*", MEMBERSHIP),
    (
        "clerk_create_organization_invitation",
        "secretKey* organizationId* emailAddress* role* inviterUserId redirectUrl expiresInDays publicMetadata \
         privateMetadata notify",
        INVITATION,
    ),
    (
        "clerk_list_organization_invitations",
        "secretKey* organizationId* status emailAddress orderBy limit offset",
        "invitations totalCount success",
    ),
    ("clerk_ban_user", "secretKey* userId*", MODERATED_USER),
    ("clerk_unban_user", "secretKey* userId*", MODERATED_USER),
    ("clerk_lock_user", "secretKey* userId*", MODERATED_USER),
    ("clerk_unlock_user", "secretKey* userId*", MODERATED_USER),
    ("clerk_get_user_oauth_token", "secretKey* userId* provider*", "accessTokens success"),
    ("clerk_list_allowlist_identifiers", "secretKey* limit offset", "identifiers totalCount success"),
    (
        "clerk_create_allowlist_identifier",
        "secretKey* identifier* notify",
        "id identifier identifierType invitationId createdAt updatedAt success",
    ),
    ("clerk_delete_allowlist_identifier", "secretKey* identifierId*", DELETED),
    ("clerk_list_blocklist_identifiers", "secretKey*", "identifiers totalCount success"),
    (
        "clerk_create_blocklist_identifier",
        "secretKey* identifier*",
        "id identifier identifierType createdAt updatedAt success",
    ),
    ("clerk_delete_blocklist_identifier", "secretKey* identifierId*", DELETED),
    ("clerk_list_jwt_templates", "secretKey*", "templates totalCount success"),
    ("clerk_get_jwt_template", "secretKey* templateId*", JWT_TEMPLATE),
    ("clerk_create_actor_token", "secretKey* userId* actor* expiresInSeconds sessionMaxDurationInSeconds", ACTOR_TOKEN),
    ("clerk_revoke_actor_token", "secretKey* actorTokenId*", ACTOR_TOKEN),
    (
        "clerk_merge_user_metadata",
        "secretKey* userId* publicMetadata privateMetadata unsafeMetadata",
        "id username firstName lastName imageUrl primaryEmailAddressId primaryPhoneNumberId emailAddresses \
         phoneNumbers externalId banned locked createdAt updatedAt publicMetadata success",
    ),
    ("clerk_merge_organization_metadata", "secretKey* organizationId* publicMetadata privateMetadata", ORGANIZATION),
    (
        "clerk_create_invitation",
        "secretKey* emailAddress* redirectUrl publicMetadata notify ignoreExisting expiresInDays",
        APPLICATION_INVITATION,
    ),
    ("clerk_list_invitations", "secretKey* status query orderBy limit offset", "invitations totalCount success"),
    ("clerk_revoke_invitation", "secretKey* invitationId*", APPLICATION_INVITATION),
];

const ORGANIZATION: &str = "id name slug imageUrl hasImage membersCount pendingInvitationsCount maxAllowedMemberships \
                            adminDeleteEnabled createdBy createdAt updatedAt publicMetadata success";
const MEMBERSHIP: &str = "id role roleName permissions organizationId userId firstName lastName imageUrl identifier \
                          username banned publicMetadata createdAt updatedAt success";
const INVITATION: &str = "id emailAddress role roleName organizationId inviterId inviterEmail inviterFirstName \
                          inviterLastName status url expiresAt publicMetadata createdAt updatedAt success";
const SESSION: &str = "id userId clientId status lastActiveAt lastActiveOrganizationId expireAt abandonAt createdAt \
                       updatedAt success";

const MODERATED_USER: &str = "id username firstName lastName banned locked lockoutExpiresInSeconds updatedAt success";
const DELETED: &str = "id object deleted success";
const JWT_TEMPLATE: &str = "id name claims lifetime allowedClockSkew customSigningKey signingAlgorithm createdAt \
                            updatedAt success";
const ACTOR_TOKEN: &str = "id status userId actor token url createdAt updatedAt success";
const APPLICATION_INVITATION: &str =
    "id emailAddress status url expiresAt revoked publicMetadata createdAt updatedAt success";

fn names(list: &str) -> BTreeSet<String> {
    list.split_whitespace().map(|n| n.trim_end_matches('*').to_string()).collect()
}

/// The property names of a schema, as a set. The schemas are self-contained (references are
/// inlined), so a schema's own `properties` are all of them.
fn properties(schema: &Value) -> BTreeSet<String> {
    property_names(schema).into_iter().collect()
}

#[test]
fn schemas_match_the_contract_field_lists() {
    let tools = clerk_tools::tools();
    let registered: Vec<&str> = tools.iter().map(|t| t.name).collect();
    let contract: Vec<&str> = CONTRACT.iter().map(|c| c.0).collect();
    assert_eq!(registered, contract);
    for (tool, (name, inputs, outputs)) in tools.iter().zip(CONTRACT) {
        assert_eq!(properties(&tool.input_schema), names(inputs), "{name} inputs");
        let required: BTreeSet<String> = inputs
            .split_whitespace()
            .filter(|n| n.ends_with('*'))
            .map(|n| n.trim_end_matches('*').to_string())
            .collect();
        let schema_required: BTreeSet<String> = tool.input_schema["required"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|v| v.as_str().map(String::from))
            .collect();
        assert_eq!(schema_required, required, "{name} required inputs");
        assert_eq!(properties(&tool.output_schema), names(outputs), "{name} outputs");
        assert!(!tool.description.is_empty());
    }
}

#[test]
fn the_llm_facing_schemas_never_mention_the_key() {
    for tool in clerk_tools::tools() {
        let text = tool.input_schema_without_secret.to_string();
        assert!(!text.contains("secretKey") && !text.contains("SecretKey"), "{}: {text}", tool.name);
        let mut expected = names(CONTRACT.iter().find(|c| c.0 == tool.name).unwrap().1);
        expected.remove("secretKey");
        assert_eq!(properties(&tool.input_schema_without_secret), expected);
    }
}

#[test]
fn tool_surface_snapshot() {
    insta::assert_json_snapshot!("tool_surface", clerk_tools::tools());
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

/// Inputs are listed in the contract's order, `secretKey` first; the schema without the key
/// keeps every other input in the same place. (An order-preserving map's `remove` moves the
/// last entry into the hole: this catches it.)
#[test]
fn inputs_keep_the_contract_order_with_and_without_the_key() {
    for tool in clerk_tools::tools() {
        let with_key = property_names(&tool.input_schema);
        let without_key = property_names(&tool.input_schema_without_secret);
        assert_eq!(with_key.first().map(String::as_str), Some("secretKey"), "{}", tool.name);
        assert_eq!(with_key[1..], without_key[..], "{}", tool.name);
        assert_eq!(tool.input_schema["required"][0], "secretKey", "{}", tool.name);
        let required_without: Vec<Value> =
            tool.input_schema_without_secret["required"].as_array().cloned().unwrap_or_default();
        assert_eq!(tool.input_schema["required"].as_array().unwrap()[1..], required_without[..], "{}", tool.name);
        if let Some((_, inputs, _)) = CONTRACT.iter().find(|row| row.0 == tool.name) {
            let contract: Vec<&str> = inputs.split_whitespace().map(|n| n.trim_end_matches('*')).collect();
            assert_eq!(with_key, contract, "{}: the contract's order", tool.name);
        }
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
            ("output", &tool.output_schema),
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

/// Adding a tool touches its resource module and the table, nothing else: outside tests and
/// comments, each tool's name stands in the table and in the `Call`s of one module, and the
/// program (`src/bin`) names none.
#[test]
fn each_tool_is_named_by_the_table_and_one_module_only() {
    fn rust_files(dir: &std::path::Path, found: &mut Vec<std::path::PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                rust_files(&path, found);
            } else if path.extension().is_some_and(|e| e == "rs") {
                found.push(path);
            }
        }
    }
    let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let code: Vec<(String, String)> = files
        .iter()
        .map(|path| {
            let text = std::fs::read_to_string(path).unwrap();
            let before_tests = text.split("#[cfg(test)]").next().unwrap_or_default();
            let lines: Vec<&str> = before_tests.lines().filter(|line| !line.trim_start().starts_with("//")).collect();
            (path.strip_prefix(&src).unwrap().display().to_string(), lines.join("\n"))
        })
        .collect();
    for name in clerk_tools::TOOL_NAMES {
        let quoted = format!("\"{name}\"");
        let places: BTreeSet<&str> =
            code.iter().filter(|(_, text)| text.contains(&quoted)).map(|(file, _)| file.as_str()).collect();
        assert!(places.contains("registry.rs"), "{name}: {places:?}");
        assert_eq!(places.len(), 2, "{name} is named in {places:?}");
        assert!(!places.iter().any(|file| file.starts_with("bin")), "{name}: {places:?}");
    }
}

/// The committed schemas (tool-schemas.json) hold every tool of the table, in its order, and
/// nothing else; the drift check (`cargo xtask generate --check`) holds them to the types.
#[test]
fn the_committed_schemas_cover_exactly_the_tools() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tool-schemas.json");
    let document: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let tools = document["tools"].as_object().unwrap();
    assert_eq!(tools.keys().map(String::as_str).collect::<Vec<_>>(), clerk_tools::TOOL_NAMES);
    for (name, schemas) in tools {
        let tool = clerk_tools::find_tool(name).unwrap();
        let keys: &[&str] =
            if tool.returns_credentials { &["input", "output", "returnsCredentials"] } else { &["input", "output"] };
        assert_eq!(schemas.as_object().unwrap().keys().collect::<Vec<_>>(), keys, "{name}");
        assert_eq!(schemas["input"]["type"], "object", "{name}");
        assert!(schemas["input"]["properties"].is_object(), "{name}");
        assert_eq!(schemas["output"]["type"], "object", "{name}");
        assert_eq!(tool.input_schema_without_secret, schemas["input"], "{name}");
        assert_eq!(tool.output_schema, schemas["output"], "{name}");
    }
}
