//! The page cache: what each expensive page rendered to last time, keyed only by what it
//! was rendered from (docs/guide.md, "The cache").
//!
//! A key is a digest of the program's own source, the numbers rendering is given, the
//! page kind and key, the names the page lists and the id of the document it reads
//! (a blob id, or for a document that is itself an expected page, that page's id); a
//! page rendered from names alone is keyed on those names instead of a document. An
//! entry maps it to the blob id of the page rendering gave. A run that finds the
//! committed page's id under its key knows the page is fresh without reading or
//! rendering anything; every other page is checked as without the cache. So the cache
//! can only ever skip work that would have found a fresh page: it cannot change a
//! verdict, a report or a fix.
//!
//! The file lives in the common git directory (`.git/docdex/pages`), shared by linked
//! worktrees and never in the working tree. A missing, damaged or foreign file is
//! ignored and rewritten; a run writes a whole new file and renames it into place, so
//! two runs at once neither corrupt it nor wait for each other (the last one's entries
//! win); a directory that cannot be written is left as it is.

mod store;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, PoisonError};

use sha1::{Digest, Sha1};

use crate::source::Oid;
use store::{Buckets, Entry, Store};

/// The file's name inside [`dir`].
const FILE: &str = "pages";

/// The fewest entries a file keeps before the least recently used are dropped; a run
/// that needs more keeps twice what it needed.
const MIN_CAPACITY: usize = 1 << 18;

/// Where the cache of the repository whose common git directory is `common_git_dir` lives.
pub(crate) fn dir(common_git_dir: &Path) -> PathBuf {
    common_git_dir.join("docdex")
}

/// How many entries a cache file holds, or `None` when the bytes are not a whole file
/// of this docdex's format (which a run ignores and rewrites).
pub fn entries_in(bytes: &[u8]) -> Option<usize> {
    Store::parse(bytes).map(|store| store.entries.len())
}

/// The digest a page's entry is filed under.
pub(crate) type Key = [u8; 20];

/// The cache of one run: the entries read at its start, which of them it used, and the
/// entries it learnt.
pub(crate) struct PageCache {
    file: PathBuf,
    store: Store,
    buckets: Buckets,
    used: Vec<AtomicBool>,
    /// Entries learnt this run that this run may ask for again ([`PageCache::put`]).
    learnt: Mutex<HashMap<Key, Oid>>,
    /// Entries learnt this run for the next runs only ([`PageCache::file`]): a list,
    /// which holds a first run's hundreds of thousands in half the memory of a map.
    filed: Mutex<Vec<(Key, Oid)>>,
    /// The start of every key: the program and the numbers rendering is given.
    base: Sha1,
}

impl PageCache {
    /// The cache in `dir`, empty when there is none or it cannot be read whole.
    /// `render_numbers` are the configuration values rendering is given.
    pub(crate) fn open(dir: &Path, render_numbers: &[u64]) -> PageCache {
        let file = dir.join(FILE);
        let store = std::fs::read(&file)
            .ok()
            .and_then(|bytes| Store::parse(&bytes))
            .unwrap_or_default();
        let mut base = Sha1::new();
        base.update(b"docdex page cache\0");
        base.update(env!("DOCDEX_SOURCE_DIGEST").as_bytes());
        base.update(b"\0");
        for number in render_numbers {
            base.update(number.to_le_bytes());
        }
        PageCache {
            file,
            buckets: Buckets::of(&store),
            used: store
                .entries
                .iter()
                .map(|_| AtomicBool::new(false))
                .collect(),
            store,
            learnt: Mutex::default(),
            filed: Mutex::default(),
            base,
        }
    }

    /// The key of the page of `kind` for `key` that lists `names` and reads a document
    /// whose id is `document` (`expected` when that document is an expected page).
    pub(crate) fn key(
        &self,
        kind: &str,
        key: &str,
        names: Option<&Key>,
        document: (Oid, DocumentId),
    ) -> Key {
        let mut hasher = self.start(kind, key);
        hasher.update(names.unwrap_or(&[0; 20]));
        hasher.update([document.1 as u8]);
        hasher.update(document.0.as_bytes());
        hasher.finalize().into()
    }

    /// The key of the page of `kind` for `key`, rendered from the name lists `lists`
    /// alone ([`crate::pages::PageKind::names_read`]).
    pub(crate) fn names_key(&self, kind: &str, key: &str, lists: [&[String]; 2]) -> Key {
        let mut hasher = self.start(kind, key);
        for list in lists {
            hash_names(&mut hasher, list);
        }
        hasher.finalize().into()
    }

    /// The digest of the names a page lists, for [`PageCache::key`].
    pub(crate) fn names(names: &[String]) -> Key {
        let mut hasher = Sha1::new();
        hash_names(&mut hasher, names);
        hasher.finalize().into()
    }

