//! The JSON shapes Clerk answers with, field for field, built from the store's records.
//!
//! Fields Clerk always sends but that the stand-in has no feature behind (two-factor, web3,
//! passkeys, ...) are written with the values a fresh Clerk account has, so clients that read
//! them see what they would see against Clerk.

mod instance;
mod organizations;

use serde::Serialize;
use serde_json::{Map, Value, json};

use crate::store::{ContactPoint, Listed, Session, User};

pub(crate) use instance::{actor_token, identifier_entry, invitation, jwt_template, oauth_token};
pub(crate) use organizations::{membership, organization, organization_invitation};

const USER_IMAGE_URL: &str = "https://img.clerk.com/default";
const NOTHING: &[Value] = &[];

/// A verification, tagged with its kind in `object` (`verification_admin`, `verification_otp`,
/// ...), which is what clients pick its shape by.
#[derive(Serialize)]
struct Verification {
    object: &'static str,
    status: &'static str,
    strategy: &'static str,
    attempts: Option<i64>,
    expire_at: Option<i64>,
}

/// Everything the stand-in holds was added through the Backend API, which Clerk records as
/// verified by an admin.
const ADMIN_VERIFIED: Verification = Verification {
    object: "verification_admin",
    status: "verified",
    strategy: "admin",
    attempts: None,
    expire_at: None,
};

#[derive(Serialize)]
struct EmailAddressJson<'a> {
    id: &'a str,
    object: &'static str,
    email_address: &'a str,
    reserved: bool,
    verification: Verification,
    linked_to: &'static [Value],
    matches_sso_connection: bool,
    created_at: i64,
    updated_at: i64,
}

#[derive(Serialize)]
struct PhoneNumberJson<'a> {
    id: &'a str,
    object: &'static str,
    phone_number: &'a str,
    reserved_for_second_factor: bool,
    default_second_factor: bool,
    reserved: bool,
    verification: Verification,
    linked_to: &'static [Value],
    backup_codes: Option<Vec<String>>,
    created_at: i64,
    updated_at: i64,
}

#[derive(Serialize)]
struct UserJson<'a> {
    id: &'a str,
    object: &'static str,
    username: Option<&'a str>,
    first_name: Option<&'a str>,
    last_name: Option<&'a str>,
    image_url: &'static str,
    profile_image_url: &'static str,
    has_image: bool,
    primary_email_address_id: Option<&'a str>,
    primary_phone_number_id: Option<&'a str>,
    primary_web3_wallet_id: Option<&'a str>,
    password_enabled: bool,
    two_factor_enabled: bool,
    totp_enabled: bool,
    backup_code_enabled: bool,
    email_addresses: Vec<EmailAddressJson<'a>>,
    phone_numbers: Vec<PhoneNumberJson<'a>>,
    web3_wallets: &'static [Value],
    passkeys: &'static [Value],
    external_accounts: &'static [Value],
    saml_accounts: &'static [Value],
    enterprise_accounts: &'static [Value],
    external_id: Option<&'a str>,
    public_metadata: &'a Map<String, Value>,
    private_metadata: &'a Map<String, Value>,
    unsafe_metadata: &'a Map<String, Value>,
    last_sign_in_at: Option<i64>,
    banned: bool,
    locked: bool,
    lockout_expires_in_seconds: Option<i64>,
    verification_attempts_remaining: i64,
    delete_self_enabled: bool,
    create_organization_enabled: bool,
    create_organizations_limit: Option<i64>,
    last_active_at: Option<i64>,
    mfa_enabled_at: Option<i64>,
    mfa_disabled_at: Option<i64>,
    legal_accepted_at: Option<i64>,
    created_at: i64,
    updated_at: i64,
}

fn email_json(point: &ContactPoint) -> EmailAddressJson<'_> {
    EmailAddressJson {
        id: &point.id,
        object: "email_address",
        email_address: &point.value,
        reserved: false,
        verification: ADMIN_VERIFIED,
        linked_to: NOTHING,
        matches_sso_connection: false,
        created_at: point.created_at,
        updated_at: point.created_at,
    }
}

