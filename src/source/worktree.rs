//! The working tree's files as git's status sees them: every regular file git tracks or
//! would offer to track (untracked and not ignored), and for each tracked one whether
//! git's stat cache vouches that it still holds the index's blob.
//!
//! Listed from the index (gitoxide's decoder), one `lstat` per entry on every core, and a
//! walk of the folders for untracked files that asks libgit2's ignore rules only about
//! paths the index does not know: the way git's own status works. libgit2's status
//! walk `lstat`s and sorts every file of the tree on one thread and took 2.5 times git's
//! time (139 ms against 56 ms at 20,000 documents). Repositories the fast listing does
//! not follow (a split or sparse index, `core.ignoreCase`, `core.precomposeUnicode`)
//! are listed by libgit2's status, as before.
//!
//! Where the two could differ, the fast listing is the stricter: a file counts as the
//! index's blob only when every stat field git records (size, modification and change
//! times to the nanosecond, inode, owner) matches and the entry is not racily clean;
//! any other file is read from disk, which is never wrong, only slower.

use std::collections::{BTreeMap, BTreeSet};
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::MetadataExt;
use std::path::Path;

use git2::{FileMode, Oid, Status, StatusOptions};
use gix_index::entry::{Flags, Mode, Stage};
use rayon::prelude::*;

use super::{filters, Content, Origin, Repo, Snapshot};
use crate::error::Error;

/// One file of the working tree, before it is known whether git converts files.
enum Listed {
    /// On disk, `len` bytes; `blob` when git's stat cache says it is the index's blob.
    File { len: u64, blob: Option<Oid> },
    /// Left out of a sparse checkout: the index's blob is the file.
    Stored(Oid),
}

/// What listing found: the files by path, and whether a `.gitattributes` is among
/// the paths it met (tracked, even if deleted, or untracked).
struct Listing {
    files: Vec<(String, Listed)>,
    has_attributes: bool,
}

fn is_attributes(path: &[u8]) -> bool {
    path == b".gitattributes" || path.ends_with(b"/.gitattributes")
}

impl Repo {
    /// Every regular file of the working tree that git tracks or would offer to track
    /// (untracked and not ignored). Symlinks are listed by git but never followed.
    ///
    /// Files a sparse checkout leaves out (skip-worktree) are read from the index, as
    /// git itself treats them: they still exist, only not on disk.
    pub(crate) fn worktree_snapshot(&self) -> Result<Snapshot, Error> {
        let workdir = self.workdir("check")?.to_path_buf();
        let listing = match self.listing_from_index(&workdir)? {
            Some(listing) => listing,
            None => self.listing_by_status(&workdir)?,
        };
        let convert = filters::may_convert(
            &self.repo,
            listing.has_attributes,
            self.global_attributes.as_deref(),
        );
        let files: BTreeMap<String, Content> = listing
            .files
            .into_iter()
            .map(|(path, listed)| {
                let content = match listed {
                    // Unchanged since git stored it: the stored bytes are exact, filters or not.
                    Listed::File { blob: Some(id), .. } if convert => Content::Blob(id),
                    Listed::File { len, blob } => Content::File { len, blob, convert },
                    Listed::Stored(id) => Content::Blob(id),
                };
                (path, content)
            })
            .collect();
        let origin = Origin {
            git_dir: Some(self.repo.path().to_path_buf()),
            workdir: Some(workdir),
            converts: convert,
        };
        Ok(Snapshot::new(files, origin))
    }

