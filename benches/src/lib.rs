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

/// A page of 500 Clerk users: the user of `benches/data/user.json` 500 times over, each with
/// its own ID, username and email address, written with `, ` and `: ` between items as the
/// page the reference mapping under node reads is, byte for byte.
pub fn users_500() -> Vec<u8> {
    let template: Value = serde_json::from_slice(&read("benches/data/user.json")).unwrap_or(Value::Null);
    let users: Vec<Value> = (0..500)
        .map(|i| {
            let mut user = template.clone();
            user["id"] = json!(format!("user_{i:06}abcdefghijkl"));
            user["username"] = json!(format!("user{i}"));
            user["email_addresses"][0]["email_address"] = json!(format!("u{i}@example.com"));
            user
        })
        .collect();
    let mut page = Vec::new();
    let mut writer = serde_json::Serializer::with_formatter(&mut page, Spaced);
    serde::Serialize::serialize(&users, &mut writer).map(|()| page).unwrap_or_default()
}

/// JSON with a space after each `,` and `:`, as Python's `json.dumps` writes it.
struct Spaced;

impl serde_json::ser::Formatter for Spaced {
    fn begin_array_value<W: ?Sized + std::io::Write>(&mut self, writer: &mut W, first: bool) -> std::io::Result<()> {
        if first { Ok(()) } else { writer.write_all(b", ") }
    }

    fn begin_object_key<W: ?Sized + std::io::Write>(&mut self, writer: &mut W, first: bool) -> std::io::Result<()> {
        if first { Ok(()) } else { writer.write_all(b", ") }
    }

    fn begin_object_value<W: ?Sized + std::io::Write>(&mut self, writer: &mut W) -> std::io::Result<()> {
        writer.write_all(b": ")
    }
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
        // Built as the generated client's is, so that only what each variant does differs.
        let bare = clerk_api::http_client_builder().expect("TLS configuration").build().expect("reqwest client");
        CallVariants { runtime, tools, api, bare, url }
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
