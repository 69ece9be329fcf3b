//! The page cache never changes what a run says or does: over random edit sequences
//! (edits that keep a file's size and time stamps, edits right after `git add`,
//! checkouts of another branch, attribute and configuration changes, hand-edited pages,
//! fixes), a check with the cache carried from every earlier step, one with a cold
//! cache and one with `--no-cache` print the same report, exit the same, and fix alike.
//! Then the cache's own edges: damage, a lock-free race, a read-only git directory,
//! `docdex cache clear`.

use std::path::{Path, PathBuf};
use std::process::Command;

use proptest::prelude::*;

use crate::util::TestRepo;

const FOLDERS: &[&str] = &["", "a", "a/b", "docs", "docs/guide"];
const NAMES: &[&str] = &["x.py", "y.md", "Makefile", "z.cpp", "w.txt"];
const CONTENTS: &[&str] = &[
    "class Alpha:\n    def run(self): pass\n",
    "import os\nfrom a.b import c\n",
    "Alpha Beta Beta Gamma\n",
    "#include <vector>\nnamespace n { struct S {}; int f(int a) { return a; } }\n",
    "Zeta\r\nEta\r\n",
    "$Id$ Omega\n",
];
const ATTRIBUTES: &[&str] = &[
    "",
    "*.py text eol=crlf\n",
    "*.md -text\n",
    "* text=auto\n",
    "*.txt ident\n",
];
const CONFIGS: &[Option<&str>] = &[
    None,
    Some("max_identifiers = 2\n"),
    Some("pages = [\"keyword\", \"folder\", \"subtree\", \"global\", \"docs\", \"folder-docs\"]\n"),
    Some("root = \"docs/guide\"\npages = [\"keyword\", \"docs\"]\n"),
];

#[derive(Clone, Debug)]
enum Op {
    Write(usize, usize, usize),
    Delete(usize),
    /// Another content of the same size, with the old modification time put back.
    SameSizeSameTime(usize),
    HandEditPage(usize),
    Stage,
    Commit,
    Checkout,
    Attributes(usize),
    Config(usize),
    Fix,
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        3 => (0..FOLDERS.len(), 0..NAMES.len(), 0..CONTENTS.len()).prop_map(|(f, n, c)| Op::Write(f, n, c)),
        1 => any::<usize>().prop_map(Op::Delete),
        2 => any::<usize>().prop_map(Op::SameSizeSameTime),
        1 => any::<usize>().prop_map(Op::HandEditPage),
        2 => Just(Op::Stage),
        2 => Just(Op::Commit),
        1 => Just(Op::Checkout),
        1 => (0..ATTRIBUTES.len()).prop_map(Op::Attributes),
        1 => (0..CONFIGS.len()).prop_map(Op::Config),
        2 => Just(Op::Fix),
    ]
}

fn path(folder: usize, name: usize) -> String {
    match FOLDERS[folder] {
        "" => NAMES[name].to_owned(),
        f => format!("{f}/{}", NAMES[name]),
    }
}

fn is_page(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    name.ends_with("_kw.md")
        || name.ends_with("_docs.md")
        || ["index.md", "sub.md", "keywords.md", "doc.md"].contains(&name)
}

/// The files of the work tree that are not pages or docdex's configuration.
fn documents(repo: &TestRepo) -> Vec<String> {
    files(repo)
        .into_iter()
        .filter(|p| !is_page(p) && p != "docdex.toml")
        .collect()
}

/// The generated pages of the work tree.
fn pages(repo: &TestRepo) -> Vec<String> {
    files(repo).into_iter().filter(|p| is_page(p)).collect()
}

fn files(repo: &TestRepo) -> Vec<String> {
    repo.listing()
        .into_iter()
        .filter(|p| !p.starts_with(".git/") && p != ".gitattributes")
        .collect()
}

fn pick(list: &[String], i: usize) -> Option<&String> {
    (!list.is_empty()).then(|| &list[i % list.len()])
}

