//! The git modes of a run (docs/guide.md, "Which pages a run checks") and what each one decides: whether it needs a work
//! tree, whether `--fix` must protect unstaged edits, how it describes its scope, and
//! what to do about its findings. Decided here once, asked everywhere else.

use crate::quote::shell_list;
use crate::words::count;

/// Where documents and pages are read from (docs/guide.md, "Which pages a run checks").
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Mode {
    /// The working tree: tracked files plus untracked files that are not ignored.
    WorkTree,
    /// The index (stage 0), scoped to what is staged against HEAD.
    Staged,
    /// The head commit's tree, scoped to what changed since merge-base(base, head).
    Base {
        /// The revision the change is measured against.
        base: String,
        /// The revision whose tree is checked.
        head: String,
    },
    /// One commit's tree, every page.
    Rev(String),
}

/// Which index `--staged` reads: git's own, or a temporary one that git made for a
/// commit that stages files itself. Hints and staging depend on it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IndexKind {
    /// The repository's index (no `$GIT_INDEX_FILE`, or one naming another file).
    Own,
    /// `git commit -a`: the hook's index is the real index's lock file, which becomes
    /// the index when the commit succeeds and is thrown away when it fails.
    CommitAll,
    /// `git commit PATH`: the hook's index is HEAD plus PATH (`next-index-*.lock`); the
    /// real index, updated with PATH, waits in `index.lock`.
    PartialCommit,
}

impl Mode {
    /// How a file of this mode's source is named in messages: `docdex.toml`,
    /// `docdex.toml (staged)`, `docdex.toml (at v1.2)`.
    pub fn name_file(&self, file: &str) -> String {
        match self {
            Mode::WorkTree => file.to_owned(),
            Mode::Staged => format!("{file} (staged)"),
            Mode::Base { head: rev, .. } | Mode::Rev(rev) => format!("{file} (at {rev})"),
        }
    }

    /// Whether the run reads or writes the working tree.
    pub fn needs_work_tree(&self, fixing: bool) -> bool {
        fixing || matches!(self, Mode::WorkTree | Mode::Staged)
    }

    /// Whether `--fix` must leave pages with unstaged edits alone: the check read the
    /// index, so the working-tree file may hold edits the check never saw.
    pub fn protects_unstaged_edits(&self) -> bool {
        matches!(self, Mode::Staged)
    }

    /// What the run covered, for the summary line (`12 documents staged`).
    pub fn describe_scope(&self, documents: usize) -> String {
        let documents = count(documents, "document");
        match self {
            Mode::WorkTree => format!("{documents} in the working tree"),
            Mode::Staged => format!("{documents} staged"),
            Mode::Base { base, head } => {
                format!("{documents} changed from the merge-base of {base} to {head}")
            }
            Mode::Rev(rev) => format!("{documents} in {rev}"),
        }
    }

    /// What to do about the findings of a check in this mode, in one sentence that
    /// names a command that works here: `program` is how to run docdex (its path under
    /// the pre-commit framework, which keeps it off PATH). `pages` are the pages found;
    /// `foreign_only` says every finding is a hand-written file, which no `--fix`
    /// replaces.
    pub fn fix_hint(
        &self,
        index: IndexKind,
        pages: &[&str],
        foreign_only: bool,
        program: &str,
    ) -> String {
        if foreign_only {
            return "exclude the hand-written files in docdex.toml, or rerun with --fix --force to replace them".to_owned();
        }
        match self {
            Mode::WorkTree => format!("run `{program} check --fix` to write them"),
            Mode::Staged => match index {
                IndexKind::Own => {
                    format!("run `{program} check --staged --fix --stage` to fix and stage them")
                }
                // The hook's index is thrown away when the commit fails: fix from the real one.
                IndexKind::CommitAll => format!("`git commit -a` stages tracked changes itself, so run `git add -u && {program} check --staged --fix --stage` and commit again"),
                IndexKind::PartialCommit => format!(
                    "`git commit PATH` commits only the paths it names, so run `{program} check --fix` and repeat the commit with the pages added to its paths: {}",
                    shell_list(pages.iter().copied())
                ),
            },
            Mode::Base { head, .. } => {
                format!("run `{program} check --fix` in a checkout of {head} and commit the pages")
            }
            Mode::Rev(rev) => {
                format!("run `{program} check --fix` in a checkout of {rev} and commit the pages")
            }
        }
    }
}
