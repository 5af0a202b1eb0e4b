//! The streams of the Rust API (`ClerkTools::users` and the other lists), against the local
//! Clerk stand-in: every item in the tool's order and output type, the pages asked for exactly
//! (limit, offset, the tool's filters), the end at a short page or at Clerk's count; and against
//! a local server, that pages go through the execution core (a 503 is retried) and that an error
//! on the third page is the last item.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use clerk_standin::StandIn;
use clerk_tools::*;
use futures_util::StreamExt;
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, Request, Respond, ResponseTemplate};

use crate::common::{KEY, quick_retries, received, request_line, start, with_key};

async fn standin() -> (StandIn, ClerkTools) {
    let standin = StandIn::start(KEY).await.expect("stand-in starts");
    let tools = ClerkTools::builder()
        .base_url(standin.base_url())
        .secret_key(KEY)
        .retry_policy(quick_retries())
        .build()
        .expect("client builds");
    (standin, tools)
}

/// The requests the stand-in answered since the last call, as `METHOD path?query status`.
fn requests(standin: &StandIn) -> Vec<String> {
    standin
        .take_exchanges()
        .into_iter()
        .map(|exchange| {
            let query = exchange.query.map(|query| format!("?{query}")).unwrap_or_default();
            format!("{} {}{query} {}", exchange.method, exchange.path, exchange.status)
        })
        .collect()
}

/// Every item of a stream, each unwrapped.
async fn all<T, E: std::fmt::Debug>(stream: impl futures_util::Stream<Item = Result<T, E>>) -> Vec<T> {
    stream.map(|item| item.unwrap()).collect().await
}

#[tokio::test]
async fn every_user_in_pages_of_the_largest_size_newest_first() {
    let (standin, tools) = standin().await;
    let seeded = standin.add_users("member", 1234);
    standin.record_exchanges();

    let users = all(tools.users(ListUsersInput::default()).unwrap()).await;

    let ids: Vec<String> = users.iter().map(|user| user.id.clone().unwrap()).collect();
    let newest_first: Vec<String> = seeded.into_iter().rev().collect();
    assert_eq!(ids, newest_first);
    assert_eq!(users[0].username.as_deref(), Some("member001233"));
    assert_eq!(
        requests(&standin),
        [
            "GET /v1/users?limit=500&offset=0 200",
            "GET /v1/users?limit=500&offset=500 200",
            "GET /v1/users?limit=500&offset=1000 200",
        ]
    );
}

#[tokio::test]
async fn the_list_tools_filters_order_limit_and_offset_go_with_every_page() {
    let (standin, tools) = standin().await;
    standin.add_users("reader", 1000);
    let writers = standin.add_users("writer", 234);
    standin.record_exchanges();

    let input = ListUsersInput {
        query: Some("writer".into()),
        order_by: Some("+username".into()),
        limit: Some(100),
        offset: Some(4),
        ..Default::default()
    };
    let users = all(tools.users(input).unwrap()).await;

    let read: Vec<(String, String)> =
        users.into_iter().map(|user| (user.id.unwrap(), user.username.unwrap())).collect();
    let expected: Vec<(String, String)> =
        writers.into_iter().enumerate().skip(4).map(|(n, id)| (id, format!("writer{n:06}"))).collect();
    assert_eq!(read, expected);
    assert_eq!(
        requests(&standin),
        [4, 104, 204]
            .map(|offset| format!("GET /v1/users?limit=100&offset={offset}&order_by=%2Busername&query=writer 200"))
    );
}

