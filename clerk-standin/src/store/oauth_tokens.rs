//! OAuth access tokens of users' connected accounts (`oauth_google`, `oauth_github`, ...).
//! The stand-in connects to no provider: tests and seeding give users their tokens.

use serde_json::{Map, Value};

use super::{Listed, Page, Store};
use crate::error::ApiError;

/// How long a provider's access token lasts, here as at Google.
const TOKEN_LIFETIME_MS: i64 = 60 * 60 * 1000;

#[derive(Debug, Clone)]
pub(crate) struct OAuthToken {
    pub(crate) user_id: String,
    pub(crate) external_account_id: String,
    pub(crate) provider: String,
    pub(crate) provider_user_id: String,
    pub(crate) token: String,
    pub(crate) scopes: Vec<String>,
    pub(crate) label: Option<String>,
    pub(crate) public_metadata: Map<String, Value>,
    pub(crate) expires_at: i64,
}

/// A provider id as Clerk names them: `oauth_` and the provider's slug.
fn check_provider(provider: &str) -> Result<(), ApiError> {
    match provider.strip_prefix("oauth_") {
        Some(slug) if !slug.is_empty() => Ok(()),
        _ => Err(ApiError::oauth_provider_not_enabled()),
    }
}

impl Store {
    /// Connects the user to `provider` (e.g. `oauth_google`) with an access token that lasts an
    /// hour, and returns the external account's id (`eac_...`).
    pub(crate) fn add_oauth_token(
        &mut self,
        user_id: &str,
        provider: &str,
        token: &str,
        scopes: &[&str],
    ) -> Result<String, ApiError> {
        check_provider(provider)?;
        self.user(user_id)?;
        let now = self.clock.tick();
        let external_account_id = self.ids.next("eac");
        let provider_user_id = self.ids.next("puid").split_off("puid_".len());
        self.oauth_tokens.push(OAuthToken {
            user_id: user_id.to_owned(),
            external_account_id: external_account_id.clone(),
            provider: provider.to_owned(),
            provider_user_id,
            token: token.to_owned(),
            scopes: scopes.iter().map(|scope| (*scope).to_owned()).collect(),
            label: None,
            public_metadata: Map::new(),
            expires_at: now + TOKEN_LIFETIME_MS,
        });
        Ok(external_account_id)
    }

    /// The user's tokens for `provider`, oldest connection first. An expired token is
    /// refreshed first, as Clerk does when the provider gave it a refresh token.
    pub(crate) fn oauth_tokens(
        &mut self,
        user_id: &str,
        provider: &str,
        page: Page,
    ) -> Result<Listed<OAuthToken>, ApiError> {
        self.user(user_id)?;
        check_provider(provider)?;
        let now = self.clock.now();
        let mut tokens = Vec::new();
        for index in 0..self.oauth_tokens.len() {
            let token = &self.oauth_tokens[index];
            if token.user_id != user_id || token.provider != provider {
                continue;
            }
            if token.expires_at <= now {
                let fresh = self.ids.next("oat").split_off("oat_".len());
                let token = &mut self.oauth_tokens[index];
                token.token = fresh;
                token.expires_at = now + TOKEN_LIFETIME_MS;
            }
            tokens.push(self.oauth_tokens[index].clone());
        }
        Ok(Listed::paged(tokens, page))
    }

    /// Tests only: lets a token run out, to see it refreshed.
    #[cfg(test)]
    fn expire_oauth_tokens(&mut self) {
        for token in &mut self.oauth_tokens {
            token.expires_at = 0;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::NewUser;

    #[test]
    fn expired_tokens_are_refreshed_and_providers_are_checked() {
        let mut store = Store::new();
        let ada = store.create_user(NewUser { username: Some("ada".into()), ..NewUser::default() }).unwrap().id.clone();
        store.add_oauth_token(&ada, "oauth_google", "ya29.first", &["email"]).unwrap();
        assert!(store.add_oauth_token(&ada, "google", "x", &[]).is_err());
        assert!(store.oauth_tokens(&ada, "oauth_github", Page::default()).unwrap().data.is_empty());
        store.expire_oauth_tokens();
        let listed = store.oauth_tokens(&ada, "oauth_google", Page::default()).unwrap();
        assert_eq!(listed.total_count, 1);
        assert_ne!(listed.data[0].token, "ya29.first");
        assert!(listed.data[0].expires_at > store.now());
    }
}
