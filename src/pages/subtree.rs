//! The subtree index `root/F/sub.md` (docs/format.md, "The pages").

use std::collections::BTreeMap;
use std::fmt::Write;

use std::collections::BTreeSet;

use super::kind::{DocumentChange, NameLists, PageKind, Parsed, RenderContext};
use super::{display, Corpus, FOOTER};
use crate::error::Error;
use crate::paths::{ancestors, depth, extension, folder_of, name_of};
use crate::quote;

/// At most this many keys are listed.
const MAX_KEYS: usize = 500;
/// At most this many documents are listed under one key.
const MAX_PER_KEY: usize = 20;

/// A key of the index, ordered as its text: a name's stem, or `files-EXT`. Borrowed
/// from the document paths, so the tens of thousands of keys of a large folder are not
/// each an allocation.
enum Key<'a> {
    Stem(&'a str),
    Files(&'a str),
}

impl Key<'_> {
    fn bytes(&self) -> impl Iterator<Item = u8> + '_ {
        let (prefix, rest): (&[u8], &str) = match self {
            Key::Stem(stem) => (b"", stem),
            Key::Files(ext) => (b"files-", ext),
        };
        prefix.iter().copied().chain(rest.bytes())
    }
}

impl Ord for Key<'_> {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.bytes().cmp(other.bytes())
    }
}

// Equal as text: the stem `files-py` and the extension key of `.py` are one key.
impl PartialEq for Key<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == std::cmp::Ordering::Equal
    }
}

impl Eq for Key<'_> {}

impl PartialOrd for Key<'_> {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl std::fmt::Display for Key<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Key::Stem(stem) => f.write_str(stem),
            Key::Files(ext) => write!(f, "files-{ext}"),
        }
    }
}

/// Renders the subtree index of `folder` (the repo root included), or `None` when
/// `folder` is not a folder of `corpus`.
pub(crate) fn subtree_index(corpus: &Corpus, folder: &str) -> Option<String> {
    if !corpus.contains_folder(folder) {
        return None;
    }
    let shown = display(folder);
    let mut keys: BTreeMap<Key, Vec<&str>> = BTreeMap::new();
    for doc in corpus.documents_under(folder) {
        let name = name_of(doc);
        let stem = name.split('.').next().unwrap_or_default();
        // A name without an extension (`Makefile`) has no `files-` key (docs/format.md, "The pages").
        let files_key = extension(name).map(Key::Files);
        for key in std::iter::once(Key::Stem(stem)).chain(files_key) {
            let docs = keys.entry(key).or_default();
            if docs.len() < MAX_PER_KEY {
                docs.push(doc);
            }
        }
    }
    let up = "../".repeat(depth(folder));
    let mut page = String::with_capacity(256 + 120 * keys.len());
    let _ = write!(
        page,
        "# Subtree Keyword Index: `{shown}/`\n\n## Scope\n\n\
         This index covers all files within `{shown}/` and all its subdirectories (recursively).\n\n\
         ## Keywords\n\n"
    );
    for (key, docs) in keys.iter().take(MAX_KEYS) {
        let _ = write!(page, "\n### {key}\n\n");
        for doc in docs {
            let doc_folder = folder_of(doc);
            let name = name_of(doc);
            if doc_folder == folder {
                let _ = writeln!(page, "- [`{doc}`](./{name}_docs.md)");
            } else {
                let _ = writeln!(page, "- [`{doc}`]({up}{doc_folder}/{name}_docs.md)");
            }
        }
    }
    page.push_str("\n\n");
    page.push_str(FOOTER);
    Some(page)
}

/// `root/F/sub.md` and `root/sub.md`: one subtree index per folder, the root included.
pub(crate) struct Subtree;

