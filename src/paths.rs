//! Repo-relative, `/`-separated path arithmetic (docs/format.md, "Terms"): names, folders, depth.

/// The last component of `path`.
pub(crate) fn name_of(path: &str) -> &str {
    path.rsplit_once('/').map_or(path, |(_, name)| name)
}

/// The parent folder of `path`, `""` at the repo root.
pub(crate) fn folder_of(path: &str) -> &str {
    path.rsplit_once('/').map_or("", |(folder, _)| folder)
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
    let dot = name.rfind('.')?;
    (dot != 0 && dot + 1 != name.len()).then(|| &name[dot..])
}

/// `path` joined under `folder` (`folder` may be `""`).
pub(crate) fn join(folder: &str, rest: &str) -> String {
    if folder.is_empty() {
        rest.to_owned()
    } else {
        format!("{folder}/{rest}")
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
