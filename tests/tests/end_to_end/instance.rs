//! The moderation, OAuth token, metadata merge, allowlist, blocklist, JWT template, actor
//! token and application invitation tools through the JSON interface, against the local
//! Clerk stand-in: each output, and the state it leaves, read back through the tools.

use clerk_standin::StandIn;
use clerk_tools::ClerkTools;
use serde_json::{Value, json};
use workspace_tests::end_to_end;

use crate::{finish, recording};

const KEY: &str = "sk_test_end_to_end_instance_7c2a";

async fn setup(standin: StandIn) -> (StandIn, ClerkTools) {
    let tools = end_to_end::tools_for(&standin, KEY);
    recording((standin, tools))
}

async fn empty() -> (StandIn, ClerkTools) {
    recording(end_to_end::start(KEY).await)
}

async fn call(tools: &ClerkTools, name: &str, input: Value) -> Value {
    end_to_end::call(tools, KEY, name, input).await
}

/// Calls a tool that must succeed, and returns its output.
async fn ok(tools: &ClerkTools, name: &str, input: Value) -> Value {
    let output = call(tools, name, input.clone()).await;
    assert_eq!(output["success"], true, "{name} {input}: {output}");
    output
}

async fn new_user(tools: &ClerkTools, input: Value) -> String {
    let created = ok(tools, "clerk_create_user", input).await;
    created["id"].as_str().expect("an id").to_string()
}

fn ids(list: &Value) -> Vec<String> {
    list.as_array().into_iter().flatten().filter_map(|item| item["id"].as_str().map(str::to_string)).collect()
}

pub(crate) async fn a_ban_revokes_sessions_and_locks_come_and_go() {
    let (standin, tools) = empty().await;
    let ada = new_user(&tools, json!({"emailAddress": "ada@example.com", "username": "ada", "firstName": "Ada"})).await;
    let ended = standin.add_session(&ada, "client_browser", "ended");
    let browser = standin.add_session(&ada, "client_browser", "active");
    let phone = standin.add_session(&ada, "client_phone", "active");

    let banned = ok(&tools, "clerk_ban_user", json!({"userId": ada})).await;
    assert_eq!(
        (banned["id"].as_str(), banned["banned"].as_bool(), banned["username"].as_str()),
        (Some(ada.as_str()), Some(true), Some("ada"))
    );
    // Clerk revokes the live sessions of a banned user at once; an ended one stays ended.
    for (session, status) in [(&browser, "revoked"), (&phone, "revoked"), (&ended, "ended")] {
        let found = ok(&tools, "clerk_get_session", json!({"sessionId": session})).await;
        assert_eq!(found["status"], status, "{session}");
    }
    let active = ok(&tools, "clerk_list_sessions", json!({"userId": ada, "status": "active"})).await;
    assert_eq!(active["totalCount"], 0);
    assert_eq!(ok(&tools, "clerk_get_user", json!({"userId": ada})).await["banned"], true);

    let unbanned = ok(&tools, "clerk_unban_user", json!({"userId": ada})).await;
    assert_eq!(unbanned["banned"], false);
    assert_eq!(ok(&tools, "clerk_get_user", json!({"userId": ada})).await["banned"], false);

    let locked = ok(&tools, "clerk_lock_user", json!({"userId": ada})).await;
    assert_eq!((locked["locked"].as_bool(), &locked["lockoutExpiresInSeconds"]), (Some(true), &Value::Null));
    assert!(locked["updatedAt"].as_i64() > unbanned["updatedAt"].as_i64());
    assert_eq!(ok(&tools, "clerk_get_user", json!({"userId": ada})).await["locked"], true);
    let unlocked = ok(&tools, "clerk_unlock_user", json!({"userId": ada})).await;
    assert_eq!((unlocked["locked"].as_bool(), unlocked["banned"].as_bool()), (Some(false), Some(false)));
    assert_eq!(ok(&tools, "clerk_get_user", json!({"userId": ada})).await["locked"], false);

    let missing = call(&tools, "clerk_ban_user", json!({"userId": "user_nobody"})).await;
    assert_eq!((missing["kind"].as_str(), missing["httpStatus"].as_i64()), (Some("not_found"), Some(404)));
    finish(standin).await;
}

