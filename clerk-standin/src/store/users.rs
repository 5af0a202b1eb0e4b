//! Users: their unique identifiers, profile changes, metadata and deletion.

use serde_json::{Map, Value};

use super::{Store, apply_metadata, distinct, normalize_email, normalize_phone, trimmed, valid_email, valid_phone};
use crate::error::ApiError;

const MIN_PASSWORD_LENGTH: usize = 8;

/// An email address or phone number of a user.
#[derive(Debug, Clone)]
pub(crate) struct ContactPoint {
    pub(crate) id: String,
    pub(crate) value: String,
    pub(crate) created_at: i64,
}

#[derive(Debug, Clone)]
pub(crate) struct User {
    pub(crate) id: String,
    pub(crate) username: Option<String>,
    pub(crate) first_name: Option<String>,
    pub(crate) last_name: Option<String>,
    pub(crate) external_id: Option<String>,
    pub(crate) password_enabled: bool,
    pub(crate) email_addresses: Vec<ContactPoint>,
    pub(crate) phone_numbers: Vec<ContactPoint>,
    pub(crate) primary_email_address_id: Option<String>,
    pub(crate) primary_phone_number_id: Option<String>,
    pub(crate) public_metadata: Map<String, Value>,
    pub(crate) private_metadata: Map<String, Value>,
    pub(crate) unsafe_metadata: Map<String, Value>,
    pub(crate) banned: bool,
    /// Locked until unlocked: the stand-in has no lockout duration, so a lock never expires.
    pub(crate) locked: bool,
    pub(crate) delete_self_enabled: bool,
    pub(crate) create_organization_enabled: bool,
    pub(crate) create_organizations_limit: Option<i64>,
    pub(crate) created_at: i64,
    pub(crate) updated_at: i64,
}

impl User {
    /// The primary email address (or the first one), which Clerk shows as a member's or an
    /// inviter's `identifier`.
    pub(crate) fn primary_email_address(&self) -> Option<&str> {
        let primary = self.primary_email_address_id.as_deref();
        self.email_addresses
            .iter()
            .find(|email| Some(email.id.as_str()) == primary)
            .or(self.email_addresses.first())
            .map(|email| email.value.as_str())
    }

    pub(crate) fn primary_phone_number(&self) -> Option<&str> {
        let primary = self.primary_phone_number_id.as_deref();
        self.phone_numbers
            .iter()
            .find(|phone| Some(phone.id.as_str()) == primary)
            .or(self.phone_numbers.first())
            .map(|phone| phone.value.as_str())
    }
}

/// The fields of `POST /users` the stand-in acts on.
#[derive(Debug, Default)]
pub(crate) struct NewUser {
    pub(crate) email_addresses: Vec<String>,
    pub(crate) phone_numbers: Vec<String>,
    pub(crate) username: Option<String>,
    pub(crate) password: Option<String>,
    /// A password given as its hash: the user has a password, which is all the stand-in keeps.
    pub(crate) password_digest: Option<String>,
    pub(crate) first_name: Option<String>,
    pub(crate) last_name: Option<String>,
    pub(crate) external_id: Option<String>,
    pub(crate) public_metadata: Option<Map<String, Value>>,
    pub(crate) private_metadata: Option<Map<String, Value>>,
    pub(crate) unsafe_metadata: Option<Map<String, Value>>,
    pub(crate) skip_password_checks: bool,
    /// Created banned or locked.
    pub(crate) banned: bool,
    pub(crate) locked: bool,
    pub(crate) settings: UserSettings,
}

/// What a user may do on their own; `None` keeps the current value (Clerk's default for a new
/// user: both enabled, no organization limit).
#[derive(Debug, Default)]
pub(crate) struct UserSettings {
    pub(crate) delete_self_enabled: Option<bool>,
    pub(crate) create_organization_enabled: Option<bool>,
    pub(crate) create_organizations_limit: Option<i64>,
}

