//! The JSON interface for agent runtimes: the tools with their descriptions and JSON
//! Schemas, and `call(name, input) -> output` over JSON values. It dispatches to the typed
//! functions, so both ways in share one implementation.

use std::sync::OnceLock;

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value, json};

use futures_util::future::BoxFuture;

use crate::actor_tokens::*;
use crate::client::ClerkTools;
use crate::conventions::DeletedObjectOutput;
use crate::error::Error;
use crate::identifiers::*;
use crate::invitations::*;
use crate::jwt_templates::*;
use crate::memberships::*;
use crate::organization_invitations::*;
use crate::organizations::*;
use crate::secret::SecretKey;
use crate::sessions::*;
use crate::users::*;

/// What a tool does to the Clerk instance, for hosts that decide what to allow (MCP tool
/// annotations): reads change nothing; a destructive call removes or revokes something; an
/// idempotent call repeated with the same input has no further effect.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Nature {
    /// Changes nothing.
    pub read_only: bool,
    /// Deletes, revokes or otherwise takes something away.
    pub destructive: bool,
    /// Repeating the call with the same input has no further effect.
    pub idempotent: bool,
}

/// A read.
const READ: Nature = Nature { read_only: true, destructive: false, idempotent: true };
/// Creates something new each time.
const CREATE: Nature = Nature { read_only: false, destructive: false, idempotent: false };
/// Sets fields to given values.
const UPDATE: Nature = Nature { read_only: false, destructive: false, idempotent: true };
/// Deletes or revokes.
const REMOVE: Nature = Nature { read_only: false, destructive: true, idempotent: true };

/// Runs one tool on its JSON input.
type Run = for<'a> fn(&'a ClerkTools, Value) -> BoxFuture<'a, Result<Value, Error>>;

/// One entry of the table below: everything about a tool, declared once.
pub(crate) struct Declaration {
    pub(crate) name: &'static str,
    title: &'static str,
    description: &'static str,
    nature: Nature,
    run: Run,
    /// Derives the tool's schemas from its input and output types, for `tool-schemas.json`.
    #[cfg(feature = "derive-schemas")]
    pub(crate) derive_schemas: fn(&str) -> Value,
}

/// Declares every tool once: its name, title, description, nature, input and output types and
/// the typed method that runs it. `TOOL_NAMES`, [`tools()`] and the JSON dispatch derive from
/// it, and so do the CLI's `list` and the MCP server's `tools/list`.
macro_rules! tool_table {
    ($($name:literal => $method:ident($input:ty) -> $output:ty, $title:literal, $nature:expr, $description:literal;)*) => {
        /// Names of the tools, in contract order.
        pub const TOOL_NAMES: [&str; [$($name),*].len()] = [$($name),*];

        /// Each tool's JSON door: read its input, call the typed method, write its output.
        mod run {
            use super::*;
            $(
                pub(super) fn $method<'a>(tools: &'a ClerkTools, input: Value) -> BoxFuture<'a, Result<Value, Error>> {
                    // The turbofish holds the method to the output type the table declares.
                    Box::pin(async move { to_output::<$output>(tools.$method(parse_input::<$input>($name, input)?).await?) })
                }
            )*
        }

        pub(crate) const DECLARATIONS: &[Declaration] = &[$(
            Declaration {
                name: $name,
                title: $title,
                nature: $nature,
                description: $description,
                run: run::$method,
                #[cfg(feature = "derive-schemas")]
                derive_schemas: crate::schema_derivation::tool_schemas::<$input, $output>,
            },
        )*];
    };
}

