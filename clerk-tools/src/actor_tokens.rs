//! The actor token tools: `clerk_create_actor_token`, `clerk_revoke_actor_token`. Whoever
//! holds an actor token or its sign-in link can sign in as the user, so both are
//! [`Credential`]s: in the output, never in `Debug`, errors or logs.

use clerk_api::types;
use serde_json::{Map, Value};

use crate::client::ClerkTools;
use crate::error::Error;
use crate::execute::{send, with_present};
use crate::input::{PATH_ID, REQUIRED, SECONDS, input};
use crate::schema::output;
use crate::secret::Credential;

input! {
    /// Input of `clerk_create_actor_token`.
    pub struct CreateActorTokenInput {
        /// The ID of the user to impersonate.
        #[rule(REQUIRED)]
        pub user_id: String,
        /// Who impersonates, as a JSON object (or a string holding one) with `sub`, the actor's
        /// user ID: `{"sub": "user_..."}`. Clerk copies it into the session token.
        #[rule(REQUIRED)]
        pub actor: Option<Map<String, Value>>,
        /// How long the token stays usable, in seconds (default: 3600).
        #[rule(SECONDS)]
        pub expires_in_seconds: Option<i64>,
        /// The longest a session started with the token can last, in seconds (default: 1800).
        #[rule(SECONDS)]
        pub session_max_duration_in_seconds: Option<i64>,
    }
}

input! {
    /// Input of `clerk_revoke_actor_token`.
    pub struct RevokeActorTokenInput {
        /// The ID of the actor token to revoke.
        #[rule(PATH_ID)]
        pub actor_token_id: String,
    }
}

output! {
    /// Output of the actor token tools: the actor token plus `success`. Clerk's actor token has
    /// no expiry time.
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
fn checked_actor(actor: Option<&Map<String, Value>>) -> Result<Map<String, Value>, Error> {
    let actor = actor.cloned().unwrap_or_default();
    match actor.get("sub") {
        Some(Value::String(sub)) if !sub.trim().is_empty() => Ok(actor),
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
        let (call, input) = self.begin(input)?;
        let actor = checked_actor(input.actor.as_ref())?;
        let token = send!(
            call,
            api.create_actor_token().body_map(|body| {
                with_present!(
                    body.user_id(input.user_id.clone()).actor(actor.clone()),
                    expires_in_seconds = input.expires_in_seconds,
                    session_max_duration_in_seconds = input.session_max_duration_in_seconds,
                )
            })
        )
        .await?;
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
        let (call, input) = self.begin(input)?;
        let token = send!(call, api.revoke_actor_token().actor_token_id(input.actor_token_id.as_str())).await?;
        Ok(token.into())
    }
}
