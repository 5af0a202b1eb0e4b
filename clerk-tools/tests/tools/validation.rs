//! Every validation rule: the named error, and no request reaches the server.

use serde_json::{Value, json};

use crate::common::{KEY, received, start, with_key};

/// `(tool, input, the input the error must name)`.
fn cases() -> Vec<(&'static str, Value, &'static str)> {
    let mut cases = Vec::new();
    for bad_id in ["..", ".", "a/b", "%2e%2e", "user 1", "", "   ", "a?b", "a#b", "user\n1"] {
        cases.push(("clerk_get_user", json!({"secretKey": KEY, "userId": bad_id}), "userId"));
    }
    cases.extend(hostile_organization_paths());
    cases.extend(organization_cases());
    cases.extend([
        ("clerk_update_user", json!({"secretKey": KEY, "userId": "..", "firstName": "x"}), "userId"),
        ("clerk_delete_user", json!({"secretKey": KEY, "userId": "a/b"}), "userId"),
        ("clerk_get_organization", json!({"secretKey": KEY, "organizationId": "../users"}), "organizationId"),
        ("clerk_get_session", json!({"secretKey": KEY, "sessionId": "%2e%2e"}), "sessionId"),
        ("clerk_revoke_session", json!({"secretKey": KEY, "sessionId": "sess 1"}), "sessionId"),
        ("clerk_get_user", json!({"secretKey": KEY}), "userId"),
        ("clerk_get_user", json!({"secretKey": KEY, "userId": 123}), "userId"),
        ("clerk_get_user", json!({"secretKey": KEY, "userId": "user_1", "userID": "typo"}), "userID"),
        ("clerk_list_users", json!({"secretKey": KEY, "limit": 0}), "limit"),
        ("clerk_list_users", json!({"secretKey": KEY, "limit": 501}), "limit"),
        ("clerk_list_users", json!({"secretKey": KEY, "limit": 2.5}), "limit"),
        ("clerk_list_users", json!({"secretKey": KEY, "limit": "ten"}), "limit"),
        ("clerk_list_users", json!({"secretKey": KEY, "limit": true}), "limit"),
        ("clerk_list_users", json!({"secretKey": KEY, "offset": -1}), "offset"),
        ("clerk_list_organizations", json!({"secretKey": KEY, "limit": "0"}), "limit"),
        ("clerk_list_organizations", json!({"secretKey": KEY, "includeMembersCount": "maybe"}), "includeMembersCount"),
        ("clerk_list_sessions", json!({"secretKey": KEY, "userId": "user_1", "limit": 1000}), "limit"),
        ("clerk_list_sessions", json!({"secretKey": KEY}), "userId"),
        ("clerk_list_sessions", json!({"secretKey": KEY, "userId": " ", "clientId": ""}), "userId"),
        ("clerk_list_sessions", json!({"secretKey": KEY, "userId": "user_1", "status": "bogus"}), "status"),
        ("clerk_create_user", json!({"secretKey": KEY, "publicMetadata": [1]}), "publicMetadata"),
        ("clerk_create_user", json!({"secretKey": KEY, "publicMetadata": "nope"}), "publicMetadata"),
        ("clerk_create_user", json!({"secretKey": KEY, "privateMetadata": 5}), "privateMetadata"),
        ("clerk_create_user", json!({"secretKey": KEY, "unsafeMetadata": "[1]"}), "unsafeMetadata"),
        ("clerk_create_user", json!({"secretKey": KEY, "skipPasswordChecks": "maybe"}), "skipPasswordChecks"),
        (
            "clerk_update_user",
            json!({"secretKey": KEY, "userId": "user_1", "unsafeMetadata": "{not json"}),
            "unsafeMetadata",
        ),
        ("clerk_update_user", json!({"secretKey": KEY, "userId": "user_1"}), "input"),
        (
            "clerk_update_user",
            json!({"secretKey": KEY, "userId": "user_1", "firstName": "  ", "username": ""}),
            "input",
        ),
        ("clerk_create_organization", json!({"secretKey": KEY, "createdBy": "user_1"}), "name"),
        ("clerk_create_organization", json!({"secretKey": KEY, "name": "Acme", "createdBy": " "}), "createdBy"),
        (
            "clerk_create_organization",
            json!({"secretKey": KEY, "name": "Acme", "createdBy": "user_1", "maxAllowedMemberships": -1}),
            "maxAllowedMemberships",
        ),
        (
            "clerk_create_organization",
            json!({"secretKey": KEY, "name": "Acme", "createdBy": "user_1", "publicMetadata": "[1]"}),
            "publicMetadata",
        ),
        ("clerk_list_users", json!("not an object"), "input"),
        ("clerk_no_such_tool", json!({"secretKey": KEY}), "name"),
    ]);
    cases.extend(hostile_path_ids());
    cases.extend([
        ("clerk_get_user_oauth_token", json!({"secretKey": KEY, "userId": "user_1"}), "provider"),
        ("clerk_get_user_oauth_token", json!({"secretKey": KEY, "userId": "user_1", "provider": "oauth_"}), "provider"),
        ("clerk_get_user_oauth_token", json!({"secretKey": KEY, "userId": "user_1", "provider": " oauth_ "}), "provider"),
        ("clerk_merge_user_metadata", json!({"secretKey": KEY, "userId": "user_1"}), "input"),
        (
            "clerk_merge_user_metadata",
            json!({"secretKey": KEY, "userId": "user_1", "publicMetadata": null, "privateMetadata": " "}),
            "input",
        ),
        ("clerk_merge_user_metadata", json!({"secretKey": KEY, "userId": "user_1", "publicMetadata": [1]}), "publicMetadata"),
        ("clerk_merge_user_metadata", json!({"secretKey": KEY, "userId": "user_1", "unsafeMetadata": "{x"}), "unsafeMetadata"),
        ("clerk_list_allowlist_identifiers", json!({"secretKey": KEY, "limit": 0}), "limit"),
        ("clerk_list_allowlist_identifiers", json!({"secretKey": KEY, "limit": 501}), "limit"),
        ("clerk_list_allowlist_identifiers", json!({"secretKey": KEY, "offset": -1}), "offset"),
        ("clerk_create_allowlist_identifier", json!({"secretKey": KEY}), "identifier"),
        ("clerk_create_allowlist_identifier", json!({"secretKey": KEY, "identifier": "  "}), "identifier"),
        ("clerk_create_allowlist_identifier", json!({"secretKey": KEY, "identifier": "a@x.io", "notify": "maybe"}), "notify"),
        // The endpoint takes no parameters, so the tool has no paging inputs.
        ("clerk_list_blocklist_identifiers", json!({"secretKey": KEY, "limit": 10}), "limit"),
        ("clerk_create_blocklist_identifier", json!({"secretKey": KEY, "identifier": ""}), "identifier"),
        ("clerk_create_blocklist_identifier", json!({"secretKey": KEY, "identifier": "a@x.io", "notify": true}), "notify"),
        ("clerk_list_jwt_templates", json!({"secretKey": KEY, "offset": 0}), "offset"),
        ("clerk_create_actor_token", json!({"secretKey": KEY, "actor": {"sub": "user_2"}}), "userId"),
        ("clerk_create_actor_token", json!({"secretKey": KEY, "userId": " ", "actor": {"sub": "user_2"}}), "userId"),
        ("clerk_create_actor_token", json!({"secretKey": KEY, "userId": "user_1"}), "actor"),
        ("clerk_create_actor_token", json!({"secretKey": KEY, "userId": "user_1", "actor": null}), "actor"),
        ("clerk_create_actor_token", json!({"secretKey": KEY, "userId": "user_1", "actor": "user_2"}), "actor"),
        ("clerk_create_actor_token", json!({"secretKey": KEY, "userId": "user_1", "actor": [1]}), "actor"),
        ("clerk_create_actor_token", json!({"secretKey": KEY, "userId": "user_1", "actor": {}}), "actor"),
        ("clerk_create_actor_token", json!({"secretKey": KEY, "userId": "user_1", "actor": {"sub": " "}}), "actor"),
        ("clerk_create_actor_token", json!({"secretKey": KEY, "userId": "user_1", "actor": {"sub": 5}}), "actor"),
        (
            "clerk_create_actor_token",
            json!({"secretKey": KEY, "userId": "user_1", "actor": {"sub": "user_2"}, "expiresInSeconds": 0}),
            "expiresInSeconds",
        ),
        (
            "clerk_create_actor_token",
            json!({"secretKey": KEY, "userId": "user_1", "actor": {"sub": "user_2"}, "expiresInSeconds": "soon"}),
            "expiresInSeconds",
        ),
        (
            "clerk_create_actor_token",
            json!({"secretKey": KEY, "userId": "user_1", "actor": {"sub": "user_2"}, "sessionMaxDurationInSeconds": -5}),
            "sessionMaxDurationInSeconds",
        ),
        ("clerk_create_invitation", json!({"secretKey": KEY}), "emailAddress"),
        ("clerk_create_invitation", json!({"secretKey": KEY, "emailAddress": " "}), "emailAddress"),
        ("clerk_create_invitation", json!({"secretKey": KEY, "emailAddress": "a@x.io", "expiresInDays": 0}), "expiresInDays"),
        ("clerk_create_invitation", json!({"secretKey": KEY, "emailAddress": "a@x.io", "expiresInDays": "366"}), "expiresInDays"),
        ("clerk_create_invitation", json!({"secretKey": KEY, "emailAddress": "a@x.io", "expiresInDays": 1.5}), "expiresInDays"),
        ("clerk_create_invitation", json!({"secretKey": KEY, "emailAddress": "a@x.io", "notify": "often"}), "notify"),
        ("clerk_create_invitation", json!({"secretKey": KEY, "emailAddress": "a@x.io", "ignoreExisting": 1}), "ignoreExisting"),
        ("clerk_create_invitation", json!({"secretKey": KEY, "emailAddress": "a@x.io", "publicMetadata": "[1]"}), "publicMetadata"),
        ("clerk_list_invitations", json!({"secretKey": KEY, "status": "bogus"}), "status"),
        ("clerk_list_invitations", json!({"secretKey": KEY, "status": "Pending"}), "status"),
        ("clerk_list_invitations", json!({"secretKey": KEY, "limit": "0"}), "limit"),
        ("clerk_list_invitations", json!({"secretKey": KEY, "offset": -1}), "offset"),
    ]);
    cases
}

