//! The same verdict in every mode: configuration read from the source being checked
//! (docs/guide.md, "Configuration"), and index states that are not staged content (docs/guide.md, "Which pages a run checks").

use crate::util::TestRepo;

fn committed_with_pages() -> TestRepo {
    let repo = TestRepo::new();
    repo.write("a.py", "class A: pass\n")
        .write("notes.md", "Alpha Beta Gamma Alpha\n");
    repo.fix_and_commit();
    repo
}

#[test]
fn an_unstaged_configuration_edit_does_not_change_the_hooks_verdict() {
    let repo = committed_with_pages();
    // Staged: a document edit with its fresh page (default configuration).
    repo.write("notes.md", "Alpha Beta Delta\n");
    repo.docdex(&["check", "--fix", "--no-diff"])
        .status(0)
        .run();
    repo.git(&["add", "-A"]);
    // Not staged: a configuration that would make that page stale.
    repo.write(
        "docdex.toml",
        "max_identifiers = 1\nexclude = [\"docdex.toml\"]\n",
    );
    repo.docdex(&["check", "--staged", "--no-diff"])
        .status(0)
        .run();
    // The working tree check reads the working tree's configuration.
    repo.docdex(&["check", "--no-diff"])
        .status(1)
        .stdout_has("stale docs/notes.md_kw.md")
        .run();
}

#[test]
fn a_staged_configuration_is_checked_with_itself() {
    let repo = committed_with_pages();
    repo.write(
        "docdex.toml",
        "max_identifiers = 1\nexclude = [\"docdex.toml\"]\n",
    );
    repo.git(&["add", "docdex.toml"]);
    repo.write("docdex.toml", "# unstaged: back to the defaults\n");
    repo.docdex(&["check", "--staged", "--no-diff"])
        .status(1)
        .stdout_has("stale docs/notes.md_kw.md")
        .run();
    // A staged configuration that does not parse is named as the staged one.
    repo.write("docdex.toml", "rooot = 1\n");
    repo.git(&["add", "docdex.toml"]);
    repo.write("docdex.toml", "");
    repo.docdex(&["check", "--staged"])
        .status(2)
        .stderr_has("docdex.toml (staged): ")
        .stderr_has("rooot")
        .run();
}

/// A committed repository whose configuration puts its pages under `pages/`.
fn pages_under_pages() -> TestRepo {
    let repo = TestRepo::new();
    repo.write(
        "docdex.toml",
        "root = \"pages\"\nexclude = [\"docdex.toml\"]\n",
    )
    .write("a.py", "class A: pass\n");
    repo.fix_and_commit();
    repo
}

#[test]
fn an_old_commit_is_checked_with_its_own_configuration() {
    let repo = pages_under_pages();
    assert!(repo.exists("pages/a.py_kw.md"));
    repo.git(&["rm", "-rq", "pages", "docdex.toml"]);
    repo.fix_and_commit();
    assert!(repo.exists("docs/a.py_kw.md"));
    repo.docdex(&["check", "--rev", "HEAD~1", "--no-diff"])
        .status(0)
        .run();
    repo.docdex(&["check", "--rev", "HEAD", "--no-diff"])
        .status(0)
        .run();
    repo.docdex(&["check", "--base", "HEAD~1", "--no-diff"])
        .status(0)
        .run();
}

#[test]
fn a_bare_repository_reads_the_commits_configuration() {
    let repo = pages_under_pages();
    let bare = TestRepo::new();
    bare.git(&[
        "clone",
        "-q",
        "--bare",
        repo.path().to_str().unwrap(),
        "bare.git",
    ]);
    let bare = TestRepo::at(&bare.path().join("bare.git"));
    bare.docdex(&["check", "--rev", "HEAD", "--no-diff"])
        .status(0)
        .stdout_has("pages fresh")
        .run();
    bare.docdex(&["check"])
        .status(2)
        .stderr_has("bare repository")
        .run();
}

#[test]
fn intent_to_add_files_are_not_staged_documents() {
    let repo = committed_with_pages();
    repo.write("later.py", "class Later: pass\n");
    repo.git(&["add", "-N", "later.py"]);
    repo.docdex(&["check", "--staged", "--no-diff"])
        .status(0)
        .run();
    repo.docdex(&["check", "--staged", "--fix", "--stage", "--no-diff"])
        .status(0)
        .run();
    repo.git(&["commit", "-q", "--allow-empty", "-m", "nothing staged"]);
    repo.docdex(&["check", "--rev", "HEAD", "--no-diff"])
        .status(0)
        .run();
    // Once really added, it is a document like any other.
    repo.git(&["add", "later.py"]);
    repo.docdex(&["check", "--staged", "--no-diff"])
        .status(1)
        .stdout_has("missing docs/later.py_kw.md")
        .run();
}

#[test]
fn a_page_git_ignores_converges_and_the_report_says_why() {
    let repo = TestRepo::new();
    repo.write(".gitignore", "build-*\n")
        .write("reqs/build-deps.txt", "Numpy Cython\n")
        .write("reqs/test.txt", "Pytest\n");
    repo.git(&["add", "-f", "reqs/build-deps.txt"]);
    repo.commit_all("documents");
    repo.docdex(&["check"])
        .status(1)
        .stdout_has("missing docs/reqs/build-deps.txt_kw.md (keyword page of reqs/build-deps.txt; git ignores this path by .gitignore (`build-*`), so the page will never be committed)")
        .run();
    repo.docdex(&["check", "-v", "--fix", "--no-diff"])
        .status(0)
        .stdout_has("docdex: wrote docs/reqs/build-deps.txt_kw.md, but git ignores that path by .gitignore (`build-*`), so the page will never be committed")
        .stdout_has("wrote docs/reqs/build-deps.txt_kw.md")
        .run();
    // The page is the file at its path, ignored or not: the next check is clean.
    repo.docdex(&["check", "--no-diff"]).status(0).run();
    repo.docdex(&["check", "-v", "--fix", "--no-diff"])
        .status(0)
        .stdout_lacks("wrote")
        .run();
}
