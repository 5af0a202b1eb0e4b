//! Clerk's error bodies: `{"errors":[{message, long_message, code, meta}], "clerk_trace_id"}`.
//!
//! The codes and messages follow what Clerk answers, because callers (and `clerk-tools`)
//! branch on `code` and show `long_message` to people.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value, json};

use crate::ids::trace_id;

/// One failed request, answered as Clerk would. Boxed: it travels in every handler's `Err`,
/// which stays one pointer wide.
#[derive(Debug, Clone)]
pub(crate) struct ApiError(Box<Details>);

#[derive(Debug, Clone)]
struct Details {
    status: StatusCode,
    code: &'static str,
    message: String,
    long_message: String,
    meta: Map<String, Value>,
}

impl ApiError {
    fn new(
        status: StatusCode,
        code: &'static str,
        message: impl Into<String>,
        long_message: impl Into<String>,
    ) -> Self {
        ApiError(Box::new(Details {
            status,
            code,
            message: message.into(),
            long_message: long_message.into(),
            meta: Map::new(),
        }))
    }

    // Clerk names the offending parameter in `meta.param_name` for every form error, which is
    // what lets a caller point at the field.
    fn param(mut self, name: &str) -> Self {
        self.0.meta.insert("param_name".into(), Value::String(name.into()));
        self
    }

    pub(crate) fn unauthenticated() -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            "authentication_invalid",
            "Invalid authentication",
            "Unable to authenticate the request, you need to supply an active API key",
        )
    }

    /// `what` is the resource's name as Clerk writes it: "User", "Organization", "Session",
    /// "Organization membership", ...
    pub(crate) fn not_found(what: &str) -> Self {
        Self::new(StatusCode::NOT_FOUND, "resource_not_found", "not found", format!("{what} not found"))
    }

    pub(crate) fn route_not_found() -> Self {
        Self::new(StatusCode::NOT_FOUND, "resource_not_found", "not found", "Resource not found")
    }

    pub(crate) fn body_invalid() -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            "request_body_invalid",
            "Request body invalid",
            "The request body is invalid. Please send a JSON object.",
        )
    }

    pub(crate) fn param_unknown(name: &str) -> Self {
        Self::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "form_param_unknown",
            "is unknown",
            format!("{name} is not a valid parameter for this request."),
        )
        .param(name)
    }

    pub(crate) fn param_missing(name: &str, long_message: impl Into<String>) -> Self {
        Self::new(StatusCode::UNPROCESSABLE_ENTITY, "form_param_missing", "is missing", long_message).param(name)
    }

    pub(crate) fn value_invalid(name: &str, long_message: impl Into<String>) -> Self {
        Self::new(StatusCode::UNPROCESSABLE_ENTITY, "form_param_value_invalid", "is invalid", long_message).param(name)
    }

    pub(crate) fn format_invalid(name: &str, long_message: impl Into<String>) -> Self {
        Self::new(StatusCode::UNPROCESSABLE_ENTITY, "form_param_format_invalid", "is invalid", long_message).param(name)
    }

    pub(crate) fn identifier_exists(name: &str, message: &str) -> Self {
        Self::new(StatusCode::UNPROCESSABLE_ENTITY, "form_identifier_exists", message, message).param(name)
    }

    pub(crate) fn data_missing(long_message: impl Into<String>) -> Self {
        Self::new(StatusCode::UNPROCESSABLE_ENTITY, "form_data_missing", "Missing data", long_message)
    }

    /// A reference to something that does not exist, in a body field (rather than in the path,
    /// which is a 404).
    pub(crate) fn resource_missing(name: &str) -> Self {
        Self::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "form_resource_not_found",
            "is missing",
            format!("The resource associated with the supplied {name} was not found."),
        )
        .param(name)
    }

    /// `who` is the user's identifier (their email address) or id.
    pub(crate) fn already_a_member(who: &str) -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            "already_a_member_in_organization",
            "already a member",
            format!("{who} is already a member of the organization."),
        )
    }

    pub(crate) fn membership_quota_exceeded(max: i64) -> Self {
        Self::new(
            StatusCode::FORBIDDEN,
            "organization_membership_quota_exceeded",
            "organization membership quota exceeded",
            format!(
                "You have reached your limit of {max} organization memberships, including outstanding invitations."
            ),
        )
    }

    pub(crate) fn minimum_permissions_needed() -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            "organization_minimum_permissions_needed",
            "minimum organization permissions needed",
            "There has to be at least one organization member with the minimum required permissions",
        )
    }

    pub(crate) fn missing_organization_permission(permission: &str) -> Self {
        let mut error = Self::new(
            StatusCode::FORBIDDEN,
            "missing_organization_permission",
            "missing permission",
            "Current user is missing an organization permission.",
        );
        error.0.meta.insert("permissions".into(), Value::from(vec![permission]));
        error
    }

    pub(crate) fn organization_invitation_not_unique() -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            "organization_invitation_not_unique",
            "organization invitation not unique",
            "Organizations cannot have duplicate pending invitations for an email address.",
        )
    }

    pub(crate) fn duplicate_invitation(email: &str) -> Self {
        let mut error = Self::new(
            StatusCode::BAD_REQUEST,
            "duplicate_record",
            "duplicate invitation",
            format!("There are already pending invitations for the following email addresses: {email}"),
        );
        error.0.meta.insert("email_addresses".into(), Value::from(vec![email]));
        error
    }

    pub(crate) fn invitation_already_revoked() -> Self {
        let message = "Invitation is already revoked.";
        Self::new(StatusCode::BAD_REQUEST, "invitation_already_revoked", message, message)
    }

    /// `list` is "allowlist" or "blocklist".
    pub(crate) fn duplicate_identifier(list: &str, identifier: &str) -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            "duplicate_record",
            format!("duplicate {list} identifier"),
            format!("the identifier {identifier} already exists"),
        )
    }

    pub(crate) fn actor_token_cannot_be_revoked(status: &str) -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            "actor_token_cannot_be_revoked_code",
            "cannot revoke",
            format!(
                "Actor token cannot be revoked because its status is {status}. Only pending tokens can be revoked."
            ),
        )
    }

    pub(crate) fn oauth_provider_not_enabled() -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            "oauth_token_provider_not_enabled",
            "OAuth provider not enabled",
            "Single-sign on for this OAuth provider is not enabled in the instance settings.",
        )
    }

    pub(crate) fn password_too_short() -> Self {
        let message = "Passwords must be 8 characters or more.";
        Self::new(StatusCode::UNPROCESSABLE_ENTITY, "form_password_length_too_short", message, message)
            .param("password")
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let error = *self.0;
        let body = json!({
            "errors": [{
                "message": error.message,
                "long_message": error.long_message,
                "code": error.code,
                "meta": error.meta,
            }],
            "clerk_trace_id": trace_id(),
        });
        (error.status, Json(body)).into_response()
    }
}
