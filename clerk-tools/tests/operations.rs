//! The generated operation tools (`clerk_api_*`): how a selection offers them, the exact
//! request one sends and the output it gives (wiremock), the stand-in answering them, and every
//! generated read called once against Prism, a mock server driven by Clerk's own document that
//! nobody here wrote, which reports every request that breaks the document.
//!
//! The sweep installs Prism with npm from `tests/prism/package-lock.json` (every package pinned
//! with its integrity) into the target directory, once. Needs node and npm, and the package
//! registry the first time.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use clerk_standin::StandIn;
use clerk_tools::{ClerkTools, TOOL_NAMES, Tool, ToolSelection, operation_tools};
use serde_json::{Map, Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const KEY: &str = "sk_test_operations_5d2c8e1f0a";

fn names(tools: &[&Tool]) -> Vec<&'static str> {
    tools.iter().map(|tool| tool.name).collect()
}

fn method_of(tool: &Tool) -> &'static str {
    clerk_api::Operation::find(tool.operations[0]).expect("the client has the operation").method
}

#[test]
fn there_is_one_generated_tool_per_operation_of_the_client() {
    let ids: Vec<&str> = operation_tools().iter().map(|tool| tool.operations[0]).collect();
    let mut sorted = ids.clone();
    sorted.sort_unstable();
    let client: Vec<&str> = clerk_api::OPERATIONS.iter().map(|operation| operation.id).collect();
    assert_eq!(sorted, client);
    for tool in operation_tools() {
        assert_eq!(tool.name, format!("clerk_api_{}", tool.operations[0]));
        assert!(!tool.groups.is_empty() && !tool.description.is_empty(), "{}", tool.name);
        let expected = match method_of(tool) {
            "GET" => (true, false, true),
            "DELETE" => (false, true, true),
            "PUT" => (false, false, true),
            _ => (false, false, false),
        };
        let nature = (tool.nature.read_only, tool.nature.destructive, tool.nature.idempotent);
        assert_eq!(nature, expected, "{}", tool.name);
        assert_eq!(tool.input_schema_without_secret["additionalProperties"], false, "{}", tool.name);
        assert_eq!(tool.input_schema["properties"]["secretKey"]["type"], "string", "{}", tool.name);
    }
}

#[test]
fn the_default_selection_offers_exactly_the_curated_tools() {
    assert_eq!(names(&ToolSelection::all().resolve().unwrap()), TOOL_NAMES);
    let error = ToolSelection::all().patterns("clerk_api_get_user").resolve().unwrap_err();
    assert_eq!(
        error.to_string(),
        "the tool pattern `clerk_api_get_user` matches no tool; `clerk-tools list` shows their names"
    );
}

#[test]
fn toolsets_add_the_generated_tools_of_their_groups() {
    let all = ToolSelection::all().toolsets("all").resolve().unwrap();
    assert_eq!(all.len(), TOOL_NAMES.len() + operation_tools().len());
    assert_eq!(names(&all[..TOOL_NAMES.len()]), TOOL_NAMES);

    let users = ToolSelection::all().toolsets(" users , organizations ").resolve().unwrap();
    let generated: Vec<&Tool> = users.iter().copied().filter(|tool| !tool.groups.is_empty()).collect();
    assert!(generated.iter().any(|tool| tool.name == "clerk_api_get_user_list"));
    assert!(generated.iter().any(|tool| tool.name == "clerk_api_list_organizations"));
    // An operation of two groups (a user's billing) is in either.
    assert!(generated.iter().any(|tool| tool.groups == ["billing", "users"]));
    assert!(generated.iter().all(|tool| tool.groups.contains(&"users") || tool.groups.contains(&"organizations")));
    let expected = operation_tools()
        .iter()
        .filter(|tool| tool.groups.contains(&"users") || tool.groups.contains(&"organizations"))
        .count();
    assert_eq!(generated.len(), expected);

    let error = ToolSelection::all().toolsets("users,user").resolve().unwrap_err();
    assert!(error.to_string().starts_with("there is no toolset `user`; the toolsets are actor-tokens, "), "{error}");
    assert_eq!(clerk_tools::toolsets().len(), 41);
}

