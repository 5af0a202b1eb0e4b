//! `cargo xtask generate` on a document the tools cannot build on: the client is written all
//! the same, and the operations the tools need that the document lacks are named.

use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
}

#[test]
fn the_pre_versioning_document_generates_and_names_what_the_tools_lack() {
    let out = std::env::temp_dir().join(format!("xtask-tools-unmet-{}", std::process::id()));
    std::fs::create_dir_all(&out).unwrap();
    let committed = std::fs::read(root().join(xtask::tool_schemas::PATH)).unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(["generate", "--spec", xtask::SEED_SPEC_PATH, "--out"])
        .arg(&out)
        .current_dir(root())
        .output()
        .expect("xtask runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success(), "{stderr}");
    for path in xtask::API_PATHS {
        assert!(out.join(path).is_file(), "{path} was not written: {stderr}");
    }
    let plainly = format!("error: clerk-tools cannot build on {}: it lacks ", xtask::SEED_SPEC_PATH);
    assert!(stderr.contains(&plainly), "{stderr}");
    // Version 2026-05-12 split the metadata out of the user update; the seed document has no
    // such operation.
    assert!(stderr.contains("  clerk_update_user: replace_user_metadata\n"), "{stderr}");
    assert!(!stderr.contains("error[E"), "no compiler errors: {stderr}");
    assert_eq!(std::fs::read(root().join(xtask::tool_schemas::PATH)).unwrap(), committed);
    std::fs::remove_dir_all(out).ok();
}
