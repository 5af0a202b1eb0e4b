//! The allowlist and blocklist tools: `clerk_list_allowlist_identifiers`,
//! `clerk_create_allowlist_identifier`, `clerk_delete_allowlist_identifier`,
//! `clerk_list_blocklist_identifiers`, `clerk_create_blocklist_identifier`,
//! `clerk_delete_blocklist_identifier`.

use clerk_api::{ListStream, Page, types};

use crate::client::ClerkTools;
use crate::error::Error;
use crate::execute::{ToolCall, page_of, send, with_present};
use crate::input::{LIMIT, PATH_ID, REQUIRED, ZERO_OR_MORE, input};
use crate::output::DeletedObjectOutput;
use crate::schema::output;

input! {
    /// Input of `clerk_list_allowlist_identifiers`.
    pub struct ListAllowlistIdentifiersInput {
        /// Number of results per page (default: 10).
        #[rule(LIMIT)]
        pub limit: Option<i64>,
        /// Number of results to skip for pagination.
        #[rule(ZERO_OR_MORE)]
        pub offset: Option<i64>,
    }
}

input! {
    /// Input of `clerk_create_allowlist_identifier`.
    pub struct CreateAllowlistIdentifierInput {
        /// The email address, phone number or web3 wallet to allow; email wildcards such as
        /// `*@example.com` allow a whole domain.
        #[rule(REQUIRED)]
        pub identifier: String,
        /// Whether to send the identifier an invitation (default: false; email addresses and
        /// phone numbers only).
        pub notify: Option<bool>,
    }
}

input! {
    /// Input of `clerk_delete_allowlist_identifier`.
    pub struct DeleteAllowlistIdentifierInput {
        /// The ID of the allowlist entry to remove (not the email address or phone number
        /// itself).
        #[rule(PATH_ID)]
        pub identifier_id: String,
    }
}

input! {
    /// Input of `clerk_list_blocklist_identifiers`: none besides the key, since the endpoint
    /// takes no parameters.
    pub struct ListBlocklistIdentifiersInput {
    }
}

input! {
    /// Input of `clerk_create_blocklist_identifier`.
    pub struct CreateBlocklistIdentifierInput {
        /// The email address, phone number or web3 wallet to block.
        #[rule(REQUIRED)]
        pub identifier: String,
    }
}

input! {
    /// Input of `clerk_delete_blocklist_identifier`.
    pub struct DeleteBlocklistIdentifierInput {
        /// The ID of the blocklist entry to remove (not the email address or phone number
        /// itself).
        #[rule(PATH_ID)]
        pub identifier_id: String,
    }
}

output! {
    /// An allowlist entry.
    pub struct AllowlistIdentifierObject {
        /// Entry ID.
        pub id: Option<String>,
        /// The allowed email address, phone number or web3 wallet.
        pub identifier: Option<String>,
        /// The identifier's type (`email_address`, `phone_number`, `web3_wallet`).
        pub identifier_type: Option<String>,
        /// ID of the invitation sent when the entry was added with `notify`.
        pub invitation_id: Option<String>,
        /// Creation timestamp (Unix milliseconds).
        pub created_at: Option<i64>,
        /// Last update timestamp (Unix milliseconds).
        pub updated_at: Option<i64>,
    }
}

output! {
    /// A blocklist entry.
    pub struct BlocklistIdentifierObject {
        /// Entry ID.
        pub id: Option<String>,
        /// The blocked email address, phone number or web3 wallet.
        pub identifier: Option<String>,
        /// The identifier's type (`email_address`, `phone_number`, `web3_wallet`).
        pub identifier_type: Option<String>,
        /// Creation timestamp (Unix milliseconds).
        pub created_at: Option<i64>,
        /// Last update timestamp (Unix milliseconds).
        pub updated_at: Option<i64>,
    }
}

output! {
    /// Output of `clerk_list_allowlist_identifiers`.
    pub struct ListAllowlistIdentifiersOutput {
        /// The page of allowlist entries.
        pub identifiers: Vec<AllowlistIdentifierObject>,
        /// Total number of allowlisted identifiers when Clerk reports it, else the number returned.
        pub total_count: i64,
        /// Always `true`.
        pub success: bool,
    }
}

output! {
    /// Output of `clerk_create_allowlist_identifier`: the new entry plus `success`.
    pub struct AllowlistIdentifierOutput {
        /// The entry.
        #[serde(flatten)]
        pub identifier: AllowlistIdentifierObject,
        /// Always `true`.
        pub success: bool,
    }
}

