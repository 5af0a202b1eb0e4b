//! The JWT template tools: `clerk_list_jwt_templates`, `clerk_get_jwt_template`. Clerk never
//! answers with a template's signing key (it is write-only), so no output has one.

use clerk_api::{ListStream, types};
use serde_json::{Map, Value};

use crate::client::ClerkTools;
use crate::error::Error;
use crate::execute::{page_of, send};
use crate::input::{PATH_ID, input};
use crate::schema::output;

input! {
    /// Input of `clerk_list_jwt_templates`: none besides the key.
    pub struct ListJwtTemplatesInput {
    }
}

input! {
    /// Input of `clerk_get_jwt_template`.
    pub struct GetJwtTemplateInput {
        /// The ID of the JWT template to retrieve.
        #[rule(PATH_ID)]
        pub template_id: String,
    }
}

output! {
    /// A JWT template as the template tools report it.
    pub struct JwtTemplateObject {
        /// Template ID.
        pub id: Option<String>,
        /// Template name.
        pub name: Option<String>,
        /// The claims the template adds to its tokens.
        pub claims: Map<String, Value>,
        /// Token lifetime in seconds.
        pub lifetime: Option<i64>,
        /// Allowed clock skew in seconds.
        pub allowed_clock_skew: Option<i64>,
        /// Whether the template signs with a custom key.
        pub custom_signing_key: bool,
        /// Signing algorithm (e.g. `RS256`).
        pub signing_algorithm: Option<String>,
        /// Creation timestamp (Unix milliseconds).
        pub created_at: Option<i64>,
        /// Last update timestamp (Unix milliseconds).
        pub updated_at: Option<i64>,
    }
}

output! {
    /// Output of `clerk_list_jwt_templates`.
    pub struct ListJwtTemplatesOutput {
        /// The JWT templates.
        pub templates: Vec<JwtTemplateObject>,
        /// Total number of templates when Clerk reports it, else the number returned.
        pub total_count: i64,
        /// Always `true`.
        pub success: bool,
    }
}

output! {
    /// Output of `clerk_get_jwt_template`: the template object plus `success`.
    pub struct JwtTemplateOutput {
        /// The template.
        #[serde(flatten)]
        pub template: JwtTemplateObject,
        /// Always `true`.
        pub success: bool,
    }
}

impl From<types::JwtTemplate> for JwtTemplateObject {
    fn from(template: types::JwtTemplate) -> Self {
        JwtTemplateObject {
            id: template.id,
            name: template.name,
            claims: template.claims.unwrap_or_default(),
            lifetime: template.lifetime,
            allowed_clock_skew: template.allowed_clock_skew,
            custom_signing_key: template.custom_signing_key.unwrap_or(false),
            signing_algorithm: template.signing_algorithm,
            created_at: template.created_at,
            updated_at: template.updated_at,
        }
    }
}

impl ClerkTools {
    /// `clerk_list_jwt_templates`: the instance's JWT templates. Sends no query, so Clerk
    /// answers a bare array and `totalCount` is its length; a `total_count` Clerk sends is used
    /// instead.
    ///
    /// ```no_run
    /// # async fn demo() -> Result<(), clerk_tools::Error> {
    /// use clerk_tools::{ClerkTools, ListJwtTemplatesInput};
    /// let listed = ClerkTools::from_env()?.list_jwt_templates(ListJwtTemplatesInput {}).await?;
    /// for template in &listed.templates {
    ///     println!("{:?}: {:?} s", template.name, template.lifetime);
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub async fn list_jwt_templates(&self, input: ListJwtTemplatesInput) -> Result<ListJwtTemplatesOutput, Error> {
        let (call, _) = self.begin(input)?;
        let answer = send!(call, api.list_jwt_templates()).await?;
        // Asked without `paginated`, Clerk answers a bare array, whose length stands in for the
        // total.
        let total_count = answer.total_count_or_len();
        let templates = answer.data;
        Ok(ListJwtTemplatesOutput {
            templates: templates.into_iter().map(JwtTemplateObject::from).collect(),
            total_count,
            success: true,
        })
    }

    /// Every JWT template, page after page: see [every item of a list](crate#every-item-of-a-list).
    /// Its input has no `limit` nor `offset`: pages of 500 from the first template.
    pub fn jwt_templates(
        &self,
        input: ListJwtTemplatesInput,
    ) -> Result<ListStream<'_, JwtTemplateObject, Error>, Error> {
        self.list_stream(
            input,
            |_| (None, None),
            |call, _, limit, offset| async move {
                send!(call, api.list_jwt_templates().paginated(true), limit = Some(limit), offset = Some(offset))
                    .await
                    .map(page_of)
            },
        )
    }

    /// `clerk_get_jwt_template`: one JWT template by ID.
    ///
    /// ```no_run
    /// # async fn demo() -> Result<(), clerk_tools::Error> {
    /// use clerk_tools::{ClerkTools, GetJwtTemplateInput};
    /// let found = ClerkTools::from_env()?
    ///     .get_jwt_template(GetJwtTemplateInput { template_id: "jtmp_2x1".into() })
    ///     .await?;
    /// println!("{:?}", found.template.claims);
    /// # Ok(())
    /// # }
    /// ```
    pub async fn get_jwt_template(&self, input: GetJwtTemplateInput) -> Result<JwtTemplateOutput, Error> {
        let (call, input) = self.begin(input)?;
        let template = send!(call, api.get_jwt_template().template_id(input.template_id.as_str())).await?;
        Ok(JwtTemplateOutput { template: template.into(), success: true })
    }
}
