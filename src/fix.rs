//! Findings → files (SPEC §7): atomic writes and deletes in the working tree, and
//! optionally the index. Writes only bytes that change; never outside the work tree.

use std::collections::BTreeSet;
use std::io::Write as _;
use std::path::{Component, Path, PathBuf};
use std::sync::{Mutex, PoisonError};

use crate::compare::{is_generated, Finding, Status};
use crate::error::{Blocked, Error};
use crate::interrupt::{self, WritingGuard};
use crate::source::lf_only;
use crate::source::Repo;

/// The names of docdex's temporary files: `.docdex-PID-` + 6 random characters + `.tmp`.
const TEMP_PREFIX: &str = ".docdex-";
/// A temporary file this old is abandoned whatever its process id says: a page is
/// written and renamed in milliseconds.
const ABANDONED_AFTER: std::time::Duration = std::time::Duration::from_secs(60);
const TEMP_SUFFIX: &str = ".tmp";
const TEMP_RANDOM_LEN: usize = 6;

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
    /// Left alone: a person wrote the file there (SPEC §1), and `--force` was not given.
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
    let _writing = WritingGuard::start();
    let pages = || findings.iter().map(|f| f.page.as_str());
    refuse_other_repositories(&workdir, pages(), &repo.gitlinks()?)?;
    let crlf_possible = repo.may_want_crlf()?;
    remove_leftovers(&workdir, pages());
    let mut done = Vec::new();
    for finding in findings {
        if interrupt::requested() {
            break;
        }
        let wants_crlf = |page: &str| crlf_possible && repo.wants_crlf(page);
        done.push((
            finding.page.clone(),
            fix_one(&workdir, finding, options, &wants_crlf),
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
        let writing = WritingGuard::start();
        let paths = || pages.iter().map(String::as_str);
        refuse_other_repositories(&workdir, paths(), &repo.gitlinks()?)?;
        let crlf = if repo.may_want_crlf()? {
            pages
                .iter()
                .filter(|p| repo.wants_crlf(p))
                .cloned()
                .collect()
        } else {
            BTreeSet::new()
        };
        remove_leftovers(&workdir, paths());
        Ok(FixAsFound {
            workdir,
            options,
            crlf,
            done: Mutex::default(),
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
        let result = fix_one(&self.workdir, finding, self.options, &wants_crlf);
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

fn fix_one(
    workdir: &Path,
    finding: &Finding,
    options: FixOptions,
    wants_crlf: &dyn Fn(&str) -> bool,
) -> Result<Action, Error> {
    if finding.status == Status::Foreign && !options.force {
        return Ok(Action::Foreign);
    }
    let target = safe_target(workdir, &finding.page)?;
    let bytes_now = read_current(&target, &finding.page)?;
    // Checked again on the file about to change: the check may have read another
    // source (the index), or the file may have changed since.
    if bytes_now.as_deref().is_some_and(|b| !is_generated(b)) && !options.force {
        return Ok(Action::Foreign);
    }
    // Line ends aside: git checks pages out with CRLF where attributes ask for it.
    let current = bytes_now.as_deref().map(lf_only);
    let expected = finding.expected.as_deref().map(str::as_bytes);
    if options.staged && !options.force {
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
            if current.as_deref() == Some(expected) {
                return Ok(Action::Unchanged);
            }
            let bytes = if wants_crlf(&finding.page) {
                crlf(expected)
            } else {
                expected.to_vec()
            };
            write_atomic(&target, &bytes, &finding.page)?;
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

/// The absolute path of a page, refusing anything that could lead outside the work
/// tree: `..`, absolute paths, and symlinked directories on the way.
fn safe_target(workdir: &Path, page: &str) -> Result<PathBuf, Error> {
    let relative = Path::new(page);
    if !relative
        .components()
        .all(|c| matches!(c, Component::Normal(_)))
    {
        return Err(blocked(page, Blocked::OutsideWorkTree));
    }
    let mut path = workdir.to_path_buf();
    let parts: Vec<_> = relative.components().collect();
    for (i, part) in parts.iter().enumerate() {
        path.push(part);
        let Ok(meta) = std::fs::symlink_metadata(&path) else {
            break;
        };
        let last = i + 1 == parts.len();
        if !last && std::fs::symlink_metadata(path.join(".git")).is_ok() {
            return Err(blocked(page, Blocked::Repository(path)));
        }
        if meta.file_type().is_symlink() {
            return Err(blocked(page, Blocked::Symlink(path)));
        }
        if last && meta.is_dir() {
            return Err(blocked(page, Blocked::NotAFile("a directory")));
        }
    }
    Ok(workdir.join(relative))
}

/// The bytes of the file at a page's path, `None` when there is none. Anything but a
/// regular file there (a FIFO, socket, device or directory) is an error naming it:
/// opening a FIFO to read it would wait for a writer forever.
fn read_current(target: &Path, page: &str) -> Result<Option<Vec<u8>>, Error> {
    match std::fs::symlink_metadata(target) {
        Ok(meta) if meta.is_file() => {}
        Ok(meta) => {
            return Err(blocked(
                page,
                Blocked::NotAFile(file_kind(&meta.file_type())),
            ))
        }
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(err) => return Err(Error::io(page, err)),
    }
    std::fs::read(target)
        .map(Some)
        .map_err(|e| Error::io(page, e))
}

fn blocked(page: &str, why: Blocked) -> Error {
    Error::PageBlocked {
        page: page.to_owned(),
        why,
    }
}

/// A file type in words, for errors.
fn file_kind(kind: &std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_fifo() {
            return "a FIFO (named pipe)";
        }
        if kind.is_socket() {
            return "a socket";
        }
        if kind.is_block_device() || kind.is_char_device() {
            return "a device";
        }
    }
    if kind.is_dir() {
        "a directory"
    } else if kind.is_symlink() {
        "a symlink"
    } else {
        "a special file"
    }
}

/// Writes through a temporary file in the same directory and renames it into place,
/// so a reader sees the old page or the new one, never half of one.
fn write_atomic(target: &Path, bytes: &[u8], page: &str) -> Result<(), Error> {
    let dir = target.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(|e| Error::io(page, e))?;
    let existing = std::fs::metadata(target)
        .ok()
        .map(|meta| meta.permissions());
    let mut builder = tempfile::Builder::new();
    let prefix = format!("{TEMP_PREFIX}{}-", std::process::id());
    builder
        .prefix(&prefix)
        .suffix(TEMP_SUFFIX)
        .rand_bytes(TEMP_RANDOM_LEN);
    // A new page is created as git creates files (0666 less the umask).
    if existing.is_none() {
        builder.permissions(new_file_permissions());
    }
    let mut temp = builder.tempfile_in(dir).map_err(|e| Error::io(page, e))?;
    // Durability comes once for the whole run (`make_durable`); the rename alone keeps
    // every reader seeing the old page or the new one.
    temp.write_all(bytes).map_err(|e| Error::io(page, e))?;
    // A rewritten page keeps its mode.
    if let Some(permissions) = existing {
        std::fs::set_permissions(temp.path(), permissions).map_err(|e| Error::io(page, e))?;
    }
    temp.persist(target).map_err(|e| Error::io(page, e.error))?;
    Ok(())
}

/// One durability step for every page written and deleted: `syncfs` of the work
/// tree's file system on Linux, an fsync of each written page elsewhere.
fn make_durable(workdir: &Path, written: &[String]) -> Result<(), Error> {
    if written.is_empty() {
        return Ok(());
    }
    let shown = || workdir.display().to_string();
    #[cfg(target_os = "linux")]
    {
        let _ = written;
        let dir = std::fs::File::open(workdir).map_err(|e| Error::io(shown(), e))?;
        rustix::fs::syncfs(&dir).map_err(|e| Error::io(shown(), e.into()))
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = shown;
        for page in written {
            let file = std::fs::File::open(workdir.join(page)).map_err(|e| Error::io(page, e))?;
            file.sync_all().map_err(|e| Error::io(page, e))?;
        }
        Ok(())
    }
}

#[cfg(unix)]
fn new_file_permissions() -> std::fs::Permissions {
    use std::os::unix::fs::PermissionsExt;
    std::fs::Permissions::from_mode(0o666)
}

#[cfg(not(unix))]
fn new_file_permissions() -> std::fs::Permissions {
    let mut permissions = std::fs::metadata(".").map(|m| m.permissions()).unwrap();
    permissions.set_readonly(false);
    permissions
}

/// The process id in the name of one of docdex's temporary files (`Some(None)` for
/// the names of earlier versions, which had none), or `None` for any other file.
fn temp_file_owner(name: &str) -> Option<Option<u32>> {
    let rest = name.strip_prefix(TEMP_PREFIX)?.strip_suffix(TEMP_SUFFIX)?;
    let (pid, random) = match rest.split_once('-') {
        Some((pid, random)) => (Some(pid.parse().ok()?), random),
        None => (None, rest),
    };
    let random_ok =
        random.len() == TEMP_RANDOM_LEN && random.bytes().all(|b| b.is_ascii_alphanumeric());
    random_ok.then_some(pid)
}

/// Whether a temporary file was abandoned: its process is gone, or it is too old for
/// any run to be still writing it. Another docdex running now keeps its own.
fn is_abandoned(owner: Option<u32>, meta: &std::fs::Metadata) -> bool {
    let old = meta
        .modified()
        .ok()
        .and_then(|at| at.elapsed().ok())
        .is_some_and(|age| age > ABANDONED_AFTER);
    let gone = match owner {
        Some(pid) if pid == std::process::id() => false,
        Some(pid) => cfg!(target_os = "linux") && !Path::new(&format!("/proc/{pid}")).exists(),
        None => false,
    };
    old || gone
}

/// Removes temporary files an earlier run left in the folders of these pages when it
/// was killed (SIGKILL, power loss) between creating one and renaming it into place.
/// Those pages are still findings, so their folders are the ones to look in.
fn remove_leftovers<'p>(workdir: &Path, pages: impl Iterator<Item = &'p str>) {
    let mut folders: Vec<&str> = pages
        .map(|page| page.rsplit_once('/').map_or("", |(folder, _)| folder))
        .collect();
    folders.sort_unstable();
    folders.dedup();
    for folder in folders {
        let Ok(entries) = std::fs::read_dir(workdir.join(folder)) else {
            continue;
        };
        for entry in entries.flatten() {
            let Some(owner) = entry.file_name().to_str().and_then(temp_file_owner) else {
                continue;
            };
            let Ok(meta) = entry.metadata() else {
                continue;
            };
            if meta.is_file() && is_abandoned(owner, &meta) {
                let _ = std::fs::remove_file(entry.path());
            }
        }
    }
}

/// Refuses, before anything is written, pages inside another repository: a submodule
/// the index records (checked out or not), or any folder holding a `.git` (a nested
/// clone). Pages are never written into a repository docdex was not run on.
fn refuse_other_repositories<'p>(
    workdir: &Path,
    pages: impl Iterator<Item = &'p str>,
    submodules: &[String],
) -> Result<(), Error> {
    let mut seen = BTreeSet::new();
    for page in pages {
        let mut folder = page;
        while let Some((parent, _)) = folder.rsplit_once('/') {
            folder = parent;
            if !seen.insert(folder) {
                break;
            }
            let what = if submodules.iter().any(|s| s == folder) {
                "a submodule"
            } else if std::fs::symlink_metadata(workdir.join(folder))
                .is_ok_and(|meta| meta.file_type().is_symlink())
            {
                "a symlink (pages are written inside the work tree only)"
            } else if std::fs::symlink_metadata(workdir.join(folder).join(".git")).is_ok() {
                "another git repository (a nested clone)"
            } else {
                continue;
            };
            return Err(Error::OtherRepository {
                folder: folder.to_owned(),
                what,
            });
        }
    }
    Ok(())
}

/// Removes the directories a delete left empty, up to (not including) the work tree.
fn prune_empty_parents(workdir: &Path, file: &Path) {
    let mut dir = file.parent();
    while let Some(current) = dir {
        if current == workdir || !current.starts_with(workdir) {
            break;
        }
        // Fails (and stops) as soon as a directory is not empty.
        if std::fs::remove_dir(current).is_err() {
            break;
        }
        dir = current.parent();
    }
}

fn crlf(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len() + bytes.len() / 32);
    for &byte in bytes {
        if byte == b'\n' {
            out.push(b'\r');
        }
        out.push(byte);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn temporary_files_are_recognised_by_name() {
        assert_eq!(temp_file_owner(".docdex-4242-a1B2c3.tmp"), Some(Some(4242)));
        assert_eq!(temp_file_owner(".docdex-a1B2c3.tmp"), Some(None));
        assert_eq!(temp_file_owner(".docdex-notes.tmp"), None);
        assert_eq!(temp_file_owner(".docdex-x1-a1B2c3.tmp"), None);
        assert_eq!(temp_file_owner("draft.tmp"), None);
    }

    #[test]
    fn crlf_conversion() {
        assert_eq!(crlf(b"a\nb\n"), b"a\r\nb\r\n");
        assert_eq!(lf_only(&crlf(b"x\n\ny\n")).as_ref(), b"x\n\ny\n");
    }

    #[test]
    fn targets_stay_inside() {
        let dir = tempfile::tempdir().unwrap();
        assert!(safe_target(dir.path(), "docs/a_kw.md").is_ok());
        assert!(safe_target(dir.path(), "../x").is_err());
        assert!(safe_target(dir.path(), "/etc/passwd").is_err());
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink("/tmp", dir.path().join("docs")).unwrap();
            assert!(safe_target(dir.path(), "docs/a_kw.md").is_err());
        }
    }
}
