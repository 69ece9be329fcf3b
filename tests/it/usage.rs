//! Configuration, `show`, colour, help and the pre-commit hook, as a user meets them.

use crate::util::TestRepo;

fn repo() -> TestRepo {
    let repo = TestRepo::new();
    repo.write("src/a.py", "class A: pass\n")
        .write("site/guide.md", "A Guide\n");
    repo.commit_all("documents");
    repo
}

#[test]
fn bad_configuration_is_one_line_naming_file_and_key() {
    let repo = repo();
    for (text, needle) in [
        ("rooot = \"docs\"\n", "unknown field `rooot`"),
        ("root = [\n", "docdex.toml: line"),
        ("root = \"../outside\"\n", "key `root`"),
        ("root = \"/abs\"\n", "absolute"),
        ("exclude = [\"[\"]\n", "key `exclude`"),
        ("max_identifiers = \"many\"\n", "max_identifiers"),
        ("pages = [\"everything\"]\n", "everything"),
    ] {
        repo.write("docdex.toml", text);
        let done = repo.docdex(&["check"]).status(2).stderr_has(needle).run();
        assert_eq!(done.stderr.lines().count(), 1, "{}", done.stderr);
        assert!(done.stderr.contains("docdex.toml"), "{}", done.stderr);
        assert!(done.stdout.is_empty());
        assert!(
            !repo.exists("docs"),
            "nothing written on a configuration error"
        );
    }
    repo.docdex(&["check", "--config", "missing.toml"])
        .status(2)
        .stderr_has("missing.toml: cannot read it")
        .run();
}

#[test]
fn configuration_chooses_root_documents_and_page_kinds() {
    let repo = repo();
    repo.write(
        "docdex.toml",
        "root = \"pages\"\ninclude = [\"site/**\"]\npages = [\"keyword\", \"global\"]\n",
    );
    repo.docdex(&["check", "-v", "--fix", "--no-diff"])
        .status(0)
        .stdout_has("wrote pages/site/guide.md_kw.md")
        .stdout_has("wrote pages/keywords.md")
        .stdout_lacks("src/a.py")
        .stdout_lacks("index.md")
        .stdout_lacks("sub.md")
        .run();
    // The keyword page's link climbs out of the configured root.
    assert!(repo
        .read("pages/site/guide.md_kw.md")
        .unwrap()
        .contains("[site/guide.md](../../site/guide.md)"));
    // Switched-off kinds are neither generated nor reported.
    repo.write("pages/site/index.md", "hand-written\n");
    repo.docdex(&["check"]).status(0).run();
}

#[test]
fn excluded_paths_are_neither_documents_nor_pages() {
    let repo = repo();
    repo.write(
        "docdex.toml",
        "exclude = [\"docs/handmade/**\", \"site/**\"]\n",
    );
    repo.write("docs/handmade/keywords.md", "mine\n");
    repo.docdex(&["check", "-v", "--fix", "--no-diff"])
        .status(0)
        .stdout_lacks("handmade")
        .stdout_lacks("guide")
        .run();
    assert_eq!(repo.read("docs/handmade/keywords.md").unwrap(), "mine\n");
}

#[test]
fn show_prints_the_expected_page() {
    let repo = repo();
    let done = repo.docdex(&["show", "src/a.py"]).status(0).run();
    assert!(done.stdout.starts_with("# Keyword Index: `src/a.py`\n"));
    assert!(done
        .stdout
        .contains("- **`A`**: [a.py_docs.md](./a.py_docs.md)\n"));
    repo.docdex(&["show", "docs/src/index.md"])
        .status(0)
        .stdout_has("# Index: `src/`")
        .run();
    repo.write("Cargo.lock", "# not a document\n");
    repo.docdex(&["show", "Cargo.lock"])
        .status(2)
        .stderr_has("Cargo.lock: neither a document")
        .run();
    repo.docdex(&["show", "src/missing.py"])
        .status(2)
        .stderr_has("src/missing.py: no such file in the working tree")
        .run();
}

#[test]
fn colour_follows_the_flag_and_the_environment() {
    let repo = repo();
    let has_escape = |done: crate::util::Done| done.stdout.contains('\u{1b}');
    assert!(
        !has_escape(repo.docdex(&["check"]).status(1).run()),
        "pipes are not coloured"
    );
    assert!(has_escape(
        repo.docdex(&["check", "--color", "always"]).status(1).run()
    ));
    assert!(has_escape(
        repo.docdex(&["check"])
            .env("FORCE_COLOR", "1")
            .status(1)
            .run()
    ));
    assert!(has_escape(
        repo.docdex(&["check"])
            .env("CLICOLOR_FORCE", "1")
            .status(1)
            .run()
    ));
    assert!(!has_escape(
        repo.docdex(&["check", "--color", "never"])
            .env("FORCE_COLOR", "1")
            .status(1)
            .run()
    ));
}

