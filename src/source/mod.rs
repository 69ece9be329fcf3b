//! Every git2 call docdex makes to read: opening the repository, listing the files of
//! a source (the index, a commit's tree, or the working tree) and reading their bytes.

use std::cell::{OnceCell, RefCell};
use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::rc::Rc;

use git2::{ObjectType, Repository};
use rayon::prelude::*;

use crate::error::Error;
pub(crate) use index::StagedIndex;

mod delta;
mod file_list;
pub(crate) mod filters;
mod folder_reads;
mod index;
mod open;
mod read;
mod root_file;
mod snapshot;
mod stage;
mod worktree;

pub(crate) use delta::{Delta, TreeChange};
pub(crate) use file_list::{FileList, FileListBuilder};
pub(crate) use filters::lf_only;
pub(crate) use git2::Oid;
pub use open::GitEnvironment;
pub(crate) use open::{unsupported, unsupported_index};
pub(crate) use read::{read, Reading};
pub(crate) use snapshot::Origin;
pub(crate) use snapshot::{Reader, ReaderPool, Snapshot};

use crate::mode::IndexKind;

/// An opened repository.
pub struct Repo {
    repo: Repository,
    /// `$GIT_INDEX_FILE` as the run was started with.
    index_file: Option<PathBuf>,
    /// git's default global attributes file, from the environment.
    global_attributes: Option<PathBuf>,
    /// The index as `--staged` reads it, once read.
    staged: OnceCell<Rc<StagedIndex>>,
    /// What is staged against HEAD, once compared (`--pre-commit` asks before the check).
    staged_changes: OnceCell<Vec<TreeChange>>,
    /// Paths left out of listings because their names are not UTF-8 (pages cannot link
    /// to them), shown with invalid bytes replaced; a folder's ends with `/`.
    unnamed: RefCell<BTreeSet<String>>,
    /// Paths with unresolved merge conflicts that listings met.
    unmerged: RefCell<BTreeSet<String>>,
}

/// How a listed file's bytes are found.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum Content {
    /// A blob in the object database.
    Blob(Oid),
    /// A file in the working tree, `len` bytes long when it was listed.
    File {
        /// Size from `lstat`.
        len: u64,
        /// The index's blob, when git's stat cache says the file still matches it: a
        /// page can then be compared by id without being read.
        blob: Option<Oid>,
        /// Whether git's clean filters may change the bytes (attributes or
        /// `core.autocrlf` exist): they are then converted as git would store them.
        convert: bool,
    },
}

impl Content {
    /// The blob git stores for the file, when it is known without reading it: a blob,
    /// or a working-tree file git's stat cache vouches for.
    pub(crate) fn known_blob(self) -> Option<Oid> {
        match self {
            Content::Blob(id) | Content::File { blob: Some(id), .. } => Some(id),
            Content::File { blob: None, .. } => None,
        }
    }
}

impl Repo {
    /// The work tree's top directory, or an error naming what needed one.
    pub(crate) fn workdir(&self, purpose: &'static str) -> Result<&Path, Error> {
        self.repo.workdir().ok_or(Error::Bare(purpose))
    }

    /// Where git runs hooks from: `core.hooksPath` (relative to the work tree) when
    /// set, otherwise the `hooks` folder of the common git directory, shared by linked
    /// worktrees.
    pub(crate) fn hooks_dir(&self) -> Result<PathBuf, Error> {
        let git = &self.repo;
        let config = git
            .config()
            .map_err(|e| Error::git("reading the configuration", e))?;
        if let Ok(path) = config.get_path("core.hooksPath") {
            if path.is_absolute() {
                return Ok(path);
            }
            let base = git.workdir().unwrap_or_else(|| git.commondir());
            return Ok(base.join(path));
        }
        Ok(git.commondir().join("hooks"))
    }

    /// The git directory linked worktrees share (`.git` of the main worktree).
    pub(crate) fn common_git_dir(&self) -> &Path {
        self.repo.commondir()
    }

