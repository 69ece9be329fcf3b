//! The listing from the index against libgit2's status.

use std::os::unix::ffi::OsStrExt;
use std::path::Path;
use std::process::Command;

use proptest::prelude::*;

use super::*;
use crate::source::GitEnvironment;

/// Runs git in `dir`, isolated from the machine's configuration.
fn run_git(dir: &Path, args: &[&str]) -> std::process::Output {
    Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("HOME", dir)
        .env("GIT_AUTHOR_NAME", "T")
        .env("GIT_AUTHOR_EMAIL", "t@example.com")
        .env("GIT_COMMITTER_NAME", "T")
        .env("GIT_COMMITTER_EMAIL", "t@example.com")
        .env("GIT_ALLOW_PROTOCOL", "file")
        .output()
        .unwrap()
}

/// [`run_git`], which must succeed.
fn git(dir: &Path, args: &[&str]) {
    let out = run_git(dir, args);
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn write(dir: &Path, path: &str, bytes: &[u8]) {
    let full = dir.join(path);
    std::fs::create_dir_all(full.parent().unwrap()).unwrap();
    std::fs::write(full, bytes).unwrap();
}

type Seen = Vec<(String, u64, Option<Oid>, bool)>;

fn seen(listing: Listing) -> Seen {
    let mut files: Seen = listing
        .files
        .iter()
        .map(|(path, listed)| match listed {
            Listed::File { len, blob } => (path.to_owned(), len, blob, false),
            Listed::Stored(id) => (path.to_owned(), 0, Some(id), true),
        })
        .collect();
    files.sort_by(|a, b| a.0.cmp(&b.0));
    files
}

/// The fast listing against libgit2's status on the same repository: the same files,
/// sizes, sparse entries and unnamed paths; a blob the fast listing vouches for is
/// the one status names (it may vouch for fewer: it never hashes a file).
fn agree(dir: &Path) -> (Seen, Seen) {
    let fast_repo = Repo::discover(dir, &GitEnvironment::default()).unwrap();
    let fast = seen(
        fast_repo
            .listing_from_index(dir)
            .unwrap()
            .expect("the fast listing applies"),
    );
    let slow_repo = Repo::discover(dir, &GitEnvironment::default()).unwrap();
    let slow = seen(slow_repo.listing_by_status(dir).unwrap());
    let strip = |files: &Seen| -> Vec<(String, u64, bool)> {
        files.iter().map(|f| (f.0.clone(), f.1, f.3)).collect()
    };
    assert_eq!(strip(&fast), strip(&slow), "listed files differ");
    for (f, s) in fast.iter().zip(&slow) {
        if f.2.is_some() {
            assert_eq!(f.2, s.2, "{}: vouched for another blob than status", f.0);
        }
    }
    assert_eq!(fast_repo.unnamed(), slow_repo.unnamed());
    assert_eq!(fast_repo.unmerged(), slow_repo.unmerged());
    (fast, slow)
}

#[test]
fn the_fast_listing_is_status_on_every_kind_of_file() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    git(dir, &["init", "-q", "-b", "main", "."]);
    write(
        dir,
        ".gitignore",
        b"*.log\nbuild/\n!keep.log\nnested-ignored/\n",
    );
    write(dir, "a/clean.py", b"x = 1\n");
    write(dir, "a/modified.py", b"x = 1\n");
    write(dir, "a/deleted.py", b"x = 1\n");
    write(dir, "a/typechange.py", b"x = 1\n");
    write(dir, "a/sparse/left.py", b"x = 1\n");
    write(dir, "a/tracked-but-ignored.log", b"log\n");
    write(dir, "conflict.md", b"base\n");
    write(dir, "was-folder/deep/t.py", b"t = 1\n");
    std::os::unix::fs::symlink("a/clean.py", dir.join("link")).unwrap();
    git(dir, &["add", "-A"]);
    git(dir, &["add", "-f", "a/tracked-but-ignored.log"]);
    git(dir, &["commit", "-qm", "base"]);
    // A conflict.
    git(dir, &["checkout", "-q", "-b", "side"]);
    write(dir, "conflict.md", b"side\n");
    git(dir, &["commit", "-qam", "side"]);
    git(dir, &["checkout", "-q", "main"]);
    write(dir, "conflict.md", b"main\n");
    git(dir, &["commit", "-qam", "main"]);
    let merge = run_git(dir, &["merge", "-q", "side"]);
    assert!(!merge.status.success());
    // Sparse: an entry marked skip-worktree and gone from disk.
    git(
        dir,
        &["update-index", "--skip-worktree", "a/sparse/left.py"],
    );
    std::fs::remove_file(dir.join("a/sparse/left.py")).unwrap();
    // A tracked folder replaced by a symlink to a folder: never read through.
    std::fs::remove_dir_all(dir.join("was-folder")).unwrap();
    write(dir, "elsewhere/deep/t.py", b"t = 2\n");
    write(dir, "elsewhere/deep/u.py", b"u = 2\n");
    std::os::unix::fs::symlink("elsewhere", dir.join("was-folder")).unwrap();
    // Working-tree changes.
    write(dir, "a/modified.py", b"x = 22\n");
    std::fs::remove_file(dir.join("a/deleted.py")).unwrap();
    std::fs::remove_file(dir.join("a/typechange.py")).unwrap();
    std::os::unix::fs::symlink("clean.py", dir.join("a/typechange.py")).unwrap();
    write(dir, "new/untracked.md", b"# New\n");
    write(dir, "new/deeper/also.py", b"y = 2\n");
    write(dir, "noise.log", b"ignored\n");
    write(dir, "keep.log", b"negated\n");
    write(dir, "build/out.py", b"ignored folder\n");
    write(dir, "nested-ignored/x.py", b"ignored folder\n");
    std::os::unix::fs::symlink("../a/clean.py", dir.join("new/link.py")).unwrap();
    write(dir, "intent.py", b"z = 3\n");
    git(dir, &["add", "-N", "intent.py"]);
    // A nested clone and a name that is not UTF-8.
    std::fs::create_dir_all(dir.join("vendor/lib")).unwrap();
    git(&dir.join("vendor/lib"), &["init", "-q"]);
    write(dir, "vendor/lib/inside.py", b"not ours\n");
    std::fs::write(
        dir.join(std::ffi::OsStr::from_bytes(b"bad\xffname.py")),
        b"q\n",
    )
    .unwrap();
    let (fast, _) = agree(dir);
    let names: Vec<&str> = fast.iter().map(|f| f.0.as_str()).collect();
    assert!(names.contains(&"new/deeper/also.py") && names.contains(&"keep.log"));
    assert!(names.contains(&"a/tracked-but-ignored.log") && names.contains(&"conflict.md"));
    assert!(!names
        .iter()
        .any(|n| n.starts_with("build/") || n.starts_with("vendor/")));
    assert!(fast.iter().any(|f| f.0 == "a/sparse/left.py" && f.3));
    assert!(!names.iter().any(|n| n.starts_with("was-folder/")));
    assert!(names.contains(&"elsewhere/deep/u.py"));
}