/// Every tool with an ID in its path refuses, before sending anything, each ID that could
/// change the path or that no Clerk ID looks like, and a missing one.
fn hostile_path_ids() -> Vec<(&'static str, Value, &'static str)> {
    // `(tool, the ID input, the other inputs, what goes before the ID)`: `provider` is checked
    // with and without its optional `oauth_` prefix.
    let tools: [(&str, &str, Value, &str); 19] = [
        ("clerk_get_user", "userId", json!({}), ""),
        ("clerk_update_user", "userId", json!({"firstName": "Ada"}), ""),
        ("clerk_delete_user", "userId", json!({}), ""),
        ("clerk_get_organization", "organizationId", json!({}), ""),
        ("clerk_get_session", "sessionId", json!({}), ""),
        ("clerk_revoke_session", "sessionId", json!({}), ""),
        ("clerk_ban_user", "userId", json!({}), ""),
        ("clerk_unban_user", "userId", json!({}), ""),
        ("clerk_lock_user", "userId", json!({}), ""),
        ("clerk_unlock_user", "userId", json!({}), ""),
        ("clerk_get_user_oauth_token", "userId", json!({"provider": "google"}), ""),
        ("clerk_get_user_oauth_token", "provider", json!({"userId": "user_1"}), ""),
        ("clerk_get_user_oauth_token", "provider", json!({"userId": "user_1"}), "oauth_"),
        ("clerk_delete_allowlist_identifier", "identifierId", json!({}), ""),
        ("clerk_delete_blocklist_identifier", "identifierId", json!({}), ""),
        ("clerk_get_jwt_template", "templateId", json!({}), ""),
        ("clerk_revoke_actor_token", "actorTokenId", json!({}), ""),
        ("clerk_merge_user_metadata", "userId", json!({"publicMetadata": {"a": 1}}), ""),
        ("clerk_revoke_invitation", "invitationId", json!({}), ""),
    ];
    let mut cases = Vec::new();
    for (tool, field, others, prefix) in tools {
        let mut missing = others.clone();
        missing["secretKey"] = json!(KEY);
        cases.push((tool, missing.clone(), field));
        for id in hostile_ids() {
            let mut input = missing.clone();
            input[field] = json!(format!("{prefix}{id}"));
            cases.push((tool, input, field));
        }
    }
    cases
}

