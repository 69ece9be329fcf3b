//! Expected pages vs the source's files → findings (stale, missing, orphaned, foreign).
//!
//! A file at a page path that does not carry the generator's footer line was written by
//! a person (docs/format.md, "Terms": foreign): it is never reported stale or orphaned, only `foreign`
//! when docdex would write a page there, and is otherwise merely counted.

use std::borrow::Cow;

use rayon::prelude::*;

use crate::cache::Key;
use crate::error::Error;
use crate::generate::{reading_order, Expected, Generator, SharedReads};
use crate::interrupt;
use crate::pages::Corpus;
use crate::pages::PageSubject;
use crate::pages::GENERATED_LINE;
use crate::paths::is_within;
use crate::plan::Plan;
use crate::select::{NotDocument, PageRole, Selector};
use crate::source::{blob_id, Content, Oid, Reader, ReaderPool, Snapshot};

/// What is wrong with one page.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Status {
    /// The page exists with other bytes than expected.
    Stale,
    /// The page should exist and does not.
    Missing,
    /// The page exists and nothing generates it any more.
    Orphaned,
    /// A page is expected where a hand-written (foreign) file is.
    Foreign,
}

impl Status {
    /// The word used in reports.
    pub fn word(self) -> &'static str {
        match self {
            Status::Stale => "stale",
            Status::Missing => "missing",
            Status::Orphaned => "orphaned",
            Status::Foreign => "foreign",
        }
    }
}

/// Why nothing generates an orphaned page.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Orphan {
    /// Its document or folder is gone.
    Gone,
    /// It is a page of a generated page: its document is itself a generated page, its
    /// folder holds only such pages, or it is one of the old generator's second pass.
    PageOfPage,
    /// Its document's file is still there but is not a document.
    NotDocument(NotDocument),
    /// A reserved page name that nothing generates at that place.
    Stray,
}

/// One page that is not as expected.
#[derive(Clone, Debug)]
pub struct Finding {
    /// Stale, missing or orphaned.
    pub status: Status,
    /// The page's repo-relative path.
    pub page: String,
    /// What the page is (or would be) generated for.
    pub role: PageRole,
    /// The source's bytes at the page path, if any.
    pub committed: Option<Vec<u8>>,
    /// The page docdex generates, if anything generates it; `None` for a missing page
    /// whose bytes the report does not need (see `MissingPages`).
    pub expected: Option<String>,
    /// How many rows a missing page held without its bytes has.
    pub expected_rows: Option<usize>,
    /// Why nothing generates it, when it is orphaned.
    pub orphan: Option<Orphan>,
    /// Why git ignores the page's path, when it does and the page is untracked: a
    /// fixed page there will never be committed.
    pub ignored: Option<String>,
}

/// What the report needs of a missing page's expected bytes once the check is done.
/// A first adoption finds every page missing; holding them all (with the content kinds,
/// every document's text again) is what the report must not cost.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum MissingPages {
    /// The bytes: diffs of missing pages, fixes, JSON's rows, GitHub's summary.
    #[default]
    Keep,
    /// How many rows each has, for the words line ("new page with 12 keywords").
    RowCount,
    /// Nothing beyond the finding itself (the default human report, SARIF, `-q`).
    Drop,
}

impl Finding {
    /// Lets go of a missing page's bytes, keeping what `keep` says the report needs.
    pub(crate) fn slim(&mut self, keep: MissingPages) {
        if self.status != Status::Missing || keep == MissingPages::Keep {
            return;
        }
        if keep == MissingPages::RowCount {
            let listed = self.role.listed_sections();
            self.expected_rows = Some(crate::rows::rows(self.expected_text(), listed).len());
        }
        self.expected = None;
    }

    /// The committed page as text (invalid UTF-8 shown as U+FFFD), empty when missing.
    pub fn committed_text(&self) -> Cow<'_, str> {
        self.committed
            .as_deref()
            .map(String::from_utf8_lossy)
            .unwrap_or_default()
    }

    /// The expected page, empty when orphaned.
    pub fn expected_text(&self) -> &str {
        self.expected.as_deref().unwrap_or_default()
    }
}

/// The result of checking every page a check planned.
#[derive(Debug)]
pub struct Verdict {
    /// Findings in byte order of page path.
    pub findings: Vec<Finding>,
    /// How many pages were compared.
    pub pages_checked: usize,
    /// Hand-written files at page paths that nothing generates, left alone (not
    /// findings), in byte order of path.
    pub left_alone: Vec<String>,
}

