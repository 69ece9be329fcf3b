//! Page subject → expected page bytes, through the subject's page kind. Documents are
//! read from the source, except those that are expected content pages (docs/format.md, "The content pages"), whose bytes are rendered.
//!
//! With the content kinds on, one document is read by several pages of a run (its
//! keyword page and its documentation page), and one documentation page is rendered
//! for two (itself, and its own keyword page). [`SharedReads`] holds such bytes from
//! their first read until their last planned reader has them.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

use rayon::prelude::*;

use crate::cache::{Key, PageCache};
use crate::config::Config;
use crate::error::Error;
use crate::pages::kind::{Bytes, Documents, Read};
use crate::pages::{Corpus, PageSubject, RenderContext};
use crate::paths::join;
use crate::plan::generates;
use crate::select::Selector;
use crate::source::{Oid, Reader};

mod cached;

pub(crate) use cached::render_numbers;

/// Everything needed to render any page of one source.
pub(crate) struct Generator<'a> {
    /// The resolved configuration.
    pub(crate) config: &'a Config,
    /// The documents of the source.
    pub(crate) corpus: &'a Corpus,
    /// Documents that more than one page of this run reads.
    shared: SharedReads<'a>,
    /// What earlier runs rendered, when the run uses the cache.
    cache: Option<&'a PageCache>,
    /// The digests of the name lists cache keys include, by folder.
    names: Mutex<HashMap<String, Key>>,
    /// Pages rendered before the page they read had an id (see [`Generator::settle`]).
    unkeyed: Mutex<Vec<(PageSubject, Oid)>>,
}

impl<'a> Generator<'a> {
    /// The generator of `corpus`'s pages, reading every document for itself until
    /// [`Generator::share_reads`] says which reads are shared.
    pub(crate) fn new(config: &'a Config, corpus: &'a Corpus) -> Self {
        Generator {
            config,
            corpus,
            shared: SharedReads::default(),
            cache: None,
            names: Mutex::default(),
            unkeyed: Mutex::default(),
        }
    }

    /// Holds the documents `shared` names from their first read until their last
    /// planned reader has them.
    pub(crate) fn share_reads(&mut self, shared: SharedReads<'a>) {
        self.shared = shared;
    }

    /// This generator, consulting and feeding `cache`.
    pub(crate) fn with_cache(mut self, cache: Option<&'a PageCache>) -> Self {
        self.cache = cache;
        self
    }
}

impl Generator<'_> {
    /// The page `subject` should have, or `None` when nothing generates it any more.
    pub(crate) fn expected(
        &self,
        subject: &PageSubject,
        reader: &Reader,
    ) -> Result<Option<Expected>, Error> {
        if !generates(self.corpus, subject) {
            return Ok(None);
        }
        let rules = subject.rules();
        if rules.pages_are_documents() {
            let page = join(&self.config.root, &rules.page_path(&subject.key));
            if self.shared.is_shared(&page) {
                let (_, bytes) = self
                    .shared
                    .read(&page, u64::MAX, || self.render_whole(subject, reader))?;
                return Ok(Some(Expected::Shared(bytes)));
            }
        }
        Ok(self.render(subject, reader)?.map(Expected::Own))
    }

    /// A content page's expected bytes, as a read of the document they are.
    fn render_whole(&self, subject: &PageSubject, reader: &Reader) -> Result<Option<Held>, Error> {
        Ok(self.render(subject, reader)?.map(|text| Held {
            size: text.len() as u64,
            bytes: Read::of_text(text),
            limit: u64::MAX,
        }))
    }

    /// The page of `subject` as its kind renders it, without the shared reads.
    fn render(&self, subject: &PageSubject, reader: &Reader) -> Result<Option<String>, Error> {
        let documents = SourceDocuments {
            generator: self,
            reader,
        };
        // The numbers every cache key holds, so a key cannot leave one out.
        let [root_depth, max_identifiers] = render_numbers(self.config);
        let context = RenderContext {
            documents: &documents,
            corpus: self.corpus,
            root_depth: root_depth as usize,
            max_identifiers: max_identifiers as usize,
        };
        subject.rules().render(&context, &subject.key)
    }
}

