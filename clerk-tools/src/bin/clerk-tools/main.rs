//! `clerk-tools`: the Clerk tools from a shell (`list`, `schema`, `call`), as a Model Context
//! Protocol server over stdio or Streamable HTTP (`mcp`), and the verification of Clerk's
//! webhooks (`webhook`) and session tokens (`session`). The local stand-in of Clerk's Backend
//! API to try them against is the workspace's `clerk-standin` program.
//!
//! Exit status: 0 on success, 2 for invalid input or configuration (bad arguments, malformed
//! JSON, an unknown tool, no secret key: nothing was sent), 1 when Clerk refused the call or
//! could not be reached.

mod call;
mod config;
mod mcp;
mod session;
mod webhook;

use std::io::Write;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// The call was made (or the server ran) and succeeded.
const EXIT_OK: u8 = 0;
/// Clerk answered with an error, or could not be reached.
const EXIT_API_ERROR: u8 = 1;
/// The input was wrong; nothing was sent. Also clap's status for bad arguments.
const EXIT_INVALID_INPUT: u8 = 2;

#[derive(Parser)]
#[command(
    name = "clerk-tools",
    version,
    about = "The Clerk tools (users, organizations, sessions and more of Clerk's Backend API) from the command \
             line or as an MCP server",
    after_help = "Environment:\n  CLERK_SECRET_KEY       Clerk secret key for `call` and `mcp` (preferred over \
                  --secret-key, which other users of the machine can see in the process list)\n  CLERK_API_URL          \
                  Backend API base URL for `call` and `mcp`\n  CLERK_TOOLS_MCP_TOKEN  Bearer token that every \
                  request to `mcp --http` must carry (required, at least 32 characters)\n  CLERK_TOOLS_LOG        \
                  Diagnostics on stderr: error, warn, info, debug or trace (never tool arguments or results)\n\n\
                  Exit status: 0 success, 1 Clerk error or unreachable, 2 invalid input or configuration."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// List the tools: name and description (its first line), one per line
    List(config::SelectionArgs),
    /// Print a tool's input JSON Schema (without `secretKey` unless --with-secret)
    Schema {
        /// The tool's name, e.g. clerk_get_user
        tool: String,
        /// Print the full schema, `secretKey` included
        #[arg(long)]
        with_secret: bool,
    },
    /// Run a tool on a JSON input and print its JSON output
    Call(call::CallArgs),
    /// Serve the tools over the Model Context Protocol, on stdin/stdout or (--http) over HTTP
    Mcp(mcp::McpArgs),
    /// Verify a Clerk webhook and print its event
    Webhook(webhook::WebhookArgs),
    /// Verify a Clerk session token and print its session
    Session(session::SessionArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    start_logging();
    match cli.command {
        Command::List(selection) => list(&selection),
        Command::Schema { tool, with_secret } => schema(&tool, with_secret),
        Command::Call(args) => call::run(args),
        Command::Mcp(args) => mcp::run(args),
        Command::Webhook(args) => webhook::run(args),
        Command::Session(args) => session::run(args),
    }
}

fn list(selection: &config::SelectionArgs) -> ExitCode {
    let selected = match selection.resolve() {
        Ok(selected) => selected,
        Err(code) => return code,
    };
    let mut text = String::new();
    for tool in selected {
        // One line a tool: a generated tool's description goes on after its summary.
        let summary = tool.description.lines().next().unwrap_or_default();
        text.push_str(&format!("{}  {summary}\n", tool.name));
    }
    print_stdout(&text);
    ExitCode::from(EXIT_OK)
}

fn schema(name: &str, with_secret: bool) -> ExitCode {
    let Some(tool) = clerk_tools::find_tool(name) else {
        return report(&clerk_tools::unknown_tool(name));
    };
    let schema = if with_secret { &tool.input_schema } else { &tool.input_schema_without_secret };
    print_stdout(&format!("{}\n", pretty(schema)));
    ExitCode::from(EXIT_OK)
}

/// Pretty JSON. Serializing a `Value` cannot fail (its map keys are strings).
fn pretty(value: &serde_json::Value) -> String {
    serde_json::to_string_pretty(value).unwrap_or_else(|_| value.to_string())
}

/// Writes to stdout, ignoring a closed pipe (`clerk-tools list | head -1`) instead of
/// panicking the way `print!` does: the reader has what it wanted.
fn print_stdout(text: &str) {
    let mut stdout = std::io::stdout().lock();
    let _ = stdout.write_all(text.as_bytes());
    let _ = stdout.flush();
}

/// The exit status for an error: the caller's to fix (invalid input or configuration,
/// nothing was sent), or Clerk's answer or the network.
pub(crate) fn exit_status(error: &clerk_tools::Error) -> ExitCode {
    match error {
        clerk_tools::Error::InvalidInput { .. }
        | clerk_tools::Error::Config(_)
        | clerk_tools::Error::MissingSecretKey => ExitCode::from(EXIT_INVALID_INPUT),
        _ => ExitCode::from(EXIT_API_ERROR),
    }
}

/// Reports an error that stops the program on stderr, and its exit status.
pub(crate) fn report(error: &clerk_tools::Error) -> ExitCode {
    eprintln!("error: {error}");
    exit_status(error)
}

/// The variable that turns on diagnostics on stderr: `error`, `warn`, `info`, `debug` or
/// `trace` (and every level above it); unset or `off`, none.
const LOG_VAR: &str = "CLERK_TOOLS_LOG";

/// Diagnostics on stderr at the level `CLERK_TOOLS_LOG` names, never an event that could
/// hold a tool's arguments or results (`clerk_tools::mcp::may_log`).
fn start_logging() {
    use tracing_subscriber::layer::SubscriberExt;
    use tracing_subscriber::{Layer, filter};

    let Ok(text) = std::env::var(LOG_VAR) else { return };
    let level = match text.trim().parse::<filter::LevelFilter>() {
        Ok(level) => level,
        Err(_) => {
            eprintln!("warning: {LOG_VAR}=`{text}` is not off, error, warn, info, debug or trace; logging is off");
            return;
        }
    };
    if level == filter::LevelFilter::OFF {
        return;
    }
    let layer = tracing_subscriber::fmt::layer()
        .with_writer(std::io::stderr)
        .with_ansi(false)
        .with_filter(level)
        .with_filter(filter::filter_fn(clerk_tools::mcp::may_log));
    let _ = tracing::subscriber::set_global_default(tracing_subscriber::registry().with(layer));
}

/// Ctrl-C, or SIGTERM from a service manager.
pub(crate) async fn shutdown_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut terminate) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = terminate.recv() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

/// The runtime for the subcommands that talk to the network. Only `call`, `mcp` and `session`
/// build one, so `list` and `schema` start no threads.
fn runtime() -> std::io::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread().enable_all().build()
}
