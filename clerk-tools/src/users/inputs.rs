//! Inputs of the user tools, as agents send them (camelCase JSON) and as Rust callers build
//! them. Loose types (numbers as strings, metadata as JSON text) are accepted here and
//! checked by the conventions before anything is sent.

use schemars::JsonSchema;
use serde::Deserialize;
use serde_json::Value;

use crate::conventions::{FlagInput, NumberInput};
use crate::secret::SecretKey;

/// Input of `clerk_list_users`.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ListUsersInput {
    /// The Clerk Secret Key for API authentication.
    pub secret_key: SecretKey,
    /// Number of results per page (1-500, default: 10).
    #[serde(default)]
    pub limit: Option<NumberInput>,
    /// Number of results to skip for pagination.
    #[serde(default)]
    pub offset: Option<NumberInput>,
    /// Sort field with optional +/- prefix for direction (default: -created_at).
    #[serde(default)]
    pub order_by: Option<String>,
    /// Filter by email address (comma-separated for multiple).
    #[serde(default)]
    pub email_address: Option<String>,
    /// Filter by phone number (comma-separated for multiple).
    #[serde(default)]
    pub phone_number: Option<String>,
    /// Filter by external ID (comma-separated for multiple).
    #[serde(default)]
    pub external_id: Option<String>,
    /// Filter by username (comma-separated for multiple).
    #[serde(default)]
    pub username: Option<String>,
    /// Filter by user ID (comma-separated for multiple).
    #[serde(default)]
    pub user_id: Option<String>,
    /// Search query to match across email, phone, username, and names.
    #[serde(default)]
    pub query: Option<String>,
}

/// Input of `clerk_get_user`.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct GetUserInput {
    /// The Clerk Secret Key for API authentication.
    pub secret_key: SecretKey,
    /// The ID of the user to retrieve.
    pub user_id: String,
}

/// Input of `clerk_create_user`.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CreateUserInput {
    /// The Clerk Secret Key for API authentication.
    pub secret_key: SecretKey,
    /// Email addresses for the user (comma-separated for multiple).
    #[serde(default)]
    pub email_address: Option<String>,
    /// Phone numbers for the user (comma-separated for multiple).
    #[serde(default)]
    pub phone_number: Option<String>,
    /// Username for the user (must be unique).
    #[serde(default)]
    pub username: Option<String>,
    /// Password for the user (minimum 8 characters); sent exactly as given.
    #[serde(default)]
    pub password: Option<String>,
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
    #[serde(default)]
    pub public_metadata: Option<Value>,
    /// Private metadata (JSON object, backend only), as an object or a JSON string.
    #[serde(default)]
    pub private_metadata: Option<Value>,
    /// Unsafe metadata (JSON object, modifiable from frontend), as an object or a JSON string.
    #[serde(default)]
    pub unsafe_metadata: Option<Value>,
    /// Skip password validation checks.
    #[serde(default)]
    pub skip_password_checks: Option<FlagInput>,
    /// Make password optional.
    #[serde(default)]
    pub skip_password_requirement: Option<FlagInput>,
}

/// Input of `clerk_update_user`.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct UpdateUserInput {
    /// The Clerk Secret Key for API authentication.
    pub secret_key: SecretKey,
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
    pub password: Option<String>,
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
    #[serde(default)]
    pub public_metadata: Option<Value>,
    /// Private metadata (JSON object), as an object or a JSON string.
    #[serde(default)]
    pub private_metadata: Option<Value>,
    /// Unsafe metadata (JSON object), as an object or a JSON string.
    #[serde(default)]
    pub unsafe_metadata: Option<Value>,
    /// Skip password validation checks.
    #[serde(default)]
    pub skip_password_checks: Option<FlagInput>,
}

/// Input of `clerk_delete_user`.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DeleteUserInput {
    /// The Clerk Secret Key for API authentication.
    pub secret_key: SecretKey,
    /// The ID of the user to delete.
    pub user_id: String,
}
