//! Framework integration: a tower layer that verifies every request's session token, and an
//! axum extractor that does the same for one handler. Both read the token the way Clerk's
//! SDKs send it (`Authorization: Bearer`, else the `__session` cookie), and refuse with the
//! same response: 401 (503 when the keys could not be loaded) with the reason in
//! [`AUTH_REASON_HEADER`].

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use http::header::{AUTHORIZATION, COOKIE, WWW_AUTHENTICATE};
use http::{HeaderMap, HeaderValue, Request, Response, StatusCode};

use crate::{Session, Verifier, VerifyError};

/// The response header that carries the reason of a refusal (`token-expired`, ...), as Clerk's
/// SDKs name it.
pub const AUTH_REASON_HEADER: &str = "x-clerk-auth-reason";

/// The cookie Clerk's frontend keeps the session token in.
pub const SESSION_COOKIE: &str = "__session";

/// Why a request was refused.
#[derive(Debug, Clone, thiserror::Error)]
#[non_exhaustive]
pub enum Rejection {
    /// Neither an `Authorization: Bearer` header nor a `__session` cookie.
    #[error("the request carries no session token (Authorization: Bearer, or the __session cookie)")]
    Missing,
    /// A token that did not verify.
    #[error(transparent)]
    Invalid(#[from] VerifyError),
}

impl Rejection {
    /// The reason code: `token-missing`, or [`VerifyError::reason`].
    pub fn reason(&self) -> &'static str {
        match self {
            Rejection::Missing => "token-missing",
            Rejection::Invalid(error) => error.reason(),
        }
    }

    /// 503 when the keys could not be loaded (the token may be fine; try again), else 401.
    pub fn status(&self) -> StatusCode {
        match self {
            Rejection::Invalid(error) if error.is_server_side() => StatusCode::SERVICE_UNAVAILABLE,
            _ => StatusCode::UNAUTHORIZED,
        }
    }

    /// The response: [`Rejection::status`], the reason in [`AUTH_REASON_HEADER`], and on a 401
    /// the `WWW-Authenticate: Bearer` challenge. The body is empty: the reason is all a client
    /// can act on, and the message is for the server's logs.
    pub fn into_response<B: Default>(self) -> Response<B> {
        let mut response = Response::new(B::default());
        *response.status_mut() = self.status();
        let headers = response.headers_mut();
        headers.insert(AUTH_REASON_HEADER, HeaderValue::from_static(self.reason()));
        if self.status() == StatusCode::UNAUTHORIZED {
            headers.insert(WWW_AUTHENTICATE, HeaderValue::from_static("Bearer error=\"invalid_token\""));
        }
        response
    }
}

/// The session token of a request: the bearer token if there is one, else the `__session`
/// cookie.
pub fn session_token(headers: &HeaderMap) -> Option<&str> {
    let bearer = headers.get_all(AUTHORIZATION).iter().find_map(|value| {
        let (scheme, token) = value.to_str().ok()?.trim().split_once(' ')?;
        let token = token.trim();
        (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty()).then_some(token)
    });
    bearer.or_else(|| {
        headers.get_all(COOKIE).iter().filter_map(|value| value.to_str().ok()).find_map(|cookies| {
            cookies.split(';').find_map(|cookie| {
                let (name, value) = cookie.trim().split_once('=')?;
                (name == SESSION_COOKIE && !value.is_empty()).then_some(value)
            })
        })
    })
}

async fn authenticate(verifier: &Verifier, headers: &HeaderMap) -> Result<Session, Rejection> {
    let token = session_token(headers).ok_or(Rejection::Missing)?;
    Ok(verifier.verify(token).await?)
}

/// A tower layer that lets a request through only with a valid session token, and puts its
/// [`Session`] into the request's extensions (in axum, `Extension<Session>`). Other requests
/// get [`Rejection::into_response`].
///
/// ```no_run
/// # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
/// use axum::{Extension, Router, routing::get};
/// use clerk_auth::{ClerkAuthLayer, Session, Verifier};
///
/// let verifier = Verifier::from_env()?;
/// let app: Router = Router::new()
///     .route("/me", get(|Extension(session): Extension<Session>| async move { session.user_id }))
///     .layer(ClerkAuthLayer::new(verifier));
/// # Ok(())
/// # }
/// ```
#[derive(Clone, Debug)]
pub struct ClerkAuthLayer {
    verifier: Verifier,
}

impl ClerkAuthLayer {
    /// Verifies with `verifier`.
    pub fn new(verifier: Verifier) -> Self {
        ClerkAuthLayer { verifier }
    }
}

