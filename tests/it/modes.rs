//! The four git modes (docs/guide.md, "Which pages a run checks") against real repositories, and the errors around them.

use crate::util::{hand_edited, TestRepo};

/// A small repository whose pages are fixed and committed.
fn clean_repo() -> TestRepo {
    let repo = TestRepo::new();
    repo.write("pkg/core.py", "class Engine:\n    def run(self): pass\n")
        .write("pkg/util.py", "import os\n")
        .write("README.md", "Docdex Test Repo\n");
    repo.commit_all("documents");
    repo.fix_and_commit();
    repo
}

#[test]
fn clean_head_is_fresh_in_every_mode() {
    let repo = clean_repo();
    for args in [
        vec!["check"],
        vec!["check", "--rev", "HEAD"],
        vec!["check", "--base", "HEAD~1"],
    ] {
        repo.docdex(&args).status(0).stdout_has("pages fresh").run();
    }
    repo.docdex(&["check", "--staged"])
        .status(0)
        .stdout_has("docdex: nothing staged\n")
        .run();
    repo.docdex(&["check", "--base", "HEAD"])
        .status(0)
        .stdout_has("docdex: nothing changed from the merge-base of HEAD to HEAD\n")
        .run();
    // Staged, but nothing a page depends on.
    repo.write("notes.rs", "fn main() {}\n");
    repo.git(&["add", "notes.rs"]);
    repo.docdex(&["check", "--staged"])
        .status(0)
        .stdout_has("docdex: nothing to check: 1 file staged, none a document or a page\n")
        .run();
}

#[test]
fn staged_edit_is_reported_and_unstaged_edits_do_not_change_the_verdict() {
    let repo = clean_repo();
    repo.write("pkg/core.py", "class Engine:\n    def start(self): pass\n");
    repo.git(&["add", "pkg/core.py"]);
    let staged = repo
        .docdex(&["check", "--staged", "--color", "never"])
        .status(1)
        .stdout_has("stale docs/pkg/core.py_kw.md (keyword page of pkg/core.py)")
        .stdout_has("1 keyword added (`start`); 1 keyword removed (`run`)")
        .stdout_has("-- **`run`**")
        .stdout_has("+- **`start`**")
        .stdout_has("1 of 1 page needs an update (1 stale)")
        .run();
    // Unstaged edits: another document, and the staged one edited back.
    repo.write("pkg/util.py", "import sys\nclass Other: pass\n");
    repo.write("pkg/core.py", "class Engine:\n    def run(self): pass\n");
    let again = repo
        .docdex(&["check", "--staged", "--color", "never"])
        .status(1)
        .run();
    assert_eq!(staged.stdout, again.stdout);
}

#[test]
fn staged_reads_what_a_soft_reset_leaves_staged() {
    // After `git reset --soft HEAD~1` the index is the undone commit's, its cache-tree
    // valid and naming other trees than HEAD's: --staged must still see every change.
    let repo = clean_repo();
    repo.write("pkg/core.py", "class Engine:\n    def start(self): pass\n")
        .write("lib/deep/new.py", "def fresh(): pass\n")
        .remove("pkg/util.py");
    repo.commit_all("three changes, pages not fixed");
    repo.git(&["reset", "-q", "--soft", "HEAD~1"]);
    repo.docdex(&["check", "--staged", "--no-diff"])
        .status(1)
        .stdout_has("stale docs/pkg/core.py_kw.md")
        .stdout_has("missing docs/lib/deep/new.py_kw.md")
        .stdout_has("orphaned docs/pkg/util.py_kw.md")
        .run();
    // Fixed and staged, the index's folders again match a tree: the check is clean.
    repo.docdex(&["check", "--staged", "--fix", "--stage", "--no-diff"])
        .status(0)
        .run();
    repo.docdex(&["check", "--staged"]).status(0).run();
}

#[test]
fn unstaged_edits_are_seen_by_the_working_tree_check_only() {
    let repo = clean_repo();
    repo.write("pkg/util.py", "import sys\n");
    repo.docdex(&["check", "--staged"]).status(0).run();
    repo.docdex(&["check", "--rev", "HEAD"]).status(0).run();
    repo.docdex(&["check", "--no-diff"])
        .status(1)
        .stdout_has("stale docs/pkg/util.py_kw.md")
        .stdout_has("1 keyword added (`sys`); 1 keyword removed (`os`)")
        .run();
}

