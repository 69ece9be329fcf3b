//! The incremental modes list trees but read only the blobs of changed documents
//! (and of the committed pages a finding needs for its diff).

use docdex::Status;
use docdex::{Config, Mode, Repo};

use crate::util::TestRepo;

fn big_clean_repo() -> TestRepo {
    let repo = TestRepo::new();
    write_documents(&repo);
    repo
}

/// 60 documents in four folders, committed with their pages.
fn write_documents(repo: &TestRepo) {
    for i in 0..60 {
        repo.write(
            &format!("pkg{}/mod{i:02}.py", i % 4),
            format!("class C{i}:\n    def f{i}(self): pass\n"),
        );
    }
    repo.commit_all("documents");
    repo.fix_and_commit();
}

/// (blob reads, documents read would be at most this) for one check.
fn reads(repo: &TestRepo, mode: Mode) -> (usize, usize) {
    reads_with(repo, &Config::default(), mode)
}

fn reads_with(repo: &TestRepo, config: &Config, mode: Mode) -> (usize, usize) {
    let git = Repo::discover(repo.path(), &Default::default()).unwrap();
    let result = docdex::check(&git, config, &mode).unwrap();
    let diffs_read = result
        .verdict
        .findings
        .iter()
        .filter(|f| f.status != Status::Missing)
        .count();
    (result.reads, diffs_read)
}

#[test]
fn a_staged_content_edit_reads_one_document_and_nothing_else() {
    let repo = big_clean_repo();
    // Same keywords, other bytes: the page is fresh and is compared by blob id alone.
    repo.write(
        "pkg1/mod01.py",
        "class C1:\n    def f1(self):\n        return 1\n",
    );
    repo.git(&["add", "-A"]);
    assert_eq!(reads(&repo, Mode::Staged), (1, 0));
    // Other keywords: one document read, and the stale page read for its diff.
    repo.write("pkg1/mod01.py", "class Other: pass\n");
    repo.git(&["add", "-A"]);
    assert_eq!(reads(&repo, Mode::Staged), (2, 1));
}

#[test]
fn an_added_document_reads_itself_and_the_pages_it_makes_stale() {
    let repo = big_clean_repo();
    repo.write("pkg2/new.py", "def fresh(): pass\n");
    repo.git(&["add", "-A"]);
    let (reads, diffs) = reads(&repo, Mode::Staged);
    assert_eq!(
        reads,
        1 + diffs,
        "only the new document is read besides diffed pages"
    );
    assert_eq!(
        diffs, 4,
        "pkg2/index.md, pkg2/sub.md, sub.md and keywords.md"
    );
}

#[test]
fn base_reads_only_the_changed_documents() {
    let repo = big_clean_repo();
    let start = repo.git(&["rev-parse", "HEAD"]).trim().to_owned();
    repo.write("pkg3/mod03.py", "class C3:\n    def f3(self): return 3\n");
    repo.write("pkg0/mod04.py", "class C4:\n    def f4(self): return 4\n");
    repo.commit_all("two content edits");
    let mode = Mode::Base {
        base: start,
        head: "HEAD".into(),
    };
    assert_eq!(reads(&repo, mode), (2, 0));
    // A full check of the same commit reads every document.
    let (full, _) = reads(&repo, Mode::Rev("HEAD".into()));
    assert!(full >= 60, "{full}");
}

const ALL_KINDS: &str =
    "pages = [\"keyword\", \"folder\", \"subtree\", \"global\", \"docs\", \"folder-docs\"]\n";

/// `big_clean_repo` with all six kinds on, and that configuration.
fn big_clean_repo_with_content_pages() -> (TestRepo, Config) {
    let repo = TestRepo::new();
    repo.write("docdex.toml", ALL_KINDS);
    write_documents(&repo);
    let config = Config::parse(ALL_KINDS, std::path::Path::new("docdex.toml")).unwrap();
    (repo, config)
}

#[test]
fn with_content_pages_a_full_check_reads_each_document_once() {
    let (repo, config) = big_clean_repo_with_content_pages();
    // A keyword page and a documentation page read each of the 60 sources (and the
    // configuration file, a document too); the documentation pages are rendered, and
    // their keyword pages take the rendered bytes: nothing is read twice.
    assert_eq!(
        reads_with(&repo, &config, Mode::Rev("HEAD".into())),
        (61, 0)
    );
}

#[test]
fn with_content_pages_a_staged_content_edit_still_reads_one_document() {
    let (repo, config) = big_clean_repo_with_content_pages();
    repo.write("pkg1/mod01.py", "class Other: pass\n");
    repo.git(&["add", "-A"]);
    let (reads, diffs) = reads_with(&repo, &config, Mode::Staged);
    // Stale: its keyword page, its documentation page and that page's keyword page.
    assert_eq!(diffs, 3);
    assert_eq!(
        reads,
        1 + diffs,
        "one document read besides the diffed pages"
    );
}

/// Each finding's page, status and expected bytes.
fn expectations(
    repo: &TestRepo,
    config: &Config,
    mode: Mode,
) -> Vec<(String, Status, Option<String>)> {
    let git = Repo::discover(repo.path(), &Default::default()).unwrap();
    let result = docdex::check(&git, config, &mode).unwrap();
    result
        .verdict
        .findings
        .into_iter()
        .map(|f| (f.page, f.status, f.expected))
        .collect()
}

#[test]
fn with_content_pages_a_content_edit_renders_what_a_full_check_renders() {
    // The fast content-only plan lists only the edited document's folder (for the
    // documentation page's Related Files), yet must expect the same bytes as a full check.
    let (repo, config) = big_clean_repo_with_content_pages();
    repo.write("pkg1/mod05.py", "class Other: pass\n");
    repo.git(&["add", "-A"]);
    let staged = expectations(&repo, &config, Mode::Staged);
    assert_eq!(staged.len(), 3, "{staged:?}");
    let tree = repo.git(&["write-tree"]);
    let commit = repo.git(&["commit-tree", tree.trim(), "-p", "HEAD", "-m", "index"]);
    let full = expectations(&repo, &config, Mode::Rev(commit.trim().to_owned()));
    assert_eq!(staged, full);
    let base = Mode::Base {
        base: "HEAD".into(),
        head: commit.trim().to_owned(),
    };
    assert_eq!(expectations(&repo, &config, base), full);
}

#[test]
fn staged_checks_never_write_into_the_object_database() {
    let repo = big_clean_repo();
    repo.write("pkg1/mod01.py", "class Other: pass\n");
    repo.write("pkg1/brand_new.py", "class New: pass\n");
    repo.git(&["add", "-A"]);
    let objects = || {
        let mut names = repo.listing();
        names.retain(|f| f.starts_with(".git/"));
        let mut all = Vec::new();
        let mut stack = vec![repo.path().join(".git/objects")];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(dir).unwrap().flatten() {
                if entry.path().is_dir() {
                    stack.push(entry.path());
                } else {
                    all.push(entry.path());
                }
            }
        }
        all.sort();
        all
    };
    let before = objects();
    repo.docdex(&["check", "--staged"]).status(1).run();
    repo.write("pkg1/brand_new.py", "class New: pass\nclass More: pass\n");
    repo.git(&["add", "-A"]);
    let before_second = objects();
    repo.docdex(&["check", "--staged"]).status(1).run();
    assert_eq!(objects(), before_second);
    assert!(before.len() <= before_second.len());
}
