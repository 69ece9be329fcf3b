//! The generator's side of the page cache: what a page's key is made of, the proof that
//! a committed page is fresh without rendering it, and what a run files afterwards.

use std::sync::PoisonError;

use super::Generator;
use crate::cache::{DocumentId, Key, PageCache};
use crate::config::Config;
use crate::pages::PageSubject;
use crate::paths::depth;
use crate::plan::generates;
use crate::source::{blob_id, Oid, Reader, Snapshot};

/// The configuration values rendering is given ([`crate::pages::RenderContext`]'s
/// numbers), which every cache key includes.
pub(crate) fn render_numbers(config: &Config) -> [u64; 2] {
    [depth(&config.root) as u64, config.max_identifiers as u64]
}

impl Generator<'_> {
    /// Whether this run consults and feeds a cache.
    pub(crate) fn caches(&self) -> bool {
        self.cache.is_some()
    }

    /// Whether the cache can prove a page fresh before this run renders anything: it
    /// is on and its file held entries.
    pub(crate) fn may_settle(&self) -> bool {
        self.cache.is_some_and(|cache| !cache.starts_empty())
    }

    /// The key the page of `subject` is filed under, when this run has a cache, the
    /// kind is cached and what the page reads is known by id (see `cache_key`).
    pub(crate) fn page_key(&self, subject: &PageSubject, reader: &Reader) -> Option<Key> {
        self.cache_key(self.cache?, subject, reader)
    }

    /// Whether the cache proves that the page of `subject`, filed under `key`, whose
    /// committed blob is `committed`, is the page expected: nothing read, nothing
    /// rendered.
    pub(crate) fn cached_fresh(
        &self,
        page: &str,
        subject: &PageSubject,
        key: &Key,
        committed: Oid,
    ) -> bool {
        let Some(cache) = self.cache else {
            return false;
        };
        let fresh = generates(self.corpus, subject) && cache.get(key) == Some(committed);
        if fresh {
            self.shared.skip(self.corpus, page, subject);
        }
        fresh
    }

    /// Remembers that the page of `subject` (filed under `key` when it had one; when
    /// not, once [`Generator::settle`] can make it) rendered to the blob `page`.
    pub(crate) fn remember(&self, subject: &PageSubject, key: Option<Key>, page: Oid) {
        let Some(cache) = self.cache else {
            return;
        };
        match key {
            // A page that is a document is asked for again: its id is in the keys of
            // the pages that read it.
            Some(key) if subject.rules().pages_are_documents() => cache.put(key, page),
            Some(key) => cache.file(key, page),
            None => self
                .unkeyed
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .push((subject.clone(), page)),
        }
    }

    /// Files the pages rendered before the page they read had an id (the keyword page
    /// of a documentation page checked before that page), now that the run knows it.
    /// A reader is opened only when there is such a page.
    pub(crate) fn settle(&self, snapshot: &Snapshot) {
        let Some(cache) = self.cache else {
            return;
        };
        let unkeyed =
            std::mem::take(&mut *self.unkeyed.lock().unwrap_or_else(PoisonError::into_inner));
        if unkeyed.is_empty() {
            return;
        }
        let Ok(reader) = snapshot.reader() else {
            return;
        };
        for (subject, page) in unkeyed {
            if let Some(key) = self.cache_key(cache, &subject, &reader) {
                cache.file(key, page);
            }
        }
    }

    /// Makes room in the cache for what `pages` rendered pages will file.
    pub(crate) fn expect_renders(&self, pages: usize) {
        if let Some(cache) = self.cache {
            cache.expect(pages);
        }
    }

    /// The key of `subject`'s page: the names it is rendered from, for a kind that
    /// declares them; for a kind that reads its document, that document's id (when it
    /// is known without reading it) and the names the page lists.
    fn cache_key(&self, cache: &PageCache, subject: &PageSubject, reader: &Reader) -> Option<Key> {
        let rules = subject.rules();
        if let Some(lists) = rules.names_read(self.corpus, &subject.key) {
            return Some(cache.names_key(rules.name(), &subject.key, lists));
        }
        if !rules.reads_its_document() {
            return None;
        }
        let document = self.document_id(cache, &subject.key, reader)?;
        let names = rules
            .lists_names_in(&subject.key)
            .map(|folder| self.names_digest(folder));
        Some(cache.key(rules.name(), &subject.key, names.as_ref(), document))
    }

    /// What identifies the bytes rendering reads for `doc`, as `SourceDocuments` finds
    /// them: an expected page's id, or the blob the source holds. `None` for a file of
    /// the working tree that git's stat cache does not vouch for.
    fn document_id(
        &self,
        cache: &PageCache,
        doc: &str,
        reader: &Reader,
    ) -> Option<(Oid, DocumentId)> {
        if let Some(page) = self.corpus.expected_page(doc) {
            let filed = cache.get(&self.cache_key(cache, page, reader)?);
            let id = match filed {
                Some(id) => id,
                // Rendered from names alone, the page's id is never unknown.
                None if !page.rules().reads_its_document() => {
                    blob_id(self.render(page, reader).ok()??.as_bytes())?
                }
                None => return None,
            };
            return Some((id, DocumentId::Expected));
        }
        let id = reader.snapshot().get(doc)?.known_blob()?;
        Some((id, DocumentId::Blob))
    }

    /// The digest of the document names directly in `folder`, made once per run.
    fn names_digest(&self, folder: &str) -> Key {
        let mut names = self.names.lock().unwrap_or_else(PoisonError::into_inner);
        *names
            .entry(folder.to_owned())
            .or_insert_with(|| PageCache::names(self.corpus.names_in(folder)))
    }
}
