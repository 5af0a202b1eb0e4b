//! `cargo xtask`: generation of the clerk-api client, drift check, adopting a newer Clerk
//! document, the revision check and the benchmark report. `cargo xtask --help` lists the
//! commands, `cargo xtask COMMAND --help` explains one.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use xtask::{OVERLAY_PATH, Source};

/// The generator of the clerk-api client, and the checks and reports around it.
#[derive(Parser)]
#[command(name = "cargo xtask", bin_name = "cargo xtask")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Regenerate the client and everything derived from Clerk's documents, or check them.
    ///
    /// Writes clerk-api/src/generated.rs, clerk-api-types/src/generated.rs, clerk-api/API.md,
    /// spec/FIXES.md, the generated [features] regions of clerk-api/Cargo.toml and
    /// clerk-api-types/Cargo.toml, clerk-api/tests/path_parameters/cases.rs, and the webhook
    /// events (clerk-webhooks/src/generated.rs, clerk-webhooks/EVENTS.md) from the documents under
    /// spec/. When the generated API differs from the committed client, prints what changed,
    /// each change marked additive or breaking. Then checks that the new client has every
    /// operation clerk-tools calls (naming those it lacks, and failing, without compiling
    /// anything) and, for the workspace's own client, derives clerk-tools/tool-schemas.json by
    /// building clerk-tools.
    Generate(GenerateArgs),
    /// Make a newer Clerk Backend API document the default, and regenerate.
    ///
    /// Checks that PATH is a dated revision that generates, copies it to
    /// spec/clerk-bapi-<revision>.yml, moves the document it replaces to spec/revisions/, then
    /// regenerates as `generate` does and prints what changed in the generated API. Review the
    /// diff, run `cargo xtask check-revisions`, and commit; `generate --check` then agrees.
    Adopt {
        /// The new document: Clerk's Backend API OpenAPI document, YAML or JSON.
        path: PathBuf,
    },
    /// Check that clerk-tools builds on the client generated from every earlier revision.
    ///
    /// Generates each document in spec/revisions/ into a scratch copy of the workspace and runs
    /// `cargo check -p clerk-tools` there (and `-p clerk-api` on the pre-versioning document
    /// spec/clerk-backend-api.json). The copy and its build go under the target directory
    /// (CARGO_TARGET_DIR when set, else target/), in check-revisions/.
    CheckRevisions,
    /// Run the benchmarks and side-by-side measurements, and rewrite BENCHMARKS.md.
    ///
    /// Needs node and takes about fifteen minutes. Criterion's results, the benches' files and
    /// the scratch builds go under the target directory (CARGO_TARGET_DIR when set, else
    /// target/).
    BenchReport(BenchReportArgs),
}

#[derive(clap::Args)]
struct BenchReportArgs {
    /// Measure only the MCP server (startup, memory, the tool definitions of each selection
    /// beside Clerk's agent toolkit) and print the figures, leaving BENCHMARKS.md as it is.
    #[arg(long)]
    mcp_only: bool,
}

#[derive(clap::Args)]
struct GenerateArgs {
    /// Regenerate in memory and fail with a diff of every committed file that is stale.
    #[arg(long)]
    check: bool,
    /// The Clerk Backend API document, JSON or YAML [default: the spec/clerk-bapi-*.yml file].
    #[arg(long, value_name = "PATH")]
    spec: Option<PathBuf>,
    /// The reviewed fixes to apply [default: the overlay in spec/].
    #[arg(long, value_name = "PATH")]
    overlay: Option<PathBuf>,
    /// Clerk's webhook events document [default: the one in spec/].
    #[arg(long, value_name = "PATH")]
    webhooks_spec: Option<PathBuf>,
    /// Write (or check) the files under DIR instead of the workspace, e.g. to preview a newer
    /// Clerk revision without touching the committed client.
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let root = workspace_root();
    let result = match cli.command {
        Command::Generate(args) => generate(&root, &args),
        Command::Adopt { path } => adopt(&root, &path),
        Command::CheckRevisions => check_revisions(&root),
        Command::BenchReport(args) => bench_report(&root, &args),
    };
    result.unwrap_or_else(|message| {
        eprintln!("error: {message}");
        ExitCode::FAILURE
    })
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
        .find(|dir| dir.join("xtask").is_dir() && dir.join(OVERLAY_PATH).is_file())
        .map(Path::to_path_buf)
        .unwrap_or(start)
}