#[test]
fn untracked_documents_count_in_the_working_tree_but_ignored_ones_do_not() {
    let repo = clean_repo();
    repo.write(".gitignore", "secret/\n");
    repo.write("secret/hidden.py", "class Hidden: pass\n");
    repo.write("pkg/new.py", "def fresh(): pass\n");
    let done = repo
        .docdex(&["check", "--no-diff"])
        .status(1)
        .stdout_has("missing docs/pkg/new.py_kw.md")
        .stdout_has("stale docs/pkg/index.md")
        .stdout_has("stale docs/keywords.md")
        .stdout_lacks("secret")
        .run();
    assert!(
        done.stdout.contains("new page with 1 keyword"),
        "{}",
        done.stdout
    );
    repo.docdex(&["check", "--staged"]).status(0).run();
}

#[test]
fn deleted_document_orphans_its_page_and_updates_folder_pages() {
    let repo = clean_repo();
    repo.git(&["rm", "-q", "pkg/util.py"]);
    repo.docdex(&["check", "--staged", "--no-diff"])
        .status(1)
        .stdout_has(
            "orphaned docs/pkg/util.py_kw.md (keyword page of pkg/util.py, which no longer exists)",
        )
        .stdout_has("stale docs/pkg/index.md (folder index of pkg/)")
        .stdout_has("1 row removed (`util.py`)")
        .stdout_has("stale docs/pkg/sub.md")
        .stdout_has("2 rows removed (`pkg/util.py` under `files-.py`, `pkg/util.py` under `util`)")
        .stdout_has("stale docs/sub.md")
        .stdout_has("stale docs/keywords.md")
        .run();
}

#[test]
fn renames_orphan_the_old_page_and_miss_the_new_one() {
    let repo = clean_repo();
    repo.git(&["mv", "pkg/util.py", "pkg/helpers.py"]);
    repo.docdex(&["check", "--staged", "--no-diff"])
        .status(1)
        .stdout_has("orphaned docs/pkg/util.py_kw.md (keyword page of pkg/util.py, renamed to pkg/helpers.py)")
        .stdout_has("missing docs/pkg/helpers.py_kw.md")
        .run();
}

#[test]
fn runs_from_a_subdirectory() {
    let repo = clean_repo();
    repo.docdex(&["check"]).in_dir("pkg").status(0).run();
    repo.write("pkg/util.py", "import json\n");
    repo.docdex(&["check", "--no-diff"])
        .in_dir("docs/pkg")
        .status(1)
        .stdout_has("stale docs/pkg/util.py_kw.md")
        .run();
    repo.docdex(&["show", "util.py"])
        .in_dir("pkg")
        .status(0)
        .stdout_has("- **`json`**: [util.py_docs.md](./util.py_docs.md)")
        .run();
}

#[test]
fn unborn_head_stages_everything_as_new() {
    let repo = TestRepo::new();
    repo.write("a.py", "def f(): pass\n");
    repo.git(&["add", "a.py"]);
    repo.docdex(&["check", "--staged", "--no-diff"])
        .status(1)
        .stdout_has("missing docs/a.py_kw.md")
        .stdout_has("missing docs/sub.md")
        .stdout_has("missing docs/keywords.md")
        .run();
    repo.docdex(&["check", "--rev", "HEAD"])
        .status(2)
        .stderr_has("docdex: error: unknown revision `HEAD` (hint:")
        .run();
    repo.docdex(&["check", "--staged", "--fix", "--stage"])
        .status(0)
        .run();
    repo.docdex(&["check", "--staged"]).status(0).run();
}

