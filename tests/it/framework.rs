//! The pre-commit framework, installed for real from PyPI into a temporary venv,
//! running this repository's `.pre-commit-hooks.yaml` in a throwaway repository.
//!
//! It builds docdex the way the framework does (`cargo install` of a clone), which takes
//! minutes and PyPI, so it is ignored unless asked for (`.ci/run` runs it).

use std::path::Path;
use std::process::Command;

use crate::util::{combined_output, isolate, python_venv, shared_release_build, TestRepo};

#[test]
#[ignore = "installs pre-commit from PyPI and builds docdex with it (minutes); .ci/run runs it"]
fn pre_commit_framework_blocks_stale_pages_and_passes_fresh_ones() {
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
        panic!("commit .pre-commit-hooks.yaml, src/ and Cargo.toml first: the framework installs a commit");
    }
    let rev = this.git(&["rev-parse", "HEAD"]).trim().to_owned();
    let venv = tempfile::tempdir().unwrap();
    let tools = python_venv(venv.path(), &["pre-commit"]).unwrap_or_else(|why| panic!("{why}"));
    let pre_commit = tools.join("pre-commit");

    let repo = TestRepo::new();
    repo.write("pkg/a.py", "class A: pass\n");
    repo.commit_all("documents");
    repo.fix_and_commit();
    repo.write(
        ".pre-commit-config.yaml",
        format!(
            "repos:\n  - repo: {}\n    rev: {rev}\n    hooks:\n      - id: docdex-src\n",
            manifest.display()
        ),
    );
    repo.commit_all("pre-commit config");
    let cache = tempfile::tempdir().unwrap();
    // pre-commit, or git running the hooks pre-commit installed, in the test's world;
    // the framework builds docdex with `cargo install`.
    let run = |program: &Path, args: &[&str]| {
        let mut cmd = Command::new(program);
        cmd.args(args)
            .current_dir(repo.path())
            .env("PRE_COMMIT_HOME", cache.path());
        shared_release_build(&mut cmd);
        isolate(&mut cmd, repo.path());
        let out = cmd.output().unwrap();
        (out.status.success(), combined_output(&out))
    };
    let framework = |args: &[&str]| run(&pre_commit, args);
    let git = |args: &[&str]| run(Path::new("git"), args);
    let started = std::time::Instant::now();
    let (ok, log) = framework(&["install-hooks"]);
    assert!(ok, "{log}");
    eprintln!("pre-commit install-hooks took {:.0?}", started.elapsed());

    // A commit: the staged pages, through git's own hook.
    let (ok, log) = framework(&["install"]);
    assert!(ok, "{log}");
    repo.write("pkg/a.py", "class Changed: pass\n");
    repo.git(&["add", "pkg/a.py"]);
    let (ok, log) = framework(&["run"]);
    assert!(!ok, "the hook passed a stale page:\n{log}");
    assert!(log.contains("stale docs/pkg/a.py_kw.md"), "{log}");
    assert!(
        log.contains("a commit: the pages that depend on what is staged"),
        "{log}"
    );
    let commit = git(&["commit", "-q", "-m", "stale"]);
    assert!(
        !commit.0,
        "git commit went through with a stale page:\n{}",
        commit.1
    );

    // The hint names a command that works where docdex is not on PATH.
    let hint = log
        .lines()
        .find_map(|l| l.split_once("run `").map(|(_, rest)| rest))
        .and_then(|rest| rest.split_once(' '))
        .map(|(program, _)| program.trim_matches('\'').to_owned())
        .unwrap_or_else(|| panic!("no hint in:\n{log}"));
    assert!(
        Path::new(&hint).is_file(),
        "the hint names {hint}, which is not a file"
    );

    // Staged pages fixed: the commit goes through.
    repo.docdex(&["check", "--staged", "--fix", "--stage"])
        .status(0)
        .run();
    let (ok, log) = framework(&["run"]);
    assert!(ok, "the hook failed on fresh pages:\n{log}");
    let commit = git(&["commit", "-q", "-m", "fresh"]);
    assert!(commit.0, "{}", commit.1);
    let fresh = repo.git(&["rev-parse", "HEAD"]).trim().to_owned();

    // A commit made without the hook leaves a page stale, with nothing staged: how CI
    // and pre-commit.ci find a repository.
    repo.write("pkg/a.py", "class Again: pass\n");
    repo.git(&["add", "pkg/a.py"]);
    repo.git(&["commit", "-q", "--no-verify", "-m", "stale, unhooked"]);
    for args in [
        &["run", "--all-files"][..],
        &["run", "--hook-stage", "manual"],
        &["run", "--from-ref", &fresh, "--to-ref", "HEAD"],
        &[
            "run",
            "--hook-stage",
            "pre-push",
            "--from-ref",
            &fresh,
            "--to-ref",
            "HEAD",
        ],
    ] {
        let (ok, log) = framework(args);
        assert!(!ok, "{args:?} passed a stale page:\n{log}");
        assert!(
            log.contains("stale docs/pkg/a.py_kw.md"),
            "{args:?}:\n{log}"
        );
    }
    // --all-files with something else staged still checks every page.
    repo.write("notes.txt", "plain words\n");
    repo.git(&["add", "notes.txt"]);
    let (ok, log) = framework(&["run", "--all-files"]);
    assert!(!ok, "{log}");
    assert!(log.contains("stale docs/pkg/a.py_kw.md"), "{log}");
    assert!(
        log.contains("--all-files: every page of the working tree"),
        "{log}"
    );
    repo.git(&["rm", "-q", "--cached", "notes.txt"]);

    // A ref range that does not touch the stale page passes.
    let (ok, log) = framework(&["run", "--from-ref", "HEAD", "--to-ref", "HEAD"]);
    assert!(ok, "{log}");

    // git push runs the pre-push stage on what it pushes.
    let (ok, log) = framework(&["install", "--hook-type", "pre-push"]);
    assert!(ok, "{log}");
    let remote = tempfile::tempdir().unwrap();
    let made = Command::new("git")
        .args(["init", "-q", "--bare"])
        .arg(remote.path())
        .status()
        .unwrap();
    assert!(made.success());
    repo.git(&["remote", "add", "origin", remote.path().to_str().unwrap()]);
    repo.git(&[
        "push",
        "-q",
        "--no-verify",
        "origin",
        &format!("{fresh}:refs/heads/main"),
    ]);
    let pushed = git(&["push", "origin", "HEAD:refs/heads/main"]);
    assert!(
        !pushed.0,
        "git push went through with a stale page:\n{}",
        pushed.1
    );
    assert!(
        pushed.1.contains("stale docs/pkg/a.py_kw.md"),
        "{}",
        pushed.1
    );
}
