//! `clerk_get_user_oauth_token`: the access tokens of a user's connected OAuth account. The
//! tokens are credentials: the output carries them, `Debug` and errors never do.

use clerk_api::types;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::client::{Call, ClerkTools};
use crate::conventions::{path_id, required_text};
use crate::error::Error;
use crate::secret::{Credential, without_answer};

const GET_OAUTH_TOKEN: Call =
    Call { tool: "clerk_get_user_oauth_token", method: "GET", path: "/users/{user_id}/oauth_access_tokens/{provider}" };

/// Clerk names OAuth providers `oauth_` and the provider's slug.
const PROVIDER_PREFIX: &str = "oauth_";

/// Input of `clerk_get_user_oauth_token`.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "derive-schemas", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct GetUserOAuthTokenInput {
    /// The ID of the user whose OAuth token to retrieve.
    pub user_id: String,
    /// The OAuth provider (e.g. google, github, microsoft, discord); the `oauth_` prefix is
    /// optional.
    pub provider: String,
}

/// One OAuth access token of a user's connected account.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "derive-schemas", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct OAuthAccessTokenObject {
    /// ID of the user's external account the token belongs to.
    pub external_account_id: Option<String>,
    /// The access token (a credential: whoever holds it can act as the user at the provider).
    pub token: Option<Credential>,
    /// Expiration timestamp (Unix milliseconds), if the provider sets one.
    pub expires_at: Option<i64>,
    /// The provider, as Clerk names it (e.g. `oauth_google`).
    pub provider: Option<String>,
    /// Label of the connection.
    pub label: Option<String>,
    /// Scopes the token was granted (OAuth 2.0 tokens only).
    pub scopes: Vec<String>,
    /// Public metadata of the token.
    pub public_metadata: Map<String, Value>,
}

/// Output of `clerk_get_user_oauth_token`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "derive-schemas", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct GetUserOAuthTokenOutput {
    /// The user's access tokens for the provider; empty when there are none.
    pub access_tokens: Vec<OAuthAccessTokenObject>,
    /// Always `true`.
    pub success: bool,
}

impl From<types::OAuthAccessTokenItem> for OAuthAccessTokenObject {
    fn from(token: types::OAuthAccessTokenItem) -> Self {
        OAuthAccessTokenObject {
            external_account_id: token.external_account_id,
            token: token.token.map(Credential::from),
            expires_at: token.expires_at,
            provider: token.provider,
            label: token.label,
            scopes: token.scopes.unwrap_or_default(),
            public_metadata: token.public_metadata.unwrap_or_default(),
        }
    }
}

/// The path segment of a provider: `google` and `oauth_google` both give `oauth_google`.
fn provider_segment(provider: &str) -> Result<String, Error> {
    let provider = required_text("provider", Some(provider))?;
    let slug = provider.strip_prefix(PROVIDER_PREFIX).unwrap_or(&provider);
    if slug.is_empty() {
        return Err(Error::invalid("provider", "must name a provider, for example google or oauth_google"));
    }
    let slug = path_id("provider", Some(slug))?;
    Ok(format!("{PROVIDER_PREFIX}{slug}"))
}

impl ClerkTools {
    /// `clerk_get_user_oauth_token`: a user's OAuth access tokens for a connected provider.
    /// Clerk refreshes an expired token first when it holds a refresh token. An empty list is
    /// a success.
    ///
    /// ```no_run
    /// # async fn demo() -> Result<(), clerk_tools::Error> {
    /// use clerk_tools::{ClerkTools, GetUserOAuthTokenInput};
    /// let found = ClerkTools::from_env()?
    ///     .get_user_oauth_token(GetUserOAuthTokenInput { user_id: "user_2x1".into(), provider: "google".into() })
    ///     .await?;
    /// if let Some(token) = found.access_tokens.first().and_then(|t| t.token.as_ref()) {
    ///     // `token` prints as [redacted]; `expose` gives the value for the provider's API.
    ///     let _bearer = format!("Bearer {}", token.expose());
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub async fn get_user_oauth_token(&self, input: GetUserOAuthTokenInput) -> Result<GetUserOAuthTokenOutput, Error> {
        let user_id = path_id("userId", Some(&input.user_id))?;
        let provider = provider_segment(&input.provider)?;
        let api = self.api()?;
        let tokens = self
            .execute(&api, GET_OAUTH_TOKEN, || {
                api.get_oauth_access_token().user_id(user_id.as_str()).provider(provider.as_str()).send()
            })
            .await
            .map_err(without_answer)?;
        Ok(GetUserOAuthTokenOutput {
            access_tokens: tokens.data.into_iter().map(OAuthAccessTokenObject::from).collect(),
            success: true,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn providers_take_one_optional_prefix() {
        for (given, segment) in [
            ("google", "oauth_google"),
            (" oauth_google ", "oauth_google"),
            ("custom_acme", "oauth_custom_acme"),
            ("oauth_oauth_x", "oauth_oauth_x"),
        ] {
            assert_eq!(provider_segment(given).unwrap(), segment, "{given}");
        }
        for bad in ["", "  ", "oauth_", "goo/gle", "oauth_..", "g%2e"] {
            let err = provider_segment(bad).unwrap_err();
            assert!(matches!(&err, Error::InvalidInput { field, .. } if field == "provider"), "{bad}: {err}");
        }
    }
}
