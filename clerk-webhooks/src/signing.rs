//! Signing and verifying: the Svix scheme Clerk uses, which is also Standard Webhooks'.

use std::fmt;
use std::str::FromStr;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::Engine;
use base64::alphabet;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use hmac::{Hmac, Mac};
use sha2::Sha256;
use subtle::ConstantTimeEq;

use std::sync::Arc;

use crate::replay::ReplayGuard;
use crate::{Error, Headers, WebhookEvent};

type HmacSha256 = Hmac<Sha256>;

/// The header holding the message id.
pub const ID_HEADER: &str = "svix-id";
/// The header holding the time of sending, in seconds since the Unix epoch.
pub const TIMESTAMP_HEADER: &str = "svix-timestamp";
/// The header holding the space-separated `v1,<base64>` signatures.
pub const SIGNATURE_HEADER: &str = "svix-signature";
/// How far the timestamp may be from now, in either direction: five minutes, as Clerk's SDKs.
pub const DEFAULT_TOLERANCE: Duration = Duration::from_secs(5 * 60);
/// The shortest key a secret may have, in bytes: the length of the keys Clerk issues.
pub const MIN_SECRET_BYTES: usize = 24;

/// The Standard Webhooks names of the three headers, read when the `svix-` ones are absent.
const STANDARD_HEADERS: [&str; 3] = ["webhook-id", "webhook-timestamp", "webhook-signature"];
const SECRET_PREFIX: &str = "whsec_";
/// The only signature version of the scheme that is symmetric.
const VERSION: &[u8] = b"v1";
/// Base64 of a 32-byte tag is 44 characters; anything much longer is not one.
const MAX_SIGNATURE_LEN: usize = 64;
/// Standard base64 with or without padding (some tools strip it from secrets).
const BASE64: GeneralPurpose = GeneralPurpose::new(
    &alphabet::STANDARD,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// A webhook signing secret, decoded once. Its `Debug` output never shows it.
#[derive(Clone)]
pub struct Secret {
    /// The keyed HMAC state, cloned for each message.
    mac: HmacSha256,
}

impl Secret {
    /// Reads a secret as the Clerk dashboard shows it, `whsec_` followed by base64; the
    /// prefix may be left out and surrounding whitespace is ignored.
    ///
    /// # Errors
    ///
    /// [`Error::MalformedSecret`] when the rest is not base64 or is empty,
    /// [`Error::SecretTooShort`] when it holds fewer than [`MIN_SECRET_BYTES`].
    pub fn new(secret: &str) -> Result<Secret, Error> {
        let secret = secret.trim();
        let encoded = secret.strip_prefix(SECRET_PREFIX).unwrap_or(secret);
        if encoded.is_empty() {
            return Err(Error::MalformedSecret("it is empty"));
        }
        let key =
            BASE64.decode(encoded).map_err(|_| Error::MalformedSecret("it is not `whsec_` followed by base64"))?;
        Secret::from_bytes(&key)
    }

    /// A secret from its raw key bytes.
    ///
    /// # Errors
    ///
    /// [`Error::MalformedSecret`] when `key` is empty, [`Error::SecretTooShort`] when it is
    /// shorter than [`MIN_SECRET_BYTES`].
    pub fn from_bytes(key: &[u8]) -> Result<Secret, Error> {
        if key.is_empty() {
            return Err(Error::MalformedSecret("it is empty"));
        }
        if key.len() < MIN_SECRET_BYTES {
            return Err(Error::SecretTooShort { bytes: key.len() });
        }
        let mac = HmacSha256::new_from_slice(key).map_err(|_| Error::MalformedSecret("it cannot key an HMAC"))?;
        Ok(Secret { mac })
    }

    /// The HMAC-SHA256 of `{id}.{timestamp}.{body}`.
    fn tag(&self, id: &[u8], timestamp: &[u8], body: &[u8]) -> [u8; 32] {
        let mut mac = self.mac.clone();
        mac.update(id);
        mac.update(b".");
        mac.update(timestamp);
        mac.update(b".");
        mac.update(body);
        mac.finalize().into_bytes().into()
    }
}

impl FromStr for Secret {
    type Err = Error;

    fn from_str(secret: &str) -> Result<Secret, Error> {
        Secret::new(secret)
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret([redacted])")
    }
}

/// The `svix-signature` value for a message: `v1,` and the base64 HMAC-SHA256 of
/// `{id}.{timestamp}.{body}`. This is what Clerk sends, and what a test or a local stand-in
/// needs to send webhooks that [`Webhook::verify`] accepts.
///
/// ```
/// let secret = clerk_webhooks::Secret::new("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")?;
/// let signature = clerk_webhooks::sign(&secret, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, br#"{"test": 2432232314}"#);
/// assert_eq!(signature, "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
/// # Ok::<(), clerk_webhooks::Error>(())
/// ```
pub fn sign(secret: &Secret, id: &str, timestamp: i64, body: &[u8]) -> String {
    let tag = secret.tag(id.as_bytes(), timestamp.to_string().as_bytes(), body);
    format!("v1,{}", BASE64.encode(tag))
}

/// Verifies a webhook with `secret` and the default tolerance, then decodes it: the
/// equivalent of the JavaScript SDK's `verifyWebhook`. To verify many, build a [`Webhook`]
/// once instead, which decodes the secret once.
///
/// # Errors
///
/// See [`Webhook::verify`]; also [`Error::MalformedSecret`].
pub fn verify(secret: &str, headers: &(impl Headers + ?Sized), body: &[u8]) -> Result<WebhookEvent, Error> {
    Webhook::new(secret)?.verify(headers, body)
}

/// A webhook endpoint's verifier: its secret, the timestamp tolerance and, if asked for, the
/// message ids accepted within it. Clones share the ids.
#[derive(Clone, Debug)]
pub struct Webhook {
    secret: Secret,
    tolerance: Duration,
    replays: Option<Arc<ReplayGuard>>,
}

impl From<Secret> for Webhook {
    fn from(secret: Secret) -> Webhook {
        Webhook { secret, tolerance: DEFAULT_TOLERANCE, replays: None }
    }
}

impl Webhook {
    /// A verifier for the secret `whsec_...`, with a tolerance of five minutes.
    ///
    /// # Errors
    ///
    /// [`Error::MalformedSecret`] when the secret is not `whsec_` followed by base64.
    pub fn new(secret: &str) -> Result<Webhook, Error> {
        Ok(Webhook::from(Secret::new(secret)?))
    }

    /// Accepts timestamps up to `tolerance` away from now, before or after.
    #[must_use]
    pub fn with_tolerance(mut self, tolerance: Duration) -> Webhook {
        self.tolerance = tolerance;
        self
    }

    /// Accepts each message id once: a webhook whose `svix-id` was already accepted, and is
    /// still within the tolerance, is refused as [`Error::Replayed`]. Without it, a delivery
    /// captured on the way replays until its timestamp goes stale (five minutes by default).
    ///
    /// The ids are kept in memory, each until its timestamp leaves the tolerance, at most
    /// `capacity` of them (at least one); when more arrive within the window, the one closest
    /// to expiring is forgotten first. Only verified webhooks are recorded, so a forger cannot
    /// fill it. One process's memory: behind several processes, each keeps its own.
    ///
    /// Clerk retries a delivery that was not answered 2xx with the same id: an endpoint that
    /// fails to handle a verified webhook calls [`Webhook::forget`] so the retry is accepted.
    #[must_use]
    pub fn with_replay_guard(mut self, capacity: usize) -> Webhook {
        self.replays = Some(Arc::new(ReplayGuard::new(capacity)));
        self
    }

    /// Lets the message `id` be accepted again (see [`Webhook::with_replay_guard`]).
    pub fn forget(&self, id: &str) {
        if let Some(replays) = &self.replays {
            replays.forget(id);
        }
    }

    /// The signature for a message, as [`sign`] makes it.
    pub fn sign(&self, id: &str, timestamp: i64, body: &[u8]) -> String {
        sign(&self.secret, id, timestamp, body)
    }

    /// Checks the signature and the timestamp, then decodes the body.
    ///
    /// # Errors
    ///
    /// [`Error::MissingHeader`], [`Error::MalformedHeader`], [`Error::StaleTimestamp`] or
    /// [`Error::BadSignature`] when the webhook cannot be trusted; [`Error::Replayed`] when it
    /// was accepted before (with [`Webhook::with_replay_guard`]); [`Error::UnreadableBody`]
    /// when it is trusted but not an event.
    pub fn verify(&self, headers: &(impl Headers + ?Sized), body: &[u8]) -> Result<WebhookEvent, Error> {
        self.verify_at(headers, body, SystemTime::now())
    }

    /// [`Webhook::verify`] as if the time were `now`.
    ///
    /// # Errors
    ///
    /// As [`Webhook::verify`].
    pub fn verify_at(
        &self,
        headers: &(impl Headers + ?Sized),
        body: &[u8],
        now: SystemTime,
    ) -> Result<WebhookEvent, Error> {
        self.verify_signature_at(headers, body, now)?;
        WebhookEvent::from_slice(body)
    }

    /// Checks the signature and the timestamp only, for a caller that decodes the body
    /// itself.
    ///
    /// # Errors
    ///
    /// As [`Webhook::verify`], except [`Error::UnreadableBody`].
    pub fn verify_signature(&self, headers: &(impl Headers + ?Sized), body: &[u8]) -> Result<(), Error> {
        self.verify_signature_at(headers, body, SystemTime::now())
    }

    /// [`Webhook::verify_signature`] as if the time were `now`.
    ///
    /// # Errors
    ///
    /// As [`Webhook::verify_signature`].
    pub fn verify_signature_at(
        &self,
        headers: &(impl Headers + ?Sized),
        body: &[u8],
        now: SystemTime,
    ) -> Result<(), Error> {
        let id = required(headers, ID_HEADER, STANDARD_HEADERS[0])?;
        let timestamp_text = required(headers, TIMESTAMP_HEADER, STANDARD_HEADERS[1])?;
        let signatures = required(headers, SIGNATURE_HEADER, STANDARD_HEADERS[2])?;
        let timestamp = std::str::from_utf8(timestamp_text)
            .ok()
            .and_then(|text| text.parse::<i64>().ok())
            .ok_or(Error::MalformedHeader { name: TIMESTAMP_HEADER, reason: "not a whole number of seconds" })?;
        let now = unix_seconds(now);
        let tolerance = self.tolerance.as_secs();
        if timestamp.abs_diff(now) > tolerance {
            return Err(Error::StaleTimestamp { timestamp, now, tolerance });
        }
        let expected = self.secret.tag(id, timestamp_text, body);
        let mut decoded = [0u8; MAX_SIGNATURE_LEN];
        for candidate in signatures.split(u8::is_ascii_whitespace).filter(|c| !c.is_empty()) {
            let Some(comma) = candidate.iter().position(|b| *b == b',') else { continue };
            let (version, signature) = (&candidate[..comma], &candidate[comma + 1..]);
            if version != VERSION || signature.len() > MAX_SIGNATURE_LEN {
                continue;
            }
            // A signature that is not base64 or not 32 bytes matches nothing.
            let Ok(length) = BASE64.decode_slice(signature, &mut decoded) else { continue };
            if bool::from(decoded[..length].ct_eq(&expected)) {
                return match &self.replays {
                    Some(replays) => {
                        let expires = timestamp.saturating_add(i64::try_from(tolerance).unwrap_or(i64::MAX));
                        replays.accept(id, expires, now)
                    }
                    None => Ok(()),
                };
            }
        }
        Err(Error::BadSignature)
    }
}

/// A header's value without surrounding whitespace, the `svix-` name first; absent or blank
/// is missing.
fn required<'h>(headers: &'h (impl Headers + ?Sized), name: &'static str, standard: &str) -> Result<&'h [u8], Error> {
    [name, standard]
        .into_iter()
        .filter_map(|name| headers.header(name))
        .map(<[u8]>::trim_ascii)
        .find(|value| !value.is_empty())
        .ok_or(Error::MissingHeader(name))
}

/// Seconds since the Unix epoch, negative before it.
fn unix_seconds(time: SystemTime) -> i64 {
    match time.duration_since(UNIX_EPOCH) {
        Ok(after) => i64::try_from(after.as_secs()).unwrap_or(i64::MAX),
        Err(before) => i64::try_from(before.duration().as_secs()).map(|s| -s).unwrap_or(i64::MIN),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_hides_the_secret() {
        let secret = Secret::new("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").unwrap();
        assert_eq!(format!("{secret:?}"), "Secret([redacted])");
        let webhook = Webhook::from(secret);
        assert!(!format!("{webhook:?}").contains("MfKQ"));
    }

    #[test]
    fn secrets_with_and_without_prefix_or_padding_agree() {
        let a = Secret::new("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").unwrap();
        let b = Secret::new(" MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw\n").unwrap();
        assert_eq!(sign(&a, "msg", 1, b"{}"), sign(&b, "msg", 1, b"{}"));
        // 25 bytes: base64 of it ends in `==`.
        let padded = Secret::new("whsec_dGhlIG90aGVyIHNpZ25pbmcgc2VjcmV0IQ==").unwrap();
        let unpadded = Secret::new("whsec_dGhlIG90aGVyIHNpZ25pbmcgc2VjcmV0IQ").unwrap();
        assert_eq!(sign(&padded, "m", 1, b""), sign(&unpadded, "m", 1, b""));
        assert_eq!(Secret::new("whsec_").unwrap_err(), Error::MalformedSecret("it is empty"));
        assert!(matches!(Secret::new("whsec_not base64!"), Err(Error::MalformedSecret(_))));
    }

    #[test]
    fn keys_shorter_than_24_bytes_are_refused() {
        assert_eq!(Secret::new("whsec_c2VjcmV0MQ==").unwrap_err(), Error::SecretTooShort { bytes: 7 });
        assert_eq!(Secret::from_bytes(&[7; 23]).unwrap_err(), Error::SecretTooShort { bytes: 23 });
        assert!(Secret::from_bytes(&[7; 24]).is_ok());
        let message = Secret::new("whsec_c2VjcmV0MQ==").unwrap_err().to_string();
        assert!(
            message.contains("7 bytes") && message.contains("at least 24") && !message.contains("c2Vj"),
            "{message}"
        );
    }

    #[test]
    fn unix_seconds_both_sides_of_the_epoch() {
        assert_eq!(unix_seconds(UNIX_EPOCH + Duration::from_secs(5)), 5);
        assert_eq!(unix_seconds(UNIX_EPOCH - Duration::from_secs(5)), -5);
    }
}
