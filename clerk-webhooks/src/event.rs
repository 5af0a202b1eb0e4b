//! The decoded webhook body: the envelope Clerk wraps every event in, and the event's data.

use serde::{Deserialize, Deserializer, Serialize};
use serde_json::value::RawValue;
use serde_json::{Map, Value};

use crate::{Error, Event, types};

/// Where an event came from: the HTTP request that caused it, when there was one.
pub type EventAttributes = types::WebhookEventPayloadEventAttributes;

/// A webhook body, decoded: the envelope's fields and the event's `data` as the type its
/// `type` names.
///
/// Serializes back to the wire shape (`type`, `object`, `data`, `timestamp`, ...), minus
/// fields that were absent or unknown.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct WebhookEvent {
    /// The event type, e.g. `user.created`; empty when the body has none.
    #[serde(rename = "type")]
    pub event_type: String,
    /// Always `event` in Clerk's payloads.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub object: Option<String>,
    /// The event's data; match on it to handle each event type.
    pub data: Event,
    /// When the event happened, as Clerk stamps it (Unix milliseconds in Clerk's deliveries).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timestamp: Option<i64>,
    /// The Clerk instance the event belongs to.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub instance_id: Option<String>,
    /// The request that caused the event.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub event_attributes: Option<EventAttributes>,
}

/// The envelope with `data` not decoded yet: the type must be known first. (Absent `Option`
/// fields are `None` without `#[serde(default)]`.)
#[derive(Deserialize)]
struct Envelope<D> {
    #[serde(rename = "type")]
    event_type: Option<String>,
    object: Option<String>,
    data: Option<D>,
    timestamp: Option<i64>,
    instance_id: Option<String>,
    event_attributes: Option<EventAttributes>,
}

impl<D> Envelope<D> {
    fn finish(self, data: Event, event_type: String) -> WebhookEvent {
        WebhookEvent {
            event_type,
            object: self.object,
            data,
            timestamp: self.timestamp,
            instance_id: self.instance_id,
            event_attributes: self.event_attributes,
        }
    }
}

impl WebhookEvent {
    /// Decodes a webhook body (which [`crate::Webhook::verify`] does after checking it).
    /// Errors name the field that could not be read, e.g. `data.created_at`. An absent or
    /// `null` `data` decodes as a payload whose fields are all absent.
    ///
    /// # Errors
    ///
    /// [`Error::UnreadableBody`] when the body is not JSON, not an object, nested too deeply
    /// or has a field of the wrong type.
    pub fn from_slice(body: &[u8]) -> Result<WebhookEvent, Error> {
        // The fast path tracks nothing; only a failure is decoded again to locate it.
        let mut envelope: Envelope<&RawValue> =
            serde_json::from_slice(body).map_err(|err| locate_in_envelope(body, err))?;
        let event_type = envelope.event_type.take().unwrap_or_default();
        // An absent or null `data` reads as an empty object: a payload with every field absent.
        let raw = envelope.data.take().map(RawValue::get).filter(|raw| *raw != "null").unwrap_or("{}");
        let data = Event::from_data(&event_type, &mut serde_json::Deserializer::from_str(raw))
            .map_err(|err| locate_in_data(&event_type, raw, err))?;
        Ok(envelope.finish(data, event_type))
    }
}

/// The error for a body whose envelope cannot be read, naming the field at fault.
fn locate_in_envelope(body: &[u8], err: serde_json::Error) -> Error {
    let mut deserializer = serde_json::Deserializer::from_slice(body);
    let path = match serde_path_to_error::deserialize::<_, Envelope<&RawValue>>(&mut deserializer) {
        Err(tracked) => tracked.path().to_string(),
        // The envelope reads but something follows it.
        Ok(_) => String::new(),
    };
    unreadable(&path, err)
}

/// The error for a `data` that cannot be read as its type, naming the field at fault.
fn locate_in_data(event_type: &str, raw: &str, err: serde_json::Error) -> Error {
    let mut deserializer = serde_json::Deserializer::from_str(raw);
    let mut track = serde_path_to_error::Track::new();
    let _ = Event::from_data(event_type, serde_path_to_error::Deserializer::new(&mut deserializer, &mut track));
    let path = track.path().to_string();
    unreadable(&if path == "." { "data".to_string() } else { format!("data.{path}") }, err)
}

fn unreadable(path: &str, err: serde_json::Error) -> Error {
    Error::UnreadableBody(if path.is_empty() || path == "." { err.to_string() } else { format!("at `{path}`: {err}") })
}

impl<'de> Deserialize<'de> for WebhookEvent {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let mut envelope = Envelope::<Value>::deserialize(deserializer)?;
        let event_type = envelope.event_type.take().unwrap_or_default();
        let data = envelope.data.take().filter(|data| !data.is_null()).unwrap_or_else(|| Value::Object(Map::new()));
        let event = Event::from_data(&event_type, data).map_err(serde::de::Error::custom)?;
        Ok(envelope.finish(event, event_type))
    }
}
