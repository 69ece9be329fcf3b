//! The interface every page kind implements, and the one list that registers them.
//!
//! A kind owns its page names, when a page is expected, what it depends on in the
//! incremental modes, how it renders and how reports describe it. Everything else
//! (selection, planning, comparing, reporting, fixing) goes through [`PageKind`].

use std::collections::BTreeSet;

use super::{folder::Folder, global::Global, keyword::Keyword, subtree::Subtree, Corpus};
use crate::error::Error;
use crate::source::Reader;

/// Every page kind, in report order. Adding a kind is adding its module and a line here
/// (and its name to the configuration's documented list).
pub(crate) static KINDS: [&dyn PageKind; 4] = [&Keyword, &Folder, &Subtree, &Global];

/// A page kind's place in [`KINDS`]: its report order and its bit in a [`KindSet`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct KindId(u8);

impl KindId {
    /// The registered kind.
    pub fn kind(self) -> &'static dyn PageKind {
        KINDS[usize::from(self.0)]
    }

    /// Its name in `docdex.toml` and in reports.
    pub fn name(self) -> &'static str {
        self.kind().name()
    }

    /// Its position in [`KINDS`].
    pub fn index(self) -> usize {
        usize::from(self.0)
    }

    /// The kind called `name`, if one is registered.
    pub fn by_name(name: &str) -> Option<KindId> {
        KindId::all().find(|id| id.name() == name)
    }

    /// Every registered kind, in report order.
    pub fn all() -> impl Iterator<Item = KindId> {
        (0..KINDS.len()).map(|i| KindId(i as u8))
    }

    /// The kind registered as `kind` (by its name, which is unique).
    pub fn of(kind: &dyn PageKind) -> KindId {
        KindId::by_name(kind.name()).expect("every kind is registered")
    }
}

/// A set of page kinds (`pages = [...]` in `docdex.toml`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct KindSet(u32);

impl KindSet {
    /// Every registered kind.
    pub fn all() -> KindSet {
        KindId::all().collect()
    }

    /// Whether `kind` is in the set.
    pub fn contains(self, kind: KindId) -> bool {
        self.0 & (1 << kind.0) != 0
    }
}

impl FromIterator<KindId> for KindSet {
    fn from_iter<I: IntoIterator<Item = KindId>>(ids: I) -> Self {
        KindSet(ids.into_iter().fold(0, |set, id| set | 1 << id.0))
    }
}

/// What one page is generated for: a kind, and its key within the kind (a document
/// path, a folder path, or `""` for the one page of a repository).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PageSubject {
    /// The page kind.
    pub kind: KindId,
    /// The document, folder or `""` the page is about.
    pub key: String,
}

impl PageSubject {
    /// The subject of `kind` for `key`.
    pub fn new(kind: &dyn PageKind, key: impl Into<String>) -> Self {
        PageSubject {
            kind: KindId::of(kind),
            key: key.into(),
        }
    }

    /// The kind's rules.
    pub fn rules(&self) -> &'static dyn PageKind {
        self.kind.kind()
    }
}

/// What a reserved file name under the index root means to the kind that reserves it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Parsed {
    /// The page of this key.
    Page(String),
    /// A reserved name this kind never generates at this place (`root/a/keywords.md`).
    Stray,
}

/// What rendering needs besides the subject: no configuration types, so kinds depend
/// only on names, documents and keywords.
pub struct RenderContext<'a> {
    /// The documents of the source.
    pub corpus: &'a Corpus,
    /// How many components the index root has (links climb out of it).
    pub root_depth: usize,
    /// How many distinct identifiers an identifier-kind keyword page keeps.
    pub max_identifiers: usize,
}

/// One document path that differs between two listings, for incremental plans.
pub struct DocumentChange<'a> {
    /// The path.
    pub path: &'a str,
    /// Whether it was a document before.
    pub was: bool,
    /// Whether it is a document now.
    pub is: bool,
    /// The documents before.
    pub old: &'a Corpus,
    /// The documents now.
    pub new: &'a Corpus,
}

impl DocumentChange<'_> {
    /// Whether a document appeared or vanished (not only its content changed).
    pub fn is_structural(&self) -> bool {
        self.was != self.is
    }
}

/// The rules of one page kind.
pub trait PageKind: Sync {
    /// Its name in `docdex.toml` and in reports.
    fn name(&self) -> &'static str;

    /// Whether a file called `name` under the index root belongs to this kind (such a
    /// file is never a document).
    fn reserves(&self, name: &str) -> bool;

    /// The subject of the page at `rel` (relative to the index root), whose file name
    /// this kind reserves.
    fn parse(&self, rel: &str) -> Option<Parsed>;

    /// Where the page of `key` lives, relative to the index root.
    fn page_path(&self, key: &str) -> String;

    /// Every key `corpus` generates a page for.
    fn keys(&self, corpus: &Corpus) -> Vec<String>;

    /// Whether `corpus` generates the page of `key`.
    fn generates(&self, corpus: &Corpus, key: &str) -> bool;

    /// Adds the keys whose pages depend on `change` (SPEC §6).
    fn affected_by(&self, change: &DocumentChange, keys: &mut BTreeSet<String>);

    /// The page of `key`, or `None` when nothing generates it.
    fn render(
        &self,
        context: &RenderContext,
        key: &str,
        reader: &Reader,
    ) -> Result<Option<String>, Error>;

    /// What the page belongs to, in words (`keyword page of a.py`). `renamed_to` is
    /// where an orphaned page's document moved, when it moved unchanged.
    fn describe(&self, key: &str, orphaned: bool, renamed_to: Option<&str>) -> String;

    /// The documents the rows labelled `labels` stand for.
    fn documents_of(&self, _key: &str, labels: Vec<String>) -> Vec<String> {
        labels
    }

    /// What one row of the page is called in reports.
    fn row_noun(&self) -> &'static str {
        "row"
    }

    /// Whether a row's label only identifies it together with its section.
    fn rows_need_section(&self) -> bool {
        false
    }
}