fn phone_json(point: &ContactPoint) -> PhoneNumberJson<'_> {
    PhoneNumberJson {
        id: &point.id,
        object: "phone_number",
        phone_number: &point.value,
        reserved_for_second_factor: false,
        default_second_factor: false,
        reserved: false,
        verification: ADMIN_VERIFIED,
        linked_to: NOTHING,
        backup_codes: None,
        created_at: point.created_at,
        updated_at: point.created_at,
    }
}

fn to_value(view: impl Serialize) -> Value {
    // Only plain structs of strings, numbers and maps are serialized here; that cannot fail.
    serde_json::to_value(view).expect("wire structs always serialize")
}

pub(crate) fn user(user: &User) -> Value {
    to_value(UserJson {
        id: &user.id,
        object: "user",
        username: user.username.as_deref(),
        first_name: user.first_name.as_deref(),
        last_name: user.last_name.as_deref(),
        image_url: USER_IMAGE_URL,
        profile_image_url: USER_IMAGE_URL,
        has_image: false,
        primary_email_address_id: user.primary_email_address_id.as_deref(),
        primary_phone_number_id: user.primary_phone_number_id.as_deref(),
        primary_web3_wallet_id: None,
        password_enabled: user.password_enabled,
        two_factor_enabled: false,
        totp_enabled: false,
        backup_code_enabled: false,
        email_addresses: user.email_addresses.iter().map(email_json).collect(),
        phone_numbers: user.phone_numbers.iter().map(phone_json).collect(),
        web3_wallets: NOTHING,
        passkeys: NOTHING,
        external_accounts: NOTHING,
        saml_accounts: NOTHING,
        enterprise_accounts: NOTHING,
        external_id: user.external_id.as_deref(),
        public_metadata: &user.public_metadata,
        private_metadata: &user.private_metadata,
        unsafe_metadata: &user.unsafe_metadata,
        last_sign_in_at: None,
        banned: user.banned,
        locked: user.locked,
        // A stand-in lock never expires on its own, which Clerk reports as null.
        lockout_expires_in_seconds: None,
        verification_attempts_remaining: 100,
        delete_self_enabled: user.delete_self_enabled,
        create_organization_enabled: user.create_organization_enabled,
        create_organizations_limit: user.create_organizations_limit,
        last_active_at: None,
        mfa_enabled_at: None,
        mfa_disabled_at: None,
        legal_accepted_at: None,
        created_at: user.created_at,
        updated_at: user.updated_at,
    })
}

#[derive(Serialize)]
struct SessionJson<'a> {
    object: &'static str,
    id: &'a str,
    user_id: &'a str,
    client_id: &'a str,
    actor: Option<Value>,
    status: &'a str,
    last_active_organization_id: Option<&'a str>,
    last_active_at: i64,
    expire_at: i64,
    abandon_at: i64,
    created_at: i64,
    updated_at: i64,
}

pub(crate) fn session(session: &Session) -> Value {
    to_value(SessionJson {
        object: "session",
        id: &session.id,
        user_id: &session.user_id,
        client_id: &session.client_id,
        actor: None,
        status: &session.status,
        last_active_organization_id: session.last_active_organization_id.as_deref(),
        last_active_at: session.last_active_at,
        expire_at: session.expire_at,
        abandon_at: session.abandon_at,
        created_at: session.created_at,
        updated_at: session.updated_at,
    })
}

/// Clerk's `DeletedObject`: what a `DELETE` answers with.
pub(crate) fn deleted(object: &str, id: &str) -> Value {
    json!({"object": object, "id": id, "deleted": true})
}

/// A list as Clerk answers it: `{data, total_count}`, or with `bare`, the page as an array
/// (what the older list endpoints answer unless asked for `paginated=true`).
pub(crate) fn list<T>(listed: Listed<T>, bare: bool, item: impl FnMut(T) -> Value) -> Value {
    let data: Vec<Value> = listed.data.into_iter().map(item).collect();
    if bare { Value::Array(data) } else { json!({"data": data, "total_count": listed.total_count}) }
}
