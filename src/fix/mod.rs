//! Findings → files (docs/guide.md, "Fixing"): atomic writes and deletes in the working tree, and
//! optionally the index. Writes only bytes that change; never outside the work tree.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};

use crate::compare::{is_generated, Finding, Status};
use crate::error::Error;
use crate::interrupt::{self, WritingGuard};
use crate::source::lf_only;
use crate::source::Repo;

mod files;

pub(crate) use files::write_whole;

use files::{
    crlf, make_durable, prune_empty_parents, read_current, refuse_other_repositories,
    remove_leftovers, safe_target, write_atomic, SafeFolders,
};

/// How `--fix` behaves.
#[derive(Clone, Copy, Debug, Default)]
pub struct FixOptions {
    /// The check read the index: protect unstaged edits of pages.
    pub staged: bool,
    /// Also write the fixed pages into the index.
    pub stage: bool,
    /// Overwrite pages with unstaged edits.
    pub force: bool,
}

/// What `--fix` did, page by page, in byte order.
#[derive(Debug, Default)]
pub(crate) struct FixOutcome {
    /// Pages written into the working tree.
    pub written: Vec<String>,
    /// Orphaned pages deleted from the working tree.
    pub removed: Vec<String>,
    /// Pages left alone because their unstaged edits would be lost.
    pub kept: Vec<String>,
    /// Hand-written files left alone where a page belongs (no `--force`).
    pub foreign: Vec<String>,
    /// Pages now right in the working tree (written, deleted, or already right): what a
    /// commit needs staged.
    pub fixed: Vec<String>,
    /// Pages whose fixed version was written into the index (`fixed`, with `--stage`).
    pub staged: Vec<String>,
    /// Pages that could not be written or deleted, each with the error (which names it).
    pub failed: Vec<(String, Error)>,
}

/// What fixing one page did.
enum Action {
    /// Left alone: it has unstaged edits.
    Kept,
    /// Left alone: a person wrote the file there (docs/format.md, "Terms"), and `--force` was not given.
    Foreign,
    /// Written into the working tree.
    Written,
    /// Already right in the working tree (only the index may need it).
    Unchanged,
    /// Deleted from the working tree.
    Removed,
    /// Orphaned, and already gone from the working tree.
    Absent,
}

/// Applies every finding to the working tree (and the index when asked). A page that
/// cannot be written is skipped and named in the error returned after the others are
/// done; the committed page stays as it was and no temporary file is left behind.
pub(crate) fn apply(
    repo: &Repo,
    findings: &[Finding],
    options: FixOptions,
) -> Result<FixOutcome, Error> {
    let workdir = repo.workdir("fix")?.to_path_buf();
    let mut lock = repo.index_path().into_os_string();
    lock.push(".lock");
    let lock = PathBuf::from(lock);
    if options.stage && lock.exists() {
        return Err(Error::IndexLocked(lock.display().to_string()));
    }
    let _writing = begin(repo, &workdir, findings.iter().map(|f| f.page.as_str()))?;
    let crlf_possible = repo.may_want_crlf()?;
    let safe = SafeFolders::default();
    let conflicted: BTreeSet<String> = repo.unmerged().into_iter().collect();
    let mut done = Vec::new();
    for finding in findings {
        if interrupt::requested() {
            break;
        }
        let wants_crlf = |page: &str| crlf_possible && repo.wants_crlf(page);
        let conflicted = conflicted.contains(&finding.page);
        done.push((
            finding.page.clone(),
            fix_one(&workdir, finding, options, &wants_crlf, &safe, conflicted),
        ));
    }
    let mut outcome = finish(&workdir, done)?;
    if options.stage && !outcome.fixed.is_empty() {
        let fixed: BTreeSet<&str> = outcome.fixed.iter().map(String::as_str).collect();
        let pages: Vec<(&str, Option<&str>)> = findings
            .iter()
            .filter(|f| fixed.contains(f.page.as_str()))
            .map(|f| (f.page.as_str(), f.expected.as_deref()))
            .collect();
        repo.stage_pages(&workdir, &pages)?;
        outcome.staged = outcome.fixed.clone();
    }
    Ok(outcome)
}

/// What every fix does before its first write: signals wait for the page in hand from
/// now on, pages inside another repository are refused, and the temporary files a
/// killed run left beside these pages are removed.
fn begin<'p>(
    repo: &Repo,
    workdir: &Path,
    pages: impl Iterator<Item = &'p str> + Clone,
) -> Result<WritingGuard, Error> {
    let writing = WritingGuard::start();
    refuse_other_repositories(workdir, pages.clone(), &repo.gitlinks()?)?;
    remove_leftovers(workdir, pages);
    Ok(writing)
}

/// `--fix` of the working tree while the check runs: each page is written (or
/// deleted) by the thread that found it, and its bytes let go of, so a first adoption
/// never holds its thousands of expected pages at once. Only for reports that need
/// no page bytes after a fix (the human report prints a summary line).
pub(crate) struct FixAsFound {
    workdir: PathBuf,
    options: FixOptions,
    /// The pages whose attributes ask for CRLF line ends.
    crlf: BTreeSet<String>,
    done: Mutex<Vec<(String, Result<Action, Error>)>>,
    safe: SafeFolders,
    _writing: WritingGuard,
}