/// A list asked with `paginated=true` ends at Clerk's `total_count`: a last full page needs no
/// request for an empty one.
#[tokio::test]
async fn sessions_end_at_the_count() {
    let (standin, tools) = standin().await;
    let ada = standin.add_users("ada", 1).remove(0);
    let grace = standin.add_users("grace", 1).remove(0);
    let sessions: Vec<String> = (0..4).map(|n| standin.add_session(&ada, &format!("client_{n}"), "active")).collect();
    standin.add_session(&grace, "client_9", "active");
    standin.record_exchanges();

    let input = ListSessionsInput { user_id: Some(ada.clone()), limit: Some(2), ..Default::default() };
    let streamed = all(tools.sessions(input).unwrap()).await;

    let mut ids: Vec<String> = streamed.iter().map(|session| session.id.clone().unwrap()).collect();
    ids.sort();
    let mut expected = sessions;
    expected.sort();
    assert_eq!(ids, expected);
    assert!(streamed.iter().all(|session| session.user_id.as_deref() == Some(ada.as_str())));
    assert_eq!(
        requests(&standin),
        [0, 2].map(|offset| format!("GET /v1/sessions?limit=2&offset={offset}&paginated=true&user_id={ada} 200"))
    );
}

/// Each of the other streams yields what its list tool lists in one page, in the same order,
/// from pages of two.
#[tokio::test]
async fn every_other_list_reads_what_its_tool_lists() {
    let (standin, tools) = standin().await;
    let owner = standin.add_users("owner", 1).remove(0);
    let members = standin.add_users("member", 4);
    let mut organization_ids = Vec::new();
    for n in 0..5 {
        // Room for the members and the invitations below: Clerk counts both.
        let input = CreateOrganizationInput {
            name: format!("Org {n}"),
            created_by: owner.clone(),
            max_allowed_memberships: Some(20),
            ..Default::default()
        };
        organization_ids.push(tools.create_organization(input).await.unwrap().organization.id.unwrap());
    }
    let organization_id = organization_ids[0].clone();
    for member in &members {
        let input = AddOrganizationMemberInput {
            organization_id: organization_id.clone(),
            user_id: member.clone(),
            role: "org:member".into(),
        };
        tools.add_organization_member(input).await.unwrap();
    }
    for n in 0..5 {
        let email_address = format!("guest{n}@example.com");
        let input = CreateOrganizationInvitationInput {
            organization_id: organization_id.clone(),
            email_address: email_address.clone(),
            role: "org:member".into(),
            ..Default::default()
        };
        tools.create_organization_invitation(input).await.unwrap();
        tools.create_invitation(CreateInvitationInput { email_address, ..Default::default() }).await.unwrap();
        let identifier = format!("allowed{n}@example.com");
        tools
            .create_allowlist_identifier(CreateAllowlistIdentifierInput { identifier, ..Default::default() })
            .await
            .unwrap();
        standin.add_jwt_template(&format!("template{n}"), json!({"n": n}));
    }
    let ids = |items: Vec<Option<String>>| -> Vec<String> { items.into_iter().map(Option::unwrap).collect() };
    let two = Some(2);

    let listed =
        tools.list_organizations(ListOrganizationsInput { limit: Some(500), ..Default::default() }).await.unwrap();
    let streamed = all(tools.organizations(ListOrganizationsInput { limit: two, ..Default::default() }).unwrap()).await;
    assert_eq!(streamed, listed.organizations);
    assert_eq!(streamed.len(), 5);

    let memberships =
        ListOrganizationMembershipsInput { organization_id: organization_id.clone(), ..Default::default() };
    let listed = tools.list_organization_memberships(memberships.clone()).await.unwrap();
    let streamed =
        all(tools.organization_memberships(ListOrganizationMembershipsInput { limit: two, ..memberships }).unwrap())
            .await;
    assert_eq!(streamed, listed.memberships);
    // The owner and the four members.
    assert_eq!(streamed.len(), 5);

    let invitations =
        ListOrganizationInvitationsInput { organization_id: organization_id.clone(), ..Default::default() };
    let listed = tools.list_organization_invitations(invitations.clone()).await.unwrap();
    let streamed =
        all(tools.organization_invitations(ListOrganizationInvitationsInput { limit: two, ..invitations }).unwrap())
            .await;
    assert_eq!(
        ids(streamed.iter().map(|invitation| invitation.id.clone()).collect()),
        ids(listed.invitations.iter().map(|invitation| invitation.id.clone()).collect())
    );
    assert_eq!(streamed.len(), 5);

    let listed = tools.list_invitations(ListInvitationsInput::default()).await.unwrap();
    let streamed = all(tools.invitations(ListInvitationsInput { limit: two, ..Default::default() }).unwrap()).await;
    assert_eq!(
        ids(streamed.iter().map(|invitation| invitation.id.clone()).collect()),
        ids(listed.invitations.iter().map(|invitation| invitation.id.clone()).collect())
    );
    assert_eq!(streamed.len(), 5);

    let listed = tools.list_allowlist_identifiers(ListAllowlistIdentifiersInput::default()).await.unwrap();
    let streamed =
        all(tools.allowlist_identifiers(ListAllowlistIdentifiersInput { limit: two, ..Default::default() }).unwrap())
            .await;
    assert_eq!(streamed, listed.identifiers);
    assert_eq!(streamed.len(), 5);

    let listed = tools.list_jwt_templates(ListJwtTemplatesInput {}).await.unwrap();
    let streamed = all(tools.jwt_templates(ListJwtTemplatesInput {}).unwrap()).await;
    assert_eq!(streamed, listed.templates);
    assert_eq!(streamed.len(), 5);

    standin.record_exchanges();
    all(tools
        .organization_memberships(ListOrganizationMembershipsInput {
            organization_id: organization_id.clone(),
            role: vec!["org:member".into()],
            order_by: Some("-created_at".into()),
            limit: two,
            ..Default::default()
        })
        .unwrap())
    .await;
    all(tools
        .organization_invitations(ListOrganizationInvitationsInput {
            organization_id: organization_id.clone(),
            status: Some("pending".into()),
            limit: two,
            offset: Some(1),
            ..Default::default()
        })
        .unwrap())
    .await;
    all(tools
        .invitations(ListInvitationsInput {
            status: Some("pending".into()),
            query: Some("guest".into()),
            limit: Some(3),
            ..Default::default()
        })
        .unwrap())
    .await;
    all(tools
        .organizations(ListOrganizationsInput {
            query: Some("Org".into()),
            include_members_count: Some(true),
            limit: Some(4),
            ..Default::default()
        })
        .unwrap())
    .await;
    all(tools.allowlist_identifiers(ListAllowlistIdentifiersInput { limit: Some(5), ..Default::default() }).unwrap())
        .await;
    all(tools.jwt_templates(ListJwtTemplatesInput {}).unwrap()).await;
    let members_path = format!("/v1/organizations/{organization_id}/memberships");
    let invitations_path = format!("/v1/organizations/{organization_id}/invitations");
    assert_eq!(
        requests(&standin),
        [
            format!("GET {members_path}?limit=2&offset=0&order_by=-created_at&role=org%3Amember 200"),
            format!("GET {members_path}?limit=2&offset=2&order_by=-created_at&role=org%3Amember 200"),
            format!("GET {invitations_path}?limit=2&offset=1&status=pending 200"),
            format!("GET {invitations_path}?limit=2&offset=3&status=pending 200"),
            "GET /v1/invitations?limit=3&offset=0&paginated=true&query=guest&status=pending 200".to_string(),
            "GET /v1/invitations?limit=3&offset=3&paginated=true&query=guest&status=pending 200".to_string(),
            "GET /v1/organizations?include_members_count=true&limit=4&offset=0&query=Org 200".to_string(),
            "GET /v1/organizations?include_members_count=true&limit=4&offset=4&query=Org 200".to_string(),
            "GET /v1/allowlist_identifiers?limit=5&offset=0&paginated=true 200".to_string(),
            "GET /v1/jwt_templates?limit=500&offset=0&paginated=true 200".to_string(),
        ]
    );
}