/// IDs that could change the path they go into, or are too long or empty.
fn hostile_ids() -> Vec<String> {
    let mut ids: Vec<String> =
        ["..", ".", "a/b", "%2e%2e", "?", "#", "a?b", "a#b", "org 1", " \t", "org\n1", ""].map(String::from).into();
    ids.push("a".repeat(129));
    ids
}

/// Every organization, membership and invitation tool refuses each hostile ID in each of its
/// path segments.
fn hostile_organization_paths() -> Vec<(&'static str, Value, &'static str)> {
    let mut cases = Vec::new();
    for bad in hostile_ids() {
        let org = |rest: Value| {
            let mut input = json!({"secretKey": KEY, "organizationId": bad});
            input.as_object_mut().unwrap().extend(rest.as_object().unwrap().clone());
            input
        };
        let member = |role: Option<&str>| {
            let mut input = json!({"secretKey": KEY, "organizationId": "org_1", "userId": bad});
            if let Some(role) = role {
                input["role"] = json!(role);
            }
            input
        };
        cases.extend([
            ("clerk_update_organization", org(json!({"name": "Acme"})), "organizationId"),
            ("clerk_delete_organization", org(json!({})), "organizationId"),
            ("clerk_merge_organization_metadata", org(json!({"publicMetadata": {"a": 1}})), "organizationId"),
            ("clerk_list_organization_memberships", org(json!({})), "organizationId"),
            ("clerk_add_organization_member", org(json!({"userId": "user_1", "role": "org:member"})), "organizationId"),
            (
                "clerk_update_organization_membership",
                org(json!({"userId": "user_1", "role": "org:admin"})),
                "organizationId",
            ),
            ("clerk_remove_organization_member", org(json!({"userId": "user_1"})), "organizationId"),
            (
                "clerk_create_organization_invitation",
                org(json!({"emailAddress": "a@x.io", "role": "org:member"})),
                "organizationId",
            ),
            ("clerk_list_organization_invitations", org(json!({})), "organizationId"),
            ("clerk_update_organization_membership", member(Some("org:admin")), "userId"),
            ("clerk_remove_organization_member", member(None), "userId"),
        ]);
    }
    cases
}

