//! Inputs of the user tools: Rust types for Rust callers, and the same structs read from the
//! camelCase JSON agents send.

use serde_json::{Map, Value};

use crate::input::{LIMIT, PATH_ID, ZERO_OR_MORE, input};
use crate::secret::Password;

input! {
    /// Input of `clerk_list_users`.
    pub struct ListUsersInput {
        /// Number of results per page (default: 10).
        #[rule(LIMIT)]
        pub limit: Option<i64>,
        /// Number of results to skip for pagination.
        #[rule(ZERO_OR_MORE)]
        pub offset: Option<i64>,
        /// Sort field with optional +/- prefix for direction (default: -created_at).
        pub order_by: Option<String>,
        /// Filter by email address (comma-separated for multiple).
        pub email_address: Vec<String>,
        /// Filter by phone number (comma-separated for multiple).
        pub phone_number: Vec<String>,
        /// Filter by external ID (comma-separated for multiple).
        pub external_id: Vec<String>,
        /// Filter by username (comma-separated for multiple).
        pub username: Vec<String>,
        /// Filter by user ID (comma-separated for multiple).
        pub user_id: Vec<String>,
        /// Search query to match across email, phone, username, and names.
        pub query: Option<String>,
    }
}

input! {
    /// Input of `clerk_get_user`.
    pub struct GetUserInput {
        /// The ID of the user to retrieve.
        #[rule(PATH_ID)]
        pub user_id: String,
    }
}

input! {
    /// Input of `clerk_create_user`.
    #[at_least_one_of(email_address, phone_number, username)]
    pub struct CreateUserInput {
        /// Email addresses for the user (comma-separated for multiple).
        pub email_address: Vec<String>,
        /// Phone numbers for the user (comma-separated for multiple).
        pub phone_number: Vec<String>,
        /// Username for the user (must be unique).
        pub username: Option<String>,
        /// Password for the user (minimum 8 characters); sent exactly as given.
        pub password: Option<Password>,
        /// First name of the user.
        pub first_name: Option<String>,
        /// Last name of the user.
        pub last_name: Option<String>,
        /// External system identifier (must be unique).
        pub external_id: Option<String>,
        /// Public metadata (JSON object, readable from frontend), as an object or a JSON string.
        pub public_metadata: Option<Map<String, Value>>,
        /// Private metadata (JSON object, backend only), as an object or a JSON string.
        pub private_metadata: Option<Map<String, Value>>,
        /// Unsafe metadata (JSON object, modifiable from frontend), as an object or a JSON string.
        pub unsafe_metadata: Option<Map<String, Value>>,
        /// Skip password validation checks.
        pub skip_password_checks: Option<bool>,
        /// Make password optional.
        pub skip_password_requirement: Option<bool>,
    }
}

input! {
    /// Input of `clerk_update_user`.
    #[requires_change("update")]
    pub struct UpdateUserInput {
        /// The ID of the user to update.
        #[rule(PATH_ID)]
        pub user_id: String,
        /// First name of the user.
        pub first_name: Option<String>,
        /// Last name of the user.
        pub last_name: Option<String>,
        /// Username (must be unique).
        pub username: Option<String>,
        /// New password (minimum 8 characters); sent exactly as given.
        pub password: Option<Password>,
        /// External system identifier.
        pub external_id: Option<String>,
        /// ID of verified email to set as primary.
        pub primary_email_address_id: Option<String>,
        /// ID of verified phone to set as primary.
        pub primary_phone_number_id: Option<String>,
        /// Public metadata (JSON object), as an object or a JSON string.
        pub public_metadata: Option<Map<String, Value>>,
        /// Private metadata (JSON object), as an object or a JSON string.
        pub private_metadata: Option<Map<String, Value>>,
        /// Unsafe metadata (JSON object), as an object or a JSON string.
        pub unsafe_metadata: Option<Map<String, Value>>,
        /// Skip password validation checks.
        pub skip_password_checks: Option<bool>,
    }
}

input! {
    /// Input of `clerk_delete_user`.
    pub struct DeleteUserInput {
        /// The ID of the user to delete.
        #[rule(PATH_ID)]
        pub user_id: String,
    }
}