/// The fields of `PATCH /users/{user_id}`; `None` leaves a field as it is.
#[derive(Debug, Default)]
pub(crate) struct UserChanges {
    pub(crate) first_name: Option<String>,
    pub(crate) last_name: Option<String>,
    pub(crate) username: Option<String>,
    pub(crate) password: Option<String>,
    pub(crate) password_digest: Option<String>,
    /// An empty string removes the external id.
    pub(crate) external_id: Option<String>,
    pub(crate) primary_email_address_id: Option<String>,
    pub(crate) primary_phone_number_id: Option<String>,
    pub(crate) skip_password_checks: bool,
    pub(crate) settings: UserSettings,
}

/// The body of the metadata endpoints of users (and, without `unsafe_metadata`, of
/// organizations); `None` leaves a field as it is.
#[derive(Debug, Default)]
pub(crate) struct MetadataChanges {
    pub(crate) public_metadata: Option<Map<String, Value>>,
    pub(crate) private_metadata: Option<Map<String, Value>>,
    pub(crate) unsafe_metadata: Option<Map<String, Value>>,
}

/// The identifiers no two users may share.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(super) enum Identifier {
    EmailAddress,
    PhoneNumber,
    Username,
    ExternalId,
}

/// An identifier as it is kept unique: its kind and its value in comparable form.
pub(super) type OwnerKey = (Identifier, String);

impl Identifier {
    fn param(self) -> &'static str {
        match self {
            Identifier::EmailAddress => "email_address",
            Identifier::PhoneNumber => "phone_number",
            Identifier::Username => "username",
            Identifier::ExternalId => "external_id",
        }
    }

    fn taken(self) -> ApiError {
        let message = match self {
            Identifier::EmailAddress => "That email address is taken. Please try another.",
            Identifier::PhoneNumber => "That phone number is taken. Please try another.",
            Identifier::Username => "That username is taken. Please try another.",
            Identifier::ExternalId => "That external ID is taken. Please try another.",
        };
        ApiError::identifier_exists(self.param(), message)
    }

    /// Usernames are case-insensitive at Clerk (email addresses are already lowercased).
    fn key(self, value: &str) -> OwnerKey {
        match self {
            Identifier::Username => (self, value.to_lowercase()),
            _ => (self, value.to_owned()),
        }
    }
}

fn check_password(password: &str, skip_checks: bool) -> Result<(), ApiError> {
    if !skip_checks && password.chars().count() < MIN_PASSWORD_LENGTH {
        return Err(ApiError::password_too_short());
    }
    Ok(())
}

impl Store {
    fn check_available(&self, kind: Identifier, value: &str, owner: Option<&str>) -> Result<(), ApiError> {
        match self.owners.get(&kind.key(value)) {
            Some(holder) if Some(holder.as_str()) != owner => Err(kind.taken()),
            _ => Ok(()),
        }
    }

    /// Whether some user has `email` (already normalized) as one of their addresses.
    pub(super) fn email_taken(&self, email: &str) -> bool {
        self.owners.contains_key(&Identifier::EmailAddress.key(email))
    }

