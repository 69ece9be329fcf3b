//! One check, start to verdict: read the source of a mode, plan which pages it covers,
//! render and compare them. No output and no exit decisions (that is `app`'s).

use std::collections::BTreeSet;

use rayon::prelude::*;

use crate::cache::{self, PageCache};
use crate::compare::{compare, reader_failed, Finding, GeneratedScan, MissingPages, Verdict};
use crate::config::Config;
use crate::error::Error;
use crate::fix::{FixAsFound, FixOptions, FixOutcome};
use crate::generate::{render_numbers, Generator};
use crate::mode::Mode;
use crate::pages::Corpus;
use crate::paths::{folder_of, is_within};
use crate::plan::{self, Plan};
use crate::select::{PageRole, Selector};
use crate::source::Delta;
use crate::source::{self, Content, Reading, Repo, Snapshot};

/// The fewest planned pages for which a check consults the page cache.
const CACHE_FROM_PAGES: usize = 16;

/// Everything one check produced, for callers that want more than the exit status.
pub struct CheckResult {
    /// The findings.
    pub verdict: Verdict,
    /// The pages checked and the renames seen.
    pub plan: Plan,
    /// The documents in scope: all of them for a full check, the changed ones for
    /// `--staged` and `--base`.
    pub documents: usize,
    /// How many files were read from the source (documents and pages).
    pub reads: usize,
    /// What fixing the pages as they were found did ([`CheckOptions::fix_as_found`]).
    pub(crate) fixed: Option<FixOutcome>,
    /// Files (or folders, ending in `/`) that would be documents but whose names are
    /// not UTF-8, so no page can name them: left out, shown with invalid bytes replaced.
    pub unnamed: Vec<String>,
}

/// Every page of a fully listed source.
fn full_check(selector: &Selector, snapshot: Snapshot) -> Result<(Snapshot, Corpus, Plan), Error> {
    let corpus = corpus_of(selector, &snapshot, None)?;
    let plan = plan::full(selector, &corpus, &snapshot);
    plan::refuse_selecting_nothing(selector, &corpus, &snapshot, &plan)?;
    Ok((snapshot, corpus, plan))
}

/// The pages that depend on what changed from `old` to `new`, both fully listed.
fn incremental_check(
    selector: &Selector,
    old: &Snapshot,
    new: Snapshot,
) -> Result<(Snapshot, Corpus, Plan), Error> {
    let old_corpus = corpus_of(selector, old, None)?;
    let corpus = corpus_of(selector, &new, Some((old, &old_corpus)))?;
    let plan = plan::incremental(selector, (old, &old_corpus), (&new, &corpus));
    plan::refuse_selecting_nothing(selector, &corpus, &new, &plan)?;
    Ok((new, corpus, plan))
}

/// When a change only edits the contents of existing files, the pages of the edited
/// documents are all it can affect: check them from a few lookups instead of listing
/// both sides in full. `None` when the change is structural.
fn content_only_check(
    repo: &Repo,
    selector: &Selector,
    delta: &Delta,
) -> Result<Option<(Snapshot, Corpus, Plan)>, Error> {
    let Some(edited) = plan::edited_documents(selector, &delta.changes) else {
        return Ok(None);
    };
    let mut documents = edited.clone();
    if selector.kinds().has_content_kind() {
        // A documentation page lists its folder's documents (Related Files).
        let folders: BTreeSet<&str> = edited
            .iter()
            .filter(|doc| !is_within(doc, selector.root()))
            .map(|doc| folder_of(doc))
            .collect();
        let folders: Vec<&str> = folders.into_iter().collect();
        let listed = repo.delta_folder_files(delta, &folders)?;
        documents.extend(
            listed
                .into_iter()
                .filter(|path| is_document(selector, path)),
        );
        documents.sort_unstable();
        documents.dedup();
    }
    let corpus =
        Corpus::under_root(documents, selector.root()).with_content_pages(selector.kinds());
    let plan = plan::content_only(selector, &edited, &corpus, delta.changes.len());
    let mut paths: Vec<&str> = edited.iter().map(String::as_str).collect();
    paths.extend(plan.pages.iter().map(String::as_str));
    let snapshot = repo.delta_snapshot(delta, &paths)?;
    Ok(Some((snapshot, corpus, plan)))
}

