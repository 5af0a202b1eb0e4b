//! The stand-in speaks Clerk's 2026-05-12 document: every answer it gives while it is probed
//! on every operation of the document, driven through all the tools and asked directly for
//! what the tools do not reach (other variants, refusals), is validated by openapi-core
//! against the document's response for that operation and status.
//!
//! Which routes the stand-in serves is found by probing every operation of the document, not
//! read from a list: a route added to the stand-in is found here, and the test fails until
//! the scenario below gets a successful answer from it. Needs `python3` with pip, and the
//! package registry the first time.

use std::collections::BTreeSet;
use std::path::Path;

use clerk_standin::{Exchange, StandIn};
use serde_json::{Value, json};
use workspace_tests::document;
use workspace_tests::end_to_end::tools_for;

const KEY: &str = "sk_test_document";

/// A plain client for the requests the tools do not send.
struct Direct {
    http: reqwest::Client,
    base: String,
}

impl Direct {
    fn new(standin: &StandIn) -> Direct {
        // reqwest is built with rustls and no crypto provider in this workspace; the
        // application (here, the test) picks one.
        clerk_api::install_default_tls_provider();
        Direct { http: reqwest::Client::new(), base: standin.base_url() }
    }

    /// Sends `body` (as JSON, when given) with the stand-in's key; returns the status and body.
    async fn send(&self, method: &str, path: &str, body: Option<Value>) -> (u16, Value) {
        self.send_with(method, path, body.map(|body| body.to_string()), KEY).await
    }

    async fn send_with(&self, method: &str, path: &str, body: Option<String>, key: &str) -> (u16, Value) {
        let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
        // The document's paths are relative to `/v1`, which the base URL ends with.
        let mut request = self.http.request(method, format!("{}{path}", self.base)).bearer_auth(key);
        if let Some(body) = body {
            request = request.header("content-type", "application/json").body(body);
        }
        let response = request.send().await.unwrap();
        let status = response.status().as_u16();
        let text = response.text().await.unwrap();
        (status, serde_json::from_str(&text).unwrap_or(Value::Null))
    }

    /// Like [`Direct::send`], for a call that must succeed.
    async fn ok(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        let (status, answer) = self.send(method, path, body).await;
        assert_eq!(status, 200, "{method} {path}: {answer}");
        answer
    }
}

/// Sends every operation of the document to the stand-in once, with `probe` for each path
/// parameter and an empty object as the body of a write; the routes that answered are the
/// ones it serves. Returns them with the probes' exchanges, which are checked like any other.
async fn probe(standin: &StandIn) -> (BTreeSet<(String, String)>, Vec<Exchange>) {
    let spec_path = workspace_tests::spec_path();
    let bytes = workspace_tests::read(&spec_path);
    let document = xtask::load::parse_document(&spec_path, &bytes).unwrap();
    let direct = Direct::new(standin);
    for (path, item) in document["paths"].as_object().unwrap() {
        for method in ["get", "put", "post", "delete", "patch"] {
            if item.get(method).is_none() {
                continue;
            }
            let concrete: String = path
                .split('/')
                .map(|segment| if segment.starts_with('{') { "probe" } else { segment })
                .collect::<Vec<_>>()
                .join("/");
            let body = (method != "get" && method != "delete").then(|| json!({}));
            direct.send(&method.to_ascii_uppercase(), &concrete, body).await;
        }
    }
    let probed = standin.take_exchanges();
    let served =
        probed.iter().filter_map(|exchange| Some((exchange.method.clone(), exchange.route.clone()?))).collect();
    (served, probed)
}