impl<S> tower_layer::Layer<S> for ClerkAuthLayer {
    type Service = ClerkAuth<S>;

    fn layer(&self, inner: S) -> Self::Service {
        ClerkAuth { inner, verifier: self.verifier.clone() }
    }
}

/// The service [`ClerkAuthLayer`] wraps around another.
#[derive(Clone, Debug)]
pub struct ClerkAuth<S> {
    inner: S,
    verifier: Verifier,
}

impl<S, ReqBody, ResBody> tower_service::Service<Request<ReqBody>> for ClerkAuth<S>
where
    S: tower_service::Service<Request<ReqBody>, Response = Response<ResBody>> + Clone + Send + 'static,
    S::Future: Send,
    ReqBody: Send + 'static,
    ResBody: Default,
{
    type Response = Response<ResBody>;
    type Error = S::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Self::Response, Self::Error>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, mut request: Request<ReqBody>) -> Self::Future {
        // The clone waits for the next request; the instance polled ready serves this one.
        let clone = self.inner.clone();
        let mut inner = std::mem::replace(&mut self.inner, clone);
        let verifier = self.verifier.clone();
        Box::pin(async move {
            match authenticate(&verifier, request.headers()).await {
                Ok(session) => {
                    request.extensions_mut().insert(session);
                    inner.call(request).await
                }
                Err(rejection) => Ok(rejection.into_response()),
            }
        })
    }
}

/// An axum extractor for the request's verified session, using the [`Verifier`] of the
/// router's state (`Verifier: FromRef<S>`). Behind [`ClerkAuthLayer`], it takes the session
/// the layer verified. As `Option<ClerkSession>`, a request without a token gets `None`, while
/// an invalid token is still refused.
///
/// ```no_run
/// use clerk_auth::ClerkSession;
///
/// async fn me(ClerkSession(session): ClerkSession) -> String {
///     format!("signed in as {}", session.user_id)
/// }
/// ```
#[cfg(feature = "axum")]
#[derive(Debug, Clone)]
pub struct ClerkSession(pub Session);

#[cfg(feature = "axum")]
impl axum_core::response::IntoResponse for Rejection {
    fn into_response(self) -> axum_core::response::Response {
        Rejection::into_response(self)
    }
}

#[cfg(feature = "axum")]
impl<S> axum_core::extract::FromRequestParts<S> for ClerkSession
where
    S: Send + Sync,
    Verifier: axum_core::extract::FromRef<S>,
{
    type Rejection = Rejection;

    async fn from_request_parts(parts: &mut http::request::Parts, state: &S) -> Result<Self, Self::Rejection> {
        if let Some(session) = parts.extensions.get::<Session>() {
            return Ok(ClerkSession(session.clone()));
        }
        let verifier = <Verifier as axum_core::extract::FromRef<S>>::from_ref(state);
        authenticate(&verifier, &parts.headers).await.map(ClerkSession)
    }
}

#[cfg(feature = "axum")]
impl<S> axum_core::extract::OptionalFromRequestParts<S> for ClerkSession
where
    S: Send + Sync,
    Verifier: axum_core::extract::FromRef<S>,
{
    type Rejection = Rejection;

    async fn from_request_parts(parts: &mut http::request::Parts, state: &S) -> Result<Option<Self>, Self::Rejection> {
        match <Self as axum_core::extract::FromRequestParts<S>>::from_request_parts(parts, state).await {
            Ok(session) => Ok(Some(session)),
            Err(Rejection::Missing) => Ok(None),
            Err(rejection) => Err(rejection),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        pairs
            .iter()
            .map(|(name, value)| (http::HeaderName::from_static(name), HeaderValue::from_str(value).unwrap()))
            .collect()
    }

    #[test]
    fn the_bearer_token_comes_first_then_the_session_cookie() {
        assert_eq!(session_token(&headers(&[("authorization", "Bearer abc")])), Some("abc"));
        assert_eq!(session_token(&headers(&[("authorization", "bearer  abc ")])), Some("abc"));
        let both = headers(&[("cookie", "__session=fromcookie"), ("authorization", "Bearer fromheader")]);
        assert_eq!(session_token(&both), Some("fromheader"));
        assert_eq!(session_token(&headers(&[("cookie", "a=1; __session=tok; b=2")])), Some("tok"));
        assert_eq!(session_token(&headers(&[("cookie", "__session_abc=suffixed")])), None);
        assert_eq!(session_token(&headers(&[("authorization", "Basic dXNlcg==")])), None);
        assert_eq!(session_token(&headers(&[("authorization", "Bearer ")])), None);
        assert_eq!(session_token(&HeaderMap::new()), None);
    }
}