output! {
    /// Output of `clerk_list_blocklist_identifiers`.
    pub struct ListBlocklistIdentifiersOutput {
        /// The blocklist entries.
        pub identifiers: Vec<BlocklistIdentifierObject>,
        /// Total number of blocklisted identifiers (Clerk's `total_count`).
        pub total_count: i64,
        /// Always `true`.
        pub success: bool,
    }
}

output! {
    /// Output of `clerk_create_blocklist_identifier`: the new entry plus `success`.
    pub struct BlocklistIdentifierOutput {
        /// The entry.
        #[serde(flatten)]
        pub identifier: BlocklistIdentifierObject,
        /// Always `true`.
        pub success: bool,
    }
}

impl From<types::AllowlistIdentifier> for AllowlistIdentifierObject {
    fn from(entry: types::AllowlistIdentifier) -> Self {
        AllowlistIdentifierObject {
            id: entry.id,
            identifier: entry.identifier,
            identifier_type: entry.identifier_type,
            invitation_id: entry.invitation_id,
            created_at: entry.created_at,
            updated_at: entry.updated_at,
        }
    }
}

impl From<types::BlocklistIdentifier> for BlocklistIdentifierObject {
    fn from(entry: types::BlocklistIdentifier) -> Self {
        BlocklistIdentifierObject {
            id: entry.id,
            identifier: entry.identifier,
            identifier_type: entry.identifier_type,
            created_at: entry.created_at,
            updated_at: entry.updated_at,
        }
    }
}

/// One page of the request of `clerk_list_allowlist_identifiers`: the tool's page, and each page of
/// [`ClerkTools::allowlist_identifiers`].
async fn allowlist_identifiers_page(
    call: &ToolCall<'_>,
    limit: Option<i64>,
    offset: Option<i64>,
) -> Result<Page<types::AllowlistIdentifier>, Error> {
    send!(call, api.list_allowlist_identifiers().paginated(true), limit = limit, offset = offset).await
}

impl ClerkTools {
    /// `clerk_list_allowlist_identifiers`: the instance's allowlist. Asks Clerk for the
    /// paginated form so that `totalCount` is the real total.
    ///
    /// ```no_run
    /// # async fn demo() -> Result<(), clerk_tools::Error> {
    /// use clerk_tools::{ClerkTools, ListAllowlistIdentifiersInput};
    /// let page = ClerkTools::from_env()?
    ///     .list_allowlist_identifiers(ListAllowlistIdentifiersInput { limit: Some(50), ..Default::default() })
    ///     .await?;
    /// for entry in &page.identifiers {
    ///     println!("{:?} ({:?})", entry.identifier, entry.identifier_type);
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub async fn list_allowlist_identifiers(
        &self,
        input: ListAllowlistIdentifiersInput,
    ) -> Result<ListAllowlistIdentifiersOutput, Error> {
        let (call, input) = self.begin(input)?;
        let answer = allowlist_identifiers_page(&call, input.limit, input.offset).await?;
        let total_count = answer.total_count_or_len();
        let entries = answer.data;
        Ok(ListAllowlistIdentifiersOutput {
            identifiers: entries.into_iter().map(AllowlistIdentifierObject::from).collect(),
            total_count,
            success: true,
        })
    }

