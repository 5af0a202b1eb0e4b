//! `clerk_merge_user_metadata`: deep-merges metadata into a user (`PATCH
//! /users/{user_id}/metadata`), where `clerk_update_user` replaces each field whole.

use serde::Deserialize;
use serde_json::{Map, Value};

use super::UpdateUserOutput;
use crate::client::{Call, ClerkTools};
use crate::conventions::{agent, path_id, require_any, with_present};
use crate::error::Error;

const MERGE_USER_METADATA: Call =
    Call { tool: "clerk_merge_user_metadata", method: "PATCH", path: "/users/{user_id}/metadata" };

/// Input of `clerk_merge_user_metadata`. At least one of the three metadata inputs is
/// required.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "derive-schemas", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct MergeUserMetadataInput {
    /// The ID of the user whose metadata to merge into.
    pub user_id: String,
    /// Public metadata to merge (JSON object, readable from frontend), as an object or a JSON
    /// string. Nested objects merge too; a key set to null is removed.
    #[serde(default, deserialize_with = "agent::object")]
    #[cfg_attr(feature = "derive-schemas", schemars(schema_with = "agent::schema::object"))]
    pub public_metadata: Option<Map<String, Value>>,
    /// Private metadata to merge (JSON object, backend only), as an object or a JSON string.
    /// Nested objects merge too; a key set to null is removed.
    #[serde(default, deserialize_with = "agent::object")]
    #[cfg_attr(feature = "derive-schemas", schemars(schema_with = "agent::schema::object"))]
    pub private_metadata: Option<Map<String, Value>>,
    /// Unsafe metadata to merge (JSON object, modifiable from frontend), as an object or a JSON
    /// string. Nested objects merge too; a key set to null is removed.
    #[serde(default, deserialize_with = "agent::object")]
    #[cfg_attr(feature = "derive-schemas", schemars(schema_with = "agent::schema::object"))]
    pub unsafe_metadata: Option<Map<String, Value>>,
}

impl ClerkTools {
    /// `clerk_merge_user_metadata`: deep-merges the given metadata into the user's: keys given
    /// are set, nested objects are merged, a key set to `null` is removed, and keys not given
    /// stay as they are. Nothing is sent when no metadata is given.
    ///
    /// ```no_run
    /// # async fn demo() -> Result<(), clerk_tools::Error> {
    /// use clerk_tools::{ClerkTools, MergeUserMetadataInput};
    /// let merged = ClerkTools::from_env()?
    ///     .merge_user_metadata(MergeUserMetadataInput {
    ///         user_id: "user_2x1".into(),
    ///         public_metadata: serde_json::json!({"plan": "pro", "trial": null}).as_object().cloned(),
    ///         ..Default::default()
    ///     })
    ///     .await?;
    /// println!("{:?}", merged.public_metadata);
    /// # Ok(())
    /// # }
    /// ```
    pub async fn merge_user_metadata(&self, input: MergeUserMetadataInput) -> Result<UpdateUserOutput, Error> {
        let user_id = path_id("userId", Some(&input.user_id))?;
        let public_metadata = input.public_metadata.clone();
        let private_metadata = input.private_metadata.clone();
        let unsafe_metadata = input.unsafe_metadata.clone();
        require_any(
            "merge",
            &[
                ("publicMetadata", public_metadata.is_some()),
                ("privateMetadata", private_metadata.is_some()),
                ("unsafeMetadata", unsafe_metadata.is_some()),
            ],
        )?;
        let api = self.api()?;
        let user = self
            .execute(&api, MERGE_USER_METADATA, || {
                api.update_user_metadata()
                    .user_id(user_id.as_str())
                    .body_map(|body| {
                        with_present!(
                            body,
                            public_metadata = public_metadata.clone(),
                            private_metadata = private_metadata.clone(),
                            unsafe_metadata = unsafe_metadata.clone(),
                        )
                    })
                    .send()
            })
            .await?;
        Ok(UpdateUserOutput::from(user))
    }
}
