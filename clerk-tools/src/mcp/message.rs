//! Reading one JSON-RPC message from the client, and the answer to one that cannot be read,
//! the same over stdio and HTTP.
//!
//! JSON-RPC 2.0 asks for `-32700 Parse error` when the text is not JSON and `-32600 Invalid
//! Request` when it is JSON but not a message; both with `"id": null` unless the id can be
//! read. A notification is never answered, so JSON that names a `method` and no `id` and is
//! still unreadable is dropped, as rmcp drops the notifications it does not know. The answers
//! name what is wrong and never quote the input: it may hold a password.

use rmcp::model::{ClientJsonRpcMessage, ErrorCode};
use serde_json::{Value, json};

/// The largest message taken, in bytes: a line over stdio, a body over HTTP. rmcp's own limit
/// for HTTP bodies, applied to both transports.
pub const MAX_MESSAGE_BYTES: usize = 4 * 1024 * 1024;

/// Why a message was not taken.
#[derive(Debug, PartialEq)]
pub(crate) enum Unreadable {
    /// A notification that cannot be read: nothing is answered.
    Dropped,
    /// The JSON-RPC error to answer, serialized.
    Answer(Vec<u8>),
}

/// The message in `bytes`, or what to do instead.
pub(crate) fn read(bytes: &[u8]) -> Result<ClientJsonRpcMessage, Unreadable> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let error = match serde_json::from_slice::<ClientJsonRpcMessage>(bytes) {
        Ok(message) => return Ok(message),
        Err(error) => error,
    };
    let value = match serde_json::from_slice::<Value>(bytes) {
        Ok(value) => value,
        // Syntax errors name a line and column, never the text.
        Err(_) => {
            return Err(answer(ErrorCode::PARSE_ERROR, &format!("Parse error: the message is not JSON ({error})")));
        }
    };
    match &value {
        Value::Array(_) => Err(answer(
            ErrorCode::INVALID_REQUEST,
            "Invalid Request: a JSON-RPC batch; this server takes one message at a time, as the MCP revisions it \
             offers define",
        )),
        Value::Object(object) if object.contains_key("method") && !object.contains_key("id") => {
            Err(Unreadable::Dropped)
        }
        Value::Object(object) => {
            let id = object.get("id").filter(|id| id.is_string() || id.is_i64() || id.is_u64()).cloned();
            Err(answer_with_id(
                ErrorCode::INVALID_REQUEST,
                "Invalid Request: not a JSON-RPC 2.0 request, notification or response that this server reads",
                id,
            ))
        }
        _ => Err(answer(ErrorCode::INVALID_REQUEST, "Invalid Request: a JSON-RPC message is a JSON object")),
    }
}

/// The answer to a message larger than [`MAX_MESSAGE_BYTES`].
pub(crate) fn too_large() -> Vec<u8> {
    bytes_of(
        ErrorCode::INVALID_REQUEST,
        &format!("Invalid Request: the message is larger than {MAX_MESSAGE_BYTES} bytes"),
        None,
    )
}

fn answer(code: ErrorCode, message: &str) -> Unreadable {
    answer_with_id(code, message, None)
}

fn answer_with_id(code: ErrorCode, message: &str, id: Option<Value>) -> Unreadable {
    Unreadable::Answer(bytes_of(code, message, id))
}

/// A JSON-RPC error object. Built here rather than with rmcp's type, which leaves out an
/// unknown `id` where JSON-RPC 2.0 (and MCP before 2026-07-28) wants `null`.
fn bytes_of(code: ErrorCode, message: &str, id: Option<Value>) -> Vec<u8> {
    json!({"jsonrpc": "2.0", "id": id, "error": {"code": code.0, "message": message}}).to_string().into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answered(bytes: &[u8]) -> Value {
        match read(bytes) {
            Err(Unreadable::Answer(answer)) => serde_json::from_slice(&answer).unwrap(),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn messages_are_read_and_the_rest_answered() {
        assert!(read(br#"{"jsonrpc": "2.0", "id": 1, "method": "ping"}"#).is_ok());
        assert!(read(b"\xEF\xBB\xBF{\"jsonrpc\": \"2.0\", \"method\": \"notifications/initialized\"}").is_ok());

        let parse =
            answered(br#"{"jsonrpc": "2.0", "id": 1, "method": "tools/call", "params": {"password": "hunter2""#);
        assert_eq!(parse["error"]["code"], -32700, "{parse}");
        assert_eq!(parse["id"], Value::Null);
        assert!(parse.as_object().unwrap().contains_key("id"));
        assert!(!parse.to_string().contains("hunter2"), "{parse}");

        let batch = answered(br#"[{"jsonrpc": "2.0", "id": 1, "method": "ping"}]"#);
        assert_eq!(batch["error"]["code"], -32600, "{batch}");
        assert!(batch["error"]["message"].as_str().unwrap().contains("batch"), "{batch}");

        let invalid = answered(br#"{"jsonrpc": "1.0", "id": "a", "method": "ping", "params": {"x": "hunter2"}}"#);
        assert_eq!(invalid["error"]["code"], -32600, "{invalid}");
        assert_eq!(invalid["id"], "a");
        assert!(!invalid.to_string().contains("hunter2"), "{invalid}");
        assert_eq!(answered(br#"{"id": [1]}"#)["id"], Value::Null);
        assert_eq!(answered(b"42")["error"]["code"], -32600);
        assert_eq!(answered(b"\xff")["error"]["code"], -32700);

        let unreadable_notification = read(br#"{"jsonrpc": "2.0", "method": "notifications/cancelled", "params": 3}"#);
        assert_eq!(unreadable_notification.err(), Some(Unreadable::Dropped));
    }
}
