//! Writing generated files, or checking that the committed ones are current.
//!
//! Like rust-analyzer's `ensure_file_contents`: in check mode a stale file is reported with a
//! unified diff and the command that fixes it; otherwise it is rewritten. Line endings are
//! normalised first so a checkout with CRLF endings is not reported as stale.
//!
//! A file can also be generated in part: then only the region between its
//! `# @generated NAME begin` and `# @generated NAME end` lines is generated
//! ([`splice_region`]), the rest stays hand-written, and both the check and the rewrite look
//! at the whole file with the new region in place.

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

/// `text` with the lines from `# @generated NAME begin` through `# @generated NAME end`
/// replaced by `region` (which carries its own marker lines), or `None` when `text` lacks either
/// marker.
pub fn splice_region(text: &str, name: &str, region: &str) -> Option<String> {
    let begin = format!("# @generated {name} begin");
    let end = format!("# @generated {name} end");
    let mut offset = 0;
    let (mut start, mut stop) = (None, None);
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim();
        if start.is_none() && trimmed.starts_with(&begin) {
            start = Some(offset);
        } else if start.is_some() && trimmed == end {
            stop = Some(offset + line.len());
            break;
        }
        offset += line.len();
    }
    let (start, stop) = (start?, stop?);
    Some(format!("{}{region}{}", &text[..start], &text[stop..]))
}

/// What `file` should make of the committed text at its path (`None` when there is none).
/// A region file that does not exist yet (a preview with `--out`) is the region alone.
fn expected(file: &GeneratedFile, committed: Option<&str>) -> Result<String, String> {
    match (file.region, committed) {
        (None, _) | (Some(_), None) => Ok(file.contents.clone()),
        (Some(name), Some(text)) => splice_region(text, name, &file.contents).ok_or_else(|| {
            format!(
                "{} has no `# @generated {name} begin` / `# @generated {name} end` lines; add them where the \
                 generated region belongs",
                file.path
            )
        }),
    }
}

/// Compares each generated file with the one under `root`.
pub fn check(root: &Path, files: &[GeneratedFile]) -> Vec<Drift> {
    files
        .iter()
        .filter_map(|file| {
            let committed = std::fs::read_to_string(root.join(file.path)).map(|t| normalise(&t)).ok();
            let generated = match expected(file, committed.as_deref()) {
                Ok(text) => text,
                Err(message) => return Some(Drift { path: file.path, diff: format!("{message}\n") }),
            };
            let committed = committed.unwrap_or_default();
            (committed != generated).then(|| Drift {
                path: file.path,
                diff: TextDiff::from_lines(&committed, &generated)
                    .unified_diff()
                    .context_radius(3)
                    .header(&format!("a/{} (committed)", file.path), &format!("b/{} (generated)", file.path))
                    .to_string(),
            })
        })
        .collect()
}

/// Writes every file that changed; returns the paths written. A region file without its
/// markers is an error, and is left as it is.
pub fn write(root: &Path, files: &[GeneratedFile]) -> std::io::Result<Vec<&'static str>> {
    let mut written = Vec::new();
    for file in files {
        let path = root.join(file.path);
        let current = std::fs::read_to_string(&path).map(|t| normalise(&t)).ok();
        let contents = expected(file, current.as_deref()).map_err(std::io::Error::other)?;
        if current.as_deref() != Some(contents.as_str()) {
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent)?;
            }
            std::fs::write(&path, &contents)?;
            written.push(file.path);
        }
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    const REGION: &str =
        "# @generated features begin: made by a command\nfull = [\"a\"]\na = []\n# @generated features end\n";

    #[test]
    fn splices_between_the_markers_only() {
        let text = "[package]\nname = \"x\"\n\n[features]\ndefault = [\"full\"]\n# @generated features begin\nold = []\n\
                    # @generated features end\n\n[dependencies]\n";
        assert_eq!(
            splice_region(text, "features", REGION).unwrap(),
            format!("[package]\nname = \"x\"\n\n[features]\ndefault = [\"full\"]\n{REGION}\n[dependencies]\n")
        );
        let spliced = splice_region(text, "features", REGION).unwrap();
        assert_eq!(splice_region(&spliced, "features", REGION).unwrap(), spliced);
    }

    #[test]
    fn a_file_without_markers_is_never_rewritten() {
        assert_eq!(splice_region("[features]\nfull = []\n", "features", REGION), None);
        assert_eq!(splice_region("# @generated features begin\n", "features", REGION), None);
        let file =
            GeneratedFile { path: "clerk-api/Cargo.toml", contents: REGION.to_string(), region: Some("features") };
        let scratch = std::env::temp_dir().join(format!("xtask-region-{}", std::process::id()));
        std::fs::create_dir_all(scratch.join("clerk-api")).unwrap();
        std::fs::write(scratch.join(file.path), "[package]\n").unwrap();
        let drift = check(&scratch, std::slice::from_ref(&file));
        let error = write(&scratch, std::slice::from_ref(&file)).unwrap_err();
        let after = std::fs::read_to_string(scratch.join(file.path)).unwrap();
        std::fs::remove_dir_all(&scratch).ok();
        assert_eq!(after, "[package]\n");
        assert!(drift[0].diff.contains("has no `# @generated features begin`"), "{}", drift[0].diff);
        assert!(error.to_string().contains("add them"), "{error}");
    }
}
