//! Every output a user reads, as reviewed snapshots: the human report (plain and in
//! colour), JSON, SARIF, the GitHub log and its job summary, the fix summary, and
//! `--help`. A change to any of them shows up as a snapshot diff to review.

use crate::util::TestRepo;

/// A repository with one finding of every status.
fn every_status() -> TestRepo {
    let repo = TestRepo::new();
    repo.write("src/app.py", "class App:\n    def run(self): pass\n")
        .write("src/util.py", "def helper(): pass\n")
        .write("lib/old.py", "class Old: pass\n");
    repo.docdex(&["check", "--fix", "--no-diff"])
        .status(0)
        .run();
    repo.commit_all("documents and pages");
    // Stale: the document changed. Missing: a new document. Orphaned: a deleted one.
    repo.write("src/app.py", "class App:\n    def start(self): pass\n")
        .write("src/new.py", "def fresh(): pass\n")
        .remove("lib/old.py")
        // Foreign: a hand-written file where the folder index belongs.
        .write("docs/src/index.md", hand_written_index());
    repo.commit_all("changes");
    repo
}

fn hand_written_index() -> String {
    // Without the generator's footer line: a person wrote it.
    "# The src folder\n\nWritten by a person.\n".to_owned()
}

fn stdout(repo: &TestRepo, args: &[&str], status: i32) -> String {
    repo.docdex(args).status(status).run().stdout
}

#[test]
fn human_report() {
    let repo = every_status();
    insta::assert_snapshot!("human", stdout(&repo, &["check"], 1));
    insta::assert_snapshot!(
        "human_colour",
        stdout(&repo, &["check", "--color", "always"], 1)
    );
    insta::assert_snapshot!("human_no_diff", stdout(&repo, &["check", "--no-diff"], 1));
    insta::assert_snapshot!(
        "human_diff_all",
        stdout(&repo, &["check", "--diff", "all"], 1)
    );
    assert_eq!(stdout(&repo, &["check", "--quiet"], 1), "");
}

/// A first adoption's scale in miniature: more stale pages than the report diffs, more
/// missing pages of one kind than it lists.
#[test]
fn large_report_fits_a_screen() {
    let repo = TestRepo::new();
    for i in 0..30 {
        repo.write(&format!("pkg/mod{i:02}.py"), format!("def f{i}(): pass\n"));
    }
    repo.commit_all("documents");
    repo.fix_and_commit();
    for i in 0..25 {
        repo.write(&format!("pkg/mod{i:02}.py"), format!("def g{i}(): pass\n"));
    }
    for i in 0..15 {
        repo.write(&format!("new/add{i:02}.py"), format!("def h{i}(): pass\n"));
    }
    let report = stdout(&repo, &["check"], 1);
    insta::assert_snapshot!("human_large", report);
    // 20 diffs of 12 lines or so, the rest one line each, capped per kind and status.
    assert!(
        report.lines().count() < 400,
        "{} lines",
        report.lines().count()
    );
    assert_eq!(report.matches("\n--- ").count(), 20);
    let every = stdout(&repo, &["check", "--no-diff"], 1);
    assert!(every.contains("missing docs/new/add14.py_kw.md"));
    assert!(!report.contains("missing docs/new/add14.py_kw.md"));
}

#[test]
fn machine_formats() {
    let repo = every_status();
    let json = stdout(&repo, &["check", "--format", "json"], 1);
    let value: serde_json::Value = serde_json::from_str(&json).expect("valid JSON");
    insta::assert_snapshot!("json", serde_json::to_string_pretty(&value).unwrap());
    insta::assert_snapshot!("sarif", stdout(&repo, &["check", "--format", "sarif"], 1));
}

#[test]
fn github_log_and_job_summary() {
    let repo = every_status();
    let summary = tempfile::NamedTempFile::new().unwrap();
    let log = repo
        .docdex(&["check", "--format", "github"])
        .env("GITHUB_STEP_SUMMARY", summary.path().to_str().unwrap())
        .status(1)
        .run()
        .stdout;
    // The stop-commands token is random: the one part of a report that differs by run.
    let token = log.lines().last().unwrap().trim_matches(':').to_owned();
    assert!(token.starts_with("docdex-") && token.len() == "docdex-".len() + 32);
    insta::assert_snapshot!("github_log", log.replace(&token, "docdex-TOKEN"));
    insta::assert_snapshot!(
        "github_summary",
        std::fs::read_to_string(summary.path()).unwrap()
    );
}

#[test]
fn fix_summary() {
    let repo = every_status();
    insta::assert_snapshot!("fix", stdout(&repo, &["check", "--fix"], 1));
    let repo = every_status();
    insta::assert_snapshot!("fix_verbose", stdout(&repo, &["check", "--fix", "-v"], 1));
    insta::assert_snapshot!("after_fix", stdout(&repo, &["check"], 1));
}

