//! Organization memberships: who belongs to which organization, with which role.

use serde_json::{Map, Value};

use super::{Listed, Order, Page, SortKey, Store, User, UserFilter, ordered_page, trimmed};
use crate::error::ApiError;

/// An organization role: its key (`org:admin`), its display name and what it allows.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Role {
    pub(crate) key: &'static str,
    pub(crate) name: &'static str,
    pub(crate) permissions: &'static [&'static str],
}

/// The two roles every Clerk instance starts with, with their system permissions.
pub(crate) const ROLES: [Role; 2] = [
    Role {
        key: "org:admin",
        name: "Admin",
        permissions: &[
            "org:sys_profile:manage",
            "org:sys_profile:delete",
            "org:sys_memberships:read",
            "org:sys_memberships:manage",
            "org:sys_domains:read",
            "org:sys_domains:manage",
        ],
    },
    Role { key: "org:member", name: "Member", permissions: &["org:sys_memberships:read"] },
];

/// The role of an organization's creator, and the one an organization cannot be left without.
pub(super) const ADMIN_ROLE: &Role = &ROLES[0];

/// What `order_by` accepts on `GET /organizations/{organization_id}/memberships`.
pub(crate) const MEMBERSHIP_ORDER_FIELDS: &[&str] =
    &["created_at", "first_name", "last_name", "username", "email_address", "phone_number"];

/// Looks a role up by its key, refusing the keys the instance does not have.
pub(crate) fn role(key: &str) -> Result<&'static Role, ApiError> {
    ROLES.iter().find(|role| role.key == key).ok_or_else(|| {
        let allowed: Vec<&str> = ROLES.iter().map(|role| role.key).collect();
        ApiError::value_invalid(
            "role",
            format!(
                "{key} does not match the allowed values for parameter role. Allowed values: {}",
                allowed.join(", ")
            ),
        )
    })
}

/// A required role key of a request body, checked.
pub(super) fn required_role(key: Option<String>) -> Result<&'static Role, ApiError> {
    role(&trimmed(key).ok_or_else(|| ApiError::param_missing("role", "role must be included."))?)
}

#[derive(Debug, Clone)]
pub(crate) struct Membership {
    pub(crate) id: String,
    pub(crate) organization_id: String,
    pub(crate) user_id: String,
    pub(crate) role: &'static Role,
    pub(crate) public_metadata: Map<String, Value>,
    pub(crate) private_metadata: Map<String, Value>,
    pub(crate) created_at: i64,
    pub(crate) updated_at: i64,
}

/// The filters of the membership list: the member filters of `GET /users`, and `role`
/// (repeated; a role the instance does not have matches nobody).
#[derive(Debug, Default)]
pub(crate) struct MembershipFilter {
    pub(crate) users: UserFilter,
    pub(crate) roles: Vec<String>,
}

impl Store {
    pub(super) fn insert_membership(
        &mut self,
        organization_id: &str,
        user_id: &str,
        role: &'static Role,
        public_metadata: Option<Map<String, Value>>,
        private_metadata: Option<Map<String, Value>>,
        now: i64,
    ) -> String {
        let id = self.ids.next("orgmem");
        let membership = Membership {
            id: id.clone(),
            organization_id: organization_id.to_owned(),
            user_id: user_id.to_owned(),
            role,
            public_metadata: public_metadata.unwrap_or_default(),
            private_metadata: private_metadata.unwrap_or_default(),
            created_at: now,
            updated_at: now,
        };
        self.memberships.insert(id.clone(), membership);
        id
    }

    /// Refuses a new member or invitation once the organization's limit is reached; Clerk
    /// counts pending invitations against the limit too.
    pub(super) fn check_membership_quota(&self, organization_id: &str) -> Result<(), ApiError> {
        let max = self.organization_by_id(organization_id)?.max_allowed_memberships;
        let taken = self.members_count(organization_id) + self.pending_invitations_count(organization_id);
        if max > 0 && taken as i64 >= max {
            return Err(ApiError::membership_quota_exceeded(max));
        }
        Ok(())
    }

    /// `POST /organizations/{organization_id}/memberships`.
    pub(crate) fn create_membership(
        &mut self,
        organization_id: &str,
        user_id: Option<String>,
        role: Option<String>,
        public_metadata: Option<Map<String, Value>>,
        private_metadata: Option<Map<String, Value>>,
    ) -> Result<Membership, ApiError> {
        self.organization_by_id(organization_id)?;
        let user_id =
            trimmed(user_id).ok_or_else(|| ApiError::param_missing("user_id", "user_id must be included."))?;
        let role = required_role(role)?;
        let user = self.user(&user_id)?;
        if self.membership(organization_id, &user_id).is_ok() {
            return Err(ApiError::already_a_member(user.primary_email_address().unwrap_or(&user_id)));
        }
        self.check_membership_quota(organization_id)?;
        let now = self.clock.tick();
        let id = self.insert_membership(organization_id, &user_id, role, public_metadata, private_metadata, now);
        self.memberships.get(&id).cloned().ok_or_else(|| ApiError::not_found("Organization membership"))
    }

