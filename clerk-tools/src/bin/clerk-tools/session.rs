//! `clerk-tools session verify`: checks a Clerk session token as a backend would, with
//! clerk-auth, and prints the verdict as JSON.
//!
//! The key comes from `CLERK_JWT_KEY` (networkless), else the instance's JWKS is fetched with
//! `CLERK_SECRET_KEY` from `CLERK_API_URL`. stdout gets one JSON document: `{"valid": true,
//! "userId", "sessionId", "claims"}` (exit 0) or `{"valid": false, "reason", "message"}`
//! (exit 1). Without a key, or with a key that cannot be used, nothing is verified: one
//! `error:` line on stderr, exit 2.

use std::io::{IsTerminal, Read};
use std::process::ExitCode;

use clap::{Args, Subcommand};
use clerk_auth::Verifier;
use serde_json::json;

use crate::{EXIT_API_ERROR, EXIT_INVALID_INPUT, EXIT_OK, pretty, print_stdout, runtime};

#[derive(Args)]
pub struct SessionArgs {
    #[command(subcommand)]
    command: SessionCommand,
}

#[derive(Subcommand)]
enum SessionCommand {
    /// Verify a session token (CLERK_JWT_KEY, or the JWKS with CLERK_SECRET_KEY and
    /// CLERK_API_URL) and print the session as JSON
    #[command(after_help = "Exit status: 0 valid, 1 refused (the reason on stdout), 2 no usable key or bad arguments.")]
    Verify(VerifyArgs),
}

#[derive(Args)]
struct VerifyArgs {
    /// Accept only tokens whose azp is this origin (repeat for several), e.g.
    /// https://app.example.com
    #[arg(long = "authorized-party", value_name = "URL")]
    authorized_parties: Vec<String>,
    /// The session token, or - (the default) to read it from stdin
    #[arg(value_name = "TOKEN | -", default_value = "-")]
    token: String,
}

pub fn run(args: SessionArgs) -> ExitCode {
    match args.command {
        SessionCommand::Verify(args) => verify(args),
    }
}

fn verify(args: VerifyArgs) -> ExitCode {
    let verifier = match Verifier::from_env() {
        Ok(verifier) => verifier.authorized_parties(args.authorized_parties),
        Err(error) => {
            eprintln!("error: {error}");
            return ExitCode::from(EXIT_INVALID_INPUT);
        }
    };
    let token = if args.token == "-" {
        let mut text = String::new();
        if std::io::stdin().is_terminal() {
            eprintln!("reading the session token from stdin (end it with Ctrl-D)...");
        }
        // The largest token accepted, and a little more, so that a larger one is reported as
        // too large rather than read whole.
        let limit = (clerk_auth::MAX_TOKEN_BYTES + 1024) as u64;
        if let Err(error) = std::io::stdin().take(limit).read_to_string(&mut text) {
            eprintln!("error: cannot read the token from stdin: {error}");
            return ExitCode::from(EXIT_INVALID_INPUT);
        }
        text.trim().to_owned()
    } else {
        args.token.trim().to_owned()
    };
    let runtime = match runtime() {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("error: cannot start the async runtime: {error}");
            return ExitCode::from(EXIT_API_ERROR);
        }
    };
    match runtime.block_on(verifier.verify(&token)) {
        Ok(session) => {
            let output = json!({
                "valid": true,
                "userId": session.user_id,
                "sessionId": session.session_id,
                "claims": session.claims(),
            });
            print_stdout(&format!("{}\n", pretty(&output)));
            ExitCode::from(EXIT_OK)
        }
        Err(error) => {
            let output = json!({"valid": false, "reason": error.reason(), "message": error.to_string()});
            print_stdout(&format!("{}\n", pretty(&output)));
            ExitCode::from(EXIT_API_ERROR)
        }
    }
}
