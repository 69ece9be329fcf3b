//! Properties over random documents and random edit sequences (proptest):
//! the incremental modes agree with a full check of the same state, fixing converges,
//! and a second fix writes nothing.

use std::collections::BTreeSet;

use docdex::Status;
use docdex::{Config, Mode, Repo};
use proptest::prelude::*;

use crate::util::{hand_edited, TestRepo};

const FOLDERS: &[&str] = &["", "a", "a/b", "c", "docs", "docs/guide", "build"];
const NAMES: &[&str] = &[
    "x.py", "y.md", "Makefile", "z.cpp", "w.txt", "index.md", "v.yaml", "u.py", "notes",
];
const CONTENTS: &[&str] = &[
    "",
    "class Alpha:\n    def run(self): pass\n",
    "import os\nfrom a.b import c\n",
    "Alpha Beta Beta Gamma\n",
    "#include <vector>\nnamespace n { struct S {}; int f(int a) { return a; } }\n",
    "no keywords at all\n",
    "Zeta\r\nEta\r\n",
];

#[derive(Clone, Debug)]
enum Op {
    Add(usize, usize, usize),
    Delete(usize),
    Rename(usize, usize, usize),
    Edit(usize, usize),
    HandEditPage(usize),
}

fn op() -> impl Strategy<Value = Op> {
    let f = 0..FOLDERS.len();
    let n = 0..NAMES.len();
    let c = 0..CONTENTS.len();
    prop_oneof![
        (f.clone(), n.clone(), c.clone()).prop_map(|(f, n, c)| Op::Add(f, n, c)),
        any::<usize>().prop_map(Op::Delete),
        (any::<usize>(), f, n).prop_map(|(i, f, n)| Op::Rename(i, f, n)),
        (any::<usize>(), c).prop_map(|(i, c)| Op::Edit(i, c)),
        any::<usize>().prop_map(Op::HandEditPage),
    ]
}

fn path(folder: usize, name: usize) -> String {
    match FOLDERS[folder] {
        "" => NAMES[name].to_owned(),
        f => format!("{f}/{}", NAMES[name]),
    }
}

/// The tracked non-page files of the repository, in order.
fn tracked_sources(repo: &TestRepo) -> Vec<String> {
    repo.git(&["ls-files"])
        .lines()
        .filter(|p| *p != "docdex.toml")
        .filter(|p| !p.starts_with("docs/") || p.ends_with(".md") && !is_page(p))
        .map(str::to_owned)
        .collect()
}

fn is_page(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap();
    path.starts_with("docs/")
        && (name == "index.md"
            || name == "sub.md"
            || name == "keywords.md"
            || name == "doc.md"
            || name.ends_with("_kw.md")
            || name.ends_with("_docs.md"))
}

fn apply(repo: &TestRepo, op: &Op) {
    let sources = tracked_sources(repo);
    let pick = |i: usize| (!sources.is_empty()).then(|| sources[i % sources.len()].clone());
    match *op {
        Op::Add(f, n, c) => {
            let p = path(f, n);
            if !repo.path().join(&p).is_dir() {
                repo.write(&p, CONTENTS[c]);
            }
        }
        Op::Delete(i) => {
            if let Some(p) = pick(i) {
                repo.remove(&p);
            }
        }
        Op::Rename(i, f, n) => {
            let to = path(f, n);
            if let Some(from) = pick(i) {
                if from != to && !repo.exists(&to) && !repo.path().join(&to).is_dir() {
                    let bytes = std::fs::read(repo.path().join(&from)).unwrap();
                    repo.remove(&from);
                    repo.write(&to, bytes);
                }
            }
        }
        Op::Edit(i, c) => {
            if let Some(p) = pick(i) {
                repo.write(&p, CONTENTS[c]);
            }
        }
        Op::HandEditPage(i) => {
            let pages: Vec<String> = repo
                .git(&["ls-files", "docs"])
                .lines()
                .filter(|p| is_page(p))
                .map(str::to_owned)
                .collect();
            if !pages.is_empty() {
                repo.write(&pages[i % pages.len()], hand_edited("edited by hand"));
            }
        }
    }
    repo.git(&["add", "-A"]);
}

/// Every page kind on, the two content kinds included.
const ALL_KINDS: &str =
    "pages = [\"keyword\", \"folder\", \"subtree\", \"global\", \"docs\", \"folder-docs\"]\n";