    /// Every identifier that `clerk_list_allowlist_identifiers` would list for `input`, page after
    /// page: see [every item of a list](crate#every-item-of-a-list).
    pub fn allowlist_identifiers(
        &self,
        input: ListAllowlistIdentifiersInput,
    ) -> Result<ListStream<'_, AllowlistIdentifierObject, Error>, Error> {
        self.list_stream(
            input,
            |input| (input.limit, input.offset),
            |call, _, limit, offset| async move {
                allowlist_identifiers_page(&call, Some(limit), Some(offset)).await.map(page_of)
            },
        )
    }

    /// `clerk_create_allowlist_identifier`: allows an email address (or a whole domain, as
    /// `*@example.com`), a phone number or a web3 wallet to sign up. `notify` is sent whenever
    /// given, `false` included.
    ///
    /// ```no_run
    /// # async fn demo() -> Result<(), clerk_tools::Error> {
    /// use clerk_tools::{ClerkTools, CreateAllowlistIdentifierInput};
    /// let added = ClerkTools::from_env()?
    ///     .create_allowlist_identifier(CreateAllowlistIdentifierInput {
    ///         identifier: "*@example.com".into(),
    ///         notify: None,
    ///     })
    ///     .await?;
    /// println!("{:?}", added.identifier.id);
    /// # Ok(())
    /// # }
    /// ```
    pub async fn create_allowlist_identifier(
        &self,
        input: CreateAllowlistIdentifierInput,
    ) -> Result<AllowlistIdentifierOutput, Error> {
        let (call, input) = self.begin(input)?;
        let entry = send!(
            call,
            api.create_allowlist_identifier()
                .body_map(|body| { with_present!(body.identifier(input.identifier.clone()), notify = input.notify) })
        )
        .await?;
        Ok(AllowlistIdentifierOutput { identifier: entry.into(), success: true })
    }

    /// `clerk_delete_allowlist_identifier`: removes an entry from the allowlist, by the entry's
    /// ID.
    ///
    /// ```no_run
    /// # async fn demo() -> Result<(), clerk_tools::Error> {
    /// use clerk_tools::{ClerkTools, DeleteAllowlistIdentifierInput};
    /// let deleted = ClerkTools::from_env()?
    ///     .delete_allowlist_identifier(DeleteAllowlistIdentifierInput { identifier_id: "alid_2x1".into() })
    ///     .await?;
    /// assert!(deleted.deleted);
    /// # Ok(())
    /// # }
    /// ```
    pub async fn delete_allowlist_identifier(
        &self,
        input: DeleteAllowlistIdentifierInput,
    ) -> Result<DeletedObjectOutput, Error> {
        let (call, input) = self.begin(input)?;
        let deleted =
            send!(call, api.delete_allowlist_identifier().identifier_id(input.identifier_id.as_str())).await?;
        Ok(DeletedObjectOutput::from_response(deleted, input.identifier_id, "allowlist_identifier"))
    }

    /// `clerk_list_blocklist_identifiers`: the instance's whole blocklist, with Clerk's
    /// `total_count`.
    ///
    /// ```no_run
    /// # async fn demo() -> Result<(), clerk_tools::Error> {
    /// use clerk_tools::{ClerkTools, ListBlocklistIdentifiersInput};
    /// let blocked = ClerkTools::from_env()?.list_blocklist_identifiers(ListBlocklistIdentifiersInput {}).await?;
    /// println!("{} blocked", blocked.total_count);
    /// # Ok(())
    /// # }
    /// ```
    pub async fn list_blocklist_identifiers(
        &self,
        input: ListBlocklistIdentifiersInput,
    ) -> Result<ListBlocklistIdentifiersOutput, Error> {
        let (call, _) = self.begin(input)?;
        let page = send!(call, api.list_blocklist_identifiers()).await?;
        let total_count = page.total_count_or_len();
        let identifiers: Vec<BlocklistIdentifierObject> =
            page.data.into_iter().map(BlocklistIdentifierObject::from).collect();
        Ok(ListBlocklistIdentifiersOutput { total_count, identifiers, success: true })
    }

    /// `clerk_create_blocklist_identifier`: blocks an email address, phone number or web3
    /// wallet from signing up or accessing the instance.
    ///
    /// ```no_run
    /// # async fn demo() -> Result<(), clerk_tools::Error> {
    /// use clerk_tools::{ClerkTools, CreateBlocklistIdentifierInput};
    /// let blocked = ClerkTools::from_env()?
    ///     .create_blocklist_identifier(CreateBlocklistIdentifierInput { identifier: "spam@example.com".into() })
    ///     .await?;
    /// println!("{:?}", blocked.identifier.id);
    /// # Ok(())
    /// # }
    /// ```
    pub async fn create_blocklist_identifier(
        &self,
        input: CreateBlocklistIdentifierInput,
    ) -> Result<BlocklistIdentifierOutput, Error> {
        let (call, input) = self.begin(input)?;
        let entry =
            send!(call, api.create_blocklist_identifier().body_map(|body| body.identifier(input.identifier.clone())))
                .await?;
        Ok(BlocklistIdentifierOutput { identifier: entry.into(), success: true })
    }

    /// `clerk_delete_blocklist_identifier`: removes an entry from the blocklist, by the entry's
    /// ID.
    ///
    /// ```no_run
    /// # async fn demo() -> Result<(), clerk_tools::Error> {
    /// use clerk_tools::{ClerkTools, DeleteBlocklistIdentifierInput};
    /// let deleted = ClerkTools::from_env()?
    ///     .delete_blocklist_identifier(DeleteBlocklistIdentifierInput { identifier_id: "blid_2x1".into() })
    ///     .await?;
    /// assert!(deleted.deleted);
    /// # Ok(())
    /// # }
    /// ```
    pub async fn delete_blocklist_identifier(
        &self,
        input: DeleteBlocklistIdentifierInput,
    ) -> Result<DeletedObjectOutput, Error> {
        let (call, input) = self.begin(input)?;
        let deleted =
            send!(call, api.delete_blocklist_identifier().identifier_id(input.identifier_id.as_str())).await?;
        Ok(DeletedObjectOutput::from_response(deleted, input.identifier_id, "blocklist_identifier"))
    }
}
