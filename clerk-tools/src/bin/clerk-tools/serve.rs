//! `clerk-tools serve`: the local in-memory stand-in of Clerk's Backend API, for trying the
//! tools (and `clerk-tools mcp`) without a Clerk account.
//!
//! The two lines it prints first are in `NAME=value` form so that a script can read them
//! into its environment; everything else goes to stderr.
//!
//! With `--webhook-url`, the stand-in also sends signed webhooks (`user.created`, ...) for
//! what its endpoints do to that local endpoint, and reports each delivery on stderr.

use std::net::{Ipv4Addr, SocketAddr};
use std::process::ExitCode;

use clap::Args;
use clerk_standin::{DEMO_SECRET_KEY, StandIn};

use crate::config::warn_secret_in_argv;
use crate::webhook::SIGNING_SECRET_VAR;
use crate::{EXIT_API_ERROR, EXIT_INVALID_INPUT, EXIT_OK, print_stdout, runtime, shutdown_signal};
use clerk_tools::{API_URL_VAR, SECRET_KEY_VAR};

#[derive(Args)]
pub struct ServeArgs {
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

pub fn run(args: ServeArgs) -> ExitCode {
    let runtime = match runtime() {
        Ok(runtime) => runtime,
        Err(err) => {
            eprintln!("error: cannot start the async runtime: {err}");
            return ExitCode::from(EXIT_API_ERROR);
        }
    };
    runtime.block_on(async {
        // Loopback only: the stand-in has no real authentication to speak of.
        let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, args.port));
        let standin = match StandIn::start_on(addr, DEMO_SECRET_KEY, !args.no_demo_data).await {
            Ok(standin) => standin,
            Err(err) => {
                eprintln!("error: cannot listen on {addr}: {err}");
                return ExitCode::from(EXIT_API_ERROR);
            }
        };
        if let Some(url) = &args.webhook_url {
            if args.webhook_secret.is_some() {
                warn_secret_in_argv("--webhook-secret", SIGNING_SECRET_VAR);
            }
            let secret =
                args.webhook_secret.clone().or_else(|| std::env::var(SIGNING_SECRET_VAR).ok()).unwrap_or_default();
            if secret.trim().is_empty() {
                eprintln!(
                    "error: --webhook-url needs a signing secret: pass --webhook-secret or set {SIGNING_SECRET_VAR}"
                );
                return ExitCode::from(EXIT_INVALID_INPUT);
            }
            match standin.send_webhooks(url, &secret) {
                Ok(mut deliveries) => {
                    eprintln!("sending signed webhooks to {url}");
                    tokio::spawn(async move {
                        while let Some(delivery) = deliveries.recv().await {
                            match (&delivery.error, delivery.status) {
                                (None, Some(status)) => eprintln!(
                                    "webhook {} ({}) delivered: {status}",
                                    delivery.event_type, delivery.message_id
                                ),
                                (error, _) => eprintln!(
                                    "webhook {} ({}) not delivered after {} attempts: {}",
                                    delivery.event_type,
                                    delivery.message_id,
                                    delivery.attempts,
                                    error.as_deref().unwrap_or("no answer")
                                ),
                            }
                        }
                    });
                }
                Err(err) => {
                    eprintln!("error: {err}");
                    return ExitCode::from(EXIT_INVALID_INPUT);
                }
            }
        }
        // The demo key is public (it is a constant of the stand-in), so printing it is fine.
        print_stdout(&format!("{API_URL_VAR}={}\n{SECRET_KEY_VAR}={}\n", standin.base_url(), standin.secret_key()));
        crate::session::print_token_hint(&standin.base_url(), standin.secret_key()).await;
        eprintln!("Clerk stand-in listening on {}; press Ctrl-C to stop", standin.local_addr());
        shutdown_signal().await;
        standin.shutdown().await;
        ExitCode::from(EXIT_OK)
    })
}
