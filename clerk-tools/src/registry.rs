//! The table that declares every tool once, and the tools as hosts see them.

use std::sync::OnceLock;

use futures_util::future::BoxFuture;
use serde::Serialize;
use serde_json::Value;

use crate::actor_tokens::*;
use crate::client::ClerkTools;
use crate::error::Error;
use crate::identifiers::*;
use crate::invitations::*;
use crate::jwt_templates::*;
use crate::memberships::*;
use crate::organization_invitations::*;
use crate::organizations::*;
use crate::output::DeletedObjectOutput;
use crate::schema::{Found, output_schema};
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
pub(crate) type Run = for<'a> fn(&'a ClerkTools, Value) -> BoxFuture<'a, Result<Value, Error>>;

/// One entry of the table: everything about a tool, declared once.
pub(crate) struct Declaration {
    pub(crate) name: &'static str,
    pub(crate) title: &'static str,
    pub(crate) description: &'static str,
    pub(crate) nature: Nature,
    /// The operations of `clerk_api` it calls, by id (the client method's name, which is
    /// progenitor's `OperationInfo::operation_id`).
    pub(crate) operations: &'static [&'static str],
    /// The schema of its input, with the JSON interface's `secretKey` or without it.
    pub(crate) input_schema: fn(bool) -> Value,
    /// Describes its output.
    pub(crate) output: fn(&mut Found) -> Value,
    /// Its JSON door.
    pub(crate) run: Run,
}

/// A tool's input type knows its tool, so that a typed call traces and treats its requests
/// as the tool's.
pub(crate) trait Declared {
    fn declaration() -> &'static Declaration;
}

/// Declares every tool once: its method (the tool is `clerk_` and the method's name), input
/// and output types, nature, the operations it calls, title and description. [`TOOL_NAMES`],
/// [`tools()`], the JSON interface, the CLI's `list` and the MCP server's `tools/list` all
/// derive from it.
macro_rules! tool_table {
    ($(
        $method:ident($input:ty) -> $output:ty, $nature:expr, [$($operation:ident),+ $(,)?],
        $title:literal, $description:literal;
    )*) => {
        /// Names of the tools, in table order.
        pub const TOOL_NAMES: [&str; [$(stringify!($method)),*].len()] = [$(concat!("clerk_", stringify!($method))),*];

        #[allow(non_camel_case_types)]
        enum Index { $($method),* }

        pub(crate) static DECLARATIONS: [Declaration; TOOL_NAMES.len()] = [$(
            Declaration {
                name: concat!("clerk_", stringify!($method)),
                title: $title,
                description: $description,
                nature: $nature,
                operations: &[$(stringify!($operation)),+],
                input_schema: crate::schema::input_schema::<$input>,
                output: <$output as crate::schema::Describe>::describe,
                run: |tools, input| {
                    Box::pin(async move {
                        let input = crate::json::read_input::<$input>(input)?;
                        crate::json::write_output(tools.$method(input).await?)
                    })
                },
            },
        )*];

        $(
            impl Declared for $input {
                fn declaration() -> &'static Declaration {
                    &DECLARATIONS[Index::$method as usize]
                }
            }
        )*

        /// Every declared operation is a method of the client this build compiles.
        #[allow(dead_code)]
        fn operations_exist() {
            $($(let _ = clerk_api::Client::$operation;)+)*
        }
    };
}

