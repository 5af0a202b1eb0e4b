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

/// Property names of a schema, following `allOf`/`$ref` into `$defs` for flattened parts.
fn properties(schema: &Value, root: &Value) -> BTreeSet<String> {
    let mut found: BTreeSet<String> =
        schema["properties"].as_object().map(|p| p.keys().cloned().collect()).unwrap_or_default();
    for part in schema["allOf"].as_array().into_iter().flatten() {
        found.extend(properties(part, root));
    }
    if let Some(reference) = schema["$ref"].as_str() {
        let name = reference.rsplit('/').next().unwrap_or_default();
        found.extend(properties(&root["$defs"][name], root));
    }
    found
}

#[test]
fn schemas_match_the_contract_field_lists() {
    let tools = clerk_tools::tools();
    let registered: Vec<&str> = tools.iter().map(|t| t.name).collect();
    let contract: Vec<&str> = CONTRACT.iter().map(|c| c.0).collect();
    assert_eq!(registered, contract);
    for (tool, (name, inputs, outputs)) in tools.iter().zip(CONTRACT) {
        assert_eq!(properties(&tool.input_schema, &tool.input_schema), names(inputs), "{name} inputs");
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
        assert_eq!(properties(&tool.output_schema, &tool.output_schema), names(outputs), "{name} outputs");
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
        assert_eq!(properties(&tool.input_schema_without_secret, &tool.input_schema_without_secret), expected);
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
