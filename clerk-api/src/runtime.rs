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

/// A path parameter as one segment of the path: progenitor's encoding, plus `\`, which the URL
/// parser reads as `/` in an `http(s)` URL (so `a\..` would climb a level).
pub(crate) fn encode_path(value: &str) -> String {
    progenitor_client::encode_path(value).replace('\\', "%5C")
}

/// Refuses a path parameter whose segment would not stay one segment of the path: empty, or a
/// dot segment, which URL resolution removes with the segment before it (`..`) or alone (`.`).
/// The URL parser also reads `%2e` as a dot; the encoding escapes `%`, so it is checked on the
/// encoded segment, as the parser will see it.
// The operations' own error type, which their `send` returns anyway.
#[allow(clippy::result_large_err)]
pub(crate) fn check_path_parameter<E>(name: &'static str, value: &str) -> Result<(), Error<E>> {
    let segment = encode_path(value).to_ascii_lowercase().replace("%2e", ".");
    if segment.is_empty() || segment == "." || segment == ".." {
        return Err(Error::InvalidPathParameter { name, value: value.to_string() });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refused(value: &str) -> bool {
        matches!(
            check_path_parameter::<()>("id", value),
            Err(Error::InvalidPathParameter { name: "id", value: given }) if given == value
        )
    }

    #[test]
    fn dot_segments_and_empty_segments_are_refused() {
        for value in ["", ".", ".."] {
            assert!(refused(value), "{value:?}");
        }
        for value in ["...", "a.", ".a", "..a", "%2e", "%2E%2e", ".%2E", "a/..", "a\\..", "user_1", " "] {
            assert!(!refused(value), "{value:?}");
        }
    }

    /// What reaches the server is what the caller gave, one segment: `%`, `/`, `?`, `#` and `\`
    /// are escaped, so a value that spells a dot, a separator or a query stays inside its segment.
    #[test]
    fn every_value_stays_one_segment_of_the_url() {
        for (value, encoded) in [
            ("%2e", "%252e"),
            (".%2E", ".%252E"),
            ("a\\..", "a%5C.."),
            ("..\\", "..%5C"),
            ("a/..", "a%2F.."),
            ("a?b#c", "a%3Fb%23c"),
            ("user_2x", "user_2x"),
        ] {
            assert_eq!(encode_path(value), encoded);
            let url =
                reqwest::Url::parse(&format!("https://api.clerk.com/v1/users/{}/ban", encode_path(value))).unwrap();
            assert_eq!(url.path(), format!("/v1/users/{encoded}/ban"), "{value:?}");
        }
    }
}
