//! The GitHub Action's base-finding step (`action/run.sh`) against real shallow clones,
//! with the event data GitHub would pass.

use std::path::Path;
use std::process::{Command, Output};

use crate::util::{combined_output, path_with_docdex, TestRepo};

/// An origin with a clean `main`, and a `feature` branch (two commits deep) that edits
/// one document without updating its page.
fn origin() -> (TestRepo, String) {
    let origin = TestRepo::new();
    origin
        .write("pkg/a.py", "class A: pass\n")
        .write("pkg/b.py", "class B: pass\n");
    origin.commit_all("documents");
    origin.fix_and_commit();
    let main = origin.git(&["rev-parse", "HEAD"]).trim().to_owned();
    origin.git(&["checkout", "-q", "-b", "feature"]);
    origin.write("pkg/a.py", "class Changed: pass\n");
    origin.commit_all("edit a");
    origin.write("notes.txt", "plain words\n");
    origin.commit_all("add notes without its page");
    origin.git(&["checkout", "-q", "main"]);
    (origin, main)
}

fn shallow_clone(origin: &TestRepo, branch: &str) -> TestRepo {
    let clone = TestRepo::new();
    let url = format!("file://{}", origin.path().display());
    clone.git(&["remote", "add", "origin", &url]);
    clone.git(&["fetch", "-q", "--depth", "1", "origin", branch]);
    clone.git(&["checkout", "-q", "-b", branch, "FETCH_HEAD"]);
    clone
}

fn run_action(repo: &TestRepo, env: &[(&str, &str)]) -> Output {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("action/run.sh");
    let mut cmd = Command::new("bash");
    cmd.arg(script)
        .current_dir(repo.path())
        .env("PATH", path_with_docdex())
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env_remove("GITHUB_ACTIONS");
    for (key, value) in env {
        cmd.env(key, value);
    }
    cmd.output().unwrap()
}

#[test]
fn pull_request_in_a_shallow_clone_fetches_the_base_and_checks_the_branch() {
    let (origin, main) = origin();
    let clone = shallow_clone(&origin, "feature");
    assert_eq!(
        clone.git(&["rev-parse", "--is-shallow-repository"]).trim(),
        "true"
    );
    let out = run_action(
        &clone,
        &[
            ("DOCDEX_EVENT", "pull_request"),
            ("DOCDEX_PR_BASE", &main),
            ("DOCDEX_ARGS", "--no-diff"),
        ],
    );
    let log = combined_output(&out);
    assert_eq!(out.status.code(), Some(1), "{log}");
    assert!(log.contains("stale docs/pkg/a.py_kw.md"), "{log}");
    assert!(log.contains("missing docs/notes.txt_kw.md"), "{log}");
    assert!(
        !log.contains("pkg/b.py_kw.md"),
        "only pages the branch touches: {log}"
    );
}

#[test]
fn merge_group_checks_against_the_queue_base() {
    let (origin, main) = origin();
    let clone = shallow_clone(&origin, "feature");
    let out = run_action(
        &clone,
        &[
            ("DOCDEX_EVENT", "merge_group"),
            // What GitHub sends a merge queue: no pull_request data, a merge_group base.
            ("DOCDEX_PR_BASE", ""),
            ("DOCDEX_MERGE_GROUP_BASE", &main),
            ("DOCDEX_ARGS", "--no-diff"),
        ],
    );
    let log = combined_output(&out);
    assert_eq!(out.status.code(), Some(1), "{log}");
    assert!(log.contains("stale docs/pkg/a.py_kw.md"), "{log}");
    assert!(!log.contains("checking every page"), "{log}");
    assert!(
        !log.contains("pkg/b.py_kw.md"),
        "only the queued change: {log}"
    );
}

#[test]
fn push_compares_with_the_previous_tip() {
    // `feature` pushed on top of `main`'s tip: the check runs from that tip, fetched
    // into the shallow clone, and finds what the branch left stale.
    let (origin, main) = origin();
    let clone = shallow_clone(&origin, "feature");
    let out = run_action(
        &clone,
        &[
            ("DOCDEX_EVENT", "push"),
            ("DOCDEX_PUSH_BEFORE", &main),
            ("DOCDEX_ARGS", "--no-diff --format json"),
        ],
    );
    assert_eq!(out.status.code(), Some(1), "{}", combined_output(&out));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["mode"]["name"], "base");
    assert_eq!(
        doc["mode"]["base"],
        main.as_str(),
        "compared with the previous tip"
    );
    let pages: Vec<&str> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["page"].as_str().unwrap())
        .collect();
    assert!(pages.contains(&"docs/pkg/a.py_kw.md"), "{pages:?}");
    // The tip itself, pushed again: nothing changed from it.
    let clone = shallow_clone(&origin, "main");
    let out = run_action(
        &clone,
        &[("DOCDEX_EVENT", "push"), ("DOCDEX_PUSH_BEFORE", &main)],
    );
    assert_eq!(out.status.code(), Some(0), "{}", combined_output(&out));
    let log = combined_output(&out);
    assert!(
        log.contains(&format!(
            "nothing changed from the merge-base of {main} to HEAD"
        )),
        "{log}"
    );
}

#[test]
fn a_new_branch_push_compares_with_the_default_branch() {
    let (origin, _) = origin();
    let clone = shallow_clone(&origin, "feature");
    let out = run_action(
        &clone,
        &[
            ("DOCDEX_EVENT", "push"),
            (
                "DOCDEX_PUSH_BEFORE",
                "0000000000000000000000000000000000000000",
            ),
            ("DOCDEX_DEFAULT_BRANCH", "main"),
            ("DOCDEX_ARGS", "--no-diff --format json"),
        ],
    );
    assert_eq!(out.status.code(), Some(1), "{}", combined_output(&out));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["mode"]["name"], "base");
}

#[test]
fn other_events_check_every_page_and_fix_writes_them() {
    let (origin, _) = origin();
    let clone = shallow_clone(&origin, "feature");
    let out = run_action(&clone, &[("DOCDEX_EVENT", "workflow_dispatch")]);
    assert_eq!(out.status.code(), Some(1));
    assert!(combined_output(&out).contains("checking every page"));
    let out = run_action(
        &clone,
        &[("DOCDEX_FIX", "true"), ("DOCDEX_ARGS", "--no-diff")],
    );
    assert_eq!(out.status.code(), Some(0), "{}", combined_output(&out));
    clone.docdex(&["check"]).status(0).run();
}
