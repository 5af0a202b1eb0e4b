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

use crate::config::{ApiArgs, MISSING_KEY_MESSAGE, redact_json, redact_text};
use crate::{EXIT_API_ERROR, EXIT_INVALID_INPUT, EXIT_OK, pretty, print_stdout, runtime, unknown_tool_message};

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
}

pub fn run(args: CallArgs) -> ExitCode {
    // The key given to the program wins over one in the input.
    let flag_or_env_key = args.api.secret_key();
    // Every key in sight is redacted from what is printed, from the first failure on.
    let mut redact_keys: Vec<SecretKey> = flag_or_env_key.iter().cloned().collect();

    if clerk_tools::find_tool(&args.tool).is_none() {
        return finish(Error::invalid("name", unknown_tool_message(&args.tool)).to_json(), &redact_keys);
    }
    let input = match read_input(args.input.as_deref()) {
        Ok(input) => input,
        Err(output) => return finish(output, &redact_keys),
    };
    // The input's key is still a secret even when the flag's or variable's is used instead.
    if let Some(key) = input.get("secretKey").and_then(Value::as_str) {
        redact_keys.push(SecretKey::new(key));
    }
    // Without any key, stop here rather than send a request Clerk would refuse.
    if flag_or_env_key.is_none() && input.is_object() && input.get("secretKey").is_none() {
        let output = json!({
            "success": false,
            "error": MISSING_KEY_MESSAGE,
            "kind": "invalid_input",
            "field": "secretKey",
        });
        return finish(output, &redact_keys);
    }

    // The library's default timeouts and retries suit a one-off call.
    let tools = match args.api.tools() {
        Ok(tools) => tools,
        Err(err) => return finish(err.to_json(), &redact_keys),
    };
    let runtime = match runtime() {
        Ok(runtime) => runtime,
        Err(err) => {
            let output = Error::Config(format!("cannot start the async runtime: {err}")).to_json();
            return finish(output, &redact_keys);
        }
    };
    let output = runtime.block_on(async {
        match &flag_or_env_key {
            Some(key) => tools.call_with_secret(&args.tool, input, key).await,
            None => tools.call(&args.tool, input).await,
        }
    });
    finish(output, &redact_keys)
}

/// The input JSON from the argument, or from stdin for `-` or no argument; on failure, the
/// error JSON to print.
fn read_input(argument: Option<&str>) -> Result<Value, Value> {
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
                .map_err(|err| Error::invalid("input", format!("cannot read stdin: {err}")).to_json())?;
            text
        }
    };
    if text.trim().is_empty() {
        // `call clerk_list_users < /dev/null` means "no inputs", like `{}`.
        return Ok(json!({}));
    }
    serde_json::from_str(&text).map_err(|err| Error::invalid("input", format!("is not valid JSON: {err}")).to_json())
}

/// Prints the output (redacted, pretty) and picks the exit status from it.
fn finish(output: Value, redact_keys: &[SecretKey]) -> ExitCode {
    let output = redact_json(output, redact_keys);
    print_stdout(&format!("{}\n", pretty(&output)));
    if output["success"] == json!(true) {
        return ExitCode::from(EXIT_OK);
    }
    let message = output["error"].as_str().unwrap_or("the tool failed");
    // One line, whatever the message holds (a long message from Clerk may span several).
    let line: Vec<&str> = message.split_whitespace().collect();
    eprintln!("error: {}", redact_text(&line.join(" "), redact_keys));
    // A wrong input or a wrong configuration is the caller's to fix; nothing was sent.
    if output["kind"] == json!("invalid_input") || output["kind"] == json!("config") {
        ExitCode::from(EXIT_INVALID_INPUT)
    } else {
        ExitCode::from(EXIT_API_ERROR)
    }
}
