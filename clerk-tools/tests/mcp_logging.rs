//! `clerk-tools mcp` with every diagnostic on (`CLERK_TOOLS_LOG=trace`), over stdio and HTTP:
//! the log is written, and no line of it carries a tool's arguments or results (a password
//! sent, the access and actor tokens and links returned), the secret key or the bearer token.

mod mcp_support;

use std::io::{Read, Write};
use std::process::{Child, Stdio};
use std::thread::JoinHandle;

use serde_json::{Value, json};

use mcp_support::{
    ANSWER_TIMEOUT, Api, BEARER, KEY, TOKEN, call, http_client, initialize, mcp_command, post, stdout_lines,
};

/// A password distinctive enough that finding it in the log can only be a leak.
const PASSWORD: &str = "pw-leakcheck-Zq81vXe2Lm40";

/// The calls whose arguments or results must stay out of the log.
fn calls() -> Vec<(&'static str, Value)> {
    vec![
        (
            "clerk_create_user",
            json!({"emailAddress": "logged@example.com", "username": "logged", "password": PASSWORD}),
        ),
        ("clerk_list_users", json!({"limit": 1, "orderBy": "+username"})),
    ]
}

/// The calls that return credentials, for the first user.
fn credential_calls(user_id: &str) -> Vec<(&'static str, Value)> {
    vec![
        ("clerk_get_user_oauth_token", json!({"userId": user_id, "provider": "google"})),
        ("clerk_create_actor_token", json!({"userId": user_id, "actor": {"sub": "user_support"}})),
        ("clerk_create_invitation", json!({"emailAddress": "invited@example.com"})),
    ]
}

/// The credentials in a tool's output: every `token` and `url`, at any depth.
fn credentials(output: &Value, found: &mut Vec<String>) {
    match output {
        Value::Object(object) => {
            for (name, value) in object {
                match value {
                    Value::String(text) if name == "token" || name == "url" => found.push(text.clone()),
                    other => credentials(other, found),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|item| credentials(item, found)),
        _ => {}
    }
}

/// Reads the child's stderr to the end on a thread.
fn collect_stderr(child: &mut Child) -> JoinHandle<String> {
    let mut stderr = child.stderr.take().unwrap();
    std::thread::spawn(move || {
        let mut text = String::new();
        let _ = stderr.read_to_string(&mut text);
        text
    })
}

/// The log holds trace lines (it was really on), and none of `secrets`.
fn assert_logged_without(log: &str, secrets: &[String]) {
    assert!(log.lines().filter(|line| line.contains("TRACE")).count() > 10, "no trace lines:\n{log}");
    for secret in secrets {
        assert!(!secret.is_empty());
        assert!(!log.contains(secret.as_str()), "the log holds {secret}:\n{log}");
    }
}

fn secrets_besides(credentials: Vec<String>) -> Vec<String> {
    assert!(credentials.len() >= 3, "{credentials:?}");
    [PASSWORD, KEY, TOKEN].iter().map(ToString::to_string).chain(credentials).collect()
}

#[test]
fn a_trace_log_over_stdio_holds_no_argument_or_result() {
    let api = Api::start();
    let env = [("CLERK_SECRET_KEY", KEY), ("CLERK_API_URL", &api.url()), ("CLERK_TOOLS_LOG", "trace")];
    let mut child =
        mcp_command(&[], &env).stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    let log = collect_stderr(&mut child);
    let mut stdin = child.stdin.take().unwrap();
    let lines = stdout_lines(&mut child);
    // The closure owns stdin: dropping it ends the session.
    let mut exchange = move |message: Value| -> Value {
        writeln!(stdin, "{message}").unwrap();
        if message["method"] == "initialize" {
            writeln!(stdin, "{}", json!({"jsonrpc": "2.0", "method": "notifications/initialized"})).unwrap();
        }
        let line = lines.recv_timeout(ANSWER_TIMEOUT).expect("an answer");
        serde_json::from_str(&line).unwrap()
    };
    exchange(initialize(1));
    let mut found = Vec::new();
    let mut user_id = String::new();
    for (n, (name, arguments)) in calls().into_iter().enumerate() {
        let answer = exchange(call(10 + n as u64, name, arguments));
        assert_eq!(answer["result"]["isError"], false, "{answer}");
        user_id = answer["result"]["structuredContent"]["id"].as_str().unwrap_or(&user_id).to_string();
    }
    for (n, (name, arguments)) in credential_calls(&user_id).into_iter().enumerate() {
        let answer = exchange(call(20 + n as u64, name, arguments));
        assert_eq!(answer["result"]["isError"], false, "{answer}");
        credentials(&answer["result"]["structuredContent"], &mut found);
    }
    drop(exchange);
    let _ = child.wait();
    assert_logged_without(&log.join().unwrap(), &secrets_besides(found));
}

#[test]
fn a_trace_log_over_http_holds_no_argument_or_result() {
    let api = Api::start();
    let env = [
        ("CLERK_SECRET_KEY", KEY),
        ("CLERK_API_URL", &api.url()),
        ("CLERK_TOOLS_MCP_TOKEN", TOKEN),
        ("CLERK_TOOLS_LOG", "trace"),
    ];
    let mut child = mcp_command(&["--http", "127.0.0.1:0"], &env)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let log = collect_stderr(&mut child);
    let lines = stdout_lines(&mut child);
    let url = lines.recv_timeout(ANSWER_TIMEOUT).unwrap().trim_start_matches("MCP_URL=").to_string();
    let found = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
        let client = http_client();
        let mut found = Vec::new();
        let mut user_id = String::new();
        for (n, (name, arguments)) in calls().into_iter().enumerate() {
            let (_, answer) = post(&client, &url, &[BEARER], &call(10 + n as u64, name, arguments)).await;
            assert_eq!(answer["result"]["isError"], false, "{answer}");
            user_id = answer["result"]["structuredContent"]["id"].as_str().unwrap_or(&user_id).to_string();
        }
        for (n, (name, arguments)) in credential_calls(&user_id).into_iter().enumerate() {
            let (_, answer) = post(&client, &url, &[BEARER], &call(20 + n as u64, name, arguments)).await;
            assert_eq!(answer["result"]["isError"], false, "{answer}");
            credentials(&answer["result"]["structuredContent"], &mut found);
        }
        // A refused request and a broken one are logged without their content too.
        let (status, _) =
            post(&client, &url, &[("authorization", "Bearer pw-leakcheck-Zq81vXe2Lm40")], &initialize(1)).await;
        assert_eq!(status, 401);
        found
    });
    let _ = child.kill();
    let _ = child.wait();
    assert_logged_without(&log.join().unwrap(), &secrets_besides(found));
}
