//! docdex's keyword extraction against Python's own `re` (docs/format.md, "Keywords": the regexes mean what
//! Python makes of them): 10,000 random documents rich in Unicode edge cases, invalid
//! UTF-8, odd line ends and over-long files, with pages from `fixtures/differential.py`.

use std::process::Command;

use crate::util::{fixtures, TestRepo};

/// `python3`, or `None` with a printed reason when this machine has none.
fn python() -> Option<&'static str> {
    match Command::new("python3").arg("--version").output() {
        Ok(output) if output.status.success() => Some("python3"),
        _ => {
            eprintln!("skipped: python3 is not on PATH (the differential test runs Python's `re`)");
            None
        }
    }
}

#[test]
fn extraction_matches_pythons_re() {
    let Some(python) = python() else { return };
    let repo = TestRepo::new();
    repo.write(
        "docdex.toml",
        "pages = [\"keyword\"]\nexclude = [\"docdex.toml\"]\n",
    );
    let output = Command::new(python)
        .arg(fixtures().join("differential.py"))
        .arg(repo.path())
        .args(["10000", "20261201"])
        .output()
        .expect("python3 runs");
    assert!(
        output.status.success(),
        "differential.py failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    eprintln!("{}", String::from_utf8_lossy(&output.stdout).trim());
    let done = repo
        .docdex(&["check", "--format", "json"])
        .run_allowing_stderr();
    let report: serde_json::Value = serde_json::from_str(&done.stdout).expect("JSON report");
    let findings = report["findings"].as_array().expect("findings");
    let pages: Vec<&str> = findings
        .iter()
        .take(20)
        .map(|f| f["page"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(report["totals"]["checked"], 10000, "{}", done.stdout);
    assert!(
        findings.is_empty(),
        "{} of 10,000 keyword pages differ from Python's, first: {pages:?}",
        findings.len()
    );
    assert_eq!(done.status, 0, "{}", done.stderr);
}
