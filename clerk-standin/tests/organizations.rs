//! Updating, deleting and the metadata of organizations, over real HTTP.

mod common;

use common::Api;
use reqwest::StatusCode;
use serde_json::{Value, json};

#[tokio::test]
async fn update_organization_changes_only_what_is_given() {
    let api = Api::start().await;
    let ada = api.user("ada", "ada@example.com").await;
    let engine = api.organization("Analytical Engine", &ada).await;
    api.organization("Difference Engine", &ada).await;
    let path = format!("/organizations/{engine}");
    let before = api.ok(api.get(&path)).await;
    assert_eq!(before["admin_delete_enabled"], true);

    let updated = api
        .ok(api.patch(
            &path,
            json!({"name": "Engine No. 2", "slug": "engine-2", "max_allowed_memberships": 0, "admin_delete_enabled": false}),
        ))
        .await;
    assert_eq!(updated["object"], "organization");
    assert_eq!(updated["id"], engine.as_str());
    assert_eq!(updated["name"], "Engine No. 2");
    assert_eq!(updated["slug"], "engine-2");
    assert_eq!(updated["max_allowed_memberships"], 0, "0 means no limit");
    assert_eq!(updated["admin_delete_enabled"], false);
    assert_eq!(updated["created_at"], before["created_at"]);
    assert!(updated["updated_at"].as_i64() > before["updated_at"].as_i64());
    assert_eq!(updated.get("members_count"), None, "counted only on request, as for GET");
    assert_eq!(api.ok(api.get("/organizations/engine-2")).await["id"], engine.as_str());

    let renamed = api.ok(api.patch(&path, json!({"name": "  Analytical Engine  "}))).await;
    assert_eq!(renamed["name"], "Analytical Engine");
    assert_eq!(renamed["slug"], "engine-2", "the slug is left alone");
    assert_eq!(renamed["admin_delete_enabled"], false);

    // Metadata has its own endpoints since 2026-05-12.
    for field in ["public_metadata", "private_metadata", "created_by"] {
        let (status, body) = api.patch(&path, json!({field: {}})).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert_eq!(common::error_code(&body), "form_param_unknown");
        assert_eq!(body["errors"][0]["meta"]["param_name"], field);
    }
    let code =
        api.fails(api.patch(&path, json!({"slug": "difference-engine"})), StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(code, "form_identifier_exists");
    let code = api.fails(api.patch(&path, json!({"slug": "Not A Slug"})), StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(code, "form_param_format_invalid");
    let code =
        api.fails(api.patch(&path, json!({"max_allowed_memberships": -1})), StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(code, "form_param_value_invalid");
    let code = api.fails(api.patch(&path, json!({"name": " "})), StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(code, "form_param_value_invalid");
    let code =
        api.fails(api.patch(&path, json!({"admin_delete_enabled": "yes"})), StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(code, "form_param_format_invalid");
    assert_eq!(api.ok(api.get(&path)).await["name"], "Analytical Engine", "refused updates change nothing");

    for missing in ["/organizations/org_missing", "/organizations/engine-2"] {
        let code = api.fails(api.patch(missing, json!({"name": "X"})), StatusCode::NOT_FOUND).await;
        assert_eq!(code, "resource_not_found", "{missing}: only GET takes a slug");
    }
}

#[tokio::test]
async fn organization_metadata_is_replaced_by_put_and_deep_merged_by_patch() {
    let api = Api::start().await;
    let ada = api.user("ada", "ada@example.com").await;
    let (status, organization) = api
        .post(
            "/organizations",
            json!({
                "name": "Engine",
                "created_by": ada,
                "public_metadata": {"plan": "pro", "limits": {"seats": 3, "sso": true}},
                "private_metadata": {"crm": "c_1"}
            }),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let path = format!("/organizations/{}/metadata", organization["id"].as_str().unwrap());

    let merged =
        api.ok(api.patch(&path, json!({"public_metadata": {"limits": {"seats": 5, "sso": null}, "beta": true}}))).await;
    assert_eq!(merged["object"], "organization");
    assert_eq!(merged["public_metadata"], json!({"plan": "pro", "limits": {"seats": 5}, "beta": true}));
    assert_eq!(merged["private_metadata"], json!({"crm": "c_1"}), "a field not given is left alone");
    assert!(merged["updated_at"].as_i64() > organization["updated_at"].as_i64());

    let replaced = api.ok(api.put(&path, json!({"public_metadata": {"plan": "free"}}))).await;
    assert_eq!(replaced["public_metadata"], json!({"plan": "free"}));
    assert_eq!(replaced["private_metadata"], json!({"crm": "c_1"}));
    let cleared = api.ok(api.put(&path, json!({"private_metadata": {}}))).await;
    assert_eq!(cleared["private_metadata"], json!({}));

    let code = api.fails(api.put(&path, json!({"unsafe_metadata": {}})), StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(code, "form_param_unknown", "organizations have no unsafe metadata");
    let code = api.fails(api.patch(&path, json!({"public_metadata": [1]})), StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(code, "form_param_format_invalid");
    let code = api.fails(api.put("/organizations/org_missing/metadata", json!({})), StatusCode::NOT_FOUND).await;
    assert_eq!(code, "resource_not_found");
}

#[tokio::test]
async fn delete_organization_takes_its_memberships_and_invitations_along() {
    let api = Api::start().await;
    let ada = api.user("ada", "ada@example.com").await;
    let alan = api.user("alan", "alan@example.com").await;
    let engine = api.organization("Analytical Engine", &ada).await;
    let other = api.organization("Other", &ada).await;
    api.ok(api.post(&format!("/organizations/{engine}/memberships"), json!({"user_id": alan, "role": "org:member"})))
        .await;
    api.ok(api.post(
        &format!("/organizations/{engine}/invitations"),
        json!({"email_address": "charles@example.com", "role": "org:member"}),
    ))
    .await;

    let deleted = api.ok(api.delete(&format!("/organizations/{engine}"))).await;
    assert_eq!(deleted, json!({"object": "organization", "id": engine, "slug": "analytical-engine", "deleted": true}));

    for path in [
        format!("/organizations/{engine}"),
        format!("/organizations/{engine}/memberships"),
        format!("/organizations/{engine}/invitations"),
        "/organizations/analytical-engine".to_owned(),
    ] {
        let code = api.fails(api.get(&path), StatusCode::NOT_FOUND).await;
        assert_eq!(code, "resource_not_found", "{path}");
    }
    let code = api.fails(api.delete(&format!("/organizations/{engine}")), StatusCode::NOT_FOUND).await;
    assert_eq!(code, "resource_not_found");

    // The other organization and the users are untouched, and the slug is free again.
    let listed = api.ok(api.get("/organizations?include_members_count=true")).await;
    assert_eq!(common::ids(&listed["data"]), [other.as_str()]);
    assert_eq!(listed["data"][0]["members_count"], 1);
    api.ok(api.get(&format!("/users/{alan}"))).await;
    api.organization("Analytical Engine", &alan).await;
}

#[tokio::test]
async fn members_and_pending_invitations_are_counted() {
    let api = Api::start().await;
    let ada = api.user("ada", "ada@example.com").await;
    let alan = api.user("alan", "alan@example.com").await;
    let grace = api.user("grace", "grace@example.com").await;
    let engine = api.organization("Engine", &ada).await;
    let small = api.organization("Small", &grace).await;
    let counts = |organization: Value| {
        (organization["members_count"].clone(), organization["pending_invitations_count"].clone())
    };

    let path = format!("/organizations/{engine}?include_members_count=true");
    assert_eq!(counts(api.ok(api.get(&path)).await), (json!(1), json!(0)));
    api.ok(api.post(&format!("/organizations/{engine}/memberships"), json!({"user_id": alan, "role": "org:member"})))
        .await;
    let invitation = api
        .ok(api.post(
            &format!("/organizations/{engine}/invitations"),
            json!({"email_address": "charles@example.com", "role": "org:member"}),
        ))
        .await;
    assert_eq!(counts(api.ok(api.get(&path)).await), (json!(2), json!(1)));
    let revoke = format!("/organizations/{engine}/invitations/{}/revoke", invitation["id"].as_str().unwrap());
    api.ok(api.act(&revoke)).await;
    api.ok(api.delete(&format!("/organizations/{engine}/memberships/{alan}"))).await;
    assert_eq!(counts(api.ok(api.get(&path)).await), (json!(1), json!(0)));

    api.ok(api.post(&format!("/organizations/{engine}/memberships"), json!({"user_id": grace, "role": "org:member"})))
        .await;
    let sorted = api.ok(api.get("/organizations?order_by=-members_count&include_members_count=true")).await;
    assert_eq!(common::ids(&sorted["data"]), [engine.as_str(), small.as_str()]);
    assert_eq!(common::field(&sorted["data"], "name"), ["Engine", "Small"]);

    // Deleting a user ends their memberships.
    api.ok(api.delete(&format!("/users/{grace}"))).await;
    assert_eq!(api.ok(api.get(&path)).await["members_count"], 1);
}
