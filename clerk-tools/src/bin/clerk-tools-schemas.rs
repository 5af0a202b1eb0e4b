//! Prints the tools' JSON Schemas as derived from their input and output types: what
//! `cargo xtask generate` writes to `clerk-tools/tool-schemas.json`.

fn main() {
    print!("{}", clerk_tools::derived_tool_schemas());
}