pub(crate) async fn oauth_tokens_come_back_for_the_provider_asked_for() {
    let (standin, tools) = empty().await;
    let ada = new_user(&tools, json!({"emailAddress": "ada@example.com"})).await;
    let account = standin.add_oauth_token(&ada, "oauth_google", "ya29.end-to-end-token", &["openid", "email"]);

    for provider in ["google", "oauth_google", " google "] {
        let found = ok(&tools, "clerk_get_user_oauth_token", json!({"userId": ada, "provider": provider})).await;
        let tokens = found["accessTokens"].as_array().expect("a list");
        assert_eq!(tokens.len(), 1, "{provider}: {found}");
        assert_eq!(tokens[0]["token"], "ya29.end-to-end-token");
        assert_eq!(tokens[0]["externalAccountId"], json!(account));
        assert_eq!(tokens[0]["provider"], "oauth_google");
        assert_eq!(tokens[0]["scopes"], json!(["openid", "email"]));
        assert!(tokens[0]["expiresAt"].as_i64().is_some());
    }
    let none = ok(&tools, "clerk_get_user_oauth_token", json!({"userId": ada, "provider": "github"})).await;
    assert_eq!(none, json!({"accessTokens": [], "success": true}));

    // The typed output hands the token on through `expose`, and never prints it.
    let typed = tools
        .get_user_oauth_token(clerk_tools::GetUserOAuthTokenInput { user_id: ada.clone(), provider: "google".into() })
        .await
        .expect("tokens");
    assert_eq!(typed.access_tokens[0].token.as_ref().map(|t| t.expose()), Some("ya29.end-to-end-token"));
    assert!(!format!("{typed:?}").contains("end-to-end-token"));
    finish(standin).await;
}

pub(crate) async fn merged_metadata_reads_back_with_the_nulled_keys_gone() {
    let (standin, tools) = empty().await;
    let ada = new_user(
        &tools,
        json!({
            "emailAddress": "ada@example.com",
            "publicMetadata": {"plan": "free", "trial": true, "limits": {"seats": 1, "storage": 5}},
            "privateMetadata": {"stripe": "cus_1", "notes": "vip"}
        }),
    )
    .await;

    let merged = ok(
        &tools,
        "clerk_merge_user_metadata",
        json!({
            "userId": ada,
            "publicMetadata": {"trial": null, "limits": {"seats": 3}},
            "privateMetadata": "{\"notes\": null}",
            "unsafeMetadata": {"theme": "dark"}
        }),
    )
    .await;
    let expected_public = json!({"plan": "free", "limits": {"seats": 3, "storage": 5}});
    assert_eq!(merged["publicMetadata"], expected_public, "{merged}");
    assert_eq!(merged["id"], json!(ada));

    let read = ok(&tools, "clerk_get_user", json!({"userId": ada})).await;
    assert_eq!(read["publicMetadata"], expected_public);
    assert_eq!(read["privateMetadata"], json!({"stripe": "cus_1"}));
    assert_eq!(read["unsafeMetadata"], json!({"theme": "dark"}));

    // A field not given stays as it is.
    ok(&tools, "clerk_merge_user_metadata", json!({"userId": ada, "unsafeMetadata": {"locale": "en"}})).await;
    let read = ok(&tools, "clerk_get_user", json!({"userId": ada})).await;
    assert_eq!(read["publicMetadata"], expected_public);
    assert_eq!(read["unsafeMetadata"], json!({"theme": "dark", "locale": "en"}));

    let nothing = call(&tools, "clerk_merge_user_metadata", json!({"userId": ada})).await;
    assert_eq!((nothing["kind"].as_str(), nothing["field"].as_str()), (Some("invalid_input"), Some("input")));
    assert_eq!(standin.request_count("PATCH", "/v1/users/{user_id}/metadata"), 2, "the refused call sent nothing");
    finish(standin).await;
}

pub(crate) async fn the_allowlist_adds_lists_and_removes() {
    let (standin, tools) = empty().await;
    let ada =
        ok(&tools, "clerk_create_allowlist_identifier", json!({"identifier": " Ada@Example.com ", "notify": true}))
            .await;
    assert_eq!(
        (ada["identifier"].as_str(), ada["identifierType"].as_str()),
        (Some("ada@example.com"), Some("email_address"))
    );
    assert!(ada["invitationId"].as_str().is_some(), "notify sends an invitation: {ada}");
    let domain = ok(&tools, "clerk_create_allowlist_identifier", json!({"identifier": "*@example.org"})).await;
    assert_eq!(domain["invitationId"], Value::Null);
    let phone =
        ok(&tools, "clerk_create_allowlist_identifier", json!({"identifier": "+15555550100", "notify": false})).await;
    assert_eq!(phone["identifierType"], "phone_number");

    let listed = ok(&tools, "clerk_list_allowlist_identifiers", json!({})).await;
    assert_eq!(listed["totalCount"], 3);
    let all = ids(&listed["identifiers"]);
    assert_eq!(all, [&ada["id"], &domain["id"], &phone["id"]].map(|id| id.as_str().unwrap_or_default().to_string()));
    let page = ok(&tools, "clerk_list_allowlist_identifiers", json!({"limit": 1, "offset": "1"})).await;
    assert_eq!(page["totalCount"], 3, "the total, not the page length");
    assert_eq!(ids(&page["identifiers"]), [all[1].clone()]);

    let duplicate = call(&tools, "clerk_create_allowlist_identifier", json!({"identifier": "*@example.org"})).await;
    assert_eq!(duplicate["success"], false, "{duplicate}");

    let deleted = ok(&tools, "clerk_delete_allowlist_identifier", json!({"identifierId": domain["id"]})).await;
    assert_eq!(
        deleted,
        json!({"id": domain["id"], "object": "allowlist_identifier", "deleted": true, "success": true})
    );
    let listed = ok(&tools, "clerk_list_allowlist_identifiers", json!({})).await;
    assert_eq!(listed["totalCount"], 2);
    assert!(!ids(&listed["identifiers"]).contains(&all[1]));
    let again = call(&tools, "clerk_delete_allowlist_identifier", json!({"identifierId": domain["id"]})).await;
    assert_eq!(again["httpStatus"], 404, "{again}");
    finish(standin).await;
}

