//! Actor tokens: one-time sign-in tickets that let an actor (a support agent, say) act as a
//! user. Clerk shows the token and its link once, when the token is created.

use serde_json::{Map, Value, json};

use super::{FRONTEND_API, Store, trimmed};
use crate::error::ApiError;

/// Clerk's defaults: a token is usable for an hour, and the session it starts lasts at most
/// half an hour.
const DEFAULT_EXPIRES_IN_SECONDS: i64 = 3600;
const DEFAULT_SESSION_MAX_DURATION_IN_SECONDS: i64 = 1800;

#[derive(Debug, Clone)]
pub(crate) struct ActorToken {
    pub(crate) id: String,
    /// `pending` until used (which the stand-in cannot do) or `revoked`.
    pub(crate) status: &'static str,
    pub(crate) user_id: String,
    pub(crate) actor: Map<String, Value>,
    /// The signed token and its sign-in link: set only on the copy the creation answers with.
    pub(crate) token: Option<String>,
    pub(crate) url: Option<String>,
    pub(crate) created_at: i64,
    pub(crate) updated_at: i64,
}

/// The body of `POST /actor_tokens`; the required fields are optional here so that their
/// absence is reported as Clerk reports it.
#[derive(Debug, Default)]
pub(crate) struct NewActorToken {
    pub(crate) user_id: Option<String>,
    pub(crate) actor: Option<Map<String, Value>>,
    pub(crate) expires_in_seconds: Option<i64>,
    pub(crate) session_max_duration_in_seconds: Option<i64>,
}

fn positive(name: &str, value: Option<i64>, default: i64) -> Result<i64, ApiError> {
    match value.unwrap_or(default) {
        seconds if seconds >= 1 => Ok(seconds),
        _ => Err(ApiError::value_invalid(name, format!("{name} must be greater than or equal to 1."))),
    }
}

/// Unpadded base64url, as in a JWT.
fn base64url(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk.iter().enumerate().fold(0u32, |n, (i, &b)| n | u32::from(b) << (16 - 8 * i));
        for i in 0..=chunk.len() {
            out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
        }
    }
    out
}

impl Store {
    pub(crate) fn create_actor_token(&mut self, new: NewActorToken) -> Result<ActorToken, ApiError> {
        let user_id =
            trimmed(new.user_id).ok_or_else(|| ApiError::param_missing("user_id", "user_id must be included."))?;
        let actor = new.actor.ok_or_else(|| ApiError::param_missing("actor", "actor must be included."))?;
        if actor.get("sub").and_then(Value::as_str).is_none_or(|sub| sub.trim().is_empty()) {
            return Err(ApiError::value_invalid("actor", "actor must include a sub with the ID of the actor."));
        }
        let expires_in = positive("expires_in_seconds", new.expires_in_seconds, DEFAULT_EXPIRES_IN_SECONDS)?;
        // Checked, though nothing uses it: the stand-in starts no sessions from tokens.
        positive(
            "session_max_duration_in_seconds",
            new.session_max_duration_in_seconds,
            DEFAULT_SESSION_MAX_DURATION_IN_SECONDS,
        )?;
        if !self.users.contains_key(&user_id) {
            return Err(ApiError::resource_missing("user_id"));
        }
        let now = self.clock.tick();
        let id = self.ids.next("act");
        // A JWT in shape (so that tools which decode it see the claims); the signature is filler,
        // since nothing verifies it.
        let header = json!({"alg": "RS256", "typ": "JWT"});
        let claims = json!({
            "iss": FRONTEND_API,
            "sub": user_id,
            "act": actor,
            "jti": id,
            "iat": now / 1000,
            "exp": now / 1000 + expires_in,
        });
        let signature = self.ids.next("sig");
        let token = format!(
            "{}.{}.{}",
            base64url(header.to_string().as_bytes()),
            base64url(claims.to_string().as_bytes()),
            base64url(signature.as_bytes())
        );
        let url = format!("{FRONTEND_API}/v1/tickets/accept?ticket={token}");
        let stored = ActorToken {
            id: id.clone(),
            status: "pending",
            user_id,
            actor,
            token: None,
            url: None,
            created_at: now,
            updated_at: now,
        };
        self.actor_tokens.insert(id, stored.clone());
        Ok(ActorToken { token: Some(token), url: Some(url), ..stored })
    }

    /// Only a pending token can be revoked.
    pub(crate) fn revoke_actor_token(&mut self, id: &str) -> Result<ActorToken, ApiError> {
        let status = self.actor_tokens.get(id).ok_or_else(|| ApiError::not_found("Actor token"))?.status;
        if status != "pending" {
            return Err(ApiError::actor_token_cannot_be_revoked(status));
        }
        let now = self.clock.tick();
        let token = self.actor_tokens.get_mut(id).ok_or_else(|| ApiError::not_found("Actor token"))?;
        token.status = "revoked";
        token.updated_at = now;
        Ok(token.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64url_matches_the_rfc_vectors_without_padding() {
        let vectors = [("", ""), ("f", "Zg"), ("fo", "Zm8"), ("foo", "Zm9v"), ("foob", "Zm9vYg"), ("fooba", "Zm9vYmE")];
        for (plain, encoded) in vectors {
            assert_eq!(base64url(plain.as_bytes()), encoded, "{plain}");
        }
        assert_eq!(base64url(&[0xfb, 0xff]), "-_8");
    }
}