    /// Resolves a revision to a commit id.
    pub(crate) fn commit(&self, rev: &str) -> Result<Oid, Error> {
        // A name that resolves to an object the repository lacks is not an unknown name.
        let unknown = |err: git2::Error| match unsupported(rev, &err) {
            Some(missing) => missing,
            None => Error::UnknownRevision(rev.to_owned()),
        };
        let object = self.repo.revparse_single(rev).map_err(unknown)?;
        let commit = object.peel_to_commit().map_err(unknown)?;
        Ok(commit.id())
    }

    /// The merge-base of two revisions, as `--base` uses it.
    pub(crate) fn merge_base(&self, base: &str, head: &str) -> Result<Oid, Error> {
        let base_id = self.commit(base)?;
        let head_id = self.commit(head)?;
        self.repo
            .merge_base(base_id, head_id)
            .map_err(|_| Error::NoMergeBase {
                base: base.to_owned(),
                head: head.to_owned(),
                shallow: if self.repo.is_shallow() {
                    " (this is a shallow clone: the common ancestor was not fetched)"
                } else {
                    ""
                },
            })
    }

    /// The HEAD commit, or `None` on an unborn branch.
    pub(crate) fn head_commit(&self) -> Result<Option<Oid>, Error> {
        match self.repo.head() {
            Ok(head) => Ok(Some(
                head.peel_to_commit()
                    .map_err(|err| Error::git("reading HEAD", err))?
                    .id(),
            )),
            Err(err)
                if err.code() == git2::ErrorCode::UnbornBranch
                    || err.code() == git2::ErrorCode::NotFound =>
            {
                Ok(None)
            }
            Err(err) => Err(Error::git("reading HEAD", err)),
        }
    }

    pub(crate) fn git_origin(&self) -> Origin {
        Origin {
            git_dir: Some(self.repo.path().to_path_buf()),
            workdir: None,
            converts: false,
        }
    }

    /// Every regular file of a commit's tree.
    pub(crate) fn tree_snapshot(&self, commit: Option<Oid>) -> Result<Snapshot, Error> {
        let Some(commit) = commit else {
            return Ok(Snapshot::new(FileList::default(), Origin::EMPTY));
        };
        let tree = self
            .repo
            .find_commit(commit)
            .map(|c| c.tree_id())
            .map_err(|err| Error::git("reading a commit tree", err))?;
        Ok(Snapshot::new(self.tree_files(tree)?, self.git_origin()))
    }

    /// Every regular file of a tree.
    pub(crate) fn tree_files(&self, tree: Oid) -> Result<FileList, Error> {
        let tree = self
            .repo
            .find_tree(tree)
            .map_err(|err| Error::git("reading a commit tree", err))?;
        let max_depth = self
            .repo
            .config()
            .and_then(|c| c.get_i64("core.maxTreeDepth"))
            .map_or(DEFAULT_MAX_TREE_DEPTH, |depth| depth.max(0) as usize);
        // Depth first with an explicit stack: a hostile tree cannot exhaust the call
        // stack, and one deeper than git allows is refused as git does. git orders a
        // tree's entries as if a folder's name ended with `/`, which is the byte order of
        // the paths below it, so the listing comes out sorted.
        let mut files = FileListBuilder::default();
        let mut stack = vec![(String::new(), tree, 0usize)];
        loop {
            let depth = stack.len();
            let Some((prefix, tree, next)) = stack.last_mut() else {
                break;
            };
            let Some(entry) = tree.get(*next) else {
                stack.pop();
                continue;
            };
            *next += 1;
            // The folder to descend into, if the entry is one.
            let down = match (entry.name(), entry.kind()) {
                (Err(_), kind) => {
                    let folder = if kind == Some(ObjectType::Tree) {
                        "/"
                    } else {
                        ""
                    };
                    self.skip_unnamed(format!(
                        "{prefix}{}{folder}",
                        String::from_utf8_lossy(entry.name_bytes())
                    ));
                    None
                }
                (Ok(name), Some(ObjectType::Blob)) if is_regular(entry.filemode()) => {
                    files.push_joined(prefix, name, Content::Blob(entry.id()));
                    None
                }
                (Ok(name), Some(ObjectType::Tree)) if depth > max_depth => {
                    let shown: String = format!("{prefix}{name}").chars().take(80).collect();
                    return Err(Error::Unsupported {
                        what: format!(
                            "{shown}…: the commit's tree is deeper than git allows ({max_depth} levels, core.maxTreeDepth)"
                        ),
                        hint: "git itself refuses this tree (`git ls-tree -r` fails too); check another commit",
                    });
                }
                (Ok(name), Some(ObjectType::Tree)) => {
                    Some((format!("{prefix}{name}/"), entry.id()))
                }
                _ => None,
            };
            // The entry borrows the tree on the stack, which a push may move.
            drop(entry);
            if let Some((folder, id)) = down {
                let subtree = self.repo.find_tree(id).map_err(|err| {
                    Error::git(
                        format!("reading the tree {}", &folder[..folder.len() - 1]),
                        err,
                    )
                })?;
                stack.push((folder, subtree, 0));
            }
        }
        Ok(files.finish())
    }

