//! A scripted HTTP server on 127.0.0.1 that misbehaves on purpose: it drops connections
//! mid-body, stalls, or answers with statuses and headers chosen per request, and counts
//! the requests it received.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// What the server does with one request.
#[derive(Debug, Clone)]
pub enum Reply {
    /// A complete response.
    Respond { status: u16, headers: Vec<(&'static str, String)>, body: String },
    /// The head and part of the body, then the connection is closed.
    DropMidBody { body: String, sent: usize },
    /// The head and part of the body, then a stall longer than any test timeout.
    StallMidBody { body: String, sent: usize, stall: Duration },
}

impl Reply {
    /// A JSON response.
    pub fn json(status: u16, body: &serde_json::Value) -> Reply {
        Reply::Respond { status, headers: vec![("Content-Type", "application/json".into())], body: body.to_string() }
    }

    /// A response with one extra header.
    pub fn with_header(status: u16, name: &'static str, value: &str, body: &str) -> Reply {
        Reply::Respond {
            status,
            headers: vec![("Content-Type", "application/json".into()), (name, value.to_string())],
            body: body.to_string(),
        }
    }
}

/// The running server.
pub struct FaultServer {
    /// `http://127.0.0.1:PORT/v1`.
    pub base_url: String,
    hits: Arc<AtomicUsize>,
}

impl FaultServer {
    /// Starts serving: request `n` (from 0) gets `script[n]`, or the last entry past the end.
    pub async fn start(script: Vec<Reply>) -> FaultServer {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind 127.0.0.1");
        let address = listener.local_addr().expect("local address");
        let hits = Arc::new(AtomicUsize::new(0));
        let counter = hits.clone();
        let script = Arc::new(script);
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let counter = counter.clone();
                let script = script.clone();
                tokio::spawn(async move { serve(stream, counter, script).await });
            }
        });
        FaultServer { base_url: format!("http://{address}/v1"), hits }
    }

    /// Requests received so far.
    pub fn hits(&self) -> usize {
        self.hits.load(Ordering::SeqCst)
    }
}

async fn serve(mut stream: TcpStream, hits: Arc<AtomicUsize>, script: Arc<Vec<Reply>>) {
    if !read_request(&mut stream).await {
        return;
    }
    let index = hits.fetch_add(1, Ordering::SeqCst);
    let Some(reply) = script.get(index).or(script.last()).cloned() else { return };
    let head = |status: u16, headers: &[(&'static str, String)], length: usize| {
        let mut head =
            format!("HTTP/1.1 {status} {}\r\nContent-Length: {length}\r\nConnection: close\r\n", reason(status));
        for (name, value) in headers {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        head.push_str("\r\n");
        head
    };
    let json = [("Content-Type", "application/json".to_string())];
    match reply {
        Reply::Respond { status, headers, body } => {
            let _ = stream.write_all(format!("{}{body}", head(status, &headers, body.len())).as_bytes()).await;
        }
        Reply::DropMidBody { body, sent } => {
            let _ = stream.write_all(format!("{}{}", head(200, &json, body.len()), &body[..sent]).as_bytes()).await;
            let _ = stream.flush().await;
            // Dropping the stream closes the connection before the promised length.
        }
        Reply::StallMidBody { body, sent, stall } => {
            let _ = stream.write_all(format!("{}{}", head(200, &json, body.len()), &body[..sent]).as_bytes()).await;
            let _ = stream.flush().await;
            tokio::time::sleep(stall).await;
        }
    }
    let _ = stream.shutdown().await;
}

/// Reads one request (head and `Content-Length` body); false if the peer went away.
async fn read_request(stream: &mut TcpStream) -> bool {
    let mut buffer = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        match stream.read(&mut chunk).await {
            Ok(0) | Err(_) => return false,
            Ok(n) => buffer.extend_from_slice(&chunk[..n]),
        }
        if let Some(position) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            break position + 4;
        }
    };
    let head = String::from_utf8_lossy(&buffer[..head_end]).to_ascii_lowercase();
    let length: usize = head
        .lines()
        .find_map(|line| line.strip_prefix("content-length:"))
        .and_then(|value| value.trim().parse().ok())
        .unwrap_or(0);
    while buffer.len() < head_end + length {
        match stream.read(&mut chunk).await {
            Ok(0) | Err(_) => return false,
            Ok(n) => buffer.extend_from_slice(&chunk[..n]),
        }
    }
    true
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        _ => "Status",
    }
}

/// A reply that sends `status` with a declared body of `length` bytes, writes `sent` of them,
/// then waits `stall` before closing: an error body that never arrives.
pub async fn stalled_error_server(status: u16, sent: usize, stall: Duration) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind 127.0.0.1");
    let address = listener.local_addr().expect("local address");
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            tokio::spawn(async move {
                if !read_request(&mut stream).await {
                    return;
                }
                let body = "x".repeat(sent);
                let head = format!(
                    "HTTP/1.1 {status} {}\r\nContent-Length: {}\r\nContent-Type: text/html\r\n\r\n",
                    reason(status),
                    sent + 1000
                );
                let _ = stream.write_all(format!("{head}{body}").as_bytes()).await;
                let _ = stream.flush().await;
                tokio::time::sleep(stall).await;
            });
        }
    });
    format!("http://{address}/v1")
}

/// A server answering `200` with a body of `size` bytes, chunked or with its length declared,
/// counting the bytes it managed to write.
pub async fn huge_body_server(size: usize, declare_length: bool) -> (String, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind 127.0.0.1");
    let address = listener.local_addr().expect("local address");
    let written = Arc::new(AtomicUsize::new(0));
    let counter = written.clone();
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            let counter = counter.clone();
            tokio::spawn(async move {
                if !read_request(&mut stream).await {
                    return;
                }
                let framing = if declare_length {
                    format!("Content-Length: {size}")
                } else {
                    "Transfer-Encoding: chunked".to_string()
                };
                let head = format!("HTTP/1.1 200 OK\r\n{framing}\r\nContent-Type: application/json\r\n\r\n");
                if stream.write_all(head.as_bytes()).await.is_err() {
                    return;
                }
                let chunk = vec![b' '; 64 * 1024];
                let mut left = size;
                while left > 0 {
                    let n = left.min(chunk.len());
                    let result = if declare_length {
                        stream.write_all(&chunk[..n]).await
                    } else {
                        let framed = [format!("{n:x}\r\n").as_bytes(), &chunk[..n], b"\r\n"].concat();
                        stream.write_all(&framed).await
                    };
                    if result.is_err() {
                        return;
                    }
                    counter.fetch_add(n, Ordering::SeqCst);
                    left -= n;
                }
                if !declare_length {
                    let _ = stream.write_all(b"0\r\n\r\n").await;
                }
            });
        }
    });
    (format!("http://{address}/v1"), written)
}
