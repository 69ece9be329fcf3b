//! The GitHub Action's install step (`action/install.sh`): the archive the action's own
//! release published, verified against that release's SHA256SUMS, or a cached build
//! when there is none; never a package installed by name, never unverified bytes.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::util::combined_output;

const VERSION: &str = env!("CARGO_PKG_VERSION");

/// A release folder as the release workflow publishes it for x86_64 Linux: the archive
/// (the binary under a folder of the archive's name) and SHA256SUMS.
fn release(dir: &Path) -> PathBuf {
    let name = format!("docdex-v{VERSION}-x86_64-unknown-linux-gnu");
    let staging = dir.join("staging");
    std::fs::create_dir_all(staging.join(&name)).unwrap();
    std::fs::copy(
        env!("CARGO_BIN_EXE_docdex"),
        staging.join(&name).join("docdex"),
    )
    .unwrap();
    let release = dir.join("release");
    std::fs::create_dir_all(&release).unwrap();
    let archive = format!("{name}.tar.gz");
    let tar = Command::new("tar")
        .arg("czf")
        .arg(release.join(&archive))
        .arg("-C")
        .arg(&staging)
        .arg(&name)
        .status()
        .unwrap();
    assert!(tar.success());
    let sum = Command::new("sha256sum")
        .arg(&archive)
        .current_dir(&release)
        .output()
        .unwrap();
    std::fs::write(release.join("SHA256SUMS"), sum.stdout).unwrap();
    release
}

/// Runs install.sh as the action would on a Linux x64 runner; returns its output and
/// what it wrote to $GITHUB_OUTPUT.
fn install(dir: &Path, release_url: &str) -> (Output, String) {
    let output = dir.join("github_output");
    let out = Command::new("bash")
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("action/install.sh"))
        .env("DOCDEX_ACTION_PATH", env!("CARGO_MANIFEST_DIR"))
        .env("DOCDEX_INSTALL_DIR", dir.join("install"))
        .env("DOCDEX_RELEASE_URL", release_url)
        .env("RUNNER_OS", "Linux")
        .env("RUNNER_ARCH", "X64")
        .env("GITHUB_OUTPUT", &output)
        .output()
        .unwrap();
    let written = std::fs::read_to_string(&output).unwrap_or_default();
    (out, written)
}

#[test]
fn the_action_installs_its_release_archive_once_its_checksum_matches() {
    let temp = tempfile::tempdir().unwrap();
    let release = release(temp.path());
    let (out, written) = install(temp.path(), &format!("file://{}", release.display()));
    let log = combined_output(&out);
    assert!(out.status.success(), "{log}");
    assert!(log.contains("(SHA-256 verified)"), "{log}");
    assert!(written.contains("prebuilt=true\n"), "{written}");
    let program = written
        .lines()
        .find_map(|l| l.strip_prefix("program="))
        .unwrap_or_else(|| panic!("{written}"));
    let version = Command::new(program).arg("--version").output().unwrap();
    assert_eq!(
        String::from_utf8_lossy(&version.stdout),
        format!("docdex {VERSION}\n")
    );
}

#[test]
fn an_archive_that_does_not_match_its_checksum_is_refused() {
    let temp = tempfile::tempdir().unwrap();
    let release = release(temp.path());
    let sums = std::fs::read_to_string(release.join("SHA256SUMS")).unwrap();
    let forged = format!("{}{}", "0".repeat(64), &sums[64..]);
    std::fs::write(release.join("SHA256SUMS"), forged).unwrap();
    let (out, written) = install(temp.path(), &format!("file://{}", release.display()));
    let log = combined_output(&out);
    assert_eq!(out.status.code(), Some(2), "{log}");
    assert!(log.contains("refusing to run it"), "{log}");
    assert!(!written.contains("program="), "{written}");
    assert!(!written.contains("prebuilt=false"), "{written}");
}

#[test]
fn without_a_release_the_action_falls_back_to_a_cached_build() {
    let temp = tempfile::tempdir().unwrap();
    let nowhere = format!("file://{}", temp.path().join("no-release").display());
    let (out, written) = install(temp.path(), &nowhere);
    let log = combined_output(&out);
    assert!(out.status.success(), "{log}");
    assert!(log.contains("building docdex"), "{log}");
    assert!(log.contains("SHA256SUMS cannot be downloaded"), "{log}");
    assert!(written.contains("prebuilt=false\n"), "{written}");
    assert!(
        written.contains(&format!("cache-key=docdex-{VERSION}-")),
        "{written}"
    );
    assert!(!written.contains("program="), "{written}");
}

#[test]
fn the_action_never_installs_docdex_by_name_from_an_index() {
    let script =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("action/install.sh"))
            .unwrap();
    assert!(
        !script.contains("pip install"),
        "install.sh installs from an index"
    );
    let action =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("action.yml")).unwrap();
    // The build cache is saved by its own step, not by actions/cache's post step, which
    // runs only when the job succeeds.
    assert!(action.contains("actions/cache/save@"), "{action}");
    assert!(!action.contains("uses: actions/cache@"), "{action}");
}
