//! `clerk-tools session verify` from the outside: a token in (argument or stdin), the verdict as
//! JSON on stdout, the exit status, against a stand-in that minted the token.

use std::io::Write;
use std::process::{Command, Output, Stdio};

use clerk_standin::StandIn;
use serde_json::{Value, json};

/// A key distinctive enough that finding it in any output can only be a leak.
const KEY: &str = "sk_test_session_leakcheck_5e1d07c2";

struct Api {
    standin: StandIn,
    runtime: tokio::runtime::Runtime,
}

impl Api {
    fn start() -> Api {
        let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().unwrap();
        let standin = runtime.block_on(StandIn::start_with_demo_data(KEY)).unwrap();
        Api { standin, runtime }
    }

    /// Ada's claims, valid for a minute, with `changes`, signed by the stand-in.
    fn token(&self, changes: Value) -> (String, Value) {
        let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64;
        let mut claims =
            json!({"sub": "user_ada", "sid": "sess_ada", "iat": now, "nbf": now - 10, "exp": now + 60, "v": 2});
        for (name, value) in changes.as_object().unwrap() {
            claims[name] = value.clone();
        }
        (self.standin.sign_session_token(&claims), claims)
    }

    /// A token minted through the Backend API for one of the demo sessions.
    fn minted(&self) -> String {
        let url = self.standin.base_url();
        self.runtime.block_on(async {
            let client = clerk_api::Client::from_secret_key_with_base_url(KEY, &url).unwrap();
            let users = client.get_user_list().username(vec!["grace".to_owned()]).send().await.unwrap().into_inner();
            let user_id = users.into_iter().next().unwrap().id.unwrap();
            let sessions =
                client.get_session_list().user_id(user_id).status("active").send().await.unwrap().into_inner();
            let session_id = sessions.into_iter().next().unwrap().id.unwrap();
            let body = clerk_api::types::CreateSessionTokenBody { expires_in_seconds: None };
            let token = client.create_session_token().session_id(session_id).body(body).send().await.unwrap();
            token.into_inner().jwt.unwrap()
        })
    }
}

/// Runs the program with only the given Clerk variables set, feeding `stdin`, and checks that
/// the key appears nowhere in what it printed.
fn run(args: &[&str], env: &[(&str, &str)], stdin: &str) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_clerk-tools"));
    command.args(args);
    for name in ["CLERK_SECRET_KEY", "CLERK_API_URL", "CLERK_JWT_KEY"] {
        command.env_remove(name);
    }
    command.envs(env.iter().copied());
    let mut child = command.stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    child.stdin.take().unwrap().write_all(stdin.as_bytes()).unwrap();
    let output = child.wait_with_output().unwrap();
    for text in [&output.stdout, &output.stderr] {
        assert!(!String::from_utf8_lossy(text).contains(KEY), "the key was printed by {args:?}");
    }
    output
}

fn stdout_json(output: &Output) -> Value {
    serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|err| panic!("{err}: {}", String::from_utf8_lossy(&output.stdout)))
}

#[test]
fn a_valid_token_prints_the_session_and_exits_0() {
    let api = Api::start();
    let url = api.standin.base_url();
    let jwks = [("CLERK_SECRET_KEY", KEY), ("CLERK_API_URL", url.as_str())];
    let (token, claims) = api.token(json!({"azp": "https://app.example.com"}));

    let output = run(&["session", "verify", &token], &jwks, "");
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    assert_eq!(
        stdout_json(&output),
        json!({"valid": true, "userId": "user_ada", "sessionId": "sess_ada", "claims": claims})
    );

    // From stdin, with an authorized party, with the key given as CLERK_JWT_KEY on one line
    // with literal \n, as .env files hold it.
    let pem = api.standin.jwt_public_key_pem().replace('\n', "\\n");
    let args = [
        "session",
        "verify",
        "--authorized-party",
        "https://other.example",
        "--authorized-party",
        "https://app.example.com",
        "-",
    ];
    let output = run(&args, &[("CLERK_JWT_KEY", &pem)], &format!("{token}\n"));
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    assert_eq!(stdout_json(&output)["userId"], "user_ada");
    assert_eq!(api.standin.request_count("GET", "/v1/jwks"), 1, "only the first run fetched the JWKS");

    let minted = api.minted();
    let output = run(&["session", "verify", &minted], &jwks, "");
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(stdout_json(&output)["claims"]["sts"], "active");
}

#[test]
fn a_refused_token_prints_the_reason_and_exits_1() {
    let api = Api::start();
    let pem = api.standin.jwt_public_key_pem();
    let env = [("CLERK_JWT_KEY", pem.as_str())];
    let (expired, _) = api.token(json!({"exp": 1_700_000_000, "iat": 1_699_999_000, "nbf": 1_699_999_000}));
    let output = run(&["session", "verify", &expired], &env, "");
    assert_eq!(output.status.code(), Some(1));
    let verdict = stdout_json(&output);
    assert_eq!(verdict["valid"], false);
    assert_eq!(verdict["reason"], "token-expired");
    assert!(
        verdict["message"].as_str().unwrap().starts_with("the token expired at 1700000000 (Unix time), "),
        "{verdict}"
    );
    assert_eq!(verdict.as_object().unwrap().len(), 3);

    let (token, _) = api.token(json!({}));
    let output = run(&["session", "verify", "--authorized-party", "https://app.example.com", &token], &env, "");
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        stdout_json(&output),
        json!({
            "valid": false,
            "reason": "token-invalid-authorized-parties",
            "message": "the token has no authorized party (azp), and authorized parties are required"
        })
    );

    let output = run(&["session", "verify", "-"], &env, "not a token");
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(stdout_json(&output)["reason"], "token-invalid");

    // The instance cannot be asked for its keys: a wrong secret key.
    let url = api.standin.base_url();
    let output =
        run(&["session", "verify", &token], &[("CLERK_SECRET_KEY", "sk_test_wrong"), ("CLERK_API_URL", &url)], "");
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(stdout_json(&output)["reason"], "jwk-remote-failed-to-load");
}

#[test]
fn no_usable_key_or_bad_arguments_exit_2() {
    let output = run(&["session", "verify", "x.y.z"], &[], "");
    assert_eq!(output.status.code(), Some(2));
    assert!(output.stdout.is_empty());
    assert_eq!(
        String::from_utf8_lossy(&output.stderr),
        "error: set CLERK_JWT_KEY (the instance's PEM public key) or CLERK_SECRET_KEY (to fetch the instance's JWKS)\n"
    );

    let output = run(
        &["session", "verify", "x.y.z"],
        &[("CLERK_JWT_KEY", "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----")],
        "",
    );
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&output.stderr),
        "error: CLERK_JWT_KEY: the PEM does not hold a public key (expected -----BEGIN PUBLIC KEY-----)\n"
    );

    let output = run(&["session", "verify", "--authorized-party"], &[], "");
    assert_eq!(output.status.code(), Some(2));
    let output = run(&["session", "verify", "a", "b"], &[], "");
    assert_eq!(output.status.code(), Some(2));
}
