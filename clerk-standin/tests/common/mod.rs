//! A client for the stand-in over real HTTP, shared by the per-resource test files.
// Each test file uses a different part of it.
#![allow(dead_code)]

use clerk_standin::StandIn;
use reqwest::StatusCode;
use serde_json::{Value, json};

pub const KEY: &str = "sk_test_resource_suite";

/// A plain HTTP client. reqwest builds its TLS setup even for http URLs, and in this
/// workspace that needs a crypto provider installed first.
pub fn http() -> reqwest::Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::new()
}

pub struct Api {
    pub standin: StandIn,
    pub http: reqwest::Client,
}

impl Api {
    pub async fn start() -> Api {
        Api { standin: StandIn::start(KEY).await.expect("bind 127.0.0.1"), http: http() }
    }

    pub async fn with_demo_data() -> Api {
        Api { standin: StandIn::start_with_demo_data(KEY).await.expect("bind 127.0.0.1"), http: http() }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.standin.base_url())
    }

    pub async fn send(&self, request: reqwest::RequestBuilder) -> (StatusCode, Value) {
        let response = request.bearer_auth(KEY).send().await.expect("request");
        let status = response.status();
        let body = response.json().await.expect("a JSON body");
        (status, body)
    }

    pub async fn get(&self, path: &str) -> (StatusCode, Value) {
        self.send(self.http.get(self.url(path))).await
    }

    pub async fn post(&self, path: &str, body: Value) -> (StatusCode, Value) {
        self.send(self.http.post(self.url(path)).json(&body)).await
    }

    /// A POST without a body, as the action endpoints (ban, revoke, ...) are called.
    pub async fn act(&self, path: &str) -> (StatusCode, Value) {
        self.send(self.http.post(self.url(path))).await
    }

    pub async fn patch(&self, path: &str, body: Value) -> (StatusCode, Value) {
        self.send(self.http.patch(self.url(path)).json(&body)).await
    }

    pub async fn put(&self, path: &str, body: Value) -> (StatusCode, Value) {
        self.send(self.http.put(self.url(path)).json(&body)).await
    }

    pub async fn delete(&self, path: &str) -> (StatusCode, Value) {
        self.send(self.http.delete(self.url(path))).await
    }

    /// Creates a user and returns their id.
    /// Creates a user from a raw body and returns Clerk's answer.
    pub async fn create_user(&self, body: Value) -> Value {
        let (status, user) = self.post("/users", body).await;
        assert_eq!(status, StatusCode::OK, "{user}");
        user
    }

    pub async fn user(&self, username: &str, email: &str) -> String {
        let (status, user) = self
            .post(
                "/users",
                json!({"username": username, "email_address": [email], "first_name": capitalized(username)}),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{user}");
        user["id"].as_str().unwrap().to_owned()
    }

    /// Creates an organization and returns its id.
    pub async fn organization(&self, name: &str, created_by: &str) -> String {
        let (status, organization) = self.post("/organizations", json!({"name": name, "created_by": created_by})).await;
        assert_eq!(status, StatusCode::OK, "{organization}");
        organization["id"].as_str().unwrap().to_owned()
    }

    /// Asserts a success and returns the body.
    pub async fn ok(&self, reply: impl std::future::Future<Output = (StatusCode, Value)>) -> Value {
        let (status, body) = reply.await;
        assert_eq!(status, StatusCode::OK, "{body}");
        body
    }

    /// Asserts a Clerk error with `status` and returns its code.
    pub async fn fails(
        &self,
        reply: impl std::future::Future<Output = (StatusCode, Value)>,
        status: StatusCode,
    ) -> String {
        let (got, body) = reply.await;
        assert_eq!(got, status, "{body}");
        error_code(&body).to_owned()
    }
}

fn capitalized(name: &str) -> String {
    let mut chars = name.chars();
    chars.next().map(|first| first.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

/// Asserts Clerk's error shape and returns the single error's code.
pub fn error_code(body: &Value) -> &str {
    let errors = body["errors"].as_array().expect("errors array");
    assert_eq!(errors.len(), 1, "{body}");
    let error = &errors[0];
    for field in ["message", "long_message", "code"] {
        assert!(error[field].is_string(), "{field} in {body}");
    }
    assert!(error["meta"].is_object(), "{body}");
    assert!(body["clerk_trace_id"].as_str().is_some_and(|trace| !trace.is_empty()), "{body}");
    error["code"].as_str().unwrap()
}

/// The `id`s of a list's items, in order.
pub fn ids(list: &Value) -> Vec<&str> {
    list.as_array().expect("array").iter().map(|item| item["id"].as_str().unwrap()).collect()
}

/// The values of `field` in a list's items, in order.
pub fn field<'a>(list: &'a Value, field: &str) -> Vec<&'a str> {
    list.as_array().expect("array").iter().map(|item| item[field].as_str().unwrap_or_default()).collect()
}
