//! Every shell block of README.md and of `docs/`, run exactly as printed, in order, from the
//! workspace root, each in a fresh `bash` with no Clerk variable inherited.
//!
//! A fence's info string says how a block is run (the renderer shows none of it):
//! - ```` ```sh ````: to completion; it must exit 0.
//! - ```` ```sh background ````: a server a reader leaves running in a terminal of its own. It
//!   keeps running until the test ends; its comment lines (`# ...`) are what it prints when
//!   ready, each waited for on stdout or stderr (`...` in one stands for any text).
//! - ```` ```sh ci ````: the set-up commands, which CI runs itself: each must be the start of a
//!   line of `.ci/run` (running `cargo test --workspace` from inside it would never end).
//!
//! The servers listen on the fixed ports the documents give, so the test says so first when
//! one of them is taken.

use std::io::{BufRead, BufReader};
use std::net::TcpListener;
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

use workspace_tests::workspace_root;

/// A cold block may build a program first.
const BUILD_TIME: Duration = Duration::from_secs(900);

/// The ports the documents' servers listen on.
const PORTS: [u16; 4] = [8787, 8788, 8789, 3000];

#[derive(Debug, PartialEq)]
enum Kind {
    Run,
    Background,
    Ci,
}

#[derive(Debug)]
struct Block {
    /// Where it is, for messages: `README.md:42`.
    place: String,
    kind: Kind,
    text: String,
}

/// The shell blocks of a Markdown file, in order.
fn shell_blocks(path: &Path, name: &str) -> Vec<Block> {
    let markdown = std::fs::read_to_string(path).unwrap_or_else(|err| panic!("{name}: {err}"));
    let mut blocks = Vec::new();
    let mut open: Option<(usize, Kind, String)> = None;
    for (index, line) in markdown.lines().enumerate() {
        match (&mut open, line.strip_prefix("```")) {
            (None, Some(info)) => {
                let mut words = info.split_whitespace();
                if words.next() == Some("sh") {
                    let kind = match words.next() {
                        None => Kind::Run,
                        Some("background") => Kind::Background,
                        Some("ci") => Kind::Ci,
                        Some(other) => panic!("{name}:{}: unknown shell block kind {other:?}", index + 1),
                    };
                    open = Some((index + 1, kind, String::new()));
                } else {
                    // Another language: skip to its closing fence.
                    open = Some((0, Kind::Run, String::new()));
                }
            }
            (Some(_), Some("")) => {
                if let Some((start, kind, text)) = open.take()
                    && start > 0
                {
                    blocks.push(Block { place: format!("{name}:{start}"), kind, text });
                }
            }
            (Some((_, _, text)), _) => {
                text.push_str(line);
                text.push('\n');
            }
            (None, None) => {}
        }
    }
    assert!(open.is_none(), "{name}: a code block is not closed");
    blocks
}

/// `bash` on a block, in its own process group so that everything it starts can be stopped.
fn bash(block: &Block) -> Command {
    let mut command = Command::new("bash");
    command.args(["-euo", "pipefail", "-c", &block.text]).current_dir(workspace_root()).process_group(0);
    for (name, _) in std::env::vars() {
        if name.starts_with("CLERK_") {
            command.env_remove(name);
        }
    }
    command
}

/// A block left running, stopped with everything it started when the test ends.
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let group = format!("-{}", self.0.id());
        // The group may be gone already, when the block ended by itself.
        let _ = Command::new("kill").args(["-TERM", "--", &group]).stderr(Stdio::null()).status();
        let _ = self.0.wait();
    }
}

/// Every line a child writes, on stdout or stderr.
fn lines(child: &mut Child) -> Receiver<String> {
    let (sender, lines) = channel();
    let stdout: Box<dyn std::io::Read + Send> = Box::new(child.stdout.take().unwrap());
    let stderr: Box<dyn std::io::Read + Send> = Box::new(child.stderr.take().unwrap());
    for stream in [stdout, stderr] {
        let sender = sender.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stream).lines().map_while(Result::ok) {
                if sender.send(line).is_err() {
                    return;
                }
            }
        });
    }
    lines
}

/// Whether `line` is what `expected` shows, `...` standing for any text.
fn shows(expected: &str, line: &str) -> bool {
    let parts: Vec<&str> = expected.split("...").collect();
    let Some((first, others)) = parts.split_first() else { return false };
    let Some(mut rest) = line.strip_prefix(first) else { return false };
    let Some((last, middle)) = others.split_last() else { return rest.is_empty() };
    for part in middle {
        match rest.find(part) {
            Some(at) => rest = &rest[at + part.len()..],
            None => return false,
        }
    }
    rest.ends_with(last)
}

