//! Opening the repository git would use: its environment variables, and repositories
//! libgit2 cannot read, explained in words a user can act on.

use std::path::{Path, PathBuf};

use git2::{ErrorClass, ErrorCode, Repository, RepositoryOpenFlags};

use super::Repo;
use crate::error::Error;

impl Repo {
    /// Finds the repository git would use from `dir`: `$GIT_DIR` when set (relative to
    /// `dir`), otherwise the nearest one above `dir` below `$GIT_CEILING_DIRECTORIES`.
    /// `$GIT_WORK_TREE`, `$GIT_INDEX_FILE` and `$GIT_OBJECT_DIRECTORY` are honoured as
    /// git honours them; relative values must have been made absolute first (see
    /// [`absolute_git_environment`]), since libgit2 reads some of them from the git
    /// directory where git reads them from the current one.
    pub fn discover(dir: &Path) -> Result<Repo, Error> {
        // libgit2 re-hashes every object it reads by default; git itself does not, and on
        // a full check that hashing (collision-detecting SHA-1) was a quarter of the time.
        git2::opts::strict_hash_verification(false);
        let var = |name: &str| std::env::var_os(name).filter(|v| !v.is_empty());
        let from_env = RepositoryOpenFlags::FROM_ENV;
        let no_ceilings: [&Path; 0] = [];
        let opened = match var("GIT_DIR") {
            Some(git_dir) => Repository::open_ext(
                dir.join(git_dir),
                from_env | RepositoryOpenFlags::NO_SEARCH | RepositoryOpenFlags::NO_DOTGIT,
                no_ceilings,
            ),
            None => {
                let ceilings: Vec<PathBuf> = var("GIT_CEILING_DIRECTORIES")
                    .map(|v| std::env::split_paths(&v).collect())
                    .unwrap_or_default();
                Repository::open_ext(dir, from_env, ceilings)
            }
        };
        let repo = opened.map_err(|err| match err.code() {
            git2::ErrorCode::NotFound if var("GIT_DIR").is_some() => {
                Error::NotARepo(dir.join(var("GIT_DIR").unwrap_or_default()))
            }
            git2::ErrorCode::NotFound => Error::NotARepo(dir.to_path_buf()),
            _ => Error::git("opening the repository", err),
        })?;
        // With `$GIT_DIR` alone, git takes the current directory as the work tree's top
        // (libgit2 would take the git directory's parent).
        if var("GIT_DIR").is_some()
            && var("GIT_WORK_TREE").is_none()
            && !repo.is_bare()
            && !has_core_worktree(&repo)
        {
            repo.set_workdir(dir, false)
                .map_err(|e| Error::git(format!("using {} as the work tree", dir.display()), e))?;
        }
        Ok(Repo { repo })
    }
}

fn has_core_worktree(repo: &Repository) -> bool {
    repo.config()
        .and_then(|c| c.get_path("core.worktree"))
        .is_ok()
}

/// What a libgit2 failure means when it is something the repository has that libgit2
/// cannot read, in words a user can act on; `None` for any other failure.
pub(crate) fn unsupported(context: &str, err: &git2::Error) -> Option<Error> {
    let message = err.message();
    let (what, hint) = if message.contains("unsupported mandatory extension: 'link'") {
        (
            "the index is a split index (core.splitIndex), which docdex cannot read".to_owned(),
            "write a whole index with `git update-index --no-split-index` (and `git config core.splitIndex false`)",
        )
    } else if message.contains("unsupported mandatory extension: 'sdir'") {
        (
            "the index is a sparse index (index.sparse), which docdex cannot read".to_owned(),
            "expand it with `git sparse-checkout init --no-sparse-index`, or `git config index.sparse false` and `git sparse-checkout reapply`",
        )
    } else if message.contains("unsupported mandatory extension") {
        (
            format!("the index uses an extension docdex cannot read ({message})"),
            "rewrite the index with a plain `git update-index --index-version 2`, or report this with your git version",
        )
    } else if message.contains("object format 'sha256'") {
        (
            "this repository uses SHA-256 object names, which docdex cannot read yet".to_owned(),
            "run docdex on a SHA-1 repository (a SHA-256 repository cannot be converted in place)",
        )
    } else if message.contains("extensions.refstorage") {
        (
            "this repository stores its references in the reftable format, which docdex cannot read yet".to_owned(),
            "convert it with `git refs migrate --ref-format=files` (git 2.46 or newer)",
        )
    } else if message.contains("unsupported extension name")
        || message.contains("unsupported repository version")
    {
        (
            format!("the repository needs a git feature docdex cannot read ({message})"),
            "run docdex on a clone without that extension, or report this with your git version",
        )
    } else if err.code() == ErrorCode::Owner {
        (
            format!("{message}: git refuses repositories owned by someone else (safe.directory)"),
            "if you trust it, run `git config --global --add safe.directory PATH` as git suggests, or run docdex as its owner",
        )
    } else if err.class() == ErrorClass::Odb && err.code() == ErrorCode::NotFound {
        (
            format!("{context}: an object is missing from the repository ({message}); a partial (blobless) clone or a damaged repository lacks it"),
            "fetch the missing objects (`git fetch --refetch`, or check the files out so git fetches them), or check a clone made without `--filter`",
        )
    } else {
        return None;
    };
    Some(Error::Unsupported { what, hint })
}

/// The variables of git's environment that name paths, which git resolves from the
/// directory it was started in.
const GIT_PATH_VARIABLES: [&str; 4] = [
    "GIT_DIR",
    "GIT_WORK_TREE",
    "GIT_INDEX_FILE",
    "GIT_OBJECT_DIRECTORY",
];

/// The values to give git's path variables so they mean what they meant from `cwd`
/// wherever libgit2 resolves them: for each relative one, its absolute form. git
/// itself exports them this way before it runs anything. `main` sets them before any
/// thread starts.
pub fn absolute_git_environment(cwd: &Path) -> Vec<(&'static str, PathBuf)> {
    GIT_PATH_VARIABLES
        .iter()
        .filter_map(|&name| {
            let value = PathBuf::from(std::env::var_os(name).filter(|v| !v.is_empty())?);
            (!value.is_absolute()).then(|| (name, cwd.join(value)))
        })
        .collect()
}
