//! Numbers are exact: every JSON number a tool is given or reads from Clerk comes out with the
//! same digits, through every path that carries arbitrary JSON (user, organization and
//! invitation metadata, actor tokens' `actor`, JWT template claims): the stand-in's store,
//! the tools' output, and `clerk-tools mcp` over stdio, in both `structuredContent` and the
//! text content.
//!
//! The probe values are written as text and compared as text: 17-significant-digit doubles
//! whose last digit a fast float parser gets wrong, the extremes of a double, and an integer
//! beyond 2^53, which a double cannot hold.

mod mcp_support;

use std::io::Write;
use std::process::Stdio;

use clerk_standin::StandIn;
use serde_json::{Value, json};

use mcp_support::{ANSWER_TIMEOUT, Api, KEY, http_client, mcp_command, stdout_lines};

/// Each written as serde_json writes it back, so that the text must come out unchanged. The
/// first seven are doubles that serde_json's default (not round-trip) float parsing reads as a
/// neighbouring double.
const PROBES: &[&str] = &[
    "104983.78704819083",
    "0.36544611877490324",
    "-29243.195209348214",
    "32978822.404630482",
    "3854.6200509645837",
    "2.1791803807280727e-21",
    "-2.0386073888869842",
    "1.7976931348623157e+308",
    "2.2250738585072014e-308",
    "5e-324",
    "-5e-324",
    "9007199254740993",
    "-9007199254740993",
    "18446744073709551615",
    "0.1",
];

