//! Current Clerk responses, with fields and enum values that the bundled spec does not know,
//! parse into the generated types: the API growing never breaks a call.

use clerk_api::types::{ClerkErrors, GetSessionListResponse, Organization, Session, User};

fn fixture(name: &str) -> Vec<u8> {
    workspace_tests::read(&format!("clerk-tools/tests/resources/{name}"))
}

#[test]
fn current_user_parses_with_the_fields_the_contracts_need() {
    let user: User = serde_json::from_slice(&fixture("user.json")).expect("user parses");
    assert_eq!(user.id.as_deref(), Some("user_2x1Ada0LoveLace9Q"));
    assert_eq!(user.has_image, Some(true));
    assert_eq!(user.locked, Some(false));
    assert_eq!(user.last_active_at, Some(1717200000000));
    assert_eq!(user.delete_self_enabled, Some(true));
    assert_eq!(user.create_organization_enabled, Some(true));
    assert_eq!(user.public_metadata["plan"], "pro");
    assert_eq!(user.email_addresses.len(), 2);
    // An unknown identification link type and an unknown verification status both parse.
    assert_eq!(user.email_addresses[0].linked_to[0].type_, "oauth_github");
    let statuses: Vec<&str> = user
        .email_addresses
        .iter()
        .map(|e| e.verification.as_ref().expect("verification present").status.as_str())
        .collect();
    assert_eq!(statuses, ["verified", "transferable"]);
}

#[test]
fn current_organization_parses_with_the_fields_the_contracts_need() {
    let organization: Organization =
        serde_json::from_slice(&fixture("organization.json")).expect("organization parses");
    assert_eq!(organization.id, "org_2x1AnalyticalEngine");
    assert_eq!(organization.image_url.as_deref(), Some("https://img.clerk.com/eyJvcmciOiJlbmdpbmUifQ"));
    assert_eq!(organization.has_image, Some(false));
    assert_eq!(organization.pending_invitations_count, Some(1));
    assert_eq!(organization.admin_delete_enabled, Some(true));
    assert_eq!(organization.members_count, Some(3));
}

#[test]
fn session_with_a_status_the_spec_does_not_list_parses() {
    let mut value: serde_json::Value = serde_json::from_slice(&fixture("session.json")).unwrap();
    let session: Session = serde_json::from_value(value.clone()).expect("pending session parses");
    assert_eq!(session.status, "pending");
    value["status"] = "some_status_clerk_adds_in_2027".into();
    let session: Session = serde_json::from_value(value).expect("unknown status parses");
    assert_eq!(session.status, "some_status_clerk_adds_in_2027");
}

#[test]
fn session_list_accepts_the_bare_and_the_paginated_form() {
    let session: serde_json::Value = serde_json::from_slice(&fixture("session.json")).unwrap();
    let bare = serde_json::json!([session.clone()]);
    let paginated = serde_json::json!({"data": [session], "total_count": 42});
    match serde_json::from_value::<GetSessionListResponse>(bare).unwrap() {
        GetSessionListResponse::Array(sessions) => assert_eq!(sessions.len(), 1),
        other => panic!("expected the bare form, got {other:?}"),
    }
    match serde_json::from_value::<GetSessionListResponse>(paginated).unwrap() {
        GetSessionListResponse::PaginatedSessions(page) => {
            assert_eq!(page.total_count, 42);
            assert_eq!(page.data.len(), 1);
        }
        other => panic!("expected the paginated form, got {other:?}"),
    }
}

#[test]
fn clerk_error_body_keeps_the_trace_id() {
    let body = br#"{"errors":[{"message":"not found","long_message":"User not found","code":"resource_not_found","meta":{}}],"clerk_trace_id":"trace_abc"}"#;
    let errors: ClerkErrors = serde_json::from_slice(body).unwrap();
    assert_eq!(errors.clerk_trace_id.as_deref(), Some("trace_abc"));
    assert_eq!(errors.errors[0].code.as_deref(), Some("resource_not_found"));
    // An error without long_message or code still parses.
    let minimal: ClerkErrors = serde_json::from_slice(br#"{"errors":[{"message":"boom"}]}"#).unwrap();
    assert_eq!(minimal.errors[0].message, "boom");
}
