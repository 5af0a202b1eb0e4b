//! `cargo xtask check-revisions`: the hand-written code must build on the client generated
//! from any Clerk revision, not only the one committed. Each dated revision under
//! `spec/revisions/` is generated into a scratch copy of the workspace, where
//! `cargo check -p clerk-tools --features operations` (its generated operation tools included)
//! must pass; the seed document, which predates Clerk's API
//! versions, must still give a `clerk-api` that compiles. Each check's scratch workspace has
//! only the package it builds (and what that package depends on) as members.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use crate::{OVERLAY_PATH, SEED_SPEC_PATH, Source};

/// The folder of Clerk's earlier dated revisions, verbatim.
pub const REVISIONS_DIR: &str = "spec/revisions";

/// One document to check, and the package that must build on the client generated from it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Revision {
    /// The document, relative to the workspace root.
    pub spec: String,
    /// `clerk-tools` for a dated revision, `clerk-api` for the seed.
    pub package: &'static str,
}

/// What checking one revision gave.
#[derive(Debug)]
pub struct Outcome {
    /// The revision checked.
    pub revision: Revision,
    /// Operations in the generated client.
    pub operations: usize,
    /// How long generation and `cargo check` took.
    pub elapsed: Duration,
    /// `None` when it built; cargo's errors otherwise.
    pub failure: Option<String>,
}

/// Every dated revision in `spec/revisions/` (oldest first), then the seed document.
pub fn revisions(root: &Path) -> Result<Vec<Revision>, String> {
    let dir = root.join(REVISIONS_DIR);
    let mut specs: Vec<String> = std::fs::read_dir(&dir)
        .map_err(|err| format!("{}: {err}", dir.display()))?
        .filter_map(Result::ok)
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".yml") || name.ends_with(".yaml") || name.ends_with(".json"))
        .map(|name| format!("{REVISIONS_DIR}/{name}"))
        .collect();
    specs.sort();
    let mut list: Vec<Revision> = specs.into_iter().map(|spec| Revision { spec, package: "clerk-tools" }).collect();
    list.push(Revision { spec: SEED_SPEC_PATH.to_string(), package: "clerk-api" });
    Ok(list)
}

/// Checks each revision in a scratch copy of the workspace at `scratch`, building into
/// `target` (its own target directory, shared by the revisions so dependencies build once).
pub fn check(root: &Path, scratch: &Path, target: &Path, list: &[Revision]) -> Result<Vec<Outcome>, String> {
    if scratch.exists() {
        std::fs::remove_dir_all(scratch).map_err(|err| format!("cannot clear {}: {err}", scratch.display()))?;
    }
    copy_workspace(root, scratch)
        .map_err(|err| format!("cannot copy the workspace to {}: {err}", scratch.display()))?;
    let overlay = std::fs::read(root.join(OVERLAY_PATH)).map_err(|err| format!("{OVERLAY_PATH}: {err}"))?;
    let manifest = std::fs::read_to_string(root.join("Cargo.toml")).map_err(|err| format!("Cargo.toml: {err}"))?;
    let mut outcomes = Vec::new();
    for revision in list {
        let started = Instant::now();
        let spec = std::fs::read(root.join(&revision.spec)).map_err(|err| format!("{}: {err}", revision.spec))?;
        let files = crate::generate(
            Source { label: &revision.spec, bytes: &spec },
            Source { label: OVERLAY_PATH, bytes: &overlay },
        )
        .map_err(|err| format!("{}: generation failed: {err}", revision.spec))?;
        crate::files::write(scratch, &files).map_err(|err| format!("cannot write into the scratch copy: {err}"))?;
        std::fs::write(scratch.join("Cargo.toml"), only_member(&manifest, revision.package)?)
            .map_err(|err| format!("cannot write into the scratch copy: {err}"))?;
        let operations = files
            .iter()
            .find(|file| file.path == crate::INVENTORY_PATH)
            .map(|file| file.contents.lines().filter(|line| line.starts_with("| `")).count())
            .unwrap_or(0);
        eprintln!("checking {} on {} ({operations} operations)", revision.package, revision.spec);
        // clerk-tools with its generated operation tools, which are generated from the same
        // revision.
        let features: &[&str] = if revision.package == "clerk-tools" { &["--features", "operations"] } else { &[] };
        let output = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
            .args(["check", "--package", revision.package, "--quiet", "--message-format", "short"])
            .args(features)
            .current_dir(scratch)
            .env("CARGO_TARGET_DIR", target)
            .output()
            .map_err(|err| format!("cannot run cargo: {err}"))?;
        let failure = (!output.status.success()).then(|| String::from_utf8_lossy(&output.stderr).into_owned());
        outcomes.push(Outcome { revision: revision.clone(), operations, elapsed: started.elapsed(), failure });
    }
    Ok(outcomes)
}

/// The workspace manifest with `package` as its one member (its path dependencies are members
/// too, as cargo makes them): a crate the check does not build, such as clerk-auth, which asks
/// for API groups an older document has no tag for, must not stop it.
fn only_member(manifest: &str, package: &str) -> Result<String, String> {
    let mut replaced = false;
    let lines: Vec<String> = manifest
        .lines()
        .map(|line| {
            if !replaced && line.starts_with("members = [") && line.ends_with(']') {
                replaced = true;
                format!("members = [\"{package}\"]")
            } else {
                line.to_string()
            }
        })
        .collect();
    if !replaced {
        return Err("Cargo.toml: no `members = [...]` line to give the scratch workspace one member".to_string());
    }
    Ok(lines.join("\n") + "\n")
}

/// Copies the workspace's sources, without build output or version control.
fn copy_workspace(from: &Path, to: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name == "target" || name.starts_with('.') && name != ".cargo" {
            continue;
        }
        let source: PathBuf = entry.path();
        if entry.file_type()?.is_dir() {
            copy_workspace(&source, &to.join(&*name))?;
        } else {
            std::fs::copy(&source, to.join(&*name))?;
        }
    }
    Ok(())
}

/// A table of the outcomes, for the terminal.
pub fn render(outcomes: &[Outcome]) -> String {
    let mut out = String::from("revision                                       package      operations  result\n");
    for outcome in outcomes {
        out.push_str(&format!(
            "{:<46} {:<12} {:>10}  {} in {:.0?}\n",
            outcome.revision.spec,
            outcome.revision.package,
            outcome.operations,
            if outcome.failure.is_none() { "builds" } else { "FAILS" },
            outcome.elapsed
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::only_member;

    #[test]
    fn the_scratch_workspace_has_one_member() {
        let manifest = "[workspace]\nresolver = \"3\"\nmembers = [\"a\", \"b\"]\n\n[workspace.package]\n";
        assert_eq!(
            only_member(manifest, "b").unwrap(),
            "[workspace]\nresolver = \"3\"\nmembers = [\"b\"]\n\n[workspace.package]\n"
        );
        assert!(only_member("[workspace]\n", "b").is_err());
    }
}