/// A repository holding `initial` documents with fixed pages, all committed; with
/// `config`, a `docdex.toml` first.
fn clean_repo(initial: &[(usize, usize, usize)], config: Option<&str>) -> TestRepo {
    let repo = TestRepo::new();
    if let Some(config) = config {
        repo.write("docdex.toml", config);
    }
    for &(f, n, c) in initial {
        let p = path(f, n);
        if !repo.path().join(&p).is_dir() {
            repo.write(&p, CONTENTS[c]);
        }
    }
    repo.commit_all("documents");
    repo.fix_and_commit();
    repo
}

type Findings = BTreeSet<(String, Status)>;

fn findings(repo: &TestRepo, mode: Mode) -> Findings {
    let git = Repo::discover(repo.path(), &Default::default()).unwrap();
    let config = match std::fs::read_to_string(repo.path().join("docdex.toml")) {
        Ok(text) => Config::parse(&text, std::path::Path::new("docdex.toml")).unwrap(),
        Err(_) => Config::default(),
    };
    let result = docdex::check(&git, &config, &mode).unwrap();
    result
        .verdict
        .findings
        .into_iter()
        .map(|f| (f.page, f.status))
        .collect()
}

/// A commit of the current index on top of HEAD, without moving any ref.
fn index_commit(repo: &TestRepo) -> String {
    let tree = repo.git(&["write-tree"]);
    repo.git(&["commit-tree", tree.trim(), "-p", "HEAD", "-m", "index"])
        .trim()
        .to_owned()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, .. ProptestConfig::default() })]

    #[test]
    fn incremental_modes_agree_with_full_checks_and_fixing_converges(
        initial in prop::collection::vec((0..FOLDERS.len(), 0..NAMES.len(), 0..CONTENTS.len()), 1..7),
        ops in prop::collection::vec(op(), 1..6),
    ) {
        agree_and_converge(&clean_repo(&initial, None), &ops)?;
    }

    #[test]
    fn with_all_six_kinds_incremental_modes_agree_and_one_fix_converges(
        initial in prop::collection::vec((0..FOLDERS.len(), 0..NAMES.len(), 0..CONTENTS.len()), 1..6),
        ops in prop::collection::vec(op(), 1..5),
    ) {
        agree_and_converge(&clean_repo(&initial, Some(ALL_KINDS)), &ops)?;
    }

    #[test]
    fn staged_fix_and_stage_leaves_a_clean_commit(
        initial in prop::collection::vec((0..FOLDERS.len(), 0..NAMES.len(), 0..CONTENTS.len()), 1..6),
        ops in prop::collection::vec(op(), 1..5),
    ) {
        let repo = clean_repo(&initial, None);
        for op in &ops {
            apply(&repo, op);
        }
        repo.docdex(&["check", "--staged", "--fix", "--stage", "--no-diff"]).status(0).run();
        prop_assert!(findings(&repo, Mode::Staged).is_empty());
        prop_assert!(findings(&repo, Mode::Rev(index_commit(&repo))).is_empty());
        prop_assert!(findings(&repo, Mode::WorkTree).is_empty());
    }
}

/// After each edit, `--staged` agrees with a full check of the index; after all of
/// them `--base` agrees with a full check of the commit; one `--fix` leaves the working
/// tree clean and a second writes nothing.
fn agree_and_converge(repo: &TestRepo, ops: &[Op]) -> Result<(), TestCaseError> {
    let start = repo.git(&["rev-parse", "HEAD"]).trim().to_owned();

    for op in ops {
        apply(repo, op);
        let staged = findings(repo, Mode::Staged);
        let full = findings(repo, Mode::Rev(index_commit(repo)));
        prop_assert_eq!(&staged, &full, "after {:?}", op);
    }

    repo.git(&["commit", "-q", "--allow-empty", "-m", "edits"]);
    let base = findings(
        repo,
        Mode::Base {
            base: start.clone(),
            head: "HEAD".into(),
        },
    );
    let full = findings(repo, Mode::Rev("HEAD".into()));
    prop_assert_eq!(base, full);

    // Fix the working tree: clean afterwards, and a second fix writes nothing.
    repo.docdex(&["check", "--fix", "--no-diff"])
        .status(0)
        .run();
    prop_assert!(findings(repo, Mode::WorkTree).is_empty());
    repo.docdex(&["check", "-v", "--fix"])
        .status(0)
        .stdout_lacks("wrote")
        .stdout_lacks("deleted")
        .run();
    repo.git(&["add", "-A"]);
    prop_assert!(findings(repo, Mode::Rev(index_commit(repo))).is_empty());
    Ok(())
}