    /// Every key's start: the program, the render numbers, the page kind and key.
    fn start(&self, kind: &str, key: &str) -> Sha1 {
        let mut hasher = self.base.clone();
        hasher.update(kind.as_bytes());
        hasher.update(b"\0");
        hasher.update(key.as_bytes());
        hasher.update(b"\0");
        hasher
    }

    /// Whether the file held no entry: then nothing is fresh by the cache before this
    /// run learns it (a first run, or one after `cache clear`).
    pub(crate) fn starts_empty(&self) -> bool {
        self.store.entries.is_empty()
    }

    /// The page id remembered under `key`: from the file (then the entry is kept as
    /// recently used) or learnt earlier in this run.
    pub(crate) fn get(&self, key: &Key) -> Option<Oid> {
        if let Some(at) = self.buckets.find(&self.store, key) {
            self.used[at].store(true, Ordering::Relaxed);
            return Oid::from_bytes(&self.store.entries[at].page).ok();
        }
        self.learnt().get(key).copied()
    }

    /// Remembers that the page filed under `key` renders to the blob `page`, for this
    /// run's [`PageCache::get`] too.
    pub(crate) fn put(&self, key: Key, page: Oid) {
        if self.buckets.find(&self.store, &key).is_none() {
            self.learnt().insert(key, page);
        }
    }

    /// Remembers that the page filed under `key` renders to the blob `page`, for the
    /// next runs: this run does not ask for it again.
    pub(crate) fn file(&self, key: Key, page: Oid) {
        if self.buckets.find(&self.store, &key).is_none() {
            self.filed
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .push((key, page));
        }
    }

    /// Makes room for `pages` more entries to [`PageCache::file`], so the list is not
    /// regrown (and held twice while it is) during a first run.
    pub(crate) fn expect(&self, pages: usize) {
        self.filed
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .reserve(pages);
    }

    fn learnt(&self) -> std::sync::MutexGuard<'_, HashMap<Key, Oid>> {
        self.learnt.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Writes the file when this run learnt an entry or used one an earlier run last
    /// used: whole, then renamed into place. Nothing is reported when it cannot be
    /// written (a read-only git directory still checks).
    pub(crate) fn save(self) {
        let PageCache {
            file,
            store,
            used,
            learnt,
            filed,
            ..
        } = self;
        let learnt = learnt.into_inner().unwrap_or_else(PoisonError::into_inner);
        let filed = filed.into_inner().unwrap_or_else(PoisonError::into_inner);
        let generation = store.generation.wrapping_add(1);
        let mut refreshed = false;
        let mut wanted = learnt.len() + filed.len();
        let mut entries = store.entries;
        for (entry, used) in entries.iter_mut().zip(&used) {
            if used.load(Ordering::Relaxed) {
                wanted += 1;
                refreshed |= entry.generation != store.generation;
                entry.generation = generation;
            }
        }
        if learnt.is_empty() && filed.is_empty() && !refreshed {
            return;
        }
        entries.extend(learnt.into_iter().chain(filed).map(|(key, page)| Entry {
            key,
            page: page.as_bytes().try_into().expect("a SHA-1 id"),
            generation,
        }));
        let capacity = MIN_CAPACITY.max(wanted.saturating_mul(2));
        if entries.len() > capacity {
            // The most recently used stay; ties go by key, so the file is the same
            // whatever order the run learnt its entries in.
            entries
                .sort_unstable_by(|a, b| b.generation.cmp(&a.generation).then(a.key.cmp(&b.key)));
            entries.truncate(capacity);
        }
        // A key learnt twice keeps one entry, the same whatever order the run met them in.
        entries.sort_unstable_by(|a, b| a.key.cmp(&b.key).then(a.page.cmp(&b.page)));
        entries.dedup_by_key(|e| e.key);
        let bytes = Store {
            generation,
            entries,
        }
        .to_bytes();
        let _ = write_whole(&file, &bytes);
    }
}

/// Feeds a list of names to `hasher`: its length, then each name and a NUL (which no
/// name holds), so no two lists feed the same bytes.
fn hash_names(hasher: &mut Sha1, names: &[String]) {
    hasher.update((names.len() as u64).to_le_bytes());
    for name in names {
        hasher.update(name.as_bytes());
        hasher.update(b"\0");
    }
}

/// What the id in a key stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum DocumentId {
    /// The document's blob.
    Blob = 0,
    /// The expected page the document is.
    Expected = 1,
}

/// Writes `bytes` to a temporary file beside `file`, then renames it over `file`.
fn write_whole(file: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let dir = file.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let mut temporary = tempfile::Builder::new()
        .prefix(".pages-")
        .tempfile_in(dir)?;
    temporary.write_all(bytes)?;
    temporary.persist(file).map_err(|err| err.error)?;
    Ok(())
}

