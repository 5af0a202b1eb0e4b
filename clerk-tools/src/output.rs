//! The output every deleting tool shares. Each tool's other outputs live with the tool; they
//! are declared with [`crate::schema::output!`], every contract field always present (`null`,
//! `false`, `{}` or `[]` when Clerk did not return it), camelCase, timestamps in Unix
//! milliseconds.

use clerk_api::types;

use crate::schema::output;

output! {
    /// Output of the tools that delete something: Clerk's deleted object.
    pub struct DeletedObjectOutput {
        /// ID of the deleted object.
        pub id: Option<String>,
        /// The deleted object's type (`user`, `allowlist_identifier`, ...).
        pub object: String,
        /// Whether the object was deleted.
        pub deleted: bool,
        /// Always `true`.
        pub success: bool,
    }
}

impl DeletedObjectOutput {
    /// Clerk's answer, completed: Clerk may leave out the `id` (the requested one is meant),
    /// and a success answer without `object` or `deleted` still means the object is gone.
    pub fn from_response(response: types::DeletedObject, requested_id: String, default_object: &str) -> Self {
        DeletedObjectOutput {
            id: response.id.or(Some(requested_id)),
            object: response.object.unwrap_or_else(|| default_object.to_string()),
            deleted: response.deleted.unwrap_or(true),
            success: true,
        }
    }
}
