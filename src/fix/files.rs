//! The file operations of `--fix`, each safe on its own: a page's path checked for
//! symlinks and other repositories, its current bytes read without following anything,
//! new bytes written through a temporary file and a rename, one durability step.

use std::collections::{BTreeSet, HashSet};
use std::io::Write as _;
use std::path::{Component, Path, PathBuf};
use std::sync::{LazyLock, Mutex, PoisonError};

use crate::error::{Blocked, Error};

/// The names of docdex's temporary files: `.docdex-PID-` + 6 random characters + `.tmp`.
const TEMP_PREFIX: &str = ".docdex-";
/// A temporary file this old is abandoned whatever its process id says: a page is
/// written and renamed in milliseconds.
const ABANDONED_AFTER: std::time::Duration = std::time::Duration::from_secs(60);
const TEMP_SUFFIX: &str = ".tmp";
const TEMP_RANDOM_LEN: usize = 6;

/// The folders one run found safe to write in (no symlink, no `.git` on the way) or
/// created itself: each is checked once per run instead of once per page (a first
/// adoption writes thousands of pages into a few hundred folders).
#[derive(Default)]
pub(super) struct SafeFolders(Mutex<HashSet<PathBuf>>);

impl SafeFolders {
    fn contains(&self, dir: &Path) -> bool {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .contains(dir)
    }

    fn insert(&self, dir: PathBuf) {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(dir);
    }
}

/// The absolute path of a page, refusing anything that could lead outside the work
/// tree: `..`, absolute paths, and symlinked directories on the way.
pub(super) fn safe_target(
    workdir: &Path,
    page: &str,
    safe: &SafeFolders,
) -> Result<PathBuf, Error> {
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
        let last = i + 1 == parts.len();
        if !last && safe.contains(&path) {
            continue;
        }
        let Ok(meta) = std::fs::symlink_metadata(&path) else {
            break;
        };
        if !last && std::fs::symlink_metadata(path.join(".git")).is_ok() {
            return Err(blocked(page, Blocked::Repository(path)));
        }
        if meta.file_type().is_symlink() {
            return Err(blocked(page, Blocked::Symlink(path)));
        }
        if last && meta.is_dir() {
            return Err(blocked(page, Blocked::NotAFile("a directory")));
        }
        if !last {
            safe.insert(path.clone());
        }
    }
    Ok(workdir.join(relative))
}

/// The bytes of the file at a page's path and its permissions, `None` when there is
/// none. Anything but a regular file there (a FIFO, socket, device or directory) is an
/// error naming it: opening a FIFO to read it would wait for a writer forever.
pub(super) fn read_current(
    target: &Path,
    page: &str,
) -> Result<Option<(Vec<u8>, std::fs::Permissions)>, Error> {
    let permissions = match std::fs::symlink_metadata(target) {
        Ok(meta) if meta.is_file() => meta.permissions(),
        Ok(meta) => {
            return Err(blocked(
                page,
                Blocked::NotAFile(file_kind(&meta.file_type())),
            ))
        }
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(err) => return Err(Error::io(page, err)),
    };
    let bytes = std::fs::read(target).map_err(|e| Error::io(page, e))?;
    Ok(Some((bytes, permissions)))
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
/// so a reader sees the old page or the new one, never half of one. `existing` is the
/// permissions of the page being replaced, which it keeps.
pub(super) fn write_atomic(
    target: &Path,
    bytes: &[u8],
    page: &str,
    existing: Option<std::fs::Permissions>,
    safe: &SafeFolders,
) -> Result<(), Error> {
    let dir = target.parent().unwrap_or(Path::new("."));
    if !safe.contains(dir) {
        std::fs::create_dir_all(dir).map_err(|e| Error::io(page, e))?;
        safe.insert(dir.to_path_buf());
    }
    let mut builder = tempfile::Builder::new();
    builder
        .prefix(TEMP_NAME_PREFIX.as_str())
        .suffix(TEMP_SUFFIX)
        .rand_bytes(TEMP_RANDOM_LEN);
    // A new page is created as git creates files (0666 less the umask).
    if existing.is_none() {
        builder.permissions(new_file_permissions());
    }
    let mut temp = match builder.tempfile_in(dir) {
        // A folder this run emptied and removed (an orphan deleted) is made again.
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
            std::fs::create_dir_all(dir).map_err(|e| Error::io(page, e))?;
            builder.tempfile_in(dir)
        }
        made => made,
    }
    .map_err(|e| Error::io(page, e))?;
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

/// Writes `bytes` to `path` (a report, say) through a temporary file beside it and a
/// rename, created as git creates files (0666 less the umask).
pub(crate) fn write_whole(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    let shown = || path.display().to_string();
    let dir = path.parent().unwrap_or(Path::new("."));
    let mut temp = tempfile::Builder::new()
        .prefix(TEMP_NAME_PREFIX.as_str())
        .suffix(TEMP_SUFFIX)
        .rand_bytes(TEMP_RANDOM_LEN)
        .permissions(new_file_permissions())
        .tempfile_in(dir)
        .map_err(|e| Error::io(shown(), e))?;
    temp.write_all(bytes).map_err(|e| Error::io(shown(), e))?;
    temp.persist(path)
        .map_err(|e| Error::io(shown(), e.error))?;
    Ok(())
}

/// `.docdex-PID-`: this process's temporary file names start so.
static TEMP_NAME_PREFIX: LazyLock<String> =
    LazyLock::new(|| format!("{TEMP_PREFIX}{}-", std::process::id()));

/// One durability step for every page written and deleted: `syncfs` of the work
/// tree's file system on Linux, an fsync of each written page elsewhere.
pub(super) fn make_durable(workdir: &Path, written: &[String]) -> Result<(), Error> {
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
pub(super) fn remove_leftovers<'p>(workdir: &Path, pages: impl Iterator<Item = &'p str>) {
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
pub(super) fn refuse_other_repositories<'p>(
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
pub(super) fn prune_empty_parents(workdir: &Path, file: &Path) {
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

pub(super) fn crlf(bytes: &[u8]) -> Vec<u8> {
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
    use crate::source::lf_only;

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
        let safe = SafeFolders::default();
        assert!(safe_target(dir.path(), "docs/a_kw.md", &safe).is_ok());
        assert!(safe_target(dir.path(), "../x", &safe).is_err());
        assert!(safe_target(dir.path(), "/etc/passwd", &safe).is_err());
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink("/tmp", dir.path().join("docs")).unwrap();
            assert!(safe_target(dir.path(), "docs/a_kw.md", &SafeFolders::default()).is_err());
        }
    }
}