/// Whether one of the file's lines (a trailing `\r` ignored) is the generator's line.
pub(crate) fn is_generated(bytes: &[u8]) -> bool {
    let mut scan = GeneratedScan::default();
    scan.feed(bytes);
    scan.finish()
}

/// [`is_generated`] over bytes given a chunk at a time: only a line short enough to be
/// the generator's is held, so a file of any size is scanned in a chunk of memory.
#[derive(Default)]
pub(crate) struct GeneratedScan {
    line: Vec<u8>,
    too_long: bool,
    found: bool,
}

impl GeneratedScan {
    /// Scans the next chunk.
    pub(crate) fn feed(&mut self, chunk: &[u8]) {
        let mut start = 0;
        for end in memchr::memchr_iter(b'\n', chunk) {
            if self.found {
                return;
            }
            self.take(&chunk[start..end]);
            self.end_line();
            start = end + 1;
        }
        self.take(&chunk[start..]);
    }

    /// Whether the generator's line was found (the last line needs no line feed).
    pub(crate) fn finish(mut self) -> bool {
        self.end_line();
        self.found
    }

    fn take(&mut self, part: &[u8]) {
        if self.too_long {
            return;
        }
        if self.line.len() + part.len() > GENERATED_LINE.len() + 1 {
            self.too_long = true;
            self.line.clear();
        } else {
            self.line.extend_from_slice(part);
        }
    }

    fn end_line(&mut self) {
        let line = GENERATED_LINE.as_bytes();
        if !self.too_long {
            let body = self.line.strip_suffix(b"\r").unwrap_or(&self.line);
            self.found |= body == line;
        }
        self.line.clear();
        self.too_long = false;
    }
}

/// The error of a thread whose reader could not open the repository.
pub(crate) fn reader_failed(err: &Error) -> Error {
    Error::Git {
        context: "opening the repository for a reader thread".to_owned(),
        message: err.to_string(),
    }
}

/// What comparing one page found.
enum PageOutcome {
    Fresh,
    Finding(Finding),
    /// A foreign file nothing generates: listed, never a finding.
    ForeignLeftAlone(String),
}

/// A page (its place in the plan) and what checking it found.
type Outcome = (usize, Result<PageOutcome, Error>);

/// Renders every page of `plan` and compares it with `snapshot`, in parallel, with
/// findings in the deterministic order of the plan. `tick` is called once per page
/// (from any thread), for a progress display; `on_finding`, when given, is handed each
/// finding as it is found (a fix as the check runs) and may drop its bytes.
///
/// With the cache, the pages it proves fresh are set aside first: they read nothing, so
/// the reads that pages share are planned among the others only.
pub(crate) fn compare(
    selector: &Selector,
    generator: &mut Generator,
    snapshot: &Snapshot,
    plan: &Plan,
    tick: &(dyn Fn() + Sync),
    on_finding: Option<&(dyn Fn(&mut Finding) + Sync)>,
) -> Result<Verdict, Error> {
    let pages: Vec<&String> = plan.pages.iter().collect();
    let readers = ReaderPool::new(snapshot);
    // A first run's cache proves nothing fresh: no pass over every page to ask it.
    let unsettled: Vec<usize> = if generator.may_settle() {
        let generator = &*generator;
        (0..pages.len())
            .into_par_iter()
            .with_max_len(64)
            .map_init(
                || readers.take(),
                |reader, at| {
                    let settled = reader
                        .as_ref()
                        .is_ok_and(|reader| settled(selector, generator, reader, pages[at]));
                    if settled {
                        tick();
                    }
                    (!settled).then_some(at)
                },
            )
            .flatten()
            .collect()
    } else {
        (0..pages.len()).collect()
    };
    generator.expect_renders(unsettled.len());
    let unsettled_pages: Vec<&String> = unsettled.iter().map(|&at| pages[at]).collect();
    generator.share_reads(SharedReads::of_pages(
        selector,
        generator.corpus,
        &unsettled_pages,
    ));
    let generator = &*generator;
    let order: Vec<usize> = reading_order(selector, generator.corpus, &unsettled_pages)
        .into_iter()
        .map(|at| unsettled[at])
        .collect();
    // Fresh pages, nearly all of them in most runs, leave nothing but an empty place: a
    // (page, outcome) pair for each one was a quarter of the peak memory at 100,000
    // documents, and collecting only the others would copy them all when none is fresh.
    let results: Vec<Option<Box<Outcome>>> = order
        .par_iter()
        // Short pieces, so neither thread is left alone with a long one at the end.
        .with_max_len(16)
        .map_init(
            || readers.take(),
            |reader, &at| {
                tick();
                // Interrupted while fixing: the run ends with an error, so stop checking.
                if on_finding.is_some() && interrupt::requested() {
                    return None;
                }
                let outcome = match reader {
                    Ok(reader) => {
                        check_page(selector, generator, reader, pages[at]).map(|mut outcome| {
                            if let (PageOutcome::Finding(finding), Some(on_finding)) =
                                (&mut outcome, on_finding)
                            {
                                on_finding(finding);
                            }
                            outcome
                        })
                    }
                    Err(err) => Err(reader_failed(err)),
                };
                let fresh = matches!(outcome, Ok(PageOutcome::Fresh));
                (!fresh).then(|| Box::new((at, outcome)))
            },
        )
        .collect();
    let mut results: Vec<Box<Outcome>> = results.into_iter().flatten().collect();
    // Back to plan order, so findings (and the first error) do not depend on it.
    results.sort_unstable_by_key(|outcome| outcome.0);
    let mut findings = Vec::new();
    let mut left_alone = Vec::new();
    for outcome in results {
        let (_, result) = *outcome;
        match result? {
            PageOutcome::Fresh => {}
            PageOutcome::Finding(finding) => findings.push(finding),
            PageOutcome::ForeignLeftAlone(path) => left_alone.push(path),
        }
    }
    Ok(Verdict {
        findings,
        // A hand-written file nothing generates is no page.
        pages_checked: pages.len() - left_alone.len(),
        left_alone,
    })
}