pub(crate) async fn the_blocklist_adds_lists_and_removes() {
    let (standin, tools) = empty().await;
    let spam = ok(&tools, "clerk_create_blocklist_identifier", json!({"identifier": "spam@example.com"})).await;
    assert!(spam.get("invitationId").is_none(), "{spam}");
    let wallet = "0x52908400098527886E0F7030069857D2E4169EE7";
    let blocked = ok(&tools, "clerk_create_blocklist_identifier", json!({"identifier": wallet})).await;
    assert_eq!(blocked["identifierType"], "web3_wallet");

    let listed = ok(&tools, "clerk_list_blocklist_identifiers", json!({})).await;
    assert_eq!(listed["totalCount"], 2);
    assert_eq!(listed["identifiers"][0]["identifier"], "spam@example.com");

    let deleted = ok(&tools, "clerk_delete_blocklist_identifier", json!({"identifierId": spam["id"]})).await;
    assert_eq!(deleted, json!({"id": spam["id"], "object": "blocklist_identifier", "deleted": true, "success": true}));
    let listed = ok(&tools, "clerk_list_blocklist_identifiers", json!({})).await;
    assert_eq!(listed["totalCount"], 1);
    assert_eq!(ids(&listed["identifiers"]), [blocked["id"].as_str().unwrap_or_default().to_string()]);
    // The blocklist and the allowlist are separate lists.
    let allowlist = ok(&tools, "clerk_list_allowlist_identifiers", json!({})).await;
    assert_eq!(allowlist["totalCount"], 0);
    finish(standin).await;
}

pub(crate) async fn jwt_templates_come_from_the_instance() {
    let (standin, tools) = setup(StandIn::start_with_demo_data(KEY).await.expect("stand-in starts")).await;
    let custom = standin.add_jwt_template("grafbase", json!({"groups": ["admin"], "sub": "{{user.id}}"}));

    let listed = ok(&tools, "clerk_list_jwt_templates", json!({})).await;
    assert_eq!(listed["totalCount"], 3);
    let names: Vec<&str> =
        listed["templates"].as_array().into_iter().flatten().filter_map(|t| t["name"].as_str()).collect();
    assert_eq!(names, ["supabase", "hasura", "grafbase"]);

    let found = ok(&tools, "clerk_get_jwt_template", json!({"templateId": custom})).await;
    assert_eq!(found["claims"], json!({"groups": ["admin"], "sub": "{{user.id}}"}));
    assert_eq!(
        (found["lifetime"].as_i64(), found["allowedClockSkew"].as_i64(), found["signingAlgorithm"].as_str()),
        (Some(60), Some(5), Some("RS256"))
    );
    assert_eq!(found["customSigningKey"], false);
    let mut listed_custom = listed["templates"][2].clone();
    listed_custom["success"] = json!(true);
    assert_eq!(found, listed_custom, "get and list report the same template");

    let missing = call(&tools, "clerk_get_jwt_template", json!({"templateId": "jtmp_missing"})).await;
    assert_eq!(missing["httpStatus"], 404);
    finish(standin).await;
}