fn apply(repo: &TestRepo, op: &Op) {
    match op {
        Op::Write(f, n, c) => {
            repo.write(&path(*f, *n), CONTENTS[*c]);
        }
        Op::Delete(i) => {
            if let Some(doc) = pick(&documents(repo), *i) {
                repo.remove(doc);
            }
        }
        Op::SameSizeSameTime(i) => {
            if let Some(doc) = pick(&documents(repo), *i) {
                let full = repo.path().join(doc);
                let before = std::fs::metadata(&full).unwrap();
                let mut bytes = std::fs::read(&full).unwrap();
                if bytes.is_empty() {
                    return;
                }
                // Swap the case of every letter: same size, other keywords.
                for b in &mut bytes {
                    if b.is_ascii_alphabetic() {
                        *b ^= 0x20;
                    }
                }
                std::fs::write(&full, &bytes).unwrap();
                let file = std::fs::File::options().write(true).open(&full).unwrap();
                file.set_times(
                    std::fs::FileTimes::new()
                        .set_modified(before.modified().unwrap())
                        .set_accessed(before.accessed().unwrap()),
                )
                .unwrap();
            }
        }
        Op::HandEditPage(i) => {
            if let Some(page) = pick(&pages(repo), *i) {
                let mut text = repo.read(page).unwrap_or_default();
                text.insert_str(0, "hand edit\n");
                repo.write(page, text);
            }
        }
        Op::Stage => {
            repo.git(&["add", "-A"]);
        }
        Op::Commit => {
            repo.commit_all("step");
        }
        Op::Checkout => {
            let branch = repo.git(&["branch", "--show-current"]);
            let other = if branch.trim() == "main" {
                "other"
            } else {
                "main"
            };
            repo.git(&["checkout", "-q", "-f", other]);
            repo.git(&["clean", "-q", "-fd"]);
        }
        Op::Attributes(k) => {
            repo.write(".gitattributes", ATTRIBUTES[*k]);
        }
        Op::Config(k) => match CONFIGS[*k] {
            Some(text) => {
                repo.write("docdex.toml", text);
            }
            None => {
                let _ = std::fs::remove_file(repo.path().join("docdex.toml"));
            }
        },
        Op::Fix => {
            let fixed = repo.docdex(&["check", "--fix", "-q"]).run_allowing_stderr();
            assert_ne!(fixed.status, 2, "{}", fixed.stderr);
        }
    }
}

/// What a run said: exit code, stdout and stderr.
fn said(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let done = TestRepo::at(dir).docdex(args).run_allowing_stderr();
    (done.status, done.stdout, done.stderr)
}

fn cache_file(repo: &Path) -> PathBuf {
    repo.join(".git/docdex/pages")
}

/// A copy of the whole repository, its git directory (and cache) included.
fn copy(repo: &Path) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let status = Command::new("cp")
        .arg("-a")
        .arg(format!("{}/.", repo.display()))
        .arg(dir.path())
        .status()
        .unwrap();
    assert!(status.success());
    dir
}