tool_table! {
    "clerk_list_users" => list_users(ListUsersInput) -> ListUsersOutput, "List users", READ,
        "List all users in your Clerk application with optional filtering and pagination";
    "clerk_get_user" => get_user(GetUserInput) -> GetUserOutput, "Get a user", READ,
        "Retrieve a single user by their ID from Clerk";
    "clerk_create_user" => create_user(CreateUserInput) -> CreateUserOutput, "Create a user", CREATE,
        "Create a new user in your Clerk application";
    "clerk_update_user" => update_user(UpdateUserInput) -> UpdateUserOutput, "Update a user", UPDATE,
        "Update an existing user in your Clerk application";
    "clerk_delete_user" => delete_user(DeleteUserInput) -> DeleteUserOutput, "Delete a user", REMOVE,
        "Delete a user from your Clerk application";
    "clerk_list_organizations" => list_organizations(ListOrganizationsInput) -> ListOrganizationsOutput,
        "List organizations", READ,
        "List all organizations in your Clerk application with optional filtering";
    "clerk_get_organization" => get_organization(GetOrganizationInput) -> OrganizationOutput,
        "Get an organization", READ,
        "Retrieve a single organization by ID or slug from Clerk";
    "clerk_create_organization" => create_organization(CreateOrganizationInput) -> OrganizationOutput,
        "Create an organization", CREATE,
        "Create a new organization in your Clerk application";
    "clerk_list_sessions" => list_sessions(ListSessionsInput) -> ListSessionsOutput, "List sessions", READ,
        "List sessions for a user or client in your Clerk application";
    "clerk_get_session" => get_session(GetSessionInput) -> SessionOutput, "Get a session", READ,
        "Retrieve a single session by ID from Clerk";
    "clerk_revoke_session" => revoke_session(RevokeSessionInput) -> SessionOutput, "Revoke a session", REMOVE,
        "Revoke a session to immediately invalidate it";
    "clerk_update_organization" => update_organization(UpdateOrganizationInput) -> OrganizationOutput,
        "Update an organization", UPDATE,
        "Update an existing organization";
    "clerk_delete_organization" => delete_organization(DeleteOrganizationInput) -> DeleteOrganizationOutput,
        "Delete an organization", REMOVE,
        "Delete an organization";
    "clerk_list_organization_memberships" => list_organization_memberships(ListOrganizationMembershipsInput)
        -> ListOrganizationMembershipsOutput,
        "List organization members", READ,
        "List an organization's members with optional filtering and pagination";
    "clerk_add_organization_member" => add_organization_member(AddOrganizationMemberInput) -> MembershipOutput,
        "Add an organization member", CREATE,
        "Add a user to an organization with a role";
    "clerk_update_organization_membership" => update_organization_membership(UpdateOrganizationMembershipInput)
        -> MembershipOutput,
        "Change a member's role", UPDATE,
        "Change a member's role";
    "clerk_remove_organization_member" => remove_organization_member(RemoveOrganizationMemberInput)
        -> MembershipOutput,
        "Remove an organization member", REMOVE,
        "Remove a member from an organization";
    "clerk_create_organization_invitation" => create_organization_invitation(CreateOrganizationInvitationInput)
        -> OrganizationInvitationOutput,
        "Invite to an organization", CREATE,
        "Invite an email address to an organization with a role";
    "clerk_list_organization_invitations" => list_organization_invitations(ListOrganizationInvitationsInput)
        -> ListOrganizationInvitationsOutput,
        "List organization invitations", READ,
        "List an organization's pending and past invitations";
    "clerk_ban_user" => ban_user(BanUserInput) -> ModeratedUserOutput, "Ban a user", REMOVE,
        "Ban a user so they cannot sign in";
    "clerk_unban_user" => unban_user(UnbanUserInput) -> ModeratedUserOutput, "Unban a user", UPDATE,
        "Lift a ban so the user can sign in again";
    "clerk_lock_user" => lock_user(LockUserInput) -> ModeratedUserOutput, "Lock a user", REMOVE,
        "Lock a user account, blocking sign-in";
    "clerk_unlock_user" => unlock_user(UnlockUserInput) -> ModeratedUserOutput, "Unlock a user", UPDATE,
        "Unlock a locked user account";
    "clerk_get_user_oauth_token" => get_user_oauth_token(GetUserOAuthTokenInput) -> GetUserOAuthTokenOutput,
        "Get a user's OAuth token", READ,
        "Get a user's OAuth access token for a connected provider";
    "clerk_list_allowlist_identifiers" => list_allowlist_identifiers(ListAllowlistIdentifiersInput)
        -> ListAllowlistIdentifiersOutput, "List allowlist identifiers", READ,
        "List identifiers on the instance allowlist";
    "clerk_create_allowlist_identifier" => create_allowlist_identifier(CreateAllowlistIdentifierInput)
        -> AllowlistIdentifierOutput, "Add to the allowlist", CREATE,
        "Add an email, phone number or web3 wallet to the allowlist";
    "clerk_delete_allowlist_identifier" => delete_allowlist_identifier(DeleteAllowlistIdentifierInput)
        -> DeletedObjectOutput, "Remove from the allowlist", REMOVE,
        "Remove an identifier from the allowlist";
    "clerk_list_blocklist_identifiers" => list_blocklist_identifiers(ListBlocklistIdentifiersInput)
        -> ListBlocklistIdentifiersOutput, "List blocklist identifiers", READ,
        "List identifiers on the instance blocklist";
    "clerk_create_blocklist_identifier" => create_blocklist_identifier(CreateBlocklistIdentifierInput)
        -> BlocklistIdentifierOutput, "Add to the blocklist", CREATE,
        "Add an email, phone number or web3 wallet to the blocklist";
    "clerk_delete_blocklist_identifier" => delete_blocklist_identifier(DeleteBlocklistIdentifierInput)
        -> DeletedObjectOutput, "Remove from the blocklist", REMOVE,
        "Remove an identifier from the blocklist";
    "clerk_list_jwt_templates" => list_jwt_templates(ListJwtTemplatesInput) -> ListJwtTemplatesOutput,
        "List JWT templates", READ,
        "List the instance's JWT templates";
    "clerk_get_jwt_template" => get_jwt_template(GetJwtTemplateInput) -> JwtTemplateOutput,
        "Get a JWT template", READ,
        "Retrieve a single JWT template by ID";
    "clerk_create_actor_token" => create_actor_token(CreateActorTokenInput) -> ActorTokenOutput,
        "Create an actor token", CREATE,
        "Create an actor token to impersonate a user (e.g. for support tooling)";
    "clerk_revoke_actor_token" => revoke_actor_token(RevokeActorTokenInput) -> ActorTokenOutput,
        "Revoke an actor token", REMOVE,
        "Revoke an actor token before it is used or expires";
    "clerk_merge_user_metadata" => merge_user_metadata(MergeUserMetadataInput) -> UpdateUserOutput,
        "Merge user metadata", UPDATE,
        "Deep-merge metadata into a user; a key set to null is removed";
    "clerk_merge_organization_metadata" => merge_organization_metadata(MergeOrganizationMetadataInput)
        -> OrganizationOutput,
        "Merge organization metadata", UPDATE,
        "Deep-merge metadata into an organization; a key set to null is removed";
    "clerk_create_invitation" => create_invitation(CreateInvitationInput) -> ApplicationInvitationOutput,
        "Invite a user", CREATE,
        "Invite an email address to sign up to your Clerk application";
    "clerk_list_invitations" => list_invitations(ListInvitationsInput) -> ListInvitationsOutput,
        "List invitations", READ,
        "List your Clerk application's invitations with optional filtering and pagination";
    "clerk_revoke_invitation" => revoke_invitation(RevokeInvitationInput) -> ApplicationInvitationOutput,
        "Revoke an invitation", REMOVE,
        "Revoke an application invitation so its link no longer works";
}

