//! Clerk's official Python SDK for the Backend API (`clerk-backend-api`, generated from the
//! 2026-05-12 document) is a client of the stand-in: users, organizations, memberships,
//! organization and application invitations, sessions, the allowlist and blocklist, JWT
//! templates and actor tokens, each call parsed by the SDK's own models, which refuse answers
//! off the document. The SDK and every package it installs are pinned by sha256
//! (`tests/python_sdk/requirements.txt`) and installed by pip on first use. The answers the
//! stand-in gave are then checked against the document too. Needs `python3` with pip, and the
//! package registry the first time.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

use clerk_standin::{DEMO_SECRET_KEY, StandIn};
use serde_json::{Value, json};
use workspace_tests::document;

const REQUIREMENTS: &str = include_str!("python_sdk/requirements.txt");
const SCRIPT: &str = include_str!("python_sdk/client.py");

/// The calls `client.py` makes, in order.
const CALLS: &[&str] = &[
    "users.list",
    "users.count",
    "users.get",
    "users.create",
    "users.update",
    "users.update_metadata",
    "users.replace_metadata",
    "users.ban",
    "users.unban",
    "users.lock",
    "users.unlock",
    "users.get_o_auth_access_token",
    "organizations.list",
    "organizations.get",
    "organizations.create",
    "organizations.update",
    "organizations.merge_metadata",
    "organization_memberships.create",
    "organization_memberships.list",
    "organization_memberships.update",
    "organization_memberships.delete",
    "organization_invitations.create",
    "organization_invitations.list",
    "organization_invitations.get",
    "organization_invitations.revoke",
    "organizations.delete",
    "sessions.list",
    "sessions.get",
    "sessions.revoke",
    "invitations.create",
    "invitations.list",
    "invitations.revoke",
    "allowlist_identifiers.create",
    "allowlist_identifiers.list",
    "allowlist_identifiers.delete",
    "blocklist_identifiers.create",
    "blocklist_identifiers.list",
    "blocklist_identifiers.delete",
    "jwt_templates.list",
    "jwt_templates.get",
    "actor_tokens.create",
    "actor_tokens.revoke",
    "users.delete",
];

fn run_sdk(url: &str, key: &str) -> Value {
    let base = Path::new(env!("CARGO_TARGET_TMPDIR"));
    let library =
        workspace_tests::pip::install(base, "clerk-backend-api", REQUIREMENTS, "clerk_backend_api/__init__.py");
    let mut child = Command::new("python3")
        .arg("-c")
        .arg(SCRIPT)
        .env("PYTHONPATH", library)
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .env("PYTHONNOUSERSITE", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("python3 runs");
    child.stdin.take().unwrap().write_all(json!({"url": url, "key": key}).to_string().as_bytes()).unwrap();
    let output = child.wait_with_output().unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "the SDK run stopped:\n{stderr}\n{stdout}");
    serde_json::from_str(&stdout).unwrap_or_else(|err| panic!("not JSON ({err}): {stdout}\n{stderr}"))
}

#[tokio::test(flavor = "multi_thread")]
async fn clerks_python_sdk_is_a_client_of_the_stand_in() {
    let standin = StandIn::start_with_demo_data(DEMO_SECRET_KEY).await.unwrap();
    standin.record_exchanges();
    let url = standin.base_url();
    let report = tokio::task::spawn_blocking(move || run_sdk(&url, DEMO_SECRET_KEY)).await.unwrap();

    let calls = report["calls"].as_array().unwrap();
    for call in calls {
        println!("{} {}", call["name"].as_str().unwrap(), if call["success"] == true { "ok" } else { "FAILED" });
    }
    let failed: Vec<String> = calls
        .iter()
        .filter(|call| call["success"] != true)
        .map(|call| format!("{}: {}", call["name"], call["error"]))
        .collect();
    assert!(failed.is_empty(), "calls of the SDK failed:\n{}", failed.join("\n"));
    let names: Vec<&str> = calls.iter().map(|call| call["name"].as_str().unwrap()).collect();
    assert_eq!(names, CALLS);

    // What the SDK read, field by field where the call changes something.
    let answer = |name: &str| -> &Value {
        let index = CALLS.iter().position(|call| *call == name).unwrap();
        &calls[index]["answer"]
    };
    let usernames: Vec<&str> =
        answer("users.list").as_array().unwrap().iter().map(|user| user["username"].as_str().unwrap()).collect();
    assert_eq!(usernames, ["ada", "alan", "grace"]);
    assert_eq!(answer("users.count")["total_count"], 3);
    assert_eq!(answer("users.get")["username"], "ada");
    assert_eq!(answer("users.get")["email_addresses"][0]["verification"]["object"], "verification_admin");
    let created = answer("users.create");
    assert_eq!(
        (&created["username"], &created["create_organizations_limit"], &created["password_enabled"]),
        (&json!("python_sdk"), &json!(2), &json!(true))
    );
    assert_eq!(answer("users.update")["last_name"], "Thon");
    assert_eq!(answer("users.update_metadata")["public_metadata"], json!({"source": "sdk", "plan": "pro"}));
    assert_eq!(answer("users.replace_metadata")["private_metadata"], json!({"crm": 7}));
    assert_eq!((&answer("users.ban")["banned"], &answer("users.unban")["banned"]), (&json!(true), &json!(false)));
    assert_eq!((&answer("users.lock")["locked"], &answer("users.unlock")["locked"]), (&json!(true), &json!(false)));
    assert_eq!(answer("users.get_o_auth_access_token")[0]["provider"], "oauth_google");
    assert_eq!(answer("organizations.list")["total_count"], 2);
    assert_eq!(answer("organizations.list")["data"][0]["members_count"], 2);
    assert_eq!(answer("organizations.get")["slug"], "analytical-engine");
    assert_eq!(answer("organizations.update")["name"], "SDK Org Ltd");
    assert_eq!(answer("organizations.merge_metadata")["public_metadata"], json!({"tier": 1}));
    assert_eq!(answer("organization_memberships.list")["total_count"], 2);
    assert_eq!(answer("organization_memberships.update")["role"], "org:admin");
    assert_eq!(answer("organization_invitations.revoke")["status"], "revoked");
    assert_eq!(answer("organizations.delete")["deleted"], true);
    assert_eq!(answer("sessions.revoke")["status"], "revoked");
    assert_eq!(answer("invitations.revoke")["status"], "revoked");
    assert_eq!(answer("blocklist_identifiers.list")["total_count"], 1);
    assert_eq!(answer("jwt_templates.get")["object"], "jwt_template");
    assert_eq!(answer("actor_tokens.revoke")["status"], "revoked");
    assert_eq!(answer("users.delete")["deleted"], true);

    // And what the stand-in answered the SDK follows the document.
    let exchanges = standin.take_exchanges();
    assert_eq!(exchanges.len(), CALLS.len(), "one request per call");
    let verdict =
        tokio::task::spawn_blocking(move || document::check(&exchanges, Path::new(env!("CARGO_TARGET_TMPDIR"))))
            .await
            .unwrap();
    verdict.assert_valid();
}
