//! Inputs of the user tools: Rust types for Rust callers, and the same structs read from the
//! camelCase JSON agents send, whose looser forms (numbers as strings, comma-separated lists,
//! metadata as JSON text) the `agent` deserializers accept. Ranges and IDs are checked by the
//! conventions before anything is sent.

use serde::Deserialize;
use serde_json::{Map, Value};

use crate::conventions::agent;
use crate::secret::Password;

/// Input of `clerk_list_users`.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "derive-schemas", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ListUsersInput {
    /// Number of results per page (1-500, default: 10).
    #[serde(default, deserialize_with = "agent::number")]
    #[cfg_attr(feature = "derive-schemas", schemars(schema_with = "agent::schema::limit"))]
    pub limit: Option<i64>,
    /// Number of results to skip for pagination.
    #[serde(default, deserialize_with = "agent::number")]
    #[cfg_attr(feature = "derive-schemas", schemars(schema_with = "agent::schema::zero_or_more"))]
    pub offset: Option<i64>,
    /// Sort field with optional +/- prefix for direction (default: -created_at).
    #[serde(default)]
    pub order_by: Option<String>,
    /// Filter by email address (comma-separated for multiple).
    #[serde(default, deserialize_with = "agent::list")]
    #[cfg_attr(feature = "derive-schemas", schemars(schema_with = "agent::schema::list"))]
    pub email_address: Vec<String>,
    /// Filter by phone number (comma-separated for multiple).
    #[serde(default, deserialize_with = "agent::list")]
    #[cfg_attr(feature = "derive-schemas", schemars(schema_with = "agent::schema::list"))]
    pub phone_number: Vec<String>,
    /// Filter by external ID (comma-separated for multiple).
    #[serde(default, deserialize_with = "agent::list")]
    #[cfg_attr(feature = "derive-schemas", schemars(schema_with = "agent::schema::list"))]
    pub external_id: Vec<String>,
    /// Filter by username (comma-separated for multiple).
    #[serde(default, deserialize_with = "agent::list")]
    #[cfg_attr(feature = "derive-schemas", schemars(schema_with = "agent::schema::list"))]
    pub username: Vec<String>,
    /// Filter by user ID (comma-separated for multiple).
    #[serde(default, deserialize_with = "agent::list")]
    #[cfg_attr(feature = "derive-schemas", schemars(schema_with = "agent::schema::list"))]
    pub user_id: Vec<String>,
    /// Search query to match across email, phone, username, and names.
    #[serde(default)]
    pub query: Option<String>,
}

/// Input of `clerk_get_user`.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "derive-schemas", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct GetUserInput {
    /// The ID of the user to retrieve.
    pub user_id: String,
}

/// Input of `clerk_create_user`.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "derive-schemas", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CreateUserInput {
    /// Email addresses for the user (comma-separated for multiple).
    #[serde(default, deserialize_with = "agent::list")]
    #[cfg_attr(feature = "derive-schemas", schemars(schema_with = "agent::schema::list"))]
    pub email_address: Vec<String>,
    /// Phone numbers for the user (comma-separated for multiple).
    #[serde(default, deserialize_with = "agent::list")]
    #[cfg_attr(feature = "derive-schemas", schemars(schema_with = "agent::schema::list"))]
    pub phone_number: Vec<String>,
    /// Username for the user (must be unique).
    #[serde(default)]
    pub username: Option<String>,
    /// Password for the user (minimum 8 characters); sent exactly as given.
    #[serde(default)]
    pub password: Option<Password>,
    /// First name of the user.
    #[serde(default)]
    pub first_name: Option<String>,
    /// Last name of the user.
    #[serde(default)]
    pub last_name: Option<String>,
    /// External system identifier (must be unique).
    #[serde(default)]
    pub external_id: Option<String>,
    /// Public metadata (JSON object, readable from frontend), as an object or a JSON string.
    #[serde(default, deserialize_with = "agent::object")]
    #[cfg_attr(feature = "derive-schemas", schemars(schema_with = "agent::schema::object"))]
    pub public_metadata: Option<Map<String, Value>>,
    /// Private metadata (JSON object, backend only), as an object or a JSON string.
    #[serde(default, deserialize_with = "agent::object")]
    #[cfg_attr(feature = "derive-schemas", schemars(schema_with = "agent::schema::object"))]
    pub private_metadata: Option<Map<String, Value>>,
    /// Unsafe metadata (JSON object, modifiable from frontend), as an object or a JSON string.
    #[serde(default, deserialize_with = "agent::object")]
    #[cfg_attr(feature = "derive-schemas", schemars(schema_with = "agent::schema::object"))]
    pub unsafe_metadata: Option<Map<String, Value>>,
    /// Skip password validation checks.
    #[serde(default, deserialize_with = "agent::flag")]
    #[cfg_attr(feature = "derive-schemas", schemars(schema_with = "agent::schema::flag"))]
    pub skip_password_checks: Option<bool>,
    /// Make password optional.
    #[serde(default, deserialize_with = "agent::flag")]
    #[cfg_attr(feature = "derive-schemas", schemars(schema_with = "agent::schema::flag"))]
    pub skip_password_requirement: Option<bool>,
}

/// Input of `clerk_update_user`.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "derive-schemas", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct UpdateUserInput {
    /// The ID of the user to update.
    pub user_id: String,
    /// First name of the user.
    #[serde(default)]
    pub first_name: Option<String>,
    /// Last name of the user.
    #[serde(default)]
    pub last_name: Option<String>,
    /// Username (must be unique).
    #[serde(default)]
    pub username: Option<String>,
    /// New password (minimum 8 characters); sent exactly as given.
    #[serde(default)]
    pub password: Option<Password>,
    /// External system identifier.
    #[serde(default)]
    pub external_id: Option<String>,
    /// ID of verified email to set as primary.
    #[serde(default)]
    pub primary_email_address_id: Option<String>,
    /// ID of verified phone to set as primary.
    #[serde(default)]
    pub primary_phone_number_id: Option<String>,
    /// Public metadata (JSON object), as an object or a JSON string.
    #[serde(default, deserialize_with = "agent::object")]
    #[cfg_attr(feature = "derive-schemas", schemars(schema_with = "agent::schema::object"))]
    pub public_metadata: Option<Map<String, Value>>,
    /// Private metadata (JSON object), as an object or a JSON string.
    #[serde(default, deserialize_with = "agent::object")]
    #[cfg_attr(feature = "derive-schemas", schemars(schema_with = "agent::schema::object"))]
    pub private_metadata: Option<Map<String, Value>>,
    /// Unsafe metadata (JSON object), as an object or a JSON string.
    #[serde(default, deserialize_with = "agent::object")]
    #[cfg_attr(feature = "derive-schemas", schemars(schema_with = "agent::schema::object"))]
    pub unsafe_metadata: Option<Map<String, Value>>,
    /// Skip password validation checks.
    #[serde(default, deserialize_with = "agent::flag")]
    #[cfg_attr(feature = "derive-schemas", schemars(schema_with = "agent::schema::flag"))]
    pub skip_password_checks: Option<bool>,
}

/// Input of `clerk_delete_user`.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "derive-schemas", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DeleteUserInput {
    /// The ID of the user to delete.
    pub user_id: String,
}
