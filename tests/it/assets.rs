//! The man pages (`man/`) and shell completions (`completions/`) that release archives
//! and the sdist carry are committed, and must be what the CLI writes today.

use std::path::Path;
use std::process::Command;

use crate::util::combined_output;

fn docdex(args: &[&str]) -> Vec<u8> {
    let out = Command::new(env!("CARGO_BIN_EXE_docdex"))
        .args(args)
        .output()
        .unwrap();
    assert!(out.status.success(), "{args:?}: {}", combined_output(&out));
    out.stdout
}

fn committed(path: &str) -> Vec<u8> {
    let full = Path::new(env!("CARGO_MANIFEST_DIR")).join(path);
    std::fs::read(&full).unwrap_or_else(|e| panic!("{path}: {e} (run .ci/assets)"))
}

#[test]
fn committed_man_pages_and_completions_are_what_the_cli_writes() {
    let temp = tempfile::tempdir().unwrap();
    let dir = temp.path().to_str().unwrap();
    docdex(&["man", "--dir", dir]);
    let mut pages: Vec<String> = std::fs::read_dir(temp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    pages.sort();
    let mut ours: Vec<String> =
        std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("man"))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
    ours.sort();
    assert_eq!(
        ours, pages,
        "man/ has other pages than the CLI: run .ci/assets"
    );
    for page in &pages {
        let written = std::fs::read(temp.path().join(page)).unwrap();
        assert!(
            written == committed(&format!("man/{page}")),
            "man/{page} is stale: run .ci/assets"
        );
    }
    for (shell, file) in [
        ("bash", "docdex.bash"),
        ("zsh", "_docdex"),
        ("fish", "docdex.fish"),
        ("elvish", "docdex.elv"),
        ("powershell", "_docdex.ps1"),
    ] {
        assert!(
            docdex(&["completions", shell]) == committed(&format!("completions/{file}")),
            "completions/{file} is stale: run .ci/assets"
        );
    }
}

#[test]
fn the_readme_opens_with_the_two_commands_ci_runs() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    let block = readme
        .split("```sh\n")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .expect("README.md opens with a sh block");
    let commands: Vec<&str> = block
        .lines()
        .map(|line| line.split('#').next().unwrap().trim())
        .collect();
    assert_eq!(
        commands,
        ["cargo run --locked -- check", "cargo test --locked"],
        "the README's first block"
    );
    let ci = std::fs::read_to_string(root.join(".ci/run")).unwrap();
    // .ci/run runs both: the check quietly, the tests with the ignored ones too.
    assert!(ci.contains("cargo run --locked --quiet -- check"), "{ci}");
    assert!(
        ci.contains("cargo test --locked -- --include-ignored"),
        "{ci}"
    );
}
