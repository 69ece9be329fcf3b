//! docdex as a Python wheel (`wheel/pyproject.toml`, maturin): `pip wheel wheel` builds
//! it, it installs into a fresh venv and runs where there is no cargo, and this
//! repository's `docdex` hook installs it with `language: python` (the root
//! `pyproject.toml` is the placeholder that depends on it).
//!
//! Building the wheel takes minutes and PyPI, so that test is ignored unless asked for
//! (`.ci/run` runs it). It builds in the target folder of the pre-commit framework
//! test, with the same settings, to reuse what that built.

use std::path::Path;
use std::process::{Command, Output};

use crate::util::{combined_output, isolate, python_venv, shared_release_build, TestRepo};

fn manifest() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn run(cmd: &mut Command) -> Output {
    let out = cmd.output().unwrap();
    assert!(out.status.success(), "{cmd:?}:\n{}", combined_output(&out));
    out
}

#[test]
fn the_wheel_hooks_and_the_source_hooks_are_the_same_hooks() {
    let manifest_text = std::fs::read_to_string(manifest().join(".pre-commit-hooks.yaml")).unwrap();
    let hooks: Vec<&str> = manifest_text.split("\n- id: ").skip(1).collect();
    let ids: Vec<&str> = hooks.iter().map(|h| h.lines().next().unwrap()).collect();
    assert_eq!(
        ids,
        ["docdex", "docdex-fix", "docdex-src", "docdex-fix-src"]
    );
    let same = |hook: &str| -> String {
        hook.lines()
            .skip(1)
            .filter(|l| !l.starts_with("  name:") && !l.starts_with("  language:"))
            .collect::<Vec<_>>()
            .join("\n")
    };
    for (wheel, source) in [(hooks[0], hooks[2]), (hooks[1], hooks[3])] {
        assert!(wheel.contains("\n  language: python\n"), "{wheel}");
        assert!(source.contains("\n  language: rust\n"), "{source}");
        assert_eq!(same(wheel), same(source));
    }
    // The placeholder pins this very version (.ci/release-guard checks it at release).
    let version = env!("CARGO_PKG_VERSION");
    let pyproject = std::fs::read_to_string(manifest().join("pyproject.toml")).unwrap();
    assert!(pyproject.contains(&format!("version = \"{version}\"")));
    assert!(pyproject.contains(&format!("\"docdex=={version}\"")));
}

#[test]
#[ignore = "builds the wheel with maturin from PyPI (minutes); .ci/run runs it"]
fn the_wheel_installs_and_runs_without_cargo_for_pip_and_the_pre_commit_hook() {
    let work = tempfile::tempdir().unwrap();
    let tools = python_venv(&work.path().join("tools"), &["pre-commit"])
        .unwrap_or_else(|why| panic!("{why}"));

    // Build as a user would: pip fetches maturin (pyproject.toml's build backend).
    let wheels = work.path().join("wheels");
    let started = std::time::Instant::now();
    run(shared_release_build(
        Command::new(tools.join("pip"))
            .args(["wheel", "--quiet", "--no-deps", "--wheel-dir"])
            .arg(&wheels)
            .arg(manifest().join("wheel")),
    ));
    eprintln!("pip wheel wheel took {:.0?}", started.elapsed());
    let built: Vec<_> = std::fs::read_dir(&wheels)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    let version = env!("CARGO_PKG_VERSION");
    assert!(
        built.len() == 1 && built[0].starts_with(&format!("docdex-{version}-py3-none-")),
        "{built:?}"
    );

    // Install into a fresh venv and run with a PATH that has no cargo.
    let user = python_venv(&work.path().join("user"), &[]).unwrap_or_else(|why| panic!("{why}"));
    run(Command::new(user.join("pip"))
        .args(["install", "-q", "--no-index", "--find-links"])
        .arg(&wheels)
        .arg("docdex"));
    let repo = TestRepo::new();
    repo.write("pkg/a.py", "class A: pass\n");
    repo.commit_all("documents");
    let bare_path = format!("{}:/usr/bin:/bin", user.display());
    let no_cargo = Command::new("sh")
        .args(["-c", "command -v cargo"])
        .env("PATH", &bare_path)
        .status()
        .unwrap();
    assert!(!no_cargo.success(), "cargo is on {bare_path}");
    let out = Command::new("docdex")
        .args(["check", "--rev", "HEAD", "--no-diff"])
        .current_dir(repo.path())
        .env("PATH", &bare_path)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", combined_output(&out));
    assert!(combined_output(&out).contains("missing docs/pkg/a.py_kw.md"));

    // This repository's hooks as the framework clones them (the hook manifest and the
    // placeholder it installs), the `docdex` hook installed by pre-commit from the
    // local wheel (and setuptools, which builds the placeholder, from a local copy).
    let hooks = TestRepo::new();
    for name in [".pre-commit-hooks.yaml", "pyproject.toml"] {
        let text = std::fs::read_to_string(manifest().join(name)).unwrap();
        hooks.write(name, text);
    }
    hooks.commit_all("hooks");
    let hooks_rev = hooks.git(&["rev-parse", "HEAD"]).trim().to_owned();
    run(Command::new(tools.join("pip"))
        .args(["download", "-q", "--dest"])
        .arg(&wheels)
        .arg("setuptools>=61"));
    repo.write(
        ".pre-commit-config.yaml",
        format!(
            "repos:\n  - repo: {}\n    rev: {hooks_rev}\n    hooks:\n      - id: docdex\n",
            hooks.path().display()
        ),
    );
    repo.commit_all("pre-commit config");
    let cache = work.path().join("pre-commit-cache");
    let framework = |args: &[&str]| {
        let mut cmd = Command::new(tools.join("pre-commit"));
        cmd.args(args)
            .current_dir(repo.path())
            .env("PRE_COMMIT_HOME", &cache)
            .env("PIP_NO_INDEX", "1")
            .env("PIP_FIND_LINKS", &wheels);
        isolate(&mut cmd, repo.path());
        cmd.output().unwrap()
    };
    let started = std::time::Instant::now();
    let out = framework(&["install-hooks"]);
    assert!(out.status.success(), "{}", combined_output(&out));
    eprintln!(
        "the docdex hook installed from the wheel in {:.1?}",
        started.elapsed()
    );
    let out = framework(&["run", "--all-files"]);
    let log = combined_output(&out);
    assert!(
        !out.status.success(),
        "the docdex hook passed a missing page:\n{log}"
    );
    assert!(log.contains("missing docs/pkg/a.py_kw.md"), "{log}");
}