/// One tool as an agent runtime sees it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Tool {
    /// The tool's name (`clerk_list_users`, ...).
    pub name: &'static str,
    /// A short title for people (`List users`).
    pub title: &'static str,
    /// What the tool does, for the model; a tool that returns credentials says so.
    pub description: String,
    /// What the tool does to the instance.
    pub nature: Nature,
    /// Whether a successful output carries live credentials or sign-in tickets (an OAuth
    /// access token, an actor token, an invitation link): whoever reads it can act as a user.
    /// [`crate::ToolSelection`] leaves these tools out of a read-only selection unless
    /// credentials are allowed.
    pub returns_credentials: bool,
    /// JSON Schema of the input, `secretKey` included.
    pub input_schema: Value,
    /// JSON Schema of the input without `secretKey`, for a model that must never see the
    /// key; pair it with [`ClerkTools::call_with_secret`].
    pub input_schema_without_secret: Value,
    /// JSON Schema of a successful output.
    pub output_schema: Value,
}

/// What the description of a tool that returns credentials ends with.
const CREDENTIAL_NOTE: &str = "The output may carry credentials (tokens or sign-in links): treat it as secret.";

/// The schema of `secretKey` in the JSON interface.
fn secret_key_schema() -> Value {
    json!({"type": "string", "description": "The Clerk Secret Key for API authentication"})
}

