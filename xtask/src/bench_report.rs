//! `cargo xtask bench-report`: runs the benchmarks and the side-by-side measurements, and
//! writes `BENCHMARKS.md` with the machine, the figures, the ratios against the targets,
//! dependency-tree sizes and clean build times.
//!
//! Everything is measured in the same run on the same machine, since only ratios are
//! comparable on a shared, noisy machine.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use serde_json::Value;

/// What the report is made of.
#[derive(Debug, Default)]
pub struct Figures {
    /// `(group/name, mean ns, median ns)` per criterion benchmark.
    pub benches: Vec<(String, f64, f64)>,
    /// The interleaved per-call overhead measurement (`benches/benches/overhead_ab.rs`).
    pub overhead_ab: Option<Value>,
    /// The reference mapping under node, microseconds per 500-user page (best of runs).
    pub node_list_users_us: Option<f64>,
    /// Distinct crates in the normal dependency tree: (package, count).
    pub crate_counts: Vec<(String, usize)>,
    /// Clean dev builds in seconds: (what, seconds).
    pub build_seconds: Vec<(String, f64)>,
    /// Clean builds of clerk-tools and clerk-rs 0.5, round by round: (clerk-tools, clerk-rs).
    pub build_rounds: Vec<(f64, f64)>,
    /// `uname`, CPU, memory, toolchain versions.
    pub machine: Vec<(String, String)>,
    /// The summary lines of `clerk-tools/tests/mcp_python/measure.py` on the release program.
    pub mcp: Vec<String>,
}

/// Where Clerk's agent toolkit is pinned (`package.json` and `package-lock.json`), to measure its
/// MCP tool definitions beside ours.
const AGENT_TOOLKIT: &str = "benches/agent-toolkit";

/// Installs Clerk's agent toolkit, as the lockfile pins it, into `dir` (once per lockfile), and
/// returns the path of its local MCP server.
fn agent_toolkit(root: &Path, dir: &Path) -> Result<PathBuf, String> {
    let lock = std::fs::read(root.join(AGENT_TOOLKIT).join("package-lock.json")).map_err(|err| err.to_string())?;
    let server = dir.join("node_modules/@clerk/agent-toolkit/dist/modelcontextprotocol/local-server.js");
    if std::fs::read(dir.join("package-lock.json")).ok().as_deref() != Some(lock.as_slice()) || !server.exists() {
        let _ = std::fs::remove_dir_all(dir);
        std::fs::create_dir_all(dir).map_err(|err| format!("{}: {err}", dir.display()))?;
        for file in ["package.json", "package-lock.json"] {
            std::fs::copy(root.join(AGENT_TOOLKIT).join(file), dir.join(file)).map_err(|err| err.to_string())?;
        }
        run(Command::new("npm").current_dir(dir).args(["ci", "--ignore-scripts", "--no-audit", "--no-fund"]))?;
    }
    Ok(server)
}

/// Builds the release `clerk-tools` and `clerk-standin` programs and runs `measure.py` on the
/// first: startup to `tools/list` and peak memory, over stdio and over HTTP, against the second;
/// then the model-facing size of the tool definitions and the startup of each selection a host
/// can ask for, beside Clerk's agent toolkit's MCP server.
pub fn mcp_figures(root: &Path, target: &Path) -> Result<Vec<String>, String> {
    run(Command::new("cargo").current_dir(root).args([
        "build",
        "--quiet",
        "--release",
        "-p",
        "clerk-tools",
        "--features",
        "cli",
        "-p",
        "clerk-standin",
    ]))?;
    let program = target.join("release/clerk-tools");
    let toolkit = agent_toolkit(root, &target.join("bench-report/agent-toolkit"))?;
    let output = run(Command::new("python3")
        .current_dir(root)
        .arg("clerk-tools/tests/mcp_python/measure.py")
        .arg(&program)
        .arg("10")
        .arg(&toolkit))?;
    Ok(output
        .lines()
        .filter(|line| {
            line.contains(": median") || line.starts_with("tools listed") || line.starts_with("definitions ")
        })
        .map(str::to_string)
        .collect())
}

/// Rounds of the clean builds behind the build-ratio target. A clean build on this machine
/// varies by about 10% from one minute to the next (clerk-rs 0.5 took 66 s to 78 s within one
/// hour), on both sides alike but not in step; the median of five rounds keeps one slow build
/// from deciding.
const BUILD_ROUNDS: usize = 5;

