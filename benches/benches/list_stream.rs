//! Streams 100,000 users from the local stand-in with `get_user_list().limit(n).stream()`, for
//! several page sizes, and reports the users read per second and the peak resident memory of the
//! reading process, which should not grow with the list: only one page is held at a time.
//!
//! The stand-in runs in this process; each reading runs in a child process of this binary, so
//! that its peak memory (`VmHWM` of `/proc/self/status`, Linux only) is the client's alone. The
//! child reports that peak after the first tenth of the users and at the end: equal figures mean
//! memory stayed flat (the kernel keeps its memory counters per CPU and sums them lazily, so the
//! two may differ by some pages either way). A last reading collects every user into a `Vec`
//! instead, for scale. Each reading runs `ROUNDS` times, on a machine that may be busy: the
//! table gives the median throughput and the largest peaks. Writes `list-stream.json` into the
//! target directory's `tmp/` (`CARGO_TARGET_TMPDIR`).
//!
//! `cargo bench -p clerk-benches --bench list_stream`

use std::process::Command;
use std::time::Instant;

use clerk_standin::StandIn;
use futures_util::StreamExt;
use serde_json::{Value, json};

const USERS: usize = 100_000;
const KEY: &str = "sk_test_list_stream_bench";
const PAGE_SIZES: [i64; 3] = [10, 100, 500];
const ROUNDS: usize = 3;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let [_, flag, base_url, limit, mode] = args.as_slice()
        && flag == "--read"
    {
        let limit: i64 = limit.parse().expect("a page size");
        println!("{}", read(base_url, limit, mode == "collect"));
        return;
    }

    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("a runtime");
    let standin = runtime.block_on(StandIn::start(KEY)).expect("the stand-in starts");
    let seeding = Instant::now();
    standin.add_users("bench", USERS);
    let seeded_in = seeding.elapsed().as_secs_f64();
    println!("seeded {USERS} users in {seeded_in:.2} s");

    let mut readings: Vec<Reading> = PAGE_SIZES.iter().map(|limit| measure(&standin, *limit, "stream")).collect();
    readings.push(measure(&standin, 500, "collect"));

    println!(
        "\n| reading | page size | users/s (median of {ROUNDS}) | peak RSS after {} users | peak RSS at the end |",
        USERS / 10
    );
    println!("|---|---|---|---|---|");
    for reading in &readings {
        let what = if reading.mode == "collect" { "collected into a Vec" } else { "streamed" };
        println!(
            "| {what} | {} | {:.0} | {} KiB | {} KiB |",
            reading.limit, reading.users_per_second, reading.peak_rss_kib_at_tenth, reading.peak_rss_kib
        );
    }
    let report = json!({
        "users": USERS,
        "seeding_seconds": seeded_in,
        "readings": readings.iter().map(Reading::to_json).collect::<Vec<_>>(),
    });
    let out = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("list-stream.json");
    std::fs::write(&out, serde_json::to_string_pretty(&report).expect("JSON")).expect("the report is written");
    println!("\nwrote {}", out.display());
    runtime.block_on(standin.shutdown());
}

/// One way of reading, over its rounds: the median throughput and the largest peaks.
struct Reading {
    mode: &'static str,
    limit: i64,
    users_per_second: f64,
    peak_rss_kib_at_tenth: u64,
    peak_rss_kib: u64,
    rounds: Vec<Value>,
}

impl Reading {
    fn to_json(&self) -> Value {
        json!({
            "mode": self.mode,
            "limit": self.limit,
            "users_per_second_median": self.users_per_second,
            "peak_rss_kib_at_tenth": self.peak_rss_kib_at_tenth,
            "peak_rss_kib": self.peak_rss_kib,
            "rounds": self.rounds,
        })
    }
}

fn measure(standin: &StandIn, limit: i64, mode: &'static str) -> Reading {
    let rounds: Vec<Value> = (0..ROUNDS).map(|_| run(standin, limit, mode)).collect();
    let mut rates: Vec<f64> = rounds.iter().map(|round| round["users_per_second"].as_f64().expect("a rate")).collect();
    rates.sort_by(f64::total_cmp);
    let largest = |field: &str| rounds.iter().filter_map(|round| round[field].as_u64()).max().expect("a peak");
    Reading {
        mode,
        limit,
        users_per_second: rates[rates.len() / 2],
        peak_rss_kib_at_tenth: largest("peak_rss_kib_at_tenth"),
        peak_rss_kib: largest("peak_rss_kib"),
        rounds,
    }
}

/// Reads every user in a child process and returns what it reported.
fn run(standin: &StandIn, limit: i64, mode: &str) -> Value {
    let exe = std::env::current_exe().expect("this binary's path");
    let output = Command::new(exe)
        .args(["--read", &standin.base_url(), &limit.to_string(), mode])
        .output()
        .expect("the child runs");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    serde_json::from_slice(&output.stdout).expect("the child reports JSON")
}

/// In the child: reads every user, page after page of `limit`, and reports the time taken and
/// the peak memory.
fn read(base_url: &str, limit: i64, collect: bool) -> Value {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a runtime");
    let client = clerk_api::Client::from_secret_key_with_base_url(KEY, base_url).expect("a client");
    runtime.block_on(async {
        let started = Instant::now();
        let mut users = client.get_user_list().limit(limit).stream();
        let mut kept = Vec::new();
        let mut count = 0;
        let mut at_tenth = None;
        while let Some(user) = users.next().await {
            let user = user.expect("every page reads");
            count += 1;
            if collect {
                kept.push(user);
            }
            if count == USERS / 10 {
                at_tenth = peak_rss_kib();
            }
        }
        let seconds = started.elapsed().as_secs_f64();
        assert_eq!(count, USERS);
        assert_eq!(kept.len(), if collect { USERS } else { 0 });
        json!({
            "limit": limit,
            "mode": if collect { "collect" } else { "stream" },
            "users_per_second": count as f64 / seconds,
            "seconds": seconds,
            "peak_rss_kib_at_tenth": at_tenth,
            "peak_rss_kib": peak_rss_kib(),
        })
    })
}

/// The process's peak resident memory so far, in KiB (Linux: `VmHWM`).
fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|line| line.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}