#[test]
fn help_texts() {
    let repo = TestRepo::new();
    insta::assert_snapshot!("help", stdout(&repo, &["--help"], 0));
    insta::assert_snapshot!("help_check", stdout(&repo, &["check", "--help"], 0));
    insta::assert_snapshot!("help_show", stdout(&repo, &["show", "--help"], 0));
    insta::assert_snapshot!(
        "help_install_hook",
        stdout(&repo, &["install-hook", "--help"], 0)
    );
}

#[test]
fn the_job_summary_counts_what_the_step_already_wrote() {
    const LIMIT: usize = 1024 * 1024;
    let repo = TestRepo::new();
    for i in 0..400 {
        repo.write(
            &format!("pkg{}/m{i}.py", i % 20),
            format!("class C{i}: pass\n"),
        );
    }
    repo.commit_all("documents without pages");
    // Room for a full summary, for a short one, and for none.
    for (earlier, adds) in [
        (100 * 1024, true),
        (LIMIT - 40 * 1024, true),
        (LIMIT - 1024, false),
    ] {
        let summary = tempfile::NamedTempFile::new().unwrap();
        std::fs::write(summary.path(), "x".repeat(earlier)).unwrap();
        repo.docdex(&["check", "--format", "github"])
            .env("GITHUB_STEP_SUMMARY", summary.path().to_str().unwrap())
            .status(1)
            .run();
        let total = std::fs::metadata(summary.path()).unwrap().len() as usize;
        assert!(
            total < LIMIT,
            "{earlier} + docdex's summary = {total} bytes"
        );
        assert_eq!(total > earlier, adds, "{earlier} then {total} bytes");
    }
}

#[test]
fn github_fix_annotates_only_what_remains() {
    let repo = every_status();
    let done = repo
        .docdex(&["check", "--format", "github", "--fix"])
        .env("GITHUB_STEP_SUMMARY", "/dev/null")
        .status(1)
        .run();
    let errors: Vec<&str> = done
        .stdout
        .lines()
        .filter(|l| l.starts_with("::error "))
        .collect();
    // The foreign file is all --fix left (without --force): the written pages are fine.
    assert_eq!(errors.len(), 1, "{}", done.stdout);
    assert!(errors[0].contains("docs/src/index.md"), "{}", done.stdout);
    assert!(!done.stdout.contains("--- docs/"), "no diffs after --fix");
}

/// A small repository with every kind on: a Python module with a docstring, classes,
/// functions and imports, a README beside it, and a subfolder.
fn every_kind() -> TestRepo {
    let repo = TestRepo::new();
    repo.write(
        "docdex.toml",
        "pages = [\"keyword\", \"folder\", \"subtree\", \"global\", \"docs\", \"folder-docs\"]\n",
    )
    .write(
        "pkg/core.py",
        "\"\"\"Core of the package.\"\"\"\nimport os\nfrom typing import List\n\n\nclass Engine:\n    def run(self, items: List[int]) -> int:\n        return sum(items)\n\n\ndef start():\n    return Engine().run([1, 2])\n",
    )
    .write("pkg/README.md", "# Pkg\n\nThe Engine runs things.\n")
    .write("pkg/sub/util.cpp", "#include <vector>\nnamespace n { int add(int a, int b) { return a + b; } }\n");
    repo.commit_all("documents");
    repo
}

#[test]
fn show_prints_each_kind_of_page() {
    let repo = every_kind();
    insta::assert_snapshot!("show_keyword", stdout(&repo, &["show", "pkg/core.py"], 0));
    insta::assert_snapshot!(
        "show_docs",
        stdout(&repo, &["show", "docs/pkg/core.py_docs.md"], 0)
    );
    insta::assert_snapshot!(
        "show_folder_docs",
        stdout(&repo, &["show", "docs/pkg/doc.md"], 0)
    );
    insta::assert_snapshot!(
        "show_folder",
        stdout(&repo, &["show", "docs/pkg/index.md"], 0)
    );
}

#[test]
fn show_follows_pages_in_docdex_toml() {
    let repo = every_kind();
    repo.write("docdex.toml", "pages = [\"folder\"]\n");
    repo.docdex(&["show", "pkg/core.py"])
        .status(2)
        .stderr_has("pkg/core.py: is a document, but keyword pages are off in docdex.toml")
        .run();
    repo.docdex(&["show", "docs/pkg/core.py_kw.md"])
        .status(2)
        .stderr_has("no page docdex generates")
        .run();
    repo.docdex(&["show", "docs/pkg/index.md"])
        .status(0)
        .stdout_has("# Index: `pkg/`")
        .run();
}
