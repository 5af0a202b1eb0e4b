//! [`Verifier`]: where the keys come from, what is checked, and in which order.

use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::claims::{Payload, Session};
use crate::error::{ConfigError, KeyError, VerifyError};
use crate::jwks::Jwks;
use crate::jwt::Jws;
use crate::keys::RsaPublicKey;

/// The environment variable holding the instance's PEM public key, for networkless
/// verification.
pub const JWT_KEY_VAR: &str = "CLERK_JWT_KEY";
pub use clerk_api::{API_URL_VAR, SECRET_KEY_VAR};

/// The clock skew allowed by default when checking `exp`, `nbf` and `iat`, as in Clerk's SDKs.
pub const DEFAULT_CLOCK_SKEW: Duration = Duration::from_secs(5);

/// Verifies Clerk session tokens. Cheap to clone: clones share the key cache.
///
/// ```no_run
/// # async fn demo(token: &str) -> Result<(), Box<dyn std::error::Error>> {
/// // CLERK_JWT_KEY (no network at all), or CLERK_SECRET_KEY to fetch the JWKS once.
/// let verifier = clerk_auth::Verifier::from_env()?.authorized_parties(["https://app.example.com"]);
/// match verifier.verify(token).await {
///     Ok(session) => println!("{} in session {}", session.user_id, session.session_id),
///     Err(refused) => println!("refused: {} ({refused})", refused.reason()),
/// }
/// # Ok(())
/// # }
/// ```
#[derive(Clone, Debug)]
pub struct Verifier {
    keys: Keys,
    authorized_parties: Arc<[String]>,
    clock_skew: Duration,
}

#[derive(Clone, Debug)]
enum Keys {
    /// One key, given: every token is checked against it, whatever its `kid`.
    Pem(Arc<RsaPublicKey>),
    Jwks(Jwks),
}

impl Verifier {
    /// Networkless: every token is checked against this public key (Clerk's dashboard, API
    /// keys, "PEM public key"), whatever its `kid`. The forms [`RsaPublicKey::from_pem`] reads
    /// are accepted.
    ///
    /// # Errors
    ///
    /// When `pem` is not an RSA public key that fits RS256.
    pub fn from_jwt_key(pem: &str) -> Result<Self, KeyError> {
        Ok(Self::with_keys(Keys::Pem(Arc::new(RsaPublicKey::from_pem(pem)?))))
    }

    /// With the instance's keys from its JWKS (see [`Jwks`] for when it is fetched).
    pub fn from_jwks(jwks: Jwks) -> Self {
        Self::with_keys(Keys::Jwks(jwks))
    }

    /// With the JWKS fetched by `client` (the instance's secret key) and cached with the
    /// default [`crate::RefreshPolicy`].
    pub fn from_client(client: clerk_api::Client) -> Self {
        Self::from_jwks(Jwks::new(client))
    }

    /// From the environment: `CLERK_JWT_KEY` if set (networkless), else the JWKS fetched with
    /// `CLERK_SECRET_KEY` from `CLERK_API_URL` (Clerk's Backend API when unset).
    ///
    /// # Errors
    ///
    /// When neither key is set, or the one used is unusable.
    pub fn from_env() -> Result<Self, ConfigError> {
        let var = |name: &str| std::env::var(name).ok().filter(|value| !value.trim().is_empty());
        if let Some(pem) = var(JWT_KEY_VAR) {
            return Ok(Self::from_jwt_key(&pem)?);
        }
        let secret_key = var(SECRET_KEY_VAR).ok_or(ConfigError::NoKey)?;
        let client = match var(API_URL_VAR) {
            Some(url) => clerk_api::Client::from_secret_key_with_base_url(&secret_key, &url)?,
            None => clerk_api::Client::from_secret_key(&secret_key)?,
        };
        Ok(Self::from_client(client))
    }

    fn with_keys(keys: Keys) -> Self {
        Verifier { keys, authorized_parties: Arc::from([]), clock_skew: DEFAULT_CLOCK_SKEW }
    }

