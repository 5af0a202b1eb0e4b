//! The client's side of the connection: how many requests it has in flight, and what a failed
//! connection says about the configuration behind it.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use clerk_tools::{ClerkTools, Error, GetUserInput, ListUsersInput};
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

use crate::common::{KEY, answer, quick_retries, start};

/// A keep-alive HTTP server on 127.0.0.1 that answers every request after `delay` with an
/// empty user list (or its count of 0), and records how many connections it accepted and the most requests it held
/// at once.
struct CountingServer {
    base_url: String,
    connections: Arc<AtomicUsize>,
    most_in_flight: Arc<AtomicUsize>,
}

impl CountingServer {
    async fn start(delay: Duration) -> CountingServer {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base_url = format!("http://{}/v1", listener.local_addr().unwrap());
        let connections = Arc::new(AtomicUsize::new(0));
        let most_in_flight = Arc::new(AtomicUsize::new(0));
        let in_flight = Arc::new(AtomicUsize::new(0));
        let (accepted, most) = (connections.clone(), most_in_flight.clone());
        tokio::spawn(async move {
            while let Ok((mut stream, _)) = listener.accept().await {
                accepted.fetch_add(1, Ordering::SeqCst);
                let (in_flight, most) = (in_flight.clone(), most.clone());
                tokio::spawn(async move {
                    let mut buffer = Vec::new();
                    let mut chunk = [0u8; 4096];
                    loop {
                        // One request head (GET: no body), then the answer; the connection stays
                        // open for the next request.
                        while !buffer.windows(4).any(|window| window == b"\r\n\r\n") {
                            match stream.read(&mut chunk).await {
                                Ok(0) | Err(_) => return,
                                Ok(read) => buffer.extend_from_slice(&chunk[..read]),
                            }
                        }
                        let end = buffer.windows(4).position(|window| window == b"\r\n\r\n").unwrap() + 4;
                        let head: Vec<u8> = buffer.drain(..end).collect();
                        let body = if String::from_utf8_lossy(&head).contains("/users/count") {
                            r#"{"object":"total_count","total_count":0}"#
                        } else {
                            "[]"
                        };
                        let now = in_flight.fetch_add(1, Ordering::SeqCst) + 1;
                        most.fetch_max(now, Ordering::SeqCst);
                        tokio::time::sleep(delay).await;
                        in_flight.fetch_sub(1, Ordering::SeqCst);
                        let answer = format!(
                            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
                            body.len()
                        );
                        if stream.write_all(answer.as_bytes()).await.is_err() {
                            return;
                        }
                    }
                });
            }
        });
        CountingServer { base_url, connections, most_in_flight }
    }
}

#[tokio::test]
async fn a_burst_of_calls_queues_within_the_bound_on_few_connections() {
    let server = CountingServer::start(Duration::from_millis(40)).await;
    let tools =
        ClerkTools::builder().base_url(&server.base_url).secret_key(KEY).max_concurrent_requests(3).build().unwrap();
    let calls = (0..30).map(|_| {
        let tools = tools.clone();
        tokio::spawn(async move { tools.list_users(ListUsersInput::default()).await })
    });
    for call in calls.collect::<Vec<_>>() {
        let page = call.await.unwrap().expect("the call succeeds after its turn");
        assert_eq!(page.total_count, 0);
    }
    assert_eq!(server.most_in_flight.load(Ordering::SeqCst), 3, "three at a time, no more");
    assert_eq!(server.connections.load(Ordering::SeqCst), 3, "connections are reused from the pool");
}

#[test]
fn at_least_one_request_must_be_allowed_in_flight() {
    let err = ClerkTools::builder().max_concurrent_requests(0).build().unwrap_err();
    assert_eq!(err.to_string(), "client configuration: max_concurrent_requests must be at least 1");
    assert_eq!(clerk_tools::DEFAULT_MAX_CONCURRENT_REQUESTS, 32);
}

fn get_user() -> GetUserInput {
    GetUserInput { user_id: "user_1".into() }
}

#[tokio::test]
async fn https_to_a_plain_http_server_says_it_does_not_speak_tls() {
    // A plain HTTP server answers the TLS handshake with an HTTP error page.
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            let mut chunk = [0u8; 1024];
            let _ = stream.read(&mut chunk).await;
            let _ = stream.write_all(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n").await;
        }
    });
    let base_url = format!("https://{address}/v1");
    let tools =
        ClerkTools::builder().base_url(&base_url).secret_key(KEY).retry_policy(quick_retries()).build().unwrap();
    let err = tools.get_user(get_user()).await.unwrap_err();
    assert!(matches!(err, Error::Connection(..)), "{err:?}");
    assert_eq!(
        err.to_string(),
        format!(
            "cannot reach Clerk: the server at base_url ({base_url}) does not speak TLS: it answered the https \
             request to {base_url}/users/user_1 in plain text; give its http:// URL instead"
        )
    );
}

#[tokio::test]
async fn a_refused_connection_names_the_url_and_where_it_came_from() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap();
    drop(listener);
    let base_url = format!("http://{address}/v1");
    let tools =
        ClerkTools::builder().base_url(&base_url).secret_key(KEY).retry_policy(quick_retries()).build().unwrap();
    let err = tools.get_user(get_user()).await.unwrap_err();
    assert!(matches!(err, Error::Connection(..)), "{err:?}");
    assert_eq!(
        err.to_string(),
        format!(
            "cannot reach Clerk: connection refused at {base_url}/users/user_1: nothing listens at the address of \
             base_url ({base_url}); is the server running?"
        )
    );
}

#[tokio::test]
async fn the_v1_hint_never_touches_clerks_own_404() {
    let (server, _) = start().await;
    let clerk_404 = json!({"errors": [{"message": "not found", "code": "resource_not_found"}]});
    answer(&server, "GET", "/users/user_1", 404, clerk_404).await;
    let tools = ClerkTools::builder().base_url(server.uri()).secret_key(KEY).build().unwrap();
    let err = tools.get_user(get_user()).await.unwrap_err();
    assert!(matches!(err, Error::NotFound(_)), "{err:?}");
    assert_eq!(err.to_string(), "Clerk API error 404: not found [code: resource_not_found]");
}
