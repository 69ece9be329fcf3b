//! Where users run docdex: git hooks, machine-readable formats, GitHub Actions,
//! shell completions and CI shards.

use std::collections::BTreeSet;

use serde_json::Value;

use crate::util::TestRepo;

fn stale_repo(documents: usize) -> TestRepo {
    let repo = TestRepo::new();
    for i in 0..documents {
        repo.write(&format!("pkg/m{i:02}.py"), format!("class K{i}: pass\n"));
    }
    repo.commit_all("documents");
    repo
}

#[test]
fn install_hook_is_idempotent_and_never_clobbers_a_foreign_hook() {
    let repo = stale_repo(1);
    repo.docdex(&["install-hook"])
        .status(0)
        .stdout_has("docdex: installed")
        .run();
    let hook = repo.path().join(".git/hooks/pre-commit");
    let script = std::fs::read_to_string(&hook).unwrap();
    assert!(script.contains("exec docdex check --staged"));
    assert_eq!(
        std::os::unix::fs::PermissionsExt::mode(&std::fs::metadata(&hook).unwrap().permissions())
            & 0o111,
        0o111
    );
    repo.docdex(&["install-hook"])
        .status(0)
        .stdout_has("already installed")
        .run();
    std::fs::write(&hook, "#!/bin/sh\necho mine\n").unwrap();
    repo.docdex(&["install-hook"])
        .status(2)
        .stderr_has("was not written by docdex")
        .stderr_has("--force")
        .run();
    assert_eq!(
        std::fs::read_to_string(&hook).unwrap(),
        "#!/bin/sh\necho mine\n"
    );
    repo.docdex(&["install-hook", "--force"]).status(0).run();
    assert_eq!(std::fs::read_to_string(&hook).unwrap(), script);
    // A docdex hook the user edited is theirs: kept unless --force.
    for edited in [
        script.replace(
            "exec docdex check --staged\n",
            "exec docdex check --staged --fix --stage\n",
        ),
        format!("{script}echo one more line\n"),
    ] {
        std::fs::write(&hook, &edited).unwrap();
        repo.docdex(&["install-hook"])
            .status(2)
            .stderr_has("is a docdex hook you have edited")
            .run();
        assert_eq!(std::fs::read_to_string(&hook).unwrap(), edited);
    }
    // Any hook docdex ever shipped, byte for byte, is replaced by the current one.
    let old = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("hooks/previous/pre-commit.v1"),
    )
    .unwrap();
    std::fs::write(&hook, old).unwrap();
    repo.docdex(&["install-hook"])
        .status(0)
        .stdout_has("installed")
        .run();
    assert_eq!(std::fs::read_to_string(&hook).unwrap(), script);
    repo.docdex(&["install-hook", "--pre-push"]).status(0).run();
    assert!(
        std::fs::read_to_string(repo.path().join(".git/hooks/pre-push"))
            .unwrap()
            .contains("@{upstream}")
    );
}

#[test]
fn install_hook_respects_hooks_path_and_linked_worktrees() {
    let repo = stale_repo(1);
    repo.git(&["config", "core.hooksPath", "githooks"]);
    repo.docdex(&["install-hook"]).status(0).run();
    assert!(repo.exists("githooks/pre-commit"));
    repo.git(&["config", "--unset", "core.hooksPath"]);
    let linked = tempfile::tempdir().unwrap();
    let wt = linked.path().join("wt");
    repo.git(&["worktree", "add", "-q", wt.to_str().unwrap()]);
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_docdex"))
        .args(["install-hook"])
        .current_dir(&wt)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        repo.exists(".git/hooks/pre-commit"),
        "worktrees share the main hooks folder"
    );
}