#[test]
fn help_teaches_and_no_arguments_shows_it() {
    let repo = repo();
    let done = repo.docdex(&[]).status(2).run_allowing_stderr();
    assert!(done.stderr.contains("Usage: docdex"), "{}", done.stderr);
    let help = repo.docdex(&["--help"]).status(0).run();
    for needle in ["check", "show", "Exit codes:", "--staged", "Examples:"] {
        assert!(
            help.stdout.contains(needle),
            "--help lacks {needle}:\n{}",
            help.stdout
        );
    }
    let check_help = repo.docdex(&["check", "--help"]).status(0).run();
    for needle in [
        "--staged",
        "--base",
        "--rev",
        "--fix",
        "--stage",
        "--force",
        "Exit codes:",
    ] {
        assert!(
            check_help.stdout.contains(needle),
            "check --help lacks {needle}"
        );
    }
    repo.docdex(&["check", "--stage"])
        .status(2)
        .run_allowing_stderr();
}

#[test]
fn pre_commit_hook_blocks_a_stale_commit_and_passes_a_fresh_one() {
    let repo = repo();
    repo.fix_and_commit();
    let hook = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("hooks/pre-commit");
    let hooks_dir = repo.path().join(".git/hooks");
    std::fs::create_dir_all(&hooks_dir).unwrap();
    std::fs::copy(&hook, hooks_dir.join("pre-commit")).unwrap();
    let path = crate::util::path_with_docdex();
    let commit = |args: &[&str]| {
        let mut cmd = std::process::Command::new("git");
        cmd.arg("commit")
            .args(args)
            .current_dir(repo.path())
            .env("PATH", &path);
        crate::util::isolate(&mut cmd, repo.path());
        cmd.output().unwrap()
    };
    // git runs hooks with their stdout sent to stderr.
    let said = |out: &std::process::Output| String::from_utf8_lossy(&out.stderr).into_owned();
    repo.write("src/a.py", "class Renamed: pass\n");
    // Plain `git commit` of a staged edit, and `git commit -a`, which hands the hook a
    // temporary index through $GIT_INDEX_FILE.
    for (stage_first, args) in [
        (true, &["-q", "-m", "stale"][..]),
        (false, &["-q", "-a", "-m", "stale"][..]),
    ] {
        if stage_first {
            repo.git(&["add", "src/a.py"]);
        } else {
            repo.git(&["reset", "-q"]);
        }
        let blocked = commit(args);
        assert!(
            !blocked.status.success(),
            "git commit {args:?} let a stale page through"
        );
        assert!(
            said(&blocked).contains("stale docs/src/a.py_kw.md"),
            "{}",
            said(&blocked)
        );
    }
    repo.git(&["add", "src/a.py"]);
    repo.docdex(&["check", "--staged", "--fix", "--stage"])
        .status(0)
        .run();
    let passed = commit(&["-q", "-m", "fresh"]);
    assert!(
        passed.status.success(),
        "{}",
        String::from_utf8_lossy(&passed.stderr)
    );
}

#[test]
fn configuration_hints_fit_the_problem() {
    let repo = TestRepo::new();
    repo.write("src/app.py", "class App: pass\n");
    repo.write("docdex.toml", "root = \"docs\n");
    let syntax = repo.docdex(&["check"]).status(2).run();
    assert!(
        syntax.stderr.contains("docdex.toml: line 1"),
        "{}",
        syntax.stderr
    );
    assert!(syntax
        .stderr
        .contains("fix the TOML at the place named above"));
    assert!(!syntax.stderr.contains("key named above"));
    repo.write("docdex.toml", "colour = true\n");
    repo.docdex(&["check"])
        .status(2)
        .stderr_has("unknown field `colour`")
        .stderr_has("fix the key named above")
        .run();
    repo.write("docdex.toml", "root = \"../out\"\n");
    repo.docdex(&["check"])
        .status(2)
        .stderr_has("key `root`")
        .stderr_has("fix the key named above")
        .run();
    repo.docdex(&["--config", "missing.toml", "check"])
        .status(2)
        .stderr_has("missing.toml: cannot read it")
        .stderr_has("give the path of a readable UTF-8 TOML file")
        .run();
}
