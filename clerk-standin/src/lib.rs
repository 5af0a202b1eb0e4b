//! A local, in-memory stand-in for the part of Clerk's Backend API that `clerk-tools` uses.
//!
//! It speaks Clerk's wire format (snake_case JSON, Unix-millisecond timestamps, Clerk's error
//! bodies with their codes), so the tools can be tried without a Clerk account and end-to-end
//! tests exercise the real HTTP stack. Everything lives in memory and is gone when the
//! stand-in stops.
//!
//! Its answers follow Clerk's Backend API document, revision 2026-05-12: the workspace tests
//! record every exchange ([`StandIn::record_exchanges`]) and validate each answer against the
//! document. A request body may carry every field the document declares for it (those the
//! stand-in does not model are accepted and not read); any other field is refused with
//! Clerk's `form_param_unknown`.
//!
//! Served under `/v1`, all behind `Authorization: Bearer <secret key>`:
//!
//! | Route | |
//! |---|---|
//! | `GET /v1/users`, `GET /v1/users/count`, `POST /v1/users` | list (filters, `query`, `order_by`, paging), count, create |
//! | `GET`, `PATCH`, `DELETE /v1/users/{user_id}` | get, update (no metadata, as in API version 2026-05-12), delete (with the user's sessions, memberships and tokens) |
//! | `PUT`, `PATCH /v1/users/{user_id}/metadata` | replace each given metadata field, or deep-merge it (`null` removes a key) |
//! | `POST /v1/users/{user_id}/ban`, `/v1/users/{user_id}/unban` | ban (which revokes the user's live sessions), lift the ban |
//! | `POST /v1/users/{user_id}/lock`, `/v1/users/{user_id}/unlock` | lock (until unlocked: `lockout_expires_in_seconds` is null), unlock |
//! | `GET /v1/users/{user_id}/oauth_access_tokens/{provider}` | the user's access tokens for an `oauth_...` provider (a bare array; `{data, total_count}` with `paginated=true`) |
//! | `GET /v1/organizations`, `POST /v1/organizations` | list (`query`, `order_by`, paging, `include_members_count`), create (the creator becomes its `org:admin`) |
//! | `GET /v1/organizations/{organization_id}` | get by id or slug |
//! | `PATCH`, `DELETE /v1/organizations/{organization_id}` | update (no metadata), delete (with its memberships and invitations); id only |
//! | `PUT`, `PATCH /v1/organizations/{organization_id}/metadata` | replace or deep-merge public and private metadata |
//! | `GET`, `POST /v1/organizations/{organization_id}/memberships` | list (`role`, the user filters, `order_by`, paging), add a member |
//! | `PATCH`, `DELETE /v1/organizations/{organization_id}/memberships/{user_id}` | change the role, remove (an organization keeps at least one admin) |
//! | `GET`, `POST /v1/organizations/{organization_id}/invitations` | list (`status`, `email_address`, `order_by`, paging), invite |
//! | `GET /v1/organizations/{organization_id}/invitations/{invitation_id}` | get |
//! | `POST /v1/organizations/{organization_id}/invitations/{invitation_id}/revoke` | revoke |
//! | `GET`, `POST /v1/invitations` | list (`status`, `query`, `order_by`, paging; a bare array unless `paginated=true`), invite to the application |
//! | `POST /v1/invitations/{invitation_id}/revoke` | revoke |
//! | `GET`, `POST /v1/allowlist_identifiers`, `DELETE /v1/allowlist_identifiers/{identifier_id}` | list (a bare array unless `paginated=true`; paging), add, remove |
//! | `GET`, `POST /v1/blocklist_identifiers`, `DELETE /v1/blocklist_identifiers/{identifier_id}` | list (all, with `total_count`), add, remove |
//! | `GET /v1/jwt_templates`, `GET /v1/jwt_templates/{template_id}` | list (a bare array unless `paginated=true`; paging), get |
//! | `POST /v1/actor_tokens` | create (its token and link are shown this once) |
//! | `POST /v1/actor_tokens/{actor_token_id}/revoke` | revoke a pending token |
//! | `GET /v1/sessions`, `GET /v1/sessions/{session_id}` | list (by `user_id` or `client_id`), get |
//! | `POST /v1/sessions/{session_id}/revoke` | revoke |
//! | `POST /v1/sessions` | create an active session for a user (`active_organization_id`: one of the user's organizations), as Clerk does for test instances |
//! | `POST /v1/sessions/{session_id}/tokens` | a session token (RS256 JWT, Clerk's version 2 claims) for an active or pending session, valid for `expires_in_seconds` (60 by default) |
//! | `GET /v1/jwks` | the instance's public signing key, which verifies those tokens |
//!
//! The organization roles are `org:admin` and `org:member`, with Clerk's system permissions.
//! Session tokens are signed with a fixed demo key, the same for every stand-in and public:
//! they prove nothing outside tests and demos.
//! What the Backend API cannot create (sessions, OAuth tokens, JWT templates) tests add with
//! [`StandIn::add_session`], [`StandIn::add_oauth_token`] and [`StandIn::add_jwt_template`].
//!
//! With [`StandIn::send_webhooks`], the changes these endpoints make are also sent as signed
//! Clerk webhooks (`user.created`, `organizationMembership.created`, `session.revoked`, ...) to
//! a local endpoint.
//!
//! ```no_run
//! # async fn run() -> std::io::Result<()> {
//! use clerk_standin::{DEMO_SECRET_KEY, StandIn};
//!
//! let standin = StandIn::start_with_demo_data(DEMO_SECRET_KEY).await?;
//! println!("Clerk stand-in at {} (key {})", standin.base_url(), standin.secret_key());
//! standin.shutdown().await;
//! # Ok(())
//! # }
//! ```
#![deny(missing_docs)]

