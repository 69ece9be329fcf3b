//! Every mode reads a document as the bytes git stores (docs/guide.md, "Which pages a run checks"): for random
//! repositories and random `.gitattributes` (end of line, `text=auto`, `-text`, `ident`,
//! `working-tree-encoding`) and `core.autocrlf`, a clean checkout gets the same verdict
//! from `check`, `check --staged` and `check --rev HEAD`.

use std::collections::BTreeSet;

use proptest::prelude::*;

use crate::util::{hand_edited, TestRepo};

const ATTRIBUTES: &[&str] = &[
    "*.md eol=crlf",
    "*.py text eol=crlf",
    "* text=auto",
    "*.txt working-tree-encoding=UTF-16",
    "*.yaml -text",
    "*.md ident",
    "*.cpp text",
    "docs/** eol=crlf",
];
const NAMES: &[&str] = &[
    "a.py",
    "b.md",
    "c.txt",
    "d.yaml",
    "e.cpp",
    "sub/f.md",
    "sub/g.txt",
];
const CONTENTS: &[&str] = &[
    "class Alpha:\n    def run(self): pass\n",
    "Alpha Beta\r\nGamma $Id$\r\n",
    "import os\r\nfrom a.b import c\n",
    "Zeta Eta Theta\n\n",
    "#include <vector>\nnamespace n { struct S {}; }\n",
    "",
];
const AUTOCRLF: &[&str] = &["false", "true", "input"];

/// The (page, status) pairs of a JSON report.
fn verdict(repo: &TestRepo, args: &[&str]) -> BTreeSet<(String, String)> {
    let mut all = vec!["check", "--format", "json"];
    all.extend_from_slice(args);
    let done = repo.docdex(&all).run_allowing_stderr();
    assert!(
        done.status == 0 || done.status == 1,
        "{args:?}: {}",
        done.stderr
    );
    let report: serde_json::Value = serde_json::from_str(&done.stdout).unwrap();
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["page"].as_str().unwrap().to_owned(),
                f["status"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

/// The bytes of `text` as the working tree holds them for `path` under `attributes`.
fn worktree_form(attributes: &[usize], path: &str, text: &str) -> Vec<u8> {
    let utf16 =
        path.ends_with(".txt") && attributes.iter().any(|&a| ATTRIBUTES[a].contains("UTF-16"));
    if utf16 {
        let mut bytes = vec![0xff, 0xfe];
        bytes.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
        bytes
    } else {
        text.as_bytes().to_vec()
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 16, .. ProptestConfig::default() })]

    #[test]
    fn a_clean_checkout_gets_one_verdict_in_every_mode(
        attributes in prop::collection::btree_set(0..ATTRIBUTES.len(), 0..4),
        files in prop::collection::btree_map(0..NAMES.len(), 0..CONTENTS.len(), 1..6),
        stale in prop::collection::vec(any::<prop::sample::Index>(), 0..3),
        autocrlf in 0..AUTOCRLF.len(),
    ) {
        let attributes: Vec<usize> = attributes.into_iter().collect();
        let origin = TestRepo::new();
        origin.git(&["commit", "-q", "--allow-empty", "-m", "empty"]);
        let lines: Vec<&str> = attributes.iter().map(|&a| ATTRIBUTES[a]).collect();
        origin.write(".gitattributes", lines.join("\n") + "\n");
        for (&name, &content) in &files {
            origin.write(NAMES[name], worktree_form(&attributes, NAMES[name], CONTENTS[content]));
        }
        origin.git(&["add", "-A"]);
        origin.git(&["commit", "-q", "-m", "documents"]);
        origin.docdex(&["check", "--fix", "--no-diff"]).run_allowing_stderr();
        // Some pages left stale, by hand, so the verdicts have something to agree on.
        let pages: Vec<String> = origin
            .listing()
            .into_iter()
            .filter(|p| p.ends_with("_kw.md"))
            .collect();
        for index in &stale {
            if !pages.is_empty() {
                let page: &String = index.get(&pages);
                origin.write(page, hand_edited("stale by hand"));
            }
        }
        origin.git(&["add", "-A"]);
        origin.git(&["commit", "-q", "-m", "pages"]);

        let clone = TestRepo::new();
        clone.git(&[
            "-c", &format!("core.autocrlf={}", AUTOCRLF[autocrlf]),
            "clone", "-q", origin.path().to_str().unwrap(), "c",
        ]);
        let clone = TestRepo::at(&clone.path().join("c"));
        clone.git(&["config", "core.autocrlf", AUTOCRLF[autocrlf]]);
        prop_assert_eq!(clone.git(&["status", "--porcelain"]), "", "a clean checkout");
        let head = clone.git(&["rev-parse", "HEAD"]).trim().to_owned();
        let worktree = verdict(&clone, &[]);
        let rev = verdict(&clone, &["--rev", &head]);
        prop_assert_eq!(&worktree, &rev, "check vs --rev HEAD");
        // Everything staged against the empty first commit: --staged covers every page.
        clone.git(&["reset", "-q", "--soft", "HEAD~1"]);
        let staged = verdict(&clone, &["--staged"]);
        prop_assert_eq!(&staged, &rev, "--staged vs --rev HEAD");
    }
}