    /// The listing from the index and a walk for untracked files, or `None` for a
    /// repository it does not follow.
    fn listing_from_index(&self, workdir: &Path) -> Result<Option<Listing>, Error> {
        let config = self
            .repo
            .config()
            .map_err(|e| Error::git("reading the configuration", e))?;
        let set = |key: &str| config.get_bool(key).unwrap_or(false);
        if set("core.ignorecase") || set("core.precomposeunicode") {
            return Ok(None);
        }
        // A split or sparse index, or one gitoxide cannot read: libgit2's status decides.
        let Ok(index) = self.staged_index() else {
            return Ok(None);
        };
        let state = index.state();
        let stamp = state.timestamp();
        let racy = |mtime: gix_index::entry::stat::Time| {
            (i64::from(mtime.secs), mtime.nsecs) >= (stamp.unix_seconds(), stamp.nanoseconds())
        };
        let entries = state.entries();
        let known: Vec<&[u8]> = entries
            .iter()
            .map(|entry| -> &[u8] { entry.path(state) })
            .collect();
        let folders = Folders::of(workdir, &known);
        let tracked: Vec<Option<(&[u8], Listed)>> = entries
            .par_iter()
            .map(|entry| {
                let path: &[u8] = entry.path(state);
                let regular = matches!(entry.mode, Mode::FILE | Mode::FILE_EXECUTABLE);
                let conflicted = entry.stage() != Stage::Unconflicted;
                if !regular && !conflicted {
                    return None;
                }
                // Through a symlinked folder, the file is not there for git.
                let meta = folders
                    .is_real(parent(path))
                    .then(|| std::fs::symlink_metadata(workdir.join(OsStr::from_bytes(path))))
                    .and_then(Result::ok)
                    .filter(std::fs::Metadata::is_file);
                let id = Oid::from_bytes(entry.id.as_bytes()).ok()?;
                if entry.flags.contains(Flags::SKIP_WORKTREE) && !conflicted {
                    // A file present despite the sparse patterns (one --fix wrote, say) is
                    // what git itself takes: it clears the bit of present files.
                    return Some((
                        path,
                        match meta {
                            Some(meta) => Listed::File {
                                len: meta.len(),
                                blob: None,
                            },
                            None => Listed::Stored(id),
                        },
                    ));
                }
                let meta = meta?;
                let vouched = !conflicted
                    && !entry.flags.contains(Flags::INTENT_TO_ADD)
                    && !racy(entry.stat.mtime)
                    && stat_matches(&entry.stat, &meta);
                Some((
                    path,
                    Listed::File {
                        len: meta.len(),
                        blob: vouched.then_some(id),
                    },
                ))
            })
            .collect();
        let mut files = Vec::with_capacity(tracked.len());
        for (path, listed) in tracked.into_iter().flatten() {
            self.take(path, listed, &mut files);
        }
        // Several stages of one conflicted path: one file.
        files.dedup_by(|a, b| a.0 == b.0);
        let mut has_attributes = entries.iter().any(|entry| is_attributes(entry.path(state)));
        for (path, len) in self.untracked(workdir, &known, &folders)? {
            has_attributes |= is_attributes(&path);
            self.take(&path, Listed::File { len, blob: None }, &mut files);
        }
        files.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        Ok(Some(Listing {
            files,
            has_attributes,
        }))
    }

    /// Adds a listed file, or sets it aside when its name is not UTF-8.
    fn take(&self, path: &[u8], listed: Listed, files: &mut Vec<(String, Listed)>) {
        match std::str::from_utf8(path) {
            Ok(path) => files.push((path.to_owned(), listed)),
            Err(_) => self.skip_unnamed(String::from_utf8_lossy(path).into_owned()),
        }
    }

    /// The untracked regular files git does not ignore, with their sizes. The folders
    /// the index has files in are read on every core; only the names `known` (the
    /// index's paths, in byte order) lacks are then checked against the ignore rules, and
    /// an untracked folder is entered unless it is ignored or another repository (a
    /// nested clone or a submodule's checkout).
    fn untracked(
        &self,
        workdir: &Path,
        known: &[&[u8]],
        folders: &Folders,
    ) -> Result<Vec<(Vec<u8>, u64)>, Error> {
        let is_known = |path: &[u8]| known.binary_search(&path).is_ok();
        let mut unknown: Vec<(Vec<u8>, bool)> = folders
            .folders
            .par_iter()
            .zip(&folders.real)
            .filter(|(_, real)| **real)
            .flat_map_iter(|(folder, _)| {
                read_folder(workdir, folder)
                    // Not a tracked file, nor a tracked folder (read on its own).
                    .filter(|(path, is_dir)| {
                        let tracked = if *is_dir {
                            folders.is_tracked(path)
                        } else {
                            false
                        };
                        !(tracked || is_known(path))
                    })
                    .collect::<Vec<_>>()
            })
            .collect();
        unknown.sort_unstable();
        let mut found = Vec::new();
        for (path, is_dir) in unknown {
            if is_dir {
                self.walk_untracked(workdir, path, &mut found);
            } else if !self.ignored(&path) {
                if let Ok(meta) = std::fs::symlink_metadata(workdir.join(OsStr::from_bytes(&path)))
                {
                    found.push((path, meta.len()));
                }
            }
        }
        Ok(found)
    }

