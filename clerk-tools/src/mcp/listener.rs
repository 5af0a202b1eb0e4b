//! Serving HTTP/1 connections so that no client, slow, stalled or many, can hold the server.
//!
//! Every phase a client controls has a limit ([`ServeLimits`]):
//! - the request head (line and headers) must arrive within `header_timeout` of the
//!   connection opening or of the previous answer, which also closes idle keep-alive
//!   connections (hyper's header-read timer);
//! - the body must arrive within the router's body deadline (see [`super::http::router`]);
//! - an answer the client does not take is dropped after `write_stall_timeout` without
//!   progress, or `write_timeout` in all once the socket is full.
//!
//! At most `max_connections` are open at once, by default what the process's open-file limit
//! leaves after [`RESERVED_FILES`] for everything else. At the cap a new connection is still
//! accepted, and the one that has waited longest without a request under way (a stalled or
//! idle one) is closed for it: hundreds of stalled peers cannot keep out a client that
//! means business. Only when every connection has a request under way does the listener wait.
//!
//! Shutdown stops accepting at once, lets requests under way finish for `shutdown_timeout`,
//! then drops whatever is left.

use std::collections::HashMap;
use std::future::Future;
use std::io;
use std::pin::{Pin, pin};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;

use axum::Router;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Notify;
use tokio::task::JoinSet;
use tokio::time::{Instant, Sleep};
use tokio_util::sync::CancellationToken;

/// Open files kept back from the connection cap: stdin, stdout and stderr, the runtime's
/// own, the listener, and the connections to Clerk's API.
pub const RESERVED_FILES: usize = 64;
/// The cap when the open-file limit allows more, or cannot be read.
pub const DEFAULT_MAX_CONNECTIONS: usize = 1024;

/// The limits [`serve`] holds every connection to. The defaults are the documented ones.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ServeLimits {
    /// The longest a request head may take, counted from the connection opening or from the
    /// previous answer (so also the longest a keep-alive connection stays idle). 10 s.
    pub header_timeout: Duration,
    /// The longest an answer may wait for the client to read any of it. 10 s.
    pub write_stall_timeout: Duration,
    /// The longest an answer may wait for the client to read all of it, once the socket is
    /// full. 30 s.
    pub write_timeout: Duration,
    /// How many connections may be open at once. The open-file limit less [`RESERVED_FILES`],
    /// at most [`DEFAULT_MAX_CONNECTIONS`].
    pub max_connections: usize,
    /// How long requests under way may take to finish once shutdown begins. 10 s.
    pub shutdown_timeout: Duration,
}

impl Default for ServeLimits {
    fn default() -> Self {
        let files = open_file_limit().unwrap_or(DEFAULT_MAX_CONNECTIONS + RESERVED_FILES);
        ServeLimits {
            header_timeout: Duration::from_secs(10),
            write_stall_timeout: Duration::from_secs(10),
            write_timeout: Duration::from_secs(30),
            max_connections: files.saturating_sub(RESERVED_FILES).clamp(1, DEFAULT_MAX_CONNECTIONS),
            shutdown_timeout: Duration::from_secs(10),
        }
    }
}

impl ServeLimits {
    /// At most `max` connections at once (at least one).
    #[must_use]
    pub fn max_connections(mut self, max: usize) -> Self {
        self.max_connections = max.max(1);
        self
    }
}

/// The process's soft limit on open files.
#[cfg(unix)]
fn open_file_limit() -> Option<usize> {
    let mut limit = libc::rlimit { rlim_cur: 0, rlim_max: 0 };
    // SAFETY: getrlimit writes one `rlimit` through a pointer to a live, writable one.
    let status = unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) };
    (status == 0).then(|| usize::try_from(limit.rlim_cur).unwrap_or(usize::MAX))
}

#[cfg(not(unix))]
fn open_file_limit() -> Option<usize> {
    None
}

/// Whether `error` says the process (or the system) has no file descriptor left.
#[cfg(unix)]
fn out_of_files(error: &io::Error) -> bool {
    matches!(error.raw_os_error(), Some(code) if code == libc::EMFILE || code == libc::ENFILE)
}

#[cfg(not(unix))]
fn out_of_files(_error: &io::Error) -> bool {
    false
}

