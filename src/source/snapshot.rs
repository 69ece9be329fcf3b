//! A listing of one source's files, and reading their bytes.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, PoisonError};

use git2::{Repository, RepositoryOpenFlags};

use super::folder_reads::FolderReads;
use super::{Content, FileList};
use crate::error::Error;

/// The regular files of one source, by repo-relative path in byte order. Symlinks and
/// submodules are left out: they are never documents and never pages.
pub(crate) struct Snapshot {
    pub(super) files: FileList,
    pub(super) origin: Origin,
    pub(super) blob_reads: AtomicUsize,
    /// Working-tree folders looked at for pages outside the listing: whether each is a
    /// real folder (not a symlink), asked once per folder.
    real_folders: Mutex<HashMap<String, bool>>,
}

/// Where a snapshot's bytes live: blobs in `git_dir`, files under `workdir`.
pub(crate) struct Origin {
    pub(super) git_dir: Option<PathBuf>,
    pub(super) workdir: Option<PathBuf>,
    /// Whether git's clean filters may change working-tree bytes (see
    /// [`Content::File`]), for pages found outside the listing.
    pub(super) converts: bool,
}

impl Origin {
    pub(super) const EMPTY: Origin = Origin {
        git_dir: None,
        workdir: None,
        converts: false,
    };
}

/// Reads file contents of one [`Snapshot`]; one per thread, since a git2 handle is not `Sync`.
pub(crate) struct Reader<'s> {
    snapshot: &'s Snapshot,
    repo: Option<Repository>,
    folders: FolderReads,
}

impl Snapshot {
    pub(crate) fn new(files: FileList, origin: Origin) -> Self {
        Snapshot {
            files,
            origin,
            blob_reads: AtomicUsize::new(0),
            real_folders: Mutex::default(),
        }
    }

    /// The listed files, in byte order of path.
    pub(crate) fn files(&self) -> &FileList {
        &self.files
    }

    /// How a path's bytes are found, if the source has a regular file there.
    pub(crate) fn get(&self, path: &str) -> Option<Content> {
        self.files.get(path)
    }

    /// A page's file: as listed, or, in the working tree, the file at its path even when
    /// git ignores it (docs/guide.md, "Which pages a run checks": an ignore rule never makes a page missing forever).
    pub(crate) fn page(&self, path: &str) -> Option<Content> {
        if let Some(content) = self.get(path) {
            return Some(content);
        }
        let dir = self.origin.workdir.as_ref()?;
        // Never through a symlinked folder: what is there is outside the repository.
        if !self.in_real_folders(dir, path) {
            return None;
        }
        let meta = std::fs::symlink_metadata(dir.join(path)).ok()?;
        meta.is_file().then_some(Content::File {
            len: meta.len(),
            blob: None,
            convert: self.origin.converts,
        })
    }

    /// Whether every folder on `path` below `dir` is a real folder, not a symlink.
    fn in_real_folders(&self, dir: &Path, path: &str) -> bool {
        let mut folder = crate::paths::folder_of(path);
        let mut unknown = Vec::new();
        {
            let known = self
                .real_folders
                .lock()
                .unwrap_or_else(PoisonError::into_inner);
            while !folder.is_empty() {
                match known.get(folder) {
                    Some(false) => return false,
                    Some(true) => break,
                    None => unknown.push(folder),
                }
                folder = crate::paths::folder_of(folder);
            }
        }
        let mut real = true;
        let mut answers = Vec::new();
        // From the top down, so a symlink is found before what lies beyond it.
        for folder in unknown.into_iter().rev() {
            real = real
                && std::fs::symlink_metadata(dir.join(folder))
                    .map_or(true, |meta| !meta.file_type().is_symlink());
            answers.push((folder.to_owned(), real));
        }
        let mut known = self
            .real_folders
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        known.extend(answers);
        real
    }

    /// How many files this snapshot has read so far (documents and pages alike).
    pub(crate) fn reads(&self) -> usize {
        self.blob_reads.load(Ordering::Relaxed)
    }

    /// A reader for the calling thread.
    pub(crate) fn reader(&self) -> Result<Reader<'_>, Error> {
        let repo = match &self.origin.git_dir {
            Some(git_dir) => Some(
                Repository::open_ext(
                    git_dir,
                    RepositoryOpenFlags::FROM_ENV | RepositoryOpenFlags::NO_SEARCH,
                    [] as [&Path; 0],
                )
                .map_err(|e| Error::git("opening the repository", e))?,
            ),
            None => None,
        };
        Ok(Reader {
            snapshot: self,
            repo,
            folders: FolderReads::default(),
        })
    }
}

/// Readers lent to the pieces of a parallel loop and taken back when a piece ends, so
/// a repository is opened about once per thread however finely the loop is split.
pub(crate) struct ReaderPool<'s> {
    snapshot: &'s Snapshot,
    idle: Mutex<Vec<Reader<'s>>>,
}