    /// Adds the files of the untracked folder `start` that git does not ignore, unless
    /// the folder itself is ignored or another repository.
    fn walk_untracked(&self, workdir: &Path, start: Vec<u8>, found: &mut Vec<(Vec<u8>, u64)>) {
        let mut pending = vec![start];
        while let Some(path) = pending.pop() {
            let full = workdir.join(OsStr::from_bytes(&path));
            if full.join(".git").symlink_metadata().is_ok() || self.ignored(&path) {
                continue;
            }
            for (inner, is_dir) in read_folder(workdir, &path) {
                if is_dir {
                    pending.push(inner);
                } else if !self.ignored(&inner) {
                    if let Ok(meta) =
                        std::fs::symlink_metadata(workdir.join(OsStr::from_bytes(&inner)))
                    {
                        found.push((inner, meta.len()));
                    }
                }
            }
        }
    }

    /// Whether git ignores the untracked `path` (libgit2's ignore rules).
    fn ignored(&self, path: &[u8]) -> bool {
        self.repo
            .is_path_ignored(Path::new(OsStr::from_bytes(path)))
            .unwrap_or(false)
    }

    /// The listing of libgit2's status, for the repositories the fast listing leaves to it.
    fn listing_by_status(&self, workdir: &Path) -> Result<Listing, Error> {
        let mut options = StatusOptions::new();
        options
            .include_untracked(true)
            .recurse_untracked_dirs(true)
            .include_unmodified(true)
            .include_ignored(false)
            .exclude_submodules(true)
            .renames_head_to_index(false)
            // Only the index against the working tree: HEAD against the index is never asked.
            .show(git2::StatusShow::Workdir);
        let statuses = self
            .repo
            .statuses(Some(&mut options))
            .map_err(|e| Error::git("listing the working tree", e))?;
        let has_attributes = statuses
            .iter()
            .any(|entry| is_attributes(entry.path_bytes()));
        let sparse = self.skip_worktree_entries()?;
        let mut files = Vec::new();
        for entry in statuses.iter() {
            let status = entry.status();
            let Ok(path) = std::str::from_utf8(entry.path_bytes()) else {
                self.skip_unnamed(String::from_utf8_lossy(entry.path_bytes()).into_owned());
                continue;
            };
            if status.contains(Status::CONFLICTED) {
                // Listed as the working tree holds it; the check decides.
                self.unmerged.borrow_mut().insert(path.to_owned());
                if let Ok(meta) = std::fs::symlink_metadata(workdir.join(path)) {
                    if meta.is_file() {
                        let listed = Listed::File {
                            len: meta.len(),
                            blob: None,
                        };
                        files.push((path.to_owned(), listed));
                    }
                }
                continue;
            }
            if status.contains(Status::WT_DELETED) || sparse.contains_key(path) {
                continue;
            }
            // libgit2 already stat'ed every file for the status: use what it saw.
            let Some(delta) = entry.index_to_workdir() else {
                continue;
            };
            let file = delta.new_file();
            let regular = matches!(file.mode(), FileMode::Blob | FileMode::BlobExecutable);
            if !file.exists() || !regular {
                continue;
            }
            let worktree_flags = Status::WT_NEW
                | Status::WT_MODIFIED
                | Status::WT_DELETED
                | Status::WT_TYPECHANGE
                | Status::WT_RENAMED
                | Status::WT_UNREADABLE;
            let blob = (!status.intersects(worktree_flags))
                .then(|| delta.old_file().id())
                .filter(|id| !id.is_zero());
            let listed = Listed::File {
                len: file.size(),
                blob,
            };
            files.push((path.to_owned(), listed));
        }
        files.extend(sparse);
        Ok(Listing {
            files,
            has_attributes,
        })
    }

    /// Index entries with the skip-worktree bit (sparse checkouts), as libgit2 reads them.
    fn skip_worktree_entries(&self) -> Result<BTreeMap<String, Listed>, Error> {
        const SKIP_WORKTREE: u16 = 1 << 14;
        let workdir = self.workdir("check")?;
        let mut sparse = BTreeMap::new();
        for entry in self.index()?.iter() {
            if entry.flags_extended & SKIP_WORKTREE != 0 && super::is_regular(entry.mode as i32) {
                if let Ok(path) = String::from_utf8(entry.path) {
                    // A file present despite the sparse patterns (one --fix wrote, say)
                    // is what git itself takes: it clears the bit of present files.
                    let listed = match std::fs::symlink_metadata(workdir.join(&path)) {
                        Ok(meta) if meta.is_file() => Listed::File {
                            len: meta.len(),
                            blob: None,
                        },
                        _ => Listed::Stored(entry.id),
                    };
                    sparse.insert(path, listed);
                }
            }
        }
        Ok(sparse)
    }
}

