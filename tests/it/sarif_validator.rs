//! docdex's SARIF against Microsoft's SARIF validator (the `@microsoft/sarif-multitool`
//! package from npm), with its schema rules and the rules GitHub code scanning applies
//! on upload (`--rule-kind Gh;Sarif`). It downloads about 100 MB from npm, so it is
//! ignored unless asked for (`.ci/run` runs it).

use std::path::Path;
use std::process::Command;

use serde_json::Value;

use crate::util::TestRepo;

/// The validator's binary, installed into `dir`; `None` when npm cannot install it.
fn install_validator(dir: &Path) -> Option<std::path::PathBuf> {
    let installed = Command::new("npm")
        .args(["install", "--silent", "--no-audit", "--no-fund", "--prefix"])
        .arg(dir)
        .arg("@microsoft/sarif-multitool@5.7.0")
        .status();
    if !installed.is_ok_and(|s| s.success()) {
        return None;
    }
    let tool = dir.join("node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool");
    tool.exists().then_some(tool)
}

#[test]
#[cfg_attr(
    not(all(target_os = "linux", target_arch = "x86_64")),
    ignore = "the validator's npm package ships a linux-x64 binary only"
)]
#[cfg_attr(
    all(target_os = "linux", target_arch = "x86_64"),
    ignore = "installs the SARIF validator from npm (100 MB); .ci/run runs it"
)]
fn sarif_passes_the_validator_and_githubs_upload_rules() {
    let tools = tempfile::tempdir().unwrap();
    let validator =
        install_validator(tools.path()).expect("npm could not install @microsoft/sarif-multitool");

    // Every status, and page paths that need percent-encoding.
    let repo = TestRepo::new();
    repo.write("src/über ordner/a b#1.py", "class A: pass\n")
        .write("lib/old.py", "class O: pass\n");
    repo.commit_all("documents");
    repo.docdex(&["check", "--fix"]).status(0).run();
    repo.commit_all("pages");
    repo.write("src/über ordner/a b#1.py", "class A: pass\ndef g(): pass\n")
        .write("new/n.py", "class N: pass\n")
        .write("docs/new/index.md", "# A hand-written page\n")
        .remove("lib/old.py");
    repo.commit_all("changes");
    for args in [&["--shard", "1/2"][..], &["--shard", "2/2"], &[]] {
        let mut argv = vec![
            "check",
            "--format",
            "sarif",
            "-o",
            "out.sarif",
            "--exit-zero",
        ];
        argv.extend_from_slice(args);
        repo.docdex(&argv).status(0).run();
        let log: Value =
            serde_json::from_str(&std::fs::read_to_string(repo.path().join("out.sarif")).unwrap())
                .unwrap();
        let results = log["runs"][0]["results"].as_array().unwrap();
        if args.is_empty() {
            let statuses: std::collections::BTreeSet<&str> = results
                .iter()
                .map(|r| r["ruleId"].as_str().unwrap())
                .collect();
            assert_eq!(statuses.len(), 4, "every rule has a result: {statuses:?}");
        }
        let verdict = repo.path().join("validation.sarif");
        let done = Command::new(&validator)
            .args(["validate", "--rule-kind", "Gh;Sarif", "--output"])
            .arg(&verdict)
            .arg(repo.path().join("out.sarif"))
            .output()
            .unwrap();
        assert!(done.status.success(), "{done:?}");
        let validation: Value =
            serde_json::from_str(&std::fs::read_to_string(&verdict).unwrap()).unwrap();
        let problems: Vec<String> = validation["runs"][0]["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| format!("{} {}: {}", r["ruleId"], r["level"], r["message"]))
            .collect();
        assert!(problems.is_empty(), "{args:?}: {problems:#?}");
        std::fs::remove_file(&verdict).unwrap();
    }
}