#[test]
fn a_utf16_working_tree_document_is_read_as_stored() {
    let origin = TestRepo::new();
    origin.write(
        ".gitattributes",
        "*.txt working-tree-encoding=UTF-16\n*.md eol=crlf\n",
    );
    origin.write(
        "notes.txt",
        worktree_form(&[3], "notes.txt", "Alpha Beta\nGamma\n"),
    );
    origin.write("guide.md", "Delta Epsilon\r\n");
    origin.fix_and_commit();
    assert!(origin
        .git(&["show", "HEAD:docs/notes.txt_kw.md"])
        .contains("- **`Alpha`**"));
    for args in [
        &["check", "--no-diff"][..],
        &["check", "--rev", "HEAD", "--no-diff"],
    ] {
        origin.docdex(args).status(0).run();
    }
    // An edit not yet staged is converted as git will store it.
    origin.write("notes.txt", worktree_form(&[3], "notes.txt", "Omega\n"));
    origin
        .docdex(&["check", "--no-diff"])
        .status(1)
        .stdout_has("1 keyword added (`Omega`); 3 keywords removed")
        .run();
}

/// Contents that exercise each conversion: CRLF, lone CR, NUL, `$Id$` fields, non-ASCII.
const RAW_CONTENTS: &[&[u8]] = &[
    b"class Alpha:\r\n    def run(self): pass\r\n",
    b"lone\rcarriage\r\nreturn\r",
    b"Gamma $Id: 0123 $ Delta $Id: open\n$ end\r\n",
    b"bin\0ary\r\n",
    "Größe ñandú\r\nÄrger\n".as_bytes(),
    b"",
];

/// Each `_docs.md` page embeds its document and its size, so its expected hash is a
/// digest of the bytes docdex read.
fn expected_hashes(repo: &TestRepo, args: &[&str]) -> BTreeSet<(String, String)> {
    let mut all = vec!["check", "--format", "json"];
    all.extend_from_slice(args);
    let done = repo.docdex(&all).run_allowing_stderr();
    assert!(done.status <= 1, "{args:?}: {}", done.stderr);
    let report: serde_json::Value = serde_json::from_str(&done.stdout).unwrap();
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| {
            let page = f["page"].as_str().unwrap();
            NAMES
                .iter()
                .any(|name| page == format!("docs/{name}_docs.md"))
        })
        .map(|f| {
            (
                f["page"].as_str().unwrap().to_owned(),
                f["expected_hash"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 16, .. ProptestConfig::default() })]

    /// Documents changed on disk are converted (a chunk at a time) to exactly the bytes
    /// `git add` stores: the working-tree check and `--staged` after `git add` expect
    /// the same documentation pages.
    #[test]
    fn documents_on_disk_are_read_as_git_add_stores_them(
        attributes in prop::collection::btree_set(0..ATTRIBUTES.len(), 0..4),
        files in prop::collection::btree_map(0..NAMES.len(), 0..RAW_CONTENTS.len(), 1..6),
        autocrlf in 0..AUTOCRLF.len(),
    ) {
        let attributes: Vec<usize> = attributes.into_iter().collect();
        let repo = TestRepo::new();
        repo.git(&["config", "core.autocrlf", AUTOCRLF[autocrlf]]);
        let lines: Vec<&str> = attributes.iter().map(|&a| ATTRIBUTES[a]).collect();
        repo.write(".gitattributes", lines.join("\n") + "\n");
        repo.write("docdex.toml", "pages = [\"keyword\", \"docs\"]\n");
        repo.git(&["add", "-A"]);
        repo.git(&["commit", "-q", "-m", "attributes"]);
        for (&name, &content) in &files {
            let text = String::from_utf8_lossy(RAW_CONTENTS[content]);
            let utf16 = NAMES[name].ends_with(".txt")
                && attributes.iter().any(|&a| ATTRIBUTES[a].contains("UTF-16"));
            let bytes = if utf16 {
                worktree_form(&attributes, NAMES[name], &text)
            } else {
                RAW_CONTENTS[content].to_vec()
            };
            repo.write(NAMES[name], bytes);
        }
        let on_disk = expected_hashes(&repo, &[]);
        repo.git(&["add", "-A"]);
        let staged = expected_hashes(&repo, &["--staged"]);
        prop_assert!(!staged.is_empty());
        prop_assert_eq!(on_disk, staged);
    }
}
