//! Shared pieces of the benchmarks: inputs and a minimal local HTTP server.

use std::path::PathBuf;

use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// The workspace root.
pub fn workspace_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).parent().map(PathBuf::from).unwrap_or_default()
}

/// Reads a file relative to the workspace root, with a message naming it on failure.
pub fn read(relative: &str) -> Vec<u8> {
    let path = workspace_root().join(relative);
    std::fs::read(&path).unwrap_or_else(|err| panic!("cannot read {}: {err}", path.display()))
}

/// The 500-user Clerk page used for the side-by-side with the reference mapping, kept beside
/// the repository in `shared/bench/`.
pub fn users_500() -> Vec<u8> {
    read("../shared/bench/users-500.json")
}

/// A full Clerk user, as the user tools' fixture has it.
pub fn full_user() -> Vec<u8> {
    read("clerk-tools/tests/resources/user.json")
}

/// A `{data, total_count}` page of 500 organizations built from the organization fixture.
pub fn organizations_500() -> Vec<u8> {
    let template: Value =
        serde_json::from_slice(&read("clerk-tools/tests/resources/organization.json")).unwrap_or(Value::Null);
    let data: Vec<Value> = (0..500)
        .map(|i| {
            let mut organization = template.clone();
            organization["id"] = json!(format!("org_{i:027}"));
            organization["name"] = json!(format!("Organization {i}"));
            organization["slug"] = json!(format!("organization-{i}"));
            organization["members_count"] = json!(i % 50);
            organization
        })
        .collect();
    serde_json::to_vec(&json!({"data": data, "total_count": 500})).unwrap_or_default()
}

/// Starts a keep-alive HTTP/1.1 server on 127.0.0.1 that answers every request with `body`
/// as JSON, and returns its base URL (`http://127.0.0.1:PORT/v1`). It does as little as a
/// server can, so that a benchmark measures the client.
pub async fn fixed_response_server(body: Vec<u8>) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind 127.0.0.1");
    let address = listener.local_addr().expect("local address");
    let mut response =
        format!("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n", body.len())
            .into_bytes();
    response.extend_from_slice(&body);
    let response: &'static [u8] = Box::leak(response.into_boxed_slice());
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            tokio::spawn(async move {
                let mut buffer = vec![0u8; 16 * 1024];
                let mut filled = 0;
                loop {
                    match stream.read(&mut buffer[filled..]).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => filled += n,
                    }
                    // Requests here are GETs without a body: one ends at the blank line.
                    while let Some(end) = buffer[..filled].windows(4).position(|w| w == b"\r\n\r\n") {
                        if stream.write_all(response).await.is_err() {
                            return;
                        }
                        buffer.copy_within(end + 4..filled, 0);
                        filled -= end + 4;
                    }
                    if filled == buffer.len() {
                        return;
                    }
                }
            });
        }
    });
    format!("http://{address}/v1")
}

/// The user every per-call benchmark fetches.
const USER_ID: &str = "user_2x1Ada0LoveLace9Q";
/// The key every per-call benchmark sends.
const KEY: &str = "sk_test_bench_key";

/// The calls the per-call benchmarks compare, all against one minimal local server: the
/// same request made bare with reqwest, through the generated client, and as a tool call.
pub struct CallVariants {
    /// The runtime the calls and the server run on (one worker, as a small service would).
    pub runtime: tokio::runtime::Runtime,
    tools: clerk_tools::ClerkTools,
    api: clerk_api::Client,
    bare: reqwest::Client,
    url: String,
}

impl CallVariants {
    /// Starts the server answering with the full user fixture, and builds the clients.
    pub fn start() -> CallVariants {
        let runtime =
            tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().expect("runtime");
        let base_url = runtime.block_on(fixed_response_server(full_user()));
        let tools = clerk_tools::ClerkTools::builder()
            .secret_key(KEY)
            .base_url(base_url.clone())
            .retry_policy(clerk_tools::RetryPolicy::none())
            .build()
            .expect("tools client");
        let api = clerk_api::Client::from_secret_key_with_base_url(KEY, &base_url).expect("generated client");
        let url = format!("{base_url}/users/{USER_ID}");
        clerk_api::install_default_tls_provider();
        CallVariants { runtime, tools, api, bare: reqwest::Client::new(), url }
    }

    /// A bare reqwest GET that reads the body's bytes and decodes nothing.
    pub async fn bare_bytes(&self) -> usize {
        let response = self.bare.get(&self.url).bearer_auth(KEY).send().await.expect("answer");
        response.bytes().await.expect("body").len()
    }

    /// The same, decoded into a JSON value, as a caller must before using it.
    pub async fn bare_value(&self) -> Value {
        let response = self.bare.get(&self.url).bearer_auth(KEY).send().await.expect("answer");
        let body = response.bytes().await.expect("body");
        serde_json::from_slice(&body).expect("JSON")
    }

    /// The generated client's own call.
    pub async fn generated(&self) -> clerk_api::types::User {
        self.api.get_user().user_id(USER_ID).send().await.expect("generated call").into_inner()
    }

    /// `clerk_get_user` through the tools.
    pub async fn tool(&self) -> clerk_tools::GetUserOutput {
        let input = clerk_tools::GetUserInput { user_id: USER_ID.into() };
        self.tools.get_user(input).await.expect("tool call")
    }
}