/// The other rules of the organization, membership and invitation tools.
fn organization_cases() -> Vec<(&'static str, Value, &'static str)> {
    let org = |rest: Value| {
        let mut input = json!({"secretKey": KEY, "organizationId": "org_1"});
        input.as_object_mut().unwrap().extend(rest.as_object().unwrap().clone());
        input
    };
    let invite = |rest: Value| {
        let mut input = org(json!({"emailAddress": "a@x.io", "role": "org:member"}));
        input.as_object_mut().unwrap().extend(rest.as_object().unwrap().clone());
        input
    };
    vec![
        ("clerk_update_organization", org(json!({})), "input"),
        ("clerk_update_organization", org(json!({"name": " ", "slug": ""})), "input"),
        ("clerk_update_organization", org(json!({"maxAllowedMemberships": -1})), "maxAllowedMemberships"),
        ("clerk_update_organization", org(json!({"maxAllowedMemberships": "many"})), "maxAllowedMemberships"),
        ("clerk_update_organization", org(json!({"adminDeleteEnabled": "sometimes"})), "adminDeleteEnabled"),
        ("clerk_update_organization", org(json!({"publicMetadata": {"a": 1}})), "publicMetadata"),
        ("clerk_update_organization", json!({"secretKey": KEY, "name": "Acme"}), "organizationId"),
        ("clerk_merge_organization_metadata", org(json!({})), "input"),
        ("clerk_merge_organization_metadata", org(json!({"publicMetadata": null, "privateMetadata": " "})), "input"),
        ("clerk_merge_organization_metadata", org(json!({"publicMetadata": [1]})), "publicMetadata"),
        ("clerk_merge_organization_metadata", org(json!({"privateMetadata": "{not json"})), "privateMetadata"),
        ("clerk_merge_organization_metadata", org(json!({"unsafeMetadata": {"a": 1}})), "unsafeMetadata"),
        ("clerk_list_organization_memberships", org(json!({"limit": 0})), "limit"),
        ("clerk_list_organization_memberships", org(json!({"limit": 501})), "limit"),
        ("clerk_list_organization_memberships", org(json!({"offset": -1})), "offset"),
        ("clerk_list_organization_memberships", org(json!({"role": [1]})), "role"),
        ("clerk_list_organization_memberships", json!({"secretKey": KEY}), "organizationId"),
        ("clerk_add_organization_member", org(json!({"role": "org:member"})), "userId"),
        ("clerk_add_organization_member", org(json!({"userId": " ", "role": "org:member"})), "userId"),
        ("clerk_add_organization_member", org(json!({"userId": "user_1"})), "role"),
        ("clerk_add_organization_member", org(json!({"userId": "user_1", "role": "  "})), "role"),
        ("clerk_update_organization_membership", org(json!({"userId": "user_1"})), "role"),
        ("clerk_update_organization_membership", org(json!({"userId": "user_1", "role": ""})), "role"),
        ("clerk_update_organization_membership", org(json!({"role": "org:admin"})), "userId"),
        ("clerk_remove_organization_member", org(json!({})), "userId"),
        ("clerk_create_organization_invitation", org(json!({"role": "org:member"})), "emailAddress"),
        ("clerk_create_organization_invitation", invite(json!({"emailAddress": " "})), "emailAddress"),
        ("clerk_create_organization_invitation", invite(json!({"role": ""})), "role"),
        ("clerk_create_organization_invitation", invite(json!({"expiresInDays": 0})), "expiresInDays"),
        ("clerk_create_organization_invitation", invite(json!({"expiresInDays": "366"})), "expiresInDays"),
        ("clerk_create_organization_invitation", invite(json!({"expiresInDays": 1.5})), "expiresInDays"),
        ("clerk_create_organization_invitation", invite(json!({"publicMetadata": "[1]"})), "publicMetadata"),
        ("clerk_create_organization_invitation", invite(json!({"privateMetadata": 5})), "privateMetadata"),
        ("clerk_create_organization_invitation", invite(json!({"notify": "maybe"})), "notify"),
        ("clerk_list_organization_invitations", org(json!({"status": "bogus"})), "status"),
        ("clerk_list_organization_invitations", org(json!({"status": "pending,revoked"})), "status"),
        ("clerk_list_organization_invitations", org(json!({"status": "PENDING"})), "status"),
        ("clerk_list_organization_invitations", org(json!({"limit": "0"})), "limit"),
        ("clerk_list_organization_invitations", org(json!({"offset": -5})), "offset"),
    ]
}

