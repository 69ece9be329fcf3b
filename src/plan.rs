//! Which pages a check covers (docs/guide.md, "Which pages a run checks"): every page, or only the pages that depend on
//! what changed between two listings. Works on names and blob ids only, never contents.

use std::collections::{BTreeMap, BTreeSet};

use rayon::prelude::*;

use crate::config::CONFIG_FILE;
use crate::error::Error;
use crate::pages::kind::DocumentChange;
use crate::pages::Corpus;
use crate::pages::{KindId, PageSubject};
use crate::paths::name_of;
use crate::select::{NotDocument, PageRole, Selector};
use crate::source::Snapshot;
use crate::source::TreeChange;

/// The pages one run checks.
#[derive(Debug)]
pub struct Plan {
    /// Page paths to check, in byte order.
    pub pages: BTreeSet<String>,
    /// Documents renamed unchanged (old path → new path), for the report.
    pub renames: BTreeMap<String, String>,
    /// The documents in scope: every document for a full check, the added, deleted
    /// and edited ones for an incremental check.
    pub documents: usize,
    /// How many files the change of an incremental check touched (documents or not);
    /// `None` for a full check.
    pub changed: Option<usize>,
}

impl Plan {
    /// Keeps only shard `index` of `count` (from 1): the pages whose path hashes to it.
    /// The hash is FNV-1a, fixed forever, so every machine splits the same way.
    pub fn keep_shard(&mut self, index: u32, count: u32) {
        self.pages
            .retain(|page| fnv1a(page.as_bytes()) % u64::from(count) == u64::from(index - 1));
    }
}

fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, &byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// Every page the documents of `snapshot` generate, plus every page-named file in it.
pub(crate) fn full(selector: &Selector, corpus: &Corpus, snapshot: &Snapshot) -> Plan {
    let subjects: Vec<PageSubject> = expected_subjects(corpus).collect();
    let mut expected: Vec<String> = subjects
        .par_iter()
        .filter_map(|subject| selector.owned_page_path(subject))
        .collect();
    expected.par_sort_unstable();
    // A listed file that is an expected page is a page file; only the others need their
    // role asked. Both lists are in byte order, so one walk pairs them.
    let mut next = 0;
    let others: Vec<String> = snapshot
        .files()
        .paths()
        .filter(|path| {
            while expected.get(next).is_some_and(|page| page.as_str() < *path) {
                next += 1;
            }
            expected.get(next).map(String::as_str) != Some(*path)
                && is_page_file(selector, corpus, path)
        })
        .map(str::to_owned)
        .collect();
    expected.extend(others);
    let pages: BTreeSet<String> = expected.into_iter().collect();
    Plan {
        pages,
        renames: BTreeMap::new(),
        documents: corpus.documents().len(),
        changed: None,
    }
}

/// Whether the source's file at `path` is a page to check: a page-named file, or a page
/// of a generated page (the others at such paths are documents).
fn is_page_file(selector: &Selector, corpus: &Corpus, path: &str) -> bool {
    match selector.page_role(path) {
        Some(PageRole::PageOfPage) => corpus.is_page_of_page(path),
        Some(_) => true,
        None => false,
    }
}

/// The longest file name most file systems allow, in bytes.
const NAME_MAX: usize = 255;

/// How much longer a page's file name is than the name of its key (a document or a
/// folder) at most: `a.py` → `a.py_docs.md`, any folder → `keywords.md`.
const PAGE_NAME_GROWTH: usize = 16;

/// Refuses a corpus with pages that can never be written: a folder named like a page
/// (`sub.md`, `index.md`, `keywords.md`, `*_kw.md`) whose mirror under the root would
/// have to be a page file and a folder of pages at once, or a document whose keyword
/// page name is longer than file systems allow. Either would fail every `--fix`.
pub(crate) fn refuse_impossible_pages(selector: &Selector, corpus: &Corpus) -> Result<(), Error> {
    let impossible = |path: &str, why: String| Error::ImpossiblePage {
        path: path.to_owned(),
        why,
    };
    // Only a folder whose name some kind reserves can have a page where its mirror is.
    let reserved = |name: &str| KindId::all().any(|id| id.kind().reserves(name));
    for folder in corpus
        .folders()
        .filter(|folder| !folder.is_empty() && reserved(name_of(folder)))
    {
        let mirror = selector.mirror_of(folder);
        if let Some(PageRole::Page(subject)) = selector.page_role(&mirror) {
            if generates(corpus, &subject) {
                return Err(impossible(
                    &format!("{folder}/"),
                    format!("the folder's pages would go in {mirror}/, where the page {mirror} has to be a file"),
                ));
            }
        }
    }
    let longest_key_name = corpus
        .documents()
        .iter()
        .map(String::as_str)
        .chain(corpus.folders())
        .map(|key| name_of(key).len())
        .max()
        .unwrap_or(0);
    if longest_key_name + PAGE_NAME_GROWTH <= NAME_MAX {
        return Ok(());
    }
    for subject in expected_subjects(corpus) {
        // The name first: whether docdex owns the page is only worth asking of a long one.
        let path = subject.rules().page_path(&subject.key);
        let name = name_of(&path);
        if name.len() > NAME_MAX && selector.owned_page_path(&subject).is_some() {
            return Err(impossible(
                &subject.key,
                format!(
                    "its {} page's name would be {} bytes, longer than the {NAME_MAX} file systems allow",
                    subject.kind.name(),
                    name.len()
                ),
            ));
        }
    }
    Ok(())
}