/// Every tool, as an agent would call them, against the demo data.
async fn every_tool(standin: &StandIn) {
    let tools = tools_for(standin, KEY);
    let call = async |name: &str, mut input: Value| -> Value {
        input["secretKey"] = json!(KEY);
        match tools.try_call(name, input.clone()).await {
            Ok(output) => output,
            Err(err) => panic!("{name} {input} failed: {err}"),
        }
    };
    let users = call("clerk_list_users", json!({"orderBy": "+username"})).await["users"].clone();
    let (ada, alan) = (users[0]["id"].as_str().unwrap().to_owned(), users[1]["id"].as_str().unwrap().to_owned());
    call("clerk_get_user", json!({"userId": ada})).await;
    call("clerk_list_organizations", json!({"includeMembersCount": true})).await;
    call("clerk_get_organization", json!({"organizationId": "analytical-engine"})).await;
    let sessions = call("clerk_list_sessions", json!({"userId": ada})).await;
    let session = sessions["sessions"][0]["id"].as_str().unwrap().to_owned();
    call("clerk_get_session", json!({"sessionId": session})).await;
    call("clerk_revoke_session", json!({"sessionId": session})).await;
    let created = call(
        "clerk_create_user",
        json!({"emailAddress": "document@example.com", "username": "document", "publicMetadata": {"from": "tools"}}),
    )
    .await;
    let user = created["id"].as_str().unwrap().to_owned();
    call("clerk_update_user", json!({"userId": user, "firstName": "Doc", "privateMetadata": "{}"})).await;
    let organization = call("clerk_create_organization", json!({"name": "Document", "createdBy": user})).await;
    let org = organization["id"].as_str().unwrap().to_owned();
    call("clerk_update_organization", json!({"organizationId": org, "maxAllowedMemberships": 10})).await;
    call("clerk_merge_organization_metadata", json!({"organizationId": org, "publicMetadata": {"tier": "pro"}})).await;
    call("clerk_add_organization_member", json!({"organizationId": org, "userId": alan, "role": "org:member"})).await;
    call("clerk_list_organization_memberships", json!({"organizationId": org, "role": "org:member"})).await;
    call("clerk_update_organization_membership", json!({"organizationId": org, "userId": alan, "role": "org:admin"}))
        .await;
    call("clerk_remove_organization_member", json!({"organizationId": org, "userId": alan})).await;
    call(
        "clerk_create_organization_invitation",
        json!({"organizationId": org, "emailAddress": "invitee@example.com", "role": "org:member", "notify": false}),
    )
    .await;
    call("clerk_list_organization_invitations", json!({"organizationId": org, "status": "pending"})).await;
    call("clerk_delete_organization", json!({"organizationId": org})).await;
    call("clerk_merge_user_metadata", json!({"userId": user, "publicMetadata": {"from": null}})).await;
    for action in ["clerk_ban_user", "clerk_unban_user", "clerk_lock_user", "clerk_unlock_user"] {
        call(action, json!({"userId": user})).await;
    }
    let actor = call("clerk_create_actor_token", json!({"userId": user, "actor": {"sub": ada}})).await;
    call("clerk_revoke_actor_token", json!({"actorTokenId": actor["id"]})).await;
    call("clerk_delete_user", json!({"userId": user})).await;
    call("clerk_get_user_oauth_token", json!({"userId": ada, "provider": "google"})).await;
    for kind in ["allowlist", "blocklist"] {
        let entry =
            call(&format!("clerk_create_{kind}_identifier"), json!({"identifier": format!("{kind}@example.com")}))
                .await;
        call(&format!("clerk_list_{kind}_identifiers"), json!({})).await;
        call(&format!("clerk_delete_{kind}_identifier"), json!({"identifierId": entry["id"]})).await;
    }
    let templates = call("clerk_list_jwt_templates", json!({})).await;
    call("clerk_get_jwt_template", json!({"templateId": templates["templates"][0]["id"]})).await;
    let invitation =
        call("clerk_create_invitation", json!({"emailAddress": "newcomer@example.com", "notify": false})).await;
    call("clerk_list_invitations", json!({"status": "pending"})).await;
    call("clerk_revoke_invitation", json!({"invitationId": invitation["id"]})).await;
}