fn median(values: &[f64]) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    match sorted.len() {
        0 => 0.0,
        n if n % 2 == 1 => sorted[n / 2],
        n => (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0,
    }
}

fn run(command: &mut Command) -> Result<String, String> {
    let shown = format!("{command:?}");
    let output = command.output().map_err(|err| format!("{shown}: {err}"))?;
    if !output.status.success() {
        return Err(format!("{shown} failed:\n{}", String::from_utf8_lossy(&output.stderr)));
    }
    Ok(String::from_utf8_lossy(&output.stdout).into_owned())
}

/// Unique crate names in `cargo tree -e normal` of `package`, the package itself excluded.
pub fn count_crates(manifest_dir: &Path, package: &str) -> Result<usize, String> {
    let text = run(Command::new("cargo")
        .current_dir(manifest_dir)
        .args(["tree", "-e", "normal", "--prefix", "none", "-p", package]))?;
    let names: BTreeSet<&str> =
        text.lines().filter_map(|line| line.split_whitespace().next()).filter(|name| *name != package).collect();
    Ok(names.len())
}

/// Seconds of a clean `cargo build -p package` in a fresh target directory, without debug
/// info for every crate so that both sides of a comparison build alike, and without
/// incremental compilation: a crate built as a dependency (clerk-rs in its scratch project,
/// clerk-tools in an application) is never built incrementally, while cargo would build this
/// workspace's own crates incrementally and slower from clean.
pub fn clean_build_seconds(manifest_dir: &Path, scratch: &Path, package: &str) -> Result<f64, String> {
    clean_build_with(manifest_dir, scratch, package, &[], None, Incremental::No)
}

/// Whether a build compiles incrementally, as cargo does a workspace's own crates.
#[derive(Clone, Copy, PartialEq)]
enum Incremental {
    Yes,
    No,
}

/// A clean build with extra cargo arguments (features), in a target directory of its own
/// under `scratch`. With `edit`, the file it names is then changed by one line, the build
/// timed again, and the file restored: the seconds of that rebuild are returned instead.
fn clean_build_with(
    manifest_dir: &Path,
    scratch: &Path,
    package: &str,
    extra: &[&str],
    edit: Option<&Path>,
    incremental: Incremental,
) -> Result<f64, String> {
    let target = scratch.join(format!("clean-build-{package}"));
    let _ = std::fs::remove_dir_all(&target);
    let build = || {
        let started = Instant::now();
        run(Command::new("cargo")
            .current_dir(manifest_dir)
            .env("CARGO_TARGET_DIR", &target)
            .env("CARGO_PROFILE_DEV_DEBUG", "false")
            .env("CARGO_INCREMENTAL", if incremental == Incremental::Yes { "1" } else { "0" })
            .args(["build", "--quiet", "-p", package])
            .args(extra))
        .map(|_| started.elapsed().as_secs_f64())
    };
    let mut seconds = build();
    if let (Ok(_), Some(file)) = (&seconds, edit) {
        let original = std::fs::read(file).map_err(|e| format!("{}: {e}", file.display()))?;
        let mut edited = original.clone();
        edited.extend_from_slice(b"\n// A one-line change, timed by cargo xtask bench-report.\n");
        std::fs::write(file, &edited).map_err(|e| e.to_string())?;
        seconds = build();
        std::fs::write(file, &original).map_err(|e| format!("cannot restore {}: {e}", file.display()))?;
    }
    let _ = std::fs::remove_dir_all(&target);
    seconds
}

/// A scratch project under `scratch` that depends on clerk-rs 0.5, the existing Rust Clerk SDK,
/// for the side-by-side counts and builds. Nothing of it is kept in the repository.
fn clerk_rs_project(scratch: &Path) -> Result<PathBuf, String> {
    let dir = scratch.join("clerk-rs-comparison");
    std::fs::create_dir_all(dir.join("src")).map_err(|e| e.to_string())?;
    std::fs::write(
        dir.join("Cargo.toml"),
        "[package]\nname = \"clerk-rs-comparison\"\nversion = \"0.0.0\"\nedition = \"2021\"\n\n[dependencies]\nclerk-rs = \"0.5\"\n\n[workspace]\n",
    )
    .map_err(|e| e.to_string())?;
    std::fs::write(dir.join("src/lib.rs"), "").map_err(|e| e.to_string())?;
    run(Command::new("cargo").current_dir(&dir).args(["generate-lockfile", "--quiet"]))?;
    Ok(dir)
}