mod declared;
mod demo;
mod error;
mod exchanges;
mod ids;
mod params;
mod routes;
mod store;
mod tokens;
mod webhooks;
mod wire;

use std::fmt;
use std::io;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use crate::exchanges::Recorder;
use crate::routes::App;
use crate::store::Store;
use crate::tokens::SigningKey;
use crate::webhooks::Webhooks;

pub use crate::exchanges::Exchange;
pub use crate::webhooks::{WebhookDelivery, WebhookSetupError};

/// The secret key the demo setup uses; any key works as long as requests send the same one.
pub const DEMO_SECRET_KEY: &str = "sk_test_standin_demo_key";

/// How long [`StandIn::shutdown`] lets requests in flight finish before cutting them off.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(5);

/// A running stand-in server with its own empty (or demo) store.
///
/// The server runs as a task of the tokio runtime it was started in. It stops on
/// [`StandIn::shutdown`] or when the value is dropped.
pub struct StandIn {
    local_addr: SocketAddr,
    secret_key: String,
    store: Arc<Mutex<Store>>,
    stop: Option<oneshot::Sender<()>>,
    server: Option<JoinHandle<()>>,
    webhooks: Webhooks,
    recorder: Recorder,
    signing_key: Arc<SigningKey>,
    runtime: tokio::runtime::Handle,
}

impl fmt::Debug for StandIn {
    // The secret key stays out of logs and test failure messages.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StandIn").field("local_addr", &self.local_addr).finish_non_exhaustive()
    }
}

impl StandIn {
    /// Starts on 127.0.0.1 with a free port, inside the current tokio runtime, with an empty
    /// store.
    ///
    /// # Panics
    ///
    /// Outside a tokio runtime.
    pub async fn start(secret_key: impl Into<String>) -> io::Result<StandIn> {
        Self::start_on(SocketAddr::from((Ipv4Addr::LOCALHOST, 0)), secret_key, false).await
    }

    /// Like [`StandIn::start`], with the demo data of [`StandIn::seed_demo_data`] already in.
    ///
    /// # Panics
    ///
    /// Outside a tokio runtime.
    pub async fn start_with_demo_data(secret_key: impl Into<String>) -> io::Result<StandIn> {
        Self::start_on(SocketAddr::from((Ipv4Addr::LOCALHOST, 0)), secret_key, true).await
    }