/// Inputs of a tool of which at least one must be given, a rule serde's derive cannot state
/// (the typed input checks it when it runs). The schema states it too, so that a host can
/// check it before calling.
#[cfg(feature = "derive-schemas")]
pub(crate) const AT_LEAST_ONE_OF: &[(&str, &[&str])] = &[("clerk_list_sessions", &["userId", "clientId"])];

/// The tools' schemas, derived from their input and output types and committed: `cargo xtask
/// generate` writes the file (and its `--check` fails when the types have changed since), so
/// building the library derives nothing.
const TOOL_SCHEMAS: &str = include_str!("../tool-schemas.json");

/// The tools, in contract order, with their schemas. Built once.
pub fn tools() -> &'static [Tool] {
    static TOOLS: OnceLock<Vec<Tool>> = OnceLock::new();
    TOOLS.get_or_init(|| {
        let mut document: Value = serde_json::from_str(TOOL_SCHEMAS).unwrap_or_default();
        let mut schemas = match document.get_mut("tools").map(Value::take) {
            Some(Value::Object(schemas)) => schemas,
            _ => Map::new(),
        };
        DECLARATIONS
            .iter()
            .map(|declaration| {
                let mut schemas = schemas.shift_remove(declaration.name).unwrap_or_default();
                // A tool missing from the file means a stale file, which the drift check and
                // the schema tests fail on; meanwhile its input is any object.
                let input_schema_without_secret = match schemas.get_mut("input").map(Value::take) {
                    Some(input @ Value::Object(_)) => input,
                    _ => json!({"type": "object", "properties": {}}),
                };
                let returns_credentials = schemas.get("returnsCredentials") == Some(&Value::Bool(true));
                let description = if returns_credentials {
                    format!("{}. {CREDENTIAL_NOTE}", declaration.description)
                } else {
                    declaration.description.to_string()
                };
                Tool {
                    name: declaration.name,
                    title: declaration.title,
                    description,
                    nature: declaration.nature,
                    returns_credentials,
                    input_schema: with_secret_key(&input_schema_without_secret),
                    input_schema_without_secret,
                    output_schema: schemas.get_mut("output").map(Value::take).unwrap_or_default(),
                }
            })
            .collect()
    })
}

/// The schema with `secretKey` as its first property and first required input. The maps are
/// rebuilt rather than edited in place, so every other property keeps its place.
fn with_secret_key(schema: &Value) -> Value {
    let Some(object) = schema.as_object() else { return schema.clone() };
    let mut with_key = Map::new();
    for (keyword, value) in object {
        match (keyword.as_str(), value) {
            ("properties", Value::Object(properties)) => {
                let mut properties_with_key = Map::new();
                properties_with_key.insert("secretKey".to_string(), secret_key_schema());
                properties_with_key.extend(properties.iter().map(|(name, property)| (name.clone(), property.clone())));
                with_key.insert(keyword.clone(), Value::Object(properties_with_key));
            }
            ("required", Value::Array(required)) => {
                let required_with_key = std::iter::once(json!("secretKey")).chain(required.iter().cloned()).collect();
                with_key.insert(keyword.clone(), Value::Array(required_with_key));
            }
            _ => {
                with_key.insert(keyword.clone(), value.clone());
            }
        }
    }
    if !with_key.contains_key("required") {
        with_key.insert("required".to_string(), json!(["secretKey"]));
    }
    Value::Object(with_key)
}

/// The tool called `name`, if there is one.
pub fn find_tool(name: &str) -> Option<&'static Tool> {
    tools().iter().find(|tool| tool.name == name)
}

