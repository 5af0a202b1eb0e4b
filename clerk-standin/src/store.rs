//! The in-memory records and the rules Clerk applies to them (unique identifiers, required
//! fields, what may be primary), independent of HTTP so that seeding and tests share them.

use std::cmp::Ordering;
use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard, PoisonError};

use serde_json::{Map, Value, json};

use crate::error::ApiError;
use crate::ids::{Clock, IdGenerator};
use crate::params::{Order, Query, page};
use crate::wire;

const DAY_MS: i64 = 24 * 60 * 60 * 1000;
/// Clerk's defaults: a session expires after a week of inactivity, and is abandoned after 30 days.
const SESSION_EXPIRES_AFTER_MS: i64 = 7 * DAY_MS;
const SESSION_ABANDONED_AFTER_MS: i64 = 30 * DAY_MS;
const DEFAULT_MAX_ALLOWED_MEMBERSHIPS: i64 = 5;
const MIN_PASSWORD_LENGTH: usize = 8;

const SESSION_STATUSES: [&str; 8] =
    ["abandoned", "active", "ended", "expired", "pending", "removed", "replaced", "revoked"];
const USER_ORDER_FIELDS: [&str; 7] =
    ["created_at", "updated_at", "username", "first_name", "last_name", "email_address", "last_sign_in_at"];
const ORGANIZATION_ORDER_FIELDS: [&str; 3] = ["name", "created_at", "members_count"];

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
    pub(crate) created_at: i64,
    pub(crate) updated_at: i64,
}

impl User {
    fn primary_email_address(&self) -> Option<&str> {
        let primary = self.primary_email_address_id.as_deref();
        self.email_addresses
            .iter()
            .find(|email| Some(email.id.as_str()) == primary)
            .or(self.email_addresses.first())
            .map(|email| email.value.as_str())
    }

    /// The `query` search of `GET /users`: `needle` is already lowercase.
    fn matches(&self, needle: &str) -> bool {
        let full_name = match (&self.first_name, &self.last_name) {
            (Some(first), Some(last)) => Some(format!("{first} {last}")),
            _ => None,
        };
        let texts = [
            Some(self.id.as_str()),
            self.username.as_deref(),
            self.first_name.as_deref(),
            self.last_name.as_deref(),
            full_name.as_deref(),
            self.external_id.as_deref(),
        ];
        let contact_points = self.email_addresses.iter().chain(&self.phone_numbers).map(|point| point.value.as_str());
        texts.into_iter().flatten().chain(contact_points).any(|text| text.to_lowercase().contains(needle))
    }
}

#[derive(Debug, Clone)]
pub(crate) struct Organization {
    pub(crate) id: String,
    pub(crate) name: String,
    pub(crate) slug: String,
    pub(crate) max_allowed_memberships: i64,
    pub(crate) public_metadata: Map<String, Value>,
    pub(crate) private_metadata: Map<String, Value>,
    pub(crate) created_by: String,
    /// User ids; the creator first.
    pub(crate) members: Vec<String>,
    pub(crate) created_at: i64,
    pub(crate) updated_at: i64,
}

#[derive(Debug, Clone)]
pub(crate) struct Session {
    pub(crate) id: String,
    pub(crate) user_id: String,
    pub(crate) client_id: String,
    pub(crate) status: String,
    pub(crate) last_active_at: i64,
    pub(crate) expire_at: i64,
    pub(crate) abandon_at: i64,
    pub(crate) created_at: i64,
    pub(crate) updated_at: i64,
}

/// The fields of `POST /users` the stand-in acts on.
#[derive(Debug, Default)]
pub(crate) struct NewUser {
    pub(crate) email_addresses: Vec<String>,
    pub(crate) phone_numbers: Vec<String>,
    pub(crate) username: Option<String>,
    pub(crate) password: Option<String>,
    pub(crate) first_name: Option<String>,
    pub(crate) last_name: Option<String>,
    pub(crate) external_id: Option<String>,
    pub(crate) public_metadata: Option<Map<String, Value>>,
    pub(crate) private_metadata: Option<Map<String, Value>>,
    pub(crate) unsafe_metadata: Option<Map<String, Value>>,
    pub(crate) skip_password_checks: bool,
}