/// What the tools do not send: the other variants of the endpoints they use, the endpoints
/// they do not use, and refusals of every kind. `served` says which of the operations whose
/// routes the stand-in gains over time it serves.
async fn directly(standin: &StandIn, served: &BTreeSet<(String, String)>) {
    let serves = |method: &str, route: &str| served.contains(&(method.to_owned(), route.to_owned()));
    let direct = Direct::new(standin);
    let users = direct.ok("GET", "/users?order_by=%2Busername&limit=3", None).await;
    let ada = users[0]["id"].as_str().unwrap().to_owned();
    direct.ok("GET", "/users/count?query=a", None).await;
    direct.ok("GET", "/users?email_address=ada%40example.com&offset=0", None).await;

    // Every declared field of a user, on creation and on update.
    let created = direct
        .ok(
            "POST",
            "/users",
            Some(json!({
                "email_address": ["every@example.com"],
                "phone_number": ["+15555550199"],
                "username": "every_field",
                "password": "correct horse battery",
                "first_name": "Every",
                "last_name": "Field",
                "external_id": "every-1",
                "locale": "en-GB",
                "created_at": "2024-10-20T07:15:20.902Z",
                "legal_accepted_at": "2024-10-20T07:15:20.902Z",
                "delete_self_enabled": false,
                "create_organization_enabled": true,
                "create_organizations_limit": 2,
                "public_metadata": {"n": 1.5},
                "private_metadata": {},
                "unsafe_metadata": {}
            })),
        )
        .await;
    let user = created["id"].as_str().unwrap().to_owned();
    direct
        .ok(
            "PATCH",
            &format!("/users/{user}"),
            Some(json!({"notify_primary_email_address_changed": false, "sign_out_of_other_sessions": true, "locale": "fr-FR"})),
        )
        .await;
    direct.ok("PUT", &format!("/users/{user}/metadata"), Some(json!({"public_metadata": {"plan": "free"}}))).await;
    direct.ok("PATCH", &format!("/users/{user}/metadata"), Some(json!({"unsafe_metadata": {"theme": "dark"}}))).await;

    // Organizations: with and without counts, by slug, metadata replaced.
    direct.ok("GET", "/organizations?include_members_count=true&order_by=name", None).await;
    direct.ok("GET", "/organizations?query=engine", None).await;
    direct.ok("GET", "/organizations/compilers-inc?include_members_count=true", None).await;
    let organization = direct
        .ok("POST", "/organizations", Some(json!({"name": "Direct", "created_by": user, "max_allowed_memberships": 3})))
        .await;
    let org = organization["id"].as_str().unwrap().to_owned();
    direct.ok("PUT", &format!("/organizations/{org}/metadata"), Some(json!({"private_metadata": {"crm": 1}}))).await;
    direct
        .ok(
            "PATCH",
            &format!("/organizations/{org}"),
            Some(json!({"name": "Direct Inc", "admin_delete_enabled": false})),
        )
        .await;
    direct.ok("GET", &format!("/organizations/{org}/memberships?order_by=-created_at&limit=5"), None).await;
    let invitation = direct
        .ok(
            "POST",
            &format!("/organizations/{org}/invitations"),
            Some(json!({"email_address": "direct@example.com", "role": "org:member", "inviter_user_id": user})),
        )
        .await;
    let invitation = invitation["id"].as_str().unwrap().to_owned();
    direct.ok("GET", &format!("/organizations/{org}/invitations/{invitation}"), None).await;
    direct.ok("GET", &format!("/organizations/{org}/invitations?status=pending&status=revoked"), None).await;
    direct
        .ok(
            "POST",
            &format!("/organizations/{org}/invitations/{invitation}/revoke"),
            Some(json!({"requesting_user_id": user})),
        )
        .await;

    // The older lists, bare and with paginated=true (a known gap of the document).
    for list in ["/sessions?user_id=USER", "/invitations", "/allowlist_identifiers", "/jwt_templates"] {
        let list = list.replace("USER", &ada);
        direct.ok("GET", &list, None).await;
        let separator = if list.contains('?') { '&' } else { '?' };
        direct.ok("GET", &format!("{list}{separator}paginated=true&limit=1"), None).await;
    }
    direct.ok("GET", &format!("/users/{ada}/oauth_access_tokens/oauth_google?paginated=true"), None).await;
    direct.ok("POST", "/allowlist_identifiers", Some(json!({"identifier": "+15555550142", "notify": false}))).await;
    direct.ok("POST", "/blocklist_identifiers", Some(json!({"identifier": "blocked@example.com"}))).await;
    direct.ok("GET", "/blocklist_identifiers", None).await;
    direct.ok("POST", "/invitations", Some(json!({"email_address": "later@example.com", "expires_in_days": 3}))).await;
    direct
        .ok("POST", "/actor_tokens", Some(json!({"user_id": user, "actor": {"sub": ada}, "expires_in_seconds": 600})))
        .await;
    // Sessions created for testing, and their tokens (GET /v1/jwks needs nothing: its probe
    // is a successful answer).
    if serves("POST", "/v1/sessions") {
        let session = direct.ok("POST", "/sessions", Some(json!({"user_id": ada}))).await;
        if serves("POST", "/v1/sessions/{session_id}/tokens") {
            let path = format!("/sessions/{}/tokens", session["id"].as_str().unwrap());
            direct.ok("POST", &path, Some(json!({"expires_in_seconds": 120}))).await;
        }
    }

    // Refusals, each with Clerk's error body.
    let refusals: [(&str, String, Option<Value>, u16); 12] = [
        ("GET", "/users/user_missing".into(), None, 404),
        ("POST", "/users".into(), Some(json!({"username": "every_field"})), 422),
        ("POST", "/users".into(), Some(json!({"username": "x", "nickname": "y"})), 422),
        ("PATCH", format!("/users/{user}"), Some(json!({"public_metadata": {}})), 422),
        ("POST", "/users/user_missing/ban".into(), None, 404),
        ("GET", "/organizations?limit=0".into(), None, 422),
        ("DELETE", format!("/organizations/{org}/memberships/{user}"), None, 400),
        ("GET", "/invitations?status=unknown".into(), None, 422),
        ("POST", "/blocklist_identifiers".into(), Some(json!({"identifier": "blocked@example.com"})), 400),
        ("GET", "/jwt_templates/jtmp_missing".into(), None, 404),
        ("POST", "/sessions/sess_missing/revoke".into(), None, 404),
        ("GET", "/users/oops/unknown".into(), None, 404),
    ];
    for (method, path, body, expected) in refusals {
        let (status, answer) = direct.send(method, &path, body).await;
        assert_eq!(status, expected, "{method} {path}: {answer}");
    }
    let (status, _) = direct.send_with("POST", "/users", Some("[1]".into()), KEY).await;
    assert_eq!(status, 400, "a body that is not an object");
    let (status, _) = direct.send_with("GET", "/users", None, "sk_test_wrong").await;
    assert_eq!(status, 401);
}

