//! The index as `--staged` reads it: decoded with gitoxide's `gix-index` without a
//! checksum pass, and compared with HEAD's tree through the index's cache-tree, which
//! names the folders whose tree is unchanged (git's own shortcut), so only the trees
//! of changed folders are read. Part of the git layer; libgit2 still writes the index.

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::Path;

use git2::{ObjectType, Oid, Repository};
use gix_index::entry::{Flags, Mode, Stage};
use gix_index::extension::Tree as CacheTree;

use super::delta::TreeChange;
use super::{is_regular, unsupported_index, Content, FileList, FileListBuilder};
use crate::error::Error;

/// The staged index, decoded, in byte order of path, with the cache-tree. Conflicted
/// paths (entries at stages 1 to 3) are no staged content: they are listed apart, for
/// the check to refuse unless every one is a page it regenerates.
pub(crate) struct StagedIndex {
    state: gix_index::State,
    conflicts: Vec<String>,
}

impl StagedIndex {
    /// Reads the index file at `path`. A missing file is an empty index (a new
    /// repository). Conflicts, a split index and a sparse index are refused, as git
    /// would need them resolved or expanded to commit.
    pub(crate) fn read(path: &Path, git_dir: &Path) -> Result<StagedIndex, Error> {
        let options = gix_index::decode::Options {
            thread_limit: Some(1),
            ..Default::default()
        };
        let state = if has_shared_index(git_dir) {
            // Read whole, so the link extension of a split index can be seen and refused.
            let bytes = match std::fs::read(path) {
                Ok(bytes) => bytes,
                Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
                    return Ok(StagedIndex::empty())
                }
                Err(err) => return Err(Error::io(path.display().to_string(), err)),
            };
            let time = filetime::FileTime::zero();
            gix_index::State::from_bytes(&bytes, time, gix_hash::Kind::Sha1, options)
                .map_err(|err| decode_error(&err))?
                .0
        } else {
            // Mapped, not copied: the 10 MB index of 72,000 files reads 5 ms faster so.
            // gitoxide's errors are opaque: a missing file is told apart first.
            match std::fs::metadata(path) {
                Ok(_) => {}
                Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
                    return Ok(StagedIndex::empty())
                }
                Err(err) => return Err(Error::io(path.display().to_string(), err)),
            }
            match gix_index::File::at(path, gix_hash::Kind::Sha1, true, options) {
                Ok(file) => gix_index::State::from(file),
                // A link extension whose shared index is not there.
                Err(err) if messages(&err).contains("sharedindex.") => {
                    return Err(unsupported_index("link"))
                }
                Err(err) => return Err(decode_error(&err)),
            }
        };
        if state.link().is_some() {
            return Err(unsupported_index("link"));
        }
        if state.is_sparse() {
            return Err(unsupported_index("sdir"));
        }
        let mut conflicts: Vec<String> = Vec::new();
        for entry in state.entries() {
            if entry.stage() != Stage::Unconflicted {
                let path = String::from_utf8_lossy(entry.path(&state)).into_owned();
                if conflicts.last() != Some(&path) {
                    conflicts.push(path);
                }
            }
        }
        Ok(StagedIndex { state, conflicts })
    }

    /// The index of a repository that has none yet.
    fn empty() -> StagedIndex {
        StagedIndex {
            state: gix_index::State::new(gix_hash::Kind::Sha1),
            conflicts: Vec::new(),
        }
    }

    /// The decoded index (for the working tree's listing, which is unix's).
    #[cfg(unix)]
    pub(super) fn state(&self) -> &gix_index::State {
        &self.state
    }

    fn entries(&self) -> &[gix_index::Entry] {
        self.state.entries()
    }

    fn path(&self, entry: &gix_index::Entry) -> &[u8] {
        entry.path(&self.state)
    }

    /// The blob of an entry that is a really staged regular file; `None` for a
    /// symlink, a submodule or a `git add -N` placeholder (not content a commit carries).
    fn blob_of(entry: &gix_index::Entry) -> Option<Oid> {
        let regular = matches!(entry.mode, Mode::FILE | Mode::FILE_EXECUTABLE);
        let staged =
            !entry.flags.contains(Flags::INTENT_TO_ADD) && entry.stage() == Stage::Unconflicted;
        (regular && staged).then(|| oid(&entry.id))
    }

    /// The blob of the really staged regular file at `path`.
    pub(crate) fn blob(&self, path: &str) -> Option<Oid> {
        let entries = self.entries();
        let at = entries
            .binary_search_by(|e| self.path(e).cmp(path.as_bytes()))
            .ok()?;
        Self::blob_of(&entries[at])
    }

    /// The staged entry at `path`: its blob, and whether it is a symlink (`None` for
    /// anything but a really staged regular file or symlink).
    pub(crate) fn file_or_link(&self, path: &str) -> Option<(Oid, bool)> {
        let entries = self.entries();
        let at = entries
            .binary_search_by(|e| self.path(e).cmp(path.as_bytes()))
            .ok()?;
        let entry = &entries[at];
        if entry.mode == Mode::SYMLINK && !entry.flags.contains(Flags::INTENT_TO_ADD) {
            return Some((oid(&entry.id), true));
        }
        Self::blob_of(entry).map(|id| (id, false))
    }

    /// The paths with unresolved conflicts, in byte order.
    pub(crate) fn conflicts(&self) -> &[String] {
        &self.conflicts
    }

    /// Whether the entry at `path` is a submodule (a gitlink).
    pub(crate) fn is_gitlink(&self, path: &str) -> bool {
        let entries = self.entries();
        entries
            .binary_search_by(|e| self.path(e).cmp(path.as_bytes()))
            .is_ok_and(|at| entries[at].mode == Mode::COMMIT)
    }

    /// The paths of the submodules (gitlinks), in byte order.
    pub(crate) fn gitlinks(&self) -> Vec<String> {
        self.entries()
            .iter()
            .filter(|entry| entry.mode == Mode::COMMIT)
            .map(|entry| String::from_utf8_lossy(self.path(entry)).into_owned())
            .collect()
    }

    /// Every really staged regular file, and apart the paths of those whose names are
    /// not UTF-8 (invalid bytes replaced).
    pub(crate) fn files(&self) -> (FileList, Vec<String>) {
        let mut files = FileListBuilder::default();
        let mut unnamed = Vec::new();
        for entry in self.entries() {
            if let Some(blob) = Self::blob_of(entry) {
                let path = self.path(entry);
                match std::str::from_utf8(path) {
                    Ok(path) => files.push(path, Content::Blob(blob)),
                    Err(_) => unnamed.push(String::from_utf8_lossy(path).into_owned()),
                }
            }
        }
        (files.finish(), unnamed)
    }

    /// The really staged regular files directly in `folder` (`""` is the top).
    pub(crate) fn folder_files(&self, folder: &str) -> Result<Vec<String>, Error> {
        let prefix = if folder.is_empty() {
            Vec::new()
        } else {
            format!("{folder}/").into_bytes()
        };
        let mut files = Vec::new();
        for entry in &self.entries()[self.under(&prefix)] {
            let path = self.path(entry);
            // A name that is not UTF-8 is no document (the full listing reports it).
            if Self::blob_of(entry).is_some() && !path[prefix.len()..].contains(&b'/') {
                if let Ok(path) = std::str::from_utf8(path) {
                    files.push(path.to_owned());
                }
            }
        }
        Ok(files)
    }

    /// The range of entries whose path starts with `prefix`.
    fn under(&self, prefix: &[u8]) -> Range<usize> {
        let entries = self.entries();
        let start = entries.partition_point(|e| self.path(e) < prefix);
        let len = entries[start..]
            .iter()
            .take_while(|e| self.path(e).starts_with(prefix))
            .count();
        start..start + len
    }

    /// The regular files that differ between `head` (HEAD's tree, `None` when HEAD is
    /// unborn) and the index, in byte order of path. A folder whose cache-tree entry is
    /// valid and names HEAD's tree for it is skipped whole.
    pub(crate) fn changes_from(
        &self,
        repo: &Repository,
        head: Option<Oid>,
    ) -> Result<Vec<TreeChange>, Error> {
        let mut changes = Vec::new();
        let all = 0..self.entries().len();
        let cache_tree = self.state.tree();
        self.diff_folder(repo, b"", all, cache_tree, head, &mut changes)?;
        changes.sort_by(|a, b| a.path.cmp(&b.path));
        Ok(changes)
    }

    /// Compares the entries `range` (all under `prefix`, which ends with `/` unless it
    /// is the top) with the tree `head`.
    fn diff_folder(
        &self,
        repo: &Repository,
        prefix: &[u8],
        range: Range<usize>,
        cache: Option<&CacheTree>,
        head: Option<Oid>,
        changes: &mut Vec<TreeChange>,
    ) -> Result<(), Error> {
        if let (Some(cache), Some(head)) = (cache, head) {
            if cache.num_entries.is_some() && oid(&cache.id) == head {
                return Ok(());
            }
        }
        // What the index holds directly here: files by name, folders by name and range.
        let mut files: BTreeMap<&[u8], Option<Oid>> = BTreeMap::new();
        let mut folders: BTreeMap<&[u8], Range<usize>> = BTreeMap::new();
        let entries = self.entries();
        let mut at = range.start;
        while at < range.end {
            let rest = &self.path(&entries[at])[prefix.len()..];
            match rest.iter().position(|&b| b == b'/') {
                None => {
                    files.insert(rest, Self::blob_of(&entries[at]));
                    at += 1;
                }
                Some(slash) => {
                    let name = &rest[..slash];
                    let mut sub = prefix.to_vec();
                    sub.extend_from_slice(name);
                    sub.push(b'/');
                    let end = at
                        + entries[at..range.end]
                            .iter()
                            .take_while(|e| self.path(e).starts_with(&sub))
                            .count();
                    folders.insert(name, at..end);
                    at = end;
                }
            }
        }
        let head_entries = tree_entries(repo, head)?;
        for (name, item) in &head_entries {
            let path = [prefix, name.as_slice()].concat();
            match item {
                HeadItem::Tree(id) => {
                    let range = folders.remove(name.as_slice()).unwrap_or(0..0);
                    let child = cache.and_then(|c| {
                        c.children
                            .iter()
                            .find(|t| t.name.as_slice() == name.as_slice())
                    });
                    let mut sub = path;
                    sub.push(b'/');
                    self.diff_folder(repo, &sub, range, child, Some(*id), changes)?;
                }
                HeadItem::File(old) => {
                    let new = files.remove(name.as_slice()).flatten();
                    push_change(changes, &path, *old, new)?;
                }
                HeadItem::Other => {}
            }
        }
        // Whatever the index holds that HEAD does not.
        for (name, new) in files {
            push_change(changes, &[prefix, name].concat(), None, new)?;
        }
        for (name, range) in folders {
            let mut sub = [prefix, name].concat();
            sub.push(b'/');
            self.diff_folder(repo, &sub, range, None, None, changes)?;
        }
        Ok(())
    }
}