    /// Accepts only tokens whose `azp` (the origin the token was made for) is one of
    /// `parties`, such as `https://app.example.com`; a token without `azp` is refused too.
    /// Recommended for tokens from the `__session` cookie, which another subdomain may have
    /// set. With none (the default), `azp` is not checked.
    pub fn authorized_parties<I>(mut self, parties: I) -> Self
    where
        I: IntoIterator,
        I::Item: Into<String>,
    {
        self.authorized_parties = parties.into_iter().map(Into::into).collect();
        self
    }

    /// How far the clocks of Clerk and this machine may disagree when checking `exp`, `nbf`
    /// and `iat` ([`DEFAULT_CLOCK_SKEW`] by default).
    pub fn clock_skew(mut self, skew: Duration) -> Self {
        self.clock_skew = skew;
        self
    }

    /// Verifies a session token (the `__session` cookie, or the bearer token Clerk's frontend
    /// SDKs send), in this order: its form and size; its header (RS256 only, a session token);
    /// the key for its `kid`; the signature; then the claims: `sub`, `sid` and `exp` present,
    /// `exp`, `nbf` and `iat` against the clock, and `azp` when authorized parties are set.
    /// Nothing of the payload is looked at before the signature is known to be good.
    ///
    /// Only a JWKS fetch can make this wait on the network (see [`Jwks`]).
    ///
    /// # Errors
    ///
    /// The reason the token is refused, one [`VerifyError`] variant each.
    pub async fn verify(&self, token: &str) -> Result<Session, VerifyError> {
        self.verify_at(token, SystemTime::now()).await
    }

    /// [`Verifier::verify`] as if the clock read `at`: to tell what the verdict was, or will
    /// be, at another time (replaying a logged token, checking against a reference verifier).
    ///
    /// # Errors
    ///
    /// The reason the token is refused, one [`VerifyError`] variant each.
    pub async fn verify_at(&self, token: &str, at: SystemTime) -> Result<Session, VerifyError> {
        let jws = Jws::parse(token)?;
        let key = match &self.keys {
            Keys::Pem(key) => Arc::clone(key),
            Keys::Jwks(jwks) => jwks.key(jws.kid.as_deref()).await?,
        };
        if !key.verifies(jws.signing_input, &jws.signature) {
            return Err(VerifyError::BadSignature);
        }
        let session = Payload::parse(&jws.payload)?.into_session(jws.payload)?;
        self.check_claims(&session, unix_millis(at))?;
        Ok(session)
    }

    /// The checks of the claims against the clock and the configuration.
    fn check_claims(&self, session: &Session, now_ms: i64) -> Result<(), VerifyError> {
        let skew_ms = i64::try_from(self.clock_skew.as_millis()).unwrap_or(i64::MAX);
        let now = now_ms.div_euclid(1000);
        let exp = session.expires_at;
        if exp.saturating_mul(1000) <= now_ms.saturating_sub(skew_ms) {
            return Err(VerifyError::Expired { expired_at: exp, now });
        }
        if let Some(nbf) = session.not_before
            && nbf.saturating_mul(1000) > now_ms.saturating_add(skew_ms)
        {
            return Err(VerifyError::NotYetValid { not_before: nbf, now });
        }
        if let Some(iat) = session.issued_at
            && iat.saturating_mul(1000) > now_ms.saturating_add(skew_ms)
        {
            return Err(VerifyError::IssuedInTheFuture { issued_at: iat, now });
        }
        if !self.authorized_parties.is_empty()
            && !session.authorized_party.as_ref().is_some_and(|azp| self.authorized_parties.contains(azp))
        {
            return Err(VerifyError::UnauthorizedParty { azp: session.authorized_party.clone() });
        }
        Ok(())
    }
}

/// A time in Unix milliseconds.
fn unix_millis(at: SystemTime) -> i64 {
    at.duration_since(UNIX_EPOCH).map(|since| i64::try_from(since.as_millis()).unwrap_or(i64::MAX)).unwrap_or_default()
}