/// The check of a change: the fast content-only plan when it applies, otherwise the
/// incremental plan from both sides' listings, which the delta itself provides.
fn delta_check(
    repo: &Repo,
    selector: &Selector,
    delta: &Delta,
) -> Result<(Snapshot, Corpus, Plan), Error> {
    if let Some(fast) = content_only_check(repo, selector, delta)? {
        return Ok(fast);
    }
    let (old, new) = repo.delta_listings(delta)?;
    incremental_check(selector, &old, new)
}

/// The documents of a source: the selected files, where the expected pages of the
/// content kinds that are on replace whatever the source holds at their paths. A file
/// that is a document only while a person wrote it ([`PageRole::PageOfPage`]) is read
/// to tell, unless `earlier` (another snapshot and its corpus) holds the same content.
pub(crate) fn corpus_of(
    selector: &Selector,
    snapshot: &Snapshot,
    earlier: Option<(&Snapshot, &Corpus)>,
) -> Result<Corpus, Error> {
    let candidates: Vec<(&str, Content)> = snapshot
        .files()
        .iter()
        .filter(|(path, _)| selector.page_role(path) == Some(PageRole::PageOfPage))
        .collect();
    let pages_of_pages: BTreeSet<String> = candidates
        .par_iter()
        .map_init(
            || snapshot.reader(),
            |reader, &(path, content)| {
                if let Some((old, old_corpus)) = earlier {
                    if old.get(path) == Some(content) {
                        return Ok(old_corpus.is_page_of_page(path).then(|| path.to_owned()));
                    }
                }
                let reader = reader.as_ref().map_err(reader_failed)?;
                // Scanned a chunk at a time: a large document under the root is not held.
                let mut scan = GeneratedScan::default();
                reader.read_each(path, content, &mut |chunk| scan.feed(chunk))?;
                Ok(scan.finish().then(|| path.to_owned()))
            },
        )
        .filter_map(Result::transpose)
        .collect::<Result<_, Error>>()?;
    let listed: Vec<&str> = snapshot.files().paths().collect();
    let documents: Vec<String> = listed
        .par_iter()
        .filter(|path| is_document(selector, path) && !pages_of_pages.contains(**path))
        .map(|path| (*path).to_owned())
        .collect();
    Ok(Corpus::under_root(documents, selector.root())
        .with_pages_of_pages(pages_of_pages)
        .with_content_pages(selector.kinds()))
}

/// Whether a listed file is a document: selected, and not where an expected content
/// page replaces whatever the source holds.
fn is_document(selector: &Selector, path: &str) -> bool {
    selector.is_document(path)
        && !(selector.kinds().has_content_kind() && selector.is_content_page(path))
}

/// Refuses a source with unresolved conflicts in anything but pages: a conflicted page
/// is regenerated like any out-of-date page (`--stage` then marks it resolved), but the
/// pages of a conflicted document cannot be known.
fn refuse_unmerged_documents(repo: &Repo, selector: &Selector) -> Result<(), Error> {
    let blocking: Vec<String> = repo
        .unmerged()
        .into_iter()
        .filter(|path| {
            !matches!(
                selector.page_role(path),
                Some(PageRole::Page(_) | PageRole::Stray)
            )
        })
        .collect();
    if blocking.is_empty() {
        Ok(())
    } else {
        Err(Error::Unmerged(blocking.join(", ")))
    }
}

/// Reads the source of `mode`, plans and compares: the verdict without any output.
pub fn check(repo: &Repo, config: &Config, mode: &Mode) -> Result<CheckResult, Error> {
    check_with(repo, config, mode, &CheckOptions::default())
}

/// What a check can be asked beyond its mode.
#[derive(Default)]
pub(crate) struct CheckOptions<'a> {
    /// Check only this shard `(K, N)` of the pages.
    pub shard: Option<(u32, u32)>,
    /// Called with the number of pages once they are planned; returns the per-page tick.
    pub progress: Option<&'a (dyn Fn(usize) -> Box<dyn Fn() + Sync> + Sync)>,
    /// Fix each page in the working tree as it is found, keeping none of their bytes
    /// (see [`FixAsFound`]).
    pub fix_as_found: Option<FixOptions>,
    /// What the report needs of missing pages (without a fix, which needs their bytes).
    pub missing_pages: MissingPages,
    /// Consult and update the page cache in the git directory (see `crate::cache`).
    pub cache: bool,
}

