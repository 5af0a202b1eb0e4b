//! The tools' side of generation. `clerk-tools/tool-schemas.json` records every tool as the
//! library describes it, the operations of the client each one calls included; it is written by
//! clerk-tools' own `tool_schemas` test, from the library, and committed.
//!
//! Generation never depends on the tools: the client is written first. Then the operations the
//! tools call are looked up in the new client's table of operations, read from the file, so that
//! a document the tools cannot build on is named plainly, operation by operation, without
//! compiling anything. Only then, for the workspace's own client, the tools are built and the
//! file derived again.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::Command;

use crate::{GENERATED_PATH, GeneratedFile};

/// Where the tools' description is committed, relative to the workspace root.
pub const PATH: &str = "clerk-tools/tool-schemas.json";

/// The command that derives it.
pub const COMMAND: &str = "cargo test -p clerk-tools --test tool_schemas";

/// The environment variable under which the `tool_schemas` test rewrites a stale file and
/// passes, rather than failing.
pub const UPDATE_VAR: &str = "UPDATE_TOOL_SCHEMAS";

/// A tool that calls operations a client lacks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unmet {
    /// The tool (`clerk_list_users`).
    pub tool: String,
    /// The operations it calls that the client does not have, by id.
    pub operations: Vec<String>,
}

/// The operations each tool calls, by tool, as the committed file at `root` records them.
pub fn needed_operations(root: &Path) -> Result<BTreeMap<String, Vec<String>>, String> {
    let path = root.join(PATH);
    let text =
        std::fs::read_to_string(&path).map_err(|err| format!("{}: cannot read the file: {err}", path.display()))?;
    let document: serde_json::Value =
        serde_json::from_str(&text).map_err(|err| format!("{}: not JSON: {err}", path.display()))?;
    let tools = document["tools"].as_object().ok_or_else(|| format!("{}: no `tools` object", path.display()))?;
    tools
        .iter()
        .map(|(tool, entry)| {
            let operations = entry["operations"]
                .as_array()
                .map(|ids| ids.iter().filter_map(|id| id.as_str().map(str::to_string)).collect())
                .ok_or_else(|| format!("{}: `{tool}` has no `operations`", path.display()))?;
            Ok((tool.clone(), operations))
        })
        .collect()
}

/// The ids of the operations in the generated client among `files`: its `OPERATIONS` table.
pub fn client_operations(files: &[GeneratedFile]) -> Result<BTreeSet<String>, String> {
    let client = files
        .iter()
        .find(|file| file.path == GENERATED_PATH)
        .ok_or_else(|| format!("{GENERATED_PATH} was not generated"))?;
    let code = syn::parse_file(&client.contents).map_err(|err| format!("{GENERATED_PATH} does not parse: {err}"))?;
    let table = code
        .items
        .iter()
        .find_map(|item| match item {
            syn::Item::Const(constant) if constant.ident == "OPERATIONS" => Some(&constant.expr),
            _ => None,
        })
        .ok_or_else(|| format!("{GENERATED_PATH} has no OPERATIONS table"))?;
    let syn::Expr::Reference(reference) = table.as_ref() else {
        return Err(format!("{GENERATED_PATH}: OPERATIONS is not a reference to an array"));
    };
    let syn::Expr::Array(entries) = reference.expr.as_ref() else {
        return Err(format!("{GENERATED_PATH}: OPERATIONS is not an array"));
    };
    let ids = entries.elems.iter().filter_map(|entry| match entry {
        syn::Expr::Struct(operation) => operation.fields.iter().find_map(|field| match (&field.member, &field.expr) {
            (syn::Member::Named(name), syn::Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(id), .. })) if name == "id" => {
                Some(id.value())
            }
            _ => None,
        }),
        _ => None,
    });
    Ok(ids.collect())
}

/// The tools that call operations missing from `available`, by tool name.
pub fn unmet(needed: &BTreeMap<String, Vec<String>>, available: &BTreeSet<String>) -> Vec<Unmet> {
    needed
        .iter()
        .filter_map(|(tool, operations)| {
            let missing: Vec<String> = operations.iter().filter(|id| !available.contains(*id)).cloned().collect();
            (!missing.is_empty()).then(|| Unmet { tool: tool.clone(), operations: missing })
        })
        .collect()
}

