//! Instance-wide endpoints over real HTTP: application invitations, the allowlist and the
//! blocklist, JWT templates and actor tokens.

mod common;

use common::{Api, field, ids};
use reqwest::StatusCode;
use serde_json::json;

const DAY_MS: i64 = 24 * 60 * 60 * 1000;

#[tokio::test]
async fn invite_to_the_application() {
    let api = Api::start().await;
    api.user("ada", "ada@example.com").await;

    let invitation = api
        .ok(api.post(
            "/invitations",
            json!({
                "email_address": "Charles@Example.com",
                "public_metadata": {"plan": "trial"},
                "redirect_url": "https://app.example.com/welcome",
                "notify": false,
                "template_slug": "invitation"
            }),
        ))
        .await;
    assert!(invitation["id"].as_str().unwrap().starts_with("inv_"), "{invitation}");
    assert_eq!(invitation["object"], "invitation");
    assert_eq!(invitation["email_address"], "charles@example.com");
    assert_eq!(invitation["public_metadata"], json!({"plan": "trial"}));
    assert_eq!(invitation["revoked"], false);
    assert_eq!(invitation["status"], "pending");
    let url = invitation["url"].as_str().unwrap();
    assert!(url.contains("/v1/tickets/accept?ticket="), "{url}");
    assert!(url.ends_with("&redirect_url=https%3A%2F%2Fapp.example.com%2Fwelcome"), "{url}");
    let created_at = invitation["created_at"].as_i64().unwrap();
    assert_eq!(invitation["expires_at"].as_i64().unwrap() - created_at, 30 * DAY_MS, "Clerk's default");
    assert_eq!(invitation["updated_at"], created_at);

    let short =
        api.ok(api.post("/invitations", json!({"email_address": "dorothy@example.com", "expires_in_days": 1}))).await;
    assert_eq!(short["expires_at"].as_i64().unwrap() - short["created_at"].as_i64().unwrap(), DAY_MS);

    let refusals = [
        (json!({"email_address": "charles@example.com"}), StatusCode::BAD_REQUEST, "duplicate_record"),
        (json!({"email_address": "ADA@example.com"}), StatusCode::UNPROCESSABLE_ENTITY, "form_identifier_exists"),
        (
            json!({"email_address": "e@example.com", "expires_in_days": 366}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "form_param_value_invalid",
        ),
        (
            json!({"email_address": "e@example.com", "template_slug": "welcome"}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "form_param_value_invalid",
        ),
        (json!({"public_metadata": {}}), StatusCode::UNPROCESSABLE_ENTITY, "form_param_missing"),
        (json!({"email_address": "nobody"}), StatusCode::UNPROCESSABLE_ENTITY, "form_param_format_invalid"),
        (
            json!({"email_address": "e@example.com", "role": "admin"}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "form_param_unknown",
        ),
    ];
    for (body, status, expected) in refusals {
        let code = api.fails(api.post("/invitations", body.clone()), status).await;
        assert_eq!(code, expected, "{body}");
    }
    // `ignore_existing` lets both through.
    for email in ["charles@example.com", "ada@example.com"] {
        api.ok(api.post("/invitations", json!({"email_address": email, "ignore_existing": true}))).await;
    }
}

#[tokio::test]
async fn list_and_revoke_application_invitations() {
    let api = Api::start().await;
    let mut invited = Vec::new();
    for email in ["bob@example.com", "carol@example.com", "alice@example.com"] {
        let invitation = api.ok(api.post("/invitations", json!({"email_address": email}))).await;
        invited.push(invitation["id"].as_str().unwrap().to_owned());
    }

    let all = api.ok(api.get("/invitations")).await;
    assert_eq!(ids(&all), [&invited[2], &invited[1], &invited[0]], "a bare array, newest first");
    let paginated = api.ok(api.get("/invitations?paginated=true&limit=2")).await;
    assert_eq!(paginated["total_count"], 3, "the total counts every match, not the page");
    assert_eq!(ids(&paginated["data"]), [&invited[2], &invited[1]]);
    let by_email = api.ok(api.get("/invitations?order_by=email_address")).await;
    assert_eq!(field(&by_email, "email_address"), ["alice@example.com", "bob@example.com", "carol@example.com"]);
    let searched = api.ok(api.get("/invitations?query=CAROL")).await;
    assert_eq!(ids(&searched), [&invited[1]]);
    let by_id = api.ok(api.get(&format!("/invitations?query={}", invited[0]))).await;
    assert_eq!(ids(&by_id), [&invited[0]]);

    let revoked = api.ok(api.act(&format!("/invitations/{}/revoke", invited[0]))).await;
    assert_eq!((&revoked["status"], &revoked["revoked"]), (&json!("revoked"), &json!(true)));
    assert!(revoked["updated_at"].as_i64() > revoked["created_at"].as_i64());
    let code = api.fails(api.act(&format!("/invitations/{}/revoke", invited[0])), StatusCode::BAD_REQUEST).await;
    assert_eq!(code, "invitation_already_revoked");
    let code = api.fails(api.act("/invitations/inv_missing/revoke"), StatusCode::NOT_FOUND).await;
    assert_eq!(code, "resource_not_found");

    let listed = api.ok(api.get("/invitations?paginated=true")).await;
    assert_eq!(listed["total_count"], 2, "revoked invitations are left out unless asked for");
    assert_eq!(ids(&api.ok(api.get("/invitations?status=revoked")).await), [&invited[0]]);
    assert_eq!(api.ok(api.get("/invitations?status=pending")).await.as_array().unwrap().len(), 2);
    assert_eq!(api.ok(api.get("/invitations?status=expired")).await, json!([]));
    // The address can be invited again once its invitation is revoked.
    api.ok(api.post("/invitations", json!({"email_address": "bob@example.com"}))).await;

    for bad in ["status=sleeping", "order_by=role", "paginated=maybe", "offset=-1"] {
        let code = api.fails(api.get(&format!("/invitations?{bad}")), StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!(code, "form_param_value_invalid", "{bad}");
    }
}

#[tokio::test]
async fn the_allowlist() {
    let api = Api::start().await;
    let email = api.ok(api.post("/allowlist_identifiers", json!({"identifier": " Ada@Example.com "}))).await;
    assert!(email["id"].as_str().unwrap().starts_with("alid_"), "{email}");
    assert_eq!(email["object"], "allowlist_identifier");
    assert_eq!(email["identifier"], "ada@example.com");
    assert_eq!(email["identifier_type"], "email_address");
    assert_eq!(email.get("invitation_id"), None, "no invitation was sent");
    assert!(email["instance_id"].as_str().unwrap().starts_with("ins_"));
    assert!(email["created_at"].as_i64().unwrap() > 1_600_000_000_000);
    assert_eq!(email["updated_at"], email["created_at"]);

    let typed = [
        ("*@example.org", "*@example.org", "email_address"),
        ("+1 (555) 555-0100", "+15555550100", "phone_number"),
        ("0x52908400098527886E0F7030069857D2E4169EE7", "0x52908400098527886E0F7030069857D2E4169EE7", "web3_wallet"),
    ];
    for (given, stored, kind) in typed {
        let entry = api.ok(api.post("/allowlist_identifiers", json!({"identifier": given}))).await;
        assert_eq!((entry["identifier"].as_str().unwrap(), entry["identifier_type"].as_str().unwrap()), (stored, kind));
    }

    let code = api
        .fails(api.post("/allowlist_identifiers", json!({"identifier": "ADA@example.com"})), StatusCode::BAD_REQUEST)
        .await;
    assert_eq!(code, "duplicate_record");
    for (body, expected) in [
        (json!({"identifier": "hello"}), "form_param_format_invalid"),
        (json!({"identifier": "*@"}), "form_param_format_invalid"),
        (json!({}), "form_param_missing"),
        (json!({"identifier": "x@example.com", "role": 1}), "form_param_unknown"),
    ] {
        let code = api.fails(api.post("/allowlist_identifiers", body.clone()), StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!(code, expected, "{body}");
    }

    // With notify, an email address is sent an invitation, which the entry names.
    let notified =
        api.ok(api.post("/allowlist_identifiers", json!({"identifier": "grace@example.com", "notify": true}))).await;
    let invitation_id = notified["invitation_id"].as_str().expect("an invitation").to_owned();
    let invitations = api.ok(api.get("/invitations")).await;
    assert_eq!(ids(&invitations), [invitation_id.as_str()]);
    assert_eq!(invitations[0]["email_address"], "grace@example.com");

    let all = api.ok(api.get("/allowlist_identifiers")).await;
    assert_eq!(
        field(&all, "identifier"),
        [
            "ada@example.com",
            "*@example.org",
            "+15555550100",
            "0x52908400098527886E0F7030069857D2E4169EE7",
            "grace@example.com"
        ],
        "a bare array, oldest first"
    );
    let page = api.ok(api.get("/allowlist_identifiers?paginated=true&limit=2&offset=1")).await;
    assert_eq!(page["total_count"], 5);
    assert_eq!(field(&page["data"], "identifier"), ["*@example.org", "+15555550100"]);

    let id = email["id"].as_str().unwrap();
    let deleted = api.ok(api.delete(&format!("/allowlist_identifiers/{id}"))).await;
    assert_eq!(deleted, json!({"object": "allowlist_identifier", "id": id, "deleted": true}));
    let code = api.fails(api.delete(&format!("/allowlist_identifiers/{id}")), StatusCode::NOT_FOUND).await;
    assert_eq!(code, "resource_not_found");
    assert_eq!(api.ok(api.get("/allowlist_identifiers?paginated=true")).await["total_count"], 4);
    // Removed, it can be added again.
    api.ok(api.post("/allowlist_identifiers", json!({"identifier": "ada@example.com"}))).await;
}

#[tokio::test]
async fn the_blocklist() {
    let api = Api::start().await;
    assert_eq!(api.ok(api.get("/blocklist_identifiers")).await, json!({"data": [], "total_count": 0}));
    let blocked = api.ok(api.post("/blocklist_identifiers", json!({"identifier": "spam@example.net"}))).await;
    assert!(blocked["id"].as_str().unwrap().starts_with("blid_"), "{blocked}");
    assert_eq!(blocked["object"], "blocklist_identifier");
    assert_eq!(blocked["identifier_type"], "email_address");
    assert!(blocked.get("invitation_id").is_none(), "blocklist entries have no invitation: {blocked}");
    api.ok(api.post("/blocklist_identifiers", json!({"identifier": "*@spam.example"}))).await;

    let code = api
        .fails(api.post("/blocklist_identifiers", json!({"identifier": "SPAM@example.net"})), StatusCode::BAD_REQUEST)
        .await;
    assert_eq!(code, "duplicate_record");
    let code = api
        .fails(
            api.post("/blocklist_identifiers", json!({"identifier": "x@example.com", "notify": true})),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    assert_eq!(code, "form_param_unknown", "notify is for the allowlist");
    // The two lists are separate.
    api.ok(api.post("/allowlist_identifiers", json!({"identifier": "spam@example.net"}))).await;

    // The list takes no parameters: it is always every entry, with the total.
    let listed = api.ok(api.get("/blocklist_identifiers?limit=1")).await;
    assert_eq!(listed["total_count"], 2);
    assert_eq!(field(&listed["data"], "identifier"), ["spam@example.net", "*@spam.example"]);

    let id = blocked["id"].as_str().unwrap();
    let deleted = api.ok(api.delete(&format!("/blocklist_identifiers/{id}"))).await;
    assert_eq!(deleted, json!({"object": "blocklist_identifier", "id": id, "deleted": true}));
    let code = api.fails(api.delete(&format!("/blocklist_identifiers/{id}")), StatusCode::NOT_FOUND).await;
    assert_eq!(code, "resource_not_found");
    let code = api.fails(api.delete(&format!("/allowlist_identifiers/{id}")), StatusCode::NOT_FOUND).await;
    assert_eq!(code, "resource_not_found", "a blocklist id is not an allowlist one");
}

#[tokio::test]
async fn jwt_templates_are_listed_and_read() {
    let api = Api::with_demo_data().await;
    let listed = api.ok(api.get("/jwt_templates")).await;
    assert_eq!(field(&listed, "name"), ["supabase", "hasura"], "a bare array, oldest first");

    let id = api.standin.add_jwt_template("convex", json!({"aud": "convex", "name": "{{user.full_name}}"}));
    assert!(id.starts_with("jtmp_"), "{id}");
    let template = api.ok(api.get(&format!("/jwt_templates/{id}"))).await;
    let created_at = template["created_at"].as_i64().unwrap();
    assert_eq!(
        template,
        json!({
            "object": "jwt_template",
            "id": id,
            "name": "convex",
            "claims": {"aud": "convex", "name": "{{user.full_name}}"},
            "lifetime": 60,
            "allowed_clock_skew": 5,
            "custom_signing_key": false,
            "signing_algorithm": "RS256",
            "created_at": created_at,
            "updated_at": created_at
        })
    );
    let paginated = api.ok(api.get("/jwt_templates?paginated=true&limit=1&offset=2")).await;
    assert_eq!(paginated["total_count"], 3);
    assert_eq!(paginated["data"][0], template);

    let code = api.fails(api.get("/jwt_templates/jtmp_missing"), StatusCode::NOT_FOUND).await;
    assert_eq!(code, "resource_not_found");
}

#[tokio::test]
async fn actor_tokens_are_shown_once_and_revoked_once() {
    let api = Api::start().await;
    let ada = api.user("ada", "ada@example.com").await;
    let support = api.user("support", "support@example.com").await;

    let created = api
        .ok(api.post(
            "/actor_tokens",
            json!({"user_id": ada, "actor": {"sub": support, "reason": "ticket 42"}, "expires_in_seconds": 600, "session_max_duration_in_seconds": 900}),
        ))
        .await;
    let id = created["id"].as_str().unwrap();
    assert!(id.starts_with("act_"), "{created}");
    assert_eq!(created["object"], "actor_token");
    assert_eq!(created["status"], "pending");
    assert_eq!(created["user_id"], ada.as_str());
    assert_eq!(created["actor"], json!({"sub": support, "reason": "ticket 42"}));
    let token = created["token"].as_str().expect("the token, once");
    assert_eq!(token.split('.').count(), 3, "a JWT: {token}");
    assert!(created["url"].as_str().unwrap().ends_with(&format!("/v1/tickets/accept?ticket={token}")));
    assert_eq!(created["updated_at"], created["created_at"]);
    let defaults = api.ok(api.post("/actor_tokens", json!({"user_id": ada, "actor": {"sub": support}}))).await;
    assert_ne!(defaults["token"], created["token"]);

    let revoked = api.ok(api.act(&format!("/actor_tokens/{id}/revoke"))).await;
    assert_eq!(revoked["id"], id);
    assert_eq!(revoked["status"], "revoked");
    assert_eq!((revoked.get("token"), revoked.get("url")), (None, None), "shown only on creation");
    assert_eq!(revoked["actor"], created["actor"]);
    assert!(revoked["updated_at"].as_i64() > created["updated_at"].as_i64());
    let (status, body) = api.act(&format!("/actor_tokens/{id}/revoke")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(common::error_code(&body), "actor_token_cannot_be_revoked_code");
    assert!(body["errors"][0]["long_message"].as_str().unwrap().contains("its status is revoked"), "{body}");
    let code = api.fails(api.act("/actor_tokens/act_missing/revoke"), StatusCode::NOT_FOUND).await;
    assert_eq!(code, "resource_not_found");

    let refusals = [
        (json!({"user_id": "user_nobody", "actor": {"sub": support}}), "form_resource_not_found"),
        (json!({"user_id": ada, "actor": {"name": "Support"}}), "form_param_value_invalid"),
        (json!({"user_id": ada, "actor": {"sub": " "}}), "form_param_value_invalid"),
        (json!({"user_id": ada, "actor": {"sub": 7}}), "form_param_value_invalid"),
        (json!({"user_id": ada, "actor": "support"}), "form_param_format_invalid"),
        (json!({"user_id": ada}), "form_param_missing"),
        (json!({"actor": {"sub": support}}), "form_param_missing"),
        (json!({"user_id": ada, "actor": {"sub": support}, "expires_in_seconds": 0}), "form_param_value_invalid"),
        (
            json!({"user_id": ada, "actor": {"sub": support}, "session_max_duration_in_seconds": -5}),
            "form_param_value_invalid",
        ),
        (json!({"user_id": ada, "actor": {"sub": support}, "scopes": []}), "form_param_unknown"),
    ];
    for (body, expected) in refusals {
        let code = api.fails(api.post("/actor_tokens", body.clone()), StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!(code, expected, "{body}");
    }
}
