//! `cargo xtask adopt PATH`: makes a newer revision of Clerk's Backend API document the one the
//! client is generated from. The document is copied into `spec/` under its revision's name
//! (`clerk-bapi-2026-05-12.yml`), the document it replaces moves to `spec/revisions/` (where
//! `cargo xtask check-revisions` keeps building the tools on it), and the caller regenerates.
//! Nothing moves unless the new document generates.

use std::path::Path;

use crate::revisions::REVISIONS_DIR;
use crate::{OVERLAY_PATH, SPEC_DIR, SPEC_PREFIX, Source};

/// What adopting did, relative to the workspace root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Adopted {
    /// The new default document.
    pub spec: String,
    /// Where the document it replaced went, if it moved.
    pub previous: Option<String>,
}

/// Copies `document` into `spec/` as the default, after checking that it is a dated revision
/// that generates, and moves the previous default into `spec/revisions/`.
pub fn adopt(root: &Path, document: &Path) -> Result<Adopted, String> {
    let shown = document.display().to_string();
    let bytes = std::fs::read(document).map_err(|err| format!("{shown}: cannot read the file: {err}"))?;
    let parsed = crate::load::parse_document(&shown, &bytes).map_err(|err| err.to_string())?;
    let version = parsed.pointer("/info/version").and_then(|v| v.as_str()).unwrap_or_default().trim().to_string();
    if !crate::is_dated(&version) {
        return Err(format!(
            "{shown}: `info.version` is `{version}`; adopt takes a dated revision of Clerk's Backend API document \
             (`2026-05-12`)"
        ));
    }
    let extension = match document.extension().and_then(|e| e.to_str()) {
        Some(extension @ ("yml" | "yaml" | "json")) => extension,
        _ => return Err(format!("{shown}: the name must end in .yml, .yaml or .json")),
    };
    let overlay = std::fs::read(root.join(OVERLAY_PATH)).map_err(|err| format!("{OVERLAY_PATH}: {err}"))?;
    crate::generate(Source { label: &shown, bytes: &bytes }, Source { label: OVERLAY_PATH, bytes: &overlay })
        .map_err(|err| format!("{shown} does not generate, nothing was adopted: {err}"))?;

    let spec = format!("{SPEC_DIR}/{SPEC_PREFIX}{version}.{extension}");
    let current = crate::default_spec(root).ok();
    let previous = match current {
        Some(current) if current != spec => {
            let name = Path::new(&current).file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            let moved = format!("{REVISIONS_DIR}/{name}");
            if root.join(&moved).exists() {
                return Err(format!("{moved} exists already; remove it or {current} before adopting"));
            }
            std::fs::rename(root.join(&current), root.join(&moved))
                .map_err(|err| format!("cannot move {current} to {moved}: {err}"))?;
            Some(moved)
        }
        _ => None,
    };
    std::fs::write(root.join(&spec), &bytes).map_err(|err| format!("cannot write {spec}: {err}"))?;
    Ok(Adopted { spec, previous })
}
