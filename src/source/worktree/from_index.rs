//! The working tree listed as git's status lists it: the index decoded by gitoxide, one
//! read of each folder the index has files in, across every core, with an `lstat` of
//! each tracked file found relative to its open folder, and libgit2's ignore rules
//! asked only about what the index lacks.

use std::collections::BTreeSet;
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::MetadataExt;
use std::path::Path;

use git2::Oid;
use gix_index::entry::{Flags, Mode, Stage};
use rayon::prelude::*;
use rustc_hash::FxHashMap;

use super::{is_attributes, Listed, Listing};
use crate::error::Error;
use crate::source::Repo;

impl Repo {
    /// The listing from the index and a walk for untracked files, or `None` for a
    /// repository it does not follow.
    pub(super) fn listing_from_index(&self, workdir: &Path) -> Result<Option<Listing>, Error> {
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
        // Each path's first place in the index: one lookup per name a folder read finds
        // (a binary search compared the long prefixes the paths share, 16 times).
        let mut places: FxHashMap<&[u8], usize> = FxHashMap::default();
        places.reserve(known.len());
        for (at, path) in known.iter().enumerate() {
            places.entry(*path).or_insert(at);
        }
        let scans: Vec<FolderScan> = folders
            .folders
            .par_iter()
            .zip(&folders.real)
            .filter(|(_, real)| **real)
            .map(|(folder, _)| scan_folder(workdir, folder, &places, &folders))
            .collect();
        // Each tracked file's lstat, as its folder's read made it.
        let mut stats: Vec<Option<std::fs::Metadata>> = vec![None; entries.len()];
        let mut unreadable = BTreeSet::new();
        let mut unknown = Vec::new();
        for scan in scans {
            // A conflicted path's first stage: the one file listed for it.
            for (at, meta) in scan.seen {
                stats[at] = Some(meta);
            }
            unknown.extend(scan.unknown);
            unreadable.extend(scan.unreadable);
        }
        let tracked: Vec<Option<(&[u8], Listed)>> = entries
            .par_iter()
            .zip(stats)
            .map(|(entry, meta)| {
                let path: &[u8] = entry.path(state);
                let regular = matches!(entry.mode, Mode::FILE | Mode::FILE_EXECUTABLE);
                let conflicted = entry.stage() != Stage::Unconflicted;
                if !regular && !conflicted {
                    return None;
                }
                // A folder that cannot be listed can still hold files (git lstats them).
                let meta = match meta {
                    None if unreadable.contains(parent(path)) => {
                        std::fs::symlink_metadata(workdir.join(OsStr::from_bytes(path))).ok()
                    }
                    meta => meta,
                };
                let meta = meta.filter(std::fs::Metadata::is_file);
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
        for (path, len) in self.untracked(workdir, unknown) {
            has_attributes |= is_attributes(&path);
            self.take(&path, Listed::File { len, blob: None }, &mut files);
        }
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

    /// The untracked regular files git does not ignore, with their sizes, from the
    /// names `unknown` the reads of the tracked folders found and the index lacks: only
    /// those are checked against the ignore rules, and an untracked folder is entered
    /// unless it is ignored or another repository (a nested clone or a submodule's
    /// checkout).
    fn untracked(&self, workdir: &Path, mut unknown: Vec<(Vec<u8>, bool)>) -> Vec<(Vec<u8>, u64)> {
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
        found
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
}

fn parent(path: &[u8]) -> &[u8] {
    memchr::memrchr(b'/', path).map_or(&[][..], |at| &path[..at])
}

/// What one read of a tracked folder found.
#[derive(Default)]
struct FolderScan<'a> {
    /// The `lstat` of each tracked file in it, by its first place in `known`.
    seen: Vec<(usize, std::fs::Metadata)>,
    /// The files and folders in it that the index lacks (paths from the top, and whether
    /// each is a folder).
    unknown: Vec<(Vec<u8>, bool)>,
    /// The folder, when it could not be read.
    unreadable: Option<&'a [u8]>,
}

/// Reads `folder`, a real folder the index has files under: the `lstat` of its tracked
/// files, made relative to the open folder (one lookup, where a path from the top
/// walks every folder above it again), and the names the index lacks. A tracked folder
/// is left to its own read.
fn scan_folder<'a>(
    workdir: &Path,
    folder: &'a [u8],
    places: &FxHashMap<&[u8], usize>,
    folders: &Folders,
) -> FolderScan<'a> {
    let Ok(entries) = std::fs::read_dir(workdir.join(OsStr::from_bytes(folder))) else {
        return FolderScan {
            unreadable: Some(folder),
            ..FolderScan::default()
        };
    };
    let mut scan = FolderScan::default();
    for entry in entries.flatten() {
        let name = entry.file_name();
        if name.as_bytes() == b".git" {
            continue;
        }
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        if !kind.is_dir() && !kind.is_file() {
            continue;
        }
        let path = join_bytes(folder, name.as_bytes());
        let place = places.get(path.as_slice()).copied();
        let is_known = place.is_some();
        if let (true, Some(first)) = (kind.is_file(), place) {
            // `DirEntry::metadata` is an lstat relative to the folder read.
            if let Ok(meta) = entry.metadata() {
                scan.seen.push((first, meta));
            }
        } else if !(is_known || kind.is_dir() && folders.is_tracked(&path)) {
            scan.unknown.push((path, kind.is_dir()));
        }
    }
    scan
}

/// `folder/name`, or `name` at the top.
fn join_bytes(folder: &[u8], name: &[u8]) -> Vec<u8> {
    let mut path = Vec::with_capacity(folder.len() + 1 + name.len());
    path.extend_from_slice(folder);
    if !path.is_empty() {
        path.push(b'/');
    }
    path.extend_from_slice(name);
    path
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