    pub(crate) fn create_user(&mut self, new: NewUser) -> Result<&User, ApiError> {
        let emails = distinct(new.email_addresses.iter().map(|email| normalize_email(email)));
        let phones = distinct(new.phone_numbers.iter().map(|phone| normalize_phone(phone)));
        let username = trimmed(new.username);
        let external_id = new.external_id.filter(|id| !id.is_empty());
        if emails.is_empty() && phones.is_empty() && username.is_none() {
            return Err(ApiError::data_missing(
                "At least one of email_address, phone_number or username must be given to create a user.",
            ));
        }
        if !emails.iter().all(|email| valid_email(email)) {
            return Err(ApiError::format_invalid("email_address", "email_address must be a valid email address."));
        }
        if !phones.iter().all(|phone| valid_phone(phone)) {
            return Err(ApiError::format_invalid(
                "phone_number",
                "phone_number must be a valid phone number according to E.164 international standard.",
            ));
        }
        if let Some(password) = &new.password {
            check_password(password, new.skip_password_checks)?;
        }
        for email in &emails {
            self.check_available(Identifier::EmailAddress, email, None)?;
        }
        for phone in &phones {
            self.check_available(Identifier::PhoneNumber, phone, None)?;
        }
        if let Some(username) = &username {
            self.check_available(Identifier::Username, username, None)?;
        }
        if let Some(external_id) = &external_id {
            self.check_available(Identifier::ExternalId, external_id, None)?;
        }

        let now = self.clock.tick();
        let id = self.ids.next("user");
        let mut contact_points = |values: Vec<String>| -> Vec<ContactPoint> {
            values.into_iter().map(|value| ContactPoint { id: self.ids.next("idn"), value, created_at: now }).collect()
        };
        let email_addresses = contact_points(emails);
        let phone_numbers = contact_points(phones);

        let identifiers = email_addresses
            .iter()
            .map(|email| (Identifier::EmailAddress, email.value.as_str()))
            .chain(phone_numbers.iter().map(|phone| (Identifier::PhoneNumber, phone.value.as_str())))
            .chain(username.as_deref().map(|name| (Identifier::Username, name)))
            .chain(external_id.as_deref().map(|ext| (Identifier::ExternalId, ext)));
        for (kind, value) in identifiers {
            self.owners.insert(kind.key(value), id.clone());
        }

        let user = User {
            id: id.clone(),
            username,
            first_name: new.first_name,
            last_name: new.last_name,
            external_id,
            password_enabled: new.password.is_some_and(|password| !password.is_empty())
                || new.password_digest.is_some_and(|digest| !digest.is_empty()),
            primary_email_address_id: email_addresses.first().map(|email| email.id.clone()),
            primary_phone_number_id: phone_numbers.first().map(|phone| phone.id.clone()),
            email_addresses,
            phone_numbers,
            public_metadata: new.public_metadata.unwrap_or_default(),
            private_metadata: new.private_metadata.unwrap_or_default(),
            unsafe_metadata: new.unsafe_metadata.unwrap_or_default(),
            banned: new.banned,
            locked: new.locked,
            delete_self_enabled: new.settings.delete_self_enabled.unwrap_or(true),
            create_organization_enabled: new.settings.create_organization_enabled.unwrap_or(true),
            create_organizations_limit: new.settings.create_organizations_limit,
            created_at: now,
            updated_at: now,
        };
        self.users_by_creation.push(id.clone());
        Ok(self.users.entry(id).or_insert(user))
    }

    pub(crate) fn user(&self, id: &str) -> Result<&User, ApiError> {
        self.users.get(id).ok_or_else(|| ApiError::not_found("User"))
    }

    pub(super) fn user_mut(&mut self, id: &str) -> Result<&mut User, ApiError> {
        self.users.get_mut(id).ok_or_else(|| ApiError::not_found("User"))
    }