/// `{"probe":[...]}`, written as text so that no parser stands between the probes and Clerk.
fn probe_object() -> String {
    format!(r#"{{"probe":[{}]}}"#, PROBES.join(","))
}

fn probe_value() -> Value {
    serde_json::from_str(&probe_object()).unwrap()
}

/// The `"probe"` arrays in a JSON text, each as the list of its number tokens, in the order
/// they appear (compact or indented).
fn probes_in(text: &str) -> Vec<Vec<&str>> {
    text.match_indices(r#""probe":"#)
        .map(|(start, _)| {
            let rest = &text[start..];
            let open = rest.find('[').unwrap();
            let close = open + rest[open..].find(']').unwrap();
            rest[open + 1..close].split(',').map(str::trim).collect()
        })
        .collect()
}

/// Asserts that `text` holds `count` probe arrays, each with every probe's digits unchanged.
#[track_caller]
fn assert_exact(what: &str, text: &str, count: usize) {
    let found = probes_in(text);
    assert_eq!(found.len(), count, "{what}: {count} probe arrays expected in {text}");
    for probes in found {
        assert_eq!(probes, PROBES, "{what}");
    }
}

/// A tool called through the JSON interface; its output, serialized.
async fn tool(tools: &clerk_tools::ClerkTools, name: &str, mut input: Value) -> (Value, String) {
    input["secretKey"] = json!(KEY);
    let output = tools.try_call(name, input.clone()).await.unwrap_or_else(|err| panic!("{name} {input}: {err}"));
    let text = output.to_string();
    (output, text)
}

#[tokio::test(flavor = "multi_thread")]
async fn numbers_go_through_the_tools_and_the_stand_in_unchanged() {
    let standin = StandIn::start_with_demo_data(KEY).await.unwrap();
    let tools = clerk_tools::ClerkTools::builder().secret_key(KEY).base_url(standin.base_url()).build().unwrap();
    let http = http_client();
    let raw = async |path: &str| -> String {
        let response = http.get(format!("{}{path}", standin.base_url())).bearer_auth(KEY).send().await.unwrap();
        response.text().await.unwrap()
    };

    // Users: metadata as objects and, for a tool that takes it so, as a JSON string.
    let (created, text) = tool(
        &tools,
        "clerk_create_user",
        json!({"username": "numbers", "publicMetadata": probe_value(), "privateMetadata": probe_value(), "unsafeMetadata": probe_object()}),
    )
    .await;
    assert_exact("clerk_create_user", &text, 1);
    let user = created["id"].as_str().unwrap().to_owned();
    assert_exact("the stand-in's user", &raw(&format!("/users/{user}")).await, 3);
    let (_, text) = tool(&tools, "clerk_get_user", json!({"userId": user})).await;
    assert_exact("clerk_get_user", &text, 3);
    let (_, text) = tool(&tools, "clerk_list_users", json!({"username": "numbers"})).await;
    assert!(!probes_in(&text).is_empty(), "{text}");
    assert_exact("clerk_list_users", &text, probes_in(&text).len());

    // A read, then a write of what was read, then a merge: the store holds the same digits.
    let (read, _) = tool(&tools, "clerk_get_user", json!({"userId": user})).await;
    let (_, text) = tool(
        &tools,
        "clerk_update_user",
        json!({"userId": user, "publicMetadata": read["publicMetadata"], "privateMetadata": read["privateMetadata"]}),
    )
    .await;
    assert_exact("clerk_update_user", &text, 1);
    let (_, text) =
        tool(&tools, "clerk_merge_user_metadata", json!({"userId": user, "unsafeMetadata": probe_value()})).await;
    assert_exact("clerk_merge_user_metadata", &text, 1);
    assert_exact("the stand-in's user after the writes", &raw(&format!("/users/{user}")).await, 3);

    // Organizations, their members and invitations.
    let (organization, text) = tool(
        &tools,
        "clerk_create_organization",
        json!({"name": "Numbers", "createdBy": user, "publicMetadata": probe_value(), "privateMetadata": probe_value()}),
    )
    .await;
    assert_exact("clerk_create_organization", &text, 1);
    let org = organization["id"].as_str().unwrap().to_owned();
    assert_exact("the stand-in's organization", &raw(&format!("/organizations/{org}")).await, 2);
    let (_, text) = tool(&tools, "clerk_get_organization", json!({"organizationId": org})).await;
    assert_exact("clerk_get_organization", &text, 1);
    let (_, text) = tool(
        &tools,
        "clerk_merge_organization_metadata",
        json!({"organizationId": org, "publicMetadata": probe_value()}),
    )
    .await;
    assert_exact("clerk_merge_organization_metadata", &text, 1);
    let (_, text) = tool(
        &tools,
        "clerk_create_organization_invitation",
        json!({"organizationId": org, "emailAddress": "numbers@example.com", "role": "org:member", "publicMetadata": probe_value(), "privateMetadata": probe_value()}),
    )
    .await;
    assert_exact("clerk_create_organization_invitation", &text, 1);
    let (_, text) = tool(
        &tools,
        "clerk_create_invitation",
        json!({"emailAddress": "numbers@example.com", "publicMetadata": probe_value(), "notify": false}),
    )
    .await;
    assert_exact("clerk_create_invitation", &text, 1);

    // An actor token's actor.
    let mut actor = probe_value();
    actor["sub"] = json!(user);
    let (token, text) = tool(&tools, "clerk_create_actor_token", json!({"userId": user, "actor": actor})).await;
    assert_exact("clerk_create_actor_token", &text, 1);
    let (_, text) = tool(&tools, "clerk_revoke_actor_token", json!({"actorTokenId": token["id"]})).await;
    assert_exact("clerk_revoke_actor_token", &text, 1);

    // JWT template claims, from the stand-in's store.
    let template = standin.add_jwt_template("numbers", probe_value());
    assert_exact("the stand-in's template", &raw(&format!("/jwt_templates/{template}")).await, 1);
    let (_, text) = tool(&tools, "clerk_get_jwt_template", json!({"templateId": template})).await;
    assert_exact("clerk_get_jwt_template", &text, 1);
}

#[test]
fn numbers_go_through_mcp_over_stdio_unchanged() {
    let api = Api::start();
    let template = api.standin.add_jwt_template("numbers", probe_value());
    let mut child = mcp_command(&[], &[("CLERK_SECRET_KEY", KEY), ("CLERK_API_URL", &api.url())])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    let lines = stdout_lines(&mut child);
    let mut stdin = child.stdin.take().unwrap();
    // Written as text, so that the probes reach the server exactly as written. A
    // notification (no id) is only sent.
    let mut exchange = |id: Option<u64>, message: String| -> String {
        writeln!(stdin, "{message}").unwrap();
        stdin.flush().unwrap();
        let Some(id) = id else { return String::new() };
        loop {
            let line = lines.recv_timeout(ANSWER_TIMEOUT).expect("an answer");
            if line.contains(&format!(r#""id":{id}"#)) {
                return line;
            }
        }
    };
    exchange(
        Some(1),
        json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "numbers", "version": "0"}}})
            .to_string(),
    );
    exchange(None, r#"{"jsonrpc":"2.0","method":"notifications/initialized"}"#.to_owned());
    let probe = probe_object();
    let call = |id: u64, name: &str, arguments: &str| {
        format!(
            r#"{{"jsonrpc":"2.0","id":{id},"method":"tools/call","params":{{"name":"{name}","arguments":{arguments}}}}}"#
        )
    };

    let created = exchange(
        Some(2),
        call(
            2,
            "clerk_create_user",
            &format!(r#"{{"username":"numbers","publicMetadata":{probe},"privateMetadata":{probe}}}"#),
        ),
    );
    let answer: Value = serde_json::from_str(&created).unwrap();
    let user = answer["result"]["structuredContent"]["id"].as_str().unwrap_or_else(|| panic!("{created}")).to_owned();
    assert_mcp_exact("clerk_create_user", &created, 1);

    let read = exchange(Some(3), call(3, "clerk_get_user", &format!(r#"{{"userId":"{user}"}}"#)));
    assert_mcp_exact("clerk_get_user", &read, 2);
    let read = exchange(Some(4), call(4, "clerk_get_jwt_template", &format!(r#"{{"templateId":"{template}"}}"#)));
    assert_mcp_exact("clerk_get_jwt_template", &read, 1);

    drop(stdin);
    let _ = child.kill();
    let _ = child.wait();
}

/// Asserts that a `tools/call` answer line carries `count` exact probe arrays in
/// `structuredContent` and as many in its text content.
#[track_caller]
fn assert_mcp_exact(what: &str, line: &str, count: usize) {
    // In the line itself, the text content's quotes are escaped, so only the structured
    // content's arrays are found.
    assert_exact(&format!("{what} structuredContent"), line, count);
    let answer: Value = serde_json::from_str(line).unwrap();
    assert_eq!(answer["result"]["isError"], false, "{line}");
    let text = answer["result"]["content"][0]["text"].as_str().unwrap_or_else(|| panic!("no text content: {line}"));
    assert_exact(&format!("{what} text content"), text, count);
}