fn criterion_estimates(target: &Path) -> Vec<(String, f64, f64)> {
    let mut found = Vec::new();
    let Ok(groups) = std::fs::read_dir(target.join("criterion")) else { return found };
    for group in groups.flatten() {
        let Ok(benches) = std::fs::read_dir(group.path()) else { continue };
        for bench in benches.flatten() {
            let estimates = bench.path().join("new/estimates.json");
            let Ok(text) = std::fs::read_to_string(&estimates) else { continue };
            let Ok(value) = serde_json::from_str::<Value>(&text) else { continue };
            let point = |key: &str| value[key]["point_estimate"].as_f64().unwrap_or(f64::NAN);
            found.push((
                format!("{}/{}", group.file_name().to_string_lossy(), bench.file_name().to_string_lossy()),
                point("mean"),
                point("median"),
            ));
        }
    }
    found.sort_by(|a, b| a.0.cmp(&b.0));
    found
}

fn node_list_users(root: &Path) -> Option<f64> {
    let script = root.join("../shared/bench/sim_list_users.mjs");
    (0..3)
        .filter_map(|_| {
            let text = run(Command::new("node").arg(&script)).ok()?;
            // "sim-style list_users transform: 1234.5 us per 500-user page (...)"
            text.split("transform: ").nth(1)?.split(" us").next()?.trim().parse::<f64>().ok()
        })
        .reduce(f64::min)
}

fn machine() -> Vec<(String, String)> {
    let first_line = |command: &mut Command| {
        run(command).ok().and_then(|t| t.lines().next().map(str::to_string)).unwrap_or_default()
    };
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let cpu = cpuinfo
        .lines()
        .find_map(|l| l.strip_prefix("model name"))
        .map(|l| l.trim_start_matches([' ', '\t', ':']).to_string())
        .unwrap_or_default();
    let memory = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|t| {
            t.lines().next().map(|l| {
                l.split_whitespace()
                    .nth(1)
                    .and_then(|kb| kb.parse::<f64>().ok())
                    .map(|kb| format!("{:.1} GiB", kb / 1048576.0))
                    .unwrap_or_default()
            })
        })
        .unwrap_or_default();
    vec![
        ("CPU".into(), format!("{cpu} ({} cores)", std::thread::available_parallelism().map(|n| n.get()).unwrap_or(0))),
        ("Memory".into(), memory),
        ("OS".into(), first_line(Command::new("uname").args(["-srm"]))),
        ("rustc".into(), first_line(Command::new("rustc").arg("--version"))),
        ("node".into(), first_line(Command::new("node").arg("--version"))),
    ]
}

