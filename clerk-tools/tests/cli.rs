//! The `clerk-tools` program from the outside: arguments in, stdout, stderr and exit status
//! out, against a stand-in of Clerk's API started by each test.

use std::io::Write;
use std::net::TcpListener;
use std::process::{Command, Output, Stdio};

use clerk_standin::StandIn;
use clerk_tools::{TOOL_NAMES, ToolSelection};
use serde_json::Value;

/// A key distinctive enough that finding it in any output can only be a leak.
const KEY: &str = "sk_test_cli_leakcheck_7f3a9c51e2";
/// A wrong key, just as distinctive.
const WRONG_KEY: &str = "sk_test_cli_wrongkey_0b8d44e61f";

/// A stand-in with the demo data, served by its own runtime while the test blocks on the
/// program. Field order matters: the stand-in stops before its runtime goes away.
struct Api {
    standin: StandIn,
    _runtime: tokio::runtime::Runtime,
}

impl Api {
    fn start() -> Api {
        let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().unwrap();
        let standin = runtime.block_on(StandIn::start_with_demo_data(KEY)).unwrap();
        Api { standin, _runtime: runtime }
    }

    fn url(&self) -> String {
        self.standin.base_url()
    }
}

/// Runs the program with only the given Clerk variables set, feeding `stdin`, and checks
/// that neither key appears in what it printed.
fn run(args: &[&str], env: &[(&str, &str)], stdin: &str) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_clerk-tools"));
    command.args(args).env_remove("CLERK_SECRET_KEY").env_remove("CLERK_API_URL");
    for (name, value) in env {
        command.env(name, value);
    }
    let mut child = command.stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    let mut pipe = child.stdin.take().unwrap();
    pipe.write_all(stdin.as_bytes()).unwrap();
    drop(pipe);
    let output = child.wait_with_output().unwrap();
    for text in [&output.stdout, &output.stderr] {
        let text = String::from_utf8_lossy(text);
        for key in [KEY, WRONG_KEY] {
            assert!(!text.contains(key), "a secret key was printed by {args:?}:\n{text}");
        }
    }
    output
}

fn stdout_json(output: &Output) -> Value {
    serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|err| panic!("stdout is not JSON ({err}): {}", String::from_utf8_lossy(&output.stdout)))
}

fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).unwrap()
}

/// Asserts a failure: the status, the error JSON on stdout, one `error:` line on stderr.
fn assert_failure(output: &Output, status: i32, kind: &str) -> Value {
    assert_eq!(output.status.code(), Some(status), "stderr: {}", stderr(output));
    let json = stdout_json(output);
    assert_eq!(json["success"], false);
    assert_eq!(json["kind"], kind, "{json}");
    let stderr = stderr(output);
    assert_eq!(stderr.lines().count(), 1, "stderr: {stderr}");
    assert!(stderr.starts_with("error: "), "stderr: {stderr}");
    json
}

fn emails(output: &Value) -> Vec<String> {
    let users = output["users"].as_array().expect("users");
    users
        .iter()
        .map(|user| user["emailAddresses"][0]["emailAddress"].as_str().unwrap_or_default().to_string())
        .collect()
}

/// The names `list ARGS` prints, checking each line's description.
fn listed(args: &[&str]) -> Vec<String> {
    let output = run(args, &[], "");
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let text = String::from_utf8(output.stdout).unwrap();
    text.lines()
        .map(|line| {
            let (listed, description) = line.split_once("  ").expect("name, two spaces, description");
            assert_eq!(description, clerk_tools::find_tool(listed).unwrap().description);
            listed.to_string()
        })
        .collect()
}

#[test]
fn list_prints_every_tool() {
    assert_eq!(listed(&["list"]), TOOL_NAMES);
}

