//! Clerk's machine tokens (feature `machine-tokens`): API keys, M2M tokens and OAuth access
//! tokens, which only the instance can vouch for, verified through the Backend API's verify
//! endpoints (one request each) and returned typed.
//!
//! ```no_run
//! # async fn demo(secret: &str) -> Result<(), Box<dyn std::error::Error>> {
//! let client = clerk_api::Client::from_secret_key("sk_test_...")?;
//! let key = clerk_auth::machine::verify_api_key(&client, secret).await?;
//! println!("API key {} of {} with scopes {:?}", key.name, key.subject, key.scopes);
//! # Ok(())
//! # }
//! ```

use std::sync::Arc;

use serde_json::Value;

/// A machine token was not accepted.
#[derive(Debug, Clone, thiserror::Error)]
#[non_exhaustive]
pub enum MachineTokenError {
    /// Clerk knows the token, and it was revoked.
    #[error("the token was revoked{}", reason.as_deref().map(|reason| format!(": {reason}")).unwrap_or_default())]
    Revoked {
        /// The reason given when it was revoked.
        reason: Option<String>,
    },
    /// Clerk knows the token, and it expired.
    #[error("the token expired")]
    Expired,
    /// Clerk did not verify the token: it does not know it (an error answer with Clerk's
    /// message, code and trace id), or could not be reached.
    #[error("Clerk did not verify the token: {0}")]
    NotVerified(#[source] Arc<dyn std::error::Error + Send + Sync>),
}

/// A verified API key.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct ApiKey {
    /// `ak_...`
    pub id: String,
    /// Whom the key acts for: a user (`user_...`), an organization (`org_...`) or a machine
    /// (`mch_...`).
    pub subject: String,
    /// The key's name.
    pub name: String,
    /// Its description, if any.
    pub description: Option<String>,
    /// The kind of key (`api_key`).
    pub kind: String,
    /// The scopes granted.
    pub scopes: Vec<String>,
    /// The custom claims given to the key.
    pub claims: Option<Value>,
    /// The user who created it.
    pub created_by: Option<String>,
    /// When it expires, in Unix milliseconds; `None` for never.
    pub expires_at: Option<i64>,
    /// When it was last used, in Unix milliseconds.
    pub last_used_at: Option<i64>,
    /// When it was created, in Unix milliseconds.
    pub created_at: i64,
    /// When it was last changed, in Unix milliseconds.
    pub updated_at: i64,
}

/// A verified machine-to-machine token.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct M2mToken {
    /// `mt_...`
    pub id: String,
    /// The machine the token belongs to (`mch_...`).
    pub subject: String,
    /// The machines it may call (`mch_...`).
    pub scopes: Vec<String>,
    /// The custom claims given to the token.
    pub claims: Option<Value>,
    /// When it expires, in Unix milliseconds; `None` for never.
    pub expires_at: Option<i64>,
    /// When it was last used, in Unix milliseconds.
    pub last_used_at: Option<i64>,
    /// When it was created, in Unix milliseconds.
    pub created_at: i64,
    /// When it was last changed, in Unix milliseconds.
    pub updated_at: i64,
}

/// A verified OAuth access token issued by the instance (Clerk as identity provider).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct OAuthAccessToken {
    /// `oat_...`
    pub id: String,
    /// The OAuth application the token was issued to.
    pub client_id: String,
    /// The user who granted it (`user_...`).
    pub subject: String,
    /// The scopes granted.
    pub scopes: Vec<String>,
    /// When it expires, in Unix milliseconds; `None` for never.
    pub expires_at: Option<i64>,
    /// When it was created, in Unix milliseconds.
    pub created_at: i64,
    /// When it was last changed, in Unix milliseconds.
    pub updated_at: i64,
}

/// Milliseconds as the document types them (`number`), as integers.
fn millis(value: f64) -> i64 {
    value as i64
}

/// Refuses what Clerk reports as revoked or expired, and an answer that does not say.
fn check_state(
    revoked: Option<bool>,
    revocation_reason: Option<String>,
    expired: Option<bool>,
) -> Result<(), MachineTokenError> {
    if required(revoked, "revoked")? {
        return Err(MachineTokenError::Revoked { reason: revocation_reason });
    }
    if required(expired, "expired")? {
        return Err(MachineTokenError::Expired);
    }
    Ok(())
}

