//! The actor token tools: `clerk_create_actor_token`, `clerk_revoke_actor_token`. Whoever
//! holds an actor token or its sign-in link can sign in as the user, so both are
//! [`Credential`]s: in the output, never in `Debug`, errors or logs.

use clerk_api::types;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::client::{Call, ClerkTools};
use crate::conventions::{agent, in_range, path_id, required_text, with_present};
use crate::error::Error;
use crate::secret::{Credential, without_answer};

const CREATE_ACTOR_TOKEN: Call = Call { tool: "clerk_create_actor_token", method: "POST", path: "/actor_tokens" };
const REVOKE_ACTOR_TOKEN: Call =
    Call { tool: "clerk_revoke_actor_token", method: "POST", path: "/actor_tokens/{actor_token_id}/revoke" };

/// Input of `clerk_create_actor_token`.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "derive-schemas", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CreateActorTokenInput {
    /// The ID of the user to impersonate.
    pub user_id: String,
    /// Who impersonates, as a JSON object (or a string holding one) with `sub`, the actor's
    /// user ID: `{"sub": "user_..."}`. Clerk copies it into the session token.
    #[serde(deserialize_with = "agent::object")]
    #[cfg_attr(feature = "derive-schemas", schemars(schema_with = "agent::schema::object"))]
    pub actor: Option<Map<String, Value>>,
    /// How long the token stays usable, in seconds (default: 3600).
    #[serde(default, deserialize_with = "agent::number")]
    #[cfg_attr(feature = "derive-schemas", schemars(schema_with = "agent::schema::one_or_more"))]
    pub expires_in_seconds: Option<i64>,
    /// The longest a session started with the token can last, in seconds (default: 1800).
    #[serde(default, deserialize_with = "agent::number")]
    #[cfg_attr(feature = "derive-schemas", schemars(schema_with = "agent::schema::one_or_more"))]
    pub session_max_duration_in_seconds: Option<i64>,
}

/// Input of `clerk_revoke_actor_token`.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "derive-schemas", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RevokeActorTokenInput {
    /// The ID of the actor token to revoke.
    pub actor_token_id: String,
}

/// Output of the actor token tools: the actor token plus `success`. Clerk's actor token has
/// no expiry time.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "derive-schemas", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct ActorTokenOutput {
    /// Actor token ID.
    pub id: Option<String>,
    /// Status (`pending`, `accepted`, `revoked`).
    pub status: Option<String>,
    /// ID of the impersonated user.
    pub user_id: Option<String>,
    /// Who impersonates (includes `sub`, the actor's user ID).
    pub actor: Map<String, Value>,
    /// The signed actor token (a credential); only on a pending token as created, else null.
    pub token: Option<Credential>,
    /// Sign-in URL that uses the token (a credential); only on a pending token as created,
    /// else null.
    pub url: Option<Credential>,
    /// Creation timestamp (Unix milliseconds).
    pub created_at: Option<i64>,
    /// Last update timestamp (Unix milliseconds).
    pub updated_at: Option<i64>,
    /// Always `true`.
    pub success: bool,
}

impl From<types::ActorToken> for ActorTokenOutput {
    fn from(token: types::ActorToken) -> Self {
        ActorTokenOutput {
            id: token.id,
            status: token.status,
            user_id: token.user_id,
            actor: token.actor.unwrap_or_default(),
            token: token.token.map(Credential::from),
            url: token.url.map(Credential::from),
            created_at: token.created_at,
            updated_at: token.updated_at,
            success: true,
        }
    }
}

/// The actor, checked: a JSON object whose `sub` (the actor's user ID) is non-empty text. The
/// whole object is sent: Clerk copies it into the session token.
fn actor(actor: Option<&Map<String, Value>>) -> Result<Map<String, Value>, Error> {
    let actor = actor.ok_or_else(|| Error::invalid("actor", "is required"))?;
    match actor.get("sub") {
        Some(Value::String(sub)) if !sub.trim().is_empty() => Ok(actor.clone()),
        _ => Err(Error::invalid(
            "actor",
            "must have `sub`, the actor's user ID, as non-empty text: {\"sub\": \"user_...\"}",
        )),
    }
}

impl ClerkTools {
    /// `clerk_create_actor_token`: creates an actor token with which `actor.sub` can sign in as
    /// the user (support tooling). The output's `token` and `url` are credentials, shown once.
    ///
    /// ```no_run
    /// # async fn demo() -> Result<(), clerk_tools::Error> {
    /// use clerk_tools::{ClerkTools, CreateActorTokenInput};
    /// let created = ClerkTools::from_env()?
    ///     .create_actor_token(CreateActorTokenInput {
    ///         user_id: "user_2x1".into(),
    ///         actor: serde_json::json!({"sub": "user_support"}).as_object().cloned(),
    ///         expires_in_seconds: Some(600),
    ///         ..Default::default()
    ///     })
    ///     .await?;
    /// // Prints `Some(Credential([redacted]))`; `expose()` gives the link to hand on.
    /// println!("{:?}", created.url);
    /// # Ok(())
    /// # }
    /// ```
    pub async fn create_actor_token(&self, input: CreateActorTokenInput) -> Result<ActorTokenOutput, Error> {
        let user_id = required_text("userId", Some(&input.user_id))?;
        let actor = actor(input.actor.as_ref())?;
        let expires_in_seconds = in_range("expiresInSeconds", input.expires_in_seconds, 1, None)?;
        let session_max_duration_in_seconds =
            in_range("sessionMaxDurationInSeconds", input.session_max_duration_in_seconds, 1, None)?;
        let api = self.api()?;
        let token = self
            .execute(&api, CREATE_ACTOR_TOKEN, || {
                api.create_actor_token()
                    .body_map(|body| {
                        with_present!(
                            body,
                            user_id = Some(user_id.clone()),
                            actor = Some(actor.clone()),
                            expires_in_seconds = expires_in_seconds,
                            session_max_duration_in_seconds = session_max_duration_in_seconds,
                        )
                    })
                    .send()
            })
            .await
            .map_err(without_answer)?;
        Ok(token.into())
    }

    /// `clerk_revoke_actor_token`: revokes a pending actor token before it is used or expires.
    /// Clerk refuses any other token with an error.
    ///
    /// ```no_run
    /// # async fn demo() -> Result<(), clerk_tools::Error> {
    /// use clerk_tools::{ClerkTools, RevokeActorTokenInput};
    /// let revoked = ClerkTools::from_env()?
    ///     .revoke_actor_token(RevokeActorTokenInput { actor_token_id: "act_2x1".into() })
    ///     .await?;
    /// assert_eq!(revoked.status.as_deref(), Some("revoked"));
    /// # Ok(())
    /// # }
    /// ```
    pub async fn revoke_actor_token(&self, input: RevokeActorTokenInput) -> Result<ActorTokenOutput, Error> {
        let actor_token_id = path_id("actorTokenId", Some(&input.actor_token_id))?;
        let api = self.api()?;
        let token = self
            .execute(&api, REVOKE_ACTOR_TOKEN, || {
                api.revoke_actor_token().actor_token_id(actor_token_id.as_str()).send()
            })
            .await
            .map_err(without_answer)?;
        Ok(token.into())
    }
}