/// Serves `app` on `listener` within `limits` until `shutdown` completes, then shuts down
/// as [`ServeLimits::shutdown_timeout`] says. The listener is dropped (and the port closed)
/// as soon as shutdown begins. Nothing stops it before: a failed accept is waited out, and a
/// failed connection is that connection's alone.
pub async fn serve(listener: TcpListener, app: Router, limits: ServeLimits, shutdown: impl Future<Output = ()>) {
    let registry = Arc::new(Registry::default());
    let stopping = CancellationToken::new();
    let mut tasks = JoinSet::new();
    let mut shutdown = pin!(shutdown);
    loop {
        let room = registry.live() < limits.max_connections || registry.has_idle();
        let changed = registry.changed.notified();
        tokio::select! {
            biased;
            () = &mut shutdown => break,
            Some(_) = tasks.join_next(), if !tasks.is_empty() => {}
            () = changed, if !room => {}
            accepted = listener.accept(), if room => match accepted {
                Ok((stream, _)) => {
                    if registry.live() >= limits.max_connections {
                        registry.close_longest_idle();
                    }
                    let (registered, evicted) = registry.add();
                    let connection =
                        serve_connection(stream, app.clone(), limits.clone(), registered, evicted, stopping.clone());
                    tasks.spawn(connection);
                }
                Err(error) => {
                    // Out of file descriptors: make one free. Whatever else failed (a
                    // connection reset before it was accepted), try again shortly.
                    if out_of_files(&error) {
                        registry.close_longest_idle();
                    }
                    tokio::time::sleep(Duration::from_millis(10)).await;
                }
            },
        }
    }
    drop(listener);
    stopping.cancel();
    let drained = async { while tasks.join_next().await.is_some() {} };
    if tokio::time::timeout(limits.shutdown_timeout, drained).await.is_err() {
        tasks.abort_all();
    }
}

/// One connection, until it ends, is closed for another, or shutdown lets it go.
async fn serve_connection(
    stream: TcpStream,
    app: Router,
    limits: ServeLimits,
    registered: Registered,
    evicted: CancellationToken,
    stopping: CancellationToken,
) {
    let _ = stream.set_nodelay(true);
    let io = TokioIo::new(WriteDeadline::new(stream, &limits));
    let shared = Arc::clone(&registered.activity);
    let service = hyper::service::service_fn(move |mut request: hyper::Request<Incoming>| {
        request.extensions_mut().insert(Arc::clone(&shared));
        tower_service::Service::call(&mut app.clone(), request)
    });
    let connection = http1::Builder::new()
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_timeout)
        .serve_connection(io, service);
    let mut connection = pin!(connection);
    tokio::select! {
        _ = connection.as_mut() => {}
        () = evicted.cancelled() => {}
        () = stopping.cancelled() => {
            connection.as_mut().graceful_shutdown();
            tokio::select! {
                _ = connection.as_mut() => {}
                () = evicted.cancelled() => {}
            }
        }
    }
}

/// The connections open, for the cap.
#[derive(Default)]
struct Registry {
    connections: Mutex<HashMap<u64, (Arc<Activity>, CancellationToken)>>,
    next_id: AtomicU64,
    /// Signalled when a connection closes or a request on one ends.
    changed: Notify,
}

/// What the registry knows of one connection: whether a request is under way on it, and
/// since when it has had none. Requests carry it in their extensions, and the router marks
/// one under way once its body is in.
#[derive(Debug)]
pub(crate) struct Activity {
    under_way: AtomicUsize,
    /// Milliseconds since `EPOCH` when the last request ended, or the connection opened.
    idle_since: AtomicU64,
    registry: std::sync::Weak<Registry>,
}

/// Marks a request under way on its connection while it lives.
pub(crate) struct UnderWay(Arc<Activity>);

impl Activity {
    /// Marks a request under way until the returned guard is dropped.
    pub(crate) fn request(self: &Arc<Self>) -> UnderWay {
        self.under_way.fetch_add(1, Ordering::SeqCst);
        UnderWay(Arc::clone(self))
    }

    fn is_idle(&self) -> bool {
        self.under_way.load(Ordering::SeqCst) == 0
    }
}

impl Drop for UnderWay {
    fn drop(&mut self) {
        self.0.idle_since.store(now_millis(), Ordering::SeqCst);
        self.0.under_way.fetch_sub(1, Ordering::SeqCst);
        if let Some(registry) = self.0.registry.upgrade() {
            registry.changed.notify_one();
        }
    }
}