#[tokio::test]
async fn every_invalid_input_is_named_and_nothing_is_sent() {
    let (server, tools) = start().await;
    for (tool, input, field) in cases() {
        let output = tools.call(tool, input.clone()).await;
        assert_eq!(output["success"], false, "{tool} {input}: {output}");
        assert_eq!(output["kind"], "invalid_input", "{tool} {input}: {output}");
        assert_eq!(output["field"], field, "{tool} {input}: {output}");
        let message = output["error"].as_str().unwrap_or_default();
        assert!(message.contains(&format!("`{field}`")), "the message names the input: {message}");
        assert!(!message.contains(KEY), "{message}");
    }
    assert!(received(&server).await.is_empty(), "a validation error must not reach the server");
}

#[tokio::test]
async fn typed_validation_errors_name_the_field_too() {
    let (server, tools) = start().await;
    let err = with_key(&tools)
        .list_users(clerk_tools::ListUsersInput { limit: Some(0), ..Default::default() })
        .await
        .unwrap_err();
    assert!(matches!(&err, clerk_tools::Error::InvalidInput { field, .. } if field == "limit"), "{err}");
    assert_eq!(err.to_string(), "invalid input `limit`: must be a whole number from 1 to 500");
    let err =
        tools.with_secret_key("").get_user(clerk_tools::GetUserInput { user_id: "user_1".into() }).await.unwrap_err();
    assert!(matches!(err, clerk_tools::Error::MissingSecretKey), "{err}");
    assert!(received(&server).await.is_empty());
}

