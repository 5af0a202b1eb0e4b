//! Outputs of the user tools: every contract field always present (`null`, `false`, `{}` or
//! `[]` when Clerk did not return it), camelCase, timestamps in Unix milliseconds.

use clerk_api::types;
use serde_json::{Map, Value};

use crate::schema::output;

output! {
    /// An email address of a listed user.
    pub struct EmailAddressEntry {
        /// Email address ID.
        pub id: Option<String>,
        /// Email address.
        pub email_address: Option<String>,
    }
}

output! {
    /// A phone number of a listed user.
    pub struct PhoneNumberEntry {
        /// Phone number ID.
        pub id: Option<String>,
        /// Phone number.
        pub phone_number: Option<String>,
    }
}

output! {
    /// An email address with its verification state.
    pub struct VerifiedEmailAddress {
        /// Email address ID.
        pub id: Option<String>,
        /// Email address.
        pub email_address: Option<String>,
        /// Whether the address's verification status is `verified`.
        pub verified: bool,
    }
}

output! {
    /// A phone number with its verification state.
    pub struct VerifiedPhoneNumber {
        /// Phone number ID.
        pub id: Option<String>,
        /// Phone number.
        pub phone_number: Option<String>,
        /// Whether the number's verification status is `verified`.
        pub verified: bool,
    }
}

output! {
    /// A user as `clerk_list_users` reports it.
    pub struct ListedUser {
        /// User ID.
        pub id: Option<String>,
        /// Username.
        pub username: Option<String>,
        /// First name.
        pub first_name: Option<String>,
        /// Last name.
        pub last_name: Option<String>,
        /// Profile image URL.
        pub image_url: Option<String>,
        /// Whether the user has a profile image.
        pub has_image: bool,
        /// Primary email address ID.
        pub primary_email_address_id: Option<String>,
        /// Primary phone number ID.
        pub primary_phone_number_id: Option<String>,
        /// User email addresses.
        pub email_addresses: Vec<EmailAddressEntry>,
        /// User phone numbers.
        pub phone_numbers: Vec<PhoneNumberEntry>,
        /// External system ID.
        pub external_id: Option<String>,
        /// Whether password is enabled.
        pub password_enabled: bool,
        /// Whether 2FA is enabled.
        pub two_factor_enabled: bool,
        /// Whether the user is banned.
        pub banned: bool,
        /// Whether the user is locked.
        pub locked: bool,
        /// Last sign-in timestamp (Unix milliseconds).
        pub last_sign_in_at: Option<i64>,
        /// Last activity timestamp (Unix milliseconds).
        pub last_active_at: Option<i64>,
        /// Creation timestamp (Unix milliseconds).
        pub created_at: Option<i64>,
        /// Last update timestamp (Unix milliseconds).
        pub updated_at: Option<i64>,
        /// Public metadata.
        pub public_metadata: Map<String, Value>,
    }
}

output! {
    /// Output of `clerk_list_users`.
    pub struct ListUsersOutput {
        /// The page of users.
        pub users: Vec<ListedUser>,
        /// Total number of users matching the filters (not the page length).
        pub total_count: i64,
        /// Always `true`.
        pub success: bool,
    }
}

output! {
    /// Output of `clerk_get_user`.
    pub struct GetUserOutput {
        /// User ID.
        pub id: Option<String>,
        /// Username.
        pub username: Option<String>,
        /// First name.
        pub first_name: Option<String>,
        /// Last name.
        pub last_name: Option<String>,
        /// Profile image URL.
        pub image_url: Option<String>,
        /// Whether the user has a profile image.
        pub has_image: bool,
        /// Primary email address ID.
        pub primary_email_address_id: Option<String>,
        /// Primary phone number ID.
        pub primary_phone_number_id: Option<String>,
        /// Primary Web3 wallet ID.
        pub primary_web3_wallet_id: Option<String>,
        /// User email addresses.
        pub email_addresses: Vec<VerifiedEmailAddress>,
        /// User phone numbers.
        pub phone_numbers: Vec<VerifiedPhoneNumber>,
        /// External system ID.
        pub external_id: Option<String>,
        /// Whether password is enabled.
        pub password_enabled: bool,
        /// Whether 2FA is enabled.
        pub two_factor_enabled: bool,
        /// Whether TOTP is enabled.
        pub totp_enabled: bool,
        /// Whether backup codes are enabled.
        pub backup_code_enabled: bool,
        /// Whether the user is banned.
        pub banned: bool,
        /// Whether the user is locked.
        pub locked: bool,
        /// Whether the user can delete themselves.
        pub delete_self_enabled: bool,
        /// Whether the user can create organizations.
        pub create_organization_enabled: bool,
        /// Last sign-in timestamp (Unix milliseconds).
        pub last_sign_in_at: Option<i64>,
        /// Last activity timestamp (Unix milliseconds).
        pub last_active_at: Option<i64>,
        /// Creation timestamp (Unix milliseconds).
        pub created_at: Option<i64>,
        /// Last update timestamp (Unix milliseconds).
        pub updated_at: Option<i64>,
        /// Public metadata (readable from frontend).
        pub public_metadata: Map<String, Value>,
        /// Private metadata (backend only).
        pub private_metadata: Map<String, Value>,
        /// Unsafe metadata (modifiable from frontend).
        pub unsafe_metadata: Map<String, Value>,
        /// Always `true`.
        pub success: bool,
    }
}

