//! A source's listing, packed: every path in one string, in byte order.
//!
//! A listing of all six kinds at 100,000 documents has about 460,000 files. As a
//! `BTreeMap<String, Content>` it took 72 MB (a heap string per path, tree nodes); packed
//! it takes about half, and a lookup is one binary search.

use std::cmp::Ordering;
use std::collections::BTreeMap;

use super::Content;

/// The regular files of one source and how each one's bytes are found (`C`), by path
/// in byte order, each path once.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct FileList<C = Content> {
    /// Every path, one after another, in the order of `entries`.
    paths: String,
    entries: Vec<Entry<C>>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Entry<C> {
    /// Where the path ends in `paths`; it starts where the one before ends.
    end: usize,
    content: C,
}

impl<C> Default for FileList<C> {
    fn default() -> Self {
        FileList {
            paths: String::new(),
            entries: Vec::new(),
        }
    }
}

impl<C: Copy> FileList<C> {
    /// The number of files.
    pub(crate) fn len(&self) -> usize {
        self.entries.len()
    }

    /// How the file at `path` is found, if the listing has it.
    pub(crate) fn get(&self, path: &str) -> Option<C> {
        let (mut low, mut high) = (0, self.entries.len());
        while low < high {
            let middle = low + (high - low) / 2;
            match self.path_at(middle).cmp(path) {
                Ordering::Less => low = middle + 1,
                Ordering::Greater => high = middle,
                Ordering::Equal => return Some(self.entries[middle].content),
            }
        }
        None
    }

    /// Every file and its content, in byte order of path.
    pub(crate) fn iter(&self) -> impl DoubleEndedIterator<Item = (&str, C)> + ExactSizeIterator {
        (0..self.entries.len()).map(|at| (self.path_at(at), self.entries[at].content))
    }

    /// Every path, in byte order.
    pub(crate) fn paths(&self) -> impl DoubleEndedIterator<Item = &str> + ExactSizeIterator {
        (0..self.entries.len()).map(|at| self.path_at(at))
    }

    /// The same files, each one's content mapped by `f`.
    pub(crate) fn map<D>(self, mut f: impl FnMut(C) -> D) -> FileList<D> {
        FileList {
            paths: self.paths,
            entries: self
                .entries
                .into_iter()
                .map(|entry| Entry {
                    end: entry.end,
                    content: f(entry.content),
                })
                .collect(),
        }
    }

    /// This listing with `changes` made: a path given `Some` content has it (added or
    /// replaced), one given `None` is gone; of two changes of one path the later wins.
    pub(crate) fn with_changes<'a>(
        &self,
        changes: impl IntoIterator<Item = (&'a str, Option<C>)>,
    ) -> FileList<C> {
        // Inserted one after another, the later change of a path replaces the earlier.
        let mut last = BTreeMap::new();
        for (path, change) in changes {
            last.insert(path, change);
        }
        let mut changes = last.into_iter().peekable();
        let mut list = FileListBuilder::with_capacity(self.len(), self.paths.len());
        // Both in byte order: merged, the listing comes out in order.
        for (path, content) in self.iter() {
            while let Some((added, change)) = changes.next_if(|(changed, _)| *changed < path) {
                if let Some(content) = change {
                    list.push(added, content);
                }
            }
            match changes.next_if(|(changed, _)| *changed == path) {
                Some((_, Some(content))) => list.push(path, content),
                Some((_, None)) => {}
                None => list.push(path, content),
            }
        }
        for (added, change) in changes {
            if let Some(content) = change {
                list.push(added, content);
            }
        }
        list.finish()
    }

    fn path_at(&self, at: usize) -> &str {
        let start = match at {
            0 => 0,
            _ => self.entries[at - 1].end,
        };
        &self.paths[start..self.entries[at].end]
    }
}

// The listings of docdex are made by a builder; tests collect theirs.
#[cfg(test)]
impl<C: Copy> FromIterator<(String, C)> for FileList<C> {
    fn from_iter<I: IntoIterator<Item = (String, C)>>(files: I) -> Self {
        let mut list = FileListBuilder::default();
        for (path, content) in files {
            list.push(&path, content);
        }
        list.finish()
    }
}

/// Collects a [`FileList`] in any order; where a path is pushed twice, the last wins.
pub(crate) struct FileListBuilder<C = Content> {
    paths: String,
    /// Start and end in `paths`, and content, in the order pushed.
    entries: Vec<(usize, usize, C)>,
}

impl<C> Default for FileListBuilder<C> {
    fn default() -> Self {
        FileListBuilder {
            paths: String::new(),
            entries: Vec::new(),
        }
    }
}

