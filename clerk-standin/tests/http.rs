//! The stand-in over real HTTP: what a Clerk client sees, byte for byte where it matters.

mod common;

use common::{Api, KEY, error_code, ids};

use clerk_standin::{DEMO_SECRET_KEY, StandIn};
use reqwest::StatusCode;
use serde_json::{Value, json};

fn usernames(list: &Value) -> Vec<&str> {
    list.as_array().expect("array").iter().map(|item| item["username"].as_str().unwrap()).collect()
}

#[tokio::test]
async fn requests_without_the_secret_key_are_refused() {
    let api = Api::start().await;
    let url = api.url("/users");

    let missing = api.http.get(&url).send().await.unwrap();
    assert_eq!(missing.status(), StatusCode::UNAUTHORIZED);
    let body: Value = missing.json().await.unwrap();
    let trace = body["clerk_trace_id"].clone();
    assert!(trace.is_string());
    assert_eq!(
        body,
        json!({
            "errors": [{
                "message": "Invalid authentication",
                "long_message": "Unable to authenticate the request, you need to supply an active API key",
                "code": "authentication_invalid",
                "meta": {}
            }],
            "clerk_trace_id": trace
        })
    );

    let wrong = api.http.get(&url).bearer_auth("sk_test_wrong").send().await.unwrap();
    assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
    let body: Value = wrong.json().await.unwrap();
    assert_eq!(error_code(&body), "authentication_invalid");
    assert_ne!(body["clerk_trace_id"], trace, "each error has its own trace id");

    let (status, _) = api.get("/users").await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn base_url_and_accessors() {
    let api = Api::start().await;
    let addr = api.standin.local_addr();
    assert!(addr.ip().is_loopback());
    assert_eq!(api.standin.base_url(), format!("http://127.0.0.1:{}/v1", addr.port()));
    assert_eq!(api.standin.secret_key(), KEY);
    let demo = StandIn::start_with_demo_data(DEMO_SECRET_KEY).await.unwrap();
    assert_eq!(demo.secret_key(), "sk_test_standin_demo_key");
    demo.shutdown().await;
}

#[tokio::test]
async fn create_user_answers_a_clerk_user() {
    let api = Api::start().await;
    let user = api
        .create_user(json!({
            "email_address": ["Ada@Example.com", "countess@example.org"],
            "phone_number": ["+15555550100"],
            "username": "ada",
            "password": "correct horse battery",
            "first_name": "Ada",
            "last_name": "Lovelace",
            "external_id": "ext-42",
            "public_metadata": {"plan": "pro"},
            "private_metadata": {"stripe": "cus_1"},
            "unsafe_metadata": {"theme": "dark"}
        }))
        .await;

    let id = user["id"].as_str().unwrap();
    assert!(id.starts_with("user_") && id.len() == "user_".len() + 27, "{id}");
    assert_eq!(user["object"], "user");
    assert_eq!(user["password_enabled"], true);
    assert_eq!(user["username"], "ada");
    assert_eq!(user["external_id"], "ext-42");
    assert_eq!(user["public_metadata"], json!({"plan": "pro"}));
    assert_eq!(user["private_metadata"], json!({"stripe": "cus_1"}));
    assert_eq!(user["unsafe_metadata"], json!({"theme": "dark"}));
    assert_eq!(user["image_url"], "https://img.clerk.com/default");
    assert_eq!(user["has_image"], false);
    assert_eq!(user["primary_web3_wallet_id"], Value::Null);
    assert_eq!(user["last_sign_in_at"], Value::Null);
    assert_eq!(user["web3_wallets"], json!([]));
    assert_eq!(user["verification_attempts_remaining"], 100);

    let emails = user["email_addresses"].as_array().unwrap();
    assert_eq!(emails.len(), 2);
    assert_eq!(emails[0]["email_address"], "ada@example.com", "stored lowercased");
    assert_eq!(user["primary_email_address_id"], emails[0]["id"], "the first email is primary");
    assert!(emails[0]["id"].as_str().unwrap().starts_with("idn_"));
    assert_eq!(emails[0]["object"], "email_address");
    assert_eq!(
        emails[0]["verification"],
        json!({"object": "verification_admin", "status": "verified", "strategy": "admin", "attempts": null, "expire_at": null})
    );
    let phones = user["phone_numbers"].as_array().unwrap();
    assert_eq!(phones[0]["phone_number"], "+15555550100");
    assert_eq!(phones[0]["object"], "phone_number");
    assert_eq!(user["primary_phone_number_id"], phones[0]["id"]);

    let created_at = user["created_at"].as_i64().unwrap();
    assert!(created_at > 1_600_000_000_000, "Unix milliseconds: {created_at}");
    assert_eq!(user["updated_at"], user["created_at"]);

    let (status, fetched) = api.get(&format!("/users/{id}")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(fetched, user);

    let no_password = api.create_user(json!({"username": "grace"})).await;
    assert_eq!(no_password["password_enabled"], false);
    assert_eq!(no_password["primary_email_address_id"], Value::Null);
    assert!(no_password["created_at"].as_i64().unwrap() > created_at, "creation times strictly increase");
}

#[tokio::test]
async fn create_user_refusals_use_clerk_codes() {
    let api = Api::start().await;
    api.create_user(json!({"email_address": ["ada@example.com"], "username": "ada", "phone_number": ["+15555550100"]}))
        .await;

    let (status, body) = api.post("/users", json!({"email_address": ["ADA@example.com"]})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let trace = body["clerk_trace_id"].clone();
    assert_eq!(
        body,
        json!({
            "errors": [{
                "message": "That email address is taken. Please try another.",
                "long_message": "That email address is taken. Please try another.",
                "code": "form_identifier_exists",
                "meta": {"param_name": "email_address"}
            }],
            "clerk_trace_id": trace
        })
    );

    let (status, body) = api.post("/users", json!({"username": "ADA"})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error_code(&body), "form_identifier_exists");
    assert_eq!(body["errors"][0]["meta"]["param_name"], "username");

    let (_, body) = api.post("/users", json!({"phone_number": ["+1 555 555 0100"]})).await;
    assert_eq!(error_code(&body), "form_identifier_exists");
    assert_eq!(body["errors"][0]["message"], "That phone number is taken. Please try another.");

    let (status, body) = api.post("/users", json!({"first_name": "Nobody"})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error_code(&body), "form_data_missing");
    assert_eq!(body["errors"][0]["message"], "Missing data");
    assert!(body["errors"][0]["long_message"].as_str().unwrap().contains("email_address"));

    let (status, body) = api.post("/users", json!({"username": "alan", "nickname": "Al"})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error_code(&body), "form_param_unknown");
    assert_eq!(body["errors"][0]["meta"]["param_name"], "nickname");

    let (status, body) = api.post("/users", json!({"username": "alan", "password": "short"})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error_code(&body), "form_password_length_too_short");
    let short_allowed =
        api.create_user(json!({"username": "alan", "password": "short", "skip_password_checks": true})).await;
    assert_eq!(short_allowed["password_enabled"], true);

    let (_, body) = api.post("/users", json!({"email_address": ["not-an-email"]})).await;
    assert_eq!(error_code(&body), "form_param_format_invalid");

    let response = api.http.post(api.url("/users")).bearer_auth(KEY).body("{not json").send().await.unwrap();
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    error_code(&response.json().await.unwrap());

    let (status, list) = api.get("/users").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(list.as_array().unwrap().len(), 2, "refused creates leave nothing behind");
}

#[tokio::test]
async fn list_filters_count_order_and_paging() {
    let api = Api::start().await;
    let ada = api
        .create_user(json!({"email_address": ["ada@example.com"], "username": "ada", "first_name": "Ada", "last_name": "Lovelace", "external_id": "e1"}))
        .await;
    let grace = api
        .create_user(json!({"email_address": ["grace@example.com"], "username": "grace", "first_name": "Grace", "last_name": "Hopper"}))
        .await;
    let alan = api
        .create_user(json!({"email_address": ["alan@example.com"], "phone_number": ["+15555550100"], "username": "alan", "first_name": "Alan", "last_name": "Turing"}))
        .await;
    let [ada, grace, alan] = [&ada, &grace, &alan].map(|user| user["id"].as_str().unwrap().to_owned());

    let (_, all) = api.get("/users").await;
    assert_eq!(ids(&all), [&alan, &grace, &ada], "newest first by default");

    let (_, both) = api.get("/users?email_address=ada%40example.com&email_address=GRACE%40example.com").await;
    assert_eq!(ids(&both), [&grace, &ada], "repeated keys are ORed");
    let (_, and) =
        api.get("/users?email_address=ada%40example.com&email_address=grace%40example.com&username=grace").await;
    assert_eq!(ids(&and), [&grace], "different filters are ANDed");
    let (_, by_id) = api.get(&format!("/users?user_id={ada}&user_id={alan}")).await;
    assert_eq!(ids(&by_id), [&alan, &ada]);
    let (_, by_phone) = api.get("/users?phone_number=%2B15555550100").await;
    assert_eq!(ids(&by_phone), [&alan]);
    let (_, by_external) = api.get("/users?external_id=e1").await;
    assert_eq!(ids(&by_external), [&ada]);
    let (_, searched) = api.get("/users?query=LOVE").await;
    assert_eq!(ids(&searched), [&ada]);
    let (_, searched) = api.get("/users?query=example.com&order_by=%2Busername").await;
    assert_eq!(usernames(&searched), ["ada", "alan", "grace"]);

    let (_, count) = api.get("/users/count?email_address=ada%40example.com&email_address=grace%40example.com").await;
    assert_eq!(count, json!({"object": "total_count", "total_count": 2}));
    let (_, count) = api.get("/users/count?limit=1").await;
    assert_eq!(count["total_count"], 3, "the count ignores paging");

    let (_, sorted) = api.get("/users?order_by=username").await;
    assert_eq!(usernames(&sorted), ["ada", "alan", "grace"]);
    let (_, sorted) = api.get("/users?order_by=-first_name").await;
    assert_eq!(usernames(&sorted), ["grace", "alan", "ada"]);
    let (_, sorted) = api.get("/users?order_by=%2Bcreated_at").await;
    assert_eq!(ids(&sorted), [&ada, &grace, &alan]);
    let (_, sorted) = api.get("/users?order_by=last_name").await;
    assert_eq!(usernames(&sorted), ["grace", "ada", "alan"]);

    let (_, paged) = api.get("/users?order_by=created_at&limit=1&offset=1").await;
    assert_eq!(ids(&paged), [&grace]);
    let (_, past_the_end) = api.get("/users?offset=10").await;
    assert_eq!(past_the_end, json!([]));

    for bad in ["limit=0", "limit=501", "limit=ten", "offset=-1"] {
        let (status, body) = api.get(&format!("/users?{bad}")).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
        assert_eq!(error_code(&body), "form_param_value_invalid", "{bad}");
    }
    let (status, body) = api.get("/users?order_by=-shoe_size").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error_code(&body), "form_param_value_invalid");
    assert_eq!(body["errors"][0]["meta"]["param_name"], "order_by");
    let (status, _) = api.get("/users?limit=500").await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn update_user_and_delete_user() {
    let api = Api::start().await;
    let ada =
        api.create_user(json!({"email_address": ["ada@example.com", "countess@example.org"], "username": "ada"})).await;
    api.create_user(json!({"username": "grace"})).await;
    let id = ada["id"].as_str().unwrap();
    let second_email = ada["email_addresses"][1]["id"].clone();

    let (status, updated) = api
        .patch(&format!("/users/{id}"), json!({"first_name": "Augusta", "primary_email_address_id": second_email}))
        .await;
    assert_eq!(status, StatusCode::OK, "{updated}");
    assert_eq!(updated["first_name"], "Augusta");
    assert_eq!(updated["primary_email_address_id"], second_email);
    assert!(updated["updated_at"].as_i64() > ada["updated_at"].as_i64());
    assert_eq!(updated["created_at"], ada["created_at"]);

    // Since 2026-05-12 metadata is not a field of the user update.
    let (status, body) = api.patch(&format!("/users/{id}"), json!({"public_metadata": {"a": 1}})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error_code(&body), "form_param_unknown");

    let (status, body) = api.patch(&format!("/users/{id}"), json!({"username": "Grace"})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error_code(&body), "form_identifier_exists");
    let (_, body) = api.patch(&format!("/users/{id}"), json!({"primary_email_address_id": "idn_not_hers"})).await;
    assert_eq!(error_code(&body), "form_param_value_invalid");

    let (status, deleted) = api.delete(&format!("/users/{id}")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(deleted, json!({"object": "user", "id": id, "deleted": true}));

    for (status, body) in [api.get(&format!("/users/{id}")).await, api.delete(&format!("/users/{id}")).await] {
        assert_eq!(status, StatusCode::NOT_FOUND);
        assert_eq!(error_code(&body), "resource_not_found");
        assert_eq!(body["errors"][0]["message"], "not found");
        assert_eq!(body["errors"][0]["long_message"], "User not found");
    }
    let (status, body) = api.patch(&format!("/users/{id}"), json!({"first_name": "X"})).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(error_code(&body), "resource_not_found");

    // Its identifiers are free again.
    api.create_user(json!({"email_address": ["ada@example.com"], "username": "ada"})).await;
}

#[tokio::test]
async fn user_metadata_is_replaced_by_put_and_deep_merged_by_patch() {
    let api = Api::start().await;
    let user = api
        .create_user(json!({"username": "ada", "public_metadata": {"plan": "pro", "limits": {"seats": 3, "sso": true}}, "private_metadata": {"crm": "c_1"}}))
        .await;
    let path = format!("/users/{}/metadata", user["id"].as_str().unwrap());

    let (status, merged) = api
        .send(
            api.http
                .patch(api.url(&path))
                .json(&json!({"public_metadata": {"limits": {"seats": 5, "sso": null}, "beta": true}})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{merged}");
    assert_eq!(merged["public_metadata"], json!({"plan": "pro", "limits": {"seats": 5}, "beta": true}));
    assert_eq!(merged["private_metadata"], json!({"crm": "c_1"}), "a field not given is left alone");

    let (status, replaced) =
        api.send(api.http.put(api.url(&path)).json(&json!({"public_metadata": {"plan": "free"}}))).await;
    assert_eq!(status, StatusCode::OK, "{replaced}");
    assert_eq!(replaced["public_metadata"], json!({"plan": "free"}));
    assert_eq!(replaced["private_metadata"], json!({"crm": "c_1"}));

    let (_, cleared) = api.send(api.http.put(api.url(&path)).json(&json!({"private_metadata": {}}))).await;
    assert_eq!(cleared["private_metadata"], json!({}));
    let (status, body) = api.send(api.http.put(api.url(&path)).json(&json!({"first_name": "X"}))).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error_code(&body), "form_param_unknown");
    let (status, _) = api.send(api.http.put(api.url("/users/user_missing/metadata")).json(&json!({}))).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn organizations_create_get_and_list() {
    let api = Api::start().await;
    let ada = api.create_user(json!({"username": "ada"})).await;
    let ada = ada["id"].as_str().unwrap();

    let (status, engine) = api
        .post(
            "/organizations",
            json!({"name": "Analytical Engine", "created_by": ada, "public_metadata": {"tier": "gold"}}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{engine}");
    let engine_id = engine["id"].as_str().unwrap();
    assert!(engine_id.starts_with("org_"));
    assert_eq!(engine["object"], "organization");
    assert_eq!(engine["slug"], "analytical-engine");
    assert_eq!(engine["members_count"], 1);
    assert_eq!(engine["max_allowed_memberships"], 5);
    assert_eq!(engine["created_by"], ada);
    assert_eq!(engine["image_url"], "https://img.clerk.com/default-org");
    assert_eq!(engine["public_metadata"], json!({"tier": "gold"}));

    let (status, by_id) = api.get(&format!("/organizations/{engine_id}")).await;
    assert_eq!(status, StatusCode::OK);
    let (_, by_slug) = api.get("/organizations/analytical-engine").await;
    assert_eq!(by_slug, by_id);
    assert_eq!(by_id["id"], engine_id);
    let (status, body) = api.get("/organizations/no-such-org").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(error_code(&body), "resource_not_found");
    assert_eq!(body["errors"][0]["long_message"], "Organization not found");

    let (status, body) = api.post("/organizations", json!({"name": "Analytical Engine", "created_by": ada})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error_code(&body), "form_identifier_exists");
    assert_eq!(body["errors"][0]["meta"]["param_name"], "slug");
    let (_, body) = api.post("/organizations", json!({"created_by": ada})).await;
    assert_eq!(error_code(&body), "form_param_missing");
    assert_eq!(body["errors"][0]["meta"]["param_name"], "name");
    let (_, body) = api.post("/organizations", json!({"name": "Ghosts", "created_by": "user_nobody"})).await;
    assert_eq!(error_code(&body), "form_param_value_invalid");

    let (status, _) = api
        .post(
            "/organizations",
            json!({"name": "Difference Engine", "slug": "difference", "created_by": ada, "max_allowed_memberships": 2}),
        )
        .await;
    assert_eq!(status, StatusCode::OK);

    let (_, list) = api.get("/organizations").await;
    assert_eq!(list["total_count"], 2);
    let names: Vec<&str> = list["data"].as_array().unwrap().iter().map(|o| o["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["Difference Engine", "Analytical Engine"]);
    assert_eq!(list["data"][0].get("members_count"), None, "counted only on request");

    let (_, list) = api.get("/organizations?query=ANALYTICAL&include_members_count=true").await;
    assert_eq!(list["total_count"], 1);
    assert_eq!(list["data"][0]["members_count"], 1);

    let (_, page) = api.get("/organizations?order_by=name&limit=1").await;
    assert_eq!(page["total_count"], 2, "the total is counted before paging");
    assert_eq!(page["data"].as_array().unwrap().len(), 1);
    assert_eq!(page["data"][0]["name"], "Analytical Engine");

    let (status, body) = api.get("/organizations?order_by=colour").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error_code(&body), "form_param_value_invalid");
}

#[tokio::test]
async fn sessions_list_get_and_revoke() {
    let api = Api::start().await;
    let ada = api.create_user(json!({"username": "ada"})).await;
    let ada = ada["id"].as_str().unwrap();
    let grace = api.create_user(json!({"username": "grace"})).await;
    let grace = grace["id"].as_str().unwrap();
    let old = api.standin.add_session(ada, "client_laptop", "ended");
    let current = api.standin.add_session(ada, "client_laptop", "active");
    let phone = api.standin.add_session(ada, "client_phone", "active");
    api.standin.add_session(grace, "client_graces", "active");
    assert!(old.starts_with("sess_"));

    let (status, list) = api.get(&format!("/sessions?user_id={ada}")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(ids(&list), [&phone, &current, &old], "newest first, a bare array");

    let (_, page) = api.get(&format!("/sessions?user_id={ada}&paginated=true&limit=2")).await;
    assert_eq!(page["total_count"], 3);
    assert_eq!(ids(&page["data"]), [&phone, &current]);

    let (_, active) = api.get(&format!("/sessions?user_id={ada}&status=active")).await;
    assert_eq!(ids(&active), [&phone, &current]);
    let (_, by_client) = api.get("/sessions?client_id=client_laptop").await;
    assert_eq!(ids(&by_client), [&current, &old]);

    let (status, body) = api.get("/sessions").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error_code(&body), "form_param_missing");
    let (status, body) = api.get(&format!("/sessions?user_id={ada}&status=sleeping")).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error_code(&body), "form_param_value_invalid");

    let (status, session) = api.get(&format!("/sessions/{current}")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(session["object"], "session");
    assert_eq!(session["user_id"], ada);
    assert_eq!(session["client_id"], "client_laptop");
    assert_eq!(session["status"], "active");
    assert_eq!(session["actor"], Value::Null);
    let created_at = session["created_at"].as_i64().unwrap();
    assert_eq!(session["expire_at"].as_i64().unwrap() - created_at, 7 * 24 * 3600 * 1000);
    assert_eq!(session["abandon_at"].as_i64().unwrap() - created_at, 30 * 24 * 3600 * 1000);

    let (status, revoked) = api.post(&format!("/sessions/{current}/revoke"), json!({})).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(revoked["status"], "revoked");
    assert!(revoked["updated_at"].as_i64().unwrap() > session["updated_at"].as_i64().unwrap());
    let (_, again) = api.post(&format!("/sessions/{current}/revoke"), json!({})).await;
    assert_eq!(again, revoked, "revoking twice changes nothing");
    let (_, fetched) = api.get(&format!("/sessions/{current}")).await;
    assert_eq!(fetched["status"], "revoked");

    let (status, body) = api.get("/sessions/sess_missing").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(body["errors"][0]["long_message"], "Session not found");

    api.delete(&format!("/users/{ada}")).await;
    let (status, _) = api.get(&format!("/sessions/{phone}")).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "deleting a user deletes their sessions");
    let (_, left) = api.get(&format!("/sessions?user_id={grace}")).await;
    assert_eq!(left.as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn unknown_routes_and_methods_are_clerk_404s() {
    let api = Api::start().await;
    for (status, body) in [
        api.get("/domains").await,
        api.send(api.http.put(api.url("/users"))).await,
        api.delete("/sessions/sess_x").await,
        api.delete("/organizations/org_x").await,
    ] {
        assert_eq!(status, StatusCode::NOT_FOUND);
        assert_eq!(error_code(&body), "resource_not_found");
    }
}

#[tokio::test]
async fn request_count_counts_per_route_template() {
    let api = Api::start().await;
    for n in 0..3 {
        api.create_user(json!({"username": format!("user{n}")})).await;
    }
    let (_, users) = api.get("/users").await;
    for id in ids(&users) {
        api.get(&format!("/users/{id}")).await;
    }
    api.http.post(api.url("/users")).json(&json!({"username": "x"})).send().await.unwrap();
    assert_eq!(api.standin.request_count("POST", "/v1/users"), 4, "refused requests count too");
    assert_eq!(api.standin.request_count("GET", "/v1/users"), 1);
    assert_eq!(api.standin.request_count("get", "/v1/users/{user_id}"), 3);
    assert_eq!(api.standin.request_count("DELETE", "/v1/users/{user_id}"), 0);
}

#[tokio::test]
async fn demo_data_is_there_and_seeding_again_adds_nothing() {
    let api = Api::with_demo_data().await;
    let (_, users) = api.get("/users?order_by=created_at").await;
    assert_eq!(usernames(&users), ["ada", "grace", "alan"]);
    let (_, alan) = api.get("/users?phone_number=%2B15555550100").await;
    assert_eq!(alan[0]["email_addresses"][0]["email_address"], "alan@example.com");

    let (_, organizations) = api.get("/organizations?order_by=name&include_members_count=true").await;
    assert_eq!(organizations["total_count"], 2);
    let engine = &organizations["data"][0];
    assert_eq!(engine["slug"], "analytical-engine");
    assert_eq!(engine["created_by"], users[0]["id"]);
    assert_eq!(engine["members_count"], 2);

    let ada = users[0]["id"].as_str().unwrap();
    let (_, sessions) = api.get(&format!("/sessions?user_id={ada}")).await;
    let statuses: Vec<&str> = sessions.as_array().unwrap().iter().map(|s| s["status"].as_str().unwrap()).collect();
    assert_eq!(statuses, ["active", "ended"]);

    api.standin.seed_demo_data();
    let (_, count) = api.get("/users/count").await;
    assert_eq!(count["total_count"], 3);
    api.standin.shutdown().await;
}

#[tokio::test]
async fn shutdown_stops_the_server() {
    let standin = StandIn::start(KEY).await.unwrap();
    let url = format!("{}/users", standin.base_url());
    let http = common::http();
    assert_eq!(http.get(&url).bearer_auth(KEY).send().await.unwrap().status(), StatusCode::OK);
    standin.shutdown().await;
    assert!(common::http().get(&url).bearer_auth(KEY).send().await.is_err());
}

/// Every field Clerk's document declares for `POST /users` and `PATCH /users/{user_id}` is
/// accepted: the ones the stand-in models are kept, the others are taken and not read.
#[tokio::test]
async fn every_declared_user_field_is_accepted() {
    let api = Api::start().await;
    let created = api
        .create_user(json!({
            "email_address": ["ada@example.com"],
            "email_address_identification_status": ["verified"],
            "phone_number": ["+15555550100"],
            "phone_number_identification_status": ["verified"],
            "web3_wallet": ["0x0123456789abcdef0123456789abcdef01234567"],
            "username": "ada",
            "password_digest": "$2a$10$abcdefghijklmnopqrstuv0123456789012345678901234567890",
            "password_hasher": "bcrypt",
            "skip_password_requirement": true,
            "skip_legal_checks": true,
            "skip_user_requirement": true,
            "totp_secret": "AICJ3HCXKO4KOU6NDHKHSKRP",
            "backup_codes": ["123456"],
            "first_name": "Ada",
            "last_name": "Lovelace",
            "locale": "en-GB",
            "external_id": "ext-1",
            "banned": true,
            "locked": true,
            "bypass_client_trust": false,
            "delete_self_enabled": false,
            "create_organization_enabled": false,
            "create_organizations_limit": 3,
            "legal_accepted_at": "2024-10-20T07:15:20.902Z",
            "created_at": "2024-10-20T07:15:20.902Z",
            "public_metadata": {},
            "private_metadata": {},
            "unsafe_metadata": {}
        }))
        .await;
    assert_eq!(
        (&created["banned"], &created["locked"], &created["password_enabled"]),
        (&json!(true), &json!(true), &json!(true))
    );
    assert_eq!(
        (
            &created["delete_self_enabled"],
            &created["create_organization_enabled"],
            &created["create_organizations_limit"]
        ),
        (&json!(false), &json!(false), &json!(3))
    );
    assert_eq!(created.get("create_organization_limit"), None, "Clerk spells it create_organizations_limit");

    let id = created["id"].as_str().unwrap();
    let updated = api
        .ok(api.patch(
            &format!("/users/{id}"),
            json!({
                "notify_primary_email_address_changed": false,
                "sign_out_of_other_sessions": true,
                "profile_image_id": "img_1",
                "primary_web3_wallet_id": null,
                "bypass_client_trust": true,
                "locale": "fr-FR",
                "legal_accepted_at": "2025-01-01T00:00:00Z",
                "created_at": "2024-01-01T00:00:00Z",
                "skip_legal_checks": true,
                "totp_secret": "AICJ3HCXKO4KOU6NDHKHSKRP",
                "backup_codes": [],
                "delete_self_enabled": true,
                "create_organization_enabled": true,
                "create_organizations_limit": 0
            }),
        ))
        .await;
    assert_eq!(
        (
            &updated["delete_self_enabled"],
            &updated["create_organization_enabled"],
            &updated["create_organizations_limit"]
        ),
        (&json!(true), &json!(true), &json!(0))
    );

    // A field the document does not declare is still refused, by its name.
    let (status, body) = api.patch(&format!("/users/{id}"), json!({"notify": true})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!((error_code(&body), &body["errors"][0]["meta"]["param_name"]), ("form_param_unknown", &json!("notify")));
}

/// `created_at` and `role_set_key` are declared for organizations: accepted, not read.
#[tokio::test]
async fn every_declared_organization_field_is_accepted() {
    let api = Api::start().await;
    let ada = api.user("ada", "ada@example.com").await;
    let created = api
        .ok(api.post(
            "/organizations",
            json!({"name": "Engine", "created_by": ada, "created_at": "2024-10-20T07:15:20.902Z", "role_set_key": "default"}),
        ))
        .await;
    let id = created["id"].as_str().unwrap();
    api.ok(api.patch(
        &format!("/organizations/{id}"),
        json!({"created_at": "2024-10-20T07:15:20Z", "role_set_key": "default"}),
    ))
    .await;
}
