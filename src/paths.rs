//! Repo-relative, `/`-separated path arithmetic (docs/format.md, "Terms"): names, folders, depth.

/// The last component of `path`.
pub(crate) fn name_of(path: &str) -> &str {
    // memrchr, not `rsplit_once`: names are asked of every path several times a run.
    memchr::memrchr(b'/', path.as_bytes()).map_or(path, |at| &path[at + 1..])
}

/// The parent folder of `path`, `""` at the repo root.
pub(crate) fn folder_of(path: &str) -> &str {
    memchr::memrchr(b'/', path.as_bytes()).map_or("", |at| &path[..at])
}

/// Number of components of a path, 0 for `""` (docs/format.md, "Terms").
pub(crate) fn depth(path: &str) -> usize {
    if path.is_empty() {
        0
    } else {
        path.split('/').count()
    }
}

/// The extension of a file name with its dot, if it has one (docs/format.md, "Which files are documents"): the text from
/// the last `.` when that `.` is neither the first nor the last character.
pub(crate) fn extension(name: &str) -> Option<&str> {
    let dot = memchr::memrchr(b'.', name.as_bytes())?;
    (dot != 0 && dot + 1 != name.len()).then(|| &name[dot..])
}

/// `path` joined under `folder` (`folder` may be `""`).
pub(crate) fn join(folder: &str, rest: &str) -> String {
    if folder.is_empty() {
        rest.to_owned()
    } else {
        let mut path = String::with_capacity(folder.len() + 1 + rest.len());
        path.push_str(folder);
        path.push('/');
        path.push_str(rest);
        path
    }
}

/// Every ancestor folder of `folder`, from `folder` itself up to the repo root `""`.
pub(crate) fn ancestors(folder: &str) -> impl Iterator<Item = &str> {
    let mut next = Some(folder);
    std::iter::from_fn(move || {
        let current = next?;
        next = (!current.is_empty()).then(|| folder_of(current));
        Some(current)
    })
}

/// Whether `path` is `folder` or lies under it.
pub(crate) fn is_within(path: &str, folder: &str) -> bool {
    path.strip_prefix(folder)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
}