impl PageKind for Subtree {
    fn name(&self) -> &'static str {
        "subtree"
    }

    fn reserves(&self, name: &str) -> bool {
        name == "sub.md"
    }

    fn parse<'r>(&self, rel: &'r str, _root: &str) -> Option<Parsed<'r>> {
        Some(Parsed::Page(folder_of(rel)))
    }

    fn page_path(&self, folder: &str) -> String {
        if folder.is_empty() {
            "sub.md".to_owned()
        } else {
            format!("{folder}/sub.md")
        }
    }

    fn keys(&self, corpus: &Corpus) -> Vec<String> {
        corpus.folders().map(str::to_owned).collect()
    }

    fn generates(&self, corpus: &Corpus, folder: &str) -> bool {
        corpus.contains_folder(folder)
    }

    fn affected_by(&self, change: &DocumentChange, keys: &mut BTreeSet<String>) {
        if change.is_structural() {
            keys.extend(ancestors(folder_of(change.path)).map(str::to_owned));
        }
    }

    fn render(&self, context: &RenderContext, folder: &str) -> Result<Option<String>, Error> {
        Ok(subtree_index(context.corpus, folder))
    }

    fn names_read<'c>(&self, corpus: &'c Corpus, folder: &str) -> Option<NameLists<'c>> {
        Some([corpus.documents_under(folder), &[]])
    }

    fn describe(&self, folder: &str) -> String {
        let shown = if folder.is_empty() {
            "the repository root".into()
        } else {
            quote::path(folder)
        };
        format!("subtree index of {shown}")
    }

    fn gone(&self) -> &'static str {
        "which no longer holds documents"
    }

    /// A document is listed twice, under its stem and its `files-EXT` key.
    fn rows_need_section(&self) -> bool {
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_and_links() {
        let corpus =
            Corpus::new(["a/x.py", "a/b/y.tar.gz", "a/b/Makefile", "z.md"].map(String::from));
        let page = subtree_index(&corpus, "a").unwrap();
        assert!(page.contains("\n### Makefile\n\n- [`a/b/Makefile`](../a/b/Makefile_docs.md)\n"));
        assert!(!page.contains("\n### files-\n"), "{page}");
        assert!(page.contains("\n### y\n\n- [`a/b/y.tar.gz`](../a/b/y.tar.gz_docs.md)\n"));
        assert!(page.contains("\n### files-.py\n\n- [`a/x.py`](./x.py_docs.md)\n"));
        assert!(!page.contains("z.md"));
        let root = subtree_index(&corpus, "").unwrap();
        assert!(root.starts_with("# Subtree Keyword Index: `root/`\n"));
        assert!(root.contains("- [`a/x.py`](a/x.py_docs.md)\n"));
        assert!(root.contains("- [`z.md`](./z.md_docs.md)\n"));
    }

    proptest::proptest! {
        /// Keys order as their text does, whichever kinds they are.
        #[test]
        fn keys_order_as_their_text(a in "[a-z.-]{0,8}", b in "[a-z.-]{0,8}", kinds in 0u8..4) {
            let key = |files: bool, text: &str| -> (Key<'static>, String) {
                let text: &'static str = Box::leak(text.to_owned().into_boxed_str());
                if files { (Key::Files(text), format!("files-{text}")) } else { (Key::Stem(text), text.to_owned()) }
            };
            let (x, x_text) = key(kinds & 1 != 0, &a);
            let (y, y_text) = key(kinds & 2 != 0, &b);
            proptest::prop_assert_eq!(x.cmp(&y), x_text.cmp(&y_text));
            proptest::prop_assert_eq!(x == y, x_text == y_text);
            proptest::prop_assert_eq!(x.to_string(), x_text);
        }
    }

    #[test]
    fn at_most_500_keys_and_20_documents_per_key() {
        let corpus = Corpus::new((0..600).map(|i| format!("pkg/k{i:03}.py")));
        let page = subtree_index(&corpus, "pkg").unwrap();
        let keys: Vec<&str> = page
            .lines()
            .filter_map(|l| l.strip_prefix("### "))
            .collect();
        assert_eq!(keys.len(), MAX_KEYS);
        // Byte order: "files-.py" sorts before every "k..." key.
        assert_eq!(keys[0], "files-.py");
        assert_eq!(keys[MAX_KEYS - 1], "k498");
        let files = page.split("### files-.py\n\n").nth(1).unwrap();
        let listed: Vec<&str> = files.lines().take_while(|l| l.starts_with("- ")).collect();
        assert_eq!(listed.len(), MAX_PER_KEY);
        assert_eq!(listed[0], "- [`pkg/k000.py`](./k000.py_docs.md)");
        assert_eq!(listed[19], "- [`pkg/k019.py`](./k019.py_docs.md)");
    }
}