/// What one entry of a HEAD tree is, as the comparison needs it.
enum HeadItem {
    Tree(Oid),
    /// A regular file's blob, or `None` for a symlink or submodule (absent to docdex).
    File(Option<Oid>),
    Other,
}

fn tree_entries(repo: &Repository, tree: Option<Oid>) -> Result<Vec<(Vec<u8>, HeadItem)>, Error> {
    let Some(tree) = tree else {
        return Ok(Vec::new());
    };
    let tree = repo
        .find_tree(tree)
        .map_err(|e| Error::git("reading a tree", e))?;
    Ok(tree
        .iter()
        .map(|entry| {
            let item = match entry.kind() {
                Some(ObjectType::Tree) => HeadItem::Tree(entry.id()),
                Some(ObjectType::Blob) => {
                    HeadItem::File(is_regular(entry.filemode()).then(|| entry.id()))
                }
                _ => HeadItem::Other,
            };
            (entry.name_bytes().to_vec(), item)
        })
        .collect())
}

fn push_change(
    changes: &mut Vec<TreeChange>,
    path: &[u8],
    old: Option<Oid>,
    new: Option<Oid>,
) -> Result<(), Error> {
    // A name that is not UTF-8 is no document: not a change docdex can act on.
    if let (true, Ok(path)) = (old != new, std::str::from_utf8(path)) {
        changes.push(TreeChange {
            path: path.to_owned(),
            old,
            new,
        });
    }
    Ok(())
}

