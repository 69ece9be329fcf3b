//! Nothing a user owns is lost, touched or spoofed: hand-written files at page paths
//! (docs/format.md, "Terms": foreign), and the other ways a run could reach what is not docdex's.

use crate::util::TestRepo;

/// A project with a hand-written docs site under `docs/`, as mkdocs projects have.
fn docs_site() -> TestRepo {
    let repo = TestRepo::new();
    repo.write("src/app.py", "class App: pass\n")
        .write("docs/index.md", "# Landing page\n")
        .write("docs/en/index.md", "# English\n\nWelcome, by hand.\n")
        .write("docs/en/tutorial/index.md", "# Tutorial\n")
        .write(
            "docs/src/index.md",
            "# The src folder, described by a person\n",
        );
    repo.commit_all("site");
    repo
}

/// The contents of the site's hand-written pages that sit at page paths.
fn hand_written(repo: &TestRepo) -> Vec<String> {
    [
        "docs/en/index.md",
        "docs/en/tutorial/index.md",
        "docs/src/index.md",
    ]
    .iter()
    .map(|p| repo.read(p).unwrap())
    .collect()
}

#[test]
fn hand_written_index_pages_survive_fix() {
    let repo = docs_site();
    let before = hand_written(&repo);
    // Only the file where a page is expected is a finding; the others are listed apart.
    repo.docdex(&["check", "--no-diff"])
        .status(1)
        .stdout_has("foreign docs/src/index.md (folder index of src/)")
        .stdout_lacks("foreign docs/en/index.md")
        .stdout_lacks("orphaned docs/en/tutorial/index.md")
        .stdout_has("2 hand-written files at page paths left alone")
        .run();
    repo.docdex(&["check", "-v", "--fix", "--no-diff"])
        .status(1)
        .stdout_has("wrote docs/src/app.py_kw.md")
        .stdout_has("left 1 hand-written file alone where pages belong: docs/src/index.md")
        .stdout_lacks("deleted")
        .run();
    let after = hand_written(&repo);
    assert_eq!(
        before, after,
        "hand-written pages are never rewritten or deleted"
    );
    repo.docdex(&["check", "--no-diff"])
        .status(1)
        .stdout_has("needs an update (1 foreign)")
        .stdout_has("exclude the hand-written files in docdex.toml, or rerun with --fix --force")
        .run();
    // The escape hatch: excluding the file makes the check pass without touching it.
    repo.write(
        "docdex.toml",
        "exclude = [\"docs/src/index.md\", \"docdex.toml\"]\n",
    );
    repo.docdex(&["check", "--no-diff"]).status(0).run();
    repo.remove("docdex.toml");
    // --force replaces the one in the way, and still leaves the others alone.
    repo.docdex(&["check", "-v", "--fix", "--force", "--no-diff"])
        .status(0)
        .stdout_has("wrote docs/src/index.md")
        .run();
    assert!(repo
        .read("docs/src/index.md")
        .unwrap()
        .contains("# Index: `src/`"));
    assert_eq!(repo.read("docs/en/index.md").unwrap(), before[0]);
    assert_eq!(repo.read("docs/en/tutorial/index.md").unwrap(), before[1]);
    assert_eq!(repo.read("docs/index.md").unwrap(), "# Landing page\n");
}

#[test]
fn files_left_alone_are_named_where_every_finding_is_listed() {
    let repo = docs_site();
    repo.docdex(&["check"])
        .status(1)
        .stdout_has("2 hand-written files at page paths left alone (--no-diff lists them)")
        .stdout_lacks("left alone docs/en/index.md")
        .run();
    repo.docdex(&["check", "--no-diff"])
        .status(1)
        .stdout_has("left alone docs/en/index.md (hand-written file at a page path)\n")
        .stdout_has("left alone docs/en/tutorial/index.md (hand-written file at a page path)\n")
        .run();
}

#[test]
fn foreign_status_in_machine_formats() {
    let repo = docs_site();
    let json = repo.docdex(&["check", "--format", "json"]).status(1).run();
    let report: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    let foreign: Vec<&serde_json::Value> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["status"] == "foreign")
        .collect();
    assert_eq!(foreign.len(), 1, "{}", json.stdout);
    assert_eq!(foreign[0]["page"], "docs/src/index.md");
    assert_eq!(report["totals"]["foreign"], 1);
    assert_eq!(report["totals"]["foreign_left_alone"], 2);
    assert_eq!(
        report["left_alone"],
        serde_json::json!(["docs/en/index.md", "docs/en/tutorial/index.md"])
    );
    repo.docdex(&["check", "--format", "sarif"])
        .status(1)
        .stdout_has("\"ruleId\": \"docdex/foreign\"")
        .run();
    repo.docdex(&["check", "--format", "github"])
        .status(1)
        .stdout_has("::error file=docs/src/index.md,title=docdex%3A foreign page::")
        .run();
}

#[test]
fn a_generated_page_with_lines_added_by_hand_is_still_generated() {
    let repo = TestRepo::new();
    repo.write("a.py", "class A: pass\n");
    repo.fix_and_commit();
    let page = repo.read("docs/a.py_kw.md").unwrap();
    repo.write(
        "docs/a.py_kw.md",
        format!("{page}\nA note added by hand.\n"),
    );
    repo.docdex(&["check", "-v", "--fix", "--no-diff"])
        .status(0)
        .stdout_has("wrote docs/a.py_kw.md")
        .run();
    assert_eq!(repo.read("docs/a.py_kw.md").unwrap(), page);
}