    /// Starts on `addr` (port 0 picks a free one), optionally with the demo data.
    ///
    /// # Errors
    ///
    /// When the address cannot be bound (in use, not permitted).
    ///
    /// # Panics
    ///
    /// Outside a tokio runtime.
    pub async fn start_on(addr: SocketAddr, secret_key: impl Into<String>, demo_data: bool) -> io::Result<StandIn> {
        let secret_key = secret_key.into();
        let listener = TcpListener::bind(addr).await?;
        let local_addr = listener.local_addr()?;
        let store = Arc::new(Mutex::new(Store::new()));
        if demo_data {
            demo::seed(&mut store::lock(&store));
        }
        let webhooks = Webhooks::default();
        let recorder = Recorder::default();
        let signing_key = Arc::new(SigningKey::demo(store::lock(&store).instance_id()));
        let app = App {
            store: Arc::clone(&store),
            secret_key: Arc::from(secret_key.as_str()),
            webhooks: webhooks.clone(),
            recorder: recorder.clone(),
            signing_key: Arc::clone(&signing_key),
        };
        let (stop, stopped) = oneshot::channel::<()>();
        let server = axum::serve(listener, routes::router(app)).with_graceful_shutdown(async move {
            // A dropped sender stops the server as well as an explicit signal.
            let _ = stopped.await;
        });
        let server = tokio::spawn(async move {
            // Accept errors are retried inside `serve`; nothing else can end it early.
            let _ = server.await;
        });
        let runtime = tokio::runtime::Handle::current();
        Ok(StandIn {
            local_addr,
            secret_key,
            store,
            stop: Some(stop),
            server: Some(server),
            webhooks,
            recorder,
            signing_key,
            runtime,
        })
    }

    /// The base URL to give a Clerk client, e.g. `http://127.0.0.1:40123/v1` (no trailing
    /// slash). A wildcard bind address is replaced by the loopback address, which is what a
    /// local client can connect to.
    pub fn base_url(&self) -> String {
        let ip = match self.local_addr.ip() {
            IpAddr::V4(ip) if ip.is_unspecified() => IpAddr::V4(Ipv4Addr::LOCALHOST),
            IpAddr::V6(ip) if ip.is_unspecified() => IpAddr::V6(Ipv6Addr::LOCALHOST),
            ip => ip,
        };
        format!("http://{}/v1", SocketAddr::new(ip, self.local_addr.port()))
    }

    /// The secret key requests must send as `Authorization: Bearer <key>`.
    pub fn secret_key(&self) -> &str {
        &self.secret_key
    }

    /// The address the server listens on.
    pub fn local_addr(&self) -> SocketAddr {
        self.local_addr
    }

    /// Adds `count` users at once, the way `POST /v1/users` creates them but without a request
    /// (nor a webhook) each, and returns their ids in creation order: user `n` (from 0) has the
    /// username `{prefix}{n}` (`n` with six digits at least, so that usernames sort as the
    /// numbers do) and the email address `{prefix}{n}@example.com`. Each is created after the
    /// one before, so newest first (the default order of `GET /v1/users`) is the reverse of the
    /// returned order. For tests and benchmarks that need many users: one lock for all of them.
    ///
    /// # Panics
    ///
    /// When a username or email address is taken already, or `prefix` makes an invalid email
    /// address.
    pub fn add_users(&self, prefix: &str, count: usize) -> Vec<String> {
        let mut store = store::lock(&self.store);
        (0..count)
            .map(|n| {
                let username = format!("{prefix}{n:06}");
                let new = store::NewUser {
                    email_addresses: vec![format!("{username}@example.com")],
                    username: Some(username),
                    ..store::NewUser::default()
                };
                match store.create_user(new) {
                    Ok(user) => user.id.clone(),
                    Err(_) => panic!("add_users: {prefix}{n:06} is taken or not a valid address"),
                }
            })
            .collect()
    }

    /// Adds a session for an existing user and returns its id (`sess_...`). The Backend API
    /// has no way to create sessions, so tests and demo data add them here. `status` is
    /// taken as given (`"active"`, `"ended"`, ...); the session's times start now.
    ///
    /// # Panics
    ///
    /// When no user has the id `user_id`.
    pub fn add_session(&self, user_id: &str, client_id: &str, status: &str) -> String {
        match store::lock(&self.store).add_session(user_id, client_id, status) {
            Ok(id) => id,
            Err(_) => panic!("add_session: there is no user with id {user_id:?}"),
        }
    }

