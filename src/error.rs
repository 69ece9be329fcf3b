//! The errors docdex reports with exit code 2, each with a one-line cause and a hint.

use std::path::PathBuf;

/// Everything that stops docdex before it can give a verdict.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The current directory is not inside a git repository.
    #[error("not inside a git repository ({0})")]
    NotARepo(PathBuf),
    /// A revision given on the command line does not resolve.
    #[error("unknown revision `{0}`")]
    UnknownRevision(String),
    /// The merge-base of `--base` and `--head` cannot be computed.
    #[error("no merge-base between `{base}` and `{head}`{shallow}")]
    NoMergeBase {
        /// The `--base` revision.
        base: String,
        /// The `--head` revision.
        head: String,
        /// Extra words when the repository is a shallow clone.
        shallow: &'static str,
    },
    /// A bad `docdex.toml`.
    #[error("{file}: {message}")]
    Config {
        /// The configuration file.
        file: String,
        /// What is wrong, naming the key or the place.
        message: String,
        /// What kind of problem, for the hint.
        problem: ConfigProblem,
    },
    /// A working-tree mode in a repository without one.
    #[error("this is a bare repository: it has no working tree to {0}")]
    Bare(&'static str),
    /// The index has conflicted entries.
    #[error("the index has unmerged paths: {0}")]
    Unmerged(String),
    /// Another process holds the index lock.
    #[error("cannot stage pages: {0} exists (another git process is running, or crashed)")]
    IndexLocked(String),
    /// `--fix` could not write or delete some pages (the others were fixed).
    #[error("could not fix {count} page{}: {reasons}", if *count == 1 { "" } else { "s" })]
    Unfixed {
        /// How many pages failed.
        count: usize,
        /// Each page's error, `; `-separated.
        reasons: String,
    },
    /// A page path docdex refuses to write, or cannot.
    #[error("{}: {why}", crate::quote::path(page))]
    PageBlocked {
        /// The page.
        page: String,
        /// What is in the way.
        why: Blocked,
    },
    /// Pages would be read from or go into another repository or through a symlink;
    /// nothing was written.
    #[error(
        "refusing to read or write pages in {}, which is {what}: nothing was written",
        crate::quote::path(folder)
    )]
    OtherRepository {
        /// The folder holding the other repository.
        folder: String,
        /// What it is (a submodule, a nested clone, a symlink).
        what: &'static str,
    },
    /// A path that is not valid UTF-8, which pages cannot name.
    #[error("{}: path is not valid UTF-8, which pages cannot link to", crate::quote::path(.0))]
    NonUtf8Path(String),
    /// A working-tree file git would convert in a way docdex cannot reproduce.
    #[error("{}: {why}", crate::quote::path(path))]
    Unconvertible {
        /// The document.
        path: String,
        /// Why.
        why: String,
    },
    /// An existing hook `install-hook` keeps.
    #[error("{path} {why}")]
    HookKept {
        /// The hook file.
        path: String,
        /// Whose it is.
        why: &'static str,
    },
    /// `docdex show` of a path that is neither a document nor a page.
    #[error("{}: {why}", crate::quote::path(path))]
    NotShown {
        /// The repo-relative path (or the path as given).
        path: String,
        /// Why nothing can be shown.
        why: &'static str,
    },
    /// An internal invariant broke: a bug in docdex, never the user's doing.
    #[error("internal error: {0}")]
    Bug(String),
    /// A document or folder whose page cannot exist in any file system.
    #[error("{}: no page can be written for it: {why}", crate::quote::path(path))]
    ImpossiblePage {
        /// The document or folder (with a trailing `/`).
        path: String,
        /// Why.
        why: String,
    },
    /// The configuration selects no document, so a check would orphan every page.
    #[error("{why}; every page the check reads ({pages}) would be orphaned and deleted by --fix")]
    NothingSelected {
        /// What selects nothing, and what it matched.
        why: String,
        /// How many pages the source holds.
        pages: usize,
    },
    /// A signal stopped `--fix` between two pages.
    #[error("interrupted: {done} page(s) were fixed, the others are as they were")]
    Interrupted {
        /// Pages written or deleted before the signal.
        done: usize,
    },
    /// A file could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The repo-relative or absolute path.
        path: String,
        /// The operating system's error.
        source: std::io::Error,
    },
    /// A repository, index or object docdex cannot read: what it is and what to do.
    #[error("{what}")]
    Unsupported {
        /// What the repository has that docdex cannot handle.
        what: String,
        /// What the user can do.
        hint: &'static str,
    },
    /// Any other libgit2 failure.
    #[error("git: {context}: {message}")]
    Git {
        /// What docdex was doing.
        context: String,
        /// libgit2's message.
        message: String,
    },
}

