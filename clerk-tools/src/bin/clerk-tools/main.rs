//! `clerk-tools`: the Clerk tools from a shell (`list`, `schema`, `call`), as a Model Context
//! Protocol server over stdio or Streamable HTTP (`mcp`), and a local in-memory stand-in of
//! Clerk's Backend API to try them against (`serve`).
//!
//! Exit status: 0 on success, 2 for invalid input (bad arguments, malformed JSON, unknown
//! tool, no secret key, or a tool answer of kind `invalid_input`), 1 when Clerk refused the
//! call or could not be reached.

mod call;
mod config;
mod http;
mod mcp;
mod serve;
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
                  request to `mcp --http` must carry (required beyond loopback)\n\nExit status: 0 success, 1 \
                  Clerk error or unreachable, 2 invalid input."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// List the tools: name and description, one per line
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
    /// Run a local in-memory stand-in of Clerk's Backend API until Ctrl-C
    Serve(serve::ServeArgs),
    /// Verify a Clerk webhook and print its event
    Webhook(webhook::WebhookArgs),
    /// Verify a Clerk session token and print its session
    Session(session::SessionArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::List(selection) => list(&selection),
        Command::Schema { tool, with_secret } => schema(&tool, with_secret),
        Command::Call(args) => call::run(args),
        Command::Mcp(args) => mcp::run(args),
        Command::Serve(args) => serve::run(args),
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
        text.push_str(&format!("{}  {}\n", tool.name, tool.description));
    }
    print_stdout(&text);
    ExitCode::from(EXIT_OK)
}

fn schema(name: &str, with_secret: bool) -> ExitCode {
    let Some(tool) = clerk_tools::find_tool(name) else {
        eprintln!("error: {}", unknown_tool_message(name));
        return ExitCode::from(EXIT_INVALID_INPUT);
    };
    let schema = if with_secret { &tool.input_schema } else { &tool.input_schema_without_secret };
    print_stdout(&format!("{}\n", pretty(schema)));
    ExitCode::from(EXIT_OK)
}

/// The message for a tool name that is not one of the tools.
fn unknown_tool_message(name: &str) -> String {
    format!("no tool is called `{name}`; `clerk-tools list` shows the tools")
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

/// The runtime for the subcommands that talk to the network. Only `call`, `mcp` and `serve`
/// build one, so `list` and `schema` start no threads.
fn runtime() -> std::io::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread().enable_all().build()
}