#[test]
fn read_only_keeps_only_generated_gets_and_patterns_apply_to_generated_names() {
    let read_only = ToolSelection::all().toolsets("all").read_only(true).resolve().unwrap();
    let generated: Vec<&Tool> = read_only.iter().copied().filter(|tool| !tool.groups.is_empty()).collect();
    assert!(generated.iter().all(|tool| method_of(tool) == "GET"));
    let gets = operation_tools().iter().filter(|tool| method_of(tool) == "GET" && !tool.returns_credentials).count();
    assert_eq!(generated.len(), gets);
    // A GET that answers credentials needs them allowed.
    assert!(!generated.iter().any(|tool| tool.name == "clerk_api_get_oauth_access_token"));
    let allowed = ToolSelection::all().toolsets("all").read_only(true).allow_credentials(true).resolve().unwrap();
    assert!(allowed.iter().any(|tool| tool.name == "clerk_api_get_oauth_access_token"));

    let by_name = ToolSelection::all().toolsets("all").patterns("clerk_api_get_user,clerk_get_user").resolve().unwrap();
    assert_eq!(names(&by_name), ["clerk_get_user", "clerk_api_get_user"]);
    let error = ToolSelection::all().toolsets("all").read_only(true).patterns("clerk_api_delete_user").resolve();
    assert!(error.unwrap_err().to_string().contains("only tools that change something"));
}

fn client(base_url: &str) -> ClerkTools {
    ClerkTools::builder().base_url(base_url).secret_key(KEY).build().unwrap()
}

#[tokio::test]
async fn a_generated_tool_sends_the_exact_request_and_answers_clerks_json() {
    let server = MockServer::start().await;
    let user = json!({"id": "user_1", "object": "user", "username": "ada", "unknown_field": 1});
    Mock::given(method("GET"))
        .and(path("/v1/users"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([user])))
        .mount(&server)
        .await;
    let tools = client(&format!("{}/v1", server.uri()));
    let input = json!({"limit": 2, "email_address": ["a@example.com", "b@example.com"], "order_by": "-created_at"});
    let output = tools.try_call("clerk_api_get_user_list", input).await.unwrap();
    // Clerk's JSON as the client's types decode it: a page, the unknown field not kept.
    let result = &output["result"][0];
    assert_eq!(output["success"], true);
    assert_eq!((&result["id"], &result["username"]), (&json!("user_1"), &json!("ada")));
    assert!(result.get("unknown_field").is_none());
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 1);
    let request = &requests[0];
    assert_eq!(request.method.as_str(), "GET");
    assert_eq!(
        request.url.query(),
        Some("email_address=a%40example.com&email_address=b%40example.com&limit=2&order_by=-created_at")
    );
    assert_eq!(request.headers.get("authorization").unwrap(), &format!("Bearer {KEY}"));
    assert_eq!(request.headers.get("clerk-api-version").unwrap(), clerk_api::CLERK_API_VERSION.unwrap());
}

#[tokio::test]
async fn a_body_is_built_from_the_flat_inputs_by_their_wire_names() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/redirect_urls"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"object": "redirect_url", "id": "ru_1", "url": "https://example.com/cb"})),
        )
        .mount(&server)
        .await;
    let tools = client(&format!("{}/v1", server.uri()));
    let output =
        tools.try_call("clerk_api_create_redirect_url", json!({"url": "https://example.com/cb"})).await.unwrap();
    assert_eq!(output["result"]["id"], "ru_1");
    let request = &server.received_requests().await.unwrap()[0];
    assert_eq!(request.url.path(), "/v1/redirect_urls");
    assert_eq!(request.headers.get("content-type").unwrap(), "application/json");
    assert_eq!(serde_json::from_slice::<Value>(&request.body).unwrap(), json!({"url": "https://example.com/cb"}));

    // A required body property missing is named; nothing is sent.
    let error = tools.try_call("clerk_api_create_redirect_url", json!({})).await.unwrap_err();
    assert_eq!(error.to_string(), "invalid input `url`: is required");
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}