#[test]
fn a_closed_pipe_ends_quietly_with_the_verdicts_status() {
    use std::io::{BufRead, BufReader};
    use std::process::{Command, Stdio};
    let repo = TestRepo::new();
    for i in 0..300 {
        repo.write(&format!("pkg/m{i:03}.py"), format!("class C{i}: pass\n"));
    }
    repo.commit_all("documents without pages");
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_docdex"));
    cmd.args(["check", "--color", "never"])
        .current_dir(repo.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    crate::util::isolate(&mut cmd, repo.path());
    let mut child = cmd.spawn().unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    // The reader is gone (dropped above), like `docdex check | head -1`.
    let output = child.wait_with_output().unwrap();
    assert!(first.starts_with("missing docs/"), "{first}");
    assert_eq!(output.status.code(), Some(1), "the verdict: findings");
    assert_eq!(String::from_utf8_lossy(&output.stderr), "");
    // A closed stderr is no reason to panic either: the error exit stays 2.
    let mut cmd = Command::new("sh");
    cmd.args([
        "-c",
        &format!(
            "{} check --rev no-such-rev 2>&-",
            env!("CARGO_BIN_EXE_docdex")
        ),
    ])
    .current_dir(repo.path());
    crate::util::isolate(&mut cmd, repo.path());
    assert_eq!(cmd.output().unwrap().status.code(), Some(2));
}

/// File names that would fake report lines, start workflow commands or reprogram a
/// terminal if printed raw.
fn hostile_names() -> TestRepo {
    let repo = TestRepo::new();
    repo.write("src/plain.py", "class Plain: pass\n")
        .write("src/evil\n::warning::pwned.py", "def evil(): pass\n")
        .write("src/clip\u{1b}]52;c;QUFB\u{7}.py", "def clip(): pass\n")
        .write("src/wipe\u{9b}2J.py", "def wipe(): pass\n")
        .write("src/##[error]legacy.py", "def legacy(): pass\n");
    repo.commit_all("hostile names");
    repo
}

fn assert_inert(output: &str, format: &str) {
    assert!(
        !output.contains(['\u{1b}', '\u{7}', '\u{9b}']),
        "{format}: a raw control character reached the output:\n{output}"
    );
    assert!(
        !output.contains("\n::warning") && !output.starts_with("::warning"),
        "{format}: a file name started a workflow command:\n{output}"
    );
    assert!(
        !output.contains("##["),
        "{format}: a file name holds the runner's legacy command form:\n{output}"
    );
}

#[test]
fn file_names_cannot_spoof_the_report_or_the_terminal() {
    let repo = hostile_names();
    let human = repo.docdex(&["check"]).status(1).run();
    assert_inert(&human.stdout, "human");
    assert!(
        human
            .stdout
            .contains(r#"missing "docs/src/evil\n::warning::pwned.py_kw.md""#),
        "names are quoted as git quotes them:\n{}",
        human.stdout
    );
    assert!(human
        .stdout
        .contains(r#""docs/src/clip\033]52;c;QUFB\a.py_kw.md""#));

    let github = repo
        .docdex(&["check", "--format", "github"])
        .env("GITHUB_STEP_SUMMARY", "/dev/null")
        .status(1)
        .run();
    assert_inert(&github.stdout, "github");
    // The log after the annotations runs with workflow commands stopped, and resumes.
    let lines: Vec<&str> = github.stdout.lines().collect();
    let stop = lines
        .iter()
        .position(|l| l.starts_with("::stop-commands::"))
        .expect("workflow commands are stopped before the log");
    let token = lines[stop].trim_start_matches("::stop-commands::");
    assert!(lines[..stop].iter().all(|l| l.starts_with("::error ")));
    assert_eq!(lines.last(), Some(&format!("::{token}::").as_str()));
    let again = repo
        .docdex(&["check", "--format", "github"])
        .env("GITHUB_STEP_SUMMARY", "/dev/null")
        .status(1)
        .run();
    assert!(!again.stdout.contains(token), "the token is new every run");
    assert_eq!(
        github.stdout.replace(token, "TOKEN"),
        again.stdout.replace(
            again.stdout.lines().last().unwrap().trim_matches(':'),
            "TOKEN"
        ),
        "nothing else differs"
    );

    let fixed = repo
        .docdex(&["check", "-v", "--fix", "--no-diff"])
        .status(0)
        .run();
    assert_inert(&fixed.stdout, "fix");
    assert!(fixed
        .stdout
        .contains(r#"wrote "docs/src/wipe\302\2332J.py_kw.md""#));
}

#[test]
fn errors_naming_a_hostile_file_stay_on_one_line() {
    let repo = TestRepo::new();
    repo.write("src/a\n::error::x.py", "x = 1\n");
    let done = repo
        .docdex(&["show", "src/a\n::error::x.py\u{1b}[2J"])
        .status(2)
        .run();
    assert_eq!(done.stderr.lines().count(), 1, "{}", done.stderr);
    assert!(!done.stderr.contains('\u{1b}'));
    assert!(
        done.stderr.contains(r"src/a\n::error::x.py\033[2J"),
        "{}",
        done.stderr
    );
}