/// No key, a blank key in the input or a blank key on the client: one error, one wording.
#[tokio::test]
async fn a_missing_key_is_one_error_with_one_wording() {
    let (server, tools) = start().await;
    let blank = tools.with_secret_key(" ");
    let typed = blank.get_user(clerk_tools::GetUserInput { user_id: "user_1".into() }).await.unwrap_err();
    let wording = typed.to_string();
    assert!(wording.starts_with("no Clerk secret key: set CLERK_SECRET_KEY to your key"), "{wording}");
    for input in [
        json!({"userId": "user_1"}),
        json!({"secretKey": "", "userId": "user_1"}),
        json!({"secretKey": "   ", "userId": "user_1"}),
    ] {
        let output = tools.call("clerk_get_user", input.clone()).await;
        assert_eq!(
            output,
            json!({"success": false, "error": wording, "kind": "config", "field": "secretKey"}),
            "{input}"
        );
    }
    assert_eq!(blank.call("clerk_get_user", json!({"userId": "user_1"})).await["error"], wording);
    assert!(received(&server).await.is_empty());
}

/// A user needs an email address, a phone number or a username; without any, the call is
/// refused before a request, naming them as the tool's inputs.
#[tokio::test]
async fn a_user_without_an_identifier_is_refused_naming_the_three_inputs() {
    let (server, tools) = start().await;
    for input in [json!({"secretKey": KEY}), json!({"secretKey": KEY, "emailAddress": " , ", "username": " "})] {
        let output = tools.call("clerk_create_user", input.clone()).await;
        assert_eq!(
            output,
            json!({
                "success": false,
                "error": "invalid input `emailAddress`: give at least one of emailAddress, phoneNumber or username",
                "kind": "invalid_input",
                "field": "emailAddress",
            }),
            "{input}"
        );
    }
    let typed = with_key(&tools).create_user(clerk_tools::CreateUserInput::default()).await.unwrap_err();
    assert_eq!(
        typed.to_string(),
        "invalid input `emailAddress`: give at least one of emailAddress, phoneNumber or username"
    );
    assert!(received(&server).await.is_empty());
}

#[tokio::test]
async fn an_unknown_tool_names_the_closest_one() {
    let (server, tools) = start().await;
    let output = tools.call("clerk_list_user", json!({"secretKey": KEY})).await;
    assert_eq!(
        output,
        json!({
            "success": false,
            "error": "invalid input `name`: no tool is called `clerk_list_user`; did you mean `clerk_list_users`?",
            "kind": "invalid_input",
            "field": "name",
        })
    );
    let far = tools.call("fly_to_the_moon", json!({"secretKey": KEY})).await;
    let message = far["error"].as_str().unwrap();
    assert!(
        message
            .starts_with("invalid input `name`: no tool is called `fly_to_the_moon`; the tools are clerk_list_users, ")
    );
    assert!(received(&server).await.is_empty());
}
