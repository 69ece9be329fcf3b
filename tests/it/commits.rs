//! Commits that stage files themselves (`git commit -a`, `git commit PATH`) through the
//! installed hook: the commit and the real index both end right, and the hint printed
//! when the hook blocks works in that situation.

use std::process::{Command, Output};

use crate::util::{combined_output, isolate, path_with_docdex, TestRepo};

/// A repository with fresh committed pages and docdex's pre-commit hook installed.
fn hooked() -> TestRepo {
    let repo = TestRepo::new();
    repo.write("src/a.py", "class A: pass\n")
        .write("src/b.py", "class B: pass\n");
    repo.fix_and_commit();
    repo.docdex(&["install-hook"]).status(0).run();
    repo
}

/// Runs a shell command line in the work tree, with docdex on PATH.
fn sh(repo: &TestRepo, line: &str) -> Output {
    let mut cmd = Command::new("sh");
    cmd.args(["-c", line])
        .current_dir(repo.path())
        .env("PATH", path_with_docdex());
    isolate(&mut cmd, repo.path());
    cmd.output().unwrap()
}

/// The hint's command, cut out of the summary line between "run `" and "`".
fn hinted_command(text: &str) -> String {
    let start = text.find("run `").expect("a hint") + 5;
    text[start..][..text[start..].find('`').unwrap()].to_owned()
}

/// Every page of HEAD is fresh, and the index holds exactly HEAD (nothing staged).
fn assert_committed_fresh_and_index_clean(repo: &TestRepo) {
    repo.docdex(&["check", "--rev", "HEAD", "--no-diff"])
        .status(0)
        .run();
    assert_eq!(repo.git(&["diff", "--cached", "--name-status"]), "");
}

#[test]
fn commit_all_blocked_by_the_hook_then_fixed_with_the_hint() {
    let repo = hooked();
    repo.write("src/a.py", "class Renamed: pass\n");
    let blocked = sh(&repo, "git commit -q -a -m stale");
    assert!(!blocked.status.success(), "{}", combined_output(&blocked));
    let text = combined_output(&blocked);
    assert!(text.contains("stale docs/src/a.py_kw.md"), "{text}");
    let hint = hinted_command(&text);
    assert_eq!(hint, "git add -u && docdex check --staged --fix --stage");
    let fixed = sh(&repo, &hint);
    assert!(fixed.status.success(), "{}", combined_output(&fixed));
    let passed = sh(&repo, "git commit -q -a -m fresh");
    assert!(passed.status.success(), "{}", combined_output(&passed));
    assert_committed_fresh_and_index_clean(&repo);
}

#[test]
fn partial_commit_blocked_by_the_hook_then_fixed_with_the_hint() {
    let repo = hooked();
    repo.write("src/a.py", "class Renamed: pass\n");
    repo.write("src/b.py", "class NotThisTime: pass\n");
    let blocked = sh(&repo, "git commit -q -m stale src/a.py");
    assert!(!blocked.status.success(), "{}", combined_output(&blocked));
    let text = combined_output(&blocked);
    assert!(
        text.contains("repeat the commit with the pages added to its paths: docs/src/a.py_kw.md"),
        "{text}"
    );
    let fixed = sh(&repo, &hinted_command(&text));
    assert!(fixed.status.success(), "{}", combined_output(&fixed));
    let passed = sh(&repo, "git commit -q -m fresh src/a.py docs/src/a.py_kw.md");
    assert!(passed.status.success(), "{}", combined_output(&passed));
    repo.docdex(&["check", "--rev", "HEAD", "--no-diff"])
        .status(0)
        .run();
    // b.py was left out of the commit, as asked.
    assert!(repo.git(&["show", "HEAD:src/b.py"]).contains("class B"));
}

#[test]
fn a_fixing_hook_keeps_the_real_index_right_in_a_partial_commit() {
    let repo = hooked();
    let hook = repo.path().join(".git/hooks/pre-commit");
    let script = std::fs::read_to_string(&hook).unwrap().replace(
        "exec docdex check --staged\n",
        "exec docdex check --staged --fix --stage\n",
    );
    std::fs::write(&hook, script).unwrap();
    repo.write("src/a.py", "class Renamed: pass\n");
    let done = sh(&repo, "git commit -q -m fresh src/a.py");
    assert!(done.status.success(), "{}", combined_output(&done));
    assert!(repo
        .git(&["show", "HEAD:docs/src/a.py_kw.md"])
        .contains("`Renamed`"));
    // The index git kept is the commit, not a staged revert of the page (`MM`).
    assert_committed_fresh_and_index_clean(&repo);
    assert_eq!(repo.git(&["status", "--porcelain"]), "");
    // And `git commit -a` through the same hook.
    repo.write("src/b.py", "class Bee: pass\n");
    let done = sh(&repo, "git commit -q -a -m fresh");
    assert!(done.status.success(), "{}", combined_output(&done));
    assert_committed_fresh_and_index_clean(&repo);
    assert_eq!(repo.git(&["status", "--porcelain"]), "");
}