impl Error {
    /// Wraps an I/O error with the path it concerns.
    pub fn io(path: impl Into<String>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            source,
        }
    }

    /// Whether this is a write to a pipe whose reader has gone (`docdex … | head`).
    pub fn is_broken_pipe(&self) -> bool {
        matches!(self, Error::Io { source, .. } if source.kind() == std::io::ErrorKind::BrokenPipe)
    }

    /// The one line printed for the error: `docdex: error: MESSAGE (hint: HINT)`, on one
    /// line whatever a file name in it holds.
    pub fn report_line(&self) -> String {
        let message = self.to_string();
        let message = crate::quote::one_line(&message);
        match self.hint() {
            Some(hint) => format!("docdex: error: {message} (hint: {hint})"),
            None => format!("docdex: error: {message}"),
        }
    }

    /// What the user can do about it.
    pub fn hint(&self) -> Option<&'static str> {
        Some(match self {
            Error::NotARepo(_) => "run docdex inside a git work tree, or `git init` one first",
            Error::UnknownRevision(_) => {
                "check the name with `git rev-parse`; in CI, fetch the branch or more history (actions/checkout `fetch-depth: 0`)"
            }
            Error::NoMergeBase { .. } => {
                "fetch more history (`git fetch --unshallow`, or actions/checkout `fetch-depth: 0`)"
            }
            Error::Config { problem, .. } => match problem {
                ConfigProblem::Key => "fix the key named above; docdex.toml accepts root, include, exclude, pages and max_identifiers",
                ConfigProblem::Syntax => "fix the TOML at the place named above (key = value lines, strings in double quotes)",
                ConfigProblem::Unreadable => "give the path of a readable UTF-8 TOML file",
                ConfigProblem::Link => "make docdex.toml a regular file (or a symlink to one inside the repository), or give --config PATH",
            },
            Error::Bare(_) => "use `docdex check --rev REV` or `--base REV` in a bare repository",
            Error::Unmerged(_) => "resolve the conflicts and `git add` the files first",
            Error::IndexLocked(_) => "wait for the other git process to finish, or remove the stale lock file",
            Error::Unfixed { .. } => {
                "those pages were left as they were; fix the cause (permissions, a directory in the way, disk space) and run --fix again"
            }
            Error::Unsupported { hint, .. } => hint,
            Error::ImpossiblePage { .. } => {
                "add it to `exclude` in docdex.toml (a folder as \"PATH/**\"), or rename it"
            }
            Error::NothingSelected { .. } => {
                "fix `include`/`exclude` in docdex.toml (globset syntax, matched against repo-relative paths); to delete the pages on purpose, remove them with `git rm`"
            }
            Error::Interrupted { .. } => "every page is whole (old or new); run the same command again to finish",
            Error::PageBlocked { .. } => {
                "move what is in the way, or exclude the page in docdex.toml"
            }
            Error::OtherRepository { .. } => {
                "choose another root, or exclude the documents whose pages would go there in docdex.toml"
            }
            Error::NonUtf8Path(_) => "rename it, or exclude it in docdex.toml",
            Error::Unconvertible { .. } => {
                "stage it and check with --staged (the index holds what git made of it), or exclude it in docdex.toml"
            }
            Error::HookKept { .. } => "rerun with --force to replace it",
            Error::NotShown { .. } => {
                "give a document (a file docdex indexes) or the path of a page under the index root"
            }
            Error::Bug(_) => "this is a bug in docdex: please report it with the command you ran",
            Error::Io { .. } | Error::Git { .. } => return None,
        })
    }
}

/// What keeps `--fix` from writing a page.
#[derive(Debug)]
pub enum Blocked {
    /// The path leaves the work tree.
    OutsideWorkTree,
    /// A symlink on the way.
    Symlink(PathBuf),
    /// Another repository on the way.
    Repository(PathBuf),
    /// Something other than a regular file at the page's path.
    NotAFile(&'static str),
}

impl std::fmt::Display for Blocked {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Blocked::OutsideWorkTree => f.write_str("refusing to write outside the work tree"),
            Blocked::Symlink(path) => write!(
                f,
                "refusing to write through the symlink {} (pages are written inside the work tree only)",
                path.display()
            ),
            Blocked::Repository(path) => write!(
                f,
                "refusing to write into {}, which is another git repository (a submodule or nested clone)",
                path.display()
            ),
            Blocked::NotAFile(what) => write!(
                f,
                "{what} is where the page belongs; docdex writes regular files only"
            ),
        }
    }
}

