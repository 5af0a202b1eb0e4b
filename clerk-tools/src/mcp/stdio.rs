//! MCP over stdin and stdout: one JSON-RPC message per line each way.
//!
//! rmcp's own line transport drops a line that is not JSON without a word and answers a
//! batch as an invalid request. This one answers every unreadable line with the JSON-RPC error
//! the HTTP transport answers for such a body (`-32700` for what is not JSON, `-32600` for
//! what is not a message), and carries on: a broken line costs the client one error answer,
//! never the session. A line longer than [`MAX_MESSAGE_BYTES`] is skipped unread and
//! answered as too large.

use std::io;

use bytes::{Buf, BytesMut};
use futures_util::StreamExt;
use rmcp::model::{ClientJsonRpcMessage, ServerJsonRpcMessage};
use rmcp::transport::Transport;
use rmcp::{RoleServer, ServiceExt};
use tokio::io::{AsyncRead, AsyncWrite, AsyncWriteExt};
use tokio::sync::mpsc;
use tokio::task::JoinHandle;
use tokio_util::codec::{Decoder, FramedRead};

use super::McpServer;
use super::message::{self, MAX_MESSAGE_BYTES, Unreadable};

/// How many answers may wait for stdout at once before the server stops reading.
const PENDING_LINES: usize = 64;

/// Serves `server` on this process's stdin and stdout until stdin ends.
///
/// A read of stdin cannot be cancelled: a program that stops serving for another reason
/// should not wait for its runtime to finish that read (`Runtime::shutdown_background`).
///
/// # Errors
///
/// When the session cannot start or stdout fails.
pub async fn serve(server: McpServer) -> io::Result<()> {
    serve_on(server, tokio::io::stdin(), tokio::io::stdout()).await
}

/// Serves `server` on any pair of byte streams, one message per line: a pipe, a socket, or a
/// test's in-memory duplex.
///
/// # Errors
///
/// When the session cannot start or writing fails.
pub async fn serve_on<R, W>(server: McpServer, input: R, output: W) -> io::Result<()>
where
    R: AsyncRead + Send + Unpin + 'static,
    W: AsyncWrite + Send + Unpin + 'static,
{
    let running = server.serve(LineTransport::new(input, output)).await.map_err(io::Error::other)?;
    running.waiting().await.map(drop).map_err(io::Error::other)
}

/// The transport: lines in through a codec that never fails on content, lines out through one
/// writer task, so that an answer from the reader and one from the server never interleave
/// and a cancelled send never leaves half a line.
struct LineTransport<R> {
    lines: FramedRead<R, Lines>,
    out: mpsc::Sender<Vec<u8>>,
    /// An answer to an unreadable line, kept until the writer takes it: `receive` may be
    /// cancelled while it waits.
    unsent: Option<Vec<u8>>,
    writer: Option<JoinHandle<io::Result<()>>>,
}

impl<R: AsyncRead + Unpin> LineTransport<R> {
    fn new<W: AsyncWrite + Send + Unpin + 'static>(input: R, output: W) -> Self {
        let (out, pending) = mpsc::channel(PENDING_LINES);
        let writer = tokio::spawn(write_lines(output, pending));
        LineTransport { lines: FramedRead::new(input, Lines::default()), out, unsent: None, writer: Some(writer) }
    }
}

async fn write_lines<W: AsyncWrite + Unpin>(mut output: W, mut pending: mpsc::Receiver<Vec<u8>>) -> io::Result<()> {
    while let Some(mut line) = pending.recv().await {
        line.push(b'\n');
        output.write_all(&line).await?;
        output.flush().await?;
    }
    Ok(())
}

fn closed() -> io::Error {
    io::Error::new(io::ErrorKind::BrokenPipe, "the output is closed")
}

impl<R: AsyncRead + Send + Unpin> Transport<RoleServer> for LineTransport<R> {
    type Error = io::Error;

    fn send(&mut self, item: ServerJsonRpcMessage) -> impl Future<Output = io::Result<()>> + Send + 'static {
        let out = self.out.clone();
        async move {
            let line = serde_json::to_vec(&item).map_err(io::Error::other)?;
            out.send(line).await.map_err(|_| closed())
        }
    }

    async fn receive(&mut self) -> Option<ClientJsonRpcMessage> {
        loop {
            if self.unsent.is_some() {
                let permit = self.out.reserve().await.ok()?;
                permit.send(self.unsent.take()?);
            }
            let line = match self.lines.next().await? {
                Ok(Line::Complete(line)) => line,
                Ok(Line::TooLong) => {
                    self.unsent = Some(message::too_large());
                    continue;
                }
                Err(_) => return None,
            };
            let line = line.strip_suffix(b"\r").unwrap_or(&line);
            if line.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            match message::read(line) {
                Ok(message) => return Some(message),
                Err(Unreadable::Dropped) => {}
                Err(Unreadable::Answer(answer)) => self.unsent = Some(answer),
            }
        }
    }

    async fn close(&mut self) -> io::Result<()> {
        // The writer ends once every sender is gone, after writing what it holds.
        let (out, _) = mpsc::channel(1);
        drop(std::mem::replace(&mut self.out, out));
        match self.writer.take() {
            Some(writer) => writer.await.map_err(io::Error::other)?,
            None => Ok(()),
        }
    }
}