impl<C: Copy> FileListBuilder<C> {
    /// Room for `files` files whose paths take `bytes` bytes in all.
    pub(crate) fn with_capacity(files: usize, bytes: usize) -> Self {
        FileListBuilder {
            paths: String::with_capacity(bytes),
            entries: Vec::with_capacity(files),
        }
    }

    /// Adds the file at `path`.
    pub(crate) fn push(&mut self, path: &str, content: C) {
        self.push_joined(path, "", content);
    }

    /// Adds the file at `folder` followed by `name` (`folder` ends with `/`, or is empty),
    /// without joining them first.
    pub(crate) fn push_joined(&mut self, folder: &str, name: &str, content: C) {
        let start = self.paths.len();
        self.paths.push_str(folder);
        self.paths.push_str(name);
        self.entries.push((start, self.paths.len(), content));
    }

    /// The listing, in byte order of path.
    pub(crate) fn finish(self) -> FileList<C> {
        let FileListBuilder { paths, mut entries } = self;
        let path = |&(start, end, _): &(usize, usize, C)| &paths[start..end];
        let in_order = entries
            .windows(2)
            .all(|pair| path(&pair[0]) < path(&pair[1]));
        if in_order {
            let entries = entries
                .into_iter()
                .map(|(_, end, content)| Entry { end, content })
                .collect();
            return FileList { paths, entries };
        }
        // Stable, so of the pushes of one path the last stays last.
        entries.sort_by(|a, b| path(a).cmp(path(b)));
        let mut list = FileList {
            paths: String::with_capacity(paths.len()),
            entries: Vec::with_capacity(entries.len()),
        };
        for (at, entry) in entries.iter().enumerate() {
            if entries
                .get(at + 1)
                .is_some_and(|next| path(next) == path(entry))
            {
                continue;
            }
            list.paths.push_str(path(entry));
            list.entries.push(Entry {
                end: list.paths.len(),
                content: entry.2,
            });
        }
        list
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::Oid;
    use proptest::prelude::*;

    fn blob(n: u8) -> Content {
        Content::Blob(Oid::from_bytes(&[n; 20]).unwrap())
    }

    fn paths() -> impl Strategy<Value = Vec<(String, u8)>> {
        // Few letters, so paths repeat and share prefixes.
        prop::collection::vec(("[ab/é.]{0,6}", any::<u8>()), 0..40)
    }

    proptest! {
        /// Whatever order files come in, the listing is a map of path to content: the
        /// same as a `BTreeMap` filled in the same order.
        #[test]
        fn a_listing_is_the_map_of_its_pushes(files in paths()) {
            let list: FileList = files.iter().map(|(p, n)| (p.clone(), blob(*n))).collect();
            let map: BTreeMap<String, Content> =
                files.iter().map(|(p, n)| (p.clone(), blob(*n))).collect();
            let listed: Vec<(&str, Content)> = list.iter().collect();
            let mapped: Vec<(&str, Content)> = map.iter().map(|(p, c)| (p.as_str(), *c)).collect();
            prop_assert_eq!(&listed, &mapped);
            prop_assert_eq!(list.len(), map.len());
            for (path, _) in &files {
                prop_assert_eq!(list.get(path), map.get(path).copied());
                let longer = format!("{path}a");
                prop_assert_eq!(list.get(&longer), map.get(&longer).copied());
            }
        }

        /// Changes made to a listing give what the same inserts and removals give a map.
        #[test]
        fn changes_are_inserts_and_removals(
            files in paths(),
            changes in prop::collection::vec(("[ab/é.]{0,6}", prop::option::of(any::<u8>())), 0..20),
        ) {
            let list: FileList = files.iter().map(|(p, n)| (p.clone(), blob(*n))).collect();
            let mut map: BTreeMap<String, Content> =
                files.iter().map(|(p, n)| (p.clone(), blob(*n))).collect();
            for (path, change) in &changes {
                match change {
                    Some(n) => map.insert(path.clone(), blob(*n)),
                    None => map.remove(path),
                };
            }
            let changed = list.with_changes(
                changes.iter().map(|(p, change)| (p.as_str(), change.map(blob))),
            );
            let listed: Vec<(&str, Content)> = changed.iter().collect();
            let mapped: Vec<(&str, Content)> = map.iter().map(|(p, c)| (p.as_str(), *c)).collect();
            prop_assert_eq!(listed, mapped);
        }
    }

    #[test]
    fn folder_and_name_are_joined() {
        let mut list = FileListBuilder::default();
        list.push_joined("src/", "b.rs", blob(2));
        list.push_joined("", "a.rs", blob(1));
        let list = list.finish();
        assert_eq!(list.paths().collect::<Vec<_>>(), ["a.rs", "src/b.rs"]);
        assert_eq!(list.get("src/b.rs"), Some(blob(2)));
        assert_eq!(list.get("src/"), None);
    }
}