output! {
    /// Output of `clerk_create_user`.
    pub struct CreateUserOutput {
        /// Created user ID.
        pub id: Option<String>,
        /// Username.
        pub username: Option<String>,
        /// First name.
        pub first_name: Option<String>,
        /// Last name.
        pub last_name: Option<String>,
        /// Profile image URL.
        pub image_url: Option<String>,
        /// Primary email address ID.
        pub primary_email_address_id: Option<String>,
        /// Primary phone number ID.
        pub primary_phone_number_id: Option<String>,
        /// User email addresses.
        pub email_addresses: Vec<VerifiedEmailAddress>,
        /// User phone numbers.
        pub phone_numbers: Vec<VerifiedPhoneNumber>,
        /// External system ID.
        pub external_id: Option<String>,
        /// Creation timestamp (Unix milliseconds).
        pub created_at: Option<i64>,
        /// Last update timestamp (Unix milliseconds).
        pub updated_at: Option<i64>,
        /// Public metadata.
        pub public_metadata: Map<String, Value>,
        /// Always `true`.
        pub success: bool,
    }
}

output! {
    /// Output of `clerk_update_user`.
    pub struct UpdateUserOutput {
        /// User ID.
        pub id: Option<String>,
        /// Username.
        pub username: Option<String>,
        /// First name.
        pub first_name: Option<String>,
        /// Last name.
        pub last_name: Option<String>,
        /// Profile image URL.
        pub image_url: Option<String>,
        /// Primary email address ID.
        pub primary_email_address_id: Option<String>,
        /// Primary phone number ID.
        pub primary_phone_number_id: Option<String>,
        /// User email addresses.
        pub email_addresses: Vec<VerifiedEmailAddress>,
        /// User phone numbers.
        pub phone_numbers: Vec<VerifiedPhoneNumber>,
        /// External system ID.
        pub external_id: Option<String>,
        /// Whether the user is banned.
        pub banned: bool,
        /// Whether the user is locked.
        pub locked: bool,
        /// Creation timestamp (Unix milliseconds).
        pub created_at: Option<i64>,
        /// Last update timestamp (Unix milliseconds).
        pub updated_at: Option<i64>,
        /// Public metadata.
        pub public_metadata: Map<String, Value>,
        /// Always `true`.
        pub success: bool,
    }
}

/// Output of `clerk_delete_user`: the deleted object (`object` is `user`).
pub type DeleteUserOutput = crate::output::DeletedObjectOutput;

/// `verified` is true exactly when the verification status is `verified`.
fn is_verified(status: Option<&str>) -> bool {
    status == Some("verified")
}

fn verified_emails(addresses: Option<Vec<types::EmailAddress>>) -> Vec<VerifiedEmailAddress> {
    addresses
        .unwrap_or_default()
        .into_iter()
        .map(|e| VerifiedEmailAddress {
            verified: is_verified(e.verification.and_then(|v| v.status).as_deref()),
            id: e.id,
            email_address: e.email_address,
        })
        .collect()
}

fn verified_phones(numbers: Option<Vec<types::PhoneNumber>>) -> Vec<VerifiedPhoneNumber> {
    numbers
        .unwrap_or_default()
        .into_iter()
        .map(|p| VerifiedPhoneNumber {
            verified: is_verified(p.verification.and_then(|v| v.status).as_deref()),
            id: p.id,
            phone_number: p.phone_number,
        })
        .collect()
}

