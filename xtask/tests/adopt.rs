//! `cargo xtask adopt`: a newer document becomes the default, the one it replaces moves to the
//! earlier revisions, and generation from the new default agrees with what it wrote; a
//! document that is not a dated revision, or does not generate, changes nothing.

use std::path::{Path, PathBuf};

use xtask::adopt::{Adopted, adopt};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
}

/// A workspace with the overlay and `newer-revision.yaml` as its default document.
fn workspace(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("xtask-adopt-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("spec/revisions")).unwrap();
    std::fs::copy(root().join(xtask::OVERLAY_PATH), dir.join(xtask::OVERLAY_PATH)).unwrap();
    std::fs::copy(fixture("newer-revision.yaml"), dir.join("spec/clerk-bapi-2099-01-01.yaml")).unwrap();
    dir
}

fn fixture(name: &str) -> PathBuf {
    root().join("xtask/tests/fixtures").join(name)
}

/// Every file under `dir`, relative, with its bytes.
fn contents(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut found = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(next) = pending.pop() {
        for entry in std::fs::read_dir(next).unwrap().map(Result::unwrap) {
            if entry.file_type().unwrap().is_dir() {
                pending.push(entry.path());
            } else {
                let relative = entry.path().strip_prefix(dir).unwrap().display().to_string();
                found.push((relative, std::fs::read(entry.path()).unwrap()));
            }
        }
    }
    found.sort();
    found
}

fn generate(dir: &Path) -> Vec<xtask::GeneratedFile> {
    let spec = xtask::default_spec(dir).unwrap();
    let bytes = std::fs::read(dir.join(&spec)).unwrap();
    let overlay = std::fs::read(dir.join(xtask::OVERLAY_PATH)).unwrap();
    xtask::generate(
        xtask::Source { label: &spec, bytes: &bytes },
        xtask::Source { label: xtask::OVERLAY_PATH, bytes: &overlay },
    )
    .unwrap()
}

#[test]
fn a_newer_document_becomes_the_default_and_check_agrees() {
    let dir = workspace("newer");
    xtask::files::write(&dir, &generate(&dir)).unwrap();

    let adopted = adopt(&dir, &fixture("newer-revision-next.yaml")).unwrap();
    assert_eq!(
        adopted,
        Adopted {
            spec: "spec/clerk-bapi-2099-02-01.yaml".to_string(),
            previous: Some("spec/revisions/clerk-bapi-2099-01-01.yaml".to_string()),
        }
    );
    assert_eq!(xtask::default_spec(&dir).unwrap(), adopted.spec);
    assert_eq!(
        std::fs::read(dir.join(&adopted.spec)).unwrap(),
        std::fs::read(fixture("newer-revision-next.yaml")).unwrap()
    );
    assert_eq!(
        std::fs::read(dir.join("spec/revisions/clerk-bapi-2099-01-01.yaml")).unwrap(),
        std::fs::read(fixture("newer-revision.yaml")).unwrap()
    );

    // Regenerating from the default, as `adopt` does next, leaves nothing for `--check`.
    let files = generate(&dir);
    let changes = xtask::changes::from_committed(&dir, &files).unwrap().unwrap();
    assert_eq!(changes.breaking(), 9, "{changes}");
    xtask::files::write(&dir, &files).unwrap();
    assert_eq!(xtask::files::check(&dir, &generate(&dir)), []);
    let client = std::fs::read_to_string(dir.join(xtask::GENERATED_PATH)).unwrap();
    assert!(client.contains("// Spec: spec/clerk-bapi-2099-02-01.yaml"), "{}", &client[..300]);
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn a_document_that_cannot_be_the_default_changes_nothing() {
    let dir = workspace("refused");
    let before = contents(&dir);

    let undated = adopt(&dir, &root().join(xtask::SEED_SPEC_PATH)).unwrap_err();
    assert!(undated.contains("adopt takes a dated revision"), "{undated}");

    let broken = dir.join("broken.yml");
    let text = std::fs::read_to_string(fixture("newer-revision-next.yaml")).unwrap();
    std::fs::write(&broken, text.replace("'#/components/schemas/Thing'", "'#/components/schemas/Nothing'")).unwrap();
    let error = adopt(&dir, &broken).unwrap_err();
    assert!(error.contains("does not generate, nothing was adopted"), "{error}");
    std::fs::remove_file(&broken).unwrap();

    assert_eq!(contents(&dir), before);
    std::fs::remove_dir_all(dir).ok();
}
