//! `clerk-tools call TOOL [JSON | -]`: one tool call from the shell.
//!
//! Whatever happens, stdout gets one JSON document: the tool's output, or the error object
//! (`{"success": false, "error": ..., "kind": ...}`) that the JSON interface answers, so
//! scripts can always parse it. On failure stderr also gets one `error: ...` line for people.

use std::io::{IsTerminal, Read};
use std::process::ExitCode;

use clap::Args;
use clerk_tools::{Error, SecretKey};
use serde_json::{Value, json};

use crate::config::{ApiArgs, ToolsetArgs, redact_json, redact_text};
use crate::{EXIT_OK, exit_status, pretty, print_stdout, runtime};

#[derive(Args)]
pub struct CallArgs {
    /// The tool's name, e.g. clerk_list_users
    tool: String,
    /// The input as a JSON object; `-` or nothing reads it from stdin (empty means `{}`).
    /// The secret key need not be in it: it comes from --secret-key or CLERK_SECRET_KEY
    #[arg(value_name = "JSON")]
    input: Option<String>,
    #[command(flatten)]
    api: ApiArgs,
    #[command(flatten)]
    toolsets: ToolsetArgs,
    /// Cut the output to at most N bytes of JSON, as `mcp --max-output-bytes` does [default:
    /// no limit]
    #[arg(long, value_name = "N")]
    max_output_bytes: Option<usize>,
}

pub fn run(args: CallArgs) -> ExitCode {
    // Every key in sight is redacted from what is printed.
    let mut redact_keys: Vec<SecretKey> = args.api.secret_key().into_iter().collect();
    let outcome = call(&args, &mut redact_keys);
    finish(outcome, &redact_keys)
}

fn call(args: &CallArgs, redact_keys: &mut Vec<SecretKey>) -> Result<Value, Error> {
    // The tools `list` shows with the same toolsets, and no others.
    let selection = args.toolsets.apply(clerk_tools::ToolSelection::all());
    let selected = selection.resolve().map_err(|err| Error::Config(err.to_string()))?;
    let Some(tool) = selected.into_iter().find(|tool| tool.name == args.tool) else {
        return Err(clerk_tools::unknown_tool(&args.tool));
    };
    let mut input = read_input(args.input.as_deref())?;
    // The input's key is a secret too, even when the program's is used instead.
    if let Some(key) = input.get("secretKey").and_then(Value::as_str) {
        redact_keys.push(SecretKey::new(key));
    }
    // The library's default timeouts and retries suit a one-off call.
    let tools = args.api.tools()?;
    // The key given to the program wins over one in the input.
    if tools.has_secret_key()
        && let Some(input) = input.as_object_mut()
    {
        input.shift_remove("secretKey");
    }
    let runtime = runtime().map_err(|err| Error::Config(format!("cannot start the async runtime: {err}")))?;
    let offset = clerk_tools::call_offset(tool, &input);
    let output = runtime.block_on(tools.try_call(&args.tool, input))?;
    match args.max_output_bytes {
        Some(max) => clerk_tools::fit_output(output, max, offset),
        None => Ok(output),
    }
}

/// The input JSON from the argument, or from stdin for `-` or no argument.
fn read_input(argument: Option<&str>) -> Result<Value, Error> {
    let text = match argument {
        Some(text) if text != "-" => text.to_string(),
        _ => {
            let mut stdin = std::io::stdin();
            if stdin.is_terminal() {
                // Otherwise a forgotten argument looks like a hang.
                eprintln!("reading the input JSON from stdin (end it with Ctrl-D)...");
            }
            let mut text = String::new();
            stdin
                .read_to_string(&mut text)
                .map_err(|err| Error::invalid("input", format!("cannot read stdin: {err}")))?;
            text
        }
    };
    if text.trim().is_empty() {
        // `call clerk_list_users < /dev/null` means "no inputs", like `{}`.
        return Ok(json!({}));
    }
    serde_json::from_str(&text).map_err(|err| Error::invalid("input", format!("is not valid JSON: {err}")))
}

/// Prints the output or the error JSON (redacted, pretty), and for an error one line on
/// stderr; the exit status follows from the error.
fn finish(outcome: Result<Value, Error>, redact_keys: &[SecretKey]) -> ExitCode {
    let error = match outcome {
        Ok(output) => {
            print_stdout(&format!("{}\n", pretty(&redact_json(output, redact_keys))));
            return ExitCode::from(EXIT_OK);
        }
        Err(error) => error,
    };
    print_stdout(&format!("{}\n", pretty(&redact_json(error.to_json(), redact_keys))));
    // One line, whatever the message holds (a long message from Clerk may span several).
    let message = error.to_string();
    let line: Vec<&str> = message.split_whitespace().collect();
    eprintln!("error: {}", redact_text(&line.join(" "), redact_keys));
    exit_status(&error)
}
