//! Python packages for the interoperability tests, installed with pip from pinned
//! requirements (each file's sha256 checked) into the test's target directory, once.
//!
//! Shared by test crates that cannot depend on one another (`#[path]`-included), so it uses
//! only the standard library.

use std::path::{Path, PathBuf};
use std::process::Command;

/// Installs `requirements` (a requirements file's text, every line pinned with `--hash`) under
/// `base`, unless an earlier run did, and returns the directory to put on `PYTHONPATH`.
/// `marker` is a file the installed packages hold (`mcp/__init__.py`); the directory's name
/// carries a digest of the requirements, so a change of pins installs afresh.
pub fn install(base: &Path, name: &str, requirements: &str, marker: &str) -> PathBuf {
    let pins = requirements
        .bytes()
        .fold(0xcbf2_9ce4_8422_2325_u64, |hash, byte| (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3));
    let target = base.join(format!("{name}-{pins:016x}"));
    if target.join(marker).is_file() {
        return target;
    }
    // Install beside, then move into place, so a concurrent run never sees half of it.
    let staging = base.join(format!("{name}-staging-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&staging);
    std::fs::create_dir_all(&staging).unwrap();
    let requirements_file = staging.join("requirements.txt");
    std::fs::write(&requirements_file, requirements).unwrap();
    let install = staging.join("lib");
    let output = Command::new("python3")
        .args(["-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--no-deps", "--require-hashes"])
        .args(["--only-binary", ":all:", "--target"])
        .arg(&install)
        .arg("-r")
        .arg(&requirements_file)
        .output()
        .expect("python3 runs (the interoperability tests need python3 with pip)");
    assert!(
        output.status.success(),
        "pip could not install {name}:\n{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    if std::fs::rename(&install, &target).is_err() {
        // Another run got there first.
        assert!(target.join(marker).is_file());
    }
    let _ = std::fs::remove_dir_all(&staging);
    target
}
