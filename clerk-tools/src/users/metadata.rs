//! `clerk_merge_user_metadata`: deep-merges metadata into a user (`PATCH
//! /users/{user_id}/metadata`), where `clerk_update_user` replaces each field whole.

use serde_json::{Map, Value};

use super::UpdateUserOutput;
use crate::client::ClerkTools;
use crate::error::Error;
use crate::execute::{send, with_present};
use crate::input::{PATH_ID, input};

input! {
    /// Input of `clerk_merge_user_metadata`.
    #[requires_change("merge")]
    pub struct MergeUserMetadataInput {
        /// The ID of the user whose metadata to merge into.
        #[rule(PATH_ID)]
        pub user_id: String,
        /// Public metadata to merge (JSON object, readable from frontend), as an object or a JSON
        /// string. Nested objects merge too; a key set to null is removed.
        pub public_metadata: Option<Map<String, Value>>,
        /// Private metadata to merge (JSON object, backend only), as an object or a JSON string.
        /// Nested objects merge too; a key set to null is removed.
        pub private_metadata: Option<Map<String, Value>>,
        /// Unsafe metadata to merge (JSON object, modifiable from frontend), as an object or a JSON
        /// string. Nested objects merge too; a key set to null is removed.
        pub unsafe_metadata: Option<Map<String, Value>>,
    }
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
        let (call, input) = self.begin(input)?;
        let user = send!(
            call,
            api.update_user_metadata().user_id(input.user_id.as_str()).body_map(|body| {
                with_present!(
                    body,
                    public_metadata = input.public_metadata.clone(),
                    private_metadata = input.private_metadata.clone(),
                    unsafe_metadata = input.unsafe_metadata.clone(),
                )
            })
        )
        .await?;
        Ok(UpdateUserOutput::from(user))
    }
}