#[tokio::test]
async fn an_input_that_breaks_a_rule_is_refused_before_any_request() {
    let (standin, tools) = standin().await;
    standin.record_exchanges();

    let refused = tools.sessions(ListSessionsInput::default()).unwrap_err();
    assert_eq!(refused.to_string(), "invalid input `userId`: give at least one of userId or clientId");
    let refused = tools.users(ListUsersInput { limit: Some(501), ..Default::default() }).unwrap_err();
    assert_eq!(refused.to_string(), "invalid input `limit`: must be a whole number from 1 to 500");
    let keyless = ClerkTools::builder().base_url(standin.base_url()).build().unwrap();
    let refused = keyless.users(ListUsersInput::default()).unwrap_err();
    let tool_refused = keyless.list_users(ListUsersInput::default()).await.unwrap_err();
    assert!(refused.to_string().starts_with("no Clerk secret key"), "{refused}");
    assert_eq!(refused.to_string(), tool_refused.to_string());
    assert_eq!(requests(&standin), Vec::<String>::new());
}

/// Answers `GET /v1/users` with pages of `{"id": "user_<n>"}` out of 250, except that the second
/// request is a 503 (which the execution core retries) and the page at offset 200 is a 422.
struct FlakyUsers {
    seen: Arc<AtomicUsize>,
}