impl FixAsFound {
    /// Gets ready to fix any of `pages` (the plan: every page a finding can name),
    /// refusing before anything is written when one lies in another repository.
    pub(crate) fn start(
        repo: &Repo,
        pages: &BTreeSet<String>,
        options: FixOptions,
    ) -> Result<FixAsFound, Error> {
        let workdir = repo.workdir("fix")?.to_path_buf();
        let writing = begin(repo, &workdir, pages.iter().map(String::as_str))?;
        let crlf = if repo.may_want_crlf()? {
            pages
                .iter()
                .filter(|p| repo.wants_crlf(p))
                .cloned()
                .collect()
        } else {
            BTreeSet::new()
        };
        Ok(FixAsFound {
            workdir,
            options,
            crlf,
            done: Mutex::default(),
            safe: SafeFolders::default(),
            _writing: writing,
        })
    }

    /// Fixes the page of `finding` (from any thread), then drops its bytes when it
    /// was fixed. After an interruption it leaves pages alone.
    pub(crate) fn fix(&self, finding: &mut Finding) {
        if interrupt::requested() {
            return;
        }
        let wants_crlf = |page: &str| self.crlf.contains(page);
        // The working tree's fixes protect no unstaged edits, so conflicts do not matter.
        let result = fix_one(
            &self.workdir,
            finding,
            self.options,
            &wants_crlf,
            &self.safe,
            false,
        );
        if matches!(
            result,
            Ok(Action::Written | Action::Removed | Action::Unchanged | Action::Absent)
        ) {
            finding.expected = None;
            finding.committed = None;
        }
        self.done
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push((finding.page.clone(), result));
    }

    /// What was fixed, once every page is done, made durable.
    pub(crate) fn finish(self) -> Result<FixOutcome, Error> {
        let mut done = self
            .done
            .into_inner()
            .unwrap_or_else(PoisonError::into_inner);
        done.sort_by(|a, b| a.0.cmp(&b.0));
        finish(&self.workdir, done)
    }
}

/// The outcome of fixing pages one by one (in byte order of path), made durable; an
/// interruption is an error saying how many pages were done.
fn finish(workdir: &Path, done: Vec<(String, Result<Action, Error>)>) -> Result<FixOutcome, Error> {
    let mut outcome = FixOutcome::default();
    for (page, action) in done {
        match action {
            Err(err) => outcome.failed.push((page, err)),
            Ok(Action::Kept) => outcome.kept.push(page),
            Ok(Action::Foreign) => outcome.foreign.push(page),
            Ok(action) => {
                match action {
                    Action::Written => outcome.written.push(page.clone()),
                    Action::Removed => outcome.removed.push(page.clone()),
                    _ => {}
                }
                outcome.fixed.push(page);
            }
        }
    }
    make_durable(workdir, &outcome.written)?;
    if interrupt::requested() {
        return Err(Error::Interrupted {
            done: outcome.written.len() + outcome.removed.len(),
        });
    }
    Ok(outcome)
}

/// Fixes one page. `conflicted` says the page has an unresolved merge conflict: its
/// working-tree copy (markers and all) is then no edit to protect.
fn fix_one(
    workdir: &Path,
    finding: &Finding,
    options: FixOptions,
    wants_crlf: &dyn Fn(&str) -> bool,
    safe: &SafeFolders,
    conflicted: bool,
) -> Result<Action, Error> {
    if finding.status == Status::Foreign && !options.force {
        return Ok(Action::Foreign);
    }
    let target = safe_target(workdir, &finding.page, safe)?;
    let (bytes_now, permissions) = read_current(&target, &finding.page)?.unzip();
    // Checked again on the file about to change: the check may have read another
    // source (the index), or the file may have changed since. `--force` replaces a
    // hand-written file where a page belongs, never deletes one where none does.
    let hand_written = bytes_now.as_deref().is_some_and(|b| !is_generated(b));
    if hand_written && (!options.force || finding.expected.is_none()) {
        return Ok(Action::Foreign);
    }
    // Line ends aside: git checks pages out with CRLF where attributes ask for it.
    let current = bytes_now.as_deref().map(lf_only);
    let expected = finding.expected.as_deref().map(str::as_bytes);
    if options.staged && !options.force && !conflicted {
        if let Some(current) = current.as_deref() {
            let committed = finding.committed.as_deref().map(lf_only);
            let matches_index = committed.as_deref() == Some(current);
            if !matches_index && expected != Some(current) {
                return Ok(Action::Kept);
            }
        }
    }
    match (finding.status, expected) {
        (Status::Stale | Status::Missing | Status::Foreign, Some(expected)) => {
            let bytes = if wants_crlf(&finding.page) {
                crlf(expected)
            } else {
                expected.to_vec()
            };
            // Exactly what would be written: CRLF where git would not convert it back
            // is a different page.
            if bytes_now.as_deref() == Some(bytes.as_slice()) {
                return Ok(Action::Unchanged);
            }
            write_atomic(&target, &bytes, &finding.page, permissions, safe)?;
            Ok(Action::Written)
        }
        _ if current.is_none() => Ok(Action::Absent),
        _ => {
            std::fs::remove_file(&target).map_err(|e| Error::io(&finding.page, e))?;
            prune_empty_parents(workdir, &target);
            Ok(Action::Removed)
        }
    }
}
