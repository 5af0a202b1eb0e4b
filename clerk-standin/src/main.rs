//! `clerk-standin`: the local in-memory stand-in of Clerk's Backend API, for trying the
//! workspace's programs and crates without a Clerk account.
//!
//! The two lines it prints first are in `NAME=value` form so that a script can read them into
//! its environment; everything else goes to stderr.
//!
//! With `--webhook-url`, the stand-in also sends signed webhooks (`user.created`, ...) for what
//! its endpoints do to that local endpoint, and reports each delivery on stderr.

use std::io::Write;
use std::net::{Ipv4Addr, SocketAddr};
use std::process::ExitCode;

use clap::Parser;
use clerk_api::{API_URL_VAR, SECRET_KEY_VAR};
use clerk_standin::{DEMO_SECRET_KEY, StandIn, WebhookDelivery};
use clerk_webhooks::SIGNING_SECRET_VAR;

/// The stand-in could not start.
const EXIT_FAILED: u8 = 1;
/// The command line or the environment asks for something the stand-in cannot do.
const EXIT_USAGE: u8 = 2;

/// A local, in-memory stand-in for Clerk's Backend API, with demo users, organizations and
/// sessions. It prints CLERK_API_URL and CLERK_SECRET_KEY for the programs to try against it.
#[derive(Parser)]
#[command(name = "clerk-standin", version)]
struct Args {
    /// Port to listen on, on 127.0.0.1 (0 picks a free one)
    #[arg(long, default_value_t = 0)]
    port: u16,
    /// Start empty instead of with the demo users, organizations and sessions
    #[arg(long)]
    no_demo_data: bool,
    /// Send signed webhooks for the events the endpoints cause to this http:// URL
    #[arg(long, value_name = "URL")]
    webhook_url: Option<String>,
    /// The endpoint's signing secret, whsec_... [default: $CLERK_WEBHOOK_SIGNING_SECRET,
    /// which other users of the machine cannot read in the process list]
    #[arg(long, value_name = "SECRET")]
    webhook_secret: Option<String>,
}

fn main() -> ExitCode {
    let args = Args::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(runtime) => runtime,
        Err(err) => {
            eprintln!("error: cannot start the async runtime: {err}");
            return ExitCode::from(EXIT_FAILED);
        }
    };
    runtime.block_on(serve(args))
}

async fn serve(args: Args) -> ExitCode {
    // Loopback only: the stand-in's authentication is a public demo key.
    let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, args.port));
    let standin = match StandIn::start_on(addr, DEMO_SECRET_KEY, !args.no_demo_data).await {
        Ok(standin) => standin,
        Err(err) => {
            eprintln!("error: cannot listen on {addr}: {err}");
            return ExitCode::from(EXIT_FAILED);
        }
    };
    if let Some(url) = &args.webhook_url {
        if args.webhook_secret.is_some() {
            eprintln!(
                "warning: --webhook-secret puts the secret in the process list, where other users of this machine \
                 can read it; set {SIGNING_SECRET_VAR} instead"
            );
        }
        let secret = args.webhook_secret.clone().or_else(|| std::env::var(SIGNING_SECRET_VAR).ok()).unwrap_or_default();
        if secret.trim().is_empty() {
            eprintln!("error: --webhook-url needs a signing secret: set {SIGNING_SECRET_VAR} or pass --webhook-secret");
            return ExitCode::from(EXIT_USAGE);
        }
        match standin.send_webhooks(url, &secret) {
            Ok(mut deliveries) => {
                eprintln!("sending signed webhooks to {url}");
                tokio::spawn(async move {
                    while let Some(delivery) = deliveries.recv().await {
                        report(&delivery);
                    }
                });
            }
            Err(err) => {
                eprintln!("error: {err}");
                return ExitCode::from(EXIT_USAGE);
            }
        }
    }
    let base_url = standin.base_url();
    // The demo key is public (a constant of the stand-in), so printing it gives nothing away.
    // A reader that has gone away does not stop the server.
    let _ = writeln!(std::io::stdout().lock(), "{API_URL_VAR}={base_url}\n{SECRET_KEY_VAR}={}", standin.secret_key());
    print_token_hint(&standin, &base_url);
    eprintln!("Clerk stand-in listening on {}; press Ctrl-C to stop", standin.local_addr());
    shutdown_signal().await;
    standin.shutdown().await;
    ExitCode::SUCCESS
}

fn report(delivery: &WebhookDelivery) {
    match (&delivery.error, delivery.status) {
        (None, Some(status)) => {
            eprintln!("webhook {} ({}) delivered: {status}", delivery.event_type, delivery.message_id);
        }
        (error, _) => eprintln!(
            "webhook {} ({}) not delivered after {} attempts: {}",
            delivery.event_type,
            delivery.message_id,
            delivery.attempts,
            error.as_deref().unwrap_or("no answer")
        ),
    }
}

/// How to mint a session token, for trying session verification against the stand-in.
fn print_token_hint(standin: &StandIn, base_url: &str) {
    let (whose, session_id) = match standin.demo_session_id() {
        Some(id) => ("Ada's active session", id),
        None => ("a session", "{session_id}".to_owned()),
    };
    eprintln!(
        "A session token (valid for 10 minutes) for {whose}:\n  curl -s -X POST -H 'Authorization: Bearer {key}' \
         -H 'Content-Type: application/json' -d '{{\"expires_in_seconds\": 600}}' {base_url}/sessions/{session_id}/tokens\n\
         Verify its \"jwt\" with the variables above set: clerk-tools session verify <jwt>",
        key = standin.secret_key(),
    );
}

/// Ctrl-C, or SIGTERM from a service manager.
async fn shutdown_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        if let Ok(mut terminate) = signal(SignalKind::terminate()) {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = terminate.recv() => {}
            }
            return;
        }
    }
    let _ = tokio::signal::ctrl_c().await;
}
