//! Staging fixed pages: libgit2's index API, with the stat data git expects, and the
//! attributes that decide a page's line ends in the working tree.

use std::path::Path;

use git2::{AttrCheckFlags, AttrValue, IndexEntry, IndexTime};

use super::Repo;
use crate::error::Error;

impl Repo {
    /// Whether any path could be checked out with CRLF line ends: the repository has
    /// attributes files or line-end configuration. When not, [`Repo::wants_crlf`] is
    /// false for every path, and asking libgit2 page by page (dozens of `stat` calls
    /// each) is skipped.
    pub(crate) fn may_want_crlf(&self) -> Result<bool, Error> {
        let index = self.index()?;
        let tracked_attributes = index.iter().any(|entry| {
            entry.path == b".gitattributes" || entry.path.ends_with(b"/.gitattributes")
        });
        let workdir_attributes = self
            .repo
            .workdir()
            .is_some_and(|dir| dir.join(".gitattributes").exists());
        let eol_configured = self
            .repo
            .config()
            .is_ok_and(|c| c.get_string("core.eol").is_ok());
        Ok(eol_configured
            || super::filters::may_convert(
                &self.repo,
                tracked_attributes || workdir_attributes,
                self.global_attributes.as_deref(),
            ))
    }

    /// Whether git would check this path out with CRLF line ends.
    pub(crate) fn wants_crlf(&self, path: &str) -> bool {
        let repo = &self.repo;
        let attr = |name: &str| {
            repo.get_attr(Path::new(path), name, AttrCheckFlags::FILE_THEN_INDEX)
                .ok()
                .flatten()
                .map(|value| AttrValue::from_string(Some(value)))
        };
        if matches!(attr("text"), Some(AttrValue::False))
            || matches!(attr("binary"), Some(AttrValue::True))
        {
            return false;
        }
        match attr("eol") {
            Some(AttrValue::String("crlf")) => return true,
            Some(AttrValue::String("lf")) => return false,
            _ => {}
        }
        let config = repo.config().ok();
        let get = |key: &str| config.as_ref().and_then(|c| c.get_string(key).ok());
        match get("core.autocrlf").as_deref() {
            Some("true") => true,
            Some("input") => false,
            _ => {
                get("core.eol").as_deref() == Some("crlf")
                    && matches!(
                        attr("text"),
                        Some(AttrValue::True | AttrValue::String("auto"))
                    )
            }
        }
    }

    /// Writes pages into the index (stage 0): `(page, Some(content))` stages the
    /// content, `(page, None)` unstages the page. During a partial commit
    /// (`git commit PATH`) the real index git keeps afterwards gets them too.
    pub(crate) fn stage_pages(
        &self,
        workdir: &Path,
        pages: &[(&str, Option<&str>)],
    ) -> Result<(), Error> {
        stage(self, workdir, pages)
    }
}

/// Writes fixed pages into the index (stage 0) and removes orphaned ones; during a
/// partial commit (`git commit PATH`) into the real index git keeps afterwards, too.
fn stage(repo: &Repo, workdir: &Path, pages: &[(&str, Option<&str>)]) -> Result<(), Error> {
    let mut changes = index_changes(repo, workdir, pages)?;
    // As `git add`: the executable bit from disk, unless core.fileMode says the file
    // system's is not to be trusted; then the mode the index already records.
    let trust_exec_bit = repo
        .repo
        .config()
        .and_then(|c| c.get_bool("core.fileMode"))
        .unwrap_or(cfg!(unix));
    if !trust_exec_bit {
        let index = repo.index()?;
        for (page, entry) in &mut changes {
            if let Some(entry) = entry {
                entry.mode = index
                    .get_path(Path::new(page), 0)
                    .map_or(REGULAR, |e| e.mode);
            }
        }
    }
    let write = |index: &mut git2::Index, path: String| -> Result<(), Error> {
        apply_to_index(index, &changes)?;
        index.write().map_err(|err| {
            if err.code() == git2::ErrorCode::Locked {
                Error::IndexLocked(format!("{path}.lock"))
            } else {
                Error::git("writing the index", err)
            }
        })
    };
    write(&mut repo.index()?, repo.index_path().display().to_string())?;
    if let Some(mut pending) = repo.pending_index()? {
        write(&mut pending, "index.lock".to_owned())?;
    }
    Ok(())
}

