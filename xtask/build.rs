//! Reads the versions of the generators from the lockfile, for the headers of the generated
//! files (`PROGENITOR_VERSION`, `TYPIFY_VERSION`): the lockfile says which versions build, so no
//! copy of them is kept by hand.

use std::path::Path;

fn main() {
    let lockfile = Path::new(&std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets it")).join("../Cargo.lock");
    println!("cargo:rerun-if-changed={}", lockfile.display());
    let text = std::fs::read_to_string(&lockfile)
        .unwrap_or_else(|err| panic!("{}: cannot read the lockfile: {err}", lockfile.display()));
    for package in ["progenitor", "typify"] {
        let mut versions = locked_versions(&text, package);
        versions.dedup();
        match versions.as_slice() {
            [version] => println!("cargo:rustc-env={}_VERSION={version}", package.to_uppercase()),
            other => panic!("Cargo.lock must hold one version of {package}, it holds {other:?}"),
        }
    }
}

/// The versions of `package` among the lockfile's `[[package]]` entries.
fn locked_versions(lockfile: &str, package: &str) -> Vec<String> {
    let name = format!("name = \"{package}\"");
    let mut lines = lockfile.lines();
    let mut versions = Vec::new();
    while let Some(line) = lines.next() {
        if line == name
            && let Some(version) = lines.next().and_then(|next| next.strip_prefix("version = \""))
        {
            versions.push(version.trim_end_matches('"').to_string());
        }
    }
    versions
}