/// A connection's place in the registry, given up on drop.
struct Registered {
    id: u64,
    activity: Arc<Activity>,
    registry: Arc<Registry>,
}

impl Drop for Registered {
    fn drop(&mut self) {
        self.registry.lock().remove(&self.id);
        self.registry.changed.notify_one();
    }
}

impl Registry {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<u64, (Arc<Activity>, CancellationToken)>> {
        // A panic while holding this lock leaves the map as valid as before it.
        self.connections.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn add(self: &Arc<Self>) -> (Registered, CancellationToken) {
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        let activity = Arc::new(Activity {
            under_way: AtomicUsize::new(0),
            idle_since: AtomicU64::new(now_millis()),
            registry: Arc::downgrade(self),
        });
        let evicted = CancellationToken::new();
        self.lock().insert(id, (Arc::clone(&activity), evicted.clone()));
        (Registered { id, activity, registry: Arc::clone(self) }, evicted)
    }

    fn live(&self) -> usize {
        self.lock().len()
    }

    fn has_idle(&self) -> bool {
        self.lock().values().any(|(activity, evicted)| activity.is_idle() && !evicted.is_cancelled())
    }

    /// Closes the connection that has gone longest without a request under way, if any.
    fn close_longest_idle(&self) {
        let connections = self.lock();
        let longest = connections
            .values()
            .filter(|(activity, evicted)| activity.is_idle() && !evicted.is_cancelled())
            .min_by_key(|(activity, _)| activity.idle_since.load(Ordering::SeqCst));
        if let Some((_, evicted)) = longest {
            evicted.cancel();
        }
    }
}

/// Milliseconds on tokio's clock since the first call.
fn now_millis() -> u64 {
    static EPOCH: std::sync::OnceLock<Instant> = std::sync::OnceLock::new();
    let epoch = *EPOCH.get_or_init(Instant::now);
    u64::try_from(epoch.elapsed().as_millis()).unwrap_or(u64::MAX)
}

/// A socket whose writes fail once the client stops taking them: after `stall` without any
/// byte taken, or `total` since the socket filled up without everything offered being
/// taken. Reads are left to hyper's header timer and the router's body deadline.
struct WriteDeadline {
    stream: TcpStream,
    stall: Duration,
    total: Duration,
    /// When the socket last took a byte while full, and when it filled up; `None` while
    /// writes go through.
    stalled_since: Option<Instant>,
    full_since: Option<Instant>,
    timer: Pin<Box<Sleep>>,
}

impl WriteDeadline {
    fn new(stream: TcpStream, limits: &ServeLimits) -> Self {
        WriteDeadline {
            stream,
            stall: limits.write_stall_timeout,
            total: limits.write_timeout,
            stalled_since: None,
            full_since: None,
            timer: Box::pin(tokio::time::sleep(Duration::ZERO)),
        }
    }

    fn after_write(
        &mut self,
        cx: &mut Context<'_>,
        offered: usize,
        result: Poll<io::Result<usize>>,
    ) -> Poll<io::Result<usize>> {
        match result {
            Poll::Ready(Ok(taken)) => {
                self.stalled_since = None;
                if taken == offered {
                    self.full_since = None;
                }
                Poll::Ready(Ok(taken))
            }
            Poll::Ready(Err(error)) => Poll::Ready(Err(error)),
            Poll::Pending => {
                let now = Instant::now();
                let stalled = *self.stalled_since.get_or_insert(now);
                let full = *self.full_since.get_or_insert(now);
                let deadline = (stalled + self.stall).min(full + self.total);
                if self.timer.deadline() != deadline {
                    self.timer.as_mut().reset(deadline);
                }
                if self.timer.as_mut().poll(cx).is_ready() {
                    return Poll::Ready(Err(io::Error::new(io::ErrorKind::TimedOut, "the client stopped reading")));
                }
                Poll::Pending
            }
        }
    }
}

impl AsyncRead for WriteDeadline {
    fn poll_read(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_read(cx, buf)
    }
}

impl AsyncWrite for WriteDeadline {
    fn poll_write(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        let result = Pin::new(&mut self.stream).poll_write(cx, buf);
        self.after_write(cx, buf.len(), result)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let offered = bufs.iter().map(|buf| buf.len()).sum();
        let result = Pin::new(&mut self.stream).poll_write_vectored(cx, bufs);
        self.after_write(cx, offered, result)
    }

