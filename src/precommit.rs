//! `check --pre-commit`: what a run under the pre-commit framework means. The framework
//! runs the same hook for a commit, for `--all-files` (CI, pre-commit.ci), for the
//! manual stage and for ref ranges (pre-push, `--from-ref/--to-ref`); only a range is
//! announced in the environment, so the rest is read from what is staged and from the
//! file names the hook is given.

use crate::error::Error;
use crate::mode::Mode;
use crate::source::Repo;

/// The file the manifest's hook asks pre-commit to pass (`files:`). pre-commit passes
/// it when it runs on every tracked file, and on a commit only when it is staged.
pub(crate) const SENTINEL: &str = ".pre-commit-config.yaml";

/// What pre-commit told the hook.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct PreCommitRun {
    /// `PRE_COMMIT_FROM_REF` and `PRE_COMMIT_TO_REF`: a pre-push or a `--from-ref`
    /// `--to-ref` run.
    pub(crate) range: Option<(String, String)>,
    /// The file names pre-commit passed.
    pub(crate) files: Vec<String>,
}

/// The mode a pre-commit run asks for, and why, in words for the report.
pub(crate) fn choose(
    repo: &Repo,
    run: &PreCommitRun,
    fixing: bool,
) -> Result<(Mode, String), Error> {
    if let Some((from, to)) = &run.range {
        if !fixing {
            return Ok((
                Mode::Base {
                    base: from.clone(),
                    head: to.clone(),
                },
                format!("a ref range: checking what {to} changed since {from}"),
            ));
        }
    }
    let staged = repo.staged_delta()?;
    let sentinel_passed = run.files.iter().any(|f| f == SENTINEL);
    let sentinel_staged = staged.changes.iter().any(|c| c.path == SENTINEL);
    let all_files = "every page of the working tree";
    if staged.changes.is_empty() {
        Ok((
            Mode::WorkTree,
            format!("nothing is staged (--all-files, the manual stage, or CI): {all_files}"),
        ))
    } else if sentinel_passed && !sentinel_staged {
        Ok((Mode::WorkTree, format!("--all-files: {all_files}")))
    } else {
        Ok((
            Mode::Staged,
            "a commit: the pages that depend on what is staged".to_owned(),
        ))
    }
}