#[tokio::test]
async fn inputs_are_checked_before_anything_is_sent() {
    let server = MockServer::start().await;
    let tools = client(&format!("{}/v1", server.uri()));
    for (input, message) in [
        (json!({"user_id": "../admin"}), "invalid input `user_id`: may contain only letters, digits, `_` and `-`"),
        (
            json!({"user_id": "user_1/sessions"}),
            "invalid input `user_id`: may contain only letters, digits, `_` and `-`",
        ),
        (json!({}), "invalid input `user_id`: is required"),
        (json!({"user_id": 5}), "invalid input `user_id`: must be text"),
        (json!({"userId": "user_1"}), "invalid input `userId`: is not an input of this tool; did you mean `user_id`?"),
    ] {
        let error = tools.try_call("clerk_api_get_user", input).await.unwrap_err();
        assert_eq!(error.to_string(), message);
        assert_eq!(error.kind(), "invalid_input");
    }
    let error = tools.try_call("clerk_api_get_user_list", json!({"limit": "many"})).await.unwrap_err();
    assert_eq!(error.to_string(), "invalid input `limit`: invalid type: string \"many\", expected i64");
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn an_answer_the_types_cannot_decode_is_an_error_not_a_partial_output() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/users/user_1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": 5, "username": "ada"})))
        .mount(&server)
        .await;
    let tools = client(&format!("{}/v1", server.uri()));
    let error = tools.try_call("clerk_api_get_user", json!({"user_id": "user_1"})).await.unwrap_err();
    assert_eq!(error.kind(), "decode");
}

#[tokio::test]
async fn the_stand_in_answers_what_it_models_and_clerks_404_otherwise() {
    let standin = StandIn::start_with_demo_data(KEY).await.unwrap();
    let tools = client(&standin.base_url());
    let users = tools.try_call("clerk_api_get_user_list", json!({"order_by": "+username"})).await.unwrap();
    let first = &users["result"][0];
    assert_eq!(first["username"], "ada");
    let id = first["id"].as_str().unwrap().to_string();
    let user = tools.try_call("clerk_api_get_user", json!({"user_id": id})).await.unwrap();
    assert_eq!(user["result"]["username"], "ada");
    let error = tools.try_call("clerk_api_list_domains", json!({})).await.unwrap_err();
    let api = error.api_error().expect("Clerk's error");
    assert_eq!((api.status, api.code.as_deref()), (404, Some("resource_not_found")));
}

/// Prism installed under the target directory, once.
fn prism() -> &'static PathBuf {
    static PRISM: OnceLock<PathBuf> = OnceLock::new();
    PRISM.get_or_init(|| {
        let lock = include_str!("prism/package-lock.json");
        let pins = lock
            .bytes()
            .fold(0xcbf2_9ce4_8422_2325_u64, |hash, byte| (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3));
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("prism-{pins:016x}"));
        let bin = dir.join("node_modules/.bin/prism");
        if bin.is_file() {
            return bin;
        }
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("package.json"), include_str!("prism/package.json")).unwrap();
        std::fs::write(dir.join("package-lock.json"), lock).unwrap();
        let output = Command::new("npm")
            .args(["ci", "--ignore-scripts", "--no-audit", "--no-fund", "--loglevel=error"])
            .current_dir(&dir)
            .output()
            .expect("npm runs (the mock sweep needs node and npm)");
        assert!(output.status.success(), "npm ci failed:\n{}", String::from_utf8_lossy(&output.stderr));
        bin
    })
}

/// `prism mock` of a document on a free loopback port, killed on drop, and its log so far.
struct Mock_ {
    child: Child,
    url: String,
    log: Arc<Mutex<Vec<String>>>,
}

impl Mock_ {
    fn start(document: &Path) -> Mock_ {
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let log = Arc::new(Mutex::new(Vec::new()));
        let mut child = Command::new(prism())
            .args(["mock", "-h", "127.0.0.1", "-p", &port.to_string()])
            .arg(document)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let (sender, receiver) = std::sync::mpsc::channel();
        let lines = Arc::clone(&log);
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if line.contains("Prism is listening") {
                    let _ = sender.send(());
                }
                lines.lock().unwrap().push(line);
            }
        });
        receiver.recv_timeout(Duration::from_secs(120)).expect("Prism started listening");
        Mock_ { child, url: format!("http://127.0.0.1:{port}"), log }
    }
}