/// The folders the index has files in, and their ancestors (`""` for the top), in
/// byte order, and which are real folders all the way down from the top: a file or
/// folder is never reached through a symlink, as git never follows one.
struct Folders<'a> {
    folders: Vec<&'a [u8]>,
    real: Vec<bool>,
}

impl<'a> Folders<'a> {
    fn of(workdir: &Path, known: &[&'a [u8]]) -> Folders<'a> {
        // The top is read even when the index is empty.
        let mut set: BTreeSet<&[u8]> = BTreeSet::from([&[][..]]);
        for path in known {
            let mut folder = parent(path);
            while set.insert(folder) && !folder.is_empty() {
                folder = parent(folder);
            }
        }
        let folders: Vec<&[u8]> = set.into_iter().collect();
        let mut real: Vec<bool> = folders
            .par_iter()
            .map(|folder| {
                folder.is_empty()
                    || std::fs::symlink_metadata(workdir.join(OsStr::from_bytes(folder)))
                        .is_ok_and(|meta| meta.is_dir())
            })
            .collect();
        // A parent sorts before its children, and every ancestor is listed.
        for at in 0..folders.len() {
            if !folders[at].is_empty() {
                let above = folders
                    .binary_search(&parent(folders[at]))
                    .is_ok_and(|up| real[up]);
                real[at] &= above;
            }
        }
        Folders { folders, real }
    }

    /// Whether the index has files at some depth under `folder`.
    fn is_tracked(&self, folder: &[u8]) -> bool {
        self.folders.binary_search(&folder).is_ok()
    }

    /// Whether `folder` (one the index has files under) is a real folder, as are all
    /// above it.
    fn is_real(&self, folder: &[u8]) -> bool {
        self.folders
            .binary_search(&folder)
            .is_ok_and(|at| self.real[at])
    }
}

fn parent(path: &[u8]) -> &[u8] {
    memchr::memrchr(b'/', path).map_or(&[][..], |at| &path[..at])
}

/// The regular files and folders directly in `folder` (paths from the top, and whether
/// each is a folder); `.git`, symlinks and special files left out, and nothing for a
/// folder that is gone or unreadable (git skips it too).
fn read_folder(workdir: &Path, folder: &[u8]) -> impl Iterator<Item = (Vec<u8>, bool)> {
    let entries = std::fs::read_dir(workdir.join(OsStr::from_bytes(folder))).ok();
    let folder = folder.to_vec();
    entries.into_iter().flatten().filter_map(move |entry| {
        let entry = entry.ok()?;
        let name = entry.file_name();
        if name.as_bytes() == b".git" {
            return None;
        }
        let kind = entry.file_type().ok()?;
        if !kind.is_dir() && !kind.is_file() {
            return None;
        }
        let mut path = folder.clone();
        if !path.is_empty() {
            path.push(b'/');
        }
        path.extend_from_slice(name.as_bytes());
        Some((path, kind.is_dir()))
    })
}

/// Whether a file's `lstat` is what the index recorded when it stored the blob: every
/// field git records, compared as git truncates them (32 bits), ctime included.
fn stat_matches(recorded: &gix_index::entry::Stat, meta: &std::fs::Metadata) -> bool {
    recorded.size == meta.size() as u32
        && i64::from(recorded.mtime.secs) == meta.mtime() & 0xffff_ffff
        && i64::from(recorded.mtime.nsecs) == meta.mtime_nsec()
        && i64::from(recorded.ctime.secs) == meta.ctime() & 0xffff_ffff
        && i64::from(recorded.ctime.nsecs) == meta.ctime_nsec()
        && recorded.ino == meta.ino() as u32
        && recorded.uid == meta.uid()
        && recorded.gid == meta.gid()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::GitEnvironment;
    use proptest::prelude::*;
    use std::process::Command;

    fn git(dir: &Path, args: &[&str]) {
        let out = Command::new("git")
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
            .unwrap();
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
            .into_iter()
            .map(|(path, listed)| match listed {
                Listed::File { len, blob } => (path, len, blob, false),
                Listed::Stored(id) => (path, 0, Some(id), true),
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
        let merge = Command::new("git")
            .args([
                "-c",
                "user.name=T",
                "-c",
                "user.email=t@e",
                "merge",
                "-q",
                "side",
            ])
            .current_dir(dir)
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .output()
            .unwrap();
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
}