/// Documents as rendering sees them: a content page's expected bytes, or the source's.
struct SourceDocuments<'g> {
    generator: &'g Generator<'g>,
    reader: &'g Reader<'g>,
}

impl Documents for SourceDocuments<'_> {
    fn read_up_to(&self, doc: &str, limit: u64) -> Result<(u64, Bytes), Error> {
        let generator = self.generator;
        if let Some(page) = generator.corpus.expected_page(doc) {
            // Rendered whole, so the page's own check can take the same bytes.
            return generator
                .shared
                .read(doc, limit, || generator.render_whole(page, self.reader));
        }
        let content = self.reader.snapshot().get(doc).ok_or_else(|| {
            Error::Bug(format!("{doc}: listed as a document but not in the source"))
        })?;
        generator.shared.read(doc, limit, || {
            let (size, bytes) = self.reader.read_up_to(doc, content, limit)?;
            Ok(Some(Held {
                size,
                bytes: Read::new(bytes),
                limit,
            }))
        })
    }
}

/// A page's expected bytes: rendered for its own check, or shared with the pages that
/// read it as a document (then not copied for the check).
pub(crate) enum Expected {
    Own(String),
    /// Rendered text, so UTF-8.
    Shared(Bytes),
}

impl Expected {
    /// The page's bytes.
    pub(crate) fn as_bytes(&self) -> &[u8] {
        match self {
            Expected::Own(text) => text.as_bytes(),
            Expected::Shared(bytes) => bytes,
        }
    }

    /// The page's text, copied out of a shared read unless no other page holds it.
    pub(crate) fn into_text(self) -> Result<String, Error> {
        match self {
            Expected::Own(text) => Ok(text),
            Expected::Shared(bytes) => {
                let bytes =
                    Arc::try_unwrap(bytes).map_or_else(|shared| shared.to_vec(), Read::into_bytes);
                String::from_utf8(bytes)
                    .map_err(|_| Error::Bug("a rendered page is not UTF-8".to_owned()))
            }
        }
    }
}

/// A document's size and bytes as one read gave them.
struct Held {
    size: u64,
    /// Empty when the read stopped at the size (`size > limit`).
    bytes: Bytes,
    limit: u64,
}

impl Held {
    /// Whether a read with `limit` can be answered from these bytes.
    fn answers(&self, limit: u64) -> bool {
        self.size > limit || self.size <= self.limit
    }

    /// What a read with `limit` returns, if these bytes can tell: the same bytes,
    /// shared.
    fn answer(&self, limit: u64) -> Option<(u64, Bytes)> {
        self.answers(limit).then(|| {
            let bytes = if self.size > limit {
                Bytes::default()
            } else {
                Arc::clone(&self.bytes)
            };
            (self.size, bytes)
        })
    }

    /// What a read with `limit` returns, from a read made with that limit or none.
    fn into_answer(self, limit: u64) -> (u64, Bytes) {
        if self.size > limit {
            (self.size, Bytes::default())
        } else {
            (self.size, self.bytes)
        }
    }
}

/// How many planned readers a document has left, and its read while one is held.
struct Slot {
    turns: Mutex<Turns>,
}

struct Turns {
    readers_left: usize,
    /// Made by the first reader that reads and given up by the last: the first fills
    /// it, the others wait for it rather than read again. Its content is `None` when
    /// that reader failed (it reports the error; the others read).
    held: Option<HeldRead>,
}

impl Slot {
    fn new(readers: usize) -> Self {
        let turns = Turns {
            readers_left: readers,
            held: None,
        };
        Slot {
            turns: Mutex::new(turns),
        }
    }

    /// Counts one reader as served. The last takes what is held out of the slot;
    /// another reader that `reads` gets the shared read, made by the first; one that
    /// does not (a cache hit) gets nothing.
    fn turn(&self, reads: bool) -> Option<HeldRead> {
        let mut turns = self.turns.lock().unwrap_or_else(PoisonError::into_inner);
        turns.readers_left = turns.readers_left.saturating_sub(1);
        if turns.readers_left == 0 {
            turns.held.take()
        } else if reads {
            Some(Arc::clone(turns.held.get_or_insert_with(Arc::default)))
        } else {
            None
        }
    }
}