/// Refuses a configuration that selects no document from a source that holds pages:
/// a typo in `include` or `exclude` must not plan to delete every page. Without either,
/// a source without documents orphans its pages as usual. `corpus` must be the
/// source's whole corpus.
pub(crate) fn refuse_selecting_nothing(
    selector: &Selector,
    corpus: &Corpus,
    snapshot: &Snapshot,
    plan: &Plan,
) -> Result<(), Error> {
    if !corpus.documents().is_empty() {
        return Ok(());
    }
    let pages = plan
        .pages
        .iter()
        .filter(|page| snapshot.get(page).is_some())
        .count();
    if pages == 0 {
        return Ok(());
    }
    let files = snapshot.files().paths();
    let why = if selector.includes("").is_some() {
        let matched: Vec<&str> = files
            .filter(|path| selector.includes(path) == Some(true))
            .collect();
        match matched.first() {
            None => "`include` in the configuration matches no file".to_owned(),
            Some(first) => format!(
                "`include` in the configuration selects no document: it matches {}, none a document (such as {})",
                crate::words::count(matched.len(), "file"),
                crate::quote::path(first)
            ),
        }
    } else {
        let excluded = files
            .filter(|path| selector.why_not_document(path) == Some(NotDocument::Excluded))
            .count();
        if excluded == 0 {
            // No configuration chose this: the documents are gone, and so go their pages.
            return Ok(());
        }
        format!(
            "`exclude` in the configuration excludes every document ({})",
            crate::words::count(excluded, "file")
        )
    };
    Err(Error::NothingSelected { why, pages })
}

/// Every page subject `corpus` generates, whatever the configuration switches off.
fn expected_subjects(corpus: &Corpus) -> impl Iterator<Item = PageSubject> + '_ {
    KindId::all().flat_map(move |kind| {
        kind.kind()
            .keys(corpus)
            .into_iter()
            .map(move |key| PageSubject { kind, key })
    })
}

/// Whether `subject` is generated by `corpus` (its document or folder exists).
pub(crate) fn generates(corpus: &Corpus, subject: &PageSubject) -> bool {
    subject.rules().generates(corpus, &subject.key)
}

/// The pages that depend on what changed from `old` to `new` (docs/guide.md, "Which pages a run checks"). Falls back to
/// every page when the configuration file itself changed.
pub(crate) fn incremental(
    selector: &Selector,
    (old, old_corpus): (&Snapshot, &Corpus),
    (new, new_corpus): (&Snapshot, &Corpus),
) -> Plan {
    let changed = changed_paths(old, new);
    if changed.contains(&CONFIG_FILE) {
        return full(selector, new_corpus, new);
    }
    let mut keys: Vec<BTreeSet<String>> = KindId::all().map(|_| BTreeSet::new()).collect();
    let mut pages: BTreeSet<String> = BTreeSet::new();
    for path in &changed {
        affect(&mut keys, path, old_corpus, new_corpus);
        if is_page_file(selector, new_corpus, path) {
            pages.insert((*path).to_owned());
        }
    }
    affect_chain(selector, &mut keys, old_corpus, new_corpus);
    pages.extend(subjects_of(keys).filter_map(|subject| selector.owned_page_path(&subject)));
    Plan {
        pages,
        renames: exact_renames(old, new, old_corpus, new_corpus, &changed),
        changed: Some(changed.len()),
        documents: changed
            .iter()
            .filter(|p| old_corpus.contains_document(p) || new_corpus.contains_document(p))
            .count(),
    }
}

/// The documents a change edits, when it only edits the contents of existing files (no
/// file added, deleted or renamed, no page-named file touched, `docdex.toml`
/// unchanged). `None` for any other change, which [`incremental`] must plan from full
/// listings.
pub(crate) fn edited_documents(selector: &Selector, changes: &[TreeChange]) -> Option<Vec<String>> {
    let structural = changes.iter().any(|change| {
        change.old.is_none()
            || change.new.is_none()
            || change.path == CONFIG_FILE
            || selector.page_role(&change.path).is_some()
    });
    if structural {
        return None;
    }
    Some(
        changes
            .iter()
            .filter(|change| selector.is_document(&change.path))
            .map(|change| change.path.clone())
            .collect(),
    )
}