    fn is_write_vectored(&self) -> bool {
        self.stream.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_cap_leaves_files_for_the_rest() {
        let limits = ServeLimits::default();
        assert!(limits.max_connections >= 1 && limits.max_connections <= DEFAULT_MAX_CONNECTIONS);
        if let Some(files) = open_file_limit() {
            assert!(limits.max_connections + RESERVED_FILES <= files.max(RESERVED_FILES + 1), "{limits:?}");
        }
        assert_eq!(ServeLimits::default().max_connections(0).max_connections, 1);
    }

    /// A socket pair on loopback; the server's end behind the write deadline.
    async fn pair(stall: Duration, total: Duration) -> (WriteDeadline, TcpStream) {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        // A small receive buffer, so that what the client reads opens the window at once.
        let socket = tokio::net::TcpSocket::new_v4().unwrap();
        socket.set_recv_buffer_size(64 * 1024).unwrap();
        let client = socket.connect(listener.local_addr().unwrap()).await.unwrap();
        let (server, _) = listener.accept().await.unwrap();
        let limits = ServeLimits { write_stall_timeout: stall, write_timeout: total, ..ServeLimits::default() };
        (WriteDeadline::new(server, &limits), client)
    }

    /// Writes until the write fails; how long that took.
    async fn write_until_refused(mut server: WriteDeadline) -> (Duration, io::Error) {
        use tokio::io::AsyncWriteExt;
        let started = Instant::now();
        let chunk = vec![7u8; 64 * 1024];
        loop {
            if let Err(error) = server.write_all(&chunk).await {
                return (started.elapsed(), error);
            }
        }
    }

    #[tokio::test]
    async fn a_client_that_stops_reading_is_dropped_after_the_stall_timeout() {
        let (server, _client) = pair(Duration::from_millis(300), Duration::from_secs(30)).await;
        let (elapsed, error) = write_until_refused(server).await;
        assert_eq!(error.kind(), io::ErrorKind::TimedOut);
        assert!(elapsed >= Duration::from_millis(300) && elapsed < Duration::from_secs(5), "{elapsed:?}");
    }

    #[tokio::test]
    async fn a_client_that_reads_slowly_is_dropped_after_the_write_timeout() {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let (mut server, mut client) = pair(Duration::from_secs(1), Duration::from_millis(2500)).await;
        let reader = tokio::spawn(async move {
            let mut buffer = vec![0u8; 64 * 1024];
            // Steady progress, far too slow to take the whole answer in time.
            while client.read(&mut buffer).await.is_ok_and(|n| n > 0) {
                tokio::time::sleep(Duration::from_millis(10)).await;
            }
        });
        let started = Instant::now();
        let answer = vec![7u8; 64 * 1024 * 1024];
        let error = server.write_all(&answer).await.unwrap_err();
        let elapsed = started.elapsed();
        assert_eq!(error.kind(), io::ErrorKind::TimedOut);
        assert!(elapsed >= Duration::from_millis(2400) && elapsed < Duration::from_secs(8), "{elapsed:?}");
        reader.abort();
    }

    #[tokio::test]
    async fn the_longest_idle_connection_is_closed_first() {
        let registry = Arc::new(Registry::default());
        let (first, first_evicted) = registry.add();
        tokio::time::sleep(Duration::from_millis(5)).await;
        let (second, second_evicted) = registry.add();
        tokio::time::sleep(Duration::from_millis(5)).await;
        let (third, third_evicted) = registry.add();
        let busy = first.activity.request();
        assert_eq!(registry.live(), 3);
        registry.close_longest_idle();
        assert!(!first_evicted.is_cancelled() && second_evicted.is_cancelled() && !third_evicted.is_cancelled());
        drop(second);
        tokio::time::sleep(Duration::from_millis(5)).await;
        drop(busy);
        // The first connection's request has just ended: it is now the most recently idle.
        registry.close_longest_idle();
        assert!(third_evicted.is_cancelled() && !first_evicted.is_cancelled());
        drop(third);
        let _busy = first.activity.request();
        assert!(!registry.has_idle());
        registry.close_longest_idle();
        assert!(!first_evicted.is_cancelled());
        assert_eq!(registry.live(), 1);
    }
}
