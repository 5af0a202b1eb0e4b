//! The tools' JSON Schemas, `clerk-tools/tool-schemas.json`: derived from clerk-tools' input
//! and output types by its `clerk-tools-schemas` program (feature `derive-schemas`, which
//! brings schemars in). The library reads the committed file instead of deriving the schemas
//! when it builds, so its users compile neither schemars nor the derived code.

use std::path::Path;
use std::process::Command;

use crate::GeneratedFile;

/// Where the schemas are committed, relative to the workspace root.
pub const PATH: &str = "clerk-tools/tool-schemas.json";

/// Builds and runs `clerk-tools-schemas` in the workspace at `root` and returns what it prints.
pub fn derive(root: &Path) -> Result<GeneratedFile, String> {
    let output = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
        .args(["run", "--quiet", "--package", "clerk-tools", "--features", "derive-schemas"])
        .args(["--bin", "clerk-tools-schemas"])
        .current_dir(root)
        .output()
        .map_err(|err| format!("cannot run cargo: {err}"))?;
    if !output.status.success() {
        return Err(format!(
            "cannot derive the tool schemas (cargo run -p clerk-tools --features derive-schemas --bin clerk-tools-schemas):\n{}",
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    let contents = String::from_utf8(output.stdout).map_err(|err| format!("the tool schemas are not UTF-8: {err}"))?;
    Ok(GeneratedFile { path: PATH, contents, region: None })
}