#[test]
fn list_takes_the_selection_of_mcp() {
    let names = |selection: ToolSelection| -> Vec<String> {
        selection.resolve().unwrap().iter().map(|tool| tool.name.to_string()).collect()
    };
    let read_only = listed(&["list", "--read-only"]);
    assert_eq!(read_only, names(ToolSelection::all().read_only(true)));
    assert!(!read_only.is_empty() && read_only.len() < TOOL_NAMES.len());
    assert!(read_only.iter().all(|name| clerk_tools::find_tool(name).unwrap().nature.read_only));

    let by_name = listed(&["list", "--tools", "clerk_get_*,clerk_list_users"]);
    assert_eq!(by_name, names(ToolSelection::all().patterns("clerk_get_*,clerk_list_users")));
    assert!(by_name.iter().all(|name| name.starts_with("clerk_get_") || name == "clerk_list_users"));
    assert!(by_name.contains(&"clerk_list_users".to_string()) && by_name.contains(&"clerk_get_user".to_string()));
    // Repeated --tools add up; --read-only narrows what they select.
    let both = listed(&["list", "--read-only", "--tools", "*_user", "--tools", "clerk_get_*,*_session"]);
    assert_eq!(both, names(ToolSelection::all().read_only(true).patterns("*_user,clerk_get_*,*_session")));
    assert!(both.contains(&"clerk_get_session".to_string()) && !both.contains(&"clerk_delete_user".to_string()));

    // Read-only leaves out the tools that hand out credentials, unless they are allowed.
    let credentials: Vec<String> =
        clerk_tools::tools().iter().filter(|tool| tool.returns_credentials).map(|tool| tool.name.to_string()).collect();
    assert!(credentials.contains(&"clerk_get_user_oauth_token".to_string()), "{credentials:?}");
    assert!(read_only.iter().all(|name| !credentials.contains(name)), "{read_only:?}");
    let allowed = listed(&["list", "--read-only", "--allow-credentials"]);
    assert_eq!(allowed, names(ToolSelection::all().read_only(true).allow_credentials(true)));
    assert!(allowed.contains(&"clerk_get_user_oauth_token".to_string()) && allowed.len() > read_only.len());
    let output = run(&["list", "--allow-credentials"], &[], "");
    assert_eq!(output.status.code(), Some(2), "--allow-credentials means nothing without --read-only");
    assert!(stderr(&output).contains("--read-only"), "{}", stderr(&output));

    for (args, pattern) in [
        (&["list", "--read-only", "--tools", "clerk_get_user_oauth_token"][..], "`clerk_get_user_oauth_token`"),
        (&["list", "--tools", "clerk_list_users,clerk_fly_*"], "`clerk_fly_*`"),
        (&["list", "--read-only", "--tools", "clerk_delete_user"], "`clerk_delete_user`"),
        (&["list", "--tools", " , "], "empty"),
    ] {
        let output = run(args, &[], "");
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        assert!(output.stdout.is_empty());
        let stderr = stderr(&output);
        assert!(stderr.starts_with("error: ") && stderr.contains(pattern), "{stderr}");
    }
}

#[test]
fn schema_leaves_out_the_secret_key_unless_asked() {
    let output = run(&["schema", "clerk_get_user"], &[], "");
    assert_eq!(output.status.code(), Some(0));
    let schema = stdout_json(&output);
    assert!(schema["properties"]["userId"].is_object(), "{schema}");
    assert!(!schema.to_string().contains("secretKey"), "{schema}");

    let output = run(&["schema", "clerk_get_user", "--with-secret"], &[], "");
    assert_eq!(output.status.code(), Some(0));
    let schema = stdout_json(&output);
    assert!(schema["properties"]["secretKey"].is_object(), "{schema}");
    assert_eq!(schema, clerk_tools::find_tool("clerk_get_user").unwrap().input_schema);
}

#[test]
fn schema_of_an_unknown_tool_is_refused() {
    let output = run(&["schema", "clerk_fly"], &[], "");
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("clerk_fly"), "{}", stderr(&output));
}

#[test]
fn call_with_the_input_as_argument() {
    let api = Api::start();
    let url = api.url();
    let output = run(&["call", "clerk_list_users", "{}"], &[("CLERK_SECRET_KEY", KEY), ("CLERK_API_URL", &url)], "");
    assert_eq!(output.status.code(), Some(0), "stderr: {}", stderr(&output));
    assert!(output.stderr.is_empty(), "stderr: {}", stderr(&output));
    let json = stdout_json(&output);
    assert_eq!(json["success"], true);
    assert_eq!(json["totalCount"], 3);
    let mut emails = emails(&json);
    emails.sort();
    assert_eq!(emails, ["ada@example.com", "alan@example.com", "grace@example.com"]);
    assert_eq!(api.standin.request_count("GET", "/v1/users"), 1);
}