/// A read shared by the readers of one document.
type HeldRead = Arc<OnceLock<Option<Held>>>;

/// Documents (source files or expected content pages) that more than one page of a run
/// reads, each read once and kept until its last planned reader has it, then dropped.
/// Checked in [`reading_order`], a document's readers are close together, so few
/// documents are held at a time. Every shared document has its slot from the start,
/// with a lock of its own: a turn allocates nothing and waits for no other document.
/// Keyed by the corpus's own copy of each path, so they cost no strings of their own.
#[derive(Default)]
pub(crate) struct SharedReads<'a> {
    slots: HashMap<&'a str, Slot>,
}

/// The order to check `pages` in so that the pages reading one document are checked
/// close together: path order, except that a page reading a document that is itself a
/// page (the keyword page of `root/a.py_docs.md`, at `root/root/a.py_docs.md_kw.md`)
/// comes right after that page. Indexes into `pages`.
pub(crate) fn reading_order(selector: &Selector, corpus: &Corpus, pages: &[&String]) -> Vec<usize> {
    // Without content pages, no page reads another: path order as it is.
    if !corpus.has_expected_pages() {
        return (0..pages.len()).collect();
    }
    let mut order: Vec<(&str, usize)> = pages
        .par_iter()
        .enumerate()
        .map(|(at, page)| {
            let anchor = match selector.page_of(page) {
                Some((kind, key))
                    if kind.kind().reads_its_document() && corpus.expected_page(key).is_some() =>
                {
                    key
                }
                _ => page.as_str(),
            };
            (anchor, at)
        })
        .collect();
    order.par_sort_unstable();
    order.into_iter().map(|(_, at)| at).collect()
}

impl<'a> SharedReads<'a> {
    /// The shared reads of checking every page of `pages`.
    pub(crate) fn of_pages(selector: &Selector, corpus: &'a Corpus, pages: &[&String]) -> Self {
        // Without content pages, each document has one reader: its keyword page.
        if !corpus.has_expected_pages() {
            return Self::default();
        }
        // Every read a page makes of a document that is read more than once: a content
        // page's own check reads it, and a page reads its document.
        let mut reads: Vec<&str> = pages
            .par_iter()
            .flat_map_iter(|page| {
                let Some((kind, key)) = selector.page_of(page) else {
                    return [None, None].into_iter().flatten();
                };
                let own = corpus.expected_page(page).map(|_| page.as_str());
                let document = kind.kind().reads_its_document().then_some(key);
                [own, document].into_iter().flatten()
            })
            .collect();
        reads.par_sort_unstable();
        let slots = reads
            .chunk_by(|a, b| a == b)
            .filter(|reads| reads.len() > 1)
            // A document that is not in the corpus is never read (its pages are
            // orphans), so it needs no slot.
            .filter_map(|reads| Some((corpus.document(reads[0])?, Slot::new(reads.len()))))
            .collect();
        Self { slots }
    }

    fn is_shared(&self, doc: &str) -> bool {
        self.slots.contains_key(doc)
    }

    /// Counts the check of `page` (of `subject`) as done without reading: the cache
    /// found it fresh. What it would have read is released as its read would have,
    /// so a document is not held for a reader that never comes.
    fn skip(&self, corpus: &Corpus, page: &str, subject: &PageSubject) {
        let pass = |doc: &str| {
            if let Some(slot) = self.slots.get(doc) {
                slot.turn(false);
            }
        };
        // As `of_pages` counted them.
        if corpus.expected_page(page).is_some() {
            pass(page);
        }
        if subject.rules().reads_its_document() {
            pass(&subject.key);
        }
    }

