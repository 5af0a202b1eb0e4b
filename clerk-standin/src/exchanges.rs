//! A record of what the stand-in was asked and what it answered, kept on request, so that a
//! test can check every answer against Clerk's document.

use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use serde::Serialize;

/// One request and the answer the stand-in gave it, as [`StandIn::take_exchanges`] returns
/// them.
///
/// [`StandIn::take_exchanges`]: crate::StandIn::take_exchanges
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Exchange {
    /// `GET`, `POST`, ...
    pub method: String,
    /// The route template that answered, written as in the crate documentation's table (and
    /// as Clerk's document writes its paths): `/v1/users/{user_id}`. `None` when no route
    /// serves the method and path, which is answered like an unknown path.
    pub route: Option<String>,
    /// The path as requested, `/v1/users/user_123`.
    pub path: String,
    /// The query string as sent, without its `?`; `None` without one.
    pub query: Option<String>,
    /// The request body as sent (empty without one).
    pub request_body: String,
    /// The status of the answer.
    pub status: u16,
    /// The `content-type` of the answer.
    pub content_type: Option<String>,
    /// The body of the answer.
    pub response_body: String,
}

/// Where exchanges go while recording is on; `None` while it is off, so that serving stays
/// free of the copying when nobody asked for a record.
#[derive(Clone, Default)]
pub(crate) struct Recorder(Arc<Mutex<Option<Vec<Exchange>>>>);

impl Recorder {
    fn lock(&self) -> MutexGuard<'_, Option<Vec<Exchange>>> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }

    pub(crate) fn start(&self) {
        self.lock().get_or_insert_with(Vec::new);
    }

    pub(crate) fn is_on(&self) -> bool {
        self.lock().is_some()
    }

    pub(crate) fn push(&self, exchange: Exchange) {
        if let Some(exchanges) = self.lock().as_mut() {
            exchanges.push(exchange);
        }
    }

    /// What was recorded since the last call; recording goes on.
    pub(crate) fn take(&self) -> Vec<Exchange> {
        self.lock().as_mut().map(std::mem::take).unwrap_or_default()
    }
}