    /// Every really staged regular file of the index, read as `--staged` reads it
    /// (conflicted entries are an error naming them).
    pub(crate) fn index_snapshot(&self) -> Result<Snapshot, Error> {
        Ok(Snapshot::new(self.staged_files()?, self.git_origin()))
    }

    /// The index's really staged regular files; those with non-UTF-8 names are set
    /// aside (see [`Repo::unnamed`]).
    pub(crate) fn staged_files(&self) -> Result<FileList, Error> {
        let (files, unnamed) = self.staged_index()?.files();
        for path in unnamed {
            self.skip_unnamed(path);
        }
        Ok(files)
    }

    /// The paths with unresolved merge conflicts the listings of this run met (the
    /// index's, for `--staged` and the working tree), in byte order. A conflicted page
    /// is listed as the working tree holds it (markers and all) and missing from the
    /// index, so a check finds it out of date; a conflicted document is for the check
    /// to refuse.
    pub(crate) fn unmerged(&self) -> Vec<String> {
        self.unmerged.borrow().iter().cloned().collect()
    }

    /// Sets aside a path whose name is not UTF-8, shown with invalid bytes replaced.
    pub(crate) fn skip_unnamed(&self, shown: String) {
        self.unnamed.borrow_mut().insert(shown);
    }

    /// The paths listings left out so far because their names are not UTF-8, in byte
    /// order (a folder's ends with `/`).
    pub(crate) fn unnamed(&self) -> Vec<String> {
        self.unnamed.borrow().iter().cloned().collect()
    }

    /// The paths of the submodules the index records (gitlinks), in byte order.
    pub(crate) fn gitlinks(&self) -> Result<Vec<String>, Error> {
        // gitoxide's decoder when it can read the index: libgit2 hashes the whole file
        // first (10% of a clean check at 20,000 documents).
        if let Ok(index) = self.staged_index() {
            return Ok(index.gitlinks());
        }
        let index = self.index()?;
        Ok(index
            .iter()
            .filter(|entry| entry.mode == GITLINK_MODE)
            .map(|entry| String::from_utf8_lossy(&entry.path).into_owned())
            .collect())
    }

    /// The index file git is using: `$GIT_INDEX_FILE` when set (git sets it for hooks,
    /// pointing at a temporary index during `git commit -a` or `git commit PATH`).
    pub(crate) fn index_path(&self) -> PathBuf {
        self.index_file
            .clone()
            .unwrap_or_else(|| self.repo.path().join("index"))
    }

    /// What kind of index a hook was handed (see [`IndexKind`]).
    pub(crate) fn index_kind(&self) -> IndexKind {
        let Some(path) = &self.index_file else {
            return IndexKind::Own;
        };
        let git_dir = self.repo.path().canonicalize().ok();
        let parent = path.parent().and_then(|p| p.canonicalize().ok());
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        if parent.is_none() || parent != git_dir {
            return IndexKind::Own;
        }
        if name == "index.lock" {
            IndexKind::CommitAll
        } else if name.starts_with("next-index-") && name.ends_with(".lock") {
            IndexKind::PartialCommit
        } else {
            IndexKind::Own
        }
    }