#[test]
fn call_reads_the_input_from_stdin() {
    let api = Api::start();
    let url = api.url();
    let env = [("CLERK_SECRET_KEY", KEY), ("CLERK_API_URL", url.as_str())];
    // `-` reads stdin.
    let output = run(&["call", "clerk_list_users", "-"], &env, r#"{"username": "grace"}"#);
    assert_eq!(output.status.code(), Some(0), "stderr: {}", stderr(&output));
    assert_eq!(emails(&stdout_json(&output)), ["grace@example.com"]);

    // So does no argument at all.
    let output = run(&["call", "clerk_list_users"], &env, r#"{"username": "alan"}"#);
    assert_eq!(output.status.code(), Some(0), "stderr: {}", stderr(&output));
    assert_eq!(emails(&stdout_json(&output)), ["alan@example.com"]);
}

#[test]
fn key_and_url_from_flags_or_from_the_input() {
    let api = Api::start();
    let url = api.url();
    let output = run(&["call", "clerk_list_organizations", "{}", "--secret-key", KEY, "--api-url", &url], &[], "");
    assert_eq!(output.status.code(), Some(0), "stderr: {}", stderr(&output));
    assert_eq!(stdout_json(&output)["totalCount"], 2);
    // A key in the arguments is in the process list for every user of the machine to read.
    assert_eq!(
        stderr(&output),
        "warning: --secret-key puts the secret in the process list, where other users of this machine can read it; \
         set CLERK_SECRET_KEY instead\n"
    );

    // Without a flag or variable, the input's own key is used.
    let input = format!(r#"{{"secretKey": "{KEY}"}}"#);
    let output = run(&["call", "clerk_list_organizations", &input], &[("CLERK_API_URL", &url)], "");
    assert_eq!(output.status.code(), Some(0), "stderr: {}", stderr(&output));
    assert_eq!(stdout_json(&output)["success"], true);

    // With both, the variable's key wins over the input's.
    let input = format!(r#"{{"secretKey": "{WRONG_KEY}"}}"#);
    let output =
        run(&["call", "clerk_list_organizations", &input], &[("CLERK_SECRET_KEY", KEY), ("CLERK_API_URL", &url)], "");
    assert_eq!(output.status.code(), Some(0), "stderr: {}", stderr(&output));
}

#[test]
fn invalid_input_exits_2_and_sends_nothing() {
    let api = Api::start();
    let url = api.url();
    let env = [("CLERK_SECRET_KEY", KEY), ("CLERK_API_URL", url.as_str())];
    let output = run(&["call", "clerk_get_user", r#"{"userId": "../admin"}"#], &env, "");
    let json = assert_failure(&output, 2, "invalid_input");
    assert_eq!(json["field"], "userId");
    assert!(stderr(&output).starts_with("error: invalid input `userId`: "), "{}", stderr(&output));
    assert_eq!(api.standin.request_count("GET", "/v1/users/{user_id}"), 0);

    let output = run(&["call", "clerk_get_user", "{\"userId\": "], &env, "");
    let json = assert_failure(&output, 2, "invalid_input");
    assert_eq!(json["field"], "input");
}

#[test]
fn unknown_tool_exits_2() {
    let output = run(&["call", "clerk_fly", "{}"], &[("CLERK_SECRET_KEY", KEY)], "");
    let json = assert_failure(&output, 2, "invalid_input");
    assert_eq!(json["error"], clerk_tools::unknown_tool("clerk_fly").to_string());
    // A near miss names the tool meant, before anything is read from stdin.
    let output = run(&["call", "clerk_list_user"], &[("CLERK_SECRET_KEY", KEY)], "");
    assert_failure(&output, 2, "invalid_input");
    assert!(stderr(&output).contains("did you mean `clerk_list_users`?"), "{}", stderr(&output));
}

#[test]
fn a_misspelled_subcommand_names_the_closest() {
    for (given, meant) in
        [("calll", "call"), ("lst", "list"), ("sesion", "session"), ("shema", "schema"), ("webhok", "webhook")]
    {
        let output = run(&[given, "clerk_list_users"], &[], "");
        assert_eq!(output.status.code(), Some(2), "{given}");
        let stderr = stderr(&output);
        assert!(stderr.contains(&format!("unrecognized subcommand '{given}'")), "{stderr}");
        assert!(stderr.contains(&format!("a similar subcommand exists: '{meant}'")), "{stderr}");
    }
}

#[test]
fn missing_key_exits_2_with_a_hint() {
    let api = Api::start();
    let url = api.url();
    let output = run(&["call", "clerk_list_users", "{}"], &[("CLERK_API_URL", &url)], "");
    // The library's one error for it, its kind and wording.
    let json = assert_failure(&output, 2, "config");
    assert_eq!(json["field"], "secretKey");
    assert_eq!(json["error"], clerk_tools::Error::MissingSecretKey.to_string());
    assert_eq!(stderr(&output), format!("error: {}\n", clerk_tools::Error::MissingSecretKey));
    assert!(stderr(&output).contains("CLERK_SECRET_KEY"));
    assert_eq!(api.standin.request_count("GET", "/v1/users"), 0);

    // A blank variable is no key either.
    let output = run(&["call", "clerk_list_users", "{}"], &[("CLERK_API_URL", &url), ("CLERK_SECRET_KEY", " ")], "");
    assert_failure(&output, 2, "config");
}

#[test]
fn wrong_key_exits_1() {
    let api = Api::start();
    let url = api.url();
    let output =
        run(&["call", "clerk_list_users", "{}"], &[("CLERK_SECRET_KEY", WRONG_KEY), ("CLERK_API_URL", &url)], "");
    let json = assert_failure(&output, 1, "unauthorized");
    assert_eq!(json["httpStatus"], 401);
}

#[test]
fn unreachable_api_exits_1() {
    // A port that was just free: nothing listens there.
    let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let url = format!("http://127.0.0.1:{port}/v1");
    let output = run(&["call", "clerk_list_users", "{}"], &[("CLERK_SECRET_KEY", KEY), ("CLERK_API_URL", &url)], "");
    assert_failure(&output, 1, "connection");
}

#[test]
fn a_bad_api_url_exits_2_naming_the_variable_or_flag() {
    let output = run(
        &["call", "clerk_list_users", "{}"],
        &[("CLERK_SECRET_KEY", KEY), ("CLERK_API_URL", "127.0.0.1:8787/v1")],
        "",
    );
    let error = assert_failure(&output, 2, "config");
    let message = error["error"].as_str().unwrap();
    assert!(message.contains("CLERK_API_URL `127.0.0.1:8787/v1` is not a URL"), "{message}");
    assert!(message.contains("http://127.0.0.1:8787/v1"), "the message shows a URL that works: {message}");
    let output = run(&["call", "clerk_list_users", "{}", "--api-url", "not-a-url"], &[("CLERK_SECRET_KEY", KEY)], "");
    let error = assert_failure(&output, 2, "config");
    assert!(error["error"].as_str().unwrap().contains("--api-url `not-a-url` is not a URL"), "{error}");
    let output = run(
        &["call", "clerk_list_users", "{}", "--api-url", "http://api.example.com/v1"],
        &[("CLERK_SECRET_KEY", KEY)],
        "",
    );
    let error = assert_failure(&output, 2, "config");
    assert!(error["error"].as_str().unwrap().contains("--allow-insecure-http"), "{error}");
}

#[test]
fn call_takes_a_timeout_and_a_rate_limit() {
    let api = Api::start();
    let output = run(
        &["call", "clerk_list_users", r#"{"limit": 1}"#, "--timeout", "5", "--rate-limit", "dev"],
        &[("CLERK_SECRET_KEY", KEY), ("CLERK_API_URL", &api.url())],
        "",
    );
    assert!(output.status.success(), "{}", stderr(&output));
    let output = run(&["call", "clerk_list_users", "{}", "--timeout", "0"], &[("CLERK_SECRET_KEY", KEY)], "");
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("is not a number of seconds"), "{}", stderr(&output));
    let output = run(
        &["call", "clerk_list_users", r#"{"limit": 1}"#, "--max-concurrent-requests", "1"],
        &[("CLERK_SECRET_KEY", KEY), ("CLERK_API_URL", &api.url())],
        "",
    );
    assert!(output.status.success(), "{}", stderr(&output));
    let output =
        run(&["call", "clerk_list_users", "{}", "--max-concurrent-requests", "0"], &[("CLERK_SECRET_KEY", KEY)], "");
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("--max-concurrent-requests"), "{}", stderr(&output));
}