impl From<types::User> for ListedUser {
    fn from(user: types::User) -> Self {
        ListedUser {
            id: user.id,
            username: user.username,
            first_name: user.first_name,
            last_name: user.last_name,
            image_url: user.image_url,
            has_image: user.has_image.unwrap_or(false),
            primary_email_address_id: user.primary_email_address_id,
            primary_phone_number_id: user.primary_phone_number_id,
            email_addresses: user
                .email_addresses
                .unwrap_or_default()
                .into_iter()
                .map(|e| EmailAddressEntry { id: e.id, email_address: e.email_address })
                .collect(),
            phone_numbers: user
                .phone_numbers
                .unwrap_or_default()
                .into_iter()
                .map(|p| PhoneNumberEntry { id: p.id, phone_number: p.phone_number })
                .collect(),
            external_id: user.external_id,
            password_enabled: user.password_enabled.unwrap_or(false),
            two_factor_enabled: user.two_factor_enabled.unwrap_or(false),
            banned: user.banned.unwrap_or(false),
            locked: user.locked.unwrap_or(false),
            last_sign_in_at: user.last_sign_in_at,
            last_active_at: user.last_active_at,
            created_at: user.created_at,
            updated_at: user.updated_at,
            public_metadata: user.public_metadata.unwrap_or_default(),
        }
    }
}

impl From<types::User> for GetUserOutput {
    fn from(user: types::User) -> Self {
        GetUserOutput {
            id: user.id,
            username: user.username,
            first_name: user.first_name,
            last_name: user.last_name,
            image_url: user.image_url,
            has_image: user.has_image.unwrap_or(false),
            primary_email_address_id: user.primary_email_address_id,
            primary_phone_number_id: user.primary_phone_number_id,
            primary_web3_wallet_id: user.primary_web3_wallet_id,
            email_addresses: verified_emails(user.email_addresses),
            phone_numbers: verified_phones(user.phone_numbers),
            external_id: user.external_id,
            password_enabled: user.password_enabled.unwrap_or(false),
            two_factor_enabled: user.two_factor_enabled.unwrap_or(false),
            totp_enabled: user.totp_enabled.unwrap_or(false),
            backup_code_enabled: user.backup_code_enabled.unwrap_or(false),
            banned: user.banned.unwrap_or(false),
            locked: user.locked.unwrap_or(false),
            delete_self_enabled: user.delete_self_enabled.unwrap_or(false),
            create_organization_enabled: user.create_organization_enabled.unwrap_or(false),
            last_sign_in_at: user.last_sign_in_at,
            last_active_at: user.last_active_at,
            created_at: user.created_at,
            updated_at: user.updated_at,
            public_metadata: user.public_metadata.unwrap_or_default(),
            private_metadata: user.private_metadata.unwrap_or_default(),
            unsafe_metadata: user.unsafe_metadata.unwrap_or_default(),
            success: true,
        }
    }
}

impl From<types::User> for CreateUserOutput {
    fn from(user: types::User) -> Self {
        CreateUserOutput {
            id: user.id,
            username: user.username,
            first_name: user.first_name,
            last_name: user.last_name,
            image_url: user.image_url,
            primary_email_address_id: user.primary_email_address_id,
            primary_phone_number_id: user.primary_phone_number_id,
            email_addresses: verified_emails(user.email_addresses),
            phone_numbers: verified_phones(user.phone_numbers),
            external_id: user.external_id,
            created_at: user.created_at,
            updated_at: user.updated_at,
            public_metadata: user.public_metadata.unwrap_or_default(),
            success: true,
        }
    }
}

impl From<types::User> for UpdateUserOutput {
    fn from(user: types::User) -> Self {
        UpdateUserOutput {
            id: user.id,
            username: user.username,
            first_name: user.first_name,
            last_name: user.last_name,
            image_url: user.image_url,
            primary_email_address_id: user.primary_email_address_id,
            primary_phone_number_id: user.primary_phone_number_id,
            email_addresses: verified_emails(user.email_addresses),
            phone_numbers: verified_phones(user.phone_numbers),
            external_id: user.external_id,
            banned: user.banned.unwrap_or(false),
            locked: user.locked.unwrap_or(false),
            created_at: user.created_at,
            updated_at: user.updated_at,
            public_metadata: user.public_metadata.unwrap_or_default(),
            success: true,
        }
    }
}
