//! Webhooks from the stand-in, received by a small server each test starts on 127.0.0.1 and
//! verified with clerk-webhooks as a Clerk application would.

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use clerk_standin::{StandIn, WebhookSetupError};
use clerk_webhooks::{Event, Webhook, WebhookEvent};
use serde_json::{Value, json};
use tokio::sync::mpsc;

const KEY: &str = "sk_test_webhook_suite";
const SECRET: &str = "whsec_c3RhbmQtaW4gd2ViaG9vayBzZWNyZXQgZm9yIHRlc3Rz";

/// One request as the receiver got it.
#[derive(Debug)]
struct Received {
    headers: HeaderMap,
    body: Bytes,
}

impl Received {
    fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap()
    }

    fn header(&self, name: &str) -> &str {
        self.headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or_default()
    }

    fn verify(&self) -> WebhookEvent {
        Webhook::new(SECRET).unwrap().verify(&self.headers, &self.body).expect("a valid signature")
    }
}

struct Receiver {
    url: String,
    requests: mpsc::UnboundedReceiver<Received>,
}

/// Answers 500 to the first `failures` requests, then 204.
async fn receiver(failures: usize) -> Receiver {
    let (sender, requests) = mpsc::unbounded_channel();
    let state = (sender, Arc::new(AtomicUsize::new(failures)));
    let app = Router::new()
        .route(
            "/hooks/clerk",
            post(
                |State((sender, failures)): State<(mpsc::UnboundedSender<Received>, Arc<AtomicUsize>)>,
                 headers: HeaderMap,
                 body: Bytes| async move {
                    let _ = sender.send(Received { headers, body });
                    if failures.fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1)).is_ok() {
                        StatusCode::INTERNAL_SERVER_ERROR
                    } else {
                        StatusCode::NO_CONTENT
                    }
                },
            ),
        )
        .with_state(state);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hooks/clerk", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    Receiver { url, requests }
}

impl Receiver {
    async fn next(&mut self) -> Received {
        tokio::time::timeout(Duration::from_secs(10), self.requests.recv()).await.expect("a webhook arrives").unwrap()
    }
}

struct Api {
    standin: StandIn,
    http: reqwest::Client,
}

