//! The pre-commit framework, installed for real from PyPI into a temporary venv,
//! running this repository's `.pre-commit-hooks.yaml` in a throwaway repository.
//!
//! It builds docdex the way the framework does (`cargo install` of a clone), which takes
//! minutes, so it runs when `DOCDEX_TEST_PRE_COMMIT=1` (as `.ci/run` sets it) and prints
//! why it skips otherwise, or when the package cannot be installed.

use std::path::Path;
use std::process::Command;

use crate::util::{isolate, TestRepo};

fn skip(reason: &str) {
    eprintln!("skipped: pre-commit framework test: {reason}");
}

#[test]
fn pre_commit_framework_blocks_stale_pages_and_passes_fresh_ones() {
    if std::env::var_os("DOCDEX_TEST_PRE_COMMIT").is_none_or(|v| v != "1") {
        return skip("set DOCDEX_TEST_PRE_COMMIT=1 to run it (it installs pre-commit from PyPI and builds docdex, a few minutes)");
    }
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let this = TestRepo::at(manifest);
    if !this
        .git(&[
            "status",
            "--porcelain",
            "--",
            ".pre-commit-hooks.yaml",
            "src",
            "Cargo.toml",
        ])
        .is_empty()
    {
        return skip("commit .pre-commit-hooks.yaml, src/ and Cargo.toml first: the framework installs a commit");
    }
    let rev = this.git(&["rev-parse", "HEAD"]).trim().to_owned();
    let venv = tempfile::tempdir().unwrap();
    let made = Command::new("python3")
        .args(["-m", "venv"])
        .arg(venv.path())
        .status();
    if !made.is_ok_and(|s| s.success()) {
        return skip("python3 -m venv is not available");
    }
    let pip = Command::new(venv.path().join("bin/pip"))
        .args(["install", "-q", "pre-commit"])
        .status();
    if !pip.is_ok_and(|s| s.success()) {
        return skip("pip could not install pre-commit");
    }
    let pre_commit = venv.path().join("bin/pre-commit");

    let repo = TestRepo::new();
    repo.write("pkg/a.py", "class A: pass\n");
    repo.commit_all("documents");
    repo.fix_and_commit();
    repo.write(
        ".pre-commit-config.yaml",
        format!(
            "repos:\n  - repo: {}\n    rev: {rev}\n    hooks:\n      - id: docdex\n",
            manifest.display()
        ),
    );
    repo.commit_all("pre-commit config");
    let cache = tempfile::tempdir().unwrap();
    let target = manifest.join("target/pre-commit-test");
    let framework = |args: &[&str]| {
        let mut cmd = Command::new(&pre_commit);
        cmd.args(args)
            .current_dir(repo.path())
            .env("PRE_COMMIT_HOME", cache.path())
            .env("CARGO_TARGET_DIR", &target)
            // The framework builds with `cargo install` (release): skip LTO to save minutes.
            .env("CARGO_PROFILE_RELEASE_LTO", "false")
            .env("CARGO_PROFILE_RELEASE_CODEGEN_UNITS", "16");
        isolate(&mut cmd, repo.path());
        let out = cmd.output().unwrap();
        (
            out.status.success(),
            format!(
                "{}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            ),
        )
    };
    let started = std::time::Instant::now();
    let (ok, log) = framework(&["install-hooks"]);
    assert!(ok, "{log}");
    eprintln!("pre-commit install-hooks took {:.0?}", started.elapsed());

    repo.write("pkg/a.py", "class Changed: pass\n");
    repo.git(&["add", "pkg/a.py"]);
    let (ok, log) = framework(&["run"]);
    assert!(!ok, "the hook passed a stale page:\n{log}");
    assert!(log.contains("stale docs/pkg/a.py_kw.md"), "{log}");

    repo.docdex(&["check", "--staged", "--fix", "--stage"])
        .status(0)
        .run();
    let (ok, log) = framework(&["run"]);
    assert!(ok, "the hook failed on fresh pages:\n{log}");
}
