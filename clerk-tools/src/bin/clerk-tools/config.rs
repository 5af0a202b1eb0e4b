//! Where `call` and `mcp` get the secret key and the API's base URL, and the redaction that
//! keeps the key out of everything the program prints.

use std::time::Duration;

use std::process::ExitCode;

use clap::Args;
use clerk_tools::{ClerkTools, SecretKey, Tool, ToolSelection};
use serde_json::Value;

use crate::EXIT_INVALID_INPUT;

pub use clerk_tools::SECRET_KEY_VAR;

/// What stands in for the key wherever it would otherwise be printed.
const REDACTED: &str = "[redacted]";

/// The connection options shared by `call` and `mcp`.
///
/// The key is read from the environment by hand rather than through clap's `env` support,
/// so that no help or error text clap renders can ever contain its value.
#[derive(Args)]
pub struct ApiArgs {
    /// Clerk secret key [default: $CLERK_SECRET_KEY]
    #[arg(long, value_name = "KEY")]
    secret_key: Option<String>,
    /// Backend API base URL [default: $CLERK_API_URL, else Clerk's production API]
    #[arg(long, value_name = "URL")]
    api_url: Option<String>,
    /// The longest one request may take, its whole answer included
    #[arg(long, value_name = "SECS", default_value_t = 30.0, value_parser = positive_seconds)]
    timeout: f64,
    /// Start at most REQUESTS requests per window, e.g. 100/10s, or dev (100/10s) or prod
    /// (1000/10s), Clerk's documented limits [default: no limit]
    #[arg(long, value_name = "REQUESTS/SECS")]
    rate_limit: Option<clerk_tools::RateLimit>,
    /// Allow sending the key over plain http to another machine (it is refused by default)
    #[arg(long)]
    allow_insecure_http: bool,
    /// The most requests to Clerk in flight at once; more calls wait their turn on the same
    /// pooled connections
    #[arg(long, value_name = "N", default_value_t = clerk_tools::DEFAULT_MAX_CONCURRENT_REQUESTS,
          value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(1..))]
    max_concurrent_requests: usize,
}

fn positive_seconds(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(seconds) if seconds > 0.0 && seconds.is_finite() && seconds <= 86_400.0 => Ok(seconds),
        _ => Err(format!("`{text}` is not a number of seconds from 0 to 86400")),
    }
}

impl ApiArgs {
    /// The key from `--secret-key`, else from `CLERK_SECRET_KEY`. A blank value counts as
    /// none, so an exported but empty variable gives the "no key" message rather than a
    /// 401 from Clerk.
    pub fn secret_key(&self) -> Option<SecretKey> {
        let key = match &self.secret_key {
            Some(key) => key.clone(),
            None => std::env::var(SECRET_KEY_VAR).ok()?,
        };
        let key = SecretKey::new(key);
        if key.is_blank() { None } else { Some(key) }
    }

    /// The client these options describe: the key of [`ApiArgs::secret_key`], if any, and
    /// the base URL from `--api-url`, else from `CLERK_API_URL`, else Clerk's production API.
    pub fn tools(&self) -> Result<ClerkTools, clerk_tools::Error> {
        let mut builder = ClerkTools::builder()
            .timeout(Duration::from_secs_f64(self.timeout))
            .allow_insecure_http(self.allow_insecure_http)
            .max_concurrent_requests(self.max_concurrent_requests);
        if let Some(limit) = self.rate_limit {
            builder = builder.rate_limit(limit);
        }
        if self.secret_key.is_some() {
            warn_secret_in_argv("--secret-key", SECRET_KEY_VAR);
        }
        if let Some(key) = self.secret_key() {
            builder = builder.secret_key(key);
        }
        builder = match &self.api_url {
            Some(url) => builder.base_url_from(url.clone(), "--api-url"),
            None => builder.from_env(),
        };
        builder.build()
    }
}

/// Warns that a secret given as an argument is visible to every user of the machine.
pub fn warn_secret_in_argv(flag: &str, variable: &str) {
    eprintln!(
        "warning: {flag} puts the secret in the process list, where other users of this machine can read it; set \
         {variable} instead"
    );
}