/// The fields of `PATCH /users/{user_id}`; `None` leaves a field as it is.
#[derive(Debug, Default)]
pub(crate) struct UserChanges {
    pub(crate) first_name: Option<String>,
    pub(crate) last_name: Option<String>,
    pub(crate) username: Option<String>,
    pub(crate) password: Option<String>,
    /// An empty string removes the external id.
    pub(crate) external_id: Option<String>,
    pub(crate) primary_email_address_id: Option<String>,
    pub(crate) primary_phone_number_id: Option<String>,
    pub(crate) public_metadata: Option<Map<String, Value>>,
    pub(crate) private_metadata: Option<Map<String, Value>>,
    pub(crate) unsafe_metadata: Option<Map<String, Value>>,
    pub(crate) skip_password_checks: bool,
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

/// The identifiers no two users may share.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Identifier {
    EmailAddress,
    PhoneNumber,
    Username,
    ExternalId,
}

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
    fn key(self, value: &str) -> (Identifier, String) {
        match self {
            Identifier::Username => (self, value.to_lowercase()),
            _ => (self, value.to_owned()),
        }
    }
}

/// Clerk stores email addresses lowercased, so lookups by any casing find them.
/// A deep merge: objects merge key by key, `null` removes a key, anything else replaces.
fn merge_object(stored: &mut Map<String, Value>, patch: Map<String, Value>) {
    for (key, value) in patch {
        match value {
            Value::Null => {
                stored.remove(&key);
            }
            Value::Object(inner) => match stored.get_mut(&key) {
                Some(Value::Object(existing)) => merge_object(existing, inner),
                _ => {
                    let mut fresh = Map::new();
                    merge_object(&mut fresh, inner);
                    stored.insert(key, Value::Object(fresh));
                }
            },
            other => {
                stored.insert(key, other);
            }
        }
    }
}

fn normalize_email(email: &str) -> String {
    email.trim().to_lowercase()
}

/// Clerk stores phone numbers in E.164; the punctuation people type is dropped.
fn normalize_phone(phone: &str) -> String {
    let compact: String = phone.chars().filter(|c| !matches!(c, ' ' | '-' | '(' | ')' | '.')).collect();
    if compact.starts_with('+') { compact } else { format!("+{compact}") }
}

fn valid_email(email: &str) -> bool {
    let Some((local, domain)) = email.rsplit_once('@') else { return false };
    let clean = |part: &str| !part.is_empty() && !part.contains(|c: char| c.is_whitespace() || c == '@');
    clean(local) && clean(domain) && domain.contains('.') && !domain.starts_with('.') && !domain.ends_with('.')
}

fn valid_phone(phone: &str) -> bool {
    phone
        .strip_prefix('+')
        .is_some_and(|digits| (7..=15).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit()))
}

