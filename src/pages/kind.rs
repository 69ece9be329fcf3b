//! The interface every page kind implements ([`PageKind`]); `pages/mod.rs` registers
//! the kinds.
//!
//! A kind owns its page names, when a page is expected, what it depends on in the
//! incremental modes, how it renders and how reports describe it. Everything else
//! (selection, planning, comparing, reporting, fixing) goes through [`PageKind`].

use std::borrow::Cow;
use std::collections::BTreeSet;
use std::sync::OnceLock;

use super::Corpus;
use crate::error::Error;
use crate::extract::{may_be_cut, scan_text_cut, Scans, MAX_READ_BYTES};
use crate::paths::{ancestors, folder_of};

/// What a reserved file name under the index root means to the kind that reserves it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Parsed<'r> {
    /// The page of this key (part of the page's path).
    Page(&'r str),
    /// A reserved name this kind never generates at this place (`root/a/keywords.md`).
    Stray,
}

/// Where rendering reads a document's bytes: the source, or, for a document that is an
/// expected content page (docs/format.md, "The content pages"), that page's expected bytes.
pub(crate) trait Documents {
    /// The size of `doc` as git stores it, and its bytes unless that size is over
    /// `limit` (then empty).
    fn read_up_to(&self, doc: &str, limit: u64) -> Result<(u64, Bytes), Error>;
}

/// A document's bytes as one read gave them, shared by the pages of a run that read
/// it (no copy each), with the keyword scans of its text made once for them all.
pub(crate) type Bytes = std::sync::Arc<Read>;

/// One read of a document.
#[derive(Default)]
pub(crate) struct Read {
    content: Content,
    /// The text a [`Content::Raw`] read scans to, and CUT, made by the first page that
    /// asks.
    made: OnceLock<(String, bool)>,
    /// The keyword rules' matches in the text these bytes scan to ([`Read::text`]).
    pub(crate) scans: Scans,
}

/// What a read holds, sorted once when it is made (the keyword page and the
/// documentation page of one document both scan its text).
enum Content {
    /// UTF-8 without `\r` and with fewer than 10,000 line ends: its own scan text.
    Text(String),
    /// Anything else: decoded, normalised or cut on the first ask.
    Raw(Vec<u8>),
}

impl Default for Content {
    fn default() -> Self {
        Content::Text(String::new())
    }
}

impl Read {
    /// A read of `bytes`, nothing scanned yet.
    pub(crate) fn new(bytes: Vec<u8>) -> Bytes {
        match String::from_utf8(bytes) {
            Ok(text) => Read::of_text(text),
            Err(err) => Read::holding(Content::Raw(err.into_bytes())),
        }
    }

    /// A read of a rendered page's text: no check that it is UTF-8.
    pub(crate) fn of_text(text: String) -> Bytes {
        Read::holding(if is_own_scan_text(&text) {
            Content::Text(text)
        } else {
            Content::Raw(text.into_bytes())
        })
    }

    fn holding(content: Content) -> Bytes {
        Bytes::new(Read {
            content,
            made: OnceLock::new(),
            scans: Scans::default(),
        })
    }

    /// The text docdex scans for this document, whose size is `size`, and CUT
    /// (docs/format.md, "Reading a document"; [`scan_text_cut`]).
    pub(crate) fn text(&self, size: u64) -> (Cow<'_, str>, bool) {
        if size > MAX_READ_BYTES {
            // The read holds no bytes, only the size.
            return scan_text_cut(size, &[]);
        }
        match &self.content {
            Content::Text(text) => (Cow::Borrowed(text), false),
            Content::Raw(bytes) => {
                let (text, cut) = self.made.get_or_init(|| {
                    let (text, cut) = scan_text_cut(size, bytes);
                    (text.into_owned(), cut)
                });
                (Cow::Borrowed(text), *cut)
            }
        }
    }

    /// The bytes, taken out of the read.
    pub(crate) fn into_bytes(self) -> Vec<u8> {
        match self.content {
            Content::Text(text) => text.into_bytes(),
            Content::Raw(bytes) => bytes,
        }
    }
}

/// Whether `text` scans to itself: no `\r` to normalise and too few lines to cut.
fn is_own_scan_text(text: &str) -> bool {
    memchr::memchr(b'\r', text.as_bytes()).is_none() && !may_be_cut(text)
}

impl std::ops::Deref for Read {
    type Target = [u8];

    fn deref(&self) -> &[u8] {
        match &self.content {
            Content::Text(text) => text.as_bytes(),
            Content::Raw(bytes) => bytes,
        }
    }
}

/// What rendering needs besides the subject: no configuration types, so kinds depend
/// only on names, documents and keywords.
pub struct RenderContext<'a> {
    /// Where documents' bytes come from.
    pub(crate) documents: &'a dyn Documents,
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

    /// The folders whose direct contents a structural change alters: the document's
    /// folder, and each ancestor that appeared or vanished with its parent.
    pub(crate) fn folders_changed(&self) -> Vec<&str> {
        let folder = folder_of(self.path);
        let mut folders = vec![folder];
        for ancestor in ancestors(folder).filter(|a| !a.is_empty()) {
            if self.old.contains_folder(ancestor) == self.new.contains_folder(ancestor) {
                break;
            }
            folders.push(ancestor);
            folders.push(folder_of(ancestor));
        }
        folders
    }
}

