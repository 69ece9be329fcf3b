//! What changed between two sources (docs/guide.md, "Which pages a run checks"): HEAD against the index, or one
//! commit against another, by names and blob ids only, and lookups of the few paths a
//! content-only change needs. Part of the git layer: every call here is git2's.

use std::collections::BTreeMap;
use std::path::Path;
use std::rc::Rc;

use git2::{ObjectType, Oid, Repository};

use crate::error::Error;
use crate::source::{is_regular, tree_blob, Content, FileListBuilder, Repo, Snapshot, StagedIndex};

/// A regular file that differs between two trees: added (`old` empty), deleted (`new`
/// empty) or changed. Symlinks and submodules count as absent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct TreeChange {
    /// Repo-relative path.
    pub path: String,
    /// The blob before.
    pub old: Option<Oid>,
    /// The blob after.
    pub new: Option<Oid>,
}

/// What changed between two sources, and a way to look up a few paths on either side.
pub(crate) struct Delta {
    /// Every changed regular file, in byte order of path.
    pub changes: Vec<TreeChange>,
    new_side: NewSide,
}

/// Where the new side of a [`Delta`] is looked up.
enum NewSide {
    Tree(Oid),
    Index(Rc<StagedIndex>),
}

impl Repo {
    /// What is staged: HEAD's tree against the index (an unborn HEAD counts as empty),
    /// by names and blob ids only, reading only the trees of folders the index's
    /// cache-tree does not vouch for. No blob is read, and the comparison is made once
    /// per run.
    pub(crate) fn staged_delta(&self) -> Result<Delta, Error> {
        let index = self.staged_index()?;
        let changes = match self.staged_changes.get() {
            Some(changes) => changes.clone(),
            None => {
                let head = match self.head_commit()? {
                    Some(commit) => Some(self.tree_of(commit)?),
                    None => None,
                };
                let changes = index.changes_from(&self.repo, head)?;
                self.staged_changes.get_or_init(|| changes).clone()
            }
        };
        Ok(Delta {
            changes,
            new_side: NewSide::Index(index),
        })
    }

    /// What changed from one commit to another, comparing only folders whose ids differ.
    pub(crate) fn commit_delta(&self, old: Oid, new: Oid) -> Result<Delta, Error> {
        let old_tree = Some(self.tree_of(old)?);
        let new_tree = self.tree_of(new)?;
        Ok(Delta {
            changes: diff_trees(&self.repo, old_tree, new_tree)?,
            new_side: NewSide::Tree(new_tree),
        })
    }

    pub(crate) fn tree_of(&self, commit: Oid) -> Result<Oid, Error> {
        self.repo
            .find_commit(commit)
            .map(|c| c.tree_id())
            .map_err(|e| Error::git("reading a commit", e))
    }

    /// Both sides of a delta, listed in full from the new side alone: the old side is
    /// the new one with every change undone, so HEAD's (or the merge-base's) tree is
    /// never walked and the index is not read again.
    pub(crate) fn delta_listings(&self, delta: &Delta) -> Result<(Snapshot, Snapshot), Error> {
        let new = match &delta.new_side {
            NewSide::Index(_) => self.staged_files()?,
            NewSide::Tree(id) => self.tree_files(*id)?,
        };
        let old = new.with_changes(
            delta
                .changes
                .iter()
                .map(|change| (change.path.as_str(), change.old.map(Content::Blob))),
        );
        Ok((
            Snapshot::new(old, self.git_origin()),
            Snapshot::new(new, self.git_origin()),
        ))
    }

    /// The new side of a [`Delta`], holding only `paths`: enough to check the pages of
    /// a change without listing the source in full.
    pub(crate) fn delta_snapshot(&self, delta: &Delta, paths: &[&str]) -> Result<Snapshot, Error> {
        let mut files = FileListBuilder::default();
        let mut listed = |path: &str, id: Option<Oid>| {
            if let Some(id) = id {
                files.push(path, Content::Blob(id));
            }
        };
        match &delta.new_side {
            NewSide::Index(index) => {
                for path in paths {
                    listed(path, index.blob(path));
                }
            }
            NewSide::Tree(id) => {
                let tree = self
                    .repo
                    .find_tree(*id)
                    .map_err(|e| Error::git("reading a tree", e))?;
                for path in paths {
                    listed(path, tree_blob(&tree, path));
                }
            }
        }
        Ok(Snapshot::new(files.finish(), self.git_origin()))
    }