#[test]
fn pre_push_script_checks_the_branch_against_its_upstream() {
    let repo = stale_repo(2);
    repo.fix_and_commit();
    let remote = tempfile::tempdir().unwrap();
    repo.git(&[
        "clone",
        "-q",
        "--bare",
        ".",
        remote.path().join("r.git").to_str().unwrap(),
    ]);
    repo.git(&[
        "remote",
        "add",
        "origin",
        remote.path().join("r.git").to_str().unwrap(),
    ]);
    repo.git(&["fetch", "-q", "origin"]);
    repo.git(&["branch", "-q", "--set-upstream-to", "origin/main"]);
    repo.write("pkg/m00.py", "class Changed: pass\n");
    repo.commit_all("stale");
    let script = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("hooks/pre-push");
    let run = || {
        std::process::Command::new("sh")
            .arg(&script)
            .current_dir(repo.path())
            .env("PATH", crate::util::path_with_docdex())
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .output()
            .unwrap()
    };
    let out = run();
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("stale docs/pkg/m00.py_kw.md")
            && stdout.contains("1 of 1 page needs an update"),
        "{stdout}"
    );
    // Without an upstream it falls back to checking every page of HEAD, and says so.
    repo.git(&["branch", "-q", "--unset-upstream"]);
    let out = run();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no upstream"));
}

#[test]
fn json_output_follows_the_documented_schema() {
    let repo = stale_repo(3);
    repo.fix_and_commit();
    repo.write("pkg/m00.py", "class Renamed: pass\n");
    repo.write("pkg/new.py", "def f(): pass\n");
    repo.remove("pkg/m02.py");
    let done = repo.docdex(&["check", "--format", "json"]).status(1).run();
    assert_eq!(
        done.stdout.lines().count(),
        1,
        "one JSON document on one line"
    );
    let doc: Value = serde_json::from_str(&done.stdout).unwrap();
    assert_eq!(doc["version"], 1);
    assert_eq!(doc["mode"]["name"], "worktree");
    let findings = doc["findings"].as_array().unwrap();
    for finding in findings {
        for key in [
            "status",
            "kind",
            "page",
            "documents",
            "committed_hash",
            "expected_hash",
            "added",
            "removed",
        ] {
            assert!(finding.get(key).is_some(), "finding lacks {key}: {finding}");
        }
    }
    let by_page = |page: &str| findings.iter().find(|f| f["page"] == page).unwrap().clone();
    let stale = by_page("docs/pkg/m00.py_kw.md");
    assert_eq!(stale["status"], "stale");
    assert_eq!(stale["kind"], "keyword");
    assert_eq!(stale["documents"], serde_json::json!(["pkg/m00.py"]));
    assert_eq!(stale["added"][0]["label"], "Renamed");
    assert_eq!(stale["removed"][0]["label"], "K0");
    assert_eq!(stale["expected_hash"].as_str().unwrap().len(), 40);
    let missing = by_page("docs/pkg/new.py_kw.md");
    assert!(missing["committed_hash"].is_null());
    let orphan = by_page("docs/pkg/m02.py_kw.md");
    assert!(orphan["expected_hash"].is_null());
    let index = by_page("docs/pkg/index.md");
    assert_eq!(index["kind"], "folder");
    assert_eq!(
        index["documents"],
        serde_json::json!(["pkg/m02.py", "pkg/new.py"])
    );
    // Stale: the edited keyword page, pkg/index.md, pkg/sub.md, sub.md and keywords.md.
    assert_eq!(doc["totals"]["stale"], 5);
    assert_eq!(doc["totals"]["missing"], 1);
    assert_eq!(doc["totals"]["orphaned"], 1);
    assert_eq!(doc["totals"]["documents"], 3);
    assert!(doc.get("fix").is_none());

    let fixed = repo
        .docdex(&["check", "--fix", "--format", "json"])
        .status(0)
        .run();
    let doc: Value = serde_json::from_str(&fixed.stdout).unwrap();
    assert_eq!(doc["fix"]["written"].as_array().unwrap().len(), 6);
    assert_eq!(
        doc["fix"]["removed"],
        serde_json::json!(["docs/pkg/m02.py_kw.md"])
    );
    let clean = repo.docdex(&["check", "--format", "json"]).status(0).run();
    let doc: Value = serde_json::from_str(&clean.stdout).unwrap();
    assert_eq!(doc["findings"], serde_json::json!([]));
}

