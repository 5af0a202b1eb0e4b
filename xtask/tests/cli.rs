//! `cargo xtask generate` as a user runs it: located errors on bad input, nothing written,
//! and `--check` failing with a diff on stale files.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
}

fn xtask(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xtask")).args(args).current_dir(root()).output().expect("xtask runs")
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("xtask-cli-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The committed generated files, byte for byte.
fn committed() -> Vec<Vec<u8>> {
    xtask::API_PATHS.iter().map(|p| std::fs::read(root().join(p)).unwrap()).collect()
}

/// Runs generation on a bad spec and returns the (line, column) it reported.
fn rejected_location(spec: &Path) -> (usize, usize) {
    let before = committed();
    let output = xtask(&["generate", "--spec", spec.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success(), "bad spec accepted: {stderr}");
    assert_eq!(committed(), before, "a failed generation must write nothing");
    let prefix = format!("error: {}:", spec.display());
    let located =
        stderr.strip_prefix(&prefix).unwrap_or_else(|| panic!("expected `{prefix}LINE:COLUMN: ...`, got: {stderr}"));
    let mut numbers = located.splitn(3, ':').map(|n| n.parse::<usize>());
    match (numbers.next(), numbers.next()) {
        (Some(Ok(line)), Some(Ok(column))) => (line, column),
        _ => panic!("no line and column in: {stderr}"),
    }
}

#[test]
fn truncated_spec_is_rejected_with_its_location_and_nothing_is_written() {
    let text = std::fs::read_to_string(root().join(xtask::SEED_SPEC_PATH)).unwrap();
    let cut: String = text.lines().take(3000).collect::<Vec<_>>().join("\n");
    let dir = scratch("truncated");
    let spec = dir.join("truncated.json");
    std::fs::write(&spec, format!("{cut}\n")).unwrap();
    // The document ends inside its mappings; the error points at its last lines.
    let (line, _) = rejected_location(&spec);
    assert!((2995..=3001).contains(&line), "reported line {line}");
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn syntax_error_is_rejected_with_its_location_and_nothing_is_written() {
    let text = std::fs::read_to_string(root().join(xtask::SEED_SPEC_PATH)).unwrap();
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    // Line 40 of the file loses the colon between a key and its value.
    let line = lines[39].clone();
    assert!(line.contains("\": "), "line 40 should be a key/value pair: {line}");
    lines[39] = line.replacen("\": ", "\" ", 1);
    let dir = scratch("syntax");
    let spec = dir.join("broken.json");
    std::fs::write(&spec, lines.join("\n")).unwrap();
    let (line, column) = rejected_location(&spec);
    assert_eq!(line, 40);
    assert!(column > 1);
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn unreadable_spec_is_named() {
    let output = xtask(&["generate", "--spec", "/nonexistent/clerk.yaml"]);
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("/nonexistent/clerk.yaml: cannot read the file"), "{stderr}");
}

#[test]
fn check_passes_on_the_committed_files() {
    let output = xtask(&["generate", "--check"]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stdout));
}

#[test]
fn check_fails_with_a_diff_when_a_generated_line_is_deleted() {
    let out = scratch("check");
    let webhooks = [xtask::webhooks::GENERATED_PATH, xtask::webhooks::INVENTORY_PATH];
    for path in xtask::API_PATHS.into_iter().chain(webhooks).chain([xtask::tool_schemas::PATH]) {
        std::fs::create_dir_all(out.join(path).parent().unwrap()).unwrap();
        std::fs::copy(root().join(path), out.join(path)).unwrap();
    }
    let inventory = std::fs::read_to_string(out.join(xtask::INVENTORY_PATH)).unwrap();
    let victim =
        inventory.lines().find(|l| l.contains("`/users/{user_id}`") && l.starts_with("| `GET`")).unwrap().to_string();
    std::fs::write(out.join(xtask::INVENTORY_PATH), inventory.replace(&format!("{victim}\n"), "")).unwrap();

    let output = xtask(&["generate", "--check", "--out", out.to_str().unwrap()]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success());
    assert!(stdout.contains("clerk-api/API.md is stale; run `cargo xtask generate` to update it:"), "{stdout}");
    assert!(stdout.contains(&format!("+{victim}")), "{stdout}");
    assert!(stderr.contains("1 generated file(s) are stale"), "{stderr}");
    std::fs::remove_dir_all(out).ok();
}

/// A document with every shape a newer Clerk revision brings generates without code changes,
/// and the report says what was adapted.
#[test]
fn a_newer_revision_with_hard_shapes_generates() {
    let spec = std::fs::read(root().join("xtask/tests/fixtures/newer-revision.yaml")).unwrap();
    // Our overlay's fixes are Clerk-specific; the generic rules are under test here.
    let overlay = b"overlay: 1.0.0\ninfo: {title: none, version: '1'}\nactions: []\n";
    let files = xtask::generate(
        xtask::Source { label: "newer-revision.yaml", bytes: &spec },
        xtask::Source { label: "empty-overlay.yaml", bytes: overlay },
    )
    .unwrap_or_else(|err| panic!("{err}"));
    let contents = |path: &str| files.iter().find(|f| f.path == path).unwrap().contents.clone();
    let code = &format!("{}{}", contents(xtask::GENERATED_PATH), contents(xtask::TYPES_PATH));
    let report = &files.iter().find(|f| f.path == xtask::REPORT_PATH).unwrap().contents;
    for expected in [
        "| `PUT` | `/things/{thing_id}/image` | `UploadThingImage` | request body is `multipart/form-data`",
        "parameter `pageToken` dropped",
        "request body sent as `application/json` only",
        // The body-less 500 beside a typed 404 decodes the typed body like every error status.
        "1 decode Clerk's error body for every error status",
        "`default` response (`Errors`) removed",
        "| `Thing.status` | `new`, `old` |",
        "`Thing`",
        "| `Thing.seen_at` | format `date-time` |",
        "pattern `^thing_\\w{27}$`",
    ] {
        assert!(report.contains(expected), "report lacks {expected:?}:\n{report}");
    }
    // No crate beyond the client's own dependencies is needed, and unknown fields are accepted.
    for absent in ["::regress::", "::chrono::", "::uuid::", "deny_unknown_fields)]\npub struct Thing "] {
        assert!(!code.contains(absent), "generated code contains {absent}");
    }
    assert!(code.contains("pub fn list_things(&self)"));
    assert!(code.contains("pub fn update_thing(&self)"));
    assert!(!code.contains("upload_thing_image"));
}

/// The generated `[features]` region of clerk-api's manifest is drift-checked like a whole file,
/// and the hand-written rest of the manifest is not touched by a rewrite.
#[test]
fn check_covers_the_features_region_of_the_manifest() {
    let out = scratch("region");
    let manifest = out.join(xtask::MANIFEST_PATH);
    std::fs::create_dir_all(manifest.parent().unwrap()).unwrap();
    let committed = std::fs::read_to_string(root().join(xtask::MANIFEST_PATH)).unwrap();
    let victim = committed.lines().find(|l| l.starts_with("users = [")).expect("a `users` feature").to_string();
    std::fs::write(&manifest, committed.replace(&format!("{victim}\n"), "").replace("publish = false", "# mine"))
        .unwrap();

    let output = xtask(&["generate", "--check", "--out", out.to_str().unwrap()]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(!output.status.success());
    assert!(stdout.contains("clerk-api/Cargo.toml is stale"), "{stdout}");
    assert!(stdout.contains(&format!("+{victim}")), "{stdout}");

    let output = xtask(&["generate", "--out", out.to_str().unwrap()]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let rewritten = std::fs::read_to_string(&manifest).unwrap();
    assert_eq!(rewritten, committed.replace("publish = false", "# mine"));
    std::fs::remove_dir_all(out).ok();
}

/// The workspace is the one `cargo run` names at run time (`CARGO_MANIFEST_DIR` of the
/// process), not the one the binary was built in: with a target directory shared by two
/// checkouts, the second must not work on the first's files.
#[test]
fn the_workspace_is_found_at_run_time() {
    let other = scratch("other-checkout");
    std::fs::create_dir_all(other.join("xtask")).unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(["generate", "--check"])
        .current_dir(root())
        .env("CARGO_MANIFEST_DIR", other.join("xtask"))
        .output()
        .expect("xtask runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success());
    let expected = format!("{}: cannot list the documents", other.join(xtask::SPEC_DIR).display());
    assert!(stderr.contains(&expected), "expected {expected:?} in: {stderr}");
    std::fs::remove_dir_all(other).ok();
}

/// `--help` on the program and on each command prints its usage and exits 0, without doing
/// anything: `check-revisions --help` writes nothing under the target directory.
#[test]
fn every_command_has_help_and_help_runs_nothing() {
    let target = scratch("help-target");
    for command in [&[][..], &["generate"], &["adopt"], &["check-revisions"], &["bench-report"]] {
        let args: Vec<&str> = command.iter().copied().chain(["--help"]).collect();
        let output = Command::new(env!("CARGO_BIN_EXE_xtask"))
            .args(&args)
            .current_dir(root())
            .env("CARGO_TARGET_DIR", &target)
            .output()
            .expect("xtask runs");
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert!(output.status.success(), "{args:?}: {}", String::from_utf8_lossy(&output.stderr));
        let usage = format!("Usage: cargo xtask {}", command.first().copied().unwrap_or("<COMMAND>"));
        assert!(stdout.contains(&usage), "{args:?}:\n{stdout}");
    }
    assert_eq!(std::fs::read_dir(&target).unwrap().count(), 0, "help wrote under the target directory");
    let output = xtask(&["generate", "--chek"]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("unexpected argument '--chek'") && stderr.contains("'--check'"), "{stderr}");
    let output = xtask(&["generat"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("a similar subcommand exists: 'generate'"));
    std::fs::remove_dir_all(target).ok();
}

/// Generating from another document (here a preview with `--out`) prints what it changes in
/// the generated API against the committed client.
#[test]
fn a_preview_reports_the_changes_against_the_committed_client() {
    let out = scratch("preview");
    let output =
        xtask(&["generate", "--spec", "spec/revisions/clerk-bapi-2025-11-10.yml", "--out", out.to_str().unwrap()]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert!(
        stdout.starts_with(
            "The generated API, from the committed client to spec/revisions/clerk-bapi-2025-11-10.yml:\n\
             27 change(s): 22 breaking, 5 additive\n"
        ),
        "{stdout}"
    );
    assert!(stdout.contains("  breaking  operation removed: `rotate_directory_api_key` (POST /directories/{directory_id}/rotate_api_key)\n"), "{stdout}");
    std::fs::remove_dir_all(out).ok();
}