/// What a reader is told when the tools cannot build on a document.
pub fn render_unmet(spec: &str, unmet: &[Unmet]) -> String {
    let operations: BTreeSet<&str> = unmet.iter().flat_map(|u| u.operations.iter().map(String::as_str)).collect();
    let mut text = format!(
        "clerk-tools cannot build on {spec}: it lacks {} operation(s) that {} tool(s) call:\n",
        operations.len(),
        unmet.len()
    );
    for entry in unmet {
        text.push_str(&format!("  {}: {}\n", entry.tool, entry.operations.join(", ")));
    }
    text.push_str(&format!(
        "{PATH} was left as it was; the tools need these operations before they build on this client."
    ));
    text
}

/// Checks that the client among `files` has every operation the tools call.
pub fn check_operations(root: &Path, spec: &str, files: &[GeneratedFile]) -> Result<(), String> {
    let unmet = unmet(&needed_operations(root)?, &client_operations(files)?);
    if unmet.is_empty() { Ok(()) } else { Err(render_unmet(spec, &unmet)) }
}

/// Builds clerk-tools on the workspace's client and derives `tool-schemas.json` from it, with
/// cargo's progress on the terminal. Whether the file changed.
pub fn derive(root: &Path) -> Result<bool, String> {
    let before = std::fs::read(root.join(PATH)).ok();
    eprintln!("deriving {PATH} from clerk-tools ({COMMAND}; this builds clerk-tools)...");
    let status = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
        .args(["test", "--package", "clerk-tools", "--test", "tool_schemas"])
        .env(UPDATE_VAR, "1")
        .current_dir(root)
        .status()
        .map_err(|err| format!("cannot run cargo: {err}"))?;
    if !status.success() {
        return Err(format!(
            "the client was written, but clerk-tools does not build on it or its schemas could not be derived \
             ({COMMAND} failed; its errors are above)"
        ));
    }
    Ok(std::fs::read(root.join(PATH)).ok() != before)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn client_with(ids: &[&str]) -> GeneratedFile {
        let entries: String = ids
            .iter()
            .map(|id| format!("#[cfg(feature = \"users\")] crate::Operation {{ id: \"{id}\", method: \"GET\" }},"))
            .collect();
        GeneratedFile {
            path: GENERATED_PATH,
            contents: format!("pub const OPERATIONS: &[crate::Operation] = &[{entries}];"),
            region: None,
        }
    }

    #[test]
    fn unmet_operations_are_named_by_tool() {
        let available = client_operations(&[client_with(&["get_user", "get_user_list"])]).unwrap();
        assert_eq!(available, BTreeSet::from(["get_user".to_string(), "get_user_list".to_string()]));
        let needed = BTreeMap::from([
            ("clerk_get_user".to_string(), vec!["get_user".to_string()]),
            ("clerk_list_users".to_string(), vec!["get_user_list".to_string(), "get_users_count".to_string()]),
        ]);
        let unmet = unmet(&needed, &available);
        assert_eq!(unmet, [Unmet { tool: "clerk_list_users".into(), operations: vec!["get_users_count".into()] }]);
        let text = render_unmet("old.json", &unmet);
        assert!(
            text.starts_with("clerk-tools cannot build on old.json: it lacks 1 operation(s) that 1 tool(s) call:\n")
        );
        assert!(text.contains("  clerk_list_users: get_users_count\n"), "{text}");
    }

    #[test]
    fn the_committed_tools_call_only_operations_of_the_committed_client() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
        let client = std::fs::read_to_string(root.join(GENERATED_PATH)).unwrap();
        let files = [GeneratedFile { path: GENERATED_PATH, contents: client, region: None }];
        let needed = needed_operations(root).unwrap();
        assert!(needed.len() >= 39, "{needed:?}");
        assert_eq!(unmet(&needed, &client_operations(&files).unwrap()), []);
    }
}
