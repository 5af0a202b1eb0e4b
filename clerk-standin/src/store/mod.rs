//! The in-memory records and the rules Clerk applies to them (unique identifiers, required
//! fields, who may be a member, which invitations are still pending), independent of HTTP so
//! that seeding and tests share them.
//!
//! One [`Store`] holds every resource behind one lock; each resource's records and rules live
//! in their own module. Mutations check everything before they change anything, so a refused
//! request leaves no trace.

mod actor_tokens;
mod identifiers;
mod invitations;
mod jwt_templates;
mod memberships;
mod moderation;
mod oauth_tokens;
mod organization_invitations;
mod organizations;
mod session_tokens;
mod sessions;
mod user_search;
mod users;

use std::cmp::Ordering;
use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard, PoisonError};

use serde_json::{Map, Value};

use crate::ids::{Clock, IdGenerator};

pub(crate) use actor_tokens::{ActorToken, NewActorToken};
pub(crate) use identifiers::{IdentifierEntry, ListKind};
pub(crate) use invitations::{INVITATION_ORDER_FIELDS, Invitation, InvitationFilter, InvitationStatus, NewInvitation};
pub(crate) use jwt_templates::JwtTemplate;
pub(crate) use memberships::{MEMBERSHIP_ORDER_FIELDS, Membership, MembershipFilter, Role};
pub(crate) use moderation::Moderated;
pub(crate) use oauth_tokens::OAuthToken;
pub(crate) use organization_invitations::{
    NewOrganizationInvitation, ORGANIZATION_INVITATION_ORDER_FIELDS, OrganizationInvitation,
};
pub(crate) use organizations::{
    NewOrganization, ORGANIZATION_ORDER_FIELDS, Organization, OrganizationChanges, OrganizationFilter,
};
pub(crate) use session_tokens::{DEFAULT_TOKEN_LIFETIME_SECONDS, TOKEN_LIFETIME_SECONDS};
pub(crate) use sessions::{Session, SessionFilter};
pub(crate) use user_search::{USER_ORDER_FIELDS, UserFilter};
pub(crate) use users::{ContactPoint, MetadataChanges, NewUser, User, UserChanges, UserSettings};

pub(crate) const DAY_MS: i64 = 24 * 60 * 60 * 1000;

/// Where the links Clerk hands out (invitation and actor-token tickets) point. The stand-in
/// has no Frontend API, so the host is one that can never resolve.
const FRONTEND_API: &str = "https://clerk.standin.invalid";

/// A sort field accepted by `order_by` and its direction.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Order {
    pub(crate) field: &'static str,
    pub(crate) descending: bool,
}

/// `limit` and `offset` of a list request.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Page {
    pub(crate) limit: usize,
    pub(crate) offset: usize,
}

impl Default for Page {
    /// Clerk's defaults: the first ten.
    fn default() -> Self {
        Page { limit: 10, offset: 0 }
    }
}

/// One page of a list and how many records matched in all, which Clerk reports as
/// `total_count`.
#[derive(Debug)]
pub(crate) struct Listed<T> {
    pub(crate) data: Vec<T>,
    pub(crate) total_count: usize,
}

impl<T> Listed<T> {
    /// Pages an already ordered list, counting it first.
    fn paged(items: Vec<T>, page: Page) -> Self {
        let total_count = items.len();
        Listed { data: items.into_iter().skip(page.offset).take(page.limit).collect(), total_count }
    }
}

/// Everything the stand-in knows, behind one lock.
#[derive(Debug)]
pub(crate) struct Store {
    ids: IdGenerator,
    clock: Clock,
    instance_id: String,
    users: HashMap<String, User>,
    /// Every user's id, oldest first: the order of `created_at`, which the clock makes strictly
    /// increasing, kept so that a list in that order is served without sorting every user.
    users_by_creation: Vec<String>,
    /// Which user holds each unique identifier.
    owners: HashMap<users::OwnerKey, String>,
    organizations: HashMap<String, Organization>,
    memberships: HashMap<String, Membership>,
    organization_invitations: HashMap<String, OrganizationInvitation>,
    invitations: HashMap<String, Invitation>,
    sessions: HashMap<String, Session>,
    oauth_tokens: Vec<OAuthToken>,
    allowlist: HashMap<String, IdentifierEntry>,
    blocklist: HashMap<String, IdentifierEntry>,
    jwt_templates: HashMap<String, JwtTemplate>,
    actor_tokens: HashMap<String, ActorToken>,
    requests: HashMap<(String, String), usize>,
}