/// The plan of a change that only edits the contents of `edited` (from
/// [`edited_documents`]): their keyword pages and, with the content kinds on, their
/// documentation pages and those pages' keyword pages. No document appears or
/// vanishes, so no folder does either and no other page changes. `corpus` holds the
/// edited documents and, for the documentation pages' Related Files, their folders'.
pub(crate) fn content_only(
    selector: &Selector,
    edited: &[String],
    corpus: &Corpus,
    changed: usize,
) -> Plan {
    let mut keys: Vec<BTreeSet<String>> = KindId::all().map(|_| BTreeSet::new()).collect();
    for doc in edited {
        affect(&mut keys, doc, corpus, corpus);
    }
    affect_chain(selector, &mut keys, corpus, corpus);
    Plan {
        pages: subjects_of(keys)
            .filter_map(|subject| selector.owned_page_path(&subject))
            .collect(),
        renames: BTreeMap::new(),
        documents: edited.len(),
        changed: Some(changed),
    }
}

/// The chain (docs/format.md, "The content pages"): an affected content page is a document whose
/// expected content changed, appeared or vanished, so what depends on it is affected too.
fn affect_chain(selector: &Selector, keys: &mut [BTreeSet<String>], old: &Corpus, new: &Corpus) {
    let content_pages: Vec<String> = KindId::all()
        .filter(|kind| kind.kind().pages_are_documents())
        .flat_map(|kind| {
            keys[kind.index()].iter().map(move |key| {
                selector.page_path(&PageSubject {
                    kind,
                    key: key.clone(),
                })
            })
        })
        .collect();
    for path in &content_pages {
        affect(keys, path, old, new);
    }
}

/// Adds to `keys` (indexed like [`KindId::all`]) what every kind says depends on a
/// change of `path` from `old` to `new`, when it is a document on either side.
fn affect(keys: &mut [BTreeSet<String>], path: &str, old: &Corpus, new: &Corpus) {
    let change = DocumentChange {
        path,
        was: old.contains_document(path),
        is: new.contains_document(path),
        old,
        new,
    };
    if change.was || change.is {
        for kind in KindId::all() {
            kind.kind().affected_by(&change, &mut keys[kind.index()]);
        }
    }
}

/// The subjects of per-kind key sets (indexed like [`KindId::all`]).
fn subjects_of(keys: Vec<BTreeSet<String>>) -> impl Iterator<Item = PageSubject> {
    KindId::all()
        .zip(keys)
        .flat_map(|(kind, keys)| keys.into_iter().map(move |key| PageSubject { kind, key }))
}

/// Paths whose file was added, removed or changed between two listings, in byte order.
fn changed_paths<'a>(old: &'a Snapshot, new: &'a Snapshot) -> Vec<&'a str> {
    let edited_or_gone = old
        .files()
        .iter()
        .filter(|(path, content)| new.get(path) != Some(*content));
    let added = new
        .files()
        .iter()
        .filter(|(path, _)| old.get(path).is_none());
    let mut changed: Vec<&str> = edited_or_gone.chain(added).map(|(path, _)| path).collect();
    changed.sort_unstable();
    changed
}

/// Documents that vanished at one path and appeared with the same blob at another.
fn exact_renames(
    old: &Snapshot,
    new: &Snapshot,
    old_corpus: &Corpus,
    new_corpus: &Corpus,
    changed: &[&str],
) -> BTreeMap<String, String> {
    let mut added_by_content = BTreeMap::new();
    for path in changed {
        if new_corpus.contains_document(path) && !old_corpus.contains_document(path) {
            if let Some(content) = new.get(path) {
                added_by_content.entry(content).or_insert(*path);
            }
        }
    }
    let mut renames = BTreeMap::new();
    for path in changed {
        if old_corpus.contains_document(path) && !new_corpus.contains_document(path) {
            if let Some(target) = old
                .get(path)
                .and_then(|content| added_by_content.remove(&content))
            {
                renames.insert((*path).to_owned(), target.to_owned());
            }
        }
    }
    renames
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// `refuse_impossible_pages` skips its page-by-page look when every document and
        /// folder name is `PAGE_NAME_GROWTH` bytes short of the limit: every key is one
        /// of them, and no page name grows more than that.
        #[test]
        fn page_names_grow_at_most_by_the_bound(
            paths in proptest::collection::vec("[a-z]{1,3}(/[a-z._]{1,12}){0,3}", 1..12),
        ) {
            let corpus = Corpus::under_root(paths, "docs").with_content_pages(KindId::all().collect());
            for subject in expected_subjects(&corpus) {
                let key = subject.key.as_str();
                proptest::prop_assert!(corpus.contains_document(key) || corpus.contains_folder(key), "{key}");
                let page = subject.rules().page_path(key);
                proptest::prop_assert!(
                    name_of(&page).len() <= name_of(key).len() + PAGE_NAME_GROWTH,
                    "{page} of {key}"
                );
            }
        }
    }
}