/// Measures everything. `root` is the workspace root and `target` the target directory cargo
/// builds it in ([`crate::target_dir`]), where everything the measurements write goes:
/// criterion's results, the benches' own files (in `tmp/`), and the scratch projects and
/// clean builds (in `bench-report/`).
pub fn measure(root: &Path, target: &Path) -> Result<Figures, String> {
    let mut figures = Figures { machine: machine(), ..Figures::default() };
    let scratch = target.join("bench-report");
    eprintln!("running the benchmarks (cargo bench -p clerk-benches)...");
    run(Command::new("cargo").current_dir(root).args(["bench", "--quiet", "-p", "clerk-benches"]))?;
    figures.benches = criterion_estimates(target);
    figures.overhead_ab = std::fs::read_to_string(target.join("tmp/overhead-ab.json"))
        .ok()
        .and_then(|text| serde_json::from_str(&text).ok());
    eprintln!("timing the reference mapping under node...");
    figures.node_list_users_us = node_list_users(root);
    eprintln!("counting dependency trees and timing clean builds...");
    let clerk_rs = clerk_rs_project(&scratch)?;
    figures.crate_counts = vec![
        ("clerk-api".into(), count_crates(root, "clerk-api")?),
        ("clerk-tools (without cli)".into(), count_crates(root, "clerk-tools")?),
        ("clerk-rs 0.5".into(), count_crates(&clerk_rs, "clerk-rs")?),
    ];
    // Side by side in one run: the two TLS providers, then clerk-rs 0.5.
    // The ratio target is timed in rounds, clerk-tools then clerk-rs, so that both sides of
    // each round see the same machine; the medians are reported.
    let mut tools_rounds = Vec::new();
    let mut clerk_rs_rounds = Vec::new();
    for round in 1..=BUILD_ROUNDS {
        eprintln!("clean build round {round} of {BUILD_ROUNDS}...");
        tools_rounds.push(clean_build_seconds(root, &scratch, "clerk-tools")?);
        clerk_rs_rounds.push(clean_build_seconds(&clerk_rs, &scratch, "clerk-rs")?);
    }
    figures.build_rounds = tools_rounds.iter().copied().zip(clerk_rs_rounds.iter().copied()).collect();
    let full = ["--features", "full"];
    // The types crate: a change there rebuilds both crates of the client.
    let api_lib = root.join("clerk-api-types/src/lib.rs");
    figures.build_seconds = vec![
        (
            "clerk-api (every API group)".into(),
            clean_build_with(root, &scratch, "clerk-api", &full, None, Incremental::No)?,
        ),
        (
            "clerk-api and clerk-api-types alone (every API group), their dependencies built".into(),
            clean_build_with(root, &scratch, "clerk-api", &full, Some(&api_lib), Incremental::No)?,
        ),
        (
            "clerk-tools (without cli), rustls on aws-lc-rs".into(),
            clean_build_with(
                root,
                &scratch,
                "clerk-tools",
                &["--no-default-features", "--features", "rustls-aws-lc"],
                None,
                Incremental::No,
            )?,
        ),
        (
            "clerk-tools (without cli), incremental rebuild after a one-line change".into(),
            clean_build_with(
                root,
                &scratch,
                "clerk-tools",
                &[],
                Some(&root.join("clerk-tools/src/input/rules.rs")),
                Incremental::Yes,
            )?,
        ),
    ];
    figures.build_seconds.insert(2, ("clerk-tools (without cli), median of the rounds".into(), median(&tools_rounds)));
    figures.build_seconds.insert(3, ("clerk-rs 0.5, median of the rounds".into(), median(&clerk_rs_rounds)));
    eprintln!("timing the MCP server's startup and memory...");
    figures.mcp = mcp_figures(root, target)?;
    Ok(figures)
}

fn bench(figures: &Figures, name: &str) -> Option<f64> {
    figures.benches.iter().find(|(n, _, _)| n == name).map(|(_, mean, _)| *mean)
}

fn format_duration(ns: f64) -> String {
    if ns >= 1e6 {
        format!("{:.2} ms", ns / 1e6)
    } else if ns >= 1e3 {
        format!("{:.1} µs", ns / 1e3)
    } else {
        format!("{ns:.0} ns")
    }
}