#[test]
fn github_format_annotates_ten_findings_shared_among_statuses_and_writes_a_summary() {
    // 18 stale pages, 3 missing, 1 orphaned.
    let repo = stale_repo(15);
    repo.fix_and_commit();
    for i in 0..14 {
        repo.write(
            &format!("pkg/m{i:02}.py"),
            format!("class K{i}: pass\ndef f{i}(): pass\n"),
        );
    }
    repo.write("new/n.py", "class N: pass\n");
    repo.remove("pkg/m14.py");
    repo.commit_all("changes");
    let summary = repo.path().join("summary.md");
    let done = repo
        .docdex(&["check", "--no-diff"])
        .env("GITHUB_ACTIONS", "true")
        .env("GITHUB_STEP_SUMMARY", summary.to_str().unwrap())
        .status(1)
        .run();
    let errors: Vec<&str> = done
        .stdout
        .lines()
        .filter(|l| l.starts_with("::error "))
        .collect();
    let titled = |status: &str| {
        errors
            .iter()
            .filter(|l| l.contains(&format!("title=docdex%3A {status} page::")))
            .count()
    };
    // Round by round, a place each for stale, missing, orphaned while they last.
    assert_eq!(
        (
            errors.len(),
            titled("stale"),
            titled("missing"),
            titled("orphaned")
        ),
        (10, 6, 3, 1),
        "{}",
        done.stdout
    );
    assert!(
        done.stdout.contains(
            "::notice title=docdex%3A more findings::12 more findings are not annotated (GitHub shows 10 per step): see the job summary."
        ),
        "{}",
        done.stdout
    );
    assert!(done
        .stdout
        .contains("::error file=docs/pkg/m00.py_kw.md,title=docdex%3A stale page::"));
    // The human report follows, for the log.
    assert!(done
        .stdout
        .contains("\nstale docs/pkg/m13.py_kw.md (keyword page of pkg/m13.py)\n"));
    let md = std::fs::read_to_string(&summary).unwrap();
    assert!(md.starts_with("### docdex: 22 of "), "{md}");
    assert_eq!(
        md.matches("| stale | `").count(),
        18,
        "every finding is listed:\n{md}"
    );
    assert!(
        md.contains("1 keyword added (`f3`)"),
        "the words of each finding:\n{md}"
    );
    assert!(md.contains("```diff"));
}

/// The GitHub job summary of a first check of `count` committed markdown documents in
/// `folder`, each with `words` in it; it must stay under the 1 MiB GitHub accepts.
fn github_summary_of_new_documents(
    folder: &str,
    count: usize,
    words: impl Fn(usize) -> String,
) -> String {
    let repo = TestRepo::new();
    for i in 0..count {
        repo.write(
            &format!("{folder}/{i:04}_{}.md", "long".repeat(20)),
            words(i),
        );
    }
    repo.commit_all("many");
    let summary = repo.path().join("summary.md");
    repo.docdex(&["check", "--format", "github", "--no-diff"])
        .env("GITHUB_STEP_SUMMARY", summary.to_str().unwrap())
        .status(1)
        .run();
    let md = std::fs::read_to_string(&summary).unwrap();
    assert!(
        md.len() < 1024 * 1024,
        "{} bytes: GitHub refuses it",
        md.len()
    );
    md
}

#[test]
fn github_summary_truncates_diffs_but_never_the_list() {
    // ~1,200 documents with long names: their diffs alone would exceed 1 MiB.
    let md =
        github_summary_of_new_documents("a", 1200, |i| format!("Word{i} Another{i} Third{i}\n"));
    assert_eq!(md.matches("| missing | `").count(), 1200 + 4);
    assert!(md.contains("more diffs are left out"));
}

