//! Signed webhooks for the events the stand-in's endpoints cause, delivered in the background
//! to one local endpoint the way Clerk delivers them: a JSON envelope (`type`, `data`, ...)
//! whose `data` is the object the event is about (the one the endpoint answered with, or, for
//! the sessions a ban revokes, each session), signed with the endpoint's `whsec_` secret in
//! the `svix-id`, `svix-timestamp` and `svix-signature` headers. Which endpoint sends which
//! event is listed on `StandIn::send_webhooks`.
//!
//! Deliveries go out one at a time, in the order the events happened. A delivery that gets
//! no 2xx answer is tried twice more (after half a second, then two seconds) with the same
//! `svix-id` and a fresh timestamp and signature, as Svix retries.

use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use axum::body::Bytes;
use axum::http::{Request, Uri, header};
use clerk_webhooks::Secret;
use http_body_util::Full;
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use serde_json::{Value, json};
use tokio::sync::mpsc;

use crate::ids::IdGenerator;

/// The waits before the second and third attempts.
const RETRY_AFTER: [Duration; 2] = [Duration::from_millis(500), Duration::from_secs(2)];
/// How long one attempt may take, answer included.
const ATTEMPT_TIMEOUT: Duration = Duration::from_secs(10);

/// The outcome of one webhook delivery.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebhookDelivery {
    /// The event type, e.g. `user.created`.
    pub event_type: String,
    /// The `svix-id` of the message (the same on every attempt).
    pub message_id: String,
    /// How many attempts were made.
    pub attempts: u32,
    /// The status of the last answer, if one came.
    pub status: Option<u16>,
    /// Why the last attempt failed, if it did.
    pub error: Option<String>,
}

impl WebhookDelivery {
    /// Whether the endpoint answered with a 2xx status.
    pub fn delivered(&self) -> bool {
        self.status.is_some_and(|status| (200..300).contains(&status))
    }
}

/// Why webhooks cannot be sent where asked.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum WebhookSetupError {
    /// The URL is not an `http://` URL with a host. (The stand-in sends plain HTTP only: it is
    /// meant for a local endpoint.)
    InvalidUrl(String),
    /// The secret is not `whsec_` followed by base64.
    InvalidSecret(String),
}

impl fmt::Display for WebhookSetupError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WebhookSetupError::InvalidUrl(reason) => write!(f, "invalid webhook URL: {reason}"),
            WebhookSetupError::InvalidSecret(reason) => write!(f, "invalid webhook secret: {reason}"),
        }
    }
}

impl std::error::Error for WebhookSetupError {}

/// An event waiting for delivery.
struct Pending {
    event_type: &'static str,
    data: Value,
    /// When it happened, in Unix milliseconds.
    timestamp: i64,
}

/// The handlers' side: where events go, if anywhere. Cheap to clone.
#[derive(Clone, Default)]
pub(crate) struct Webhooks {
    sender: Arc<Mutex<Option<mpsc::UnboundedSender<Pending>>>>,
}

impl Webhooks {
    fn sender(&self) -> Option<mpsc::UnboundedSender<Pending>> {
        self.sender.lock().unwrap_or_else(PoisonError::into_inner).clone()
    }

    /// Queues `event_type` with `data` for delivery, if an endpoint is set.
    pub(crate) fn emit(&self, event_type: &'static str, data: &Value) {
        if let Some(sender) = self.sender() {
            // The delivery task only ends once every sender is gone.
            let _ = sender.send(Pending { event_type, data: data.clone(), timestamp: unix_millis() });
        }
    }

    /// Sends from now on to `url`, signing with `secret`, from a task on `runtime`. Outcomes
    /// are reported on the returned channel. A previous endpoint gets what was already queued.
    pub(crate) fn start(
        &self,
        runtime: &tokio::runtime::Handle,
        url: &str,
        secret: &str,
    ) -> Result<mpsc::UnboundedReceiver<WebhookDelivery>, WebhookSetupError> {
        let uri: Uri = url.trim().parse().map_err(|err| WebhookSetupError::InvalidUrl(format!("{err}")))?;
        if uri.scheme_str() != Some("http") || uri.host().is_none() {
            return Err(WebhookSetupError::InvalidUrl(
                "the stand-in sends plain HTTP to a local endpoint: give an http://host:port/path URL".to_string(),
            ));
        }
        let secret = Secret::new(secret).map_err(|err| WebhookSetupError::InvalidSecret(err.to_string()))?;
        let (sender, events) = mpsc::unbounded_channel();
        let (report, reports) = mpsc::unbounded_channel();
        runtime.spawn(deliver_all(uri, secret, events, report));
        *self.sender.lock().unwrap_or_else(PoisonError::into_inner) = Some(sender);
        Ok(reports)
    }
}

fn unix_millis() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_millis() as i64).unwrap_or_default()
}

/// Delivers every queued event in order, until the stand-in (every sender) is gone.
async fn deliver_all(
    uri: Uri,
    secret: Secret,
    mut events: mpsc::UnboundedReceiver<Pending>,
    report: mpsc::UnboundedSender<WebhookDelivery>,
) {
    let client: Client<HttpConnector, Full<Bytes>> = Client::builder(TokioExecutor::new()).build_http();
    let mut ids = IdGenerator::new();
    let instance_id = ids.next("ins");
    while let Some(event) = events.recv().await {
        let message_id = ids.next("msg");
        // Clerk's envelope, fields in the order Clerk sends them.
        let body = json!({
            "data": event.data,
            "instance_id": instance_id,
            "object": "event",
            "timestamp": event.timestamp,
            "type": event.event_type,
        });
        let body = Bytes::from(serde_json::to_vec(&body).unwrap_or_default());
        let mut delivery = WebhookDelivery {
            event_type: event.event_type.to_string(),
            message_id,
            attempts: 0,
            status: None,
            error: None,
        };
        for wait in std::iter::once(Duration::ZERO).chain(RETRY_AFTER) {
            tokio::time::sleep(wait).await;
            delivery.attempts += 1;
            let (status, error) = attempt(&client, &uri, &secret, &delivery.message_id, &body).await;
            (delivery.status, delivery.error) = (status, error);
            if delivery.delivered() {
                break;
            }
        }
        let _ = report.send(delivery);
    }
}

/// One signed POST; the status of the answer, or why there was none.
async fn attempt(
    client: &Client<HttpConnector, Full<Bytes>>,
    uri: &Uri,
    secret: &Secret,
    message_id: &str,
    body: &Bytes,
) -> (Option<u16>, Option<String>) {
    let seconds = unix_millis() / 1000;
    let timestamp = seconds.to_string();
    let signature = clerk_webhooks::sign(secret, message_id, seconds, body);
    let request = Request::post(uri.clone())
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::USER_AGENT, "clerk-standin")
        .header(clerk_webhooks::ID_HEADER, message_id)
        .header(clerk_webhooks::TIMESTAMP_HEADER, &timestamp)
        .header(clerk_webhooks::SIGNATURE_HEADER, signature)
        .body(Full::new(body.clone()));
    let request = match request {
        Ok(request) => request,
        Err(err) => return (None, Some(err.to_string())),
    };
    match tokio::time::timeout(ATTEMPT_TIMEOUT, client.request(request)).await {
        Ok(Ok(response)) => {
            let status = response.status();
            (Some(status.as_u16()), (!status.is_success()).then(|| format!("the endpoint answered {status}")))
        }
        Ok(Err(err)) => (None, Some(format!("cannot reach {uri}: {err}"))),
        Err(_) => (None, Some(format!("no answer from {uri} within {} seconds", ATTEMPT_TIMEOUT.as_secs()))),
    }
}
