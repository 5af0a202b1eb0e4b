//! `clerk_get_user_oauth_token`: the access tokens of a user's connected OAuth account. The
//! tokens are credentials: the output carries them, `Debug` and errors never do.

use clerk_api::types;
use serde_json::{Map, Value};

use crate::client::ClerkTools;
use crate::error::Error;
use crate::execute::send;
use crate::input::{PATH_ID, REQUIRED, check_path_id, input};
use crate::schema::output;
use crate::secret::Credential;

/// Clerk names OAuth providers `oauth_` and the provider's slug.
const PROVIDER_PREFIX: &str = "oauth_";

input! {
    /// Input of `clerk_get_user_oauth_token`.
    pub struct GetUserOAuthTokenInput {
        /// The ID of the user whose OAuth token to retrieve.
        #[rule(PATH_ID)]
        pub user_id: String,
        /// The OAuth provider (e.g. google, github, microsoft, discord); the `oauth_` prefix is
        /// optional.
        #[rule(REQUIRED)]
        pub provider: String,
    }
}

output! {
    /// One OAuth access token of a user's connected account.
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
}

output! {
    /// Output of `clerk_get_user_oauth_token`.
    pub struct GetUserOAuthTokenOutput {
        /// The user's access tokens for the provider; empty when there are none.
        pub access_tokens: Vec<OAuthAccessTokenObject>,
        /// Always `true`.
        pub success: bool,
    }
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

/// The path segment of a provider, already trimmed: `google` and `oauth_google` both give
/// `oauth_google`.
fn provider_segment(provider: &str) -> Result<String, Error> {
    let slug = provider.strip_prefix(PROVIDER_PREFIX).unwrap_or(provider).trim();
    if slug.is_empty() {
        return Err(Error::invalid("provider", "must name a provider, for example google or oauth_google"));
    }
    check_path_id("provider", slug)?;
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
        let (call, input) = self.begin(input)?;
        let provider = provider_segment(&input.provider)?;
        let tokens =
            send!(call, api.get_oauth_access_token().user_id(input.user_id.as_str()).provider(provider.as_str()))
                .await?;
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
            ("oauth_google", "oauth_google"),
            ("custom_acme", "oauth_custom_acme"),
            ("oauth_oauth_x", "oauth_oauth_x"),
        ] {
            assert_eq!(provider_segment(given).unwrap(), segment, "{given}");
        }
        for bad in ["", "oauth_", "oauth_ ", "goo/gle", "oauth_..", "g%2e"] {
            let err = provider_segment(bad).unwrap_err();
            assert!(matches!(&err, Error::InvalidInput { field, .. } if field == "provider"), "{bad}: {err}");
        }
    }
}