/// One line of input.
#[derive(Debug, PartialEq)]
enum Line {
    /// A whole line, without its `\n`.
    Complete(BytesMut),
    /// A line longer than [`MAX_MESSAGE_BYTES`], skipped.
    TooLong,
}

/// Splits input at `\n` without ever holding more than [`MAX_MESSAGE_BYTES`] of one line:
/// the rest of a longer one is skipped as it arrives. Never fails on content, so one bad line
/// cannot end the stream.
#[derive(Default)]
struct Lines {
    /// How far the buffer was searched already.
    searched: usize,
    /// Inside a line that is too long, until its end.
    skipping: bool,
}

impl Decoder for Lines {
    type Item = Line;
    type Error = io::Error;

    fn decode(&mut self, buffer: &mut BytesMut) -> io::Result<Option<Line>> {
        let newline = buffer[self.searched..].iter().position(|byte| *byte == b'\n').map(|at| at + self.searched);
        match newline {
            Some(at) if self.skipping => {
                buffer.advance(at + 1);
                self.searched = 0;
                self.skipping = false;
                Ok(Some(Line::TooLong))
            }
            Some(at) => {
                let mut line = buffer.split_to(at + 1);
                line.truncate(at);
                self.searched = 0;
                Ok(Some(if at > MAX_MESSAGE_BYTES { Line::TooLong } else { Line::Complete(line) }))
            }
            None if self.skipping || buffer.len() > MAX_MESSAGE_BYTES => {
                buffer.clear();
                self.searched = 0;
                self.skipping = true;
                Ok(None)
            }
            None => {
                self.searched = buffer.len();
                Ok(None)
            }
        }
    }

    fn decode_eof(&mut self, buffer: &mut BytesMut) -> io::Result<Option<Line>> {
        // A last line without its `\n` is taken as a line; what follows it is the end.
        match self.decode(buffer)? {
            Some(line) => Ok(Some(line)),
            None if self.skipping => {
                self.skipping = false;
                Ok(Some(Line::TooLong))
            }
            None if buffer.is_empty() => Ok(None),
            None => {
                let line = buffer.split();
                self.searched = 0;
                Ok(Some(Line::Complete(line)))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode_all(chunks: &[&[u8]]) -> Vec<Line> {
        let mut lines = Lines::default();
        let mut buffer = BytesMut::new();
        let mut out = Vec::new();
        for chunk in chunks {
            buffer.extend_from_slice(chunk);
            while let Some(line) = lines.decode(&mut buffer).unwrap() {
                out.push(line);
            }
        }
        while let Some(line) = lines.decode_eof(&mut buffer).unwrap() {
            out.push(line);
        }
        out
    }

    fn complete(text: &str) -> Line {
        Line::Complete(BytesMut::from(text))
    }

    #[test]
    fn lines_split_at_newlines_across_chunks() {
        assert_eq!(decode_all(&[b"ab", b"c\nde\n", b"f"]), [complete("abc"), complete("de"), complete("f")]);
        assert_eq!(decode_all(&[b"\n\n"]), [complete(""), complete("")]);
    }

    #[test]
    fn a_line_too_long_is_skipped_and_the_next_one_read() {
        let long = vec![b'x'; MAX_MESSAGE_BYTES + 1];
        assert_eq!(decode_all(&[&long[..10], &long[10..], b"\nok\n"]), [Line::TooLong, complete("ok")]);
        let mut at_once = long.clone();
        at_once.extend_from_slice(b"\nok\n");
        assert_eq!(decode_all(&[&at_once]), [Line::TooLong, complete("ok")]);
        assert_eq!(decode_all(&[&long]), [Line::TooLong]);
        let exact = vec![b'x'; MAX_MESSAGE_BYTES];
        assert!(matches!(&decode_all(&[&exact, b"\n"])[..], [Line::Complete(line)] if line.len() == MAX_MESSAGE_BYTES));
    }
}
