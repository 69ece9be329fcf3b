//! `docdex install-hook`: writes the scripts of `hooks/` into the directory git runs
//! hooks from, without ever replacing a hook docdex did not write (unless forced).

use std::path::{Path, PathBuf};

use crate::error::Error;
use crate::source::Repo;

/// The pre-commit hook script (`hooks/pre-commit`).
pub(crate) const PRE_COMMIT: &str = include_str!("../hooks/pre-commit");
/// The pre-push hook script (`hooks/pre-push`).
pub(crate) const PRE_PUSH: &str = include_str!("../hooks/pre-push");
/// The line that marks a hook as written by docdex (perhaps edited since).
const MARKER: &str = "# docdex-managed hook";
/// Every script docdex has ever shipped for a hook, byte for byte: only these are
/// replaced without `--force`. A docdex hook the user edited (to `--fix --stage`, say)
/// is theirs.
fn shipped(name: &str) -> &'static [&'static str] {
    match name {
        "pre-commit" => &[PRE_COMMIT, include_str!("../hooks/previous/pre-commit.v1")],
        _ => &[PRE_PUSH],
    }
}

/// What `install-hook` did.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Installed {
    /// The hook was written (new, or replacing an older docdex hook or, forced, another).
    Written(PathBuf),
    /// The same hook was already there.
    Unchanged(PathBuf),
}

/// Installs the pre-commit (or pre-push) hook.
pub(crate) fn install(repo: &Repo, pre_push: bool, force: bool) -> Result<Installed, Error> {
    let (name, script) = if pre_push {
        ("pre-push", PRE_PUSH)
    } else {
        ("pre-commit", PRE_COMMIT)
    };
    let dir = repo.hooks_dir()?;
    let path = dir.join(name);
    let shown = path.display().to_string();
    // A symlink (a hook manager's, or one whose target is gone) is someone's setup.
    let symlink = std::fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_symlink());
    match std::fs::read_to_string(&path) {
        Ok(existing) if existing == script => return Ok(Installed::Unchanged(path)),
        _ if symlink && !force => {
            return Err(Error::HookKept {
                path: shown,
                why: "is a symlink, perhaps a hook manager's: it is kept",
            });
        }
        Ok(existing) if shipped(name).contains(&existing.as_str()) || force => {}
        Ok(existing) if existing.contains(MARKER) => {
            return Err(Error::HookKept {
                path: shown,
                why: "is a docdex hook you have edited: it is kept",
            });
        }
        Ok(_) => {
            return Err(Error::HookKept {
                path: shown,
                why: "exists and was not written by docdex: it is kept (add `docdex check --staged` to it yourself)",
            });
        }
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => {}
        Err(err) if err.kind() == std::io::ErrorKind::InvalidData && force => {}
        Err(err) => return Err(Error::io(shown, err)),
    }
    std::fs::create_dir_all(&dir).map_err(|e| Error::io(dir.display().to_string(), e))?;
    write_executable(&path, script).map_err(|e| Error::io(shown, e))?;
    Ok(Installed::Written(path))
}

fn write_executable(path: &Path, script: &str) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let mut temp = tempfile::Builder::new()
        .prefix(".docdex-")
        .tempfile_in(dir)?;
    std::io::Write::write_all(&mut temp, script.as_bytes())?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(temp.path(), std::fs::Permissions::from_mode(0o755))?;
    }
    temp.persist(path).map_err(|e| e.error)?;
    Ok(())
}
