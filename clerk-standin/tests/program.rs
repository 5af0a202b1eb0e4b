//! The `clerk-standin` program from the outside: arguments and environment in; stdout, stderr
//! and exit status out. Deliveries it sends are verified with clerk-webhooks, as a Clerk
//! application would. No output may contain the signing secret.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use clerk_webhooks::{Event, Webhook};
use serde_json::{Value, json};

/// A secret distinctive enough that finding it (or its base64 part) in any output is a leak.
const SECRET: &str = "whsec_bGVha2NoZWNrIHNpZ25pbmcgc2VjcmV0IDdmM2E5YzUxZTI=";
const SECRET_BASE64: &str = "bGVha2NoZWNrIHNpZ25pbmcgc2VjcmV0IDdmM2E5YzUxZTI=";

fn program() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_clerk-standin"));
    command.env_remove(clerk_webhooks::SIGNING_SECRET_VAR).stdin(Stdio::null());
    command
}

fn assert_no_secret(output: &str) {
    assert!(!output.contains(SECRET_BASE64), "the secret leaked: {output}");
}

/// A request as the receiver got it: headers (names in lower case) and body.
type Received = (Vec<(String, String)>, Vec<u8>);

/// A one-request-at-a-time HTTP receiver on 127.0.0.1: answers 204 and passes on each request.
fn receiver() -> (String, mpsc::Receiver<Received>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/webhooks", listener.local_addr().unwrap());
    let (sender, requests) = mpsc::channel();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { return };
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut headers = Vec::new();
            let mut line = String::new();
            reader.read_line(&mut line).unwrap();
            loop {
                line.clear();
                if reader.read_line(&mut line).unwrap() == 0 || line.trim().is_empty() {
                    break;
                }
                if let Some((name, value)) = line.split_once(':') {
                    headers.push((name.trim().to_lowercase(), value.trim().to_string()));
                }
            }
            let length = headers.iter().find(|(n, _)| n == "content-length").map_or(0, |(_, v)| v.parse().unwrap());
            let mut body = vec![0; length];
            reader.read_exact(&mut body).unwrap();
            stream.write_all(b"HTTP/1.1 204 No Content\r\nconnection: close\r\n\r\n").unwrap();
            if sender.send((headers, body)).is_err() {
                return;
            }
        }
    });
    (url, requests)
}

/// The running program, ended when the test ends, however it ends.
struct Server {
    child: Child,
    /// The `NAME=value` lines it printed first.
    environment: Vec<(String, String)>,
    /// Its stderr, line by line, as it comes.
    stderr: mpsc::Receiver<String>,
}

impl Server {
    fn start(command: &mut Command) -> Server {
        let mut child = command.stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        let mut environment = Vec::new();
        for _ in 0..2 {
            let mut line = String::new();
            stdout.read_line(&mut line).unwrap();
            let (name, value) = line.trim().split_once('=').expect("NAME=value");
            environment.push((name.to_string(), value.to_string()));
        }
        let (sender, stderr) = mpsc::channel();
        let lines = BufReader::new(child.stderr.take().unwrap()).lines();
        std::thread::spawn(move || {
            for line in lines.map_while(Result::ok) {
                if sender.send(line).is_err() {
                    return;
                }
            }
        });
        Server { child, environment, stderr }
    }

