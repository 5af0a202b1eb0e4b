//! Organizations: creation (with the creator as the first admin), updates, metadata, deletion
//! (with everything that belongs to the organization) and the list of `GET /organizations`.

use std::collections::HashMap;

use serde_json::{Map, Value};

use super::{
    Listed, MetadataChanges, Order, Page, SortKey, Store, apply_metadata, needle, ordered_page, text_key, trimmed,
};
use crate::error::ApiError;

/// Clerk's default for a new organization when the instance sets no other.
const DEFAULT_MAX_ALLOWED_MEMBERSHIPS: i64 = 5;

/// What `order_by` accepts on `GET /organizations`.
pub(crate) const ORGANIZATION_ORDER_FIELDS: &[&str] = &["name", "created_at", "members_count"];

#[derive(Debug, Clone)]
pub(crate) struct Organization {
    pub(crate) id: String,
    pub(crate) name: String,
    pub(crate) slug: String,
    /// 0 means no limit.
    pub(crate) max_allowed_memberships: i64,
    pub(crate) admin_delete_enabled: bool,
    pub(crate) public_metadata: Map<String, Value>,
    pub(crate) private_metadata: Map<String, Value>,
    pub(crate) created_by: String,
    pub(crate) created_at: i64,
    pub(crate) updated_at: i64,
}

/// The fields of `POST /organizations`; the required ones are optional here so that their
/// absence is reported as Clerk reports it.
#[derive(Debug, Default)]
pub(crate) struct NewOrganization {
    pub(crate) name: Option<String>,
    pub(crate) created_by: Option<String>,
    pub(crate) slug: Option<String>,
    pub(crate) max_allowed_memberships: Option<i64>,
    pub(crate) public_metadata: Option<Map<String, Value>>,
    pub(crate) private_metadata: Option<Map<String, Value>>,
}

/// The fields of `PATCH /organizations/{organization_id}`; `None` leaves a field as it is.
#[derive(Debug, Default)]
pub(crate) struct OrganizationChanges {
    pub(crate) name: Option<String>,
    pub(crate) slug: Option<String>,
    pub(crate) max_allowed_memberships: Option<i64>,
    pub(crate) admin_delete_enabled: Option<bool>,
}

/// The filter of `GET /organizations`: `query` matches the id, name or slug.
#[derive(Debug, Default)]
pub(crate) struct OrganizationFilter {
    pub(crate) query: Option<String>,
}

fn valid_slug(slug: &str) -> bool {
    slug.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
}

fn check_slug(slug: &str) -> Result<(), ApiError> {
    if valid_slug(slug) {
        Ok(())
    } else {
        Err(ApiError::format_invalid(
            "slug",
            "slug must contain only lowercase letters, digits, hyphens and underscores.",
        ))
    }
}

fn check_max_allowed_memberships(max: i64) -> Result<(), ApiError> {
    if max < 0 {
        return Err(ApiError::value_invalid(
            "max_allowed_memberships",
            "max_allowed_memberships must be greater than or equal to 0.",
        ));
    }
    Ok(())
}

/// "Analytical Engine!" becomes "analytical-engine".
fn slugify(name: &str) -> String {
    let mut slug = String::with_capacity(name.len());
    for c in name.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            slug.push(c);
        } else if !slug.ends_with('-') {
            slug.push('-');
        }
    }
    slug.trim_matches('-').to_owned()
}

impl Store {
    fn check_slug_free(&self, slug: &str, owner: Option<&str>) -> Result<(), ApiError> {
        match self.organizations.values().find(|organization| organization.slug == slug) {
            Some(holder) if Some(holder.id.as_str()) != owner => {
                Err(ApiError::identifier_exists("slug", "This slug is taken. Please try another."))
            }
            _ => Ok(()),
        }
    }

    /// Creates the organization with its creator as its first `org:admin` member.
    pub(crate) fn create_organization(&mut self, new: NewOrganization) -> Result<&Organization, ApiError> {
        let name = trimmed(new.name).ok_or_else(|| ApiError::param_missing("name", "name must be included."))?;
        let created_by = trimmed(new.created_by)
            .ok_or_else(|| ApiError::param_missing("created_by", "created_by must be included."))?;
        if !self.users.contains_key(&created_by) {
            return Err(ApiError::value_invalid("created_by", "created_by must be an existing user"));
        }
        let given_slug = trimmed(new.slug);
        if let Some(slug) = &given_slug {
            check_slug(slug)?;
        }
        let max_allowed_memberships = new.max_allowed_memberships.unwrap_or(DEFAULT_MAX_ALLOWED_MEMBERSHIPS);
        check_max_allowed_memberships(max_allowed_memberships)?;
        let id = self.ids.next("org");
        // A name without letters or digits has no natural slug; the id always gives one.
        let slug = given_slug.unwrap_or_else(|| match slugify(&name) {
            slug if slug.is_empty() => id.to_lowercase().replace('_', "-"),
            slug => slug,
        });
        self.check_slug_free(&slug, None)?;
        let now = self.clock.tick();
        let organization = Organization {
            id: id.clone(),
            name,
            slug,
            max_allowed_memberships,
            admin_delete_enabled: true,
            public_metadata: new.public_metadata.unwrap_or_default(),
            private_metadata: new.private_metadata.unwrap_or_default(),
            created_by: created_by.clone(),
            created_at: now,
            updated_at: now,
        };
        self.organizations.insert(id.clone(), organization);
        self.insert_membership(&id, &created_by, super::memberships::ADMIN_ROLE, None, None, now);
        self.organization_by_id(&id)
    }