/// Removes the cache in `dir`: how many bytes it held, or `None` when there was none.
pub(crate) fn clear(dir: &Path) -> std::io::Result<Option<u64>> {
    let size = match std::fs::metadata(dir.join(FILE)) {
        Ok(meta) => Some(meta.len()),
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => None,
        Err(err) => return Err(err),
    };
    match std::fs::remove_dir_all(dir) {
        Ok(()) => Ok(size),
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(err) => Err(err),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn oid(byte: u8) -> Oid {
        Oid::from_bytes(&[byte; 20]).unwrap()
    }

    #[test]
    fn what_a_run_learns_the_next_run_finds() {
        let dir = tempfile::tempdir().unwrap();
        let cache = PageCache::open(dir.path(), &[1, 100]);
        let key = cache.key("keyword", "a.py", None, (oid(1), DocumentId::Blob));
        assert_eq!(cache.get(&key), None);
        cache.put(key, oid(9));
        assert_eq!(cache.get(&key), Some(oid(9)));
        cache.save();
        let cache = PageCache::open(dir.path(), &[1, 100]);
        assert_eq!(cache.get(&key), Some(oid(9)));
        // Other render numbers, another name list or an expected page: other keys.
        let other = PageCache::open(dir.path(), &[2, 100]);
        assert_ne!(
            other.key("keyword", "a.py", None, (oid(1), DocumentId::Blob)),
            key
        );
        let names = PageCache::names(&["a.py".to_owned()]);
        assert_ne!(
            cache.key("keyword", "a.py", Some(&names), (oid(1), DocumentId::Blob)),
            key
        );
        assert_ne!(
            cache.key("keyword", "a.py", None, (oid(1), DocumentId::Expected)),
            key
        );
        assert_ne!(
            cache.key("docs", "a.py", None, (oid(1), DocumentId::Blob)),
            key
        );
    }

    #[test]
    fn what_a_run_files_the_next_run_finds_once() {
        let dir = tempfile::tempdir().unwrap();
        let cache = PageCache::open(dir.path(), &[]);
        cache.expect(3);
        let key = cache.key("keyword", "a.py", None, (oid(1), DocumentId::Blob));
        let other = cache.key("keyword", "b.py", None, (oid(1), DocumentId::Blob));
        cache.file(key, oid(5));
        cache.file(key, oid(5));
        cache.put(other, oid(6));
        cache.save();
        let bytes = std::fs::read(dir.path().join(FILE)).unwrap();
        assert_eq!(entries_in(&bytes), Some(2));
        let cache = PageCache::open(dir.path(), &[]);
        assert_eq!(cache.get(&key), Some(oid(5)));
        assert_eq!(cache.get(&other), Some(oid(6)));
    }

    #[test]
    fn a_damaged_file_is_ignored_and_rewritten_and_clear_removes_it() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(FILE), b"DDXPAGES and then nonsense").unwrap();
        let cache = PageCache::open(dir.path(), &[]);
        let key = cache.key("keyword", "a.py", None, (oid(1), DocumentId::Blob));
        assert_eq!(cache.get(&key), None);
        cache.put(key, oid(3));
        cache.save();
        let bytes = std::fs::read(dir.path().join(FILE)).unwrap();
        assert_eq!(entries_in(&bytes), Some(1));
        assert!(clear(dir.path()).unwrap().is_some());
        assert_eq!(clear(dir.path()).unwrap(), None);
    }

    #[test]
    fn a_run_that_learns_nothing_new_writes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let cache = PageCache::open(dir.path(), &[]);
        let key = cache.key("keyword", "a.py", None, (oid(1), DocumentId::Blob));
        cache.put(key, oid(3));
        cache.save();
        let file = dir.path().join(FILE);
        let written = std::fs::read(&file).unwrap();
        // Used as the last run left it: nothing to refresh.
        let cache = PageCache::open(dir.path(), &[]);
        assert!(cache.get(&key).is_some());
        std::fs::remove_file(&file).unwrap();
        cache.save();
        assert!(!file.exists(), "rewritten without news");
        std::fs::write(&file, written).unwrap();
    }

    #[test]
    fn the_least_recently_used_go_first_when_the_file_is_full() {
        let dir = tempfile::tempdir().unwrap();
        let mut entries: Vec<Entry> = (0..MIN_CAPACITY as u32 + 10)
            .map(|n| {
                let mut key = [0; 20];
                key[..4].copy_from_slice(&n.to_be_bytes());
                Entry {
                    key,
                    page: [1; 20],
                    generation: if n < 10 { 1 } else { 2 },
                }
            })
            .collect();
        entries.sort_unstable_by_key(|e| e.key);
        let full = Store {
            generation: 2,
            entries,
        };
        std::fs::write(dir.path().join(FILE), full.to_bytes()).unwrap();
        let cache = PageCache::open(dir.path(), &[]);
        cache.put([0xff; 20], oid(4));
        cache.save();
        let store = Store::parse(&std::fs::read(dir.path().join(FILE)).unwrap()).unwrap();
        assert_eq!(store.entries.len(), MIN_CAPACITY);
        assert!(store.find(&[0xff; 20]).is_some(), "the new entry stays");
        assert!(
            store.entries.iter().all(|e| e.generation >= 2),
            "the oldest went"
        );
    }
}
