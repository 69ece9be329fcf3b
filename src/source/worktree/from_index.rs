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
use crate::source::{FileListBuilder, Repo};

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
        let Scanned {
            stats,
            unreadable,
            unknown,
        } = scan_tracked_folders(workdir, &known, &folders);
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
        // Several stages of one conflicted path are one file: the listing keeps one.
        let mut files = FileListBuilder::default();
        for (path, listed) in tracked.into_iter().flatten() {
            self.take(path, listed, &mut files);
        }
        let mut has_attributes = entries.iter().any(|entry| is_attributes(entry.path(state)));
        for (path, len) in self.untracked(workdir, unknown) {
            has_attributes |= is_attributes(&path);
            self.take(&path, Listed::File { len, blob: None }, &mut files);
        }
        Ok(Some(Listing {
            files: files.finish(),
            has_attributes,
        }))
    }

    /// Adds a listed file, or sets it aside when its name is not UTF-8.
    fn take(&self, path: &[u8], listed: Listed, files: &mut FileListBuilder<Listed>) {
        match std::str::from_utf8(path) {
            Ok(path) => files.push(path, listed),
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
            // A folder gone or unreadable is skipped, as git skips it.
            let entries = folder_entries(workdir, &path).into_iter().flatten();
            for (inner, is_dir, _) in entries {
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

/// What the reads of the tracked folders found.
struct Scanned<'a> {
    /// Each index entry's `lstat`, when its folder's read found it as a regular file (a
    /// conflicted path's at its first stage, the one file listed for it).
    stats: Vec<Option<std::fs::Metadata>>,
    /// The folders that could not be read.
    unreadable: BTreeSet<&'a [u8]>,
    /// The files and folders the index lacks (paths from the top, and whether each is a
    /// folder).
    unknown: Vec<(Vec<u8>, bool)>,
}

/// Reads every real folder of `folders` on every core: the `lstat` of its tracked
/// files, made relative to the open folder (one lookup, where a path from the top
/// walks every folder above it again), and the names the index lacks. A tracked folder
/// is left to its own read.
fn scan_tracked_folders<'a>(workdir: &Path, known: &[&[u8]], folders: &Folders<'a>) -> Scanned<'a> {
    // Each path's first place in the index: one lookup per name a folder read finds
    // (a binary search compared the long prefixes the paths share, 16 times).
    let mut places: FxHashMap<&[u8], usize> = FxHashMap::default();
    places.reserve(known.len());
    for (at, path) in known.iter().enumerate() {
        places.entry(*path).or_insert(at);
    }
    let reads: Vec<_> = folders
        .folders
        .par_iter()
        .zip(&folders.real)
        .filter(|(_, real)| **real)
        .map(|(&folder, _)| {
            let Some(entries) = folder_entries(workdir, folder) else {
                return Err(folder);
            };
            let mut seen = Vec::new();
            let mut unknown = Vec::new();
            for (path, is_dir, entry) in entries {
                match (places.get(path.as_slice()), is_dir) {
                    // `DirEntry::metadata` is an lstat relative to the folder read.
                    (Some(&first), false) => {
                        if let Ok(meta) = entry.metadata() {
                            seen.push((first, meta));
                        }
                    }
                    // A tracked file that is now a folder, or a tracked folder.
                    (Some(_), true) => {}
                    (None, true) if folders.is_tracked(&path) => {}
                    (None, _) => unknown.push((path, is_dir)),
                }
            }
            Ok((seen, unknown))
        })
        .collect();
    let mut scanned = Scanned {
        stats: vec![None; known.len()],
        unreadable: BTreeSet::new(),
        unknown: Vec::new(),
    };
    for read in reads {
        match read {
            Ok((seen, unknown)) => {
                for (at, meta) in seen {
                    scanned.stats[at] = Some(meta);
                }
                scanned.unknown.extend(unknown);
            }
            Err(folder) => {
                scanned.unreadable.insert(folder);
            }
        }
    }
    scanned
}

/// The regular files and folders directly in `folder`: each one's path from the top,
/// whether it is a folder, and its entry; `.git`, symlinks and special files left out.
/// `None` for a folder that is gone or unreadable.
fn folder_entries<'f>(
    workdir: &Path,
    folder: &'f [u8],
) -> Option<impl Iterator<Item = (Vec<u8>, bool, std::fs::DirEntry)> + 'f> {
    let entries = std::fs::read_dir(workdir.join(OsStr::from_bytes(folder))).ok()?;
    Some(entries.flatten().filter_map(move |entry| {
        let name = entry.file_name();
        if name.as_bytes() == b".git" {
            return None;
        }
        let kind = entry.file_type().ok()?;
        if !kind.is_dir() && !kind.is_file() {
            return None;
        }
        let mut path = Vec::with_capacity(folder.len() + 1 + name.len());
        path.extend_from_slice(folder);
        if !path.is_empty() {
            path.push(b'/');
        }
        path.extend_from_slice(name.as_bytes());
        Some((path, kind.is_dir(), entry))
    }))
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