    fn var(&self, name: &str) -> &str {
        self.environment.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str()).unwrap()
    }

    /// Stops the program once it has written `last` on stderr (or after 20 s), and returns
    /// what it wrote there.
    fn stop_after(mut self, last: &str) -> String {
        let mut stderr = String::new();
        while !stderr.contains(last) {
            match self.stderr.recv_timeout(Duration::from_secs(20)) {
                Ok(line) => {
                    stderr.push_str(&line);
                    stderr.push('\n');
                }
                Err(_) => break,
            }
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
        stderr.extend(self.stderr.try_iter().map(|line| line + "\n"));
        stderr
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A blocking request to the program's API, with its secret key.
fn request(server: &Server, method: &str, path: &str, body: Option<Value>) -> (u16, Value) {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    runtime.block_on(async {
        // reqwest's rustls has no crypto provider in this workspace; the application picks one.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let client = reqwest::Client::new();
        let url = format!("{}{path}", server.var("CLERK_API_URL"));
        let mut request = client.request(method.parse().unwrap(), url).bearer_auth(server.var("CLERK_SECRET_KEY"));
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.unwrap();
        let status = response.status().as_u16();
        (status, response.json().await.unwrap())
    })
}

/// The first two lines name the API and the key; the demo data is there, and the hint on stderr
/// mints a token for a session that exists.
#[test]
fn it_prints_its_environment_and_serves_the_demo_data() {
    let server = Server::start(program().args(["--port", "0"]));
    let url = server.var("CLERK_API_URL").to_string();
    assert!(url.starts_with("http://127.0.0.1:") && url.ends_with("/v1"), "{url}");
    assert_eq!(server.var("CLERK_SECRET_KEY"), clerk_standin::DEMO_SECRET_KEY);
    let (status, users) = request(&server, "GET", "/users?username=ada", None);
    assert_eq!(status, 200);
    assert_eq!(users[0]["username"], "ada");

    let (status, sessions) =
        request(&server, "GET", &format!("/sessions?user_id={}&status=active", users[0]["id"].as_str().unwrap()), None);
    assert_eq!(status, 200);
    let session_id = sessions[0]["id"].as_str().unwrap().to_string();
    let (status, token) =
        request(&server, "POST", &format!("/sessions/{session_id}/tokens"), Some(json!({"expires_in_seconds": 600})));
    assert_eq!(status, 200);
    assert!(token["jwt"].as_str().unwrap().starts_with("eyJ"), "{token}");

    let stderr = server.stop_after("Clerk stand-in listening on");
    assert!(stderr.contains(&format!("{url}/sessions/{session_id}/tokens")), "{stderr}");
    assert!(stderr.contains("Ada's active session"), "{stderr}");
    assert!(stderr.contains("Clerk stand-in listening on 127.0.0.1:"), "{stderr}");
}

#[test]
fn without_demo_data_it_starts_empty() {
    let server = Server::start(program().args(["--no-demo-data"]));
    let (status, users) = request(&server, "GET", "/users", None);
    assert_eq!((status, users), (200, json!([])));
    let stderr = server.stop_after("Clerk stand-in listening on");
    assert!(stderr.contains("for a session:") && stderr.contains("/sessions/{session_id}/tokens"), "{stderr}");
}

/// A user created through the API arrives as a signed `user.created` that verifies.
#[test]
fn it_delivers_webhooks_that_verify() {
    let (url, requests) = receiver();
    let server = Server::start(program().args(["--no-demo-data", "--webhook-url", &url, "--webhook-secret", SECRET]));
    let (status, user) =
        request(&server, "POST", "/users", Some(json!({"email_address": ["ada@example.com"], "first_name": "Ada"})));
    assert_eq!(status, 200, "{user}");

    let (headers, body) = requests.recv_timeout(Duration::from_secs(20)).expect("a webhook arrives");
    let event = Webhook::new(SECRET).unwrap().verify(&headers, &body).expect("the delivery verifies");
    assert_eq!(event.event_type, "user.created");
    let Event::UserCreated(created) = event.data else { panic!("not a user: {:?}", event.data) };
    assert_eq!(created.id.as_deref(), user["id"].as_str());
    assert_eq!(created.first_name.as_deref(), Some("Ada"));

    let stderr = server.stop_after("webhook user.created (msg_");
    assert_no_secret(&stderr);
    assert!(stderr.contains(&format!("sending signed webhooks to {url}")), "{stderr}");
    assert!(stderr.contains("webhook user.created (msg_"), "{stderr}");
    // The secret was an argument, which every user of the machine can read.
    assert!(
        stderr.contains("warning: --webhook-secret puts the secret in the process list")
            && stderr.contains(clerk_webhooks::SIGNING_SECRET_VAR),
        "{stderr}"
    );
}

#[test]
fn it_refuses_webhooks_it_cannot_sign_or_send() {
    let output = program().args(["--webhook-url", "http://127.0.0.1:9/hook"]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("--webhook-secret"));

    let output =
        program().args(["--webhook-url", "https://example.com/hook", "--webhook-secret", SECRET]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert_no_secret(&String::from_utf8_lossy(&output.stdout));
    assert_no_secret(&String::from_utf8_lossy(&output.stderr));

    // A secret too short to be one Clerk issued is refused before anything is sent.
    let output = program()
        .args(["--webhook-url", "http://127.0.0.1:9/hook"])
        .env(clerk_webhooks::SIGNING_SECRET_VAR, "whsec_b3RoZXIgc2VjcmV0")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("12 bytes long and needs at least 24"), "{stderr}");
    assert!(!stderr.contains("b3RoZXIgc2VjcmV0") && !stderr.contains("process list"), "{stderr}");
}

#[test]
fn a_mistyped_flag_gets_a_suggestion_and_exit_2() {
    let output = program().args(["--no-demo"]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("--no-demo-data"), "{stderr}");
}
