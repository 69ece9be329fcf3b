//! `--fix` (docs/guide.md, "Fixing"): atomic writes, deletes, staging, and protection of hand edits.

use crate::util::{hand_edited, TestRepo};

fn repo_with_documents() -> TestRepo {
    let repo = TestRepo::new();
    repo.write("lib/a.py", "class A: pass\n")
        .write("lib/deep/b.cpp", "namespace n { struct B {}; }\n")
        .write("notes.md", "Some Notes Here\n");
    repo.commit_all("documents");
    repo
}

#[test]
fn fix_writes_everything_and_a_second_fix_writes_nothing() {
    let repo = repo_with_documents();
    let first = repo
        .docdex(&["check", "-v", "--fix", "--no-diff"])
        .status(0)
        .stdout_has("wrote docs/lib/a.py_kw.md")
        .stdout_has("wrote docs/lib/deep/index.md")
        .stdout_has("wrote docs/sub.md")
        .stdout_has("wrote docs/keywords.md")
        .run();
    assert!(
        !repo.exists("docs/index.md"),
        "the landing page is never generated"
    );
    repo.docdex(&["check"]).status(0).run();
    let second = repo
        .docdex(&["check", "-v", "--fix"])
        .status(0)
        .stdout_lacks("wrote")
        .run();
    assert!(second.stdout.contains("pages fresh"), "{}", second.stdout);
    // No temporary files are left behind.
    assert!(
        !repo.listing().iter().any(|f| f.contains(".docdex-")),
        "{:?}\n{}",
        repo.listing(),
        first.stdout
    );
    // Pages never make folders: no docs/docs/... level appears, however often we fix.
    repo.commit_all("pages");
    repo.docdex(&["check", "-v", "--fix"])
        .status(0)
        .stdout_lacks("wrote")
        .run();
    assert!(!repo.listing().iter().any(|f| f.starts_with("docs/docs/")));
}

#[test]
fn fix_deletes_orphans_and_removes_emptied_folders() {
    let repo = repo_with_documents();
    repo.fix_and_commit();
    repo.git(&["rm", "-q", "lib/deep/b.cpp"]);
    repo.docdex(&["check", "-v", "--fix", "--no-diff"])
        .status(0)
        .stdout_has("deleted docs/lib/deep/b.cpp_kw.md")
        .stdout_has("deleted docs/lib/deep/index.md")
        .stdout_has("deleted docs/lib/deep/sub.md")
        .run();
    assert!(!repo.path().join("docs/lib/deep").exists());
    repo.docdex(&["check"]).status(0).run();
}

#[test]
fn a_folder_emptied_by_a_delete_is_made_again_for_a_page_written_after_it() {
    // Keyword pages only: deleting the orphan empties docs/lib, and the renamed
    // document's page, later in path order, goes into the same folder.
    let repo = TestRepo::new();
    repo.write("docdex.toml", "pages = [\"keyword\"]\n")
        .write("lib/old.py", "class Old: pass\n");
    repo.commit_all("documents");
    repo.fix_and_commit();
    repo.git(&["mv", "lib/old.py", "lib/zed.py"]);
    for args in [
        &["check", "-v", "--fix"][..],
        &["check", "-v", "--fix", "--format", "json"],
    ] {
        repo.docdex(args)
            .status(0)
            .stdout_has("docs/lib/zed.py_kw.md")
            .run();
        repo.docdex(&["check"]).status(0).run();
        repo.git(&["checkout", "-q", "--", "docs"]);
        let _ = std::fs::remove_file(repo.path().join("docs/lib/zed.py_kw.md"));
    }
}