/// Whether `page` is fresh without reading or rendering anything: no page docdex owns,
/// or one whose committed blob the cache files under its key. The first steps of
/// [`check_page`], which asks the same again of the pages this does not settle.
fn settled(selector: &Selector, generator: &Generator, reader: &Reader, page: &str) -> bool {
    match selector.page_role(page) {
        None => true,
        Some(PageRole::Page(subject)) => {
            let known = reader.snapshot().page(page).and_then(Content::known_blob);
            filed_fresh(generator, reader, page, &subject, known).1
        }
        Some(PageRole::Stray | PageRole::PageOfPage) => false,
    }
}

/// The key the page of `subject` at `page` is filed under, and whether the cache files
/// its committed blob `known` there (then it is fresh).
fn filed_fresh(
    generator: &Generator,
    reader: &Reader,
    page: &str,
    subject: &PageSubject,
    known: Option<Oid>,
) -> (Option<Key>, bool) {
    let key = generator.page_key(subject, reader);
    let fresh = match (&key, known) {
        (Some(key), Some(known)) => generator.cached_fresh(page, subject, key, known),
        _ => false,
    };
    (key, fresh)
}

fn check_page(
    selector: &Selector,
    generator: &Generator,
    reader: &Reader,
    page: &str,
) -> Result<PageOutcome, Error> {
    let Some(role) = selector.page_role(page) else {
        return Ok(PageOutcome::Fresh);
    };
    let committed = reader.snapshot().page(page);
    let known = committed.and_then(Content::known_blob);
    let mut expected_id = None;
    let expected = match &role {
        PageRole::Page(subject) => {
            let (key, fresh) = filed_fresh(generator, reader, page, subject, known);
            if fresh {
                return Ok(PageOutcome::Fresh);
            }
            let expected = generator.expected(subject, reader)?;
            // Its id: for the cache, and to compare with the committed blob's unless the
            // page is a file to read: reading it costs less than hashing the expected bytes.
            let by_id = generator.caches()
                || (known.is_some() && !matches!(committed, Some(Content::File { .. })));
            if let Some(text) = expected.as_ref().filter(|_| by_id) {
                expected_id = blob_id(text.as_bytes());
                if let Some(id) = expected_id {
                    generator.remember(subject, key, id);
                }
            }
            expected
        }
        PageRole::Stray | PageRole::PageOfPage => None,
    };
    let (status, committed) = match (&expected, committed) {
        (None, None) => return Ok(PageOutcome::Fresh),
        (Some(_), None) => (Status::Missing, None),
        (None, Some(content)) => {
            let bytes = reader.read(page, content)?;
            if !is_generated(&bytes) {
                // A hand-written file where a page of a page was is a document.
                if role == PageRole::PageOfPage {
                    return Ok(PageOutcome::Fresh);
                }
                return Ok(PageOutcome::ForeignLeftAlone(page.to_owned()));
            }
            (Status::Orphaned, Some(bytes))
        }
        (Some(expected), Some(content)) => {
            if known.is_some() && expected_id == known {
                return Ok(PageOutcome::Fresh);
            }
            // The bytes git stores (a working-tree file converted as `git add` would),
            // so every mode gives one verdict: a CRLF page that git would store with
            // CRLF is stale everywhere; one that git converts is fresh everywhere.
            let bytes = reader.read(page, content)?;
            if bytes == expected.as_bytes() {
                return Ok(PageOutcome::Fresh);
            }
            let status = if is_generated(&bytes) {
                Status::Stale
            } else {
                Status::Foreign
            };
            (status, Some(bytes))
        }
    };
    let orphan = (status == Status::Orphaned)
        .then(|| orphan_reason(selector, generator.corpus, reader.snapshot(), &role));
    Ok(PageOutcome::Finding(Finding {
        status,
        page: page.to_owned(),
        role,
        committed,
        expected: expected.map(Expected::into_text).transpose()?,
        orphan,
        expected_rows: None,
        ignored: None,
    }))
}

