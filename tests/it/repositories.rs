//! Which repository docdex reads (git's environment), and repositories it cannot
//! read saying so: exit 2 with what they are and what to do, never a wrong repository.

use std::path::Path;
use std::process::Command;

use crate::util::{isolate, TestRepo};

fn project() -> TestRepo {
    let repo = TestRepo::new();
    repo.write("src/app.py", "class App: pass\n");
    repo.commit_all("one document");
    repo
}

/// A directory that is no repository, to run docdex from.
fn elsewhere() -> tempfile::TempDir {
    tempfile::tempdir().unwrap()
}

fn relative(from: &Path, to: &Path) -> String {
    let depth = from.components().count() - 1;
    format!(
        "{}{}",
        "../".repeat(depth),
        to.strip_prefix("/").unwrap().display()
    )
}

#[test]
fn git_dir_and_work_tree_name_the_repository_relative_to_the_current_directory() {
    let repo = project();
    let cwd = elsewhere();
    let git_dir = relative(cwd.path(), &repo.path().join(".git"));
    let work_tree = relative(cwd.path(), repo.path());
    TestRepo::at(cwd.path())
        .docdex(&["check", "-v", "--fix", "--no-diff"])
        .env("GIT_DIR", &git_dir)
        .env("GIT_WORK_TREE", &work_tree)
        .status(0)
        .stdout_has("wrote docs/src/app.py_kw.md")
        .run();
    assert!(repo.exists("docs/src/app.py_kw.md"));
    assert_eq!(
        std::fs::read_dir(cwd.path()).unwrap().count(),
        0,
        "nothing is written where docdex was started"
    );
}

#[test]
fn git_dir_alone_makes_the_current_directory_the_work_tree() {
    let repo = project();
    let store = elsewhere();
    // The repository's git directory lives apart from its work tree.
    std::fs::rename(repo.path().join(".git"), store.path().join("repo.git")).unwrap();
    repo.docdex(&["check", "--no-diff"])
        .env("GIT_DIR", store.path().join("repo.git").to_str().unwrap())
        .status(1)
        .stdout_has("missing docs/src/app.py_kw.md")
        .run();
}

#[test]
fn ceiling_directories_stop_the_search_for_a_repository() {
    let repo = project();
    repo.docdex(&["check"])
        .in_dir("src")
        .env("GIT_CEILING_DIRECTORIES", repo.path().to_str().unwrap())
        .status(2)
        .stderr_has("not inside a git repository")
        .run();
}

#[test]
fn index_file_names_the_index_staged_is_read_from() {
    let repo = project();
    repo.fix_and_commit();
    repo.write("src/new.py", "def fresh(): pass\n");
    // Staged only in another index file: git's own index stays clean.
    std::fs::copy(
        repo.path().join(".git/index"),
        repo.path().join(".git/other-index"),
    )
    .unwrap();
    repo.git_with(
        &[("GIT_INDEX_FILE", ".git/other-index".as_ref())],
        &["add", "src/new.py"],
    );
    repo.docdex(&["check", "--staged", "--no-diff"])
        .status(0)
        .run();
    repo.docdex(&["check", "--staged", "--no-diff"])
        .env("GIT_INDEX_FILE", ".git/other-index")
        .status(1)
        .stdout_has("missing docs/src/new.py_kw.md")
        .run();
}

#[test]
fn object_directory_names_where_objects_are() {
    let repo = TestRepo::new();
    let objects = elsewhere();
    repo.write("src/app.py", "class App: pass\n");
    for args in [&["add", "-A"][..], &["commit", "-qm", "apart"][..]] {
        repo.git_with(
            &[("GIT_OBJECT_DIRECTORY", objects.path().as_os_str())],
            args,
        );
    }
    repo.docdex(&["check", "--rev", "HEAD", "--no-diff"])
        .env("GIT_OBJECT_DIRECTORY", objects.path().to_str().unwrap())
        .status(1)
        .stdout_has("missing docs/src/app.py_kw.md")
        .run();
    // Without it the objects are missing, and the error says what that means.
    repo.docdex(&["check", "--rev", "HEAD", "--no-diff"])
        .status(2)
        .stderr_has("is missing from the repository")
        .run();
}

