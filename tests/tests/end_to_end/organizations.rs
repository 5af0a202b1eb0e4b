//! The organization, membership and invitation tools through the real HTTP stack against the
//! local Clerk stand-in: create an organization, update it, merge its metadata and read it
//! back, add a member, list and filter the members, change a role, see Clerk refuse a second
//! membership, invite, list the invitations, remove the member, delete the organization and
//! see the 404.

use clerk_standin::StandIn;
use clerk_tools::{ClerkTools, Error};
use serde_json::{Value, json};
use workspace_tests::end_to_end;

use crate::{finish, recording};

const KEY: &str = "sk_test_end_to_end_0a7c";

async fn setup() -> (StandIn, ClerkTools) {
    recording(end_to_end::start(KEY).await)
}

async fn call(tools: &ClerkTools, name: &str, input: Value) -> Value {
    end_to_end::call(tools, KEY, name, input).await
}

async fn create_user(tools: &ClerkTools, email: &str, username: &str) -> String {
    let created = call(tools, "clerk_create_user", json!({"emailAddress": email, "username": username})).await;
    assert_eq!(created["success"], true, "{created}");
    created["id"].as_str().expect("an id").to_string()
}

/// The organization's private metadata, which no tool outputs, read with the generated client.
async fn private_metadata(standin: &StandIn, organization_id: &str) -> Value {
    let api = clerk_api::Client::from_secret_key_with_base_url(KEY, &standin.base_url()).expect("client builds");
    let organization =
        api.get_organization().organization_id(organization_id).send().await.expect("the organization").into_inner();
    json!(organization.private_metadata)
}

fn user_ids(page: &Value) -> Vec<&str> {
    let mut ids: Vec<&str> =
        page["memberships"].as_array().expect("memberships").iter().filter_map(|m| m["userId"].as_str()).collect();
    ids.sort_unstable();
    ids
}