    /// The real index of a partial commit, waiting in `index.lock`: staged pages must
    /// go there too, or the index left after the commit would revert them.
    pub(crate) fn pending_index(&self) -> Result<Option<git2::Index>, Error> {
        if self.index_kind() != IndexKind::PartialCommit {
            return Ok(None);
        }
        let lock = self.repo.path().join("index.lock");
        if !lock.is_file() {
            return Ok(None);
        }
        git2::Index::open(&lock)
            .map(Some)
            .map_err(|e| Error::git("reading the index git is about to keep", e))
    }

    /// Why git ignores each of `paths` (untracked files of the working tree), `None` for
    /// those it does not: the ignore file and pattern that match, or "an ignore rule"
    /// when libgit2 says ignored but no file explains it. The index is read once and
    /// each ignore file parsed once, however many paths there are (read per path, a
    /// hook's `GIT_INDEX_FILE` index cost a full read each).
    pub(crate) fn ignore_reasons(&self, paths: &[&str]) -> Vec<Option<String>> {
        if paths.is_empty() {
            // Nothing to explain: do not read the index (libgit2 hashes all of it).
            return Vec::new();
        }
        let ignored = self.are_ignored(paths);
        if !ignored.contains(&true) {
            return vec![None; paths.len()];
        }
        let index = self.index().ok();
        let mut matchers = HashMap::new();
        paths
            .iter()
            .zip(ignored)
            .map(|(path, ignored)| {
                ignored
                    .then(|| self.ignore_reason(path, index.as_ref(), &mut matchers))
                    .flatten()
            })
            .collect()
    }

    /// Whether libgit2 ignores each of `paths`, asked on every thread with a handle of
    /// its own: libgit2 keeps nothing between two questions, so each one stats the
    /// ignore file of every folder above its path (for a first adoption's thousands of
    /// missing pages, the longest step after rendering them).
    fn are_ignored(&self, paths: &[&str]) -> Vec<bool> {
        let ask =
            |repo: &Repository, path: &str| repo.is_path_ignored(Path::new(path)).unwrap_or(false);
        let threads = rayon::current_num_threads();
        if paths.len() < 1024 || threads < 2 {
            return paths.iter().map(|path| ask(&self.repo, path)).collect();
        }
        let git_dir = self.repo.path().to_path_buf();
        let workdir = self.repo.workdir().map(Path::to_path_buf);
        let handle = || {
            let repo = Repository::open_ext(
                &git_dir,
                git2::RepositoryOpenFlags::NO_SEARCH,
                [] as [&Path; 0],
            )
            .ok()?;
            if let Some(workdir) = &workdir {
                repo.set_workdir(workdir, false).ok()?;
            }
            Some(repo)
        };
        let chunk = paths.len().div_ceil(threads);
        let answers: Vec<Option<Vec<bool>>> = paths
            .par_chunks(chunk)
            .map(|chunk| {
                let repo = handle()?;
                Some(chunk.iter().map(|path| ask(&repo, path)).collect())
            })
            .collect();
        // A chunk whose thread could not open a handle is asked here.
        answers
            .into_iter()
            .zip(paths.chunks(chunk))
            .flat_map(|(answer, chunk)| {
                answer.unwrap_or_else(|| chunk.iter().map(|path| ask(&self.repo, path)).collect())
            })
            .collect()
    }