/// Why nothing generates the page of `role` any more.
fn orphan_reason(
    selector: &Selector,
    corpus: &Corpus,
    snapshot: &Snapshot,
    role: &PageRole,
) -> Orphan {
    let subject = match role {
        PageRole::Stray => return Orphan::Stray,
        PageRole::PageOfPage => return Orphan::PageOfPage,
        PageRole::Page(subject) => subject,
    };
    let key = subject.key.as_str();
    if !subject.rules().reads_its_document() {
        // A folder: under the root, one that holds only pages of pages.
        let of_pages = is_within(key, selector.root()) && corpus.has_page_of_page_under(key);
        return if of_pages {
            Orphan::PageOfPage
        } else {
            Orphan::Gone
        };
    }
    let page_named = match selector.page_role(key) {
        Some(PageRole::Page(of)) => !of.rules().pages_are_documents(),
        Some(PageRole::Stray) => true,
        _ => false,
    };
    if page_named || corpus.is_page_of_page(key) {
        return Orphan::PageOfPage;
    }
    if snapshot.get(key).is_none() {
        return Orphan::Gone;
    }
    selector
        .why_not_document(key)
        .map_or(Orphan::Gone, Orphan::NotDocument)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_means_the_footer_line_is_there() {
        assert!(is_generated(
            b"# x\n---\n\n*Generated by PyTorch Repository Documentation System*\n"
        ));
        assert!(is_generated(
            b"*Generated by PyTorch Repository Documentation System*\r\nhand-added\n"
        ));
        assert!(is_generated(
            b"*Generated by PyTorch Repository Documentation System*"
        ));
        assert!(!is_generated(b"# Welcome\n\nSee the docs.\n"));
        assert!(!is_generated(
            b"> *Generated by PyTorch Repository Documentation System*\n"
        ));
        assert!(!is_generated(
            b"*Generated by PyTorch Repository Documentation System* (old)\n"
        ));
    }

    /// The definition, over a whole buffer: the line, at a line start, followed by the
    /// end, a line feed, or a CR that ends the bytes or a line.
    fn generated_by_definition(bytes: &[u8]) -> bool {
        let line = GENERATED_LINE.as_bytes();
        memchr::memmem::find_iter(bytes, line).any(|at| {
            let starts_line = at == 0 || bytes[at - 1] == b'\n';
            let rest = &bytes[at + line.len()..];
            let ends_line = matches!(rest, [] | [b'\n', ..] | [b'\r'] | [b'\r', b'\n', ..]);
            starts_line && ends_line
        })
    }

    proptest::proptest! {
        #[test]
        fn the_scan_finds_the_line_whatever_the_chunks(
            pieces in proptest::collection::vec(0usize..6, 0..12),
            cut in 1usize..70,
        ) {
            let words: [&[u8]; 6] = [
                GENERATED_LINE.as_bytes(), b"\n", b"\r", b"x", b"> ", b"\r\n",
            ];
            let bytes: Vec<u8> = pieces.iter().flat_map(|&i| words[i].iter().copied()).collect();
            let mut scan = GeneratedScan::default();
            for chunk in bytes.chunks(cut) {
                scan.feed(chunk);
            }
            proptest::prop_assert_eq!(scan.finish(), generated_by_definition(&bytes));
            proptest::prop_assert_eq!(is_generated(&bytes), generated_by_definition(&bytes));
        }
    }
}
