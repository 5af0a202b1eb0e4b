//! Organization memberships and organization invitations, over real HTTP.

mod common;

use common::{Api, error_code, field, ids};
use reqwest::StatusCode;
use serde_json::{Value, json};

const DAY_MS: i64 = 24 * 60 * 60 * 1000;

#[tokio::test]
async fn add_a_member_and_see_the_membership_object() {
    let api = Api::start().await;
    let ada = api.user("ada", "ada@example.com").await;
    let alan = api.user("alan", "Alan@Example.com").await;
    let engine = api.organization("Analytical Engine", &ada).await;
    let path = format!("/organizations/{engine}/memberships");

    let membership = api
        .ok(api.post(&path, json!({"user_id": alan, "role": "org:member", "public_metadata": {"team": "maths"}})))
        .await;
    assert!(membership["id"].as_str().unwrap().starts_with("orgmem_"), "{membership}");
    assert_eq!(membership["object"], "organization_membership");
    assert_eq!(membership["role"], "org:member");
    assert_eq!(membership["role_name"], "Member");
    assert_eq!(membership["permissions"], json!(["org:sys_memberships:read"]));
    assert_eq!(membership["public_metadata"], json!({"team": "maths"}));
    assert_eq!(membership["private_metadata"], json!({}));
    assert_eq!(membership["organization"]["object"], "organization");
    assert_eq!(membership["organization"]["id"], engine.as_str());
    assert_eq!(membership["organization"]["members_count"], 2);
    assert_eq!(
        membership["public_user_data"],
        json!({
            "user_id": alan,
            "first_name": "Alan",
            "last_name": null,
            "profile_image_url": "https://img.clerk.com/default",
            "image_url": "https://img.clerk.com/default",
            "has_image": false,
            "identifier": "alan@example.com",
            "username": "alan",
            "banned": false
        })
    );
    assert!(membership["created_at"].as_i64().unwrap() > 1_600_000_000_000);
    assert_eq!(membership["updated_at"], membership["created_at"]);

    // The creator is the admin, with the admin's permissions.
    let listed = api.ok(api.get(&format!("{path}?role=org:admin"))).await;
    assert_eq!(listed["total_count"], 1);
    let admin = &listed["data"][0];
    assert_eq!(admin["public_user_data"]["user_id"], ada.as_str());
    assert_eq!((&admin["role"], &admin["role_name"]), (&json!("org:admin"), &json!("Admin")));
    assert!(admin["permissions"].as_array().unwrap().contains(&json!("org:sys_memberships:manage")));

    let code = api.fails(api.post(&path, json!({"user_id": alan, "role": "org:admin"})), StatusCode::BAD_REQUEST).await;
    assert_eq!(code, "already_a_member_in_organization");
    let (_, body) = api.post(&path, json!({"user_id": alan, "role": "org:member"})).await;
    assert_eq!(body["errors"][0]["long_message"], "alan@example.com is already a member of the organization.");

    let code = api
        .fails(api.post(&path, json!({"user_id": "user_nobody", "role": "org:member"})), StatusCode::NOT_FOUND)
        .await;
    assert_eq!(code, "resource_not_found");
    let grace = api.user("grace", "grace@example.com").await;
    let (status, body) = api.post(&path, json!({"user_id": grace, "role": "org:owner"})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error_code(&body), "form_param_value_invalid");
    assert_eq!(body["errors"][0]["meta"]["param_name"], "role");
    let code = api.fails(api.post(&path, json!({"user_id": grace})), StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(code, "form_param_missing");
    let code = api.fails(api.post(&path, json!({"role": "org:member"})), StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(code, "form_param_missing");
    let code = api
        .fails(
            api.post(&path, json!({"user_id": grace, "role": "org:member", "rank": 1})),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    assert_eq!(code, "form_param_unknown");
    let code = api
        .fails(
            api.post("/organizations/org_missing/memberships", json!({"user_id": grace, "role": "org:member"})),
            StatusCode::NOT_FOUND,
        )
        .await;
    assert_eq!(code, "resource_not_found");
    assert_eq!(api.ok(api.get(&path)).await["total_count"], 2, "refused requests add nobody");
}

#[tokio::test]
async fn change_a_role_and_remove_a_member() {
    let api = Api::start().await;
    let ada = api.user("ada", "ada@example.com").await;
    let alan = api.user("alan", "alan@example.com").await;
    let engine = api.organization("Engine", &ada).await;
    let added = api
        .ok(api.post(&format!("/organizations/{engine}/memberships"), json!({"user_id": alan, "role": "org:member"})))
        .await;
    let alan_path = format!("/organizations/{engine}/memberships/{alan}");
    let ada_path = format!("/organizations/{engine}/memberships/{ada}");

    // The only admin can be neither demoted nor removed.
    let code = api.fails(api.patch(&ada_path, json!({"role": "org:member"})), StatusCode::BAD_REQUEST).await;
    assert_eq!(code, "organization_minimum_permissions_needed");
    let code = api.fails(api.delete(&ada_path), StatusCode::BAD_REQUEST).await;
    assert_eq!(code, "organization_minimum_permissions_needed");

    let promoted = api.ok(api.patch(&alan_path, json!({"role": "org:admin"}))).await;
    assert_eq!(promoted["id"], added["id"]);
    assert_eq!((&promoted["role"], &promoted["role_name"]), (&json!("org:admin"), &json!("Admin")));
    assert!(promoted["updated_at"].as_i64() > added["updated_at"].as_i64());
    assert_eq!(promoted["created_at"], added["created_at"]);
    let demoted = api.ok(api.patch(&ada_path, json!({"role": "org:member"}))).await;
    assert_eq!(demoted["role"], "org:member", "another admin is left");

    let code = api.fails(api.patch(&alan_path, json!({"role": "org:owner"})), StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(code, "form_param_value_invalid");
    let code = api.fails(api.patch(&alan_path, json!({})), StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(code, "form_param_missing");
    let code = api
        .fails(
            api.patch(&format!("/organizations/{engine}/memberships/user_nobody"), json!({"role": "org:member"})),
            StatusCode::NOT_FOUND,
        )
        .await;
    assert_eq!(code, "resource_not_found");
    let code = api
        .fails(
            api.patch(&format!("/organizations/org_missing/memberships/{alan}"), json!({"role": "org:member"})),
            StatusCode::NOT_FOUND,
        )
        .await;
    assert_eq!(code, "resource_not_found");

    // Removing answers with the membership as it was, not a deleted object.
    api.ok(api.patch(&ada_path, json!({"role": "org:admin"}))).await;
    let removed = api.ok(api.delete(&alan_path)).await;
    assert_eq!(removed["object"], "organization_membership");
    assert_eq!(removed["id"], added["id"]);
    assert_eq!(removed["role"], "org:admin");
    assert_eq!(removed["public_user_data"]["user_id"], alan.as_str());
    assert_eq!(removed["organization"]["members_count"], 1, "counted without the removed member");
    let code = api.fails(api.delete(&alan_path), StatusCode::NOT_FOUND).await;
    assert_eq!(code, "resource_not_found");
    let members = api.ok(api.get(&format!("/organizations/{engine}/memberships"))).await;
    assert_eq!(members["total_count"], 1);
    // The user is still there, and can join again.
    api.ok(api.post(&format!("/organizations/{engine}/memberships"), json!({"user_id": alan, "role": "org:member"})))
        .await;
}

#[tokio::test]
async fn list_members_with_roles_order_and_paging() {
    let api = Api::start().await;
    let ada = api.user("ada", "ada@example.com").await;
    let engine = api.organization("Engine", &ada).await;
    let path = format!("/organizations/{engine}/memberships");
    let mut members = vec![ada.clone()];
    for (username, email, last_name) in [
        ("grace", "grace@example.com", "Hopper"),
        ("alan", "alan@example.com", "Turing"),
        ("barbara", "barbara@example.com", "Liskov"),
    ] {
        let (_, user) =
            api.post("/users", json!({"username": username, "email_address": [email], "last_name": last_name})).await;
        let id = user["id"].as_str().unwrap().to_owned();
        api.ok(api.post(&path, json!({"user_id": id, "role": "org:member"}))).await;
        members.push(id);
    }
    let user_ids = |list: &Value| -> Vec<String> {
        list["data"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["public_user_data"]["user_id"].as_str().unwrap().to_owned())
            .collect()
    };
    let usernames = |list: &Value| -> Vec<String> {
        list["data"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["public_user_data"]["username"].as_str().unwrap().to_owned())
            .collect()
    };

    let all = api.ok(api.get(&path)).await;
    assert_eq!(all["total_count"], 4);
    let newest_first: Vec<String> = members.iter().rev().cloned().collect();
    assert_eq!(user_ids(&all), newest_first, "newest first by default");

    let page = api.ok(api.get(&format!("{path}?order_by=created_at&limit=2&offset=1"))).await;
    assert_eq!(page["total_count"], 4, "the total counts every match, not the page");
    assert_eq!(user_ids(&page), members[1..3]);
    let past_the_end = api.ok(api.get(&format!("{path}?offset=10"))).await;
    assert_eq!((past_the_end["total_count"].clone(), past_the_end["data"].clone()), (json!(4), json!([])));

    assert_eq!(
        usernames(&api.ok(api.get(&format!("{path}?order_by=username"))).await),
        ["ada", "alan", "barbara", "grace"]
    );
    assert_eq!(
        usernames(&api.ok(api.get(&format!("{path}?order_by=%2Busername"))).await),
        ["ada", "alan", "barbara", "grace"]
    );
    assert_eq!(
        usernames(&api.ok(api.get(&format!("{path}?order_by=-email_address"))).await),
        ["grace", "barbara", "alan", "ada"]
    );
    // Ada has no last name: missing values go last in both directions.
    assert_eq!(
        usernames(&api.ok(api.get(&format!("{path}?order_by=last_name"))).await),
        ["grace", "barbara", "alan", "ada"]
    );
    assert_eq!(
        usernames(&api.ok(api.get(&format!("{path}?order_by=-last_name"))).await),
        ["alan", "barbara", "grace", "ada"]
    );

    let members_only = api.ok(api.get(&format!("{path}?role=org:member&limit=1"))).await;
    assert_eq!((members_only["total_count"].clone(), members_only["data"].as_array().unwrap().len()), (json!(3), 1));
    let both = api.ok(api.get(&format!("{path}?role=org:admin&role=org:member"))).await;
    assert_eq!(both["total_count"], 4, "repeated roles are ORed");
    let unknown = api.ok(api.get(&format!("{path}?role=org:owner"))).await;
    assert_eq!(unknown, json!({"data": [], "total_count": 0}), "an unknown role matches nobody");
    let searched = api.ok(api.get(&format!("{path}?query=LISKOV"))).await;
    assert_eq!(usernames(&searched), ["barbara"]);
    let by_id = api.ok(api.get(&format!("{path}?user_id={}&user_id={}", members[0], members[2]))).await;
    assert_eq!(by_id["total_count"], 2);

    for bad in ["order_by=-shoe_size", "limit=0", "limit=501", "offset=-1"] {
        let code = api.fails(api.get(&format!("{path}?{bad}")), StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!(code, "form_param_value_invalid", "{bad}");
    }
    let code = api.fails(api.get("/organizations/org_missing/memberships"), StatusCode::NOT_FOUND).await;
    assert_eq!(code, "resource_not_found");
}

#[tokio::test]
async fn the_membership_limit_counts_pending_invitations() {
    let api = Api::start().await;
    let ada = api.user("ada", "ada@example.com").await;
    let alan = api.user("alan", "alan@example.com").await;
    let grace = api.user("grace", "grace@example.com").await;
    let (_, organization) =
        api.post("/organizations", json!({"name": "Pair", "created_by": ada, "max_allowed_memberships": 2})).await;
    let id = organization["id"].as_str().unwrap();
    let invitation = api
        .ok(api.post(
            &format!("/organizations/{id}/invitations"),
            json!({"email_address": "charles@example.com", "role": "org:member"}),
        ))
        .await;
    let path = format!("/organizations/{id}/memberships");
    let code = api.fails(api.post(&path, json!({"user_id": alan, "role": "org:member"})), StatusCode::FORBIDDEN).await;
    assert_eq!(code, "organization_membership_quota_exceeded");
    api.ok(api.act(&format!("/organizations/{id}/invitations/{}/revoke", invitation["id"].as_str().unwrap()))).await;
    api.ok(api.post(&path, json!({"user_id": alan, "role": "org:member"}))).await;
    let code = api.fails(api.post(&path, json!({"user_id": grace, "role": "org:member"})), StatusCode::FORBIDDEN).await;
    assert_eq!(code, "organization_membership_quota_exceeded");
    api.ok(api.patch(&format!("/organizations/{id}"), json!({"max_allowed_memberships": 0}))).await;
    api.ok(api.post(&path, json!({"user_id": grace, "role": "org:member"}))).await;
}

#[tokio::test]
async fn invite_to_an_organization() {
    let api = Api::start().await;
    let ada = api.user("ada", "ada@example.com").await;
    let alan = api.user("alan", "alan@example.com").await;
    let engine = api.organization("Engine", &ada).await;
    api.ok(api.post(&format!("/organizations/{engine}/memberships"), json!({"user_id": alan, "role": "org:member"})))
        .await;
    let path = format!("/organizations/{engine}/invitations");

    let invitation = api
        .ok(api.post(
            &path,
            json!({
                "email_address": " Charles@Example.com ",
                "role": "org:admin",
                "inviter_user_id": ada,
                "redirect_url": "https://app.example.com/join?team=1",
                "expires_in_days": 7,
                "public_metadata": {"team": "engines"},
                "private_metadata": {"source": "crm"},
                "notify": false
            }),
        ))
        .await;
    assert!(invitation["id"].as_str().unwrap().starts_with("orginv_"), "{invitation}");
    assert_eq!(invitation["object"], "organization_invitation");
    assert_eq!(invitation["email_address"], "charles@example.com");
    assert_eq!((&invitation["role"], &invitation["role_name"]), (&json!("org:admin"), &json!("Admin")));
    assert_eq!(invitation["organization_id"], engine.as_str());
    assert_eq!(invitation["inviter_id"], ada.as_str());
    assert_eq!(
        invitation["public_inviter_data"],
        json!({
            "user_id": ada,
            "first_name": "Ada",
            "last_name": null,
            "image_url": "https://img.clerk.com/default",
            "has_image": false,
            "identifier": "ada@example.com"
        })
    );
    assert_eq!(invitation["status"], "pending");
    assert_eq!(invitation["public_metadata"], json!({"team": "engines"}));
    assert_eq!(invitation["private_metadata"], json!({"source": "crm"}));
    let url = invitation["url"].as_str().unwrap();
    assert!(url.contains("/v1/tickets/accept?ticket="), "{url}");
    assert!(url.ends_with("&redirect_url=https%3A%2F%2Fapp.example.com%2Fjoin%3Fteam%3D1"), "{url}");
    let created_at = invitation["created_at"].as_i64().unwrap();
    assert_eq!(invitation["expires_at"].as_i64().unwrap() - created_at, 7 * DAY_MS);
    assert_eq!(invitation["updated_at"], created_at);

    let plain = api.ok(api.post(&path, json!({"email_address": "dorothy@example.com", "role": "org:member"}))).await;
    assert_eq!((&plain["inviter_id"], &plain["public_inviter_data"]), (&Value::Null, &Value::Null));
    assert_eq!(plain["expires_at"].as_i64().unwrap() - plain["created_at"].as_i64().unwrap(), 30 * DAY_MS);

    let refusals = [
        (
            json!({"email_address": "CHARLES@example.com", "role": "org:member"}),
            StatusCode::BAD_REQUEST,
            "organization_invitation_not_unique",
        ),
        (
            json!({"email_address": "alan@example.com", "role": "org:member"}),
            StatusCode::BAD_REQUEST,
            "already_a_member_in_organization",
        ),
        (
            json!({"email_address": "e@example.com", "role": "org:member", "inviter_user_id": alan}),
            StatusCode::FORBIDDEN,
            "missing_organization_permission",
        ),
        (
            json!({"email_address": "e@example.com", "role": "org:member", "inviter_user_id": "user_nobody"}),
            StatusCode::NOT_FOUND,
            "resource_not_found",
        ),
        (
            json!({"email_address": "e@example.com", "role": "org:member", "expires_in_days": 0}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "form_param_value_invalid",
        ),
        (
            json!({"email_address": "e@example.com", "role": "org:member", "expires_in_days": 366}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "form_param_value_invalid",
        ),
        (
            json!({"email_address": "e@example.com", "role": "org:owner"}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "form_param_value_invalid",
        ),
        (json!({"email_address": "e@example.com"}), StatusCode::UNPROCESSABLE_ENTITY, "form_param_missing"),
        (json!({"role": "org:member"}), StatusCode::UNPROCESSABLE_ENTITY, "form_param_missing"),
        (
            json!({"email_address": "not-an-email", "role": "org:member"}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "form_param_format_invalid",
        ),
        (
            json!({"email_address": "e@example.com", "role": "org:member", "notify": "yes"}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "form_param_format_invalid",
        ),
        (
            json!({"email_address": "e@example.com", "role": "org:member", "bcc": "x"}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "form_param_unknown",
        ),
    ];
    for (body, status, expected) in refusals {
        let code = api.fails(api.post(&path, body.clone()), status).await;
        assert_eq!(code, expected, "{body}");
    }
    let code = api
        .fails(
            api.post(
                "/organizations/org_missing/invitations",
                json!({"email_address": "e@example.com", "role": "org:member"}),
            ),
            StatusCode::NOT_FOUND,
        )
        .await;
    assert_eq!(code, "resource_not_found");

    let fetched = api.ok(api.get(&format!("{path}/{}", invitation["id"].as_str().unwrap()))).await;
    assert_eq!(fetched, invitation);
    let code = api.fails(api.get(&format!("{path}/orginv_missing")), StatusCode::NOT_FOUND).await;
    assert_eq!(code, "resource_not_found");
}

#[tokio::test]
async fn list_and_revoke_organization_invitations() {
    let api = Api::start().await;
    let ada = api.user("ada", "ada@example.com").await;
    let alan = api.user("alan", "alan@example.com").await;
    let engine = api.organization("Engine", &ada).await;
    api.ok(api.post(&format!("/organizations/{engine}/memberships"), json!({"user_id": alan, "role": "org:member"})))
        .await;
    let path = format!("/organizations/{engine}/invitations");
    let mut invited = Vec::new();
    for email in ["bob@example.com", "carol@example.com", "alice@example.com"] {
        let invitation = api.ok(api.post(&path, json!({"email_address": email, "role": "org:member"}))).await;
        invited.push(invitation["id"].as_str().unwrap().to_owned());
    }

    let all = api.ok(api.get(&path)).await;
    assert_eq!(all["total_count"], 3);
    assert_eq!(ids(&all["data"]), [&invited[2], &invited[1], &invited[0]], "newest first by default");
    let by_email = api.ok(api.get(&format!("{path}?order_by=email_address"))).await;
    assert_eq!(
        field(&by_email["data"], "email_address"),
        ["alice@example.com", "bob@example.com", "carol@example.com"]
    );
    let page = api.ok(api.get(&format!("{path}?order_by=-email_address&limit=1&offset=1"))).await;
    assert_eq!(
        (page["total_count"].clone(), field(&page["data"], "email_address")),
        (json!(3), vec!["bob@example.com"])
    );
    let one = api.ok(api.get(&format!("{path}?email_address=CAROL%40example.com"))).await;
    assert_eq!(ids(&one["data"]), [&invited[1]]);

    let revoke = format!("{path}/{}/revoke", invited[0]);
    let code = api.fails(api.post(&revoke, json!({"requesting_user_id": alan})), StatusCode::FORBIDDEN).await;
    assert_eq!(code, "missing_organization_permission", "only admins revoke");
    let revoked = api.ok(api.post(&revoke, json!({"requesting_user_id": ada}))).await;
    assert_eq!(revoked["status"], "revoked");
    assert!(revoked["updated_at"].as_i64() > revoked["created_at"].as_i64());
    let code = api.fails(api.act(&revoke), StatusCode::BAD_REQUEST).await;
    assert_eq!(code, "invitation_already_revoked");
    let code = api.fails(api.act(&format!("{path}/orginv_missing/revoke")), StatusCode::NOT_FOUND).await;
    assert_eq!(code, "resource_not_found");

    let pending = api.ok(api.get(&format!("{path}?status=pending"))).await;
    assert_eq!(ids(&pending["data"]), [&invited[2], &invited[1]]);
    let revoked = api.ok(api.get(&format!("{path}?status=revoked"))).await;
    assert_eq!(ids(&revoked["data"]), [&invited[0]]);
    let either = api.ok(api.get(&format!("{path}?status=revoked&status=pending"))).await;
    assert_eq!(either["total_count"], 3);
    let none = api.ok(api.get(&format!("{path}?status=accepted"))).await;
    assert_eq!(none, json!({"data": [], "total_count": 0}));
    // A revoked invitation no longer blocks inviting the address again.
    api.ok(api.post(&path, json!({"email_address": "bob@example.com", "role": "org:member"}))).await;

    for bad in ["status=sleeping", "order_by=role", "limit=0"] {
        let code = api.fails(api.get(&format!("{path}?{bad}")), StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!(code, "form_param_value_invalid", "{bad}");
    }
}

#[tokio::test]
async fn demo_organizations_have_their_members() {
    let api = Api::with_demo_data().await;
    let engine = api.ok(api.get("/organizations/analytical-engine?include_members_count=true")).await;
    assert_eq!((engine["members_count"].clone(), engine["pending_invitations_count"].clone()), (json!(2), json!(0)));
    let members = api
        .ok(api.get(&format!("/organizations/{}/memberships?order_by=created_at", engine["id"].as_str().unwrap())))
        .await;
    let roles: Vec<(&str, &str)> = members["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| (m["public_user_data"]["username"].as_str().unwrap(), m["role"].as_str().unwrap()))
        .collect();
    assert_eq!(roles, [("ada", "org:admin"), ("alan", "org:member")]);

    let compilers = api.ok(api.get("/organizations/compilers-inc")).await;
    assert_eq!(compilers["pending_invitations_count"], 1);
    let invitations =
        api.ok(api.get(&format!("/organizations/{}/invitations", compilers["id"].as_str().unwrap()))).await;
    assert_eq!(invitations["data"][0]["email_address"], "charles@example.com");
    assert_eq!(invitations["data"][0]["public_inviter_data"]["identifier"], "grace@example.com");
}