fn oid(id: &gix_hash::oid) -> Oid {
    Oid::from_bytes(id.as_bytes()).unwrap_or(Oid::ZERO_SHA1)
}

/// Whether the git directory holds the shared index of a split index
/// (`sharedindex.<id>`).
fn has_shared_index(git_dir: &Path) -> bool {
    std::fs::read_dir(git_dir).is_ok_and(|entries| {
        entries
            .flatten()
            .any(|e| e.file_name().to_string_lossy().starts_with("sharedindex."))
    })
}

/// Every message of an error and its causes, outermost first.
fn messages(err: &(dyn std::error::Error + 'static)) -> String {
    let mut messages = vec![err.to_string()];
    let mut source = err.source();
    while let Some(cause) = source {
        messages.push(cause.to_string());
        source = cause.source();
    }
    messages.dedup();
    messages.join(": ")
}

/// The error of a read that failed: an extension git requires and gitoxide cannot
/// read is named as unsupported.
fn decode_error(err: &(dyn std::error::Error + 'static)) -> Error {
    let message = messages(err);
    match message.split_once("mandatory extension '") {
        Some((_, rest)) => unsupported_index(rest.split('\'').next().unwrap_or_default()),
        None => Error::Git {
            context: "reading the index".to_owned(),
            message,
        },
    }
}