/// Which tools `list` and `mcp` offer.
#[derive(Args)]
pub struct SelectionArgs {
    /// Offer only the tools that change nothing (those whose readOnlyHint is true) and return
    /// no live credentials
    #[arg(long)]
    read_only: bool,
    /// With --read-only, offer the read-only tools that return live credentials or sign-in
    /// links too (a user's OAuth access token, invitation links)
    #[arg(long, requires = "read_only")]
    allow_credentials: bool,
    /// Offer only the tools whose names match one of these comma-separated patterns, in which
    /// `*` stands for any run of characters, e.g. 'clerk_get_*,clerk_list_users'. With
    /// --read-only, only the tools both select
    #[arg(long, value_name = "PATTERN[,PATTERN]")]
    tools: Vec<String>,
    #[command(flatten)]
    toolsets: ToolsetArgs,
}

/// The toolsets whose generated operation tools join the curated ones.
#[derive(Args)]
pub struct ToolsetArgs {
    /// Add the generated tools (clerk_api_*, one per operation of Clerk's Backend API) of these
    /// comma-separated API groups, e.g. 'users,organizations', or 'all'; `clerk-tools list
    /// --toolsets all` shows them
    #[arg(long, value_name = "GROUP[,GROUP]")]
    toolsets: Vec<String>,
}

impl ToolsetArgs {
    /// `selection` with these toolsets.
    pub fn apply(&self, mut selection: ToolSelection) -> ToolSelection {
        for list in &self.toolsets {
            selection = selection.toolsets(list);
        }
        selection
    }
}

impl SelectionArgs {
    /// The selection these options describe.
    pub fn selection(&self) -> ToolSelection {
        let mut selection = ToolSelection::all().read_only(self.read_only).allow_credentials(self.allow_credentials);
        for list in &self.tools {
            selection = selection.patterns(list);
        }
        self.toolsets.apply(selection)
    }

    /// The selected tools, in table order; a selection that cannot be served (a pattern that
    /// matches nothing) is reported on stderr and becomes the invalid-input exit status.
    pub fn resolve(&self) -> Result<Vec<&'static Tool>, ExitCode> {
        self.selection().resolve().map_err(|err| {
            eprintln!("error: {err}");
            ExitCode::from(EXIT_INVALID_INPUT)
        })
    }
}

/// Replaces every occurrence of each key in the strings of `value` (object keys included)
/// with `[redacted]`. The library never puts the key in its answers; this is the last line
/// of defence for the program's output, working on the JSON value so the result stays valid
/// JSON whatever the key contains.
pub fn redact_json(value: Value, keys: &[SecretKey]) -> Value {
    match value {
        Value::String(text) => Value::String(redact_text(&text, keys)),
        Value::Array(items) => Value::Array(items.into_iter().map(|item| redact_json(item, keys)).collect()),
        Value::Object(object) => Value::Object(
            object.into_iter().map(|(name, item)| (redact_text(&name, keys), redact_json(item, keys))).collect(),
        ),
        other => other,
    }
}

/// [`redact_json`] for a line of text. Blank keys are skipped: replacing "" would insert
/// `[redacted]` between every character.
pub fn redact_text(text: &str, keys: &[SecretKey]) -> String {
    let mut text = text.to_string();
    for key in keys.iter().filter(|key| !key.is_blank()) {
        text = text.replace(key.expose(), REDACTED);
    }
    text
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn redaction_covers_nested_strings_and_names() {
        let keys = [SecretKey::new("sk_test_abc"), SecretKey::new("sk_test_xyz"), SecretKey::new(" ")];
        let value = json!({"error": "bad sk_test_abc", "list": ["sk_test_xyz"], "sk_test_abc": 1, "n": 2});
        let redacted = redact_json(value, &keys);
        assert_eq!(redacted, json!({"error": "bad [redacted]", "list": ["[redacted]"], "[redacted]": 1, "n": 2}));
        assert_eq!(redact_text("key sk_test_abc", &keys), "key [redacted]");
        assert_eq!(redact_text("key", &[]), "key");
    }
}
