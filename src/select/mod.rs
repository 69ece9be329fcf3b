//! Which files are documents, which are pages, and which folders exist (docs/format.md, "Terms" and "Which files are documents").
//!
//! Everything here works on repo-relative `/`-separated paths and never on contents,
//! so the incremental modes can decide scope from tree listings alone.

use crate::config::Config;
use crate::pages::{KindId, KindSet, PageSubject, Parsed, KINDS};
pub(crate) use crate::paths::{extension, folder_of, name_of};
use crate::paths::{is_within, join};

mod mime;

/// Directory names that are never descended into (docs/format.md, "Which files are documents").
const SKIPPED_DIRS: &[&str] = &[
    ".git",
    "__pycache__",
    "node_modules",
    ".pytest_cache",
    ".mypy_cache",
    "build",
    "dist",
    ".eggs",
    ".tox",
    ".nox",
    "venv",
    "env",
    ".venv",
    ".env",
];

/// Dot-directories that are kept although they start with `.` (docs/format.md, "Which files are documents").
const KEPT_DOT_DIRS: &[&str] = &[
    ".github",
    ".ci",
    ".circleci",
    ".devcontainer",
    ".vscode",
    ".spin",
    ".claude",
    ".ctags.d",
];

/// Extensions that make a file a document (docs/format.md, "Which files are documents").
const DOCUMENT_EXTENSIONS: &[&str] = &[
    ".py", ".pyx", ".pxd", ".pyi", ".c", ".cpp", ".cc", ".cxx", ".h", ".hpp", ".hh", ".hxx", ".cu",
    ".cuh", ".js", ".jsx", ".ts", ".tsx", ".mjs", ".yaml", ".yml", ".json", ".toml", ".ini",
    ".cfg", ".conf", ".cmake", ".bazel", ".bzl", ".md", ".rst", ".txt", ".sh", ".bash", ".zsh",
    ".fish", ".proto", ".thrift", ".sql", ".graphql",
];

/// Extension-less names that make a file a document (docs/format.md, "Which files are documents").
const DOCUMENT_NAMES: &[&str] = &[
    "Makefile",
    "Dockerfile",
    "Jenkinsfile",
    "README",
    "LICENSE",
    "CONTRIBUTING",
];

fn dir_is_skipped(dir: &str) -> bool {
    SKIPPED_DIRS.contains(&dir) || (dir.starts_with('.') && !KEPT_DOT_DIRS.contains(&dir))
}

/// The first skipped folder on `path`, if any (format.md, "Which files are documents").
fn skipped_folder(path: &str) -> Option<&str> {
    folder_of(path).split('/').find(|dir| dir_is_skipped(dir))
}

/// Whether a file called `name` is a document by its name alone (format.md, "Which
/// files are documents"): a
/// documented extension, a documented extension-less name, or the old generator's
/// MIME test.
fn has_document_name(name: &str) -> bool {
    let listed = match extension(name) {
        Some(ext) => DOCUMENT_EXTENSIONS.contains(&ext),
        None => DOCUMENT_NAMES.contains(&name),
    };
    listed || mime::is_text(name)
}

/// Whether the file name is a reserved page name (docs/format.md, "Which files are documents"), wherever it lives.
fn is_page_name(name: &str) -> bool {
    KINDS
        .iter()
        .any(|kind| !kind.pages_are_documents() && kind.reserves(name))
}

/// What a page-named file under the index root is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PageRole {
    /// It would be generated for this subject, if the subject exists.
    Page(PageSubject),
    /// A reserved name that nothing can generate (e.g. `root/a/keywords.md`): always orphaned.
    Stray,
    /// A file under the index root that is a document only while a person wrote it:
    /// generated, it is a page of a generated page (`root/root/a.py_kw.md_docs.md`, the
    /// old generator's second pass), which nothing generates (format.md, "Pages of
    /// pages").
    PageOfPage,
}

impl PageRole {
    /// The `##` sections whose items are rows on pages of this role (see
    /// `PageKind::listed_sections`); none for a name nothing generates.
    pub(crate) fn listed_sections(&self) -> &'static [&'static str] {
        match self {
            PageRole::Page(subject) => subject.rules().listed_sections(),
            PageRole::Stray | PageRole::PageOfPage => &[],
        }
    }
}

/// [`PageRole`] with the key borrowed from the page's path.
enum Role<'p> {
    Page(KindId, &'p str),
    Stray,
    PageOfPage,
}

/// Why a file of the source is not a document, for orphaned pages' reasons.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NotDocument {
    /// A folder on its path is skipped (`build`, `node_modules`, dot-folders).
    SkippedFolder(String),
    /// Its name is not one the format documents.
    Undocumented,
    /// It is a page: a reserved page name under the index root.
    Page,
    /// `include` does not select it.
    NotIncluded,
    /// `exclude` excludes it.
    Excluded,
}

