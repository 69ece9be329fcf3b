//! Which files are documents, which are pages, and which folders exist (SPEC §1–2).
//!
//! Everything here works on repo-relative `/`-separated paths and never on contents,
//! so the incremental modes can decide scope from tree listings alone.

use crate::config::Config;
use crate::pages::{KindId, KindSet, PageSubject, Parsed, KINDS};
pub(crate) use crate::paths::{extension, folder_of, name_of};

mod mime;

/// Directory names that are never descended into (SPEC §2.1).
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

/// Dot-directories that are kept although they start with `.` (SPEC §2.1).
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

/// Extensions that make a file a document (SPEC §2.2).
const DOCUMENT_EXTENSIONS: &[&str] = &[
    ".py", ".pyx", ".pxd", ".pyi", ".c", ".cpp", ".cc", ".cxx", ".h", ".hpp", ".hh", ".hxx", ".cu",
    ".cuh", ".js", ".jsx", ".ts", ".tsx", ".mjs", ".yaml", ".yml", ".json", ".toml", ".ini",
    ".cfg", ".conf", ".cmake", ".bazel", ".bzl", ".md", ".rst", ".txt", ".sh", ".bash", ".zsh",
    ".fish", ".proto", ".thrift", ".sql", ".graphql",
];

/// Extension-less names that make a file a document (SPEC §2.2).
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

/// Whether a file called `name` is a document by its name alone (SPEC §2.2): a
/// documented extension, a documented extension-less name, or the old generator's
/// MIME test.
fn has_document_name(name: &str) -> bool {
    let listed = match extension(name) {
        Some(ext) => DOCUMENT_EXTENSIONS.contains(&ext),
        None => DOCUMENT_NAMES.contains(&name),
    };
    listed || mime::is_text(name)
}

/// Whether the file name is a reserved page name (SPEC §2.3), wherever it lives.
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

    /// Whether the file at `path` is a document (SPEC §2). Symlinks and gitlinks are
    /// filtered out by the source before this is asked.
    pub(crate) fn is_document(&self, path: &str) -> bool {
        let name = name_of(path);
        let folder = folder_of(path);
        if !folder.is_empty() && folder.split('/').any(dir_is_skipped) {
            return false;
        }
        if !has_document_name(name) {
            return false;
        }
        if self.under_root(path).is_some() && is_page_name(name) {
            return false;
        }
        if let Some(include) = &self.include {
            if !include.is_match(path) {
                return false;
            }
        }
        !self.is_excluded(path)
    }

    /// What the file at `path` is as a page, or `None` when it is no page docdex owns:
    /// not under the index root, not a reserved name, excluded, the landing page
    /// `root/index.md`, or of a page kind that is switched off.
    pub(crate) fn page_role(&self, path: &str) -> Option<PageRole> {
        let rel = self.under_root(path)?;
        let name = name_of(rel);
        let kind = KindId::all().find(|id| id.kind().reserves(name))?;
        if self.is_excluded(path) {
            return None;
        }
        match kind.kind().parse(rel, &self.root)? {
            Parsed::Stray => Some(PageRole::Stray),
            Parsed::Page(key) => self
                .pages
                .contains(kind)
                .then_some(PageRole::Page(PageSubject { kind, key })),
        }
    }

    /// The path of `subject`'s page when docdex owns it: its kind is switched on and
    /// the path is not excluded.
    pub(crate) fn owned_page_path(&self, subject: &PageSubject) -> Option<String> {
        let path = self.page_path(subject);
        matches!(self.page_role(&path), Some(PageRole::Page(_))).then_some(path)
    }

    /// The index root.
    pub(crate) fn root(&self) -> &str {
        &self.root
    }

    /// The page kinds switched on.
    pub(crate) fn kinds(&self) -> KindSet {
        self.pages
    }

    /// Whether `path` is a page of a content kind that is on (SPEC-content §5.7): a
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
        format!("{}/{}", self.root, subject.rules().page_path(&subject.key))
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