pub(crate) async fn an_organization_from_creation_to_deletion_through_every_tool() {
    let (standin, tools) = setup().await;
    let ada = create_user(&tools, "ada@example.com", "ada").await;
    let grace = create_user(&tools, "grace@example.com", "grace").await;

    let organization = call(
        &tools,
        "clerk_create_organization",
        json!({
            "name": "Analytical Engine",
            "createdBy": ada,
            "maxAllowedMemberships": 10,
            "publicMetadata": {"plan": "free", "limits": {"seats": 5, "projects": 2}, "trial": true},
            "privateMetadata": {"billing": "invoice"}
        }),
    )
    .await;
    assert_eq!(organization["success"], true, "{organization}");
    let organization_id = organization["id"].as_str().expect("an id").to_string();

    // Update: only the given fields change.
    let updated = call(
        &tools,
        "clerk_update_organization",
        json!({
            "organizationId": organization_id,
            "name": "Difference Engine",
            "slug": "difference-engine",
            "maxAllowedMemberships": "20",
            "adminDeleteEnabled": false
        }),
    )
    .await;
    assert_eq!(updated["success"], true, "{updated}");
    assert_eq!(updated["id"], json!(organization_id));
    assert_eq!(updated["name"], "Difference Engine");
    assert_eq!(updated["maxAllowedMemberships"], 20);
    assert_eq!(updated["adminDeleteEnabled"], false);
    let by_slug = call(&tools, "clerk_get_organization", json!({"organizationId": "difference-engine"})).await;
    assert_eq!(by_slug["id"], json!(organization_id), "{by_slug}");
    assert_eq!(by_slug["publicMetadata"]["plan"], "free", "the update leaves the metadata alone");
    let nothing = call(&tools, "clerk_update_organization", json!({"organizationId": organization_id})).await;
    assert_eq!(nothing["kind"], "invalid_input", "{nothing}");

    // Merge: nested objects merge, null removes, unmentioned keys stay.
    let merged = call(
        &tools,
        "clerk_merge_organization_metadata",
        json!({
            "organizationId": organization_id,
            "publicMetadata": {"plan": "pro", "limits": {"seats": 10}, "trial": null},
            "privateMetadata": "{\"crm\": \"acme-42\"}"
        }),
    )
    .await;
    assert_eq!(merged["success"], true, "{merged}");
    let expected_public = json!({"plan": "pro", "limits": {"seats": 10, "projects": 2}});
    assert_eq!(merged["publicMetadata"], expected_public);
    let fetched = call(&tools, "clerk_get_organization", json!({"organizationId": organization_id})).await;
    assert_eq!(fetched["publicMetadata"], expected_public);
    assert_eq!(fetched["name"], "Difference Engine", "the merge leaves the other fields alone");
    assert_eq!(private_metadata(&standin, &organization_id).await, json!({"billing": "invoice", "crm": "acme-42"}));

    // Members: the creator is the first admin; Grace joins as a member.
    let added = call(
        &tools,
        "clerk_add_organization_member",
        json!({"organizationId": organization_id, "userId": grace, "role": "org:member"}),
    )
    .await;
    assert_eq!(added["success"], true, "{added}");
    assert_eq!(added["organizationId"], json!(organization_id));
    assert_eq!(added["userId"], json!(grace));
    assert_eq!(added["role"], "org:member");
    assert_eq!(added["identifier"], "grace@example.com");
    assert_eq!(added["username"], "grace");

    let everyone =
        call(&tools, "clerk_list_organization_memberships", json!({"organizationId": organization_id})).await;
    assert_eq!(everyone["totalCount"], 2, "{everyone}");
    let mut both = vec![ada.as_str(), grace.as_str()];
    both.sort_unstable();
    assert_eq!(user_ids(&everyone), both);
    let admins = call(
        &tools,
        "clerk_list_organization_memberships",
        json!({"organizationId": organization_id, "role": "org:admin"}),
    )
    .await;
    assert_eq!(admins["totalCount"], 1, "{admins}");
    assert_eq!(user_ids(&admins), [ada.as_str()]);
    assert_eq!(admins["memberships"][0]["roleName"], "Admin");
    let either = call(
        &tools,
        "clerk_list_organization_memberships",
        json!({"organizationId": organization_id, "role": "org:admin, org:member", "limit": 1, "orderBy": "+username"}),
    )
    .await;
    assert_eq!(either["totalCount"], 2, "the total is not the page length: {either}");
    assert_eq!(user_ids(&either), [ada.as_str()]);

    let promoted = call(
        &tools,
        "clerk_update_organization_membership",
        json!({"organizationId": organization_id, "userId": grace, "role": "org:admin"}),
    )
    .await;
    assert_eq!(promoted["role"], "org:admin", "{promoted}");
    assert_eq!(promoted["id"], added["id"]);
    let admins = call(
        &tools,
        "clerk_list_organization_memberships",
        json!({"organizationId": organization_id, "role": "org:admin"}),
    )
    .await;
    assert_eq!(admins["totalCount"], 2, "{admins}");

    let again = call(
        &tools,
        "clerk_add_organization_member",
        json!({"organizationId": organization_id, "userId": grace, "role": "org:member"}),
    )
    .await;
    assert_eq!(again["success"], false, "{again}");
    assert_eq!(again["kind"], "api_error");
    assert_eq!(again["httpStatus"], 400);
    assert_eq!(again["code"], "already_a_member_in_organization");

    // Invitations.
    let invited = call(
        &tools,
        "clerk_create_organization_invitation",
        json!({
            "organizationId": organization_id,
            "emailAddress": "charles@example.com",
            "role": "org:member",
            "inviterUserId": ada,
            "redirectUrl": "https://example.com/welcome",
            "expiresInDays": 7,
            "publicMetadata": {"team": "mill"},
            "notify": false
        }),
    )
    .await;
    assert_eq!(invited["success"], true, "{invited}");
    assert_eq!(invited["status"], "pending");
    assert_eq!(invited["emailAddress"], "charles@example.com");
    assert_eq!(invited["organizationId"], json!(organization_id));
    assert_eq!(invited["inviterId"], json!(ada));
    assert_eq!(invited["inviterEmail"], "ada@example.com");
    assert_eq!(invited["publicMetadata"], json!({"team": "mill"}));
    let week_ms = 7 * 24 * 60 * 60 * 1000;
    assert_eq!(invited["expiresAt"].as_i64().unwrap() - invited["createdAt"].as_i64().unwrap(), week_ms);
    assert!(invited["url"].as_str().is_some_and(|url| url.contains("redirect_url=")), "{invited}");
    let second = call(
        &tools,
        "clerk_create_organization_invitation",
        json!({"organizationId": organization_id, "emailAddress": "lovelace@example.com", "role": "org:admin"}),
    )
    .await;
    assert_eq!(second["success"], true, "{second}");
    assert_eq!(second["inviterId"], Value::Null);

    let pending = call(
        &tools,
        "clerk_list_organization_invitations",
        json!({"organizationId": organization_id, "status": "pending", "orderBy": "+email_address"}),
    )
    .await;
    assert_eq!(pending["totalCount"], 2, "{pending}");
    assert_eq!(pending["invitations"][0]["id"], invited["id"]);
    assert_eq!(pending["invitations"][1]["id"], second["id"]);
    let accepted = call(
        &tools,
        "clerk_list_organization_invitations",
        json!({"organizationId": organization_id, "status": "accepted"}),
    )
    .await;
    assert_eq!(accepted, json!({"invitations": [], "totalCount": 0, "success": true}));
    let for_charles = call(
        &tools,
        "clerk_list_organization_invitations",
        json!({"organizationId": organization_id, "emailAddress": "charles@example.com", "limit": 5}),
    )
    .await;
    assert_eq!(for_charles["totalCount"], 1, "{for_charles}");
    assert_eq!(for_charles["invitations"][0]["id"], invited["id"]);
    let fetched = call(&tools, "clerk_get_organization", json!({"organizationId": organization_id})).await;
    assert_eq!(fetched["pendingInvitationsCount"], 2);

    // Removal answers with the membership as it was.
    let removed =
        call(&tools, "clerk_remove_organization_member", json!({"organizationId": organization_id, "userId": grace}))
            .await;
    assert_eq!(removed["success"], true, "{removed}");
    assert_eq!(removed["id"], added["id"]);
    assert_eq!(removed["role"], "org:admin");
    assert_eq!(removed["userId"], json!(grace));
    let left = call(&tools, "clerk_list_organization_memberships", json!({"organizationId": organization_id})).await;
    assert_eq!(left["totalCount"], 1, "{left}");
    assert_eq!(user_ids(&left), [ada.as_str()]);
    let gone_member =
        call(&tools, "clerk_remove_organization_member", json!({"organizationId": organization_id, "userId": grace}))
            .await;
    assert_eq!(gone_member["kind"], "not_found", "{gone_member}");

    // Deletion takes the memberships and invitations with it.
    let deleted = call(&tools, "clerk_delete_organization", json!({"organizationId": organization_id})).await;
    assert_eq!(deleted, json!({"id": organization_id, "object": "organization", "deleted": true, "success": true}));
    let gone = tools
        .get_organization(clerk_tools::GetOrganizationInput { organization_id: organization_id.clone() })
        .await
        .unwrap_err();
    match &gone {
        Error::NotFound(api) => {
            assert_eq!(api.status, 404);
            assert_eq!(api.code.as_deref(), Some("resource_not_found"));
        }
        other => panic!("expected a 404, got {other:?}"),
    }
    for (tool, input) in [
        ("clerk_list_organization_memberships", json!({"organizationId": organization_id})),
        ("clerk_list_organization_invitations", json!({"organizationId": organization_id})),
        ("clerk_delete_organization", json!({"organizationId": organization_id})),
    ] {
        let output = call(&tools, tool, input).await;
        assert_eq!(output["kind"], "not_found", "{tool}: {output}");
        assert_eq!(output["httpStatus"], 404, "{tool}: {output}");
    }
    finish(standin).await;
}