/// What is wrong with a configuration file, for the hint that follows the error.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ConfigProblem {
    /// A key is unknown, of the wrong type, or has a value that cannot be used.
    Key,
    /// The file is not valid TOML.
    Syntax,
    /// The file cannot be read, is not a regular file, or is not UTF-8.
    Unreadable,
    /// The file is a symlink that leaves the repository, dangles or loops.
    Link,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One error of every variant (and every configuration problem and blocked page),
    /// as a run would meet it. The match below has no wildcard: a new variant does not
    /// compile until it is added here, so every message and hint stays snapshotted.
    fn one_of_each() -> Vec<Error> {
        let config = |problem, message: &str| Error::Config {
            file: "docdex.toml".to_owned(),
            message: message.to_owned(),
            problem,
        };
        let blocked = |why| Error::PageBlocked {
            page: "docs/a.py_kw.md".to_owned(),
            why,
        };
        let all = vec![
            Error::NotARepo(PathBuf::from("/home/me/notes")),
            Error::UnknownRevision("origin/mian".to_owned()),
            Error::NoMergeBase {
                base: "origin/main".to_owned(),
                head: "HEAD".to_owned(),
                shallow: " (this is a shallow clone)",
            },
            config(ConfigProblem::Key, "unknown key `roots`"),
            config(
                ConfigProblem::Syntax,
                "TOML parse error at line 1, column 6",
            ),
            config(ConfigProblem::Unreadable, "not UTF-8"),
            config(ConfigProblem::Link, "a symlink that leaves the repository"),
            Error::Bare("fix pages in"),
            Error::Unmerged("src/a.py".to_owned()),
            Error::IndexLocked(".git/index.lock".to_owned()),
            Error::Unfixed {
                count: 2,
                reasons:
                    "docs/a.py_kw.md: Permission denied; docs/b.py_kw.md: No space left on device"
                        .to_owned(),
            },
            blocked(Blocked::OutsideWorkTree),
            blocked(Blocked::Symlink(PathBuf::from("docs/linked"))),
            blocked(Blocked::Repository(PathBuf::from("docs/vendor"))),
            blocked(Blocked::NotAFile("a directory")),
            Error::OtherRepository {
                folder: "docs/vendor".to_owned(),
                what: "a submodule",
            },
            Error::NonUtf8Path("assets/caf\u{fffd}.png".to_owned()),
            Error::Unconvertible {
                path: "notes.txt".to_owned(),
                why: "has the `filter=crypt` attribute, whose program docdex does not run"
                    .to_owned(),
            },
            Error::HookKept {
                path: ".git/hooks/pre-commit".to_owned(),
                why: "is not docdex's hook",
            },
            Error::NotShown {
                path: "README".to_owned(),
                why: "is not a document",
            },
            Error::Bug("an expected page renders nothing".to_owned()),
            Error::ImpossiblePage {
                path: "a\nb.py".to_owned(),
                why: "its name holds a line feed".to_owned(),
            },
            Error::NothingSelected {
                why: "include matches no document".to_owned(),
                pages: 12,
            },
            Error::Interrupted { done: 3 },
            Error::io(
                "docs/a.py_kw.md",
                std::io::Error::from(std::io::ErrorKind::PermissionDenied),
            ),
            Error::Unsupported {
                what: "the index is a split index".to_owned(),
                hint: "run `git update-index --no-split-index`",
            },
            Error::Git {
                context: "reading HEAD".to_owned(),
                message: "object not found".to_owned(),
            },
        ];
        for err in &all {
            match err {
                Error::NotARepo(_)
                | Error::UnknownRevision(_)
                | Error::NoMergeBase { .. }
                | Error::Config { .. }
                | Error::Bare(_)
                | Error::Unmerged(_)
                | Error::IndexLocked(_)
                | Error::Unfixed { .. }
                | Error::PageBlocked { .. }
                | Error::OtherRepository { .. }
                | Error::NonUtf8Path(_)
                | Error::Unconvertible { .. }
                | Error::HookKept { .. }
                | Error::NotShown { .. }
                | Error::Bug(_)
                | Error::ImpossiblePage { .. }
                | Error::NothingSelected { .. }
                | Error::Interrupted { .. }
                | Error::Io { .. }
                | Error::Unsupported { .. }
                | Error::Git { .. } => {}
            }
        }
        all
    }

    #[test]
    fn every_error_is_one_line_with_its_hint() {
        let lines: Vec<String> = one_of_each().iter().map(Error::report_line).collect();
        for line in &lines {
            assert!(!line.contains('\n'), "{line}");
        }
        insta::assert_snapshot!(lines.join("\n"));
    }
}