impl Drop for Mock_ {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A value the schema accepts: its first enum value, else one of its type (within its bounds).
fn example(schema: &Value) -> Value {
    if let Some(first) = schema["enum"].as_array().and_then(|values| values.iter().find(|v| !v.is_null())) {
        return first.clone();
    }
    let ty = match &schema["type"] {
        Value::Array(types) => types.iter().find(|t| *t != "null").and_then(Value::as_str).unwrap_or("string"),
        Value::String(ty) => ty.as_str(),
        _ => "string",
    };
    match ty {
        "integer" | "number" => {
            json!(schema["minimum"].as_i64().unwrap_or(1).max(1).min(schema["maximum"].as_i64().unwrap_or(i64::MAX)))
        }
        "boolean" => json!(true),
        "array" => json!([example(&schema["items"])]),
        "object" => Value::Object(required_inputs(schema)),
        _ if schema["pattern"].is_string() => json!(matching(schema["pattern"].as_str().unwrap())),
        _ => match schema["format"].as_str() {
            Some("email") => json!("ada@example.com"),
            Some("date-time") => json!("2026-01-01T00:00:00Z"),
            Some("uri" | "url") => json!("https://example.com"),
            _ => json!("test_value_1"),
        },
    }
}

/// A text the simple patterns of Clerk's document match: anchors, literals, a group of
/// alternatives (the first taken), `\w`, `\d`, a class (its first character) and counts.
fn matching(pattern: &str) -> String {
    let chars: Vec<char> = pattern.trim_start_matches('^').trim_end_matches('$').chars().collect();
    let mut text = String::new();
    let mut index = 0;
    while index < chars.len() {
        let piece: String = match chars[index] {
            '(' => {
                let close = index + chars[index..].iter().position(|c| *c == ')').unwrap();
                let group: String = chars[index + 1..close].iter().collect();
                index = close + 1;
                matching(group.trim_start_matches("?:").split('|').next().unwrap())
            }
            '[' => {
                let close = index + chars[index..].iter().position(|c| *c == ']').unwrap();
                let first = chars[index + 1];
                index = close + 1;
                first.to_string()
            }
            '\\' => {
                let class = chars[index + 1];
                index += 2;
                match class {
                    'd' => "0".into(),
                    'w' => "a".into(),
                    other => other.to_string(),
                }
            }
            literal => {
                index += 1;
                literal.to_string()
            }
        };
        let mut count = 1;
        if let Some('{') = chars.get(index) {
            let close = index + chars[index..].iter().position(|c| *c == '}').unwrap();
            let bounds: String = chars[index + 1..close].iter().collect();
            count = bounds.split(',').next().unwrap().parse().unwrap();
            index = close + 1;
        } else if let Some('+' | '*' | '?') = chars.get(index) {
            count = usize::from(chars[index] == '+');
            index += 1;
        }
        text.push_str(&piece.repeat(count));
    }
    text
}

/// Every required input of a schema, with a value it accepts.
fn required_inputs(schema: &Value) -> Map<String, Value> {
    let required = schema["required"].as_array().cloned().unwrap_or_default();
    required
        .iter()
        .filter_map(Value::as_str)
        .map(|name| (name.to_string(), example(&schema["properties"][name])))
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn every_generated_read_passes_a_mock_of_clerks_document() {
    let version = clerk_api::CLERK_API_VERSION.expect("a dated document");
    let document = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("../spec/clerk-bapi-{version}.yml"));
    let mock = tokio::task::spawn_blocking(move || Mock_::start(&document)).await.unwrap();
    let tools = client(&mock.url);
    let reads: Vec<&Tool> = operation_tools().iter().filter(|tool| method_of(tool) == "GET").collect();
    let log = || mock.log.lock().unwrap().clone();
    // Prism logs what it makes of each request and answer. Its answers sometimes break the
    // document themselves (a `SAMLConnection` of `{}`); the client must decode those too.
    let mut failures = Vec::new();
    for tool in &reads {
        let input = Value::Object(required_inputs(&tool.input_schema_without_secret));
        if let Err(error) = tools.try_call(tool.name, input.clone()).await {
            failures.push(format!("{} {input}: {} {error}", tool.name, error.kind()));
        }
    }
    tokio::time::sleep(Duration::from_millis(100)).await;
    let log = log();
    let violations: Vec<&String> = log.iter().filter(|line| line.contains("Violation: request")).collect();
    let invalid_answers = log.iter().filter(|line| line.contains("Violation: response")).count();
    eprintln!(
        "{} generated reads called against the mock: {} failures, {} request violations; {} violations of the \
         document in the mock's answers, decoded all the same",
        reads.len(),
        failures.len(),
        violations.len(),
        invalid_answers,
    );
    assert!(reads.len() > 70, "{}", reads.len());
    assert!(violations.is_empty(), "request violations:\n{violations:#?}");
    assert!(failures.is_empty(), "failures:\n{}", failures.join("\n"));
}
