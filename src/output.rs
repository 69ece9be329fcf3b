//! `--output FILE`: where a report goes when it does not go to standard output.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use crate::error::Error;
use crate::fix::write_whole;

/// How many symlinks a path may lead through, as the kernel allows.
const MAX_SYMLINKS: usize = 40;

/// Writes `bytes` to the file `path` names. A regular file (or nothing) there is
/// replaced whole, through a temporary file renamed into place, so a reader never sees
/// half a report; a symlink is followed to the file it names first. Anything else that
/// opens for writing (a FIFO, a terminal, `/dev/null`) is written through, never
/// replaced. Errors name `path` as given.
pub(crate) fn write_report(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    let shown = || path.display().to_string();
    let target = follow_symlinks(path).map_err(|e| Error::io(shown(), e))?;
    match fs::metadata(&target) {
        Ok(meta) if meta.is_dir() => Err(Error::io(
            shown(),
            io::Error::new(io::ErrorKind::IsADirectory, "is a directory"),
        )),
        Ok(meta) if !meta.is_file() => fs::OpenOptions::new()
            .write(true)
            .open(&target)
            .and_then(|mut file| file.write_all(bytes))
            .map_err(|e| Error::io(shown(), e)),
        _ => write_whole(&target, bytes).map_err(|err| match err {
            Error::Io { source, .. } => Error::io(shown(), source),
            other => other,
        }),
    }
}

/// The path `path` leads to through symlinks (itself when it is none, or is missing).
fn follow_symlinks(path: &Path) -> io::Result<PathBuf> {
    let mut path = path.to_path_buf();
    for _ in 0..MAX_SYMLINKS {
        match fs::symlink_metadata(&path) {
            Ok(meta) if meta.file_type().is_symlink() => {
                let target = fs::read_link(&path)?;
                // A relative target is relative to the link's folder.
                path = match path.parent() {
                    Some(folder) => folder.join(target),
                    None => target,
                };
            }
            _ => return Ok(path),
        }
    }
    Err(io::Error::other("too many levels of symbolic links"))
}
