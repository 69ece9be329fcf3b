//! Working-tree files read relative to their open folder. Pages are read in path
//! order, so one reader meets the files of a folder one after another: the folder is
//! opened once for them, and each file's name is one lookup, where a path from the
//! top walks every folder above it again (a fifth of the kernel's time in a check
//! that reads every page).
//!
//! With the content kinds on, one document's pages take a reader to three folders in
//! turn (the document's, its pages' under the root, and its documentation page's
//! keyword page one level deeper), so a reader keeps the last few folders open.

use std::io;
use std::path::Path;

/// How many folders a reader keeps open.
#[cfg(target_os = "linux")]
const KEPT: usize = 4;

/// The last folders a reader opened, kept for the files after them.
#[derive(Default)]
pub(super) struct FolderReads {
    /// Oldest first.
    #[cfg(target_os = "linux")]
    open: std::cell::RefCell<Vec<(String, rustix::fd::OwnedFd)>>,
}

impl FolderReads {
    /// The bytes of the file at `path` under `dir`, listed with `len` bytes (a size
    /// hint only: the file is read to its end, whatever its length now).
    #[cfg(target_os = "linux")]
    pub(super) fn read(&self, dir: &Path, path: &str, len: u64) -> io::Result<Vec<u8>> {
        use rustix::fs::{Mode, OFlags};
        let (folder, name) = path.rsplit_once('/').unwrap_or(("", path));
        let mut open = self.open.borrow_mut();
        let at = match open.iter().position(|(opened, _)| opened == folder) {
            Some(at) => at,
            None => {
                let flags = OFlags::PATH | OFlags::DIRECTORY | OFlags::CLOEXEC;
                let fd = rustix::fs::open(dir.join(folder), flags, Mode::empty())?;
                if open.len() == KEPT {
                    open.remove(0);
                }
                open.push((folder.to_owned(), fd));
                open.len() - 1
            }
        };
        let folder_fd = &open[at].1;
        let file = rustix::fs::openat(
            folder_fd,
            name,
            OFlags::RDONLY | OFlags::CLOEXEC,
            Mode::empty(),
        )?;
        // One byte more than listed, so the read that finds the end needs no regrowing;
        // no size is asked of the file (`std::fs::read` asks with `statx`).
        let mut bytes = Vec::with_capacity(usize::try_from(len).unwrap_or(0).saturating_add(1));
        loop {
            if bytes.len() == bytes.capacity() {
                bytes.reserve(bytes.capacity().max(8192));
            }
            match rustix::io::read(&file, rustix::buffer::spare_capacity(&mut bytes)) {
                Ok(0) => return Ok(bytes),
                Ok(_) | Err(rustix::io::Errno::INTR) => {}
                Err(err) => return Err(err.into()),
            }
        }
    }

    /// The bytes of the file at `path` under `dir`.
    #[cfg(not(target_os = "linux"))]
    pub(super) fn read(&self, dir: &Path, path: &str, _len: u64) -> io::Result<Vec<u8>> {
        std::fs::read(dir.join(path))
    }
}
