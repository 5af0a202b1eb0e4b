//! Writing generated files, or checking that the committed ones are current.
//!
//! Like rust-analyzer's `ensure_file_contents`: in check mode a stale file is reported with a
//! unified diff and the command that fixes it; otherwise it is rewritten. Line endings are
//! normalised first so a checkout with CRLF endings is not reported as stale.

use std::path::Path;

use similar::TextDiff;

use crate::{COMMAND, GeneratedFile};

/// A committed file that differs from what generation produces now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Drift {
    /// Path relative to the workspace root.
    pub path: &'static str,
    /// Unified diff from the committed file to the generated one.
    pub diff: String,
}

impl std::fmt::Display for Drift {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(f, "{} is stale; run `{COMMAND}` to update it:", self.path)?;
        write!(f, "{}", self.diff)
    }
}

fn normalise(text: &str) -> String {
    text.replace("\r\n", "\n")
}

/// Compares each generated file with the one under `root`.
pub fn check(root: &Path, files: &[GeneratedFile]) -> Vec<Drift> {
    files
        .iter()
        .filter_map(|file| {
            let committed = std::fs::read_to_string(root.join(file.path)).map(|t| normalise(&t)).unwrap_or_default();
            (committed != file.contents).then(|| Drift {
                path: file.path,
                diff: TextDiff::from_lines(&committed, &file.contents)
                    .unified_diff()
                    .context_radius(3)
                    .header(&format!("a/{} (committed)", file.path), &format!("b/{} (generated)", file.path))
                    .to_string(),
            })
        })
        .collect()
}

/// Writes every file that changed; returns the paths written.
pub fn write(root: &Path, files: &[GeneratedFile]) -> std::io::Result<Vec<&'static str>> {
    let mut written = Vec::new();
    for file in files {
        let path = root.join(file.path);
        let current = std::fs::read_to_string(&path).map(|t| normalise(&t)).ok();
        if current.as_deref() != Some(file.contents.as_str()) {
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent)?;
            }
            std::fs::write(&path, &file.contents)?;
            written.push(file.path);
        }
    }
    Ok(written)
}