    pub(crate) fn update_user(&mut self, id: &str, changes: UserChanges) -> Result<&User, ApiError> {
        let user = self.user(id)?;
        let username = match changes.username {
            Some(username) => match trimmed(Some(username)) {
                Some(username) => {
                    self.check_available(Identifier::Username, &username, Some(id))?;
                    Some(username)
                }
                None => return Err(ApiError::value_invalid("username", "username must not be empty.")),
            },
            None => None,
        };
        if let Some(external_id) = changes.external_id.as_deref().filter(|ext| !ext.is_empty()) {
            self.check_available(Identifier::ExternalId, external_id, Some(id))?;
        }
        if let Some(email_id) = &changes.primary_email_address_id
            && !user.email_addresses.iter().any(|email| &email.id == email_id)
        {
            return Err(ApiError::value_invalid(
                "primary_email_address_id",
                "primary_email_address_id must be the id of one of the user's email addresses.",
            ));
        }
        if let Some(phone_id) = &changes.primary_phone_number_id
            && !user.phone_numbers.iter().any(|phone| &phone.id == phone_id)
        {
            return Err(ApiError::value_invalid(
                "primary_phone_number_id",
                "primary_phone_number_id must be the id of one of the user's phone numbers.",
            ));
        }
        if let Some(password) = &changes.password {
            check_password(password, changes.skip_password_checks)?;
        }

        let now = self.clock.tick();
        let user = self.users.get_mut(id).ok_or_else(|| ApiError::not_found("User"))?;
        if let Some(username) = username {
            if let Some(old) = user.username.take() {
                self.owners.remove(&Identifier::Username.key(&old));
            }
            self.owners.insert(Identifier::Username.key(&username), user.id.clone());
            user.username = Some(username);
        }
        if let Some(external_id) = changes.external_id {
            if let Some(old) = user.external_id.take() {
                self.owners.remove(&Identifier::ExternalId.key(&old));
            }
            if !external_id.is_empty() {
                self.owners.insert(Identifier::ExternalId.key(&external_id), user.id.clone());
                user.external_id = Some(external_id);
            }
        }
        if let Some(first_name) = changes.first_name {
            user.first_name = Some(first_name);
        }
        if let Some(last_name) = changes.last_name {
            user.last_name = Some(last_name);
        }
        if let Some(password) = changes.password {
            user.password_enabled = !password.is_empty();
        }
        if changes.password_digest.is_some_and(|digest| !digest.is_empty()) {
            user.password_enabled = true;
        }
        let settings = changes.settings;
        if let Some(enabled) = settings.delete_self_enabled {
            user.delete_self_enabled = enabled;
        }
        if let Some(enabled) = settings.create_organization_enabled {
            user.create_organization_enabled = enabled;
        }
        if let Some(limit) = settings.create_organizations_limit {
            user.create_organizations_limit = Some(limit);
        }
        if let Some(email_id) = changes.primary_email_address_id {
            user.primary_email_address_id = Some(email_id);
        }
        if let Some(phone_id) = changes.primary_phone_number_id {
            user.primary_phone_number_id = Some(phone_id);
        }
        user.updated_at = now;
        Ok(user)
    }

    /// `PUT /users/{user_id}/metadata` (each given field replaces the stored one whole) or, with
    /// `merge`, `PATCH` (each given field is deep-merged, `null` removing a key).
    pub(crate) fn user_metadata(&mut self, id: &str, changes: MetadataChanges, merge: bool) -> Result<&User, ApiError> {
        let now = self.clock.tick();
        let user = self.user_mut(id)?;
        apply_metadata(&mut user.public_metadata, changes.public_metadata, merge);
        apply_metadata(&mut user.private_metadata, changes.private_metadata, merge);
        apply_metadata(&mut user.unsafe_metadata, changes.unsafe_metadata, merge);
        user.updated_at = now;
        Ok(user)
    }

    /// Removes the user with their sessions, memberships and tokens, as Clerk does.
    pub(crate) fn delete_user(&mut self, id: &str) -> Result<(), ApiError> {
        self.users.remove(id).ok_or_else(|| ApiError::not_found("User"))?;
        self.users_by_creation.retain(|user| user != id);
        self.owners.retain(|_, owner| owner != id);
        self.sessions.retain(|_, session| session.user_id != id);
        self.memberships.retain(|_, membership| membership.user_id != id);
        self.oauth_tokens.retain(|token| token.user_id != id);
        self.actor_tokens.retain(|_, token| token.user_id != id);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refused_update_changes_nothing() {
        let mut store = Store::new();
        let ada = store.create_user(NewUser { username: Some("ada".into()), ..NewUser::default() }).unwrap().id.clone();
        store.create_user(NewUser { username: Some("grace".into()), ..NewUser::default() }).unwrap();
        let before = store.user(&ada).unwrap().updated_at;
        let refused = store.update_user(
            &ada,
            UserChanges {
                first_name: Some("Augusta".into()),
                username: Some("GRACE".into()),
                ..UserChanges::default()
            },
        );
        assert!(refused.is_err());
        let user = store.user(&ada).unwrap();
        assert_eq!(user.first_name, None);
        assert_eq!(user.updated_at, before);
    }
}