    /// The membership of `user_id` in the organization; 404 for an unknown organization too.
    pub(crate) fn membership(&self, organization_id: &str, user_id: &str) -> Result<&Membership, ApiError> {
        self.organization_by_id(organization_id)?;
        self.memberships
            .values()
            .find(|membership| membership.organization_id == organization_id && membership.user_id == user_id)
            .ok_or_else(|| ApiError::not_found("Organization membership"))
    }

    /// Refuses to leave an organization without an admin, as Clerk does: the last admin can
    /// neither be demoted nor removed.
    fn check_keeps_an_admin(&self, membership: &Membership) -> Result<(), ApiError> {
        let other_admins = self.memberships.values().any(|other| {
            other.organization_id == membership.organization_id && other.id != membership.id && other.role == ADMIN_ROLE
        });
        if membership.role == ADMIN_ROLE && !other_admins {
            return Err(ApiError::minimum_permissions_needed());
        }
        Ok(())
    }

    /// `PATCH /organizations/{organization_id}/memberships/{user_id}`: a new role.
    pub(crate) fn update_membership(
        &mut self,
        organization_id: &str,
        user_id: &str,
        role: Option<String>,
    ) -> Result<Membership, ApiError> {
        let membership = self.membership(organization_id, user_id)?;
        let role = required_role(role)?;
        if role != ADMIN_ROLE {
            self.check_keeps_an_admin(membership)?;
        }
        let id = membership.id.clone();
        let now = self.clock.tick();
        let membership = self.memberships.get_mut(&id).ok_or_else(|| ApiError::not_found("Organization membership"))?;
        membership.role = role;
        membership.updated_at = now;
        Ok(membership.clone())
    }

    /// `DELETE /organizations/{organization_id}/memberships/{user_id}`: the membership as it
    /// was, which Clerk answers with.
    pub(crate) fn delete_membership(&mut self, organization_id: &str, user_id: &str) -> Result<Membership, ApiError> {
        let membership = self.membership(organization_id, user_id)?;
        self.check_keeps_an_admin(membership)?;
        let id = membership.id.clone();
        self.memberships.remove(&id).ok_or_else(|| ApiError::not_found("Organization membership"))
    }

    pub(crate) fn list_memberships(
        &self,
        organization_id: &str,
        filter: &MembershipFilter,
        order: Order,
        page: Page,
    ) -> Result<Listed<(&Membership, &User)>, ApiError> {
        self.organization_by_id(organization_id)?;
        let matches = filter.users.matcher();
        let members = self.memberships.values().filter_map(|membership| {
            let user = self.users.get(&membership.user_id)?;
            let wanted = membership.organization_id == organization_id
                && (filter.roles.is_empty() || filter.roles.iter().any(|role| role == membership.role.key))
                && matches(user);
            wanted.then_some((membership, user))
        });
        Ok(ordered_page(members, order, page, |(membership, user), field| {
            let key = match field {
                "created_at" => Some(SortKey::Number(membership.created_at)),
                field => user.sort_key(field),
            };
            (key, membership.created_at)
        }))
    }

    /// Seeding: adds the user as a member unless they already are one.
    pub(crate) fn add_member(&mut self, organization_id: &str, user_id: &str, role: &str) {
        let _ = self.create_membership(organization_id, Some(user_id.to_owned()), Some(role.to_owned()), None, None);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{NewOrganization, NewUser};

    fn store_with_organization() -> (Store, String, String, String) {
        let mut store = Store::new();
        let mut user = |name: &str| {
            store.create_user(NewUser { username: Some(name.into()), ..NewUser::default() }).unwrap().id.clone()
        };
        let (ada, alan) = (user("ada"), user("alan"));
        let organization = NewOrganization {
            name: Some("Engine".into()),
            created_by: Some(ada.clone()),
            max_allowed_memberships: Some(2),
            ..NewOrganization::default()
        };
        let id = store.create_organization(organization).unwrap().id.clone();
        (store, id, ada, alan)
    }

    #[test]
    fn the_creator_is_the_admin_and_stays_one_while_alone() {
        let (mut store, organization, ada, alan) = store_with_organization();
        assert_eq!(store.membership(&organization, &ada).unwrap().role.key, "org:admin");
        assert!(store.update_membership(&organization, &ada, Some("org:member".into())).is_err());
        assert!(store.delete_membership(&organization, &ada).is_err());
        store.create_membership(&organization, Some(alan.clone()), Some("org:admin".into()), None, None).unwrap();
        store.update_membership(&organization, &ada, Some("org:member".into())).unwrap();
        assert_eq!(store.members_count(&organization), 2);
    }

    #[test]
    fn members_and_roles_are_checked() {
        let (mut store, organization, ada, alan) = store_with_organization();
        let member = |role: &str| (Some(alan.clone()), Some(role.to_owned()));
        let (user, role) = member("org:owner");
        assert!(store.create_membership(&organization, user, role, None, None).is_err());
        let (user, role) = member("org:member");
        store.create_membership(&organization, user, role, None, None).unwrap();
        let (user, role) = member("org:member");
        assert!(store.create_membership(&organization, user, role, None, None).is_err(), "already a member");
        assert!(store.create_membership("org_missing", Some(ada), Some("org:member".into()), None, None).is_err());
    }
}
