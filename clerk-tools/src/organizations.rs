//! The organization tools: `clerk_list_organizations`, `clerk_get_organization`,
//! `clerk_create_organization`, `clerk_update_organization`, `clerk_delete_organization` and
//! `clerk_merge_organization_metadata`.

use clerk_api::types;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::client::{Call, ClerkTools};
use crate::conventions::{
    DeletedObjectOutput, agent, flag_or_false, in_range, path_id, require_any, required_text, text, with_present,
};
use crate::error::Error;

const LIST_ORGANIZATIONS: Call = Call { tool: "clerk_list_organizations", method: "GET", path: "/organizations" };
const GET_ORGANIZATION: Call =
    Call { tool: "clerk_get_organization", method: "GET", path: "/organizations/{organization_id}" };
const CREATE_ORGANIZATION: Call = Call { tool: "clerk_create_organization", method: "POST", path: "/organizations" };
const UPDATE_ORGANIZATION: Call =
    Call { tool: "clerk_update_organization", method: "PATCH", path: "/organizations/{organization_id}" };
const DELETE_ORGANIZATION: Call =
    Call { tool: "clerk_delete_organization", method: "DELETE", path: "/organizations/{organization_id}" };
const MERGE_ORGANIZATION_METADATA: Call = Call {
    tool: "clerk_merge_organization_metadata",
    method: "PATCH",
    path: "/organizations/{organization_id}/metadata",
};

/// Input of `clerk_list_organizations`.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "derive-schemas", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ListOrganizationsInput {
    /// Number of results per page (1-500, default: 10).
    #[serde(default, deserialize_with = "agent::number")]
    #[cfg_attr(feature = "derive-schemas", schemars(schema_with = "agent::schema::limit"))]
    pub limit: Option<i64>,
    /// Number of results to skip for pagination.
    #[serde(default, deserialize_with = "agent::number")]
    #[cfg_attr(feature = "derive-schemas", schemars(schema_with = "agent::schema::zero_or_more"))]
    pub offset: Option<i64>,
    /// Include member counts in the response.
    #[serde(default, deserialize_with = "agent::flag")]
    #[cfg_attr(feature = "derive-schemas", schemars(schema_with = "agent::schema::flag"))]
    pub include_members_count: Option<bool>,
    /// Search organizations by ID, name, or slug.
    #[serde(default)]
    pub query: Option<String>,
    /// Sort field (name, created_at, members_count) with optional +/- prefix.
    #[serde(default)]
    pub order_by: Option<String>,
}

/// Input of `clerk_get_organization`.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "derive-schemas", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct GetOrganizationInput {
    /// The ID (`org_...`) or slug of the organization to retrieve.
    pub organization_id: String,
}

/// Input of `clerk_create_organization`.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "derive-schemas", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CreateOrganizationInput {
    /// Name of the organization.
    pub name: String,
    /// User ID of the creator (will become admin).
    pub created_by: String,
    /// Slug identifier for the organization.
    #[serde(default)]
    pub slug: Option<String>,
    /// Maximum member capacity (0 for unlimited).
    #[serde(default, deserialize_with = "agent::number")]
    #[cfg_attr(feature = "derive-schemas", schemars(schema_with = "agent::schema::zero_or_more"))]
    pub max_allowed_memberships: Option<i64>,
    /// Public metadata (JSON object), as an object or a JSON string.
    #[serde(default, deserialize_with = "agent::object")]
    #[cfg_attr(feature = "derive-schemas", schemars(schema_with = "agent::schema::object"))]
    pub public_metadata: Option<Map<String, Value>>,
    /// Private metadata (JSON object), as an object or a JSON string.
    #[serde(default, deserialize_with = "agent::object")]
    #[cfg_attr(feature = "derive-schemas", schemars(schema_with = "agent::schema::object"))]
    pub private_metadata: Option<Map<String, Value>>,
}

/// Input of `clerk_update_organization`. Metadata is not among the inputs: since API version
/// 2026-05-12 the update refuses it, and `clerk_merge_organization_metadata` changes it.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "derive-schemas", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct UpdateOrganizationInput {
    /// The ID of the organization to update.
    pub organization_id: String,
    /// New name of the organization.
    #[serde(default)]
    pub name: Option<String>,
    /// New slug of the organization.
    #[serde(default)]
    pub slug: Option<String>,
    /// Maximum member capacity (0 for unlimited).
    #[serde(default, deserialize_with = "agent::number")]
    #[cfg_attr(feature = "derive-schemas", schemars(schema_with = "agent::schema::zero_or_more"))]
    pub max_allowed_memberships: Option<i64>,
    /// Whether admins may delete the organization through the Frontend API.
    #[serde(default, deserialize_with = "agent::flag")]
    #[cfg_attr(feature = "derive-schemas", schemars(schema_with = "agent::schema::flag"))]
    pub admin_delete_enabled: Option<bool>,
}

