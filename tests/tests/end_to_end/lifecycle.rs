//! Every tool through the real HTTP stack against the local Clerk stand-in: create a user,
//! find it with each filter, update it, list and revoke its sessions, create an organization
//! with it as creator, get that by ID and by slug, delete the user and see the 404.

use clerk_standin::StandIn;
use clerk_tools::{ClerkTools, Error};
use serde_json::{Value, json};
use workspace_tests::end_to_end;

use crate::{finish, recording};

const KEY: &str = "sk_test_end_to_end_5e1f";

async fn setup() -> (StandIn, ClerkTools) {
    recording(end_to_end::start(KEY).await)
}

async fn call(tools: &ClerkTools, name: &str, input: Value) -> Value {
    end_to_end::call(tools, KEY, name, input).await
}

pub(crate) async fn the_whole_lifecycle_through_every_tool() {
    let (standin, tools) = setup().await;

    let created = call(
        &tools,
        "clerk_create_user",
        json!({
            "emailAddress": "ada@example.com",
            "phoneNumber": "+15555550100",
            "username": "ada",
            "password": "correct horse battery staple",
            "firstName": "Ada",
            "lastName": "Lovelace",
            "externalId": "ext-ada",
            "publicMetadata": {"plan": "pro"}
        }),
    )
    .await;
    assert_eq!(created["success"], true, "{created}");
    let user_id = created["id"].as_str().expect("an id").to_string();
    assert_eq!(created["emailAddresses"][0]["emailAddress"], "ada@example.com");
    assert_eq!(created["publicMetadata"], json!({"plan": "pro"}));
    // A second user, so that every filter has something to leave out.
    let other =
        call(&tools, "clerk_create_user", json!({"emailAddress": "grace@example.com", "username": "grace"})).await;
    assert_eq!(other["success"], true, "{other}");

    for filter in [
        json!({"emailAddress": "ada@example.com"}),
        json!({"phoneNumber": "+15555550100"}),
        json!({"externalId": "ext-ada"}),
        json!({"username": "nobody, ada"}),
        json!({"userId": user_id}),
        json!({"query": "lovelace"}),
    ] {
        let found = call(&tools, "clerk_list_users", filter.clone()).await;
        assert_eq!(found["totalCount"], 1, "{filter}: {found}");
        assert_eq!(found["users"][0]["id"], json!(user_id), "{filter}");
    }
    let everyone = call(&tools, "clerk_list_users", json!({"orderBy": "+username", "limit": 1})).await;
    assert_eq!(everyone["totalCount"], 2, "the total is not the page length");
    assert_eq!(everyone["users"].as_array().map(Vec::len), Some(1));
    assert_eq!(everyone["users"][0]["username"], "ada");

    let fetched = call(&tools, "clerk_get_user", json!({"userId": user_id})).await;
    assert_eq!(fetched["emailAddresses"][0]["verified"], true);
    assert_eq!(fetched["passwordEnabled"], true);

    let updated = call(
        &tools,
        "clerk_update_user",
        json!({"userId": user_id, "lastName": "King", "privateMetadata": "{\"tier\": 1}"}),
    )
    .await;
    assert_eq!(updated["lastName"], "King", "{updated}");
    let fetched = call(&tools, "clerk_get_user", json!({"userId": user_id})).await;
    assert_eq!(fetched["privateMetadata"], json!({"tier": 1}));

    let first = standin.add_session(&user_id, "client_browser", "active");
    let second = standin.add_session(&user_id, "client_phone", "active");
    let sessions = call(&tools, "clerk_list_sessions", json!({"userId": user_id})).await;
    assert_eq!(sessions["totalCount"], 2, "{sessions}");
    let by_client = call(&tools, "clerk_list_sessions", json!({"clientId": "client_phone"})).await;
    assert_eq!(by_client["sessions"][0]["id"], json!(second));

    let revoked = call(&tools, "clerk_revoke_session", json!({"sessionId": first})).await;
    assert_eq!(revoked["status"], "revoked", "{revoked}");
    let session = call(&tools, "clerk_get_session", json!({"sessionId": first})).await;
    assert_eq!(session["status"], "revoked");
    let active = call(&tools, "clerk_list_sessions", json!({"userId": user_id, "status": "active"})).await;
    assert_eq!(active["totalCount"], 1);
    assert_eq!(active["sessions"][0]["id"], json!(second));

    let organization = call(
        &tools,
        "clerk_create_organization",
        json!({"name": "Analytical Engine", "createdBy": user_id, "slug": "analytical-engine", "maxAllowedMemberships": 10}),
    )
    .await;
    assert_eq!(organization["success"], true, "{organization}");
    assert_eq!(organization["createdBy"], json!(user_id));
    let organization_id = organization["id"].as_str().expect("an id").to_string();
    let by_id = call(&tools, "clerk_get_organization", json!({"organizationId": organization_id})).await;
    let by_slug = call(&tools, "clerk_get_organization", json!({"organizationId": "analytical-engine"})).await;
    assert_eq!(by_id, by_slug);
    assert_eq!(by_id["maxAllowedMemberships"], 10);
    let listed =
        call(&tools, "clerk_list_organizations", json!({"query": "engine", "includeMembersCount": true})).await;
    assert_eq!(listed["totalCount"], 1);
    assert_eq!(listed["organizations"][0]["membersCount"], 1);

    let deleted = call(&tools, "clerk_delete_user", json!({"userId": user_id})).await;
    assert_eq!(deleted, json!({"id": user_id, "object": "user", "deleted": true, "success": true}));
    let gone = tools.get_user(clerk_tools::GetUserInput { user_id: user_id.clone() }).await.unwrap_err();
    match &gone {
        Error::NotFound(api) => {
            assert_eq!(api.status, 404);
            assert_eq!(api.code.as_deref(), Some("resource_not_found"));
            assert!(api.trace_id.is_some());
        }
        other => panic!("expected a 404, got {other:?}"),
    }
    finish(standin).await;
}

#[tokio::test]
async fn clerks_refusals_come_back_as_typed_errors() {
    let (standin, tools) = setup().await;
    call(&tools, "clerk_create_user", json!({"emailAddress": "ada@example.com"})).await;
    let duplicate = call(&tools, "clerk_create_user", json!({"emailAddress": "ADA@example.com"})).await;
    assert_eq!(duplicate["success"], false);
    assert_eq!(duplicate["httpStatus"], 422);
    assert_eq!(duplicate["code"], "form_identifier_exists");
    // A user with no email address, phone number or username is refused before any request.
    let nothing = call(&tools, "clerk_create_user", json!({"firstName": "Nobody"})).await;
    assert_eq!((&nothing["kind"], &nothing["field"]), (&json!("invalid_input"), &json!("emailAddress")), "{nothing}");

    let wrong_key = tools.call("clerk_list_users", json!({"secretKey": "sk_test_wrong"})).await;
    assert_eq!(wrong_key["kind"], "unauthorized");
    assert_eq!(wrong_key["httpStatus"], 401);
    finish(standin).await;
}