#[derive(Clone, Debug)]
enum Op {
    Write(usize, usize),
    Delete(usize),
    Stage,
    Commit,
    Ignore(usize),
    /// Same size, the old times put back (only ctime tells).
    SameSizeSameTime(usize),
}

const PATHS: &[&str] = &["a.py", "b/c.md", "b/d/e.txt", "f/g.log", "h.py"];

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn random_edits_list_alike(ops in proptest::collection::vec(prop_oneof![
        (0..PATHS.len(), 0usize..3).prop_map(|(p, c)| Op::Write(p, c)),
        (0..PATHS.len()).prop_map(Op::Delete),
        Just(Op::Stage),
        Just(Op::Commit),
        (0..4usize).prop_map(Op::Ignore),
        (0..PATHS.len()).prop_map(Op::SameSizeSameTime),
    ], 1..10)) {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path();
        git(dir, &["init", "-q", "-b", "main", "."]);
        for op in &ops {
            match *op {
                Op::Write(p, c) => write(dir, PATHS[p], ["one\n", "two two\n", ""][c].as_bytes()),
                Op::Delete(p) => { let _ = std::fs::remove_file(dir.join(PATHS[p])); }
                Op::Stage => git(dir, &["add", "-A"]),
                Op::Commit => git(dir, &["commit", "-q", "--allow-empty", "-m", "x"]),
                Op::Ignore(k) => write(dir, ".gitignore", ["", "*.log\n", "b/\n", "b/d/\n!b/d/e.txt\n"][k].as_bytes()),
                Op::SameSizeSameTime(p) => {
                    let full = dir.join(PATHS[p]);
                    if let Ok(before) = std::fs::metadata(&full) {
                        let mut bytes = std::fs::read(&full).unwrap();
                        bytes.make_ascii_uppercase();
                        std::fs::write(&full, &bytes).unwrap();
                        let file = std::fs::File::options().write(true).open(&full).unwrap();
                        file.set_modified(before.modified().unwrap()).unwrap();
                    }
                }
            }
            agree(dir);
        }
    }
}
