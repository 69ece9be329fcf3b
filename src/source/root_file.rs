//! A file at the repository root (`docdex.toml`), read from the source a mode reads. A
//! symlink is followed while it stays inside the repository, in that same source; one
//! that leaves it, dangles or loops is an error, never a silent fall-back to defaults.

use std::path::Path;

use super::{is_regular, Repo};
use crate::error::{ConfigProblem, Error};
use crate::mode::Mode;
use crate::paths::folder_of;

/// How many symlinks a path may lead through, as the kernel allows.
const MAX_SYMLINKS: usize = 40;

/// git's mode of a symlink.
const SYMLINK_MODE: i32 = 0o120000;

/// What a source holds at one path.
enum Entry {
    Missing,
    File(Vec<u8>),
    /// A symlink, with its target as written.
    Link(Vec<u8>),
    /// A folder, a submodule or anything else that is not read.
    Other,
}

impl Repo {
    /// The bytes of the file `name` at the repository root in the source of `mode`,
    /// through symlinks that stay inside the repository; `None` when there is none.
    pub fn root_file(&self, mode: &Mode, name: &str) -> Result<Option<Vec<u8>>, Error> {
        let refuse = |why: String| Error::Config {
            file: name.to_owned(),
            message: why,
            problem: ConfigProblem::Link,
        };
        let mut path = name.to_owned();
        for _ in 0..MAX_SYMLINKS {
            match self.entry(mode, &path)? {
                Entry::Missing if path == name => return Ok(None),
                Entry::Missing => {
                    return Err(refuse(format!(
                        "a symlink to `{path}`, which {} does not hold",
                        source_name(mode)
                    )))
                }
                Entry::File(bytes) => return Ok(Some(bytes)),
                Entry::Other => {
                    return Err(refuse(format!(
                        "`{path}` is not a regular file in {}",
                        source_name(mode)
                    )))
                }
                Entry::Link(target) => {
                    let target = String::from_utf8_lossy(&target).into_owned();
                    path = inside(&path, &target).ok_or_else(|| {
                        refuse(format!("a symlink to `{target}`, outside the repository"))
                    })?;
                }
            }
        }
        Err(refuse("too many levels of symbolic links".to_owned()))
    }

    fn entry(&self, mode: &Mode, path: &str) -> Result<Entry, Error> {
        let blob = match mode {
            Mode::WorkTree => return self.worktree_entry(path),
            Mode::Staged => self.staged_index()?.file_or_link(path),
            Mode::Base { head: rev, .. } | Mode::Rev(rev) => {
                let tree = self
                    .repo
                    .find_tree(self.tree_of(self.commit(rev)?)?)
                    .map_err(|e| Error::git("reading a commit tree", e))?;
                match tree.get_path(Path::new(path)) {
                    Err(_) => None,
                    Ok(entry) if entry.filemode() == SYMLINK_MODE => Some((entry.id(), true)),
                    Ok(entry) if is_regular(entry.filemode()) => Some((entry.id(), false)),
                    Ok(_) => return Ok(Entry::Other),
                }
            }
        };
        let Some((id, link)) = blob else {
            return Ok(Entry::Missing);
        };
        let bytes = self
            .repo
            .find_blob(id)
            .map_err(|e| Error::git(path, e))?
            .content()
            .to_vec();
        Ok(if link {
            Entry::Link(bytes)
        } else {
            Entry::File(bytes)
        })
    }

    fn worktree_entry(&self, path: &str) -> Result<Entry, Error> {
        let full = self.workdir("check")?.join(path);
        match std::fs::symlink_metadata(&full) {
            Ok(meta) if meta.is_file() => std::fs::read(&full)
                .map(Entry::File)
                .map_err(|e| Error::io(path, e)),
            Ok(meta) if meta.file_type().is_symlink() => {
                let target = std::fs::read_link(&full).map_err(|e| Error::io(path, e))?;
                Ok(Entry::Link(target.as_os_str().as_encoded_bytes().to_vec()))
            }
            Ok(_) => Ok(Entry::Other),
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(Entry::Missing),
            Err(err) => Err(Error::io(path, err)),
        }
    }
}

/// What the source of `mode` is called in an error.
fn source_name(mode: &Mode) -> &'static str {
    match mode {
        Mode::WorkTree => "the working tree",
        Mode::Staged => "the index",
        Mode::Base { .. } | Mode::Rev(_) => "the commit",
    }
}

/// Where the symlink at repo-relative `link` points, when that stays inside the
/// repository (and out of `.git`).
fn inside(link: &str, target: &str) -> Option<String> {
    if target.starts_with('/') {
        return None;
    }
    let mut parts: Vec<&str> = folder_of(link)
        .split('/')
        .filter(|p| !p.is_empty())
        .collect();
    for part in target.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            part => parts.push(part),
        }
    }
    let path = parts.join("/");
    (!path.is_empty() && parts[0] != ".git").then_some(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn symlinks_resolve_inside_the_repository_only() {
        assert_eq!(
            inside("docdex.toml", "config/docdex.toml").as_deref(),
            Some("config/docdex.toml")
        );
        assert_eq!(
            inside("docdex.toml", "./a/../b.toml").as_deref(),
            Some("b.toml")
        );
        assert_eq!(inside("a/x.toml", "../b.toml").as_deref(), Some("b.toml"));
        assert_eq!(inside("docdex.toml", "../outside.toml"), None);
        assert_eq!(inside("docdex.toml", "/etc/docdex.toml"), None);
        assert_eq!(inside("docdex.toml", ".git/config"), None);
        assert_eq!(inside("docdex.toml", "."), None);
    }
}