pub(crate) async fn an_actor_token_is_created_once_and_revoked_once() {
    let (standin, tools) = empty().await;
    let ada = new_user(&tools, json!({"emailAddress": "ada@example.com"})).await;
    let support = new_user(&tools, json!({"emailAddress": "support@example.com"})).await;

    let created = ok(
        &tools,
        "clerk_create_actor_token",
        json!({"userId": ada, "actor": {"sub": support}, "expiresInSeconds": 600, "sessionMaxDurationInSeconds": "300"}),
    )
    .await;
    assert_eq!((created["status"].as_str(), created["userId"].as_str()), (Some("pending"), Some(ada.as_str())));
    assert_eq!(created["actor"], json!({"sub": support}));
    let token = created["token"].as_str().expect("the token, shown once");
    assert_eq!(token.split('.').count(), 3, "a JWT: {token}");
    let url = created["url"].as_str().expect("the sign-in link");
    assert!(url.contains(token), "the link carries the token");

    let revoked = ok(&tools, "clerk_revoke_actor_token", json!({"actorTokenId": created["id"]})).await;
    assert_eq!(revoked["status"], "revoked");
    assert_eq!((&revoked["token"], &revoked["url"]), (&Value::Null, &Value::Null));
    assert_eq!(revoked["id"], created["id"]);

    // Clerk revokes only pending tokens.
    let again = call(&tools, "clerk_revoke_actor_token", json!({"actorTokenId": created["id"]})).await;
    assert_eq!(again["success"], false);
    assert_eq!((again["kind"].as_str(), again["httpStatus"].as_i64()), (Some("api_error"), Some(400)), "{again}");
    assert_eq!(again["code"], "actor_token_cannot_be_revoked_code");
    assert!(!again.to_string().contains(token), "{again}");

    let typed = tools
        .create_actor_token(clerk_tools::CreateActorTokenInput {
            user_id: ada.clone(),
            actor: json!({"sub": support}).as_object().cloned(),
            ..Default::default()
        })
        .await
        .expect("created");
    let exposed = typed.token.as_ref().map(|t| t.expose().to_string()).expect("a token");
    let debug = format!("{typed:?}");
    assert!(!debug.contains(&exposed) && !debug.contains("tickets"), "{debug}");
    finish(standin).await;
}

pub(crate) async fn invitations_are_created_listed_by_status_and_revoked() {
    let (standin, tools) = empty().await;
    let ada = ok(
        &tools,
        "clerk_create_invitation",
        json!({"emailAddress": "ada@example.com", "publicMetadata": {"plan": "pro"}, "expiresInDays": 7, "notify": false}),
    )
    .await;
    assert_eq!((ada["status"].as_str(), ada["revoked"].as_bool()), (Some("pending"), Some(false)));
    assert_eq!(ada["publicMetadata"], json!({"plan": "pro"}));
    let week = 7 * 24 * 60 * 60 * 1000;
    assert_eq!(ada["expiresAt"].as_i64().zip(ada["createdAt"].as_i64()).map(|(e, c)| e - c), Some(week));
    assert!(ada["url"].as_str().is_some_and(|url| url.starts_with("http")), "{ada}");
    let grace = ok(&tools, "clerk_create_invitation", json!({"emailAddress": "grace@example.com"})).await;

    // A second pending invitation for the same address is refused unless asked for.
    let duplicate = call(&tools, "clerk_create_invitation", json!({"emailAddress": "ada@example.com"})).await;
    assert_eq!(duplicate["success"], false, "{duplicate}");
    ok(&tools, "clerk_create_invitation", json!({"emailAddress": "ada@example.com", "ignoreExisting": true})).await;

    let pending = ok(&tools, "clerk_list_invitations", json!({"status": "pending"})).await;
    assert_eq!(pending["totalCount"], 3);
    let page = ok(&tools, "clerk_list_invitations", json!({"orderBy": "email_address", "limit": 1})).await;
    assert_eq!(
        (page["totalCount"].as_i64(), page["invitations"][0]["emailAddress"].as_str()),
        (Some(3), Some("ada@example.com"))
    );
    let found = ok(&tools, "clerk_list_invitations", json!({"query": "grace"})).await;
    assert_eq!(ids(&found["invitations"]), [grace["id"].as_str().unwrap_or_default().to_string()]);

    let revoked = ok(&tools, "clerk_revoke_invitation", json!({"invitationId": grace["id"]})).await;
    assert_eq!((revoked["status"].as_str(), revoked["revoked"].as_bool()), (Some("revoked"), Some(true)));
    assert_eq!(revoked["emailAddress"], "grace@example.com");

    let by_status = ok(&tools, "clerk_list_invitations", json!({"status": "revoked"})).await;
    assert_eq!(ids(&by_status["invitations"]), [grace["id"].as_str().unwrap_or_default().to_string()]);
    let default = ok(&tools, "clerk_list_invitations", json!({})).await;
    assert_eq!(default["totalCount"], 2, "revoked invitations are left out without a status");
    assert!(!ids(&default["invitations"]).contains(&grace["id"].as_str().unwrap_or_default().to_string()));
    let expired = ok(&tools, "clerk_list_invitations", json!({"status": "expired"})).await;
    assert_eq!(expired["totalCount"], 0);

    let again = call(&tools, "clerk_revoke_invitation", json!({"invitationId": grace["id"]})).await;
    assert_eq!((again["httpStatus"].as_i64(), again["code"].as_str()), (Some(400), Some("invitation_already_revoked")));
    let bad = call(&tools, "clerk_list_invitations", json!({"status": "lost"})).await;
    assert_eq!(bad["field"], "status");
    finish(standin).await;
}
