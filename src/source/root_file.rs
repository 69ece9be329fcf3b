//! What the source a mode reads holds at a few paths near the top: the configuration
//! file (`docdex.toml`), followed through symlinks while they stay inside the
//! repository (one that leaves it, dangles or loops is an error, never a silent
//! fall-back to defaults), and the folders of the index root, which must be plain
//! folders of this repository in every mode.

use std::path::Path;

use super::{is_regular, Repo};
use crate::error::{ConfigProblem, Error};
use crate::mode::Mode;
use crate::paths::{folder_of, join};

/// How many symlinks a path may lead through, as the kernel allows.
const MAX_SYMLINKS: usize = 40;

/// git's modes of a symlink and of a submodule.
const SYMLINK_MODE: i32 = 0o120000;
const GITLINK_MODE: i32 = 0o160000;

/// What a submodule is called in errors.
const SUBMODULE: &str = "a submodule";

/// What a source holds at one path.
enum Entry {
    Missing,
    File(Vec<u8>),
    /// A symlink, with its target as written.
    Link(Vec<u8>),
    /// Another repository: a submodule, or a folder holding a `.git` (a nested clone).
    Repository(&'static str),
    /// A folder, or anything else that is not read.
    Other,
}

impl Repo {
    /// The bytes of the file `name` at the repository root in the source of `mode`,
    /// through symlinks that stay inside the repository; `None` when there is none.
    pub(crate) fn root_file(&self, mode: &Mode, name: &str) -> Result<Option<Vec<u8>>, Error> {
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
                Entry::Other | Entry::Repository(_) => {
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

    /// Refuses an index root that is, or lies under, a symlink or another repository in
    /// the source of `mode` (or, for the working tree, on disk): its pages would be read
    /// from and written to somewhere else. Every mode gives the same answer.
    pub(crate) fn refuse_foreign_root(&self, mode: &Mode, root: &str) -> Result<(), Error> {
        let mut folder = String::new();
        for part in root.split('/') {
            folder = join(&folder, part);
            let what = match self.entry(mode, &folder)? {
                Entry::Link(_) => {
                    "a symlink (pages are read and written inside the work tree only)"
                }
                Entry::Repository(what) => what,
                _ => continue,
            };
            return Err(Error::OtherRepository { folder, what });
        }
        Ok(())
    }

    fn entry(&self, mode: &Mode, path: &str) -> Result<Entry, Error> {
        let blob = match mode {
            Mode::WorkTree => return self.worktree_entry(path),
            Mode::Staged if self.staged_index()?.is_gitlink(path) => {
                return Ok(Entry::Repository(SUBMODULE))
            }
            Mode::Staged => self.staged_index()?.file_or_link(path),
            Mode::Base { head: rev, .. } | Mode::Rev(rev) => {
                let tree = self
                    .repo
                    .find_tree(self.tree_of(self.commit(rev)?)?)
                    .map_err(|e| Error::git("reading a commit tree", e))?;
                match tree.get_path(Path::new(path)) {
                    Err(_) => None,
                    Ok(entry) if entry.filemode() == SYMLINK_MODE => Some((entry.id(), true)),
                    Ok(entry) if entry.filemode() == GITLINK_MODE => {
                        return Ok(Entry::Repository(SUBMODULE))
                    }
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
            Ok(meta) if meta.is_dir() && self.gitlinks()?.iter().any(|g| g == path) => {
                Ok(Entry::Repository(SUBMODULE))
            }
            Ok(meta) if meta.is_dir() && std::fs::symlink_metadata(full.join(".git")).is_ok() => {
                Ok(Entry::Repository("another git repository (a nested clone)"))
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
