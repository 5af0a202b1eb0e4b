//! Every path parameter of every operation refuses the values that would send the request to
//! another endpoint, naming the parameter, and nothing reaches the server. The calls, one per
//! path parameter of every operation, are generated with the client (`cases.rs`).
#![cfg(feature = "full")]

use clerk_api::Error;
use wiremock::MockServer;

#[rustfmt::skip]
mod cases;

/// The values a URL would resolve away: the empty segment and the dot segments.
const REFUSED: [&str; 3] = ["", ".", ".."];

fn refused<T: std::fmt::Debug, E: std::fmt::Debug>(result: Result<T, Error<E>>, name: &str, value: &str) {
    match result {
        Err(Error::InvalidPathParameter { name: refused, value: given }) if refused == name && given == value => {}
        other => panic!("`{name}` = {value:?} was not refused: {other:?}"),
    }
}

#[tokio::test]
async fn every_path_parameter_refuses_empty_and_dot_segments() {
    let server = MockServer::start().await;
    let client =
        clerk_api::Client::from_secret_key_with_base_url("sk_test_x", &format!("{}/v1", server.uri())).unwrap();
    for value in REFUSED {
        cases::each_path_parameter(&client, value).await;
    }
    assert_eq!(server.received_requests().await.unwrap().len(), 0);
}