#[test]
fn staged_fix_fixes_the_working_tree_and_asks_to_stage() {
    let repo = repo_with_documents();
    repo.fix_and_commit();
    repo.write("lib/a.py", "class A: pass\nclass B: pass\n");
    repo.git(&["add", "lib/a.py"]);
    repo.docdex(&["check", "-v", "--staged", "--fix", "--no-diff"])
        .status(1)
        .stdout_has("wrote docs/lib/a.py_kw.md")
        .stdout_has("git add -A -- docs/lib/a.py_kw.md")
        .run();
    // The index still carries the stale page...
    repo.docdex(&["check", "--staged"]).status(1).run();
    // ...until it is staged.
    repo.git(&["add", "-A", "--", "docs/lib/a.py_kw.md"]);
    repo.docdex(&["check", "--staged"]).status(0).run();
}

#[test]
fn staged_fix_with_stage_lets_the_commit_through() {
    let repo = repo_with_documents();
    repo.fix_and_commit();
    repo.write("lib/new.py", "def g(): pass\n");
    repo.git(&["rm", "-q", "notes.md"]);
    repo.git(&["add", "lib/new.py"]);
    repo.docdex(&["check", "--staged", "--fix", "--stage", "--no-diff"])
        .status(0)
        .stdout_has("fixed and staged")
        .run();
    repo.docdex(&["check", "--staged"]).status(0).run();
    repo.docdex(&["check"]).status(0).run();
    let staged = repo.git(&["diff", "--cached", "--no-renames", "--name-status"]);
    assert!(staged.contains("A\tdocs/lib/new.py_kw.md"), "{staged}");
    assert!(staged.contains("D\tdocs/notes.md_kw.md"), "{staged}");
    // What was staged is exactly what the working tree holds.
    assert_eq!(repo.git(&["diff", "--name-only"]), "");
}

#[test]
fn staged_fix_protects_unstaged_hand_edits_unless_forced() {
    let repo = repo_with_documents();
    repo.fix_and_commit();
    repo.write("lib/a.py", "class Changed: pass\n");
    repo.git(&["add", "lib/a.py"]);
    repo.write("docs/lib/a.py_kw.md", hand_edited("my unstaged notes"));
    repo.docdex(&["check", "--staged", "--fix", "--stage", "--no-diff"])
        .status(1)
        .stdout_has("left 1 page alone because of unstaged edits")
        .stdout_has("docs/lib/a.py_kw.md")
        .run();
    assert_eq!(
        repo.read("docs/lib/a.py_kw.md").unwrap(),
        hand_edited("my unstaged notes")
    );
    repo.docdex(&[
        "check",
        "--staged",
        "--fix",
        "--stage",
        "--force",
        "--no-diff",
    ])
    .status(0)
    .run();
    assert!(repo
        .read("docs/lib/a.py_kw.md")
        .unwrap()
        .contains("`Changed`"));
    repo.docdex(&["check", "--staged"]).status(0).run();
}

#[test]
fn fix_refuses_to_write_through_a_symlinked_root() {
    let outside = tempfile::tempdir().unwrap();
    let repo = TestRepo::new();
    repo.write("a.py", "def f(): pass\n");
    std::os::unix::fs::symlink(outside.path(), repo.path().join("docs")).unwrap();
    repo.docdex(&["check", "--fix", "--no-diff"])
        .status(2)
        // Refused once, before any page is written.
        .stderr_has("refusing to read or write pages in docs, which is a symlink")
        .stderr_has("nothing was written")
        .run();
    assert_eq!(std::fs::read_dir(outside.path()).unwrap().count(), 0);
}

#[test]
fn crlf_repositories_get_crlf_pages_and_stay_clean() {
    let repo = repo_with_documents();
    repo.git(&["config", "core.autocrlf", "true"]);
    repo.docdex(&["check", "--fix", "--no-diff"])
        .status(0)
        .run();
    let page = std::fs::read(repo.path().join("docs/lib/a.py_kw.md")).unwrap();
    assert!(page.windows(2).any(|w| w == b"\r\n"));
    repo.docdex(&["check"]).status(0).run();
    repo.commit_all("pages");
    assert_eq!(repo.git(&["status", "--porcelain"]), "");
    repo.docdex(&["check", "--rev", "HEAD"]).status(0).run();
}