    /// Why git ignores `path`, which libgit2 says it does.
    fn ignore_reason(
        &self,
        path: &str,
        index: Option<&git2::Index>,
        matchers: &mut HashMap<PathBuf, Option<ignore::gitignore::Gitignore>>,
    ) -> Option<String> {
        if index?.get_path(Path::new(path), 0).is_some() {
            return None;
        }
        let workdir = self.repo.workdir()?;
        // Deeper ignore files win, then info/exclude, then the user's global file.
        let mut files: Vec<(PathBuf, PathBuf)> =
            crate::paths::ancestors(crate::paths::folder_of(path))
                .map(|folder| {
                    let dir = workdir.join(folder);
                    (dir.join(".gitignore"), dir)
                })
                .collect();
        files.push((self.repo.path().join("info/exclude"), workdir.to_path_buf()));
        if let Ok(global) = self
            .repo
            .config()
            .and_then(|c| c.get_path("core.excludesFile"))
        {
            files.push((global, workdir.to_path_buf()));
        }
        for (file, base) in files {
            let matcher = matchers.entry(file.clone()).or_insert_with(|| {
                if !file.is_file() {
                    return None;
                }
                let mut builder = ignore::gitignore::GitignoreBuilder::new(&base);
                builder.add(&file);
                builder.build().ok()
            });
            let Some(matcher) = matcher else {
                continue;
            };
            if let ignore::Match::Ignore(glob) =
                matcher.matched_path_or_any_parents(workdir.join(path), false)
            {
                let shown = file.strip_prefix(workdir).unwrap_or(&file);
                return Some(format!("{} (`{}`)", shown.display(), glob.original()));
            }
        }
        Some("an ignore rule".to_owned())
    }

    /// The index as `--staged` reads it (gitoxide's decoder, read once per run).
    pub(crate) fn staged_index(&self) -> Result<Rc<StagedIndex>, Error> {
        if let Some(index) = self.staged.get() {
            return Ok(Rc::clone(index));
        }
        let index = Rc::new(StagedIndex::read(&self.index_path(), self.repo.path())?);
        self.unmerged
            .borrow_mut()
            .extend(index.conflicts().iter().cloned());
        Ok(Rc::clone(self.staged.get_or_init(|| index)))
    }

    /// The index git is using, fresh from disk.
    pub(crate) fn index(&self) -> Result<git2::Index, Error> {
        let context = |e| Error::git("reading the index", e);
        if let Some(path) = &self.index_file {
            let mut index = git2::Index::open(path).map_err(context)?;
            self.repo.set_index(&mut index).map_err(context)?;
        }
        let mut index = self.repo.index().map_err(context)?;
        // Re-read only when the file changed since this handle loaded it.
        index.read(false).map_err(context)?;
        Ok(index)
    }
}

/// The id git gives a blob with these bytes: SHA-1 of `blob LEN\0` and the bytes.
/// Computed with the `sha1` crate (SHA-NI where the CPU has it): libgit2's
/// collision-detecting SHA-1 made hashing every expected page cost more than reading
/// the committed one.
pub(crate) fn blob_id(bytes: &[u8]) -> Option<Oid> {
    use sha1::{Digest, Sha1};
    let mut hasher = Sha1::new();
    hasher.update(format!("blob {}\0", bytes.len()).as_bytes());
    hasher.update(bytes);
    Oid::from_bytes(&hasher.finalize()).ok()
}

/// The blob of the regular file at `path` of a tree.
pub(crate) fn tree_blob(tree: &git2::Tree, path: &str) -> Option<Oid> {
    tree.get_path(Path::new(path))
        .ok()
        .filter(|entry| entry.kind() == Some(ObjectType::Blob) && is_regular(entry.filemode()))
        .map(|entry| entry.id())
}

/// Regular or executable file modes; symlinks (0o120000) and gitlinks (0o160000) are not.
pub(crate) fn is_regular(mode: i32) -> bool {
    mode & 0o170000 == 0o100000
}

/// The index mode of a submodule.
const GITLINK_MODE: u32 = 0o160000;

/// git's default `core.maxTreeDepth`.
const DEFAULT_MAX_TREE_DEPTH: usize = 4096;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blob_ids_match_git() {
        // `printf 'hello\n' | git hash-object --stdin`
        assert_eq!(
            blob_id(b"hello\n").unwrap().to_string(),
            "ce013625030ba8dba906f756967f9e9ca394464a"
        );
    }
}
