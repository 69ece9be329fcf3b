//! What each git mode reads: the one place that turns a [`Mode`] into git reads, so the
//! check above it plans from a [`Reading`] and never asks which mode it is in.

use crate::error::Error;
use crate::mode::Mode;

use super::{Delta, Repo, Snapshot};

/// The source of one run, as the mode reads it from git.
pub(crate) enum Reading {
    /// Every file of the working tree (tracked, and untracked but not ignored): the
    /// pages it lacks may be ignored by git, which the report explains.
    WorkTree(Snapshot),
    /// Every file of one commit's tree.
    Tree(Snapshot),
    /// A change (what is staged against HEAD, or a merge-base range): its delta, from
    /// which a content edit reads only the files it touches.
    Change(Delta),
    /// A change whose delta could not be computed: both sides listed whole.
    Sides {
        /// The side the change starts from.
        old: Snapshot,
        /// The side the check reads.
        new: Snapshot,
    },
}

/// Reads the source of `mode`, after refusing an index root that is not the work tree's
/// own folder (a symlink, a submodule, a nested clone) in that source.
pub(crate) fn read(repo: &Repo, mode: &Mode, root: &str) -> Result<Reading, Error> {
    repo.refuse_foreign_root(mode, root)?;
    Ok(match mode {
        Mode::WorkTree => Reading::WorkTree(repo.worktree_snapshot()?),
        Mode::Rev(rev) => Reading::Tree(repo.tree_snapshot(Some(repo.commit(rev)?))?),
        Mode::Staged => match repo.staged_delta() {
            Ok(delta) => Reading::Change(delta),
            Err(err @ Error::Unmerged(_)) => return Err(err),
            // Anything else the diff stumbled on: full listings report it, or cope.
            Err(_) => Reading::Sides {
                old: repo.tree_snapshot(repo.head_commit()?)?,
                new: repo.index_snapshot()?,
            },
        },
        Mode::Base { base, head } => {
            let merge_base = repo.merge_base(base, head)?;
            let head = repo.commit(head)?;
            Reading::Change(repo.commit_delta(merge_base, head)?)
        }
    })
}
