//! `clerk-tools webhook verify`: checks a Clerk webhook as an endpoint would, and prints the
//! event it carries.
//!
//! The body comes on stdin, byte for byte; the `svix-*` headers come from `--header`; the
//! secret comes from `CLERK_WEBHOOK_SIGNING_SECRET` only, so that it never appears in the
//! process list. stdout always gets one JSON document: the decoded event (`type`, `object`,
//! `data`, ...), or the error object `{"success": false, "error": ..., "kind": ...}`; on
//! failure stderr also gets one `error: ...` line and the status is 2. Nothing printed ever
//! contains the secret.

use std::io::{IsTerminal, Read};
use std::process::ExitCode;
use std::time::Duration;

use clap::{Args, Subcommand};
use clerk_tools::SecretKey;
use clerk_webhooks::{SIGNING_SECRET_VAR, Webhook};
use serde_json::{Value, json};

use crate::config::{redact_json, redact_text};
use crate::{EXIT_INVALID_INPUT, EXIT_OK, pretty, print_stdout};

#[derive(Args)]
pub struct WebhookArgs {
    #[command(subcommand)]
    command: WebhookCommand,
}

#[derive(Subcommand)]
enum WebhookCommand {
    /// Verify a webhook (body on stdin, headers from --header, secret from
    /// CLERK_WEBHOOK_SIGNING_SECRET) and print its event as JSON
    #[command(
        after_help = "Example:\n  clerk-tools webhook verify -H 'svix-id: msg_...' -H 'svix-timestamp: 1716883200' \\\n    \
                            -H 'svix-signature: v1,...' < body.json\n\nExit status: 0 verified, 2 refused \
                            (error JSON on stdout)."
    )]
    Verify(VerifyArgs),
}

#[derive(Args)]
struct VerifyArgs {
    /// A request header as `name: value`, e.g. 'svix-id: msg_...' (repeat for svix-timestamp
    /// and svix-signature)
    #[arg(long = "header", short = 'H', value_name = "NAME: VALUE")]
    headers: Vec<String>,
    /// How far the timestamp may be from now, in seconds, either way
    #[arg(long, value_name = "SECONDS", default_value_t = clerk_webhooks::DEFAULT_TOLERANCE.as_secs())]
    tolerance: u64,
}

pub fn run(args: WebhookArgs) -> ExitCode {
    match args.command {
        WebhookCommand::Verify(args) => verify(args),
    }
}

fn verify(args: VerifyArgs) -> ExitCode {
    let secret = std::env::var(SIGNING_SECRET_VAR).unwrap_or_default();
    // The secret with and without its prefix: neither may be printed. (A bare part too short
    // to be a real key would only mangle the output.)
    let bare = secret.trim().trim_start_matches("whsec_");
    let redact: Vec<SecretKey> =
        [secret.trim()].into_iter().chain((bare.len() >= 16).then_some(bare)).map(SecretKey::new).collect();
    if secret.trim().is_empty() {
        let message = format!("no webhook signing secret: set {SIGNING_SECRET_VAR} (whsec_...)");
        return fail(json!({"success": false, "error": message, "kind": "missing_secret"}), &redact);
    }
    let headers = match parse_headers(&args.headers) {
        Ok(headers) => headers,
        Err(message) => return fail(invalid_input(message), &redact),
    };
    let mut body = Vec::new();
    let mut stdin = std::io::stdin();
    if stdin.is_terminal() {
        // Otherwise a forgotten redirect looks like a hang.
        eprintln!("reading the webhook body from stdin (end it with Ctrl-D)...");
    }
    if let Err(err) = stdin.read_to_end(&mut body) {
        return fail(invalid_input(format!("cannot read stdin: {err}")), &redact);
    }
    let webhook = match Webhook::new(&secret) {
        Ok(webhook) => webhook.with_tolerance(Duration::from_secs(args.tolerance)),
        Err(err) => return fail(error_json(&err), &redact),
    };
    match webhook.verify(&headers, &body) {
        Ok(event) => {
            let event = serde_json::to_value(&event).unwrap_or(Value::Null);
            print_stdout(&format!("{}\n", pretty(&redact_json(event, &redact))));
            ExitCode::from(EXIT_OK)
        }
        Err(err) => fail(error_json(&err), &redact),
    }
}

/// `name: value` pairs; the value may itself hold colons.
fn parse_headers(arguments: &[String]) -> Result<Vec<(String, String)>, String> {
    arguments
        .iter()
        .map(|argument| match argument.split_once(':') {
            Some((name, value)) if !name.trim().is_empty() => Ok((name.trim().to_string(), value.trim().to_string())),
            _ => Err(format!("--header `{argument}` is not `name: value`")),
        })
        .collect()
}

fn invalid_input(message: String) -> Value {
    json!({"success": false, "error": message, "kind": "invalid_input"})
}

fn error_json(err: &clerk_webhooks::Error) -> Value {
    json!({"success": false, "error": err.to_string(), "kind": err.kind()})
}

/// Prints the error JSON, one line on stderr, and exits 2.
fn fail(output: Value, redact: &[SecretKey]) -> ExitCode {
    let output = redact_json(output, redact);
    print_stdout(&format!("{}\n", pretty(&output)));
    let message = output["error"].as_str().unwrap_or("the webhook was refused");
    let line: Vec<&str> = message.split_whitespace().collect();
    eprintln!("error: {}", redact_text(&line.join(" "), redact));
    ExitCode::from(EXIT_INVALID_INPUT)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_split_at_the_first_colon() {
        let parsed = parse_headers(&["svix-id: msg_1".to_string(), "X-Note:a:b ".to_string()]).unwrap();
        assert_eq!(parsed, [("svix-id".to_string(), "msg_1".to_string()), ("X-Note".to_string(), "a:b".to_string())]);
        assert!(parse_headers(&["no colon".to_string()]).is_err());
        assert!(parse_headers(&[": value".to_string()]).is_err());
    }
}