fn valid_slug(slug: &str) -> bool {
    slug.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
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

fn check_password(password: &str, skip_checks: bool) -> Result<(), ApiError> {
    if !skip_checks && password.chars().count() < MIN_PASSWORD_LENGTH {
        return Err(ApiError::password_too_short());
    }
    Ok(())
}

/// Keeps the first occurrence of each value, in order.
fn distinct(values: impl IntoIterator<Item = String>) -> Vec<String> {
    let mut seen = Vec::new();
    for value in values {
        if !seen.contains(&value) {
            seen.push(value);
        }
    }
    seen
}

fn trimmed(value: Option<String>) -> Option<String> {
    value.map(|v| v.trim().to_owned()).filter(|v| !v.is_empty())
}

#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
enum SortKey {
    Number(i64),
    Text(String),
}

fn text_key(text: &str) -> SortKey {
    SortKey::Text(text.to_lowercase())
}

/// Sorts by `key`, then by creation time so that equal keys keep a fixed order. Missing
/// values go last in both directions, so a descending sort still starts with real data.
fn sort_records<T>(records: &mut [(Option<SortKey>, i64, T)], descending: bool) {
    records.sort_by(|(a_key, a_created, _), (b_key, b_created, _)| {
        let ordering = match (a_key, b_key) {
            (Some(a), Some(b)) => a.cmp(b).then(a_created.cmp(b_created)),
            (Some(_), None) => return Ordering::Less,
            (None, Some(_)) => return Ordering::Greater,
            (None, None) => a_created.cmp(b_created),
        };
        if descending { ordering.reverse() } else { ordering }
    });
}

/// Everything the stand-in knows, behind one lock.
#[derive(Debug)]
pub(crate) struct Store {
    ids: IdGenerator,
    clock: Clock,
    users: HashMap<String, User>,
    /// Which user holds each unique identifier.
    owners: HashMap<(Identifier, String), String>,
    organizations: HashMap<String, Organization>,
    sessions: HashMap<String, Session>,
    requests: HashMap<(String, String), usize>,
}

/// A panic in another request must not take the whole stand-in down with a poisoned lock;
/// every change is validated before it is applied, so the data stays consistent.
pub(crate) fn lock(store: &Mutex<Store>) -> MutexGuard<'_, Store> {
    store.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Store {
    pub(crate) fn new() -> Self {
        Store {
            ids: IdGenerator::new(),
            clock: Clock::default(),
            users: HashMap::new(),
            owners: HashMap::new(),
            organizations: HashMap::new(),
            sessions: HashMap::new(),
            requests: HashMap::new(),
        }
    }

    pub(crate) fn new_id(&mut self, prefix: &str) -> String {
        self.ids.next(prefix)
    }

    pub(crate) fn count_request(&mut self, method: &str, route: &str) {
        *self.requests.entry((method.to_owned(), route.to_owned())).or_default() += 1;
    }

    pub(crate) fn request_count(&self, method: &str, route: &str) -> usize {
        self.requests.get(&(method.to_ascii_uppercase(), route.to_owned())).copied().unwrap_or(0)
    }

    fn check_available(&self, kind: Identifier, value: &str, owner: Option<&str>) -> Result<(), ApiError> {
        match self.owners.get(&kind.key(value)) {
            Some(holder) if Some(holder.as_str()) != owner => Err(kind.taken()),
            _ => Ok(()),
        }
    }

    // ----- users -----

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
            password_enabled: new.password.is_some_and(|password| !password.is_empty()),
            primary_email_address_id: email_addresses.first().map(|email| email.id.clone()),
            primary_phone_number_id: phone_numbers.first().map(|phone| phone.id.clone()),
            email_addresses,
            phone_numbers,
            public_metadata: new.public_metadata.unwrap_or_default(),
            private_metadata: new.private_metadata.unwrap_or_default(),
            unsafe_metadata: new.unsafe_metadata.unwrap_or_default(),
            created_at: now,
            updated_at: now,
        };
        Ok(self.users.entry(id).or_insert(user))
    }

    pub(crate) fn user(&self, id: &str) -> Result<&User, ApiError> {
        self.users.get(id).ok_or_else(|| ApiError::not_found("User"))
    }

    pub(crate) fn update_user(&mut self, id: &str, changes: UserChanges) -> Result<&User, ApiError> {
        // Everything is checked before anything changes, so a refused update leaves no trace.
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
        if let Some(email_id) = changes.primary_email_address_id {
            user.primary_email_address_id = Some(email_id);
        }
        if let Some(phone_id) = changes.primary_phone_number_id {
            user.primary_phone_number_id = Some(phone_id);
        }
        if let Some(metadata) = changes.public_metadata {
            user.public_metadata = metadata;
        }
        if let Some(metadata) = changes.private_metadata {
            user.private_metadata = metadata;
        }
        if let Some(metadata) = changes.unsafe_metadata {
            user.unsafe_metadata = metadata;
        }
        user.updated_at = now;
        Ok(user)
    }

    /// Deep-merges each given metadata field into the user's (`null` removes a key), as
    /// `PATCH /users/{user_id}/metadata` does.
    pub(crate) fn merge_user_metadata(&mut self, id: &str, changes: UserChanges) -> Result<&User, ApiError> {
        let now = self.clock.tick();
        let user = self.users.get_mut(id).ok_or_else(|| ApiError::not_found("User"))?;
        for (stored, patch) in [
            (&mut user.public_metadata, changes.public_metadata),
            (&mut user.private_metadata, changes.private_metadata),
            (&mut user.unsafe_metadata, changes.unsafe_metadata),
        ] {
            if let Some(patch) = patch {
                merge_object(stored, patch);
            }
        }
        user.updated_at = now;
        Ok(user)
    }

    /// Removes the user with their sessions and memberships, as Clerk does.
    pub(crate) fn delete_user(&mut self, id: &str) -> Result<(), ApiError> {
        self.users.remove(id).ok_or_else(|| ApiError::not_found("User"))?;
        self.owners.retain(|_, owner| owner != id);
        self.sessions.retain(|_, session| session.user_id != id);
        for organization in self.organizations.values_mut() {
            organization.members.retain(|member| member != id);
        }
        Ok(())
    }

    /// The filters shared by `GET /users` and `GET /users/count`: OR within a filter, AND
    /// across filters.
    fn matching_users(&self, query: &Query) -> Vec<&User> {
        let emails: Vec<String> = query.all("email_address").into_iter().map(normalize_email).collect();
        let phones: Vec<String> = query.all("phone_number").into_iter().map(normalize_phone).collect();
        let usernames: Vec<String> = query.all("username").into_iter().map(|name| name.trim().to_lowercase()).collect();
        let external_ids = query.all("external_id");
        let user_ids = query.all("user_id");
        let needle = query.first("query").map(|text| text.trim().to_lowercase()).filter(|text| !text.is_empty());
        self.users
            .values()
            .filter(|user| {
                (emails.is_empty() || user.email_addresses.iter().any(|email| emails.contains(&email.value)))
                    && (phones.is_empty() || user.phone_numbers.iter().any(|phone| phones.contains(&phone.value)))
                    && (usernames.is_empty()
                        || user.username.as_deref().is_some_and(|name| usernames.contains(&name.to_lowercase())))
                    && (external_ids.is_empty()
                        || user.external_id.as_deref().is_some_and(|ext| external_ids.contains(&ext)))
                    && (user_ids.is_empty() || user_ids.contains(&user.id.as_str()))
                    && needle.as_deref().is_none_or(|needle| user.matches(needle))
            })
            .collect()
    }

    pub(crate) fn list_users(&self, query: &Query) -> Result<Value, ApiError> {
        let Order { field, descending } = query.order_by(&USER_ORDER_FIELDS)?;
        let limit = query.limit()?;
        let offset = query.offset()?;
        let mut records: Vec<_> = self
            .matching_users(query)
            .into_iter()
            .map(|user| {
                let key = match field {
                    "created_at" => Some(SortKey::Number(user.created_at)),
                    "updated_at" => Some(SortKey::Number(user.updated_at)),
                    "username" => user.username.as_deref().map(text_key),
                    "first_name" => user.first_name.as_deref().map(text_key),
                    "last_name" => user.last_name.as_deref().map(text_key),
                    "email_address" => user.primary_email_address().map(text_key),
                    // Nobody signs in to the stand-in.
                    _ => None,
                };
                (key, user.created_at, user)
            })
            .collect();
        sort_records(&mut records, descending);
        let users = page(records, offset, limit).into_iter().map(|(_, _, user)| wire::user(user)).collect();
        Ok(Value::Array(users))
    }

    pub(crate) fn count_users(&self, query: &Query) -> Value {
        json!({"object": "total_count", "total_count": self.matching_users(query).len()})
    }

    // ----- organizations -----

    pub(crate) fn create_organization(&mut self, new: NewOrganization) -> Result<&Organization, ApiError> {
        let name = trimmed(new.name).ok_or_else(|| ApiError::param_missing("name", "name must be included."))?;
        let created_by = trimmed(new.created_by)
            .ok_or_else(|| ApiError::param_missing("created_by", "created_by must be included."))?;
        if !self.users.contains_key(&created_by) {
            return Err(ApiError::value_invalid("created_by", "created_by must be an existing user"));
        }
        let given_slug = trimmed(new.slug);
        if let Some(slug) = &given_slug
            && !valid_slug(slug)
        {
            return Err(ApiError::format_invalid(
                "slug",
                "slug must contain only lowercase letters, digits, hyphens and underscores.",
            ));
        }
        let max_allowed_memberships = new.max_allowed_memberships.unwrap_or(DEFAULT_MAX_ALLOWED_MEMBERSHIPS);
        if max_allowed_memberships < 0 {
            return Err(ApiError::value_invalid(
                "max_allowed_memberships",
                "max_allowed_memberships must be greater than or equal to 0.",
            ));
        }
        let id = self.ids.next("org");
        // A name without letters or digits has no natural slug; the id always gives one.
        let slug = given_slug.unwrap_or_else(|| match slugify(&name) {
            slug if slug.is_empty() => id.to_lowercase().replace('_', "-"),
            slug => slug,
        });
        if self.organizations.values().any(|organization| organization.slug == slug) {
            return Err(ApiError::identifier_exists("slug", "This slug is taken. Please try another."));
        }
        let now = self.clock.tick();
        let organization = Organization {
            id: id.clone(),
            name,
            slug,
            max_allowed_memberships,
            public_metadata: new.public_metadata.unwrap_or_default(),
            private_metadata: new.private_metadata.unwrap_or_default(),
            members: vec![created_by.clone()],
            created_by,
            created_at: now,
            updated_at: now,
        };
        Ok(self.organizations.entry(id).or_insert(organization))
    }

    /// Seeding only: the Backend API's membership endpoints are not part of the stand-in.
    pub(crate) fn add_member(&mut self, organization_id: &str, user_id: &str) {
        if let Some(organization) = self.organizations.get_mut(organization_id)
            && self.users.contains_key(user_id)
            && !organization.members.iter().any(|member| member == user_id)
        {
            organization.members.push(user_id.to_owned());
        }
    }

    /// Clerk accepts an organization's id or its slug in the path.
    pub(crate) fn organization(&self, id_or_slug: &str) -> Result<&Organization, ApiError> {
        self.organizations
            .get(id_or_slug)
            .or_else(|| self.organizations.values().find(|organization| organization.slug == id_or_slug))
            .ok_or_else(|| ApiError::not_found("Organization"))
    }

    pub(crate) fn list_organizations(&self, query: &Query) -> Result<Value, ApiError> {
        let Order { field, descending } = query.order_by(&ORGANIZATION_ORDER_FIELDS)?;
        let limit = query.limit()?;
        let offset = query.offset()?;
        let with_members_count = query.flag("include_members_count")?;
        let needle = query.first("query").map(|text| text.trim().to_lowercase()).filter(|text| !text.is_empty());
        let mut records: Vec<_> = self
            .organizations
            .values()
            .filter(|organization| {
                needle.as_deref().is_none_or(|needle| {
                    [&organization.id, &organization.name, &organization.slug]
                        .iter()
                        .any(|text| text.to_lowercase().contains(needle))
                })
            })
            .map(|organization| {
                let key = match field {
                    "name" => text_key(&organization.name),
                    "members_count" => SortKey::Number(organization.members.len() as i64),
                    _ => SortKey::Number(organization.created_at),
                };
                (Some(key), organization.created_at, organization)
            })
            .collect();
        sort_records(&mut records, descending);
        let total_count = records.len();
        let data: Vec<Value> = page(records, offset, limit)
            .into_iter()
            .map(|(_, _, organization)| wire::organization(organization, with_members_count))
            .collect();
        Ok(json!({"data": data, "total_count": total_count}))
    }

    // ----- sessions -----

    pub(crate) fn add_session(&mut self, user_id: &str, client_id: &str, status: &str) -> Result<String, ApiError> {
        self.user(user_id)?;
        let now = self.clock.tick();
        let id = self.ids.next("sess");
        let session = Session {
            id: id.clone(),
            user_id: user_id.to_owned(),
            client_id: client_id.to_owned(),
            status: status.to_owned(),
            last_active_at: now,
            expire_at: now + SESSION_EXPIRES_AFTER_MS,
            abandon_at: now + SESSION_ABANDONED_AFTER_MS,
            created_at: now,
            updated_at: now,
        };
        self.sessions.insert(id.clone(), session);
        Ok(id)
    }

    pub(crate) fn session(&self, id: &str) -> Result<&Session, ApiError> {
        self.sessions.get(id).ok_or_else(|| ApiError::not_found("Session"))
    }

    /// Revoking twice is harmless: the second time changes nothing.
    pub(crate) fn revoke_session(&mut self, id: &str) -> Result<&Session, ApiError> {
        let already_revoked = self.session(id)?.status == "revoked";
        let now = if already_revoked { None } else { Some(self.clock.tick()) };
        let session = self.sessions.get_mut(id).ok_or_else(|| ApiError::not_found("Session"))?;
        if let Some(now) = now {
            session.status = "revoked".to_owned();
            session.updated_at = now;
        }
        Ok(session)
    }

    pub(crate) fn list_sessions(&self, query: &Query) -> Result<Value, ApiError> {
        let user_id = query.first("user_id").map(str::trim).filter(|id| !id.is_empty());
        let client_id = query.first("client_id").map(str::trim).filter(|id| !id.is_empty());
        if user_id.is_none() && client_id.is_none() {
            return Err(ApiError::param_missing("user_id", "Either user_id or client_id must be provided."));
        }
        let status = query.first("status").map(str::trim).filter(|status| !status.is_empty());
        if let Some(status) = status
            && !SESSION_STATUSES.contains(&status)
        {
            return Err(ApiError::value_invalid(
                "status",
                format!("status must be one of {}.", SESSION_STATUSES.join(", ")),
            ));
        }
        let limit = query.limit()?;
        let offset = query.offset()?;
        let paginated = query.flag("paginated")?;
        let mut sessions: Vec<&Session> = self
            .sessions
            .values()
            .filter(|session| {
                user_id.is_none_or(|id| session.user_id == id)
                    && client_id.is_none_or(|id| session.client_id == id)
                    && status.is_none_or(|status| session.status == status)
            })
            .collect();
        sessions.sort_by_key(|session| std::cmp::Reverse(session.created_at));
        let total_count = sessions.len();
        let data: Vec<Value> = page(sessions, offset, limit).into_iter().map(wire::session).collect();
        Ok(if paginated { json!({"data": data, "total_count": total_count}) } else { Value::Array(data) })
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

    #[test]
    fn phone_numbers_are_stored_in_e164() {
        assert_eq!(normalize_phone("+1 (555) 555-0100"), "+15555550100");
        assert_eq!(normalize_phone("15555550100"), "+15555550100");
        assert!(valid_phone("+15555550100"));
        assert!(!valid_phone("+1555abc"));
    }

    #[test]
    fn email_addresses_need_a_local_part_and_a_domain() {
        assert!(valid_email("ada@example.com"));
        assert!(!valid_email("ada"));
        assert!(!valid_email("@example.com"));
        assert!(!valid_email("ada@localhost"));
    }

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