impl Api {
    async fn call(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> Value {
        let mut request = self.http.request(method, format!("{}{path}", self.standin.base_url())).bearer_auth(KEY);
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.unwrap();
        assert!(response.status().is_success(), "{path}: {}", response.status());
        response.json().await.unwrap()
    }
}

async fn started(failures: usize) -> (Api, Receiver, mpsc::UnboundedReceiver<clerk_standin::WebhookDelivery>) {
    let receiver = receiver(failures).await;
    let standin = StandIn::start(KEY).await.unwrap();
    let reports = standin.send_webhooks(&receiver.url, SECRET).unwrap();
    (Api { standin, http: common::http() }, receiver, reports)
}

#[tokio::test]
async fn user_lifecycle_is_delivered_signed_with_the_answered_json() {
    let (api, mut receiver, mut reports) = started(0).await;
    let user = api
        .call(reqwest::Method::POST, "/users", Some(json!({"email_address": ["ada@example.com"], "first_name": "Ada"})))
        .await;
    let id = user["id"].as_str().unwrap().to_string();

    let created = receiver.next().await;
    assert_eq!(created.header("content-type"), "application/json");
    assert!(created.header("svix-id").starts_with("msg_"), "{:?}", created.headers);
    let body = created.json();
    assert_eq!(body["type"], "user.created");
    assert_eq!(body["object"], "event");
    assert!(body["instance_id"].as_str().unwrap().starts_with("ins_"));
    assert!(body["timestamp"].as_i64().unwrap() > 1_700_000_000_000, "milliseconds");
    // The data is exactly what the endpoint answered.
    assert_eq!(body["data"], user);
    let event = created.verify();
    let Event::UserCreated(decoded) = &event.data else { panic!("{:?}", event.data) };
    assert_eq!(decoded.id.as_deref(), Some(id.as_str()));
    assert_eq!(decoded.email_addresses[0].email_address.as_deref(), Some("ada@example.com"));

    let updated =
        api.call(reqwest::Method::PATCH, &format!("/users/{id}"), Some(json!({"last_name": "Lovelace"}))).await;
    let received = receiver.next().await;
    assert_eq!(received.json()["data"], updated);
    assert!(
        matches!(received.verify().data, Event::UserUpdated(ref user) if user.last_name.as_deref() == Some("Lovelace"))
    );

    let deleted = api.call(reqwest::Method::DELETE, &format!("/users/{id}"), None).await;
    let received = receiver.next().await;
    assert_eq!(received.json()["data"], deleted);
    assert!(matches!(received.verify().data, Event::UserDeleted(ref gone) if gone.deleted == Some(true)));

    for expected in ["user.created", "user.updated", "user.deleted"] {
        let report = reports.recv().await.unwrap();
        assert_eq!(report.event_type, expected);
        assert!(report.delivered(), "{report:?}");
        assert_eq!((report.attempts, report.status), (1, Some(204)));
    }
    api.standin.shutdown().await;
}

#[tokio::test]
async fn a_new_organization_brings_its_creators_membership() {
    let (api, mut receiver, _reports) = started(0).await;
    let user = api
        .call(
            reqwest::Method::POST,
            "/users",
            Some(json!({"email_address": ["grace@example.com"], "first_name": "Grace"})),
        )
        .await;
    receiver.next().await;
    let organization = api
        .call(reqwest::Method::POST, "/organizations", Some(json!({"name": "Compilers Inc", "created_by": user["id"]})))
        .await;

    let received = receiver.next().await;
    assert_eq!(received.json()["data"], organization);
    let Event::OrganizationCreated(created) = received.verify().data else { panic!() };
    assert_eq!(created.name.as_deref(), Some("Compilers Inc"));

    let received = receiver.next().await;
    let Event::OrganizationMembershipCreated(membership) = received.verify().data else { panic!() };
    assert_eq!(membership.role.as_deref(), Some("org:admin"));
    assert_eq!(membership.organization.as_ref().and_then(|o| o.id.as_deref()), organization["id"].as_str());
    let member = membership.public_user_data.as_ref().unwrap();
    assert_eq!(member.user_id.as_deref(), user["id"].as_str());
    assert_eq!(member.identifier.as_deref(), Some("grace@example.com"));
    assert!(membership.id.as_deref().is_some_and(|id| id.starts_with("orgmem_")));
    // Each message has its own id.
    assert_ne!(received.header("svix-id"), "");
    api.standin.shutdown().await;
}

#[tokio::test]
async fn a_revoked_session_is_delivered_once() {
    let (api, mut receiver, _reports) = started(0).await;
    let user = api
        .call(
            reqwest::Method::POST,
            "/users",
            Some(json!({"email_address": ["alan@example.com"], "first_name": "Alan"})),
        )
        .await;
    receiver.next().await;
    let session_id = api.standin.add_session(user["id"].as_str().unwrap(), "client_1", "active");
    let path = format!("/sessions/{session_id}/revoke");
    let session = api.call(reqwest::Method::POST, &path, None).await;
    let received = receiver.next().await;
    assert_eq!(received.json()["data"], session);
    assert!(matches!(received.verify().data, Event::SessionRevoked(ref s) if s.status.as_deref() == Some("revoked")));
    // Revoking again changes nothing, so nothing is sent: the next webhook is the next event.
    api.call(reqwest::Method::POST, &path, None).await;
    api.call(
        reqwest::Method::PATCH,
        &format!("/users/{}", user["id"].as_str().unwrap()),
        Some(json!({"first_name": "A."})),
    )
    .await;
    assert_eq!(receiver.next().await.json()["type"], "user.updated");
    api.standin.shutdown().await;
}

#[tokio::test]
async fn a_failed_delivery_is_retried_with_the_same_id_and_signed_again() {
    let (api, mut receiver, mut reports) = started(1).await;
    api.call(reqwest::Method::POST, "/users", Some(json!({"email_address": ["retry@example.com"]}))).await;
    let first = receiver.next().await;
    let second = receiver.next().await;
    assert_eq!(first.header("svix-id"), second.header("svix-id"));
    assert_eq!(first.body, second.body);
    second.verify();
    let report = reports.recv().await.unwrap();
    assert_eq!((report.attempts, report.status, report.error.as_deref()), (2, Some(204), None));
    api.standin.shutdown().await;
}

#[tokio::test]
async fn an_unreachable_endpoint_is_reported() {
    // A port that was just free: nothing listens there.
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let standin = StandIn::start(KEY).await.unwrap();
    let mut reports = standin.send_webhooks(&format!("http://127.0.0.1:{port}/hook"), SECRET).unwrap();
    let api = Api { standin, http: common::http() };
    api.call(reqwest::Method::POST, "/users", Some(json!({"email_address": ["nobody@example.com"]}))).await;
    let report = tokio::time::timeout(Duration::from_secs(20), reports.recv()).await.unwrap().unwrap();
    assert_eq!((report.attempts, report.status, report.delivered()), (3, None, false));
    assert!(report.error.as_deref().unwrap().contains("cannot reach"), "{report:?}");
    api.standin.shutdown().await;
}

#[tokio::test]
async fn setup_refuses_what_it_cannot_use() {
    let standin = StandIn::start(KEY).await.unwrap();
    for url in ["https://example.com/hook", "127.0.0.1:9/hook", "not a url", "ftp://127.0.0.1/x"] {
        assert!(matches!(standin.send_webhooks(url, SECRET), Err(WebhookSetupError::InvalidUrl(_))), "{url}");
    }
    let err = standin.send_webhooks("http://127.0.0.1:9/hook", "whsec_???").unwrap_err();
    assert!(matches!(err, WebhookSetupError::InvalidSecret(_)));
    assert!(!err.to_string().contains("???"), "{err}");
    standin.shutdown().await;
}

#[tokio::test]
async fn organization_membership_and_invitation_changes_are_delivered() {
    use reqwest::Method;
    let (api, mut receiver, _reports) = started(0).await;
    let ada = api.call(Method::POST, "/users", Some(json!({"email_address": ["ada@example.com"]}))).await;
    let alan = api.call(Method::POST, "/users", Some(json!({"email_address": ["alan@example.com"]}))).await;
    let organization =
        api.call(Method::POST, "/organizations", Some(json!({"name": "Engine", "created_by": ada["id"]}))).await;
    let id = organization["id"].as_str().unwrap().to_string();
    for expected in ["user.created", "user.created", "organization.created", "organizationMembership.created"] {
        assert_eq!(receiver.next().await.json()["type"], expected);
    }

    // Each event carries what the endpoint answered.
    let mut expect = async |event_type: &str, answer: &Value| {
        let received = receiver.next().await;
        let body = received.json();
        assert_eq!(body["type"], event_type);
        assert_eq!(body["data"], *answer, "{event_type}");
        received.verify()
    };
    let updated = api.call(Method::PATCH, &format!("/organizations/{id}"), Some(json!({"name": "Engine 2"}))).await;
    let Event::OrganizationUpdated(organization_event) = expect("organization.updated", &updated).await.data else {
        panic!()
    };
    assert_eq!(organization_event.name.as_deref(), Some("Engine 2"));
    let metadata = api
        .call(Method::PATCH, &format!("/organizations/{id}/metadata"), Some(json!({"public_metadata": {"a": 1}})))
        .await;
    expect("organization.updated", &metadata).await;

    let members = format!("/organizations/{id}/memberships");
    let added = api.call(Method::POST, &members, Some(json!({"user_id": alan["id"], "role": "org:member"}))).await;
    let Event::OrganizationMembershipCreated(membership) = expect("organizationMembership.created", &added).await.data
    else {
        panic!()
    };
    assert_eq!(membership.role.as_deref(), Some("org:member"));
    let member = format!("{members}/{}", alan["id"].as_str().unwrap());
    let promoted = api.call(Method::PATCH, &member, Some(json!({"role": "org:admin"}))).await;
    let Event::OrganizationMembershipUpdated(membership) =
        expect("organizationMembership.updated", &promoted).await.data
    else {
        panic!()
    };
    assert_eq!(membership.role.as_deref(), Some("org:admin"));
    let removed = api.call(Method::DELETE, &member, None).await;
    assert!(matches!(
        expect("organizationMembership.deleted", &removed).await.data,
        Event::OrganizationMembershipDeleted(_)
    ));

    let invitations = format!("/organizations/{id}/invitations");
    let invited = api
        .call(Method::POST, &invitations, Some(json!({"email_address": "charles@example.com", "role": "org:member"})))
        .await;
    let Event::OrganizationInvitationCreated(invitation) =
        expect("organizationInvitation.created", &invited).await.data
    else {
        panic!()
    };
    assert_eq!(invitation.email_address.as_deref(), Some("charles@example.com"));
    let revoke = format!("{invitations}/{}/revoke", invited["id"].as_str().unwrap());
    let revoked = api.call(Method::POST, &revoke, None).await;
    assert!(matches!(
        expect("organizationInvitation.revoked", &revoked).await.data,
        Event::OrganizationInvitationRevoked(_)
    ));

    let deleted = api.call(Method::DELETE, &format!("/organizations/{id}"), None).await;
    let Event::OrganizationDeleted(gone) = expect("organization.deleted", &deleted).await.data else { panic!() };
    assert_eq!(
        (gone.id.as_deref(), gone.slug.as_deref(), gone.deleted),
        (Some(id.as_str()), Some("engine"), Some(true))
    );
    api.standin.shutdown().await;
}

#[tokio::test]
async fn a_ban_updates_the_user_and_revokes_each_live_session() {
    use reqwest::Method;
    let (api, mut receiver, _reports) = started(0).await;
    let user = api.call(Method::POST, "/users", Some(json!({"email_address": ["grace@example.com"]}))).await;
    receiver.next().await;
    let id = user["id"].as_str().unwrap().to_string();
    let first = api.standin.add_session(&id, "client_1", "active");
    let second = api.standin.add_session(&id, "client_2", "active");
    api.standin.add_session(&id, "client_1", "ended");

    let banned = api.call(Method::POST, &format!("/users/{id}/ban"), None).await;
    let received = receiver.next().await;
    assert_eq!(received.json()["data"], banned);
    assert!(matches!(received.verify().data, Event::UserUpdated(ref user) if user.banned == Some(true)));
    let mut revoked = Vec::new();
    for _ in 0..2 {
        let Event::SessionRevoked(session) = receiver.next().await.verify().data else { panic!() };
        assert_eq!(session.status.as_deref(), Some("revoked"));
        revoked.push(session.id.unwrap_or_default());
    }
    assert_eq!(revoked, [second, first], "newest first");

    // Banning again changes nothing, so nothing is sent: the next webhook is the lock.
    api.call(Method::POST, &format!("/users/{id}/ban"), None).await;
    let locked = api.call(Method::POST, &format!("/users/{id}/lock"), None).await;
    let received = receiver.next().await;
    assert_eq!(received.json()["data"], locked);
    assert!(matches!(received.verify().data, Event::UserUpdated(ref user) if user.locked == Some(true)));

    // Metadata changes are user updates too.
    let replaced = api
        .call(Method::PUT, &format!("/users/{id}/metadata"), Some(json!({"public_metadata": {"plan": "pro"}})))
        .await;
    let received = receiver.next().await;
    assert_eq!((received.json()["type"].clone(), received.json()["data"].clone()), (json!("user.updated"), replaced));
    api.standin.shutdown().await;
}
