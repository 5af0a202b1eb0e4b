//! The JSON interface for agent runtimes: `call(name, input) -> output` over JSON values. It
//! reads the input into the tool's typed input and runs the typed method, so both ways in share
//! one implementation; the output is written once, from the typed result.

use serde::Serialize;
use serde_json::{Map, Value};

use crate::client::ClerkTools;
use crate::error::Error;
use crate::input::{Input, NOT_TEXT};
use crate::registry::{DECLARATIONS, TOOL_NAMES};
use crate::schema::SECRET_KEY_NAME;
use crate::secret::SecretKey;

/// What an input that is not a JSON object is told.
const NOT_AN_OBJECT: &str = "must be a JSON object of the tool's inputs";

/// Reads a tool's input. An unknown input names the closest known one; any other mistake is
/// located by the decoder's path to it, and worded by the input's form.
pub(crate) fn read_input<I: Input>(input: Value) -> Result<I, Error> {
    let fields = known_fields(input, I::names())?;
    serde_path_to_error::deserialize(Value::Object(fields)).map_err(located)
}

/// A decoding error as an invalid input, named by the decoder's path to it.
fn located(err: serde_path_to_error::Error<serde_json::Error>) -> Error {
    let field = match err.path().to_string() {
        path if path == "." => "input".to_string(),
        path => path,
    };
    Error::invalid(&field, err.into_inner().to_string())
}

/// The fields of an input, if it is an object of `known` inputs only.
fn known_fields(input: Value, known: &[&str]) -> Result<Map<String, Value>, Error> {
    let Value::Object(fields) = input else {
        return Err(Error::invalid("input", NOT_AN_OBJECT));
    };
    if let Some(unknown) = fields.keys().find(|name| !known.contains(&name.as_str())) {
        let names: Vec<&str> = std::iter::once(SECRET_KEY_NAME).chain(known.iter().copied()).collect();
        let reason = match closest(unknown, &names) {
            Some(near) => format!("is not an input of this tool; did you mean `{near}`?"),
            None => format!("is not an input of this tool; its inputs are {}", names.join(", ")),
        };
        return Err(Error::invalid(unknown, reason));
    }
    Ok(fields)
}

/// The JSON of a tool's output.
pub(crate) fn write_output<O: Serialize>(output: O) -> Result<Value, Error> {
    serde_json::to_value(output).map_err(|err| Error::Serialize(err.to_string()))
}

/// The error for a call to a tool that does not exist, naming the closest one when a tool's
/// name is near.
pub fn unknown_tool(name: &str) -> Error {
    #[cfg_attr(not(feature = "operations"), allow(unused_mut))]
    let mut known: Vec<&str> = TOOL_NAMES.to_vec();
    #[cfg(feature = "operations")]
    known.extend(crate::operations::declarations().iter().map(|declaration| declaration.name));
    unknown_among(name, &known, &TOOL_NAMES)
}

/// The error for a call to a tool that is not among `known`, naming the closest of them when
/// one is near, else listing `listed`. A host that offers only some tools passes those: a tool
/// it does not offer is then refused exactly like one that does not exist.
pub(crate) fn unknown_among(name: &str, known: &[&str], listed: &[&str]) -> Error {
    let reason = match closest(name, known) {
        Some(near) => format!("no tool is called `{name}`; did you mean `{near}`?"),
        None => format!("no tool is called `{name}`; the tools are {}", listed.join(", ")),
    };
    Error::invalid("name", reason)
}

/// The known name closest to `given`: the same letters in another case or with `_`/`-`
/// (`order_by` for `orderBy`), else one at most two edits away.
fn closest<'a>(given: &str, known: &[&'a str]) -> Option<&'a str> {
    let fold = |s: &str| s.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect::<String>();
    let folded = fold(given);
    if let Some(same) = known.iter().find(|name| fold(name) == folded) {
        return Some(*same);
    }
    known
        .iter()
        .map(|name| (edit_distance(&fold(name), &folded), name))
        .filter(|(distance, _)| *distance <= 2)
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, name)| *name)
}

/// Levenshtein distance over characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut current = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            current.push((previous[j] + cost).min(previous[j + 1] + 1).min(current[j] + 1));
        }
        previous = current;
    }
    previous[b.len()]
}

impl ClerkTools {
    /// Runs the tool `name` on a JSON input: the contract's output (with `"success": true`)
    /// on success, `{"success": false, "error": "...", ...}` on failure. Never panics.
    ///
    /// ```no_run
    /// # async fn demo() -> Result<(), clerk_tools::Error> {
    /// let tools = clerk_tools::ClerkTools::from_env()?;
    /// let output = tools
    ///     .call("clerk_get_user", serde_json::json!({"secretKey": "sk_test_...", "userId": "user_2x1"}))
    ///     .await;
    /// println!("{output}");
    /// # Ok(())
    /// # }
    /// ```
    pub async fn call(&self, name: &str, input: Value) -> Value {
        match self.try_call(name, input).await {
            Ok(output) => output,
            Err(err) => err.to_json(),
        }
    }

    /// Like [`ClerkTools::call`], for an input that follows the schema without `secretKey`:
    /// the key comes from the host, never from the model. A `secretKey` in the input is
    /// ignored in favour of `secret_key`.
    pub async fn call_with_secret(&self, name: &str, mut input: Value, secret_key: &SecretKey) -> Value {
        if let Some(object) = input.as_object_mut() {
            object.shift_remove(SECRET_KEY_NAME);
        }
        self.with_secret_key(secret_key.clone()).call(name, input).await
    }

    /// Runs the tool `name` on a JSON input and returns its output as JSON, or the error.
    pub async fn try_call(&self, name: &str, mut input: Value) -> Result<Value, Error> {
        let Some(fields) = input.as_object_mut() else {
            return Err(Error::invalid("input", NOT_AN_OBJECT));
        };
        // `secretKey` is the JSON interface's way to give the key; it is not a field of the
        // typed inputs. Given, it is used for this call; absent, the client's own key is.
        let given_key = match fields.shift_remove(SECRET_KEY_NAME) {
            None | Some(Value::Null) => None,
            Some(Value::String(key)) => Some(SecretKey::new(key)),
            Some(_) => return Err(Error::invalid(SECRET_KEY_NAME, NOT_TEXT)),
        };
        let view;
        let tools = match given_key {
            Some(key) if !key.is_blank() => {
                view = self.with_secret_key(key);
                &view
            }
            Some(_) => return Err(Error::MissingSecretKey),
            None if !self.has_secret_key() => return Err(Error::MissingSecretKey),
            None => self,
        };
        if let Some(declaration) = DECLARATIONS.iter().find(|declaration| declaration.name == name) {
            return (declaration.run)(tools, input).await;
        }
        #[cfg(feature = "operations")]
        if let Some(declaration) = crate::operations::declaration(name) {
            let fields = known_fields(input, declaration.inputs)?;
            let call = tools.begin_operation(declaration)?;
            return (declaration.run)(&call, crate::operations::Input::new(fields)).await;
        }
        Err(unknown_tool(name))
    }
}