/// The lists of names a page rendered from names alone is rendered from
/// ([`PageKind::names_read`]); a kind that reads one list leaves the second empty.
pub(crate) type NameLists<'c> = [&'c [String]; 2];

/// The rules of one page kind.
pub trait PageKind: Sync {
    /// Its name in `docdex.toml` and in reports.
    fn name(&self) -> &'static str;

    /// Whether a file called `name` under the index root belongs to this kind (such a
    /// file is never a document).
    fn reserves(&self, name: &str) -> bool;

    /// The subject of the page at `rel` (relative to the index root `root`), whose file
    /// name this kind reserves.
    fn parse<'r>(&self, rel: &'r str, root: &str) -> Option<Parsed<'r>>;

    /// Where the page of `key` lives, relative to the index root.
    fn page_path(&self, key: &str) -> String;

    /// Every key `corpus` generates a page for.
    fn keys(&self, corpus: &Corpus) -> Vec<String>;

    /// Whether `corpus` generates the page of `key`.
    fn generates(&self, corpus: &Corpus, key: &str) -> bool;

    /// Adds the keys whose pages depend on `change` (docs/guide.md, "Which pages a run checks").
    fn affected_by(&self, change: &DocumentChange, keys: &mut BTreeSet<String>);

    /// The page of `key`, or `None` when nothing generates it.
    fn render(&self, context: &RenderContext, key: &str) -> Result<Option<String>, Error>;

    /// What the page belongs to, in words (`keyword page of a.py`).
    fn describe(&self, key: &str) -> String;

    /// Why nothing generates the page of a key that is simply gone, in words that
    /// follow [`PageKind::describe`] after a comma.
    fn gone(&self) -> &'static str {
        "which no longer exists"
    }

    /// The documents the rows labelled `labels` stand for.
    fn documents_of(&self, _key: &str, labels: Vec<String>) -> Vec<String> {
        labels
    }

    /// The `##` sections whose list items and table rows are rows of the page, besides
    /// every `###` section (see `rows::rows`).
    fn listed_sections(&self) -> &'static [&'static str] {
        &[]
    }

    /// What one row of the page is called in reports.
    fn row_noun(&self) -> &'static str {
        "row"
    }

    /// Whether a row's label only identifies it together with its section.
    fn rows_need_section(&self) -> bool {
        false
    }

    /// Whether rendering a page reads the document its key names (so a run can hold
    /// a document that several pages read, instead of reading it once per page). No
    /// page reads any other document.
    ///
    /// Such pages are cached: rendering must read nothing but that document, the
    /// numbers of the [`RenderContext`], and the names [`PageKind::lists_names_in`]
    /// gives (a test renders every kind against corpora that differ elsewhere).
    fn reads_its_document(&self) -> bool {
        false
    }

    /// For a kind that [reads its document](PageKind::reads_its_document): the folder
    /// whose document names (`Corpus::names_in`) the page of `key` lists, if any.
    fn lists_names_in<'k>(&self, _key: &'k str) -> Option<&'k str> {
        None
    }

    /// For a kind whose pages are rendered from names alone (it reads no document): the
    /// lists of names in `corpus` the page of `key` is rendered from, besides the key
    /// and the numbers of the [`RenderContext`]. The page cache files such a page under a
    /// digest of them, so they must be all it reads (a test renders every such kind
    /// against corpora that differ elsewhere).
    fn names_read<'c>(&self, _corpus: &'c Corpus, _key: &str) -> Option<NameLists<'c>> {
        None
    }

    /// Whether the kind's files stay documents (the content kinds: docs/format.md, "The
    /// content pages"): their names are not reserved, and with the kind on, its expected pages
    /// are documents whose bytes are the expected bytes.
    fn pages_are_documents(&self) -> bool {
        false
    }

    /// Whether `pages` in `docdex.toml` includes the kind when it is not given.
    fn on_by_default(&self) -> bool {
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::python::scan::tests::tricky_text;

    proptest::proptest! {
        /// Whatever a read holds, its text is the text its bytes scan to.
        #[test]
        fn a_read_scans_as_its_bytes_do(
            text in tricky_text(),
            cr in proptest::bool::ANY,
            invalid in proptest::bool::ANY,
            lines in proptest::sample::select(vec![0usize, 9_999, 10_000, 10_001]),
        ) {
            let mut bytes = "\n".repeat(lines).into_bytes();
            bytes.extend(if cr { text.replace('\n', "\r\n") } else { text }.into_bytes());
            if invalid {
                bytes.push(0xff);
            }
            let size = bytes.len() as u64;
            let expected = scan_text_cut(size, &bytes);
            let read = Read::new(bytes.clone());
            let (text, cut) = read.text(size);
            proptest::prop_assert_eq!((text.as_ref(), cut), (expected.0.as_ref(), expected.1));
            if let Ok(rendered) = String::from_utf8(bytes.clone()) {
                let read = Read::of_text(rendered);
                let (text, cut) = read.text(size);
                proptest::prop_assert_eq!((text.as_ref(), cut), (expected.0.as_ref(), expected.1));
            }
            proptest::prop_assert_eq!(std::sync::Arc::into_inner(Read::new(bytes.clone())).map(Read::into_bytes), Some(bytes));
        }
    }

    #[test]
    fn a_document_over_the_read_limit_scans_to_its_summary() {
        let read = Read::new(Vec::new());
        let (text, cut) = read.text(MAX_READ_BYTES + 1);
        assert_eq!(text, "[File too large: 10.00MB - content summarized only]");
        assert!(cut);
    }
}