/// Reads a tool input, naming the offending field in plain words on failure; an unknown
/// input names the closest known one.
fn parse_input<T: DeserializeOwned>(tool: &str, input: Value) -> Result<T, Error> {
    let Value::Object(fields) = input else {
        return Err(Error::invalid("input", "must be a JSON object of the tool's inputs"));
    };
    // The inputs are flat objects: serde names a missing or unknown field itself, and any
    // other failure belongs to the one field whose value alone fails the same way. Finding it
    // after the fact keeps the common path a plain decode, compiled once per input type.
    let message = match T::deserialize(Value::Object(fields.clone())) {
        Ok(parsed) => return Ok(parsed),
        Err(err) => err.to_string(),
    };
    let quoted = message.split('`').nth(1).unwrap_or_default().to_string();
    if message.starts_with("missing field") {
        return Err(Error::invalid(&quoted, "is required"));
    }
    if message.starts_with("unknown field") {
        let known = input_names(tool);
        let reason = match closest(&quoted, &known) {
            Some(near) => format!("is not an input of this tool; did you mean `{near}`?"),
            None => format!("is not an input of this tool; its inputs are {}", known.join(", ")),
        };
        return Err(Error::invalid(&quoted, reason));
    }
    let at_fault = fields.iter().find_map(|(name, value)| {
        let alone = Value::Object(Map::from_iter([(name.clone(), value.clone())]));
        match T::deserialize(alone) {
            Err(err) if err.to_string() == message => Some(name.clone()),
            _ => None,
        }
    });
    Err(Error::invalid(at_fault.as_deref().unwrap_or("input"), plain(&message)))
}

/// serde's messages name Rust types (`invalid type: integer, expected a string`); a person
/// reads what was expected.
fn plain(message: &str) -> String {
    let message = message.split(" at line ").next().unwrap_or(message);
    match message.split_once(", expected ") {
        Some((_, expected)) if message.starts_with("invalid type") => {
            let expected = match expected {
                "a string" | "a borrowed string" => "text",
                "a boolean" => "true or false",
                other => other,
            };
            format!("must be {expected}")
        }
        _ => message.to_string(),
    }
}

/// The error for a call to a tool that does not exist, naming the closest one when a tool's
/// name is near.
pub fn unknown_tool(name: &str) -> Error {
    let reason = match closest(name, &TOOL_NAMES) {
        Some(near) => format!("no tool is called `{name}`; did you mean `{near}`?"),
        None => format!("no tool is called `{name}`; the tools are {}", TOOL_NAMES.join(", ")),
    };
    Error::invalid("name", reason)
}

/// The input names of a tool (`secretKey` first), from its schema, in order.
fn input_names(tool: &str) -> Vec<&'static str> {
    let properties = find_tool(tool).and_then(|tool| tool.input_schema.get("properties")).and_then(Value::as_object);
    properties.map(|properties| properties.keys().map(String::as_str).collect()).unwrap_or_default()
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

fn to_output<O: Serialize>(output: O) -> Result<Value, Error> {
    serde_json::to_value(output).map_err(|err| Error::Decode {
        status: 200,
        message: err.to_string(),
        body_start: String::new(),
    })
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
            object.shift_remove("secretKey");
        }
        self.with_secret_key(secret_key.clone()).call(name, input).await
    }

    /// Runs the tool `name` on a JSON input and returns its output as JSON, or the error.
    pub async fn try_call(&self, name: &str, mut input: Value) -> Result<Value, Error> {
        if !input.is_object() {
            return Err(Error::invalid("input", "must be a JSON object of the tool's inputs"));
        }
        // `secretKey` is the JSON interface's way to give the key; it is not a field of the
        // typed inputs. Given, it is used for this call; absent, the client's own key is.
        let given_key = match input.as_object_mut().and_then(|object| object.shift_remove("secretKey")) {
            None | Some(Value::Null) => None,
            Some(Value::String(key)) => Some(SecretKey::new(key)),
            Some(_) => return Err(Error::invalid("secretKey", "must be text")),
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
        tools.dispatch(name, input).await
    }

    async fn dispatch(&self, name: &str, input: Value) -> Result<Value, Error> {
        match DECLARATIONS.iter().find(|declaration| declaration.name == name) {
            Some(declaration) => (declaration.run)(self, input).await,
            None => Err(unknown_tool(name)),
        }
    }
}