/// For each fixed page, the entry to stage (its blob written to the object database),
/// or `None` to unstage an orphaned page.
fn index_changes<'p>(
    repo: &Repo,
    workdir: &Path,
    pages: &[(&'p str, Option<&str>)],
) -> Result<Vec<(&'p str, Option<IndexEntry>)>, Error> {
    pages
        .iter()
        .map(|&(page, expected)| {
            let Some(expected) = expected else {
                return Ok((page, None));
            };
            let id = repo
                .repo
                .blob(expected.as_bytes())
                .map_err(|e| Error::git(format!("staging {page}"), e))?;
            // git's stat cache: the file as it is on disk (with CRLF where it was
            // checked out so), or git would see every staged page as modified.
            let meta = std::fs::metadata(workdir.join(page)).map_err(|e| Error::io(page, e))?;
            let mut entry = stat_entry(&meta);
            entry.id = id;
            entry.flags = page.len().min(0xfff) as u16;
            entry.path = page.as_bytes().to_vec();
            Ok((page, Some(entry)))
        })
        .collect()
}

/// git's modes of a regular and an executable file.
const REGULAR: u32 = 0o100644;
#[cfg(unix)]
const EXECUTABLE: u32 = 0o100755;

/// An index entry for a regular file with the stat data git records for it.
#[cfg(unix)]
fn stat_entry(meta: &std::fs::Metadata) -> IndexEntry {
    use std::os::unix::fs::MetadataExt;
    let time = |secs: i64, nanos: i64| IndexTime::new(secs as i32, nanos as u32);
    IndexEntry {
        ctime: time(meta.ctime(), meta.ctime_nsec()),
        mtime: time(meta.mtime(), meta.mtime_nsec()),
        dev: meta.dev() as u32,
        ino: meta.ino() as u32,
        // The owner's executable bit decides, as git's does.
        mode: if meta.mode() & 0o100 != 0 {
            EXECUTABLE
        } else {
            REGULAR
        },
        uid: meta.uid(),
        gid: meta.gid(),
        file_size: meta.len() as u32,
        id: git2::Oid::ZERO_SHA1,
        flags: 0,
        flags_extended: 0,
        path: Vec::new(),
    }
}

#[cfg(not(unix))]
fn stat_entry(meta: &std::fs::Metadata) -> IndexEntry {
    let mtime = meta
        .modified()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(IndexTime::new(0, 0), |d| {
            IndexTime::new(d.as_secs() as i32, d.subsec_nanos())
        });
    IndexEntry {
        ctime: mtime,
        mtime,
        dev: 0,
        ino: 0,
        mode: REGULAR,
        uid: 0,
        gid: 0,
        file_size: meta.len() as u32,
        id: git2::Oid::ZERO_SHA1,
        flags: 0,
        flags_extended: 0,
        path: Vec::new(),
    }
}

fn apply_to_index(
    index: &mut git2::Index,
    changes: &[(&str, Option<IndexEntry>)],
) -> Result<(), Error> {
    for (page, entry) in changes {
        let path = Path::new(page);
        // A page regenerated over a merge conflict: staging it resolves the conflict.
        if index.get_path(path, 1).is_some()
            || index.get_path(path, 2).is_some()
            || index.get_path(path, 3).is_some()
        {
            index
                .conflict_remove(path)
                .map_err(|e| Error::git(format!("resolving {page}"), e))?;
        }
        match entry {
            Some(entry) => index
                .add(entry)
                .map_err(|e| Error::git(format!("staging {page}"), e))?,
            None if index.get_path(path, 0).is_some() => index
                .remove_path(path)
                .map_err(|e| Error::git(format!("unstaging {page}"), e))?,
            None => {}
        }
    }
    Ok(())
}