#[test]
fn github_summary_lists_what_fits_and_counts_the_rest() {
    // 1,500 documents whose paths are near 400 bytes: their rows alone exceed 1 MiB.
    let folder = format!("a/{}/{}", "deep".repeat(37), "deeper".repeat(25));
    let md = github_summary_of_new_documents(&folder, 1500, |i| format!("Word{i}\n"));
    let listed = md.matches("| missing | `").count();
    let total: usize = md
        .strip_prefix("### docdex: ")
        .and_then(|rest| rest.split(' ').next())
        .map(|n| n.parse().unwrap())
        .unwrap_or_else(|| panic!("no heading: {}", &md[..200]));
    assert!(total > 1500, "{total}");
    let unlisted: usize = md
        .split_once(" more findings are not listed")
        .and_then(|(before, _)| before.rsplit('*').next())
        .map(|n| n.parse().unwrap())
        .unwrap_or_else(|| panic!("no count of the rest in the summary"));
    assert!(
        listed > 1000 && unlisted > 0,
        "{listed} listed, {unlisted} not"
    );
    assert_eq!(
        listed + unlisted,
        total,
        "every finding is listed or counted"
    );
}

#[test]
fn sarif_output_is_a_valid_log() {
    let repo = stale_repo(2);
    let done = repo.docdex(&["check", "--format", "sarif"]).status(1).run();
    let log: Value = serde_json::from_str(&done.stdout).unwrap();
    assert_eq!(log["version"], "2.1.0");
    let run = &log["runs"][0];
    assert_eq!(run["tool"]["driver"]["name"], "docdex");
    let results = run["results"].as_array().unwrap();
    assert_eq!(results.len(), 6);
    assert_eq!(results[0]["ruleId"], "docdex/missing");
    assert_eq!(
        results[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "docs/pkg/m00.py_kw.md"
    );
    assert_eq!(run["automationDetails"]["id"], "docdex/");
    let fingerprints: std::collections::BTreeSet<&str> = results
        .iter()
        .map(|r| {
            r["partialFingerprints"]["primaryLocationLineHash"]
                .as_str()
                .unwrap()
        })
        .collect();
    assert_eq!(
        fingerprints.len(),
        results.len(),
        "one identity per finding"
    );

    // The same finding keeps its identity in a later run and in a shard of its own.
    let sharded = repo
        .docdex(&["check", "--format", "sarif", "--shard", "2/3"])
        .status(1)
        .run();
    let log: Value = serde_json::from_str(&sharded.stdout).unwrap();
    let run = &log["runs"][0];
    assert_eq!(run["automationDetails"]["id"], "docdex/shard-2-of-3/");
    assert!(!run["results"].as_array().unwrap().is_empty());
    for result in run["results"].as_array().unwrap() {
        let hash = result["partialFingerprints"]["primaryLocationLineHash"]
            .as_str()
            .unwrap();
        assert!(fingerprints.contains(hash), "{hash}");
    }
}

#[test]
fn man_pages_come_from_the_help_text() {
    let repo = stale_repo(1);
    let main = repo.docdex(&["man"]).status(0).run();
    assert!(main.stdout.contains(".TH docdex 1"), "{}", main.stdout);
    assert!(
        main.stdout.contains("install\\-hook"),
        "subcommands are listed"
    );
    let check = repo.docdex(&["man", "check"]).status(0).run();
    let title = format!(
        ".TH docdex-check 1  \"docdex-check {}\"",
        env!("CARGO_PKG_VERSION")
    );
    assert!(check.stdout.contains(&title), "{}", check.stdout);
    assert!(check.stdout.contains("\\-\\-staged"));
    for page in [&main.stdout, &check.stdout] {
        assert!(page.contains("\n.SH EXAMPLES\n") && page.contains("\n.SH \"EXIT STATUS\"\n"));
        assert!(!page.contains(".SH EXTRA"), "{page}");
    }
    let dir = tempfile::tempdir().unwrap();
    repo.docdex(&["man", "--dir", dir.path().join("man1").to_str().unwrap()])
        .status(0)
        .run();
    let mut written: Vec<String> = std::fs::read_dir(dir.path().join("man1"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    written.sort();
    assert_eq!(
        written,
        [
            "docdex-cache.1",
            "docdex-check.1",
            "docdex-completions.1",
            "docdex-install-hook.1",
            "docdex-man.1",
            "docdex-show.1",
            "docdex.1"
        ]
    );
    // Every line of every page fits 80 columns as man lays it out.
    if std::process::Command::new("man")
        .arg("--version")
        .output()
        .is_ok()
    {
        for name in &written {
            let out = std::process::Command::new("man")
                .args(["-l", dir.path().join("man1").join(name).to_str().unwrap()])
                .env("MANWIDTH", "80")
                .env("MANPAGER", "cat")
                .output()
                .unwrap();
            let text = String::from_utf8_lossy(&out.stdout);
            let widest = text.lines().map(|l| l.chars().count()).max().unwrap_or(0);
            assert!(widest <= 80, "{name}: a line of {widest} columns:\n{text}");
        }
    }
    repo.docdex(&["man", "nope"])
        .status(2)
        .stderr_has("possible values: check, show, install-hook, cache, completions, man")
        .run();
}

#[test]
fn completions_help_names_every_shell_it_accepts() {
    let repo = stale_repo(1);
    let help = repo.docdex(&["completions", "--help"]).status(0).run();
    for shell in ["bash", "elvish", "fish", "powershell", "zsh"] {
        assert!(
            help.stdout.contains(&format!("  {shell} ")),
            "{shell}: {}",
            help.stdout
        );
    }
}

#[test]
fn completions_are_printed_for_each_shell() {
    let repo = stale_repo(1);
    for shell in ["bash", "zsh", "fish"] {
        let done = repo.docdex(&["completions", shell]).status(0).run();
        assert!(done.stdout.contains("install-hook"), "{shell}");
    }
}

#[test]
fn shards_partition_the_full_check() {
    let repo = stale_repo(30);
    let pages = |args: &[&str]| -> BTreeSet<String> {
        let mut all = vec!["check", "--format", "json"];
        all.extend_from_slice(args);
        let done = repo.docdex(&all).run();
        let doc: Value = serde_json::from_str(&done.stdout).unwrap();
        doc["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["page"].as_str().unwrap().to_owned())
            .collect()
    };
    let full = pages(&[]);
    assert_eq!(full.len(), 34);
    let shards: Vec<BTreeSet<String>> = (1..=3)
        .map(|k| pages(&["--shard", &format!("{k}/3")]))
        .collect();
    let union: BTreeSet<String> = shards.iter().flatten().cloned().collect();
    assert_eq!(union, full);
    assert_eq!(
        shards.iter().map(BTreeSet::len).sum::<usize>(),
        full.len(),
        "shards are disjoint"
    );
    assert!(shards.iter().all(|s| !s.is_empty()));
    repo.docdex(&["check", "--shard", "4/3"])
        .status(2)
        .run_allowing_stderr();
}

#[test]
fn output_writes_the_report_to_a_file_and_exit_zero_lets_findings_pass() {
    let repo = stale_repo(3);
    let done = repo
        .docdex(&["check", "--format", "sarif", "--output", "out/report.sarif"])
        .status(2)
        .run();
    assert!(done.stdout.is_empty(), "{}", done.stdout);
    std::fs::create_dir_all(repo.path().join("out")).unwrap();
    let done = repo
        .docdex(&["check", "--format", "sarif", "-o", "out/report.sarif"])
        .status(1)
        .run();
    assert!(
        done.stdout.is_empty(),
        "the report went to the file, not stdout"
    );
    let sarif: Value = serde_json::from_str(
        &std::fs::read_to_string(repo.path().join("out/report.sarif")).unwrap(),
    )
    .unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    let results = sarif["runs"][0]["results"].as_array().unwrap().len();
    assert_eq!(
        results, 7,
        "3 keyword pages, pkg/index.md, pkg/sub.md, sub.md, keywords.md"
    );
    let leftovers: Vec<_> = std::fs::read_dir(repo.path().join("out"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    assert_eq!(leftovers, ["report.sarif"], "no temporary file is left");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(repo.path().join("out/report.sarif"))
            .unwrap()
            .permissions()
            .mode();
        assert_ne!(
            mode & 0o044,
            0,
            "readable by others as git's files are: {mode:o}"
        );
    }
    // --exit-zero: findings pass, errors do not.
    repo.docdex(&["check", "--exit-zero"])
        .status(0)
        .stdout_has("need an update")
        .run();
    repo.docdex(&["check", "--exit-zero", "--rev", "no-such-rev"])
        .status(2)
        .run();
}
