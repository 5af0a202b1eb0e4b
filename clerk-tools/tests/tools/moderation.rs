//! The moderation tools (ban, unban, lock, unlock): exact requests and outputs.

use serde_json::json;

use crate::common::{KEY, answer, fixture, only_request, request_line, start, with_key};

const USER: &str = "user_2g7np7Hrk0SN6kj5EDMLDaKNL0S";

/// Each action POSTs to its own path without a body and answers with the moderation object.
#[tokio::test]
async fn every_action_posts_without_a_body() {
    for (tool, action, fixture_name) in [
        ("clerk_ban_user", "ban", "user_banned.json"),
        ("clerk_unban_user", "unban", "user.json"),
        ("clerk_lock_user", "lock", "user_locked.json"),
        ("clerk_unlock_user", "unlock", "user.json"),
    ] {
        let (server, tools) = start().await;
        let route = format!("/v1/users/{USER}/{action}");
        answer(&server, "POST", &route, 200, fixture(fixture_name)).await;
        let output = tools.call(tool, json!({"secretKey": KEY, "userId": format!(" {USER} ")})).await;
        let request = only_request(&server, &route).await;
        assert_eq!(request_line(&request), format!("POST {route}"), "{tool}");
        assert!(request.body.is_empty(), "{tool} sends no body");
        assert_eq!(output["success"], true, "{tool}: {output}");
    }
}

#[tokio::test]
async fn ban_user_reports_the_moderation_object() {
    let (server, tools) = start().await;
    answer(&server, "POST", &format!("/v1/users/{USER}/ban"), 200, fixture("user_banned.json")).await;
    let output = tools.call("clerk_ban_user", json!({"secretKey": KEY, "userId": USER})).await;
    assert_eq!(output["banned"], true);
    insta::assert_json_snapshot!("ban_user_output", output);
}

#[tokio::test]
async fn lock_user_reports_the_time_left_in_the_lockout() {
    let (server, tools) = start().await;
    answer(&server, "POST", &format!("/v1/users/{USER}/lock"), 200, fixture("user_locked.json")).await;
    let output = tools.call("clerk_lock_user", json!({"secretKey": KEY, "userId": USER})).await;
    assert_eq!((output["locked"].clone(), output["lockoutExpiresInSeconds"].clone()), (json!(true), json!(1800)));
    insta::assert_json_snapshot!("lock_user_output", output);
}

#[tokio::test]
async fn a_user_with_fields_missing_gets_the_defaults() {
    let (server, tools) = start().await;
    answer(&server, "POST", "/v1/users/user_2x1Minimal/unlock", 200, fixture("user_minimal.json")).await;
    let output = tools.call("clerk_unlock_user", json!({"secretKey": KEY, "userId": "user_2x1Minimal"})).await;
    assert_eq!(
        output,
        json!({
            "id": "user_2x1Minimal",
            "username": null,
            "firstName": null,
            "lastName": null,
            "banned": false,
            "locked": false,
            "lockoutExpiresInSeconds": null,
            "updatedAt": 1717000000000_i64,
            "success": true
        })
    );
}

#[tokio::test]
async fn the_typed_interface_gives_the_same_output() {
    let (server, tools) = start().await;
    answer(&server, "POST", &format!("/v1/users/{USER}/unban"), 200, fixture("user.json")).await;
    let typed =
        with_key(&tools).unban_user(clerk_tools::UnbanUserInput { user_id: USER.into() }).await.expect("unbanned");
    let through_json = tools.call("clerk_unban_user", json!({"secretKey": KEY, "userId": USER})).await;
    assert_eq!(serde_json::to_value(&typed).unwrap(), through_json);
    assert!(!typed.banned);
}