/// `git init` with extra arguments, or `None` (with the reason printed) when this git
/// is too old for them.
fn init_with(args: &[&str]) -> Option<TestRepo> {
    let dir = tempfile::tempdir().unwrap();
    let mut git = Command::new("git");
    git.arg("init").arg("-q").args(args).arg(dir.path());
    isolate(&mut git, dir.path());
    let out = git.output().unwrap();
    if !out.status.success() {
        eprintln!(
            "skipped: `git init {}` failed: {}",
            args.join(" "),
            String::from_utf8_lossy(&out.stderr)
        );
        return None;
    }
    let repo = TestRepo::at(&dir.keep());
    Some(repo)
}

#[test]
fn sha256_repositories_are_named_as_such() {
    let Some(repo) = init_with(&["--object-format=sha256"]) else {
        return;
    };
    repo.docdex(&["check"])
        .status(2)
        .stderr_has("uses SHA-256 object names")
        .run();
}

#[test]
fn reftable_repositories_are_named_as_such() {
    let Some(repo) = init_with(&["--ref-format=reftable"]) else {
        return;
    };
    repo.docdex(&["check"])
        .status(2)
        .stderr_has("reftable format")
        .stderr_has("git refs migrate")
        .run();
}

#[test]
fn split_and_sparse_indexes_are_named_with_the_command_that_undoes_them() {
    let repo = project();
    repo.git(&["update-index", "--split-index"]);
    repo.docdex(&["check", "--staged"])
        .status(2)
        .stderr_has("split index")
        .stderr_has("git update-index --no-split-index")
        .run();
    repo.git(&["update-index", "--no-split-index"]);
    repo.write("lib/other.py", "class Other: pass\n");
    repo.commit_all("a folder outside the cone");
    repo.git(&["sparse-checkout", "set", "--cone", "--sparse-index", "src"]);
    repo.docdex(&["check", "--staged"])
        .status(2)
        .stderr_has("sparse index")
        .run();
    repo.git(&["sparse-checkout", "init", "--no-sparse-index"]);
    repo.docdex(&["check", "--staged"]).status(0).run();
}

#[test]
fn a_repository_owned_by_someone_else_points_at_safe_directory() {
    let repo = project();
    let mut chown = Command::new("chown");
    chown.args(["-R", "54321"]).arg(repo.path());
    if !chown.status().is_ok_and(|s| s.success()) {
        eprintln!("skipped: changing the owner needs root");
        return;
    }
    repo.docdex(&["check"])
        .status(2)
        .stderr_has("safe.directory")
        .run();
}

#[test]
fn a_blobless_clone_missing_an_object_says_so() {
    let origin = project();
    origin.git(&["config", "uploadpack.allowFilter", "true"]);
    let dir = tempfile::tempdir().unwrap();
    let mut clone = Command::new("git");
    clone
        .args(["clone", "-q", "--no-checkout", "--filter=blob:none"])
        .arg(format!("file://{}", origin.path().display()))
        .arg(dir.path().join("clone"));
    isolate(&mut clone, dir.path());
    assert!(clone.status().unwrap().success());
    TestRepo::at(&dir.path().join("clone"))
        .docdex(&["check", "--rev", "HEAD"])
        .status(2)
        .stderr_has("src/app.py: an object is missing")
        .stderr_has("partial (blobless) clone")
        .run();
}

#[test]
fn a_tree_deeper_than_git_allows_is_refused() {
    let repo = TestRepo::new();
    repo.write("a/b/c/d/deep.py", "def deep(): pass\n");
    repo.commit_all("deep");
    repo.git(&["config", "core.maxTreeDepth", "3"]);
    repo.docdex(&["check", "--rev", "HEAD"])
        .status(2)
        .stderr_has("deeper than git allows (3 levels")
        .run();
    repo.git(&["config", "core.maxTreeDepth", "4"]);
    repo.docdex(&["check", "--rev", "HEAD", "--no-diff"])
        .status(1)
        .run();
}