fn generate(root: &Path, args: &GenerateArgs) -> Result<ExitCode, String> {
    let spec_path = match &args.spec {
        Some(path) => path.clone(),
        None => root.join(xtask::default_spec(root)?),
    };
    // A path given is the user's, from the current directory; a default is the workspace's.
    let overlay_path = args.overlay.clone().unwrap_or_else(|| root.join(OVERLAY_PATH));
    let webhooks_path = args.webhooks_spec.clone().unwrap_or_else(|| root.join(xtask::webhooks::SPEC_PATH));
    let out = args.out.clone().unwrap_or_else(|| root.to_path_buf());
    let read =
        |path: &Path| std::fs::read(path).map_err(|err| format!("{}: cannot read the file: {err}", path.display()));
    let (spec_bytes, overlay_bytes) = (read(&spec_path)?, read(&overlay_path)?);
    let (spec_label, overlay_label) = (label(root, &spec_path), label(root, &overlay_path));
    let started = std::time::Instant::now();
    let mut files = xtask::generate(
        Source { label: &spec_label, bytes: &spec_bytes },
        Source { label: &overlay_label, bytes: &overlay_bytes },
    )
    .map_err(|err| err.to_string())?;
    let (webhooks_bytes, webhooks_label) = (read(&webhooks_path)?, label(root, &webhooks_path));
    let webhooks = Source { label: &webhooks_label, bytes: &webhooks_bytes };
    files.extend(xtask::webhooks::generate_webhooks(webhooks).map_err(|err| err.to_string())?);
    let elapsed = started.elapsed();
    if args.check {
        let drift = xtask::files::check(&out, &files);
        let unmet = xtask::tool_schemas::check_operations(root, &spec_label, &files).err();
        if drift.is_empty() && unmet.is_none() {
            eprintln!("generated files are up to date ({} checked in {elapsed:.2?})", files.len());
            return Ok(ExitCode::SUCCESS);
        }
        for stale in &drift {
            println!("{stale}");
        }
        if let Some(unmet) = unmet {
            eprintln!("error: {unmet}");
        }
        if !drift.is_empty() {
            eprintln!(
                "error: {} generated file(s) are stale; run `cargo xtask generate` and commit the result",
                drift.len()
            );
        }
        return Ok(ExitCode::FAILURE);
    }
    // Compared with the client committed in the workspace, whatever `--out` says: a preview
    // shows what adopting the document would change.
    if let Some(changes) = xtask::changes::from_committed(root, &files)?
        && !changes.changes.is_empty()
    {
        println!("The generated API, from the committed client to {spec_label}:");
        print!("{changes}");
    }
    let written = xtask::files::write(&out, &files).map_err(|err| format!("cannot write generated files: {err}"))?;
    if written.is_empty() {
        eprintln!("generated files were already up to date ({elapsed:.2?})");
    } else {
        eprintln!("wrote {} under {} in {elapsed:.2?}", written.join(", "), out.display());
    }
    // The client is written whatever the tools make of it; they are checked against it only now.
    xtask::tool_schemas::check_operations(root, &spec_label, &files)?;
    if out == root && xtask::tool_schemas::derive(root)? {
        eprintln!("wrote {}", xtask::tool_schemas::PATH);
    }
    Ok(ExitCode::SUCCESS)
}

fn adopt(root: &Path, path: &Path) -> Result<ExitCode, String> {
    let adopted = xtask::adopt::adopt(root, path)?;
    match &adopted.previous {
        Some(previous) => eprintln!("{} is the default document; the one it replaces is {previous}", adopted.spec),
        None => eprintln!("{} is the default document", adopted.spec),
    }
    let args = GenerateArgs { check: false, spec: None, overlay: None, webhooks_spec: None, out: None };
    let code = generate(root, &args)?;
    eprintln!("review `git diff`, run `cargo xtask check-revisions`, and commit");
    Ok(code)
}

fn check_revisions(root: &Path) -> Result<ExitCode, String> {
    let work = xtask::target_dir(root).join("check-revisions");
    let list = xtask::revisions::revisions(root)?;
    let outcomes = xtask::revisions::check(root, &work.join("workspace"), &work.join("target"), &list)?;
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

fn bench_report(root: &Path, args: &BenchReportArgs) -> Result<ExitCode, String> {
    if args.mcp_only {
        for line in xtask::bench_report::mcp_figures(root, &xtask::target_dir(root))? {
            println!("{line}");
        }
        return Ok(ExitCode::SUCCESS);
    }
    let figures = xtask::bench_report::measure(root, &xtask::target_dir(root))?;
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
    Ok(ExitCode::SUCCESS)
}

/// Names a file relative to the workspace when it is inside it, so headers do not depend on
/// where the checkout lives.
fn label(root: &Path, path: &Path) -> String {
    let absolute = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    let root = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
    absolute.strip_prefix(&root).map(|p| p.display().to_string()).unwrap_or_else(|_| path.display().to_string())
}