/// Checks every mode three ways (warm, cold, no cache) and fixes two ways; all must agree.
fn agree(repo: &TestRepo, step: &str) {
    let dir = repo.path();
    for mode in [&[][..], &["--staged"], &["--rev", "HEAD"]] {
        let mut args = vec!["check", "--diff", "all", "--color", "never"];
        args.extend_from_slice(mode);
        let warm = said(dir, &args);
        // Cold: the warm cache set aside, the run's own cache dropped after.
        let kept = std::fs::read(cache_file(dir)).ok();
        let _ = std::fs::remove_dir_all(dir.join(".git/docdex"));
        let cold = said(dir, &args);
        if let Some(bytes) = kept {
            std::fs::create_dir_all(dir.join(".git/docdex")).unwrap();
            std::fs::write(cache_file(dir), bytes).unwrap();
        }
        let mut uncached = args.clone();
        uncached.push("--no-cache");
        let none = said(dir, &uncached);
        assert_eq!(warm, none, "{step}: warm cache vs --no-cache, {args:?}");
        assert_eq!(cold, none, "{step}: cold cache vs --no-cache, {args:?}");
    }
    // --fix with the cache and without, in two copies: same report, same files.
    let (a, b) = (copy(dir), copy(dir));
    let fixed_warm = said(a.path(), &["check", "--fix", "--color", "never"]);
    let fixed_none = said(
        b.path(),
        &["check", "--fix", "--color", "never", "--no-cache"],
    );
    let strip = |(code, out, err): (i32, String, String), from: &Path| {
        let from = from.display().to_string();
        (code, out.replace(&from, "REPO"), err.replace(&from, "REPO"))
    };
    assert_eq!(
        strip(fixed_warm, a.path()),
        strip(fixed_none, b.path()),
        "{step}: --fix with and without the cache"
    );
    let tree = |root: &Path| {
        TestRepo::at(root)
            .listing()
            .into_iter()
            .filter(|p| !p.starts_with(".git/"))
            .map(|p| {
                let bytes = std::fs::read(root.join(&p)).unwrap();
                (p, bytes)
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(tree(a.path()), tree(b.path()), "{step}: files after --fix");
}

/// A repository with committed documents and pages under configuration `config`, and a
/// branch `other` whose documents differ.
fn start(config: usize) -> TestRepo {
    let repo = TestRepo::new();
    apply(&repo, &Op::Config(config));
    repo.write("a/x.py", CONTENTS[0])
        .write("a/b/z.cpp", CONTENTS[3])
        .write("docs/guide/y.md", CONTENTS[2]);
    // Enough pages for a full check to use the cache (a run of a few pages does not).
    for n in 0..8 {
        repo.write(&format!("fill/f{n}.py"), format!("def fill_{n}(): pass\n"));
    }
    repo.commit_all("documents");
    repo.docdex(&["check", "--fix", "-q"]).run_allowing_stderr();
    repo.commit_all("pages");
    repo.git(&["branch", "other"]);
    repo.git(&["checkout", "-q", "other"]);
    repo.write("a/x.py", CONTENTS[1])
        .write("Makefile", CONTENTS[2]);
    repo.commit_all("other documents");
    repo.git(&["checkout", "-q", "main"]);
    repo
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]

    #[test]
    fn the_cache_never_changes_a_report_or_a_fix(
        config in 0..CONFIGS.len(),
        ops in proptest::collection::vec(op(), 1..9),
    ) {
        let repo = start(config);
        agree(&repo, "start");
        for (at, op) in ops.iter().enumerate() {
            apply(&repo, op);
            agree(&repo, &format!("config {config}, step {at} ({op:?}) of {ops:?}"));
        }
    }
}

/// A committed repository with pages, checked once so that its cache is warm.
fn warm() -> TestRepo {
    let repo = start(2);
    repo.docdex(&["check"]).status(0).run();
    assert!(cache_file(repo.path()).is_file());
    repo
}

#[test]
fn a_damaged_cache_is_ignored_and_rewritten() {
    let repo = warm();
    let whole = std::fs::read(cache_file(repo.path())).unwrap();
    repo.write("a/x.py", CONTENTS[3]);
    let truth = said(repo.path(), &["check", "--no-cache", "--color", "never"]);
    assert_eq!(truth.0, 1, "{truth:?}");
    let damages: Vec<Vec<u8>> = vec![
        whole[..whole.len() / 2].to_vec(),
        whole.iter().map(|b| b ^ 0x55).collect(),
        Vec::new(),
        b"not a cache at all".to_vec(),
    ];
    for damaged in damages {
        std::fs::write(cache_file(repo.path()), &damaged).unwrap();
        let run = said(repo.path(), &["check", "--color", "never"]);
        assert_eq!(run, truth);
        let rewritten = std::fs::read(cache_file(repo.path())).unwrap();
        assert!(docdex::cache::entries_in(&rewritten).is_some_and(|n| n > 0));
    }
}

#[test]
fn a_cache_that_cannot_be_written_still_checks() {
    let repo = warm();
    repo.write("a/x.py", CONTENTS[3]);
    let truth = said(repo.path(), &["check", "--no-cache", "--color", "never"]);
    // The cache's folder is a file: nothing can be written under it.
    std::fs::remove_dir_all(repo.path().join(".git/docdex")).unwrap();
    std::fs::write(repo.path().join(".git/docdex"), "in the way").unwrap();
    assert_eq!(said(repo.path(), &["check", "--color", "never"]), truth);
    // A folder without write permission (root may write anyway: the check is what counts).
    std::fs::remove_file(repo.path().join(".git/docdex")).unwrap();
    repo.docdex(&["check", "-q"]).status(1).run();
    let folder = repo.path().join(".git/docdex");
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&folder, std::fs::Permissions::from_mode(0o500)).unwrap();
    repo.write("a/x.py", CONTENTS[1]);
    let truth = said(repo.path(), &["check", "--no-cache", "--color", "never"]);
    assert_eq!(said(repo.path(), &["check", "--color", "never"]), truth);
    std::fs::set_permissions(&folder, std::fs::Permissions::from_mode(0o700)).unwrap();
}

#[test]
fn runs_at_once_neither_wait_nor_corrupt_the_cache() {
    let repo = warm();
    repo.write("a/x.py", CONTENTS[3])
        .write("a/new.py", CONTENTS[0]);
    let truth = said(repo.path(), &["check", "--no-cache", "--color", "never"]);
    let _ = std::fs::remove_dir_all(repo.path().join(".git/docdex"));
    std::thread::scope(|scope| {
        let runs: Vec<_> = (0..6)
            .map(|_| scope.spawn(|| said(repo.path(), &["check", "--color", "never"])))
            .collect();
        for run in runs {
            assert_eq!(run.join().unwrap(), truth);
        }
    });
    let bytes = std::fs::read(cache_file(repo.path())).unwrap();
    assert!(docdex::cache::entries_in(&bytes).is_some(), "a whole file");
    let leftovers: Vec<_> = std::fs::read_dir(repo.path().join(".git/docdex"))
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(leftovers, ["pages"], "temporary files left behind");
}

#[test]
fn cache_clear_removes_it_and_says_so() {
    let repo = warm();
    let run = repo.docdex(&["cache", "clear"]).status(0).run();
    assert!(
        run.stdout.starts_with("docdex: removed the page cache ")
            && run.stdout.contains(".git/docdex ("),
        "{}",
        run.stdout
    );
    assert!(!repo.path().join(".git/docdex").exists());
    repo.docdex(&["cache", "clear"])
        .status(0)
        .stdout_has("docdex: no page cache at ")
        .run();
    // --no-cache neither reads nor writes it.
    repo.docdex(&["check", "--no-cache", "-q"]).status(0).run();
    assert!(!repo.path().join(".git/docdex").exists());
}

#[test]
fn linked_worktrees_share_the_cache_of_the_common_git_directory() {
    let repo = warm();
    let linked = tempfile::tempdir().unwrap();
    let at = linked.path().join("wt");
    repo.git(&["worktree", "add", "-q", at.to_str().unwrap(), "other"]);
    let before = std::fs::read(cache_file(repo.path())).unwrap();
    TestRepo::at(&at)
        .docdex(&["check", "-q"])
        .run_allowing_stderr();
    assert!(!at.join(".git/docdex").exists() && !at.join("docdex").exists());
    let after = std::fs::read(cache_file(repo.path())).unwrap();
    assert_ne!(
        before, after,
        "the linked worktree's run filed its pages in the common cache"
    );
}