/// Input of `clerk_delete_organization`.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "derive-schemas", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DeleteOrganizationInput {
    /// The ID of the organization to delete. Its memberships and invitations are deleted too.
    pub organization_id: String,
}

/// Input of `clerk_merge_organization_metadata`. At least one of `publicMetadata` and
/// `privateMetadata` is required.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "derive-schemas", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct MergeOrganizationMetadataInput {
    /// The ID of the organization whose metadata to change.
    pub organization_id: String,
    /// Public metadata to merge in (JSON object), as an object or a JSON string: nested objects
    /// merge key by key, a key set to null is removed, other keys are kept.
    #[serde(default, deserialize_with = "agent::object")]
    #[cfg_attr(feature = "derive-schemas", schemars(schema_with = "agent::schema::object"))]
    pub public_metadata: Option<Map<String, Value>>,
    /// Private metadata to merge in (JSON object, backend only), as an object or a JSON
    /// string: nested objects merge key by key, a key set to null is removed, other keys are
    /// kept.
    #[serde(default, deserialize_with = "agent::object")]
    #[cfg_attr(feature = "derive-schemas", schemars(schema_with = "agent::schema::object"))]
    pub private_metadata: Option<Map<String, Value>>,
}

/// An organization as the organization tools report it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "derive-schemas", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct OrganizationObject {
    /// Organization ID.
    pub id: Option<String>,
    /// Organization name.
    pub name: Option<String>,
    /// Organization slug.
    pub slug: Option<String>,
    /// Organization image URL.
    pub image_url: Option<String>,
    /// Whether the organization has an image.
    pub has_image: bool,
    /// Number of members (when requested or known).
    pub members_count: Option<i64>,
    /// Number of pending invitations.
    pub pending_invitations_count: Option<i64>,
    /// Maximum allowed memberships (0 for unlimited).
    pub max_allowed_memberships: Option<i64>,
    /// Whether admins can delete the organization.
    pub admin_delete_enabled: bool,
    /// User ID of the creator.
    pub created_by: Option<String>,
    /// Creation timestamp (Unix milliseconds).
    pub created_at: Option<i64>,
    /// Last update timestamp (Unix milliseconds).
    pub updated_at: Option<i64>,
    /// Public metadata.
    pub public_metadata: Map<String, Value>,
}

/// Output of `clerk_list_organizations`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "derive-schemas", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct ListOrganizationsOutput {
    /// The page of organizations.
    pub organizations: Vec<OrganizationObject>,
    /// Total number of organizations matching the query (Clerk's `total_count`).
    pub total_count: i64,
    /// Always `true`.
    pub success: bool,
}

/// Output of `clerk_get_organization`, `clerk_create_organization`,
/// `clerk_update_organization` and `clerk_merge_organization_metadata`: the organization
/// object plus `success`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "derive-schemas", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct OrganizationOutput {
    /// The organization.
    #[serde(flatten)]
    pub organization: OrganizationObject,
    /// Always `true`.
    pub success: bool,
}

/// Output of `clerk_delete_organization`: the deleted object, `object` being `organization`.
pub type DeleteOrganizationOutput = DeletedObjectOutput;

impl From<types::Organization> for OrganizationObject {
    fn from(organization: types::Organization) -> Self {
        OrganizationObject {
            id: organization.id,
            name: organization.name,
            slug: organization.slug,
            image_url: organization.image_url,
            has_image: flag_or_false(organization.has_image),
            members_count: organization.members_count,
            pending_invitations_count: organization.pending_invitations_count,
            max_allowed_memberships: organization.max_allowed_memberships,
            admin_delete_enabled: flag_or_false(organization.admin_delete_enabled),
            created_by: organization.created_by,
            created_at: organization.created_at,
            updated_at: organization.updated_at,
            public_metadata: organization.public_metadata.unwrap_or_default(),
        }
    }
}

impl From<types::Organization> for OrganizationOutput {
    fn from(organization: types::Organization) -> Self {
        OrganizationOutput { organization: organization.into(), success: true }
    }
}

