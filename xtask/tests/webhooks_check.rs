//! `cargo xtask generate` covers the webhook event types: `--check` reports a stale webhook
//! file with its diff, and a broken `--webhooks-spec` is located and writes nothing.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use xtask::webhooks::{GENERATED_PATH, INVENTORY_PATH, SPEC_PATH};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
}

fn xtask(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xtask")).args(args).current_dir(root()).output().expect("xtask runs")
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("xtask-webhooks-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn check_reports_a_stale_webhook_file() {
    let out = scratch("check");
    for path in xtask::API_PATHS.into_iter().chain([GENERATED_PATH, INVENTORY_PATH, xtask::tool_schemas::PATH]) {
        std::fs::create_dir_all(out.join(path).parent().unwrap()).unwrap();
        std::fs::copy(root().join(path), out.join(path)).unwrap();
    }
    let inventory = std::fs::read_to_string(out.join(INVENTORY_PATH)).unwrap();
    let victim = inventory.lines().find(|l| l.starts_with("| `user.created` |")).unwrap().to_string();
    std::fs::write(out.join(INVENTORY_PATH), inventory.replace(&format!("{victim}\n"), "")).unwrap();

    let output = xtask(&["generate", "--check", "--out", out.to_str().unwrap()]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success());
    assert!(stdout.contains("clerk-webhooks/EVENTS.md is stale; run `cargo xtask generate` to update it:"), "{stdout}");
    assert!(stdout.contains(&format!("+{victim}")), "{stdout}");
    assert!(stderr.contains("1 generated file(s) are stale"), "{stderr}");
    std::fs::remove_dir_all(out).ok();
}

#[test]
fn a_broken_webhooks_spec_is_located_and_nothing_is_written() {
    let before = std::fs::read(root().join(GENERATED_PATH)).unwrap();
    let text = std::fs::read_to_string(root().join(SPEC_PATH)).unwrap();
    let dir = scratch("broken");
    let spec = dir.join("webhooks.yml");
    // An unclosed flow sequence on line 3.
    let broken: Vec<&str> = text.lines().enumerate().map(|(i, l)| if i == 2 { "info: [" } else { l }).collect();
    std::fs::write(&spec, broken.join("\n")).unwrap();
    let output = xtask(&["generate", "--webhooks-spec", spec.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success(), "{stderr}");
    assert!(stderr.starts_with(&format!("error: {}:", spec.display())), "{stderr}");
    assert_eq!(std::fs::read(root().join(GENERATED_PATH)).unwrap(), before, "a failed generation must write nothing");
    std::fs::remove_dir_all(dir).ok();
}