fn not_verified<E: std::error::Error + Send + Sync + 'static>(error: E) -> MachineTokenError {
    MachineTokenError::NotVerified(Arc::new(error))
}

/// A field of Clerk's answer that a verified token must have. The generated client decodes
/// every field of an answer as optional; a verification without one of these verifies
/// nothing.
fn required<T>(value: Option<T>, field: &'static str) -> Result<T, MachineTokenError> {
    value.ok_or_else(|| not_verified(MissingField(field)))
}

/// Clerk's answer to a verification lacks a field the verified token must have.
#[derive(Debug, Clone, Copy)]
struct MissingField(&'static str);

impl std::fmt::Display for MissingField {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Clerk's answer has no `{}`", self.0)
    }
}

impl std::error::Error for MissingField {}

/// Verifies an API key's secret with `POST /api_keys/verify`.
///
/// # Errors
///
/// When Clerk does not know the secret, or reports the key revoked or expired.
pub async fn verify_api_key(client: &clerk_api::Client, secret: &str) -> Result<ApiKey, MachineTokenError> {
    let body = clerk_api::types::VerifyApiKeyBody { secret: secret.to_owned() };
    let key = client.verify_api_key().body(body).send().await.map_err(not_verified)?.into_inner();
    check_state(key.revoked, key.revocation_reason, key.expired)?;
    Ok(ApiKey {
        id: required(key.id, "id")?,
        subject: required(key.subject, "subject")?,
        name: required(key.name, "name")?,
        description: key.description,
        kind: required(key.type_, "type")?,
        scopes: required(key.scopes, "scopes")?,
        claims: key.claims.filter(|claims| !claims.is_null()),
        created_by: key.created_by,
        expires_at: key.expiration.map(millis),
        last_used_at: key.last_used_at.map(millis),
        created_at: millis(required(key.created_at, "created_at")?),
        updated_at: millis(required(key.updated_at, "updated_at")?),
    })
}

/// Verifies an M2M token with `POST /m2m_tokens/verify`. With the instance's secret key, any
/// token of the instance can be verified; with a machine's secret key, only those granted
/// access to that machine.
///
/// # Errors
///
/// When Clerk does not know the token, or reports it revoked or expired.
pub async fn verify_m2m_token(client: &clerk_api::Client, token: &str) -> Result<M2mToken, MachineTokenError> {
    let body = clerk_api::types::VerifyM2mTokenBody { token: token.to_owned() };
    let token = client.verify_m2m_token().body(body).send().await.map_err(not_verified)?.into_inner();
    check_state(token.revoked, token.revocation_reason, token.expired)?;
    Ok(M2mToken {
        id: required(token.id, "id")?,
        subject: required(token.subject, "subject")?,
        scopes: required(token.scopes, "scopes")?,
        claims: token.claims.filter(|claims| !claims.is_null()),
        expires_at: token.expiration.map(millis),
        last_used_at: token.last_used_at.map(millis),
        created_at: millis(required(token.created_at, "created_at")?),
        updated_at: millis(required(token.updated_at, "updated_at")?),
    })
}

/// Verifies an OAuth access token issued by the instance with
/// `POST /oauth_applications/access_tokens/verify`.
///
/// # Errors
///
/// When Clerk does not know the token, reports it revoked or expired, or answers that a JWT
/// access token is no longer active.
pub async fn verify_oauth_access_token(
    client: &clerk_api::Client,
    access_token: &str,
) -> Result<OAuthAccessToken, MachineTokenError> {
    let body =
        clerk_api::types::VerifyOauthAccessTokenBody { access_token: Some(access_token.to_owned()), secret: None };
    let token = client.verify_oauth_access_token().body(body).send().await.map_err(not_verified)?.into_inner();
    // `{"active": false}`: the document's answer for a JWT access token that expired.
    if token.active == Some(false) {
        return Err(MachineTokenError::Expired);
    }
    check_state(token.revoked, token.revocation_reason, token.expired)?;
    Ok(OAuthAccessToken {
        id: required(token.id, "id")?,
        client_id: required(token.client_id, "client_id")?,
        subject: required(token.subject, "subject")?,
        scopes: required(token.scopes, "scopes")?,
        expires_at: token.expiration.map(millis),
        created_at: millis(required(token.created_at, "created_at")?),
        updated_at: millis(required(token.updated_at, "updated_at")?),
    })
}