impl ClerkTools {
    /// `clerk_list_organizations`: lists organizations with Clerk's `total_count`.
    ///
    /// ```no_run
    /// # async fn demo() -> Result<(), clerk_tools::Error> {
    /// use clerk_tools::{ClerkTools, ListOrganizationsInput};
    /// let page = ClerkTools::from_env()?
    ///     .list_organizations(ListOrganizationsInput {
    ///         order_by: Some("-members_count".into()),
    ///         include_members_count: Some(true.into()),
    ///         ..Default::default()
    ///     })
    ///     .await?;
    /// println!("{} organizations", page.total_count);
    /// # Ok(())
    /// # }
    /// ```
    pub async fn list_organizations(&self, input: ListOrganizationsInput) -> Result<ListOrganizationsOutput, Error> {
        let limit = in_range("limit", input.limit, 1, Some(500))?;
        let offset = in_range("offset", input.offset, 0, None)?;
        let include_members_count = input.include_members_count;
        let query = text(input.query.as_deref());
        let order_by = text(input.order_by.as_deref());
        let api = self.api()?;
        let page = self
            .execute(&api, LIST_ORGANIZATIONS, || {
                with_present!(
                    api.list_organizations(),
                    limit = limit,
                    offset = offset,
                    include_members_count = include_members_count,
                    query = query.clone(),
                    order_by = order_by.clone(),
                )
                .send()
            })
            .await?;
        Ok(ListOrganizationsOutput {
            total_count: page.total_count_or_len(),
            organizations: page.data.into_iter().map(OrganizationObject::from).collect(),
            success: true,
        })
    }

    /// `clerk_get_organization`: one organization by ID or slug.
    ///
    /// ```no_run
    /// # async fn demo() -> Result<(), clerk_tools::Error> {
    /// use clerk_tools::{ClerkTools, GetOrganizationInput};
    /// let found = ClerkTools::from_env()?
    ///     .get_organization(GetOrganizationInput { organization_id: "acme".into() })
    ///     .await?;
    /// println!("{:?}", found.organization.name);
    /// # Ok(())
    /// # }
    /// ```
    pub async fn get_organization(&self, input: GetOrganizationInput) -> Result<OrganizationOutput, Error> {
        let organization_id = path_id("organizationId", Some(&input.organization_id))?;
        let api = self.api()?;
        let organization = self
            .execute(&api, GET_ORGANIZATION, || api.get_organization().organization_id(organization_id.as_str()).send())
            .await?;
        Ok(organization.into())
    }

    /// `clerk_create_organization`: creates an organization whose creator becomes its admin.
    ///
    /// ```no_run
    /// # async fn demo() -> Result<(), clerk_tools::Error> {
    /// use clerk_tools::{ClerkTools, CreateOrganizationInput};
    /// let created = ClerkTools::from_env()?
    ///     .create_organization(CreateOrganizationInput {
    ///         name: "Acme".into(),
    ///         created_by: "user_2x1".into(),
    ///         slug: Some("acme".into()),
    ///         ..Default::default()
    ///     })
    ///     .await?;
    /// println!("{:?}", created.organization.id);
    /// # Ok(())
    /// # }
    /// ```
    pub async fn create_organization(&self, input: CreateOrganizationInput) -> Result<OrganizationOutput, Error> {
        let name = required_text("name", Some(&input.name))?;
        let created_by = required_text("createdBy", Some(&input.created_by))?;
        let slug = text(input.slug.as_deref());
        let max_allowed_memberships = in_range("maxAllowedMemberships", input.max_allowed_memberships, 0, None)?;
        let public_metadata = input.public_metadata.clone();
        let private_metadata = input.private_metadata.clone();
        let api = self.api()?;
        let organization = self
            .execute(&api, CREATE_ORGANIZATION, || {
                api.create_organization()
                    .body_map(|body| {
                        with_present!(
                            body,
                            name = Some(name.clone()),
                            created_by = Some(created_by.clone()),
                            slug = slug.clone(),
                            max_allowed_memberships = max_allowed_memberships,
                            public_metadata = public_metadata.clone(),
                            private_metadata = private_metadata.clone(),
                        )
                    })
                    .send()
            })
            .await?;
        Ok(organization.into())
    }