/// A panic in another request must not take the whole stand-in down with a poisoned lock;
/// every change is validated before it is applied, so the data stays consistent.
pub(crate) fn lock(store: &Mutex<Store>) -> MutexGuard<'_, Store> {
    store.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Store {
    pub(crate) fn new() -> Self {
        let mut ids = IdGenerator::new();
        let instance_id = ids.next("ins");
        Store {
            ids,
            clock: Clock::default(),
            instance_id,
            users: HashMap::new(),
            users_by_creation: Vec::new(),
            owners: HashMap::new(),
            organizations: HashMap::new(),
            memberships: HashMap::new(),
            organization_invitations: HashMap::new(),
            invitations: HashMap::new(),
            sessions: HashMap::new(),
            oauth_tokens: Vec::new(),
            allowlist: HashMap::new(),
            blocklist: HashMap::new(),
            jwt_templates: HashMap::new(),
            actor_tokens: HashMap::new(),
            requests: HashMap::new(),
        }
    }

    pub(crate) fn new_id(&mut self, prefix: &str) -> String {
        self.ids.next(prefix)
    }

    /// The id of the Clerk instance the stand-in plays (`ins_...`), as some objects carry it.
    pub(crate) fn instance_id(&self) -> &str {
        &self.instance_id
    }

    /// Unix milliseconds now, for deciding what has expired.
    pub(crate) fn now(&self) -> i64 {
        self.clock.now()
    }

    pub(crate) fn count_request(&mut self, method: &str, route: &str) {
        *self.requests.entry((method.to_owned(), route.to_owned())).or_default() += 1;
    }

    pub(crate) fn request_count(&self, method: &str, route: &str) -> usize {
        self.requests.get(&(method.to_ascii_uppercase(), route.to_owned())).copied().unwrap_or(0)
    }

    /// A Frontend API link that redeems `ticket`, passing `redirect_url` on when given, in the
    /// shape of the links in Clerk's invitations.
    fn ticket_url(&mut self, redirect_url: Option<&str>) -> String {
        let ticket = self.ids.next("tkt");
        let mut url = format!("{FRONTEND_API}/v1/tickets/accept?ticket={ticket}");
        if let Some(redirect_url) = redirect_url {
            url.push_str("&redirect_url=");
            url.extend(form_urlencoded::byte_serialize(redirect_url.as_bytes()));
        }
        url
    }
}

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

/// Applies a metadata request to one stored field: `merge` deep-merges (the `PATCH`
/// endpoints), otherwise the given object replaces the stored one whole (the `PUT` ones).
fn apply_metadata(stored: &mut Map<String, Value>, given: Option<Map<String, Value>>, merge: bool) {
    match given {
        Some(patch) if merge => merge_object(stored, patch),
        Some(replacement) => *stored = replacement,
        None => {}
    }
}

/// Clerk stores email addresses lowercased, so lookups by any casing find them.
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

/// `text`, lowercased and trimmed, if there is anything left: the form of a `query` search.
fn needle(text: Option<&str>) -> Option<String> {
    text.map(|text| text.trim().to_lowercase()).filter(|text| !text.is_empty())
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

/// Orders `records` with `key` as `order` asks and returns the asked page of them.
fn ordered_page<T>(
    records: impl IntoIterator<Item = T>,
    order: Order,
    page: Page,
    key: impl Fn(&T, &'static str) -> (Option<SortKey>, i64),
) -> Listed<T> {
    let mut keyed: Vec<(Option<SortKey>, i64, T)> = records
        .into_iter()
        .map(|record| {
            let (sort_key, created_at) = key(&record, order.field);
            (sort_key, created_at, record)
        })
        .collect();
    sort_records(&mut keyed, order.descending);
    Listed::paged(keyed.into_iter().map(|(_, _, record)| record).collect(), page)
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn metadata_merge_removes_nulls_and_recurses() {
        let mut stored = serde_json::json!({"a": 1, "nested": {"keep": true, "drop": 1}});
        let Value::Object(stored_map) = &mut stored else { unreachable!() };
        let Value::Object(patch) = serde_json::json!({"a": null, "nested": {"drop": null, "new": 2}}) else {
            unreachable!()
        };
        apply_metadata(stored_map, Some(patch), true);
        assert_eq!(stored, serde_json::json!({"nested": {"keep": true, "new": 2}}));
    }

    #[test]
    fn ticket_urls_carry_the_redirect_encoded() {
        let mut store = Store::new();
        let url = store.ticket_url(Some("https://app.example.com/welcome?x=1"));
        assert!(url.starts_with("https://clerk.standin.invalid/v1/tickets/accept?ticket=tkt_"), "{url}");
        assert!(url.ends_with("&redirect_url=https%3A%2F%2Fapp.example.com%2Fwelcome%3Fx%3D1"), "{url}");
    }
}