    /// Connects the user to an OAuth provider (`oauth_google`, `oauth_github`, ...) with an
    /// access token valid for an hour, which
    /// `GET /v1/users/{user_id}/oauth_access_tokens/{provider}` then answers with (refreshed once
    /// it expires). Returns the external account's id (`eac_...`).
    ///
    /// # Panics
    ///
    /// When no user has the id `user_id`, or `provider` does not start with `oauth_`.
    pub fn add_oauth_token(&self, user_id: &str, provider: &str, token: &str, scopes: &[&str]) -> String {
        match store::lock(&self.store).add_oauth_token(user_id, provider, token, scopes) {
            Ok(id) => id,
            Err(_) => panic!("add_oauth_token: no user {user_id:?}, or {provider:?} is not an oauth_ provider"),
        }
    }

    /// Adds a JWT template with Clerk's defaults (60-second lifetime, 5 seconds of clock skew,
    /// RS256 with the instance's key) and returns its id (`jtmp_...`). The Backend API's
    /// template endpoints that the tools use only read templates, so tests add them here.
    ///
    /// # Panics
    ///
    /// When `claims` is not a JSON object, or `name` is blank or already used by a template.
    pub fn add_jwt_template(&self, name: &str, claims: serde_json::Value) -> String {
        let serde_json::Value::Object(claims) = claims else {
            panic!("add_jwt_template: the claims must be a JSON object");
        };
        match store::lock(&self.store).add_jwt_template(name, claims) {
            Ok(template) => template.id.clone(),
            Err(_) => panic!("add_jwt_template: {name:?} is blank or taken"),
        }
    }

    /// Signs `claims` as a session token of this stand-in: the header of Clerk's session
    /// tokens (RS256, the `kid` that `GET /v1/jwks` publishes), for tests that need claims the
    /// endpoints do not make (an actor, permissions, an expiry in the past, ...).
    /// `POST /v1/sessions/{session_id}/tokens` makes the real ones.
    pub fn sign_session_token(&self, claims: &serde_json::Value) -> String {
        self.signing_key.sign_session_token(claims)
    }

    /// Signs `header` and `claims` as they are with the stand-in's key (RS256, whatever the
    /// header says), for tests of tokens a verifier must refuse although the instance signed
    /// them, such as another kind of Clerk JWT. [`StandIn::session_token_header`] is the
    /// header of session tokens.
    pub fn sign_token(&self, header: &serde_json::Value, claims: &serde_json::Value) -> String {
        self.signing_key.sign(header, claims)
    }

    /// The header of the stand-in's session tokens: `alg`, `cat`, `kid` and `typ`.
    pub fn session_token_header(&self) -> serde_json::Value {
        self.signing_key.session_header()
    }

    /// The public key that verifies the stand-in's session tokens, as PEM: what to put in
    /// `CLERK_JWT_KEY` for networkless verification.
    pub fn jwt_public_key_pem(&self) -> String {
        self.signing_key.public_key_pem()
    }

    /// The `kid` of the stand-in's signing key: the instance's id, as at Clerk.
    pub fn signing_key_id(&self) -> &str {
        self.signing_key.kid()
    }