/// [`check`] with a shard and a progress display.
pub(crate) fn check_with(
    repo: &Repo,
    config: &Config,
    mode: &Mode,
    options: &CheckOptions,
) -> Result<CheckResult, Error> {
    let selector = Selector::new(config);
    let reading = source::read(repo, mode, &config.root)?;
    // Only the working tree lists untracked files, so only there can git ignore a page.
    let explain_ignored = matches!(reading, Reading::WorkTree(_));
    let cache_dir = cache::dir(repo.common_git_dir());
    let open_cache = || PageCache::open(&cache_dir, &render_numbers(config));
    let (checked, cache) = match reading {
        // A full check uses the cache when it is on (it plans every page): the cache is
        // read while the corpus is built, which is mostly one thread's work.
        Reading::WorkTree(snapshot) | Reading::Tree(snapshot) => rayon::join(
            || full_check(&selector, snapshot),
            || options.cache.then(open_cache),
        ),
        Reading::Change(delta) => (delta_check(repo, &selector, &delta), None),
        Reading::Sides { old, new } => (incremental_check(&selector, &old, new), None),
    };
    let (snapshot, corpus, plan) = checked?;
    refuse_unmerged_documents(repo, &selector)?;
    plan::refuse_impossible_pages(&selector, &corpus)?;
    let mut plan = plan;
    if let Some((index, count)) = options.shard {
        plan.keep_shard(index, count);
    }
    // A run of a few pages renders them faster than it reads the cache's file.
    let cache = if plan.pages.len() >= CACHE_FROM_PAGES {
        cache.or_else(|| options.cache.then(open_cache))
    } else {
        None
    };
    let mut generator = Generator::new(config, &corpus).with_cache(cache.as_ref());
    let tick: Box<dyn Fn() + Sync> = match options.progress {
        Some(start) => start(plan.pages.len()),
        None => Box::new(|| {}),
    };
    let fixer = options
        .fix_as_found
        .map(|fix| FixAsFound::start(repo, &plan.pages, fix))
        .transpose()?;
    let fix_one;
    let slim = |finding: &mut Finding| finding.slim(options.missing_pages);
    let on_finding: Option<&(dyn Fn(&mut Finding) + Sync)> = match &fixer {
        Some(fixer) => {
            fix_one = |finding: &mut Finding| fixer.fix(finding);
            Some(&fix_one)
        }
        None if options.missing_pages != MissingPages::Keep => Some(&slim),
        None => None,
    };
    let mut verdict = compare(
        &selector,
        &mut generator,
        &snapshot,
        &plan,
        &tick,
        on_finding,
    )?;
    if explain_ignored {
        // A listed file is tracked or not ignored: only the others can be ignored.
        let unlisted: Vec<usize> = (0..verdict.findings.len())
            .filter(|&at| snapshot.get(&verdict.findings[at].page).is_none())
            .collect();
        let pages: Vec<&str> = unlisted
            .iter()
            .map(|&at| verdict.findings[at].page.as_str())
            .collect();
        let reasons = repo.ignore_reasons(&pages);
        for (at, reason) in unlisted.into_iter().zip(reasons) {
            verdict.findings[at].ignored = reason;
        }
    }
    generator.settle(&snapshot);
    drop(generator);
    if let Some(cache) = cache {
        cache.save();
    }
    let fixed = fixer.map(FixAsFound::finish).transpose()?;
    // A folder is worth a word when a documented name in it would be a document.
    let unnamed = repo
        .unnamed()
        .into_iter()
        .filter(|path| match path.strip_suffix('/') {
            Some(folder) => selector.is_document(&format!("{folder}/README")),
            None => selector.is_document(path),
        })
        .collect();
    let reads = snapshot.reads();
    free_in_background((snapshot, corpus));
    Ok(CheckResult {
        verdict,
        documents: plan.documents,
        plan,
        reads,
        fixed,
        unnamed,
    })
}

/// Frees `value` on a thread of its own: a repository's listing and corpus take tens of
/// milliseconds to free, and the report need not wait for that. When the process ends
/// first, the system takes the memory back; when no thread starts, it is freed here.
pub(crate) fn free_in_background<T: Send + 'static>(value: T) {
    let _ = std::thread::Builder::new()
        .name("docdex-free".to_owned())
        .spawn(move || drop(value));
}
