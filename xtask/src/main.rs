//! `cargo xtask`: generation of the clerk-api client, drift check and reports.
//!
//! ```text
//! cargo xtask generate [--check] [--spec PATH] [--overlay PATH]
//! ```

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use xtask::{OVERLAY_PATH, SPEC_PATH, Source};

const USAGE: &str =
    "usage: cargo xtask generate [--check] [--spec PATH] [--overlay PATH] [--webhooks-spec PATH] [--out DIR]
       cargo xtask check-revisions
       cargo xtask bench-report

  generate          regenerate clerk-api/src/generated.rs, clerk-api-types/src/generated.rs,
                    clerk-api/API.md, spec/FIXES.md, the generated [features] regions of
                    clerk-api/Cargo.toml and clerk-api-types/Cargo.toml, and
                    clerk-webhooks/src/generated.rs and clerk-webhooks/EVENTS.md from the
                    documents under spec/, then clerk-tools/tool-schemas.json from clerk-tools'
                    input and output types
  --check           regenerate in memory and fail with a diff if a committed file is stale
  --spec PATH       the Clerk OpenAPI document, JSON or YAML (default: spec/clerk-bapi-2026-05-12.yml)
  --overlay PATH    the fixes to apply (default: spec/overlay.yaml)
  --webhooks-spec PATH  Clerk's webhook events document (default: spec/clerk-webhooks-2025-04-15.yml)
  --out DIR         write (or check) the files under DIR instead of the workspace, e.g. to
                    preview a newer Clerk revision without touching the committed client
  check-revisions   generate each revision in spec/revisions/ into a scratch copy of the workspace
                    and check that clerk-tools builds on it (and clerk-api on the seed document)
  bench-report      run the benchmarks and side-by-side measurements, write BENCHMARKS.md";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("generate") => match generate_command(&args[1..]) {
            Ok(code) => code,
            Err(message) => {
                eprintln!("error: {message}");
                ExitCode::FAILURE
            }
        },
        Some("check-revisions") => match check_revisions_command() {
            Ok(code) => code,
            Err(message) => {
                eprintln!("error: {message}");
                ExitCode::FAILURE
            }
        },
        Some("bench-report") => match bench_report_command() {
            Ok(()) => ExitCode::SUCCESS,
            Err(message) => {
                eprintln!("error: {message}");
                ExitCode::FAILURE
            }
        },
        Some("-h" | "--help" | "help") => {
            println!("{USAGE}");
            ExitCode::SUCCESS
        }
        _ => {
            eprintln!("{USAGE}");
            ExitCode::from(2)
        }
    }
}

/// The workspace this run works on. `cargo run` (and so `cargo xtask`) sets
/// `CARGO_MANIFEST_DIR` for the process to the xtask package of the checkout it runs in, one
/// level below the root. The path baked in at compile time would be wrong whenever two
/// checkouts share a target directory: the second would run the first's binary and work on
/// the first's files. Run directly, the binary looks upwards from the current directory.
fn workspace_root() -> PathBuf {
    if let Some(manifest_dir) = std::env::var_os("CARGO_MANIFEST_DIR")
        && let Some(root) = Path::new(&manifest_dir).parent()
    {
        return root.to_path_buf();
    }
    let start = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    start
        .ancestors()
        .find(|dir| dir.join("xtask").is_dir() && dir.join(SPEC_PATH).is_file())
        .map(Path::to_path_buf)
        .unwrap_or(start)
}

