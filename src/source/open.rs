//! Opening the repository git would use: its environment variables, and repositories
//! libgit2 cannot read, explained in words a user can act on.

use std::cell::{OnceCell, RefCell};
use std::path::{Path, PathBuf};

use git2::{ErrorClass, ErrorCode, Repository, RepositoryOpenFlags};

use super::Repo;
use crate::error::Error;

/// The variables of git's environment that decide which repository, work tree and index
/// a run uses, as `main` read them (absolute, since git resolves them from the directory
/// it was started in). `Default` is a plain run: none set.
#[derive(Clone, Debug, Default)]
pub struct GitEnvironment {
    /// `$GIT_DIR`.
    pub git_dir: Option<PathBuf>,
    /// `$GIT_WORK_TREE`.
    pub work_tree: Option<PathBuf>,
    /// `$GIT_INDEX_FILE`: during hooks, the temporary index of `git commit -a` or
    /// `git commit PATH`.
    pub index_file: Option<PathBuf>,
    /// `$GIT_CEILING_DIRECTORIES`, split.
    pub ceiling_directories: Vec<PathBuf>,
    /// git's default global attributes file: `$XDG_CONFIG_HOME/git/attributes`, or
    /// `$HOME/.config/git/attributes`.
    pub global_attributes: Option<PathBuf>,
}

/// How much of a pack file one mapping covers, and how much libgit2 keeps mapped in
/// all. Its defaults (1 GiB windows, 8 GiB in all, on 64-bit systems) leave a whole pack
/// mapped after a full read, and it counts in the resident memory: 174 MiB for `check
/// --rev HEAD` of the 20,000-document benchmark with all six kinds, 96 MiB with these,
/// in the same time (3.8-3.9 s).
const PACK_WINDOW: usize = 4 << 20;
const PACK_MAPPED_LIMIT: usize = 16 << 20;

/// Sets libgit2's process-wide options, once, before the first repository is opened.
#[allow(unsafe_code)]
fn configure_libgit2() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        // libgit2 re-hashes every object it reads by default; git itself does not, and
        // on a full check that hashing (collision-detecting SHA-1) was a quarter of the
        // time.
        git2::opts::strict_hash_verification(false);
        // docdex reads each tree and commit once; libgit2's object cache would keep every
        // tree of a full listing until the end of the run (48 MiB of the peak memory of
        // `check --rev HEAD` at 100,000 documents with all six kinds).
        git2::opts::enable_caching(false);
        // SAFETY: these set libgit2 globals; every use of libgit2 in docdex opens a
        // repository through `Repo::discover` first, so none runs while they change.
        unsafe {
            let _ = git2::opts::set_mwindow_size(PACK_WINDOW);
            let _ = git2::opts::set_mwindow_mapped_limit(PACK_MAPPED_LIMIT);
        }
    });
}