/// Renders `BENCHMARKS.md`; `notes` (the hand-written `benches/NOTES.md`: what the numbers
/// led to) is appended as it is.
pub fn render(figures: &Figures, date: &str, notes: &str) -> String {
    let mut out = format!(
        "# Benchmarks\n\nMeasured by `cargo xtask bench-report` on {date}; every figure below comes from that one run \
         on this machine. The machine is shared and noisy, so the targets are ratios between things measured \
         side by side.\n\n## Machine\n\n| | |\n|---|---|\n"
    );
    for (key, value) in &figures.machine {
        out.push_str(&format!("| {key} | {value} |\n"));
    }
    out.push_str("\n## Targets\n\n| Target | Measured | Met |\n|---|---|---|\n");
    let mut target = |name: &str, measured: String, met: Option<bool>| {
        let verdict = match met {
            Some(true) => "yes",
            Some(false) => "**no**",
            None => "not measured",
        };
        out.push_str(&format!("| {name} | {measured} | {verdict} |\n"));
    };
    let ab = |key: &str| figures.overhead_ab.as_ref().and_then(|v| v[key].as_f64());
    let ratio = ab("ratio_to_bare_value");
    target(
        "tool call ≤ 1.1× a bare reqwest call to the same local server",
        ratio
            .map(|r| {
                format!(
                    "{r:.3}× against a bare call that decodes its answer into a JSON value ({:.1} µs vs {:.1} µs, \
                     medians of interleaved rounds); {:.2}× against one that only reads the bytes ({:.1} µs); \
                     {:.2}× the generated client's own call ({:.1} µs), which is what the tools layer adds",
                    ab("tool_us").unwrap_or(0.0),
                    ab("bare_value_us").unwrap_or(0.0),
                    ab("ratio_to_bare_bytes").unwrap_or(0.0),
                    ab("bare_bytes_us").unwrap_or(0.0),
                    ab("ratio_to_generated_client").unwrap_or(0.0),
                    ab("generated_us").unwrap_or(0.0)
                )
            })
            .unwrap_or_default(),
        ratio.map(|r| r <= 1.1),
    );
    let rust_list = bench(figures, "transforms/list_users_500");
    let speedup = rust_list.zip(figures.node_list_users_us).map(|(rust, node)| node * 1e3 / rust);
    target(
        "list_users transform of users-500.json ≥ 3× faster than the reference mapping under node",
        speedup
            .map(|s| {
                format!(
                    "{s:.2}× ({} vs {:.1} µs under node)",
                    format_duration(rust_list.unwrap_or(0.0)),
                    figures.node_list_users_us.unwrap_or(0.0)
                )
            })
            .unwrap_or_default(),
        speedup.map(|s| s >= 3.0),
    );
    let generation = bench(figures, "generation/end_to_end");
    target(
        "end-to-end generation of the bundled spec < 1 s (release)",
        generation.map(format_duration).unwrap_or_default(),
        generation.map(|ns| ns < 1e9),
    );
    let count = |name: &str| figures.crate_counts.iter().find(|(n, _)| n == name).map(|(_, c)| *c);
    let tools_count = count("clerk-tools (without cli)");
    let clerk_rs_count = count("clerk-rs 0.5");
    target(
        "clerk-tools (without cli) ≤ 96 distinct crates (0.75× clerk-rs 0.5's 128)",
        tools_count
            .map(|c| format!("{c} crates (clerk-rs 0.5 measured here: {})", clerk_rs_count.unwrap_or(0)))
            .unwrap_or_default(),
        tools_count.map(|c| c <= 96),
    );
    let build = |name: &str| figures.build_seconds.iter().find(|(n, _)| n == name).map(|(_, s)| *s);
    let tools_build = build("clerk-tools (without cli), median of the rounds");
    let clerk_rs_build = build("clerk-rs 0.5, median of the rounds");
    let ratios: Vec<f64> = figures.build_rounds.iter().map(|(tools, clerk_rs)| tools / clerk_rs).collect();
    let build_ratio = (!ratios.is_empty()).then(|| median(&ratios));
    target(
        "clean build of clerk-tools (without cli) at most 0.40× clerk-rs 0.5's",
        build_ratio
            .map(|r| {
                format!(
                    "{r:.2}×, the median of {} rounds ({}; medians {:.0} s vs {:.0} s)",
                    ratios.len(),
                    ratios.iter().map(|r| format!("{r:.2}×")).collect::<Vec<_>>().join(", "),
                    tools_build.unwrap_or(0.0),
                    clerk_rs_build.unwrap_or(0.0)
                )
            })
            .unwrap_or_default(),
        build_ratio.map(|r| r <= 0.40),
    );
    // The MCP budgets, from measure.py's lines.
    let mcp_figure = |prefix: &str, before: &str| -> Option<f64> {
        let line = figures.mcp.iter().find(|line| line.starts_with(prefix))?;
        line[prefix.len()..].split(before).next()?.split_whitespace().last()?.parse().ok()
    };
    let definitions = |selection: &str| mcp_figure(&format!("definitions {selection}: "), " KB model-facing");
    for (selection, limit) in [("default", 28.0), ("--dynamic", 4.0)] {
        let size = definitions(selection);
        target(
            &format!("MCP tool definitions ({selection}) ≤ {limit} KB model-facing"),
            size.map(|kb| format!("{kb:.1} KB")).unwrap_or_default(),
            size.map(|kb| kb <= limit),
        );
    }
    let startup = |selection: &str| mcp_figure(&format!("{selection} startup (spawn to tools/list): median "), " ms");
    let (default_startup, all_startup) = (startup("default"), startup("--toolsets all"));
    let startup_ratio = default_startup.zip(all_startup).map(|(default, all)| all / default);
    target(
        "MCP server with --toolsets all starts (spawn to answered tools/list) in ≤ 2× the default server's time",
        startup_ratio
            .map(|r| {
                format!(
                    "{r:.2}× ({:.1} ms vs {:.1} ms, medians of 10)",
                    all_startup.unwrap_or(0.0),
                    default_startup.unwrap_or(0.0)
                )
            })
            .unwrap_or_default(),
        startup_ratio.map(|r| r <= 2.0),
    );

    out.push_str("\n## Benchmarks (criterion, mean and median)\n\n| Benchmark | Mean | Median |\n|---|---|---|\n");
    for (name, mean, median) in &figures.benches {
        out.push_str(&format!("| `{name}` | {} | {} |\n", format_duration(*mean), format_duration(*median)));
    }
    if let Some(node) = figures.node_list_users_us {
        out.push_str(&format!(
            "| reference mapping under node (`shared/bench/sim_list_users.mjs`, best of 3) | {node:.1} µs | |\n"
        ));
    }
    out.push_str("\n## Dependency trees (`cargo tree -e normal`, distinct crate names, the package itself excluded)\n\n| Package | Crates |\n|---|---|\n");
    for (name, count) in &figures.crate_counts {
        out.push_str(&format!("| {name} | {count} |\n"));
    }
    out.push_str("\n## Clean builds (`cargo build -p PACKAGE`, dev profile without debug info, fresh target directory, not incremental: as a dependency builds)\n\n| Package | Seconds |\n|---|---|\n");
    for (name, seconds) in &figures.build_seconds {
        out.push_str(&format!("| {name} | {seconds:.1} |\n"));
    }
    if !figures.mcp.is_empty() {
        out.push_str(
            "\n## MCP server (`clerk-tools mcp`, release; `clerk-tools/tests/mcp_python/measure.py`, 10 runs)\n\n",
        );
        for line in &figures.mcp {
            out.push_str(&format!("- {line}\n"));
        }
    }
    out.push_str(
        "\n## What is measured\n\n\
         - `generation/*`: each stage on `spec/` (parse spec and overlay; apply fixes and rules; read as OpenAPI; \
         progenitor; prettyplease), then all of them with the inventory and report (`end_to_end`).\n\
         - `transforms/*`: bytes of Clerk JSON in, contract JSON bytes out: serde decoding into the generated \
         types, the mapping, and serialisation. `list_users_500` maps a page of 500 users built from \
         `benches/data/user.json`, byte for byte the page the node script maps.\n\
         - `call_overhead/*` and the overhead target: `clerk_get_user` through `ClerkTools` (validation, the \
         generated client, typed decoding, the mapping) against a minimal keep-alive server on 127.0.0.1, \
         beside a bare `reqwest` GET of the same URL with the same header to the same server: once reading \
         only the body's bytes, once decoding them into a `serde_json::Value` as any caller must before using \
         them. Separate criterion runs of these drift by ±15 % on this machine, so the target is taken from \
         `benches/benches/overhead_ab.rs`, which alternates them (and the generated client's own call) in 40 rounds of 200 calls and takes the \
         median of the per-round ratios.\n",
    );
    if !notes.trim().is_empty() {
        out.push('\n');
        out.push_str(notes.trim_end());
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_mcp_budgets_are_read_from_the_measured_lines() {
        let figures = Figures {
            mcp: [
                "definitions default: 39 tools, 26.5 KB model-facing, 89.1 KB as listed (output schemas and annotations too)",
                "default startup (spawn to tools/list): median 6.2 ms (min 5.3, max 7.8)",
                "definitions --dynamic: 3 tools, 4.1 KB model-facing, 1.6 KB as listed (output schemas and annotations too)",
                "--toolsets all startup (spawn to tools/list): median 11.9 ms (min 10.0, max 13.4)",
            ]
            .map(String::from)
            .to_vec(),
            ..Figures::default()
        };
        let report = render(&figures, "today", "");
        assert!(report.contains("| MCP tool definitions (default) ≤ 28 KB model-facing | 26.5 KB | yes |"), "{report}");
        assert!(
            report.contains("| MCP tool definitions (--dynamic) ≤ 4 KB model-facing | 4.1 KB | **no** |"),
            "{report}"
        );
        assert!(report.contains("| 1.92× (11.9 ms vs 6.2 ms, medians of 10) | yes |"), "{report}");
    }
}