fn generate_command(args: &[String]) -> Result<ExitCode, String> {
    let root = workspace_root();
    let mut check = false;
    let mut spec_path = root.join(SPEC_PATH);
    let mut overlay_path = root.join(OVERLAY_PATH);
    let mut webhooks_path = root.join(xtask::webhooks::SPEC_PATH);
    let mut out = root.clone();
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        match arg.as_str() {
            "--check" => check = true,
            "--spec" => spec_path = PathBuf::from(rest.next().ok_or("--spec needs a path")?),
            "--overlay" => overlay_path = PathBuf::from(rest.next().ok_or("--overlay needs a path")?),
            "--webhooks-spec" => webhooks_path = PathBuf::from(rest.next().ok_or("--webhooks-spec needs a path")?),
            "--out" => out = PathBuf::from(rest.next().ok_or("--out needs a directory")?),
            other => return Err(format!("unknown argument `{other}`\n\n{USAGE}")),
        }
    }
    let read =
        |path: &Path| std::fs::read(path).map_err(|err| format!("{}: cannot read the file: {err}", path.display()));
    let spec_bytes = read(&spec_path)?;
    let overlay_bytes = read(&overlay_path)?;
    let spec_label = label(&root, &spec_path);
    let overlay_label = label(&root, &overlay_path);
    let started = std::time::Instant::now();
    let mut files = xtask::generate(
        Source { label: &spec_label, bytes: &spec_bytes },
        Source { label: &overlay_label, bytes: &overlay_bytes },
    )
    .map_err(|err| err.to_string())?;
    let (webhooks_bytes, webhooks_label) = (read(&webhooks_path)?, label(&root, &webhooks_path));
    let webhooks = Source { label: &webhooks_label, bytes: &webhooks_bytes };
    files.extend(xtask::webhooks::generate_webhooks(webhooks).map_err(|err| err.to_string())?);
    let elapsed = started.elapsed();
    if check {
        // The schemas come from clerk-tools' types, which build on the committed client.
        files.push(xtask::tool_schemas::derive(&root)?);
        let drift = xtask::files::check(&out, &files);
        if drift.is_empty() {
            eprintln!("generated files are up to date ({} checked in {elapsed:.2?})", files.len());
            return Ok(ExitCode::SUCCESS);
        }
        for stale in &drift {
            println!("{stale}");
        }
        eprintln!(
            "error: {} generated file(s) are stale; run `cargo xtask generate` and commit the result",
            drift.len()
        );
        return Ok(ExitCode::FAILURE);
    }
    // Compared with the client committed in the workspace, whatever `--out` says: a preview
    // shows what adopting the document would change.
    if let Some(changes) = xtask::changes::from_committed(&root, &files)?
        && !changes.changes.is_empty()
    {
        println!("The generated API, from the committed client to {spec_label}:");
        print!("{changes}");
    }
    let mut written =
        xtask::files::write(&out, &files).map_err(|err| format!("cannot write generated files: {err}"))?;
    // Last, so that clerk-tools (the schemas come from its types) builds on the client just
    // written when that is the workspace's.
    let schemas = xtask::tool_schemas::derive(&root)?;
    written.extend(
        xtask::files::write(&out, std::slice::from_ref(&schemas))
            .map_err(|err| format!("cannot write {}: {err}", schemas.path))?,
    );
    if written.is_empty() {
        eprintln!("generated files were already up to date ({elapsed:.2?})");
    } else {
        eprintln!("wrote {} under {} in {elapsed:.2?}", written.join(", "), out.display());
    }
    Ok(ExitCode::SUCCESS)
}

fn check_revisions_command() -> Result<ExitCode, String> {
    let root = workspace_root();
    let work = root.join("target/check-revisions");
    let list = xtask::revisions::revisions(&root)?;
    let outcomes = xtask::revisions::check(&root, &work.join("workspace"), &work.join("target"), &list)?;
    for outcome in &outcomes {
        if let Some(errors) = &outcome.failure {
            println!("{} does not build on {}:\n{errors}", outcome.revision.package, outcome.revision.spec);
        }
    }
    print!("{}", xtask::revisions::render(&outcomes));
    let failed = outcomes.iter().filter(|o| o.failure.is_some()).count();
    if failed > 0 {
        eprintln!("error: {failed} revision(s) do not build");
        return Ok(ExitCode::FAILURE);
    }
    Ok(ExitCode::SUCCESS)
}

fn bench_report_command() -> Result<(), String> {
    let root = workspace_root();
    let figures = xtask::bench_report::measure(&root)?;
    let date = std::process::Command::new("date")
        .arg("-u")
        .arg("+%Y-%m-%d %H:%M UTC")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_default();
    let notes = std::fs::read_to_string(root.join("benches/NOTES.md")).unwrap_or_default();
    let report = xtask::bench_report::render(&figures, &date, &notes);
    std::fs::write(root.join("BENCHMARKS.md"), &report).map_err(|err| format!("cannot write BENCHMARKS.md: {err}"))?;
    println!("{report}");
    Ok(())
}

/// Names a file relative to the workspace when it is inside it, so headers do not depend on
/// where the checkout lives.
fn label(root: &Path, path: &Path) -> String {
    let absolute = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    let root = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
    absolute.strip_prefix(&root).map(|p| p.display().to_string()).unwrap_or_else(|_| path.display().to_string())
}