    /// The paths of the regular files directly in each of `folders` (`""` is the top)
    /// on the new side of a delta, in byte order: a folder's listing without the
    /// source's.
    pub(crate) fn delta_folder_files(
        &self,
        delta: &Delta,
        folders: &[&str],
    ) -> Result<Vec<String>, Error> {
        let mut files = Vec::new();
        for folder in folders {
            let prefix = if folder.is_empty() {
                String::new()
            } else {
                format!("{folder}/")
            };
            match &delta.new_side {
                NewSide::Index(index) => files.extend(index.folder_files(folder)?),
                NewSide::Tree(id) => {
                    let context = |e| Error::git("reading a tree", e);
                    let root = &self.repo.find_tree(*id).map_err(context)?;
                    let tree = if folder.is_empty() {
                        root
                    } else {
                        match root.get_path(Path::new(folder)) {
                            Ok(entry) if entry.kind() == Some(ObjectType::Tree) => {
                                &self.repo.find_tree(entry.id()).map_err(context)?
                            }
                            _ => continue,
                        }
                    };
                    for entry in tree.iter() {
                        if entry.kind() != Some(ObjectType::Blob) || !is_regular(entry.filemode()) {
                            continue;
                        }
                        // A name that is not UTF-8 is no document.
                        if let Ok(name) = entry.name() {
                            files.push(format!("{prefix}{name}"));
                        }
                    }
                }
            }
        }
        files.sort_unstable();
        files.dedup();
        Ok(files)
    }
}

/// Regular files that differ between two trees, descending only into subtrees whose
/// ids differ: the cost follows the size of the change, not of the repository.
/// (libgit2's tree-to-tree diff walks both trees whole: 16 ms for 5 edits in the
/// 20,000-document benchmark, more than this whole `--base` check takes.)
fn diff_trees(repo: &Repository, old: Option<Oid>, new: Oid) -> Result<Vec<TreeChange>, Error> {
    let mut changes = Vec::new();
    diff_dirs(repo, "", old, Some(new), &mut changes)?;
    changes.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(changes)
}

/// One tree entry as the diff needs it.
#[derive(Clone, Copy, PartialEq, Eq)]
struct Item {
    id: Oid,
    mode: i32,
}

fn entries(repo: &Repository, tree: Option<Oid>) -> Result<BTreeMap<String, Item>, Error> {
    let mut map = BTreeMap::new();
    let Some(tree) = tree else {
        return Ok(map);
    };
    let tree = repo
        .find_tree(tree)
        .map_err(|e| Error::git("reading a tree", e))?;
    for entry in tree.iter() {
        // A name that is not UTF-8 is no document: not a change docdex can act on.
        let Ok(name) = entry.name() else {
            continue;
        };
        map.insert(
            name.to_owned(),
            Item {
                id: entry.id(),
                mode: entry.filemode(),
            },
        );
    }
    Ok(map)
}

fn diff_dirs(
    repo: &Repository,
    prefix: &str,
    old: Option<Oid>,
    new: Option<Oid>,
    changes: &mut Vec<TreeChange>,
) -> Result<(), Error> {
    let old = entries(repo, old)?;
    let new = entries(repo, new)?;
    let names: std::collections::BTreeSet<&String> = old.keys().chain(new.keys()).collect();
    for name in names {
        let (before, after) = (old.get(name).copied(), new.get(name).copied());
        if before == after {
            continue;
        }
        let path = if prefix.is_empty() {
            name.clone()
        } else {
            format!("{prefix}/{name}")
        };
        let tree = |item: Option<Item>| item.filter(|i| i.mode == 0o040000).map(|i| i.id);
        let file = |item: Option<Item>| item.filter(|i| is_regular(i.mode)).map(|i| i.id);
        if tree(before).is_some() || tree(after).is_some() {
            diff_dirs(repo, &path, tree(before), tree(after), changes)?;
        }
        let (old_file, new_file) = (file(before), file(after));
        if old_file != new_file {
            changes.push(TreeChange {
                path,
                old: old_file,
                new: new_file,
            });
        }
    }
    Ok(())
}