    /// `clerk_update_organization`: changes the given fields of an organization; an update
    /// with nothing to change is an error, and nothing is sent.
    ///
    /// ```no_run
    /// # async fn demo() -> Result<(), clerk_tools::Error> {
    /// use clerk_tools::{ClerkTools, UpdateOrganizationInput};
    /// let updated = ClerkTools::from_env()?
    ///     .update_organization(UpdateOrganizationInput {
    ///         organization_id: "org_2x1".into(),
    ///         name: Some("Acme Inc".into()),
    ///         max_allowed_memberships: Some(50),
    ///         ..Default::default()
    ///     })
    ///     .await?;
    /// println!("{:?}", updated.organization.name);
    /// # Ok(())
    /// # }
    /// ```
    pub async fn update_organization(&self, input: UpdateOrganizationInput) -> Result<OrganizationOutput, Error> {
        let organization_id = path_id("organizationId", Some(&input.organization_id))?;
        let name = text(input.name.as_deref());
        let slug = text(input.slug.as_deref());
        let max_allowed_memberships = in_range("maxAllowedMemberships", input.max_allowed_memberships, 0, None)?;
        let admin_delete_enabled = input.admin_delete_enabled;
        require_any(
            "update",
            &[
                ("name", name.is_some()),
                ("slug", slug.is_some()),
                ("maxAllowedMemberships", max_allowed_memberships.is_some()),
                ("adminDeleteEnabled", admin_delete_enabled.is_some()),
            ],
        )?;
        let api = self.api()?;
        let organization = self
            .execute(&api, UPDATE_ORGANIZATION, || {
                api.update_organization()
                    .organization_id(organization_id.as_str())
                    .body_map(|body| {
                        with_present!(
                            body,
                            name = name.clone(),
                            slug = slug.clone(),
                            max_allowed_memberships = max_allowed_memberships,
                            admin_delete_enabled = admin_delete_enabled,
                        )
                    })
                    .send()
            })
            .await?;
        Ok(organization.into())
    }

    /// `clerk_delete_organization`: deletes an organization with all its memberships and
    /// invitations. Irreversible.
    ///
    /// ```no_run
    /// # async fn demo() -> Result<(), clerk_tools::Error> {
    /// use clerk_tools::{ClerkTools, DeleteOrganizationInput};
    /// let deleted = ClerkTools::from_env()?
    ///     .delete_organization(DeleteOrganizationInput { organization_id: "org_2x1".into() })
    ///     .await?;
    /// assert!(deleted.deleted);
    /// # Ok(())
    /// # }
    /// ```
    pub async fn delete_organization(&self, input: DeleteOrganizationInput) -> Result<DeleteOrganizationOutput, Error> {
        let organization_id = path_id("organizationId", Some(&input.organization_id))?;
        let api = self.api()?;
        let deleted = self
            .execute(&api, DELETE_ORGANIZATION, || {
                api.delete_organization().organization_id(organization_id.as_str()).send()
            })
            .await?;
        Ok(DeletedObjectOutput::from_response(deleted, organization_id, "organization"))
    }

    /// `clerk_merge_organization_metadata`: deep-merges the given metadata into the
    /// organization's. Nested objects merge key by key and a key set to `null` is removed;
    /// keys not mentioned, and a metadata field not given, stay as they are.
    ///
    /// ```no_run
    /// # async fn demo() -> Result<(), clerk_tools::Error> {
    /// use clerk_tools::{ClerkTools, MergeOrganizationMetadataInput};
    /// let merged = ClerkTools::from_env()?
    ///     .merge_organization_metadata(MergeOrganizationMetadataInput {
    ///         organization_id: "org_2x1".into(),
    ///         // Sets `plan`, removes `trial`, keeps every other key.
    ///         public_metadata: serde_json::json!({"plan": "pro", "trial": null}).as_object().cloned(),
    ///         ..Default::default()
    ///     })
    ///     .await?;
    /// println!("{:?}", merged.organization.public_metadata);
    /// # Ok(())
    /// # }
    /// ```
    pub async fn merge_organization_metadata(
        &self,
        input: MergeOrganizationMetadataInput,
    ) -> Result<OrganizationOutput, Error> {
        let organization_id = path_id("organizationId", Some(&input.organization_id))?;
        let public_metadata = input.public_metadata.clone();
        let private_metadata = input.private_metadata.clone();
        require_any(
            "merge",
            &[("publicMetadata", public_metadata.is_some()), ("privateMetadata", private_metadata.is_some())],
        )?;
        let api = self.api()?;
        let organization = self
            .execute(&api, MERGE_ORGANIZATION_METADATA, || {
                api.merge_organization_metadata()
                    .organization_id(organization_id.as_str())
                    .body_map(|body| {
                        with_present!(
                            body,
                            public_metadata = public_metadata.clone(),
                            private_metadata = private_metadata.clone(),
                        )
                    })
                    .send()
            })
            .await?;
        Ok(organization.into())
    }
}