fn start_in_background(block: &Block) -> Running {
    let mut child = bash(block).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    let output = lines(&mut child);
    let running = Running(child);
    let expected: Vec<&str> = block.text.lines().filter_map(|line| line.strip_prefix("# ")).collect();
    assert!(!expected.is_empty(), "{}: a background block shows what it prints when ready", block.place);
    let mut seen = Vec::new();
    let deadline = Instant::now() + BUILD_TIME;
    for wanted in expected {
        loop {
            if seen.iter().any(|line: &String| shows(wanted, line)) {
                break;
            }
            let left = deadline.saturating_duration_since(Instant::now());
            match output.recv_timeout(left) {
                Ok(line) => seen.push(line),
                Err(_) => panic!("{}: never printed {wanted:?}; it printed:\n{}", block.place, seen.join("\n")),
            }
        }
    }
    // Keep draining, so that a chatty server never blocks on a full pipe.
    std::thread::spawn(move || while output.recv().is_ok() {});
    running
}

fn run_to_completion(block: &Block) {
    let mut child = bash(block).stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    let output = lines(&mut child);
    let mut running = Running(child);
    let deadline = Instant::now() + BUILD_TIME;
    let status = loop {
        if let Some(status) = running.0.try_wait().unwrap() {
            break status;
        }
        assert!(Instant::now() < deadline, "{}: still running after {BUILD_TIME:?}", block.place);
        std::thread::sleep(Duration::from_millis(50));
    };
    let printed: Vec<String> = output.try_iter().collect();
    assert!(status.success(), "{}: {status}\n{}\n{}", block.place, block.text, printed.join("\n"));
}

fn documents() -> Vec<(String, std::path::PathBuf)> {
    let root = workspace_root();
    let mut documents = vec![("README.md".to_string(), root.join("README.md"))];
    let mut docs: Vec<_> = std::fs::read_dir(root.join("docs"))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|extension| extension == "md"))
        .collect();
    docs.sort();
    documents
        .extend(docs.into_iter().map(|path| (format!("docs/{}", path.file_name().unwrap().to_string_lossy()), path)));
    documents
}

#[test]
fn every_shell_block_runs_as_printed() {
    for port in PORTS {
        assert!(
            TcpListener::bind(("127.0.0.1", port)).is_ok(),
            "port {port} is taken: the documents' servers listen on {PORTS:?}"
        );
    }
    let ci = std::fs::read_to_string(workspace_root().join(".ci/run")).unwrap();
    let mut servers = Vec::new();
    let mut ran: Vec<(String, Kind)> = Vec::new();
    for (name, path) in documents() {
        for block in shell_blocks(&path, &name) {
            match block.kind {
                Kind::Ci => {
                    for command in block.text.lines().map(|line| line.split(" #").next().unwrap_or_default().trim()) {
                        if !command.is_empty() {
                            assert!(
                                ci.lines().any(|line| line.starts_with(command)),
                                "{}: `{command}` is not what .ci/run runs",
                                block.place
                            );
                        }
                    }
                }
                Kind::Background => servers.push(start_in_background(&block)),
                Kind::Run => run_to_completion(&block),
            }
            ran.push((block.place, block.kind));
        }
    }
    // The stand-in, MCP over HTTP, the webhook endpoint and its stand-in; the tool calls, the
    // webhook's change and the quick xtask block; the set-up commands.
    let count = |kind: Kind| ran.iter().filter(|(_, ran)| *ran == kind).count();
    assert!(count(Kind::Background) >= 4 && count(Kind::Run) >= 3 && count(Kind::Ci) >= 1, "{ran:?}");
    drop(servers);
}

#[test]
fn blank_lines_and_fences_are_read_as_markdown_does() {
    let dir = std::env::temp_dir().join(format!("readme-blocks-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("doc.md");
    std::fs::write(
        &path,
        "text\n```sh\necho one\n\necho two\n```\n```rust\n```sh\n```\n```\n```sh\n```\n```sh background\nserve\n# READY=...\n```\n```sh ci\ncargo test\n```\n",
    )
    .unwrap();
    let blocks = shell_blocks(&path, "doc.md");
    let summary: Vec<(&str, &Kind, &str)> =
        blocks.iter().map(|block| (block.place.as_str(), &block.kind, block.text.as_str())).collect();
    assert_eq!(
        summary,
        [
            ("doc.md:2", &Kind::Run, "echo one\n\necho two\n"),
            ("doc.md:13", &Kind::Background, "serve\n# READY=...\n"),
            ("doc.md:17", &Kind::Ci, "cargo test\n"),
        ]
    );
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn an_ellipsis_stands_for_any_text() {
    assert!(shows("CLERK_API_URL=http://127.0.0.1:8787/v1", "CLERK_API_URL=http://127.0.0.1:8787/v1"));
    assert!(!shows("CLERK_API_URL=http://127.0.0.1:8787/v1", "CLERK_API_URL=http://127.0.0.1:8787/v12"));
    assert!(!shows("CLERK_API_URL=http://127.0.0.1:8787/v1", "x CLERK_API_URL=http://127.0.0.1:8787/v1"));
    assert!(shows("user created: user_...", "user created: user_2abc"));
    assert!(shows("listening on ...:3000/...", "listening on http://127.0.0.1:3000/webhooks/clerk"));
    assert!(!shows("listening on ...:3000/...", "listening on http://127.0.0.1:3001/webhooks/clerk"));
    assert!(!shows("user created: user_...", "user deleted: user_2abc"));
}