    /// From now on, sends a signed webhook to `url` (plain `http://`, e.g. a local endpoint
    /// under test) for each event the endpoints cause, signed with `secret` (`whsec_...`) in
    /// the `svix-id`, `svix-timestamp` and `svix-signature` headers, as Clerk does:
    ///
    /// | Endpoint | Events |
    /// |---|---|
    /// | `POST /v1/users` | `user.created` |
    /// | `PATCH /v1/users/{user_id}`, `PUT`/`PATCH .../metadata` | `user.updated` |
    /// | `POST /v1/users/{user_id}/ban`, `/unban`, `/lock`, `/unlock` | `user.updated` (when it changes anything); a ban then `session.revoked` for each session it revoked |
    /// | `DELETE /v1/users/{user_id}` | `user.deleted` |
    /// | `POST /v1/organizations` | `organization.created`, then `organizationMembership.created` for the creator |
    /// | `PATCH /v1/organizations/{organization_id}`, `PUT`/`PATCH .../metadata` | `organization.updated` |
    /// | `DELETE /v1/organizations/{organization_id}` | `organization.deleted` |
    /// | `POST`, `PATCH`, `DELETE .../memberships[/{user_id}]` | `organizationMembership.created`, `.updated`, `.deleted` |
    /// | `POST .../invitations`, `POST .../invitations/{invitation_id}/revoke` | `organizationInvitation.created`, `.revoked` |
    /// | `POST /v1/sessions/{session_id}/revoke` | `session.revoked` (not when it already was) |
    ///
    /// The body is Clerk's envelope (`data`, `instance_id`, `object`, `timestamp` in
    /// milliseconds, `type`) around the JSON the endpoint answered with (for the sessions a ban
    /// revokes, around each session). Deliveries run in
    /// order in a background task of the stand-in's runtime; one without a 2xx answer is
    /// tried twice more with the same `svix-id`. Each outcome is reported on the returned
    /// channel, which may be dropped. Calling this again moves future events to the new
    /// endpoint.
    ///
    /// # Errors
    ///
    /// When `url` is not an `http://` URL or `secret` is not `whsec_` followed by base64.
    pub fn send_webhooks(
        &self,
        url: &str,
        secret: &str,
    ) -> Result<tokio::sync::mpsc::UnboundedReceiver<WebhookDelivery>, WebhookSetupError> {
        self.webhooks.start(&self.runtime, url, secret)
    }

    /// Adds three users with sessions, two organizations, and a few instance settings:
    ///
    /// - Ada Lovelace (`ada@example.com`, username `ada`): sessions `ended` and `active`, and a
    ///   Google account (`oauth_google` access token);
    /// - Grace Hopper (`grace@example.com`, username `grace`): session `active`;
    /// - Alan Turing (`alan@example.com`, `+15555550100`, username `alan`): sessions `ended`
    ///   and `active`;
    /// - "Analytical Engine" (`analytical-engine`), created by Ada (`org:admin`), with Alan as
    ///   an `org:member`;
    /// - "Compilers Inc" (`compilers-inc`), created by Grace (`org:admin`), with a pending
    ///   invitation for `charles@example.com` (`org:member`) sent by Grace;
    /// - the JWT templates `supabase` and `hasura`.
    ///
    /// Records that would clash with existing ones are skipped, so seeding twice is harmless.
    pub fn seed_demo_data(&self) {
        demo::seed(&mut store::lock(&self.store));
    }

    /// The id of an active session of Ada, the first user of the demo data
    /// ([`StandIn::seed_demo_data`]), if she is there.
    pub fn demo_session_id(&self) -> Option<String> {
        store::lock(&self.store).active_session_of(demo::ADA_USERNAME)
    }

    /// How many requests arrived for `method` and the route template, whatever their outcome
    /// (refused ones included), e.g. `("POST", "/v1/users")` or
    /// `("GET", "/v1/users/{user_id}")`. The templates are the paths of the crate
    /// documentation's table; requests to unknown paths count under their literal path.
    pub fn request_count(&self, method: &str, route: &str) -> usize {
        store::lock(&self.store).request_count(method, route)
    }

    /// From now on, keeps every request and the answer it got (refused ones and unknown
    /// paths included), for [`StandIn::take_exchanges`]. Off until called, so that serving
    /// copies nothing when no record is wanted.
    pub fn record_exchanges(&self) {
        self.recorder.start();
    }

    /// The exchanges recorded since recording started or since the last call, in the order
    /// their answers were sent; recording goes on.
    pub fn take_exchanges(&self) -> Vec<Exchange> {
        self.recorder.take()
    }

    /// Stops accepting connections, lets requests in flight finish (for a few seconds at
    /// most) and returns once the server is down.
    pub async fn shutdown(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(mut server) = self.server.take()
            && tokio::time::timeout(SHUTDOWN_GRACE, &mut server).await.is_err()
        {
            server.abort();
        }
    }
}

impl Drop for StandIn {
    fn drop(&mut self) {
        // Dropping the sender is the stop signal; the server task winds down on its own.
        self.stop.take();
    }
}