tool_table! {
    list_users(ListUsersInput) -> ListUsersOutput, READ, [get_user_list, get_users_count],
        "List users", "List all users in your Clerk application with optional filtering and pagination";
    get_user(GetUserInput) -> GetUserOutput, READ, [get_user],
        "Get a user", "Retrieve a single user by their ID from Clerk";
    create_user(CreateUserInput) -> CreateUserOutput, CREATE, [create_user],
        "Create a user", "Create a new user in your Clerk application";
    update_user(UpdateUserInput) -> UpdateUserOutput, UPDATE, [update_user, replace_user_metadata],
        "Update a user", "Update an existing user in your Clerk application";
    delete_user(DeleteUserInput) -> DeleteUserOutput, REMOVE, [delete_user],
        "Delete a user", "Delete a user from your Clerk application";
    list_organizations(ListOrganizationsInput) -> ListOrganizationsOutput, READ, [list_organizations],
        "List organizations", "List all organizations in your Clerk application with optional filtering";
    get_organization(GetOrganizationInput) -> OrganizationOutput, READ, [get_organization],
        "Get an organization", "Retrieve a single organization by ID or slug from Clerk";
    create_organization(CreateOrganizationInput) -> OrganizationOutput, CREATE, [create_organization],
        "Create an organization", "Create a new organization in your Clerk application";
    list_sessions(ListSessionsInput) -> ListSessionsOutput, READ, [get_session_list],
        "List sessions", "List sessions for a user or client in your Clerk application";
    get_session(GetSessionInput) -> SessionOutput, READ, [get_session],
        "Get a session", "Retrieve a single session by ID from Clerk";
    revoke_session(RevokeSessionInput) -> SessionOutput, REMOVE, [revoke_session],
        "Revoke a session", "Revoke a session to immediately invalidate it";
    update_organization(UpdateOrganizationInput) -> OrganizationOutput, UPDATE, [update_organization],
        "Update an organization", "Update an existing organization";
    delete_organization(DeleteOrganizationInput) -> DeleteOrganizationOutput, REMOVE, [delete_organization],
        "Delete an organization", "Delete an organization";
    list_organization_memberships(ListOrganizationMembershipsInput) -> ListOrganizationMembershipsOutput, READ,
        [list_organization_memberships],
        "List organization members", "List an organization's members with optional filtering and pagination";
    add_organization_member(AddOrganizationMemberInput) -> MembershipOutput, CREATE,
        [create_organization_membership],
        "Add an organization member", "Add a user to an organization with a role";
    update_organization_membership(UpdateOrganizationMembershipInput) -> MembershipOutput, UPDATE,
        [update_organization_membership],
        "Change a member's role", "Change a member's role";
    remove_organization_member(RemoveOrganizationMemberInput) -> MembershipOutput, REMOVE,
        [delete_organization_membership],
        "Remove an organization member", "Remove a member from an organization";
    create_organization_invitation(CreateOrganizationInvitationInput) -> OrganizationInvitationOutput, CREATE,
        [create_organization_invitation],
        "Invite to an organization", "Invite an email address to an organization with a role";
    list_organization_invitations(ListOrganizationInvitationsInput) -> ListOrganizationInvitationsOutput, READ,
        [list_organization_invitations],
        "List organization invitations", "List an organization's pending and past invitations";
    ban_user(BanUserInput) -> ModeratedUserOutput, REMOVE, [ban_user],
        "Ban a user", "Ban a user so they cannot sign in";
    unban_user(UnbanUserInput) -> ModeratedUserOutput, UPDATE, [unban_user],
        "Unban a user", "Lift a ban so the user can sign in again";
    lock_user(LockUserInput) -> ModeratedUserOutput, REMOVE, [lock_user],
        "Lock a user", "Lock a user account, blocking sign-in";
    unlock_user(UnlockUserInput) -> ModeratedUserOutput, UPDATE, [unlock_user],
        "Unlock a user", "Unlock a locked user account";
    get_user_oauth_token(GetUserOAuthTokenInput) -> GetUserOAuthTokenOutput, READ, [get_oauth_access_token],
        "Get a user's OAuth token", "Get a user's OAuth access token for a connected provider";
    list_allowlist_identifiers(ListAllowlistIdentifiersInput) -> ListAllowlistIdentifiersOutput, READ,
        [list_allowlist_identifiers],
        "List allowlist identifiers", "List identifiers on the instance allowlist";
    create_allowlist_identifier(CreateAllowlistIdentifierInput) -> AllowlistIdentifierOutput, CREATE,
        [create_allowlist_identifier],
        "Add to the allowlist", "Add an email, phone number or web3 wallet to the allowlist";
    delete_allowlist_identifier(DeleteAllowlistIdentifierInput) -> DeletedObjectOutput, REMOVE,
        [delete_allowlist_identifier],
        "Remove from the allowlist", "Remove an identifier from the allowlist";
    list_blocklist_identifiers(ListBlocklistIdentifiersInput) -> ListBlocklistIdentifiersOutput, READ,
        [list_blocklist_identifiers],
        "List blocklist identifiers", "List identifiers on the instance blocklist";
    create_blocklist_identifier(CreateBlocklistIdentifierInput) -> BlocklistIdentifierOutput, CREATE,
        [create_blocklist_identifier],
        "Add to the blocklist", "Add an email, phone number or web3 wallet to the blocklist";
    delete_blocklist_identifier(DeleteBlocklistIdentifierInput) -> DeletedObjectOutput, REMOVE,
        [delete_blocklist_identifier],
        "Remove from the blocklist", "Remove an identifier from the blocklist";
    list_jwt_templates(ListJwtTemplatesInput) -> ListJwtTemplatesOutput, READ, [list_jwt_templates],
        "List JWT templates", "List the instance's JWT templates";
    get_jwt_template(GetJwtTemplateInput) -> JwtTemplateOutput, READ, [get_jwt_template],
        "Get a JWT template", "Retrieve a single JWT template by ID";
    create_actor_token(CreateActorTokenInput) -> ActorTokenOutput, CREATE, [create_actor_token],
        "Create an actor token", "Create an actor token to impersonate a user (e.g. for support tooling)";
    revoke_actor_token(RevokeActorTokenInput) -> ActorTokenOutput, REMOVE, [revoke_actor_token],
        "Revoke an actor token", "Revoke an actor token before it is used or expires";
    merge_user_metadata(MergeUserMetadataInput) -> UpdateUserOutput, UPDATE, [update_user_metadata],
        "Merge user metadata", "Deep-merge metadata into a user; a key set to null is removed";
    merge_organization_metadata(MergeOrganizationMetadataInput) -> OrganizationOutput, UPDATE,
        [merge_organization_metadata],
        "Merge organization metadata", "Deep-merge metadata into an organization; a key set to null is removed";
    create_invitation(CreateInvitationInput) -> ApplicationInvitationOutput, CREATE, [create_invitation],
        "Invite a user", "Invite an email address to sign up to your Clerk application";
    list_invitations(ListInvitationsInput) -> ListInvitationsOutput, READ, [list_invitations],
        "List invitations", "List your Clerk application's invitations with optional filtering and pagination";
    revoke_invitation(RevokeInvitationInput) -> ApplicationInvitationOutput, REMOVE, [revoke_invitation],
        "Revoke an invitation", "Revoke an application invitation so its link no longer works";
}