    /// `GET /organizations/{organization_id}` accepts an organization's id or its slug.
    pub(crate) fn organization(&self, id_or_slug: &str) -> Result<&Organization, ApiError> {
        self.organizations
            .get(id_or_slug)
            .or_else(|| self.organizations.values().find(|organization| organization.slug == id_or_slug))
            .ok_or_else(|| ApiError::not_found("Organization"))
    }

    /// The other organization endpoints take the id only (API version 2026-05-12 documents
    /// slugs for `GET` alone), so a slug is an unknown organization there.
    pub(crate) fn organization_by_id(&self, id: &str) -> Result<&Organization, ApiError> {
        self.organizations.get(id).ok_or_else(|| ApiError::not_found("Organization"))
    }

    pub(crate) fn update_organization(
        &mut self,
        id: &str,
        changes: OrganizationChanges,
    ) -> Result<&Organization, ApiError> {
        self.organization_by_id(id)?;
        let not_empty = |name: &str, value: String| {
            trimmed(Some(value)).ok_or_else(|| ApiError::value_invalid(name, format!("{name} must not be empty.")))
        };
        let name = changes.name.map(|name| not_empty("name", name)).transpose()?;
        let slug = changes.slug.map(|slug| not_empty("slug", slug)).transpose()?;
        if let Some(slug) = &slug {
            check_slug(slug)?;
            self.check_slug_free(slug, Some(id))?;
        }
        if let Some(max) = changes.max_allowed_memberships {
            check_max_allowed_memberships(max)?;
        }
        let now = self.clock.tick();
        let organization = self.organization_mut(id)?;
        if let Some(name) = name {
            organization.name = name;
        }
        if let Some(slug) = slug {
            organization.slug = slug;
        }
        if let Some(max) = changes.max_allowed_memberships {
            organization.max_allowed_memberships = max;
        }
        if let Some(enabled) = changes.admin_delete_enabled {
            organization.admin_delete_enabled = enabled;
        }
        organization.updated_at = now;
        Ok(organization)
    }

    /// `PUT /organizations/{organization_id}/metadata` (replace each given field) or, with
    /// `merge`, `PATCH` (deep merge, `null` removing a key).
    pub(crate) fn organization_metadata(
        &mut self,
        id: &str,
        changes: MetadataChanges,
        merge: bool,
    ) -> Result<&Organization, ApiError> {
        self.organization_by_id(id)?;
        let now = self.clock.tick();
        let organization = self.organization_mut(id)?;
        apply_metadata(&mut organization.public_metadata, changes.public_metadata, merge);
        apply_metadata(&mut organization.private_metadata, changes.private_metadata, merge);
        organization.updated_at = now;
        Ok(organization)
    }

    fn organization_mut(&mut self, id: &str) -> Result<&mut Organization, ApiError> {
        self.organizations.get_mut(id).ok_or_else(|| ApiError::not_found("Organization"))
    }

    /// Removes the organization with all its memberships and invitations, as Clerk does, and
    /// returns it as it was.
    pub(crate) fn delete_organization(&mut self, id: &str) -> Result<Organization, ApiError> {
        let organization = self.organizations.remove(id).ok_or_else(|| ApiError::not_found("Organization"))?;
        self.memberships.retain(|_, membership| membership.organization_id != id);
        self.organization_invitations.retain(|_, invitation| invitation.organization_id != id);
        Ok(organization)
    }

    pub(crate) fn members_count(&self, organization_id: &str) -> usize {
        self.memberships.values().filter(|membership| membership.organization_id == organization_id).count()
    }

    pub(crate) fn pending_invitations_count(&self, organization_id: &str) -> usize {
        let now = self.now();
        self.organization_invitations
            .values()
            .filter(|invitation| invitation.organization_id == organization_id && invitation.is_pending(now))
            .count()
    }

    pub(crate) fn list_organizations(
        &self,
        filter: &OrganizationFilter,
        order: Order,
        page: Page,
    ) -> Listed<&Organization> {
        let needle = needle(filter.query.as_deref());
        let mut members: HashMap<&str, i64> = HashMap::new();
        for membership in self.memberships.values() {
            *members.entry(membership.organization_id.as_str()).or_default() += 1;
        }
        let organizations = self.organizations.values().filter(|organization| {
            needle.as_deref().is_none_or(|needle| {
                [&organization.id, &organization.name, &organization.slug]
                    .iter()
                    .any(|text| text.to_lowercase().contains(needle))
            })
        });
        ordered_page(organizations, order, page, |organization, field| {
            let key = match field {
                "name" => text_key(&organization.name),
                "members_count" => SortKey::Number(members.get(organization.id.as_str()).copied().unwrap_or(0)),
                _ => SortKey::Number(organization.created_at),
            };
            (Some(key), organization.created_at)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_come_from_names() {
        assert_eq!(slugify("Analytical Engine"), "analytical-engine");
        assert_eq!(slugify("  Harvard  Mark I! "), "harvard-mark-i");
        assert_eq!(slugify("!!!"), "");
    }
}