/// Path rules derived from the configuration: document selection and page naming.
#[derive(Clone, Debug)]
pub(crate) struct Selector {
    root: String,
    include: Option<globset::GlobSet>,
    exclude: Option<globset::GlobSet>,
    pages: KindSet,
}

impl Selector {
    /// Builds the rules of one configuration.
    pub(crate) fn new(config: &Config) -> Self {
        Selector {
            root: config.root.clone(),
            include: config.include.clone(),
            exclude: config.exclude.clone(),
            pages: config.pages,
        }
    }

    fn is_excluded(&self, path: &str) -> bool {
        self.exclude.as_ref().is_some_and(|set| set.is_match(path))
    }

    fn under_root<'p>(&self, path: &'p str) -> Option<&'p str> {
        path.strip_prefix(self.root.as_str())?.strip_prefix('/')
    }

    /// Whether the file at `path` is a document (format.md), as far as its path tells: a
    /// file that is a [`PageRole::PageOfPage`] candidate is one only while it is not
    /// generated, which its content tells. Symlinks and gitlinks are filtered out by
    /// the source before this is asked.
    pub(crate) fn is_document(&self, path: &str) -> bool {
        self.why_not_document(path).is_none()
    }

    /// The first rule that keeps the file at `path` from being a document, or `None`
    /// when its path makes it one.
    pub(crate) fn why_not_document(&self, path: &str) -> Option<NotDocument> {
        let name = name_of(path);
        if let Some(dir) = skipped_folder(path) {
            return Some(NotDocument::SkippedFolder(dir.to_owned()));
        }
        if !has_document_name(name) {
            return Some(NotDocument::Undocumented);
        }
        if self.under_root(path).is_some() && is_page_name(name) {
            return Some(NotDocument::Page);
        }
        if let Some(include) = &self.include {
            if !include.is_match(path) {
                return Some(NotDocument::NotIncluded);
            }
        }
        self.is_excluded(path).then_some(NotDocument::Excluded)
    }

    /// What the file at `path` is as a page, or `None` when it is no page docdex owns:
    /// not under the index root, not a reserved name, excluded, the landing page
    /// `root/index.md`, or of a page kind that is switched off.
    pub(crate) fn page_role(&self, path: &str) -> Option<PageRole> {
        Some(match self.role(path)? {
            Role::Page(kind, key) => PageRole::Page(PageSubject {
                kind,
                key: key.to_owned(),
            }),
            Role::Stray => PageRole::Stray,
            Role::PageOfPage => PageRole::PageOfPage,
        })
    }

    /// The kind and key of the page at `path` when it is a page (`PageRole::Page`), with
    /// the key borrowed from `path`: what planning asks of every page, without allocating.
    pub(crate) fn page_of<'p>(&self, path: &'p str) -> Option<(KindId, &'p str)> {
        match self.role(path)? {
            Role::Page(kind, key) => Some((kind, key)),
            Role::Stray | Role::PageOfPage => None,
        }
    }

    /// [`Selector::page_role`], with the key borrowed from `path`.
    fn role<'p>(&self, path: &'p str) -> Option<Role<'p>> {
        let rel = self.under_root(path)?;
        let name = name_of(rel);
        if self.is_excluded(path) {
            return None;
        }
        if let Some(kind) = KindId::all().find(|id| id.kind().reserves(name)) {
            match kind.kind().parse(rel, &self.root) {
                Some(Parsed::Stray) => return Some(Role::Stray),
                Some(Parsed::Page(key)) if self.pages.contains(kind) => {
                    return Some(Role::Page(kind, key));
                }
                // A content kind's names stay documents' names where it has no page.
                _ if kind.kind().pages_are_documents() => {}
                _ => return None,
            }
        }
        self.may_be_page_of_page(path).then_some(Role::PageOfPage)
    }

    /// Whether a generated file at `path` would be a page of a generated page: under the
    /// index root, named like a document, in no skipped folder, and not a first-level
    /// documentation page (`root/P_docs.md`, `root/F/doc.md` for P, F outside the root),
    /// which stays a document generated or not.
    fn may_be_page_of_page(&self, path: &str) -> bool {
        let Some(rel) = self.under_root(path) else {
            return false;
        };
        let name = name_of(rel);
        if !has_document_name(name) || skipped_folder(path).is_some() {
            return false;
        }
        let documented = if let Some(doc) = rel.strip_suffix("_docs.md") {
            Some(doc).filter(|doc| !name_of(doc).is_empty())
        } else if name == "doc.md" {
            Some(folder_of(rel))
        } else {
            None
        };
        documented.is_none_or(|subject| is_within(subject, &self.root))
    }

    /// The path of `subject`'s page when docdex owns it: its kind is switched on and
    /// the path is not excluded.
    pub(crate) fn owned_page_path(&self, subject: &PageSubject) -> Option<String> {
        let path = self.page_path(subject);
        matches!(self.role(&path), Some(Role::Page(..))).then_some(path)
    }

    /// Whether `include` selects `path`: `None` when there is no `include`.
    pub(crate) fn includes(&self, path: &str) -> Option<bool> {
        self.include.as_ref().map(|set| set.is_match(path))
    }

    /// The index root.
    pub(crate) fn root(&self) -> &str {
        &self.root
    }

    /// The page kinds switched on.
    pub(crate) fn kinds(&self) -> KindSet {
        self.pages
    }

    /// Whether `path` is a page of a content kind that is on (docs/format.md, "The content pages"): a
    /// page, expected or orphaned, never a document of the source.
    pub(crate) fn is_content_page(&self, path: &str) -> bool {
        matches!(self.page_role(path), Some(PageRole::Page(s)) if s.rules().pages_are_documents())
    }

    /// Where the pages of repo folder `folder` live: `root/folder`.
    pub(crate) fn mirror_of(&self, folder: &str) -> String {
        format!("{}/{folder}", self.root)
    }

    /// The path of the page generated for `subject`.
    pub(crate) fn page_path(&self, subject: &PageSubject) -> String {
        join(&self.root, &subject.rules().page_path(&subject.key))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::paths::{ancestors, depth};

    fn selector() -> Selector {
        Selector::new(&Config::default())
    }

    #[test]
    fn extension_rule() {
        assert_eq!(extension("a.py"), Some(".py"));
        assert_eq!(extension("a.tar.gz"), Some(".gz"));
        assert_eq!(extension(".bashrc"), None);
        assert_eq!(extension("a."), None);
        assert_eq!(extension("Makefile"), None);
    }

    #[test]
    fn documents() {
        let s = selector();
        assert!(s.is_document("torch/x.py"));
        assert!(s.is_document("Makefile"));
        assert!(s.is_document(".github/workflows/ci.yml"));
        assert!(!s.is_document(".hidden/x.py"));
        assert!(!s.is_document("a/build/x.py"));
        assert!(!s.is_document("x.rs"));
        assert!(s.is_document("data/x.csv"));
        assert!(s.is_document("src/A.java"));
        assert!(s.is_document("X.PY"));
        assert!(!s.is_document("X.YAML"));
        assert!(!s.is_document("BUILD"));
        assert!(s.is_document("BUILD.bazel"));
        assert!(s.is_document("docs/a/x.py_docs.md"));
        assert!(!s.is_document("docs/a/x.py_kw.md"));
        assert!(!s.is_document("docs/a/index.md"));
        assert!(s.is_document("other/index.md"));
        assert!(s.is_document(".ci/a.sh"));
        assert!(!s.is_document("a/.cache/b.md"));
    }

    #[test]
    fn page_subjects() {
        let s = selector();
        let subject = |kind: &str, key: &str| PageSubject {
            kind: KindId::by_name(kind).unwrap(),
            key: key.to_owned(),
        };
        let page = |kind: &str, key: &str| Some(PageRole::Page(subject(kind, key)));
        assert_eq!(s.page_role("docs/index.md"), None);
        assert_eq!(s.page_role("docs/a/b/index.md"), page("folder", "a/b"));
        assert_eq!(s.page_role("docs/sub.md"), page("subtree", ""));
        assert_eq!(s.page_role("docs/keywords.md"), page("global", ""));
        assert_eq!(s.page_role("docs/a/keywords.md"), Some(PageRole::Stray));
        assert_eq!(s.page_role("docs/a/x.py_kw.md"), page("keyword", "a/x.py"));
        assert_eq!(s.page_role("other/x_kw.md"), None);
        for subject in [
            subject("keyword", "a/x.py"),
            subject("folder", "a/b"),
            subject("subtree", ""),
            subject("subtree", "a"),
            subject("global", ""),
        ] {
            let path = s.page_path(&subject);
            assert_eq!(s.page_role(&path), Some(PageRole::Page(subject)));
        }
    }

    #[test]
    fn ancestors_and_depth() {
        assert_eq!(ancestors("a/b").collect::<Vec<_>>(), vec!["a/b", "a", ""]);
        assert_eq!(depth(""), 0);
        assert_eq!(depth("a/b"), 2);
    }
}
