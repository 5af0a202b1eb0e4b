//! JWT templates: named claim sets for tokens minted for other services. The Backend API
//! endpoints the tools use only read them; seeding and tests add them.

use serde_json::{Map, Value};

use super::{Listed, Page, Store, trimmed};
use crate::error::ApiError;

/// Clerk's defaults for a new template: a 60-second token, 5 seconds of clock skew, signed
/// with the instance's own RS256 key.
const DEFAULT_LIFETIME: i64 = 60;
const DEFAULT_ALLOWED_CLOCK_SKEW: i64 = 5;
const DEFAULT_SIGNING_ALGORITHM: &str = "RS256";

#[derive(Debug, Clone)]
pub(crate) struct JwtTemplate {
    pub(crate) id: String,
    pub(crate) name: String,
    pub(crate) claims: Map<String, Value>,
    pub(crate) lifetime: i64,
    pub(crate) allowed_clock_skew: i64,
    pub(crate) custom_signing_key: bool,
    pub(crate) signing_algorithm: String,
    pub(crate) created_at: i64,
    pub(crate) updated_at: i64,
}

impl Store {
    /// Adds a template with Clerk's defaults. Names are unique, as at Clerk.
    pub(crate) fn add_jwt_template(
        &mut self,
        name: &str,
        claims: Map<String, Value>,
    ) -> Result<&JwtTemplate, ApiError> {
        let name =
            trimmed(Some(name.to_owned())).ok_or_else(|| ApiError::param_missing("name", "name must be included."))?;
        if self.jwt_templates.values().any(|template| template.name == name) {
            return Err(ApiError::identifier_exists("name", "A JWT template with this name already exists."));
        }
        let now = self.clock.tick();
        let id = self.ids.next("jtmp");
        let template = JwtTemplate {
            id: id.clone(),
            name,
            claims,
            lifetime: DEFAULT_LIFETIME,
            allowed_clock_skew: DEFAULT_ALLOWED_CLOCK_SKEW,
            custom_signing_key: false,
            signing_algorithm: DEFAULT_SIGNING_ALGORITHM.to_owned(),
            created_at: now,
            updated_at: now,
        };
        Ok(self.jwt_templates.entry(id).or_insert(template))
    }

    pub(crate) fn jwt_template(&self, id: &str) -> Result<&JwtTemplate, ApiError> {
        self.jwt_templates.get(id).ok_or_else(|| ApiError::not_found("JWT template"))
    }

    /// Oldest first, so that a list reads in the order the templates were made.
    pub(crate) fn list_jwt_templates(&self, page: Page) -> Listed<&JwtTemplate> {
        let mut templates: Vec<&JwtTemplate> = self.jwt_templates.values().collect();
        templates.sort_by_key(|template| template.created_at);
        Listed::paged(templates, page)
    }
}
