//! The tower layer and the axum extractor, on an axum router: a valid session token in the
//! bearer header or the `__session` cookie gets the handler its session; anything else gets
//! the exact refusal.

mod common;

use axum::body::Body;
use axum::extract::Extension;
use axum::http::{Request, StatusCode};
use axum::routing::get;
use axum::{Router, response::Response};
use clerk_auth::{ClerkAuthLayer, ClerkSession, Session, Verifier};
use common::Instance;
use serde_json::json;
use tower::ServiceExt;

async fn send(app: &Router, request: Request<Body>) -> (StatusCode, Vec<(String, String)>, String) {
    let response: Response = app.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let headers = response
        .headers()
        .iter()
        .filter(|(name, _)| *name != "content-type" && *name != "content-length")
        .map(|(name, value)| (name.to_string(), value.to_str().unwrap().to_owned()))
        .collect();
    let body = axum::body::to_bytes(response.into_body(), 1 << 20).await.unwrap();
    (status, headers, String::from_utf8(body.to_vec()).unwrap())
}

fn get_with(uri: &str, header: Option<(&str, &str)>) -> Request<Body> {
    let mut request = Request::get(uri);
    if let Some((name, value)) = header {
        request = request.header(name, value);
    }
    request.body(Body::empty()).unwrap()
}

fn refused(reason: &str) -> (StatusCode, Vec<(String, String)>, String) {
    (
        StatusCode::UNAUTHORIZED,
        vec![
            ("x-clerk-auth-reason".to_owned(), reason.to_owned()),
            ("www-authenticate".to_owned(), "Bearer error=\"invalid_token\"".to_owned()),
        ],
        String::new(),
    )
}

fn ok(body: &str) -> (StatusCode, Vec<(String, String)>, String) {
    (StatusCode::OK, Vec::new(), body.to_owned())
}

#[tokio::test]
async fn the_layer_admits_valid_tokens_and_refuses_the_rest_with_the_reason() {
    let instance = Instance::start().await;
    let verifier = Verifier::from_client(instance.client.clone());
    let app = Router::new()
        .route("/me", get(|Extension(session): Extension<Session>| async move { session.user_id }))
        .layer(ClerkAuthLayer::new(verifier));
    let token = instance.token(None).await;

    let bearer = format!("Bearer {token}");
    assert_eq!(send(&app, get_with("/me", Some(("authorization", &bearer)))).await, ok(&instance.user_id));
    let cookie = format!("theme=dark; __session={token}");
    assert_eq!(send(&app, get_with("/me", Some(("cookie", &cookie)))).await, ok(&instance.user_id));

    assert_eq!(send(&app, get_with("/me", None)).await, refused("token-missing"));
    let expired = format!("Bearer {}", instance.signed(json!({"exp": common::now() - 60})));
    assert_eq!(send(&app, get_with("/me", Some(("authorization", &expired)))).await, refused("token-expired"));
    assert_eq!(
        send(&app, get_with("/me", Some(("authorization", "Bearer not.a.jwt")))).await,
        refused("token-invalid")
    );
    // Any path, not only the routes: the layer wraps the whole router.
    assert_eq!(send(&app, get_with("/elsewhere", None)).await, refused("token-missing"));
}

#[tokio::test]
async fn keys_that_cannot_be_loaded_answer_503() {
    let instance = Instance::start().await;
    let wrong_key =
        clerk_api::Client::from_secret_key_with_base_url("sk_test_wrong", &instance.standin.base_url()).unwrap();
    let app = Router::new()
        .route("/me", get(|| async { "unreachable" }))
        .layer(ClerkAuthLayer::new(Verifier::from_client(wrong_key)));
    let bearer = format!("Bearer {}", instance.token(None).await);
    let (status, headers, body) = send(&app, get_with("/me", Some(("authorization", &bearer)))).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(headers, [("x-clerk-auth-reason".to_owned(), "jwk-remote-failed-to-load".to_owned())]);
    assert_eq!(body, "");
}

async fn me(ClerkSession(session): ClerkSession) -> String {
    format!("{} {}", session.user_id, session.session_id)
}

async fn maybe(session: Option<ClerkSession>) -> String {
    session.map_or_else(|| "signed out".to_owned(), |ClerkSession(session)| session.user_id)
}

#[tokio::test]
async fn the_extractor_verifies_with_the_routers_verifier() {
    let instance = Instance::start().await;
    let verifier = Verifier::from_client(instance.client.clone());
    let app = Router::new().route("/me", get(me)).route("/maybe", get(maybe)).with_state(verifier);
    let token = instance.token(None).await;
    let bearer = format!("Bearer {token}");

    let both = format!("{} {}", instance.user_id, instance.session_id);
    assert_eq!(send(&app, get_with("/me", Some(("authorization", &bearer)))).await, ok(&both));
    assert_eq!(send(&app, get_with("/me", None)).await, refused("token-missing"));
    assert_eq!(send(&app, get_with("/maybe", Some(("authorization", &bearer)))).await, ok(&instance.user_id));
    assert_eq!(send(&app, get_with("/maybe", None)).await, ok("signed out"));
    // An invalid token is refused even where a session is optional.
    let forged = format!("__session={}", instance.signed(json!({"nbf": common::now() + 600})));
    assert_eq!(send(&app, get_with("/maybe", Some(("cookie", &forged)))).await, refused("token-not-active-yet"));
}

#[tokio::test]
async fn behind_the_layer_the_extractor_takes_the_layers_session() {
    let instance = Instance::start().await;
    let jwks = clerk_auth::Jwks::new(instance.client.clone());
    let verifier = Verifier::from_jwks(jwks.clone());
    // The router's verifier would refuse the token (no azp): the session must be the layer's.
    let refusing = verifier.clone().authorized_parties(["https://nobody.example"]);
    let app = Router::new().route("/me", get(me)).layer(ClerkAuthLayer::new(verifier)).with_state(refusing);
    let bearer = format!("Bearer {}", instance.token(None).await);
    let both = format!("{} {}", instance.user_id, instance.session_id);
    assert_eq!(send(&app, get_with("/me", Some(("authorization", &bearer)))).await, ok(&both));
    assert_eq!(jwks.fetches(), 1);
}