#[tokio::test(flavor = "multi_thread")]
async fn every_answer_follows_clerks_document() {
    let standin = StandIn::start_with_demo_data(KEY).await.unwrap();
    standin.record_exchanges();
    let (served, mut exchanges) = probe(&standin).await;
    every_tool(&standin).await;
    directly(&standin, &served).await;
    exchanges.extend(standin.take_exchanges());

    let verdict =
        tokio::task::spawn_blocking(move || document::check(&exchanges, Path::new(env!("CARGO_TARGET_TMPDIR"))))
            .await
            .unwrap();
    println!("{}", verdict.summary());
    verdict.assert_valid();

    // Every route the stand-in serves gave at least one successful answer, valid as declared.
    let succeeded: BTreeSet<(&str, &str)> = verdict
        .checked
        .iter()
        .filter(|checked| (200..300).contains(&checked.status) && checked.outcome == "valid")
        .filter_map(|checked| Some((checked.method.as_str(), checked.route.as_deref()?)))
        .collect();
    let missing: Vec<String> = served
        .iter()
        .filter(|(method, route)| !succeeded.contains(&(method.as_str(), route.as_str())))
        .map(|(method, route)| format!("{method} {route}"))
        .collect();
    assert!(
        missing.is_empty(),
        "the stand-in serves these operations of the document, but no successful answer of theirs was \
         checked; add calls to this test's scenario:\n{}",
        missing.join("\n")
    );
    // The probe tells served routes from unknown ones.
    assert!(served.contains(&("GET".to_owned(), "/v1/users/{user_id}".to_owned())), "{served:?}");
    assert!(!served.contains(&("GET".to_owned(), "/v1/domains".to_owned())), "{served:?}");
}