/// One tool as an agent runtime sees it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
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
    /// The operations of Clerk's Backend API the tool calls, by the `clerk_api` client
    /// method's name (`get_user_list`); [`clerk_api::Operation::find`] gives each one's method
    /// and path.
    pub operations: &'static [&'static str],
    /// For a generated operation tool, the API groups (toolsets) of its operation, which
    /// [`crate::ToolSelection::toolsets`] selects by; empty for the curated tools, which every
    /// selection offers.
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    pub groups: &'static [&'static str],
    /// JSON Schema of the input, `secretKey` included.
    pub input_schema: Value,
    /// JSON Schema of the input without `secretKey`, for a model that must never see the
    /// key; pair it with [`ClerkTools::call_with_secret`].
    pub input_schema_without_secret: Value,
    /// JSON Schema of a successful output; `None` for a generated operation tool, whose
    /// output is `{"success": true, "result": ...}` with whatever Clerk answered.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub output_schema: Option<Value>,
}

/// What the description of a tool that returns credentials ends with.
pub(crate) const CREDENTIAL_NOTE: &str =
    "The output may carry credentials (tokens or sign-in links): treat it as secret.";

/// A tool's description as hosts see it: with [`CREDENTIAL_NOTE`] after it, as a sentence of
/// its own, when the tool returns credentials.
pub(crate) fn description_with_note(description: &str, returns_credentials: bool) -> String {
    if !returns_credentials {
        return description.to_string();
    }
    let stop = if description.ends_with('.') { "" } else { "." };
    format!("{description}{stop} {CREDENTIAL_NOTE}")
}

impl Tool {
    fn from_declaration(declaration: &Declaration) -> Tool {
        let (output_schema, returns_credentials) = output_schema(declaration.output);
        let description = description_with_note(declaration.description, returns_credentials);
        Tool {
            name: declaration.name,
            title: declaration.title,
            description,
            nature: declaration.nature,
            returns_credentials,
            operations: declaration.operations,
            groups: &[],
            input_schema: (declaration.input_schema)(true),
            input_schema_without_secret: (declaration.input_schema)(false),
            output_schema: Some(output_schema),
        }
    }

    /// A tool built by hand, for tests of code that takes tools (a selection, a host).
    #[cfg(test)]
    pub(crate) fn sample(name: &'static str, nature: Nature, returns_credentials: bool) -> Tool {
        let object = serde_json::json!({"type": "object"});
        Tool {
            name,
            title: name,
            description: name.to_string(),
            nature,
            returns_credentials,
            operations: &[],
            groups: &[],
            input_schema: object.clone(),
            input_schema_without_secret: object.clone(),
            output_schema: Some(object),
        }
    }
}

/// The tools, in table order, with their schemas. Built once.
pub fn tools() -> &'static [Tool] {
    static TOOLS: OnceLock<Vec<Tool>> = OnceLock::new();
    TOOLS.get_or_init(|| DECLARATIONS.iter().map(Tool::from_declaration).collect())
}

/// The tool called `name`, if there is one: a curated tool, or with the `operations` feature a
/// generated operation tool.
pub fn find_tool(name: &str) -> Option<&'static Tool> {
    if let Some(tool) = tools().iter().find(|tool| tool.name == name) {
        return Some(tool);
    }
    #[cfg(feature = "operations")]
    if crate::operations::declaration(name).is_some() {
        return crate::operations::operation_tools().iter().find(|tool| tool.name == name);
    }
    None
}

impl Declaration {
    /// Its tool, as [`tools()`] lists it.
    pub(crate) fn tool(&'static self) -> Option<&'static Tool> {
        let index = DECLARATIONS.iter().position(|declaration| std::ptr::eq(declaration, self))?;
        tools().get(index)
    }
}