/// A reader on loan from a [`ReaderPool`], returned to it when dropped.
pub(crate) struct PooledReader<'p, 's> {
    pool: &'p ReaderPool<'s>,
    reader: Option<Reader<'s>>,
}

impl<'s> ReaderPool<'s> {
    /// An empty pool of `snapshot`'s readers.
    pub(crate) fn new(snapshot: &'s Snapshot) -> Self {
        ReaderPool {
            snapshot,
            idle: Mutex::default(),
        }
    }

    /// An idle reader, or a new one when every reader is out.
    pub(crate) fn take(&self) -> Result<PooledReader<'_, 's>, Error> {
        let idle = self
            .idle
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .pop();
        let reader = match idle {
            Some(reader) => reader,
            None => self.snapshot.reader()?,
        };
        Ok(PooledReader {
            pool: self,
            reader: Some(reader),
        })
    }
}

impl<'s> std::ops::Deref for PooledReader<'_, 's> {
    type Target = Reader<'s>;

    fn deref(&self) -> &Reader<'s> {
        self.reader
            .as_ref()
            .expect("a pooled reader is held until dropped")
    }
}

impl Drop for PooledReader<'_, '_> {
    fn drop(&mut self) {
        if let Some(reader) = self.reader.take() {
            let mut idle = self
                .pool
                .idle
                .lock()
                .unwrap_or_else(PoisonError::into_inner);
            idle.push(reader);
        }
    }
}

impl<'s> Reader<'s> {
    /// The snapshot this reader reads from.
    pub(crate) fn snapshot(&self) -> &'s Snapshot {
        self.snapshot
    }

    /// The size of a listed file as git stores it, and its bytes unless that size is over
    /// `limit` (then empty). A file git's filters convert is read (streamed) since only its
    /// converted bytes tell its size; any other is not read when it is over `limit`.
    pub(crate) fn read_up_to(
        &self,
        path: &str,
        content: Content,
        limit: u64,
    ) -> Result<(u64, Vec<u8>), Error> {
        let size = match (content, &self.repo) {
            (Content::File { convert: true, .. }, Some(repo)) => {
                let Some(dir) = &self.snapshot.origin.workdir else {
                    return Err(Error::Bug(format!("{path}: no working tree")));
                };
                self.snapshot.blob_reads.fetch_add(1, Ordering::Relaxed);
                return super::filters::to_git_up_to(repo, path, &dir.join(path), limit);
            }
            (Content::File { len, .. }, _) => len,
            (Content::Blob(oid), Some(repo)) => {
                let odb = repo.odb().map_err(|e| Error::git(path, e))?;
                let (size, _) = odb.read_header(oid).map_err(|e| Error::git(path, e))?;
                size as u64
            }
            (Content::Blob(_), None) => {
                return Err(Error::Bug(format!("{path}: no object database")))
            }
        };
        if size > limit {
            return Ok((size, Vec::new()));
        }
        Ok((size, self.read(path, content)?))
    }

    /// Hands `sink` the bytes of a listed file a chunk at a time, as [`Reader::read`]
    /// gives them whole: a scan of a large working-tree file holds a chunk of it.
    pub(crate) fn read_each(
        &self,
        path: &str,
        content: Content,
        sink: &mut dyn FnMut(&[u8]),
    ) -> Result<(), Error> {
        match (content, &self.snapshot.origin.workdir) {
            (Content::File { convert, .. }, Some(dir)) => {
                self.snapshot.blob_reads.fetch_add(1, Ordering::Relaxed);
                let repo = self.repo.as_ref().filter(|_| convert);
                super::filters::to_git_each(repo, path, &dir.join(path), sink)
            }
            _ => {
                sink(&self.read(path, content)?);
                Ok(())
            }
        }
    }

    /// The bytes of a listed file.
    pub(crate) fn read(&self, path: &str, content: Content) -> Result<Vec<u8>, Error> {
        self.snapshot.blob_reads.fetch_add(1, Ordering::Relaxed);
        match (content, &self.repo, &self.snapshot.origin) {
            (
                Content::File { convert, len, .. },
                repo,
                Origin {
                    workdir: Some(dir), ..
                },
            ) => {
                let bytes = (self.folders.read(dir, path, len)).map_err(|e| Error::io(path, e))?;
                match repo {
                    Some(repo) if convert => super::filters::to_git(repo, path, bytes),
                    _ => Ok(bytes),
                }
            }
            (Content::Blob(oid), Some(repo), _) => {
                let blob = repo.find_blob(oid).map_err(|e| Error::git(path, e))?;
                Ok(blob.content().to_vec())
            }
            _ => Err(Error::Bug(format!(
                "{path}: cannot be read from this source"
            ))),
        }
    }
}