    /// `doc`'s size and bytes up to `limit`, from the run's one read of it or from
    /// `read` (`None` means nothing renders the page `doc` is).
    fn read(
        &self,
        doc: &str,
        limit: u64,
        read: impl FnOnce() -> Result<Option<Held>, Error>,
    ) -> Result<(u64, Bytes), Error> {
        let missing = || Error::Bug(format!("{doc}: an expected page renders nothing"));
        let Some(slot) = self.slots.get(doc) else {
            return Ok(read()?.ok_or_else(missing)?.into_answer(limit));
        };
        // The last reader finds nothing held when no reader before it read.
        let cell = slot.turn(true).unwrap_or_default();
        let mut read = Some(read);
        let mut failure = None;
        cell.get_or_init(|| match read.take().map_or(Ok(None), |read| read()) {
            Ok(held) => held,
            Err(err) => {
                failure = Some(err);
                None
            }
        });
        if let Some(err) = failure {
            return Err(err);
        }
        // Every reader shares the one copy of the bytes; they are freed with the last
        // reader's share, the slot having let go of them at its turn.
        let answer = cell
            .get()
            .and_then(Option::as_ref)
            .and_then(|held| held.answer(limit));
        if let Some(answer) = answer {
            return Ok(answer);
        }
        // The first reader failed, or read with a smaller limit: read here.
        let held = read.map_or(Ok(None), |read| read())?.ok_or_else(missing)?;
        Ok(held.into_answer(limit))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    fn shared<'a>(readers: &[(&'a str, usize)]) -> SharedReads<'a> {
        SharedReads {
            slots: readers.iter().map(|&(d, n)| (d, Slot::new(n))).collect(),
        }
    }

    fn held(bytes: &[u8], limit: u64) -> Held {
        Held {
            size: bytes.len() as u64,
            bytes: Read::new(if bytes.len() as u64 > limit {
                Vec::new()
            } else {
                bytes.to_vec()
            }),
            limit,
        }
    }

    /// A read's bytes as a vector of their own, to compare.
    fn owned(read: Result<(u64, Bytes), Error>) -> Result<(u64, Vec<u8>), Error> {
        read.map(|(size, bytes)| (size, bytes.to_vec()))
    }

    #[test]
    fn a_shared_document_is_read_once_and_dropped_after_its_last_reader() {
        let reads = shared(&[("a.py", 3)]);
        let count = AtomicUsize::new(0);
        let read = || {
            count.fetch_add(1, Ordering::Relaxed);
            Ok(Some(held(b"class A: pass\n", 100)))
        };
        std::thread::scope(|scope| {
            for _ in 0..3 {
                scope.spawn(|| {
                    assert_eq!(
                        owned(reads.read("a.py", 100, read)).unwrap().1,
                        b"class A: pass\n"
                    );
                });
            }
        });
        assert_eq!(count.load(Ordering::Relaxed), 1);
        let turns = reads.slots["a.py"].turns.lock().unwrap();
        assert!(turns.held.is_none(), "held past its last reader");
        assert_eq!(turns.readers_left, 0);
    }

    #[test]
    fn limits_and_failures_are_answered_as_a_read_of_ones_own() {
        let reads = shared(&[("page.md", 2)]);
        // A whole page answers a smaller limit with its size and no bytes.
        let whole = || Ok(Some(held(b"0123456789", u64::MAX)));
        assert_eq!(
            owned(reads.read("page.md", 4, whole)).unwrap(),
            (10, Vec::new())
        );
        assert_eq!(
            owned(reads.read("page.md", 10, whole)).unwrap().1,
            b"0123456789"
        );
        // The last reader takes the held bytes only when they answer its limit.
        let reads = shared(&[("c.md", 2)]);
        let cut = || Ok(Some(held(b"0123456789", 4)));
        assert_eq!(owned(reads.read("c.md", 4, cut)).unwrap(), (10, Vec::new()));
        let whole = || Ok(Some(held(b"0123456789", 100)));
        assert_eq!(
            owned(reads.read("c.md", 100, whole)).unwrap().1,
            b"0123456789"
        );
        // A failed first read is that reader's error; the next reader reads itself.
        let reads = shared(&[("b.py", 2)]);
        let failing = || Err(Error::Bug("disk on fire".to_owned()));
        assert!(owned(reads.read("b.py", 100, failing)).is_err());
        assert_eq!(
            owned(reads.read("b.py", 100, || Ok(Some(held(b"x", 100))))).unwrap(),
            (1, b"x".to_vec())
        );
        // Unshared documents go straight to the source.
        assert_eq!(
            owned(shared(&[]).read("c.py", 0, || Ok(Some(held(b"xy", 0))))).unwrap(),
            (2, Vec::new())
        );
    }
}
