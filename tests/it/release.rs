//! The release workflow's guard (`.ci/release-guard`): nothing is built or published
//! unless the tag is `v` + the version every package declares.

use std::path::Path;
use std::process::{Command, Output};

use crate::util::combined_output;

fn manifest() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Runs the guard on a copy of the files it reads, `edit` applied to the copy.
fn guard(tag: &str, edit: impl FnOnce(&Path)) -> Output {
    let temp = tempfile::tempdir().unwrap();
    let root = temp.path();
    for file in [".ci/release-guard", "Cargo.toml", "pyproject.toml"] {
        std::fs::create_dir_all(root.join(file).parent().unwrap()).unwrap();
        std::fs::copy(manifest().join(file), root.join(file)).unwrap();
    }
    edit(root);
    Command::new("bash")
        .arg(root.join(".ci/release-guard"))
        .arg(tag)
        .output()
        .unwrap()
}

fn replace(path: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).unwrap();
    assert!(text.contains(from), "{}: no {from}", path.display());
    std::fs::write(path, text.replacen(from, to, 1)).unwrap();
}

#[test]
fn the_release_guard_passes_only_the_tag_of_the_declared_version() {
    let version = env!("CARGO_PKG_VERSION");
    let ok = guard(&format!("v{version}"), |_| {});
    assert!(ok.status.success(), "{}", combined_output(&ok));

    let wrong_tag = guard("v99.0.0", |_| {});
    assert_eq!(wrong_tag.status.code(), Some(1));
    let log = combined_output(&wrong_tag);
    assert!(
        log.contains(&format!("the tag v99.0.0 is not v{version}")),
        "{log}"
    );

    let stale_pin = guard(&format!("v{version}"), |root| {
        replace(
            &root.join("pyproject.toml"),
            &format!("\"docdex=={version}\""),
            "\"docdex==0.0.1\"",
        );
    });
    assert_eq!(stale_pin.status.code(), Some(1));
    let log = combined_output(&stale_pin);
    assert!(
        log.contains("pyproject.toml pins \"docdex==0.0.1\", not"),
        "{log}"
    );
}