impl Respond for FlakyUsers {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let seen = self.seen.fetch_add(1, Ordering::SeqCst);
        let number = |key: &str| -> usize {
            request.url.query_pairs().find(|(name, _)| name == key).map(|(_, value)| value.parse().unwrap()).unwrap()
        };
        let (limit, offset) = (number("limit"), number("offset"));
        if seen == 1 {
            return ResponseTemplate::new(503)
                .set_body_json(json!({"errors": [{"message": "try again", "code": "unavailable"}]}));
        }
        if offset == 200 {
            return ResponseTemplate::new(422).set_body_json(json!({
                "errors": [{"message": "offset is too large", "code": "form_param_value_invalid"}],
                "clerk_trace_id": "trace_third_page",
            }));
        }
        let users: Vec<_> = (offset..(offset + limit).min(250)).map(|n| json!({"id": format!("user_{n}")})).collect();
        ResponseTemplate::new(200).set_body_json(users)
    }
}

#[tokio::test]
async fn pages_are_retried_as_the_tools_requests_and_an_error_on_the_third_is_the_last_item() {
    let (server, tools) = start().await;
    let tools = with_key(&tools);
    let seen = Arc::new(AtomicUsize::new(0));
    Mock::given(method("GET"))
        .and(path("/v1/users"))
        .respond_with(FlakyUsers { seen: seen.clone() })
        .mount(&server)
        .await;

    let mut stream = tools.users(ListUsersInput { limit: Some(100), ..Default::default() }).unwrap();
    let mut read = Vec::new();
    let error = loop {
        match stream.next().await.expect("the error is an item") {
            Ok(user) => read.push(user.id.unwrap()),
            Err(err) => break err,
        }
    };

    assert_eq!(read, (0..200).map(|n| format!("user_{n}")).collect::<Vec<_>>());
    let Error::Api(api) = &error else { panic!("{error:?}") };
    assert_eq!(
        (api.status, api.code.as_deref(), api.trace_id.as_deref()),
        (422, Some("form_param_value_invalid"), Some("trace_third_page"))
    );
    assert_eq!(api.message, "offset is too large");
    assert!(stream.next().await.is_none());
    let lines: Vec<String> = received(&server).await.iter().map(request_line).collect();
    assert_eq!(
        lines,
        [
            "GET /v1/users?limit=100&offset=0",
            "GET /v1/users?limit=100&offset=100",
            "GET /v1/users?limit=100&offset=100",
            "GET /v1/users?limit=100&offset=200",
        ]
    );
}
