//! The working tree as libgit2's status lists it: for the repositories the listing from
//! the index leaves to it (a split or sparse index, `core.ignoreCase`,
//! `core.precomposeUnicode`).

use std::collections::BTreeMap;
use std::path::Path;

use git2::{FileMode, Status, StatusOptions};

use super::{is_attributes, Listed, Listing};
use crate::error::Error;
use crate::source::{is_regular, FileListBuilder, Repo};

impl Repo {
    /// The listing of libgit2's status, for the repositories the fast listing leaves to it.
    pub(super) fn listing_by_status(&self, workdir: &Path) -> Result<Listing, Error> {
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
        let mut files = FileListBuilder::default();
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
                        files.push(path, listed);
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
            files.push(path, listed);
        }
        for (path, listed) in sparse {
            files.push(&path, listed);
        }
        Ok(Listing {
            files: files.finish(),
            has_attributes,
        })
    }

    /// Index entries with the skip-worktree bit (sparse checkouts), as libgit2 reads them.
    fn skip_worktree_entries(&self) -> Result<BTreeMap<String, Listed>, Error> {
        const SKIP_WORKTREE: u16 = 1 << 14;
        let workdir = self.workdir("check")?;
        let mut sparse = BTreeMap::new();
        for entry in self.index()?.iter() {
            if entry.flags_extended & SKIP_WORKTREE != 0 && is_regular(entry.mode as i32) {
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