impl Repo {
    /// Finds the repository git would use from `dir`: `git.git_dir` when set, otherwise
    /// the nearest one above `dir` below the ceiling directories. libgit2 itself honours
    /// `$GIT_WORK_TREE`, `$GIT_INDEX_FILE` and `$GIT_OBJECT_DIRECTORY` (which `main` has
    /// made absolute in the process environment, as git does).
    pub fn discover(dir: &Path, git: &GitEnvironment) -> Result<Repo, Error> {
        configure_libgit2();
        let from_env = RepositoryOpenFlags::FROM_ENV;
        let no_ceilings: [&Path; 0] = [];
        let opened = match &git.git_dir {
            Some(git_dir) => Repository::open_ext(
                dir.join(git_dir),
                from_env | RepositoryOpenFlags::NO_SEARCH | RepositoryOpenFlags::NO_DOTGIT,
                no_ceilings,
            ),
            None => Repository::open_ext(dir, from_env, &git.ceiling_directories),
        };
        let repo = opened.map_err(|err| match (&git.git_dir, err.code()) {
            (Some(git_dir), ErrorCode::NotFound) => Error::NotARepo(dir.join(git_dir)),
            (None, ErrorCode::NotFound) => Error::NotARepo(dir.to_path_buf()),
            _ => Error::git("opening the repository", err),
        })?;
        // `$GIT_WORK_TREE` gives even a bare repository a work tree, as git does (the
        // "dotfiles" layout: `git --git-dir=~/.cfg --work-tree=~`); libgit2 ignores it.
        if let (Some(work_tree), true) = (&git.work_tree, repo.is_bare()) {
            let work_tree = dir.join(work_tree);
            repo.set_workdir(&work_tree, false).map_err(|e| {
                Error::git(format!("using {} as the work tree", work_tree.display()), e)
            })?;
        }
        // With `$GIT_DIR` alone, git takes the current directory as the work tree's top
        // (libgit2 would take the git directory's parent).
        if git.git_dir.is_some()
            && git.work_tree.is_none()
            && !repo.is_bare()
            && !has_core_worktree(&repo)
        {
            repo.set_workdir(dir, false)
                .map_err(|e| Error::git(format!("using {} as the work tree", dir.display()), e))?;
        }
        Ok(Repo {
            repo,
            index_file: git.index_file.clone(),
            global_attributes: git.global_attributes.clone(),
            staged: OnceCell::new(),
            staged_changes: OnceCell::new(),
            unnamed: RefCell::default(),
            unmerged: RefCell::default(),
        })
    }
}

impl Error {
    /// Wraps a libgit2 error with what docdex was doing. Failures that mean the
    /// repository has something libgit2 cannot read become [`Error::Unsupported`].
    pub(crate) fn git(context: impl Into<String>, err: git2::Error) -> Self {
        let context = context.into();
        unsupported(&context, &err).unwrap_or_else(|| Error::Git {
            context,
            message: err.message().to_owned(),
        })
    }
}

fn has_core_worktree(repo: &Repository) -> bool {
    repo.config()
        .and_then(|c| c.get_path("core.worktree"))
        .is_ok()
}

/// An index with the mandatory extension `signature`, which docdex cannot read.
pub(crate) fn unsupported_index(signature: &str) -> Error {
    let (what, hint) = match signature {
        "link" => (
            "the index is a split index (core.splitIndex), which docdex cannot read".to_owned(),
            "write a whole index with `git update-index --no-split-index` (and `git config core.splitIndex false`)",
        ),
        "sdir" => (
            "the index is a sparse index (index.sparse), which docdex cannot read".to_owned(),
            "expand it with `git sparse-checkout init --no-sparse-index`, or `git config index.sparse false` and `git sparse-checkout reapply`",
        ),
        other => (
            format!("the index uses an extension docdex cannot read ('{other}')"),
            "rewrite the index with a plain `git update-index --index-version 2`, or report this with your git version",
        ),
    };
    Error::Unsupported { what, hint }
}

/// What a libgit2 failure means when it is something the repository has that libgit2
/// cannot read, in words a user can act on; `None` for any other failure.
pub(crate) fn unsupported(context: &str, err: &git2::Error) -> Option<Error> {
    let message = err.message();
    if let Some((_, rest)) = message.split_once("unsupported mandatory extension: '") {
        return Some(unsupported_index(
            rest.split('\'').next().unwrap_or_default(),
        ));
    }
    let (what, hint) = if message.contains("object format 'sha256'") {
        (
            "this repository uses SHA-256 object names, which docdex cannot read yet".to_owned(),
            "run docdex on a SHA-1 repository (a SHA-256 repository cannot be converted in place)",
        )
    } else if message.contains("extensions.refstorage") {
        (
            "this repository stores its references in the reftable format, which docdex cannot read yet".to_owned(),
            "convert it with `git refs migrate --ref-format=files` (git 2.46 or newer)",
        )
    } else if message.to_ascii_lowercase().contains("partialclone") {
        (
            "this is a partial clone (extensions.partialClone): libgit2 cannot fetch the objects it lacks, so docdex cannot read it".to_owned(),
            "run docdex in a full clone (`git clone` without `--filter`; in CI, actions/checkout without `filter:`)",
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
