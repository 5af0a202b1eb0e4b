//! The change report between two documents' clients: every change found, each marked additive
//! or breaking, on a fixture written to change one thing of each kind and on two of Clerk's own
//! revisions.

use std::path::{Path, PathBuf};

use xtask::changes::{Changes, compare};
use xtask::{GENERATED_PATH, Source, TYPES_PATH};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
}

/// The client and types generated from a document, with an overlay that fixes nothing (the
/// generic rules are what runs on a new document).
fn generated(relative: &str) -> (syn::File, syn::File) {
    let spec = std::fs::read(root().join(relative)).unwrap();
    let overlay = b"overlay: 1.0.0\ninfo: {title: none, version: '1'}\nactions: []\n";
    let files = xtask::generate(Source { label: relative, bytes: &spec }, Source { label: "overlay", bytes: overlay })
        .unwrap_or_else(|err| panic!("{relative}: {err}"));
    let parse = |path: &str| syn::parse_file(&files.iter().find(|f| f.path == path).unwrap().contents).unwrap();
    (parse(GENERATED_PATH), parse(TYPES_PATH))
}

fn changes(from: &str, to: &str) -> Changes {
    let (old_client, old_types) = generated(from);
    let (new_client, new_types) = generated(to);
    compare(&old_client, &old_types, &new_client, &new_types)
}

#[test]
fn every_kind_of_change_is_found_and_marked() {
    let report = changes("xtask/tests/fixtures/newer-revision.yaml", "xtask/tests/fixtures/newer-revision-next.yaml");
    assert_eq!(
        report.to_string(),
        "\
14 change(s): 9 breaking, 5 additive
  breaking  operation removed: `update_thing` (PATCH /things/{thing_id})
  additive  operation added: `get_thing` (GET /things/{thing_id})
  breaking  `list_things`: parameter removed: `page_token: Option<String>`
  additive  `list_things`: parameter added: `order: Option<String>`
  breaking  `list_things`: required parameter added: `owner: String`
  breaking  struct removed: `UpdateThingBody`
  breaking  enum removed: `UpdateThingBodyKind`
  breaking  struct removed: `UpdateThingResponse`
  breaking  struct removed: `UpdateThingResponseErrorsItem`
  additive  struct added: `GetThingResponse`
  additive  struct added: `GetThingResponseErrorsItem`
  breaking  `Thing.seen_at` removed (`Option<String>`)
  breaking  `Thing.status` changed: `Option<String>` -> `Option<i64>`
  additive  `Thing.size` added: `Option<i64>`
"
    );
    assert_eq!(report.breaking(), 9);
}

#[test]
fn the_same_document_changes_nothing() {
    let report = changes("xtask/tests/fixtures/newer-revision.yaml", "xtask/tests/fixtures/newer-revision.yaml");
    assert_eq!(report, Changes::default());
}

/// Clerk's 2025-11-10 revision to 2026-05-12, the one the committed client comes from.
#[test]
fn clerks_revisions_compare() {
    let report = changes("spec/revisions/clerk-bapi-2025-11-10.yml", "spec/clerk-bapi-2026-05-12.yml");
    let text = report.to_string();
    assert!(text.starts_with("27 change(s): 5 breaking, 22 additive\n"), "{text}");
    for line in [
        "  additive  operation added: `list_directory_group_role_mappings` (GET /directories/{directory_id}/group_role_mappings)",
        "  additive  operation added: `rotate_scim_directory_api_key` (POST /scim_directories/{scim_directory_id}/rotate_api_key)",
        "  additive  struct added: `DirectoryGroupRoleMapping`",
        "  breaking  `UpdateUserBody.public_metadata` removed (`Option<serde_json::Map<String, serde_json::Value>>`)",
    ] {
        assert!(text.contains(&format!("{line}\n")), "lacks {line:?}:\n{text}");
    }
}