#[test]
fn not_a_repository_is_an_error_with_a_hint() {
    let dir = tempfile::tempdir().unwrap();
    let done = std::process::Command::new(env!("CARGO_BIN_EXE_docdex"))
        .args(["check"])
        .current_dir(dir.path())
        .env("GIT_CEILING_DIRECTORIES", dir.path().parent().unwrap())
        .output()
        .unwrap();
    assert_eq!(done.status.code(), Some(2));
    let stderr = String::from_utf8(done.stderr).unwrap();
    assert!(
        stderr.starts_with("docdex: error: not inside a git repository"),
        "{stderr}"
    );
    assert!(stderr.contains("hint:"), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
}

#[test]
fn unknown_revisions_are_errors() {
    let repo = clean_repo();
    repo.docdex(&["check", "--rev", "nope"])
        .status(2)
        .stderr_has("unknown revision `nope`")
        .run();
    repo.docdex(&["check", "--base", "nope"])
        .status(2)
        .stderr_has("unknown revision `nope`")
        .run();
}

#[test]
fn base_covers_only_what_the_branch_changed() {
    let repo = clean_repo();
    repo.git(&["checkout", "-q", "-b", "feature"]);
    repo.write("pkg/core.py", "class Engine:\n    def stop(self): pass\n");
    repo.commit_all("edit without pages");
    // A stale page the branch did not touch stays out of scope.
    repo.git(&["checkout", "-q", "main"]);
    repo.write("docs/pkg/util.py_kw.md", hand_edited("hand edit"));
    repo.commit_all("stale page on main");
    repo.git(&["checkout", "-q", "feature"]);
    let done = repo
        .docdex(&["check", "--base", "main", "--no-diff"])
        .status(1)
        .stdout_has("stale docs/pkg/core.py_kw.md")
        .stdout_lacks("util.py_kw.md")
        .run();
    assert!(
        done.stdout.contains("1 of 1 page needs an update"),
        "{}",
        done.stdout
    );
    repo.docdex(&["check", "--rev", "feature~1"])
        .status(0)
        .run();
    repo.docdex(&["check", "--base", "main", "--head", "feature~1"])
        .status(0)
        .run();
}

#[test]
fn hand_edited_page_in_range_is_checked() {
    let repo = clean_repo();
    repo.write("docs/pkg/core.py_kw.md", hand_edited("edited by hand"));
    repo.write(
        "docs/stray/keywords.md",
        hand_edited("not a page anyone makes"),
    );
    repo.git(&["add", "-A"]);
    repo.docdex(&["check", "--staged", "--no-diff"])
        .status(1)
        .stdout_has("stale docs/pkg/core.py_kw.md")
        .stdout_has("orphaned docs/stray/keywords.md (a reserved page name that nothing generates)")
        .run();
}

/// `check --pre-commit` as the pre-commit framework calls it, without the framework
/// (tests/it/framework.rs runs the real one): the scope each kind of run means.
#[test]
fn pre_commit_runs_check_what_the_framework_run_means() {
    let repo = clean_repo();
    repo.write(".pre-commit-config.yaml", "repos: []\n");
    repo.fix_and_commit();
    let fresh = repo.git(&["rev-parse", "HEAD"]).trim().to_owned();
    // A commit made without the hook leaves a page stale; nothing is staged.
    repo.write("pkg/core.py", "class Changed: pass\n");
    repo.commit_all("stale, unhooked");
    let pre_commit = |args: &[&str]| {
        let mut argv = vec!["check", "--pre-commit", "--no-diff"];
        argv.extend_from_slice(args);
        repo.docdex(&argv).env("PRE_COMMIT", "1")
    };
    // Nothing staged: CI, `--all-files`, the manual stage. Every page.
    pre_commit(&[".pre-commit-config.yaml"])
        .status(1)
        .stdout_has("nothing is staged (--all-files, the manual stage, or CI): every page")
        .stdout_has("stale docs/pkg/core.py_kw.md")
        .run();
    // A ref range: what it changed, and nothing when it changed nothing.
    pre_commit(&[])
        .env("PRE_COMMIT_FROM_REF", &fresh)
        .env("PRE_COMMIT_TO_REF", "HEAD")
        .status(1)
        .stdout_has("a ref range: checking what HEAD changed since")
        .stdout_has("stale docs/pkg/core.py_kw.md")
        .run();
    pre_commit(&[])
        .env("PRE_COMMIT_FROM_REF", "HEAD")
        .env("PRE_COMMIT_TO_REF", "HEAD")
        .status(0)
        .run();
    // Something else staged: a commit checks only what is staged...
    repo.write("pkg/util.py", "import sys\n");
    repo.git(&["add", "pkg/util.py"]);
    let commit = pre_commit(&[])
        .status(1)
        .stdout_has("a commit: the pages that depend on what is staged")
        .stdout_has("stale docs/pkg/util.py_kw.md")
        .run();
    assert!(
        !commit.stdout.contains("core.py_kw.md"),
        "{}",
        commit.stdout
    );
    // ...and its hint names this program by its path, as docdex is not on PATH there.
    let program = env!("CARGO_BIN_EXE_docdex");
    assert!(
        commit
            .stdout
            .contains(&format!("run `{program} check --staged --fix --stage`")),
        "{}",
        commit.stdout
    );
    // ...while --all-files (the config passed, but not staged) checks every page.
    pre_commit(&[".pre-commit-config.yaml"])
        .status(1)
        .stdout_has("--all-files: every page of the working tree")
        .stdout_has("stale docs/pkg/core.py_kw.md")
        .run();
    // A commit that stages the config is still a commit.
    repo.write(".pre-commit-config.yaml", "repos: []\n# edited\n");
    repo.git(&["add", ".pre-commit-config.yaml"]);
    pre_commit(&[".pre-commit-config.yaml"])
        .status(1)
        .stdout_has("a commit: the pages that depend on what is staged")
        .run();
    // Outside pre-commit the hint names `docdex`.
    repo.docdex(&["check", "--pre-commit", "--no-diff"])
        .status(1)
        .stdout_has("run `docdex check --staged --fix --stage`")
        .run();
}
