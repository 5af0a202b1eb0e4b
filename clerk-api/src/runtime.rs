//! What the generated code calls in place of progenitor-client's own, where this client behaves
//! differently (`cargo xtask generate` rewrites the calls; see `xtask/src/runtime.rs`).

use progenitor_client::ResponseValue;
use serde::de::DeserializeOwned;

use crate::Error;

/// Reads and decodes an answer's body. Unlike progenitor's `ResponseValue::from_response`, an
/// error keeps the answer's status and headers.
pub(crate) async fn from_response<T: DeserializeOwned, E>(
    response: reqwest::Response,
) -> Result<ResponseValue<T>, Error<E>> {
    let status = response.status();
    let headers = response.headers().clone();
    let body = match response.bytes().await {
        Ok(body) => body,
        Err(err) => return Err(Error::ResponseBodyError(ResponseValue::new((), status, headers), err)),
    };
    match serde_json::from_slice(&body) {
        Ok(value) => Ok(ResponseValue::new(value, status, headers)),
        Err(err) => Err(Error::InvalidResponsePayload(ResponseValue::new(body, status, headers), err)),
    }
}
