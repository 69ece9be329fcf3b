//! The global file index `root/keywords.md` (docs/format.md, "The pages").

use std::collections::BTreeMap;
use std::fmt::Write;

use std::collections::BTreeSet;

use super::kind::{DocumentChange, NameLists, PageKind, Parsed, RenderContext};
use super::{Corpus, FOOTER};
use crate::error::Error;
use crate::paths::{folder_of, name_of};

/// At most this many documents are listed under one letter.
const MAX_PER_GROUP: usize = 100;

const PREAMBLE: &str = "# Global Keyword Index

## About This Index

This is a comprehensive keyword index covering all files in the PyTorch repository. Use this index to find:

- Classes, functions, and methods
- Technical terms and concepts
- Module names and file locations
- API components

## How to Use

1. Find your keyword alphabetically below
2. Click on file links to see detailed documentation
3. Use the keyword file links to see all keywords in a file

## Keywords by Category

*Note: This is a high-level index. Detailed keywords are in folder-specific `sub.md` files.*

### A-Z Index

";

/// Renders the global file index of every document in `corpus`.
pub(crate) fn global_index(corpus: &Corpus) -> String {
    let mut groups: BTreeMap<String, Vec<&str>> = BTreeMap::new();
    for doc in corpus.documents() {
        let Some(first) = name_of(doc).chars().next() else {
            continue;
        };
        let group: String = first.to_uppercase().collect();
        // Python's `str.isalpha()`: every character of category L (`Ⓐ` is not).
        if !group.chars().all(crate::python::is_alpha) {
            continue;
        }
        let docs = groups.entry(group).or_default();
        if docs.len() < MAX_PER_GROUP {
            docs.push(doc);
        }
    }
    let mut page = String::with_capacity(PREAMBLE.len() + 200 * corpus.documents().len().min(5000));
    page.push_str(PREAMBLE);
    for (group, docs) in &groups {
        let _ = write!(page, "\n### {group}\n\n");
        for doc in docs {
            let name = name_of(doc);
            let folder = folder_of(doc);
            let _ = writeln!(
                page,
                "- **{name}**: [{doc}](./{folder}/{name}_docs.md) | [keywords](./{folder}/{name}_kw.md)"
            );
        }
    }
    page.push_str("\n\n");
    page.push_str(FOOTER);
    page
}

/// `root/keywords.md`: one global file index per repository (key `""`).
pub(crate) struct Global;

impl PageKind for Global {
    fn name(&self) -> &'static str {
        "global"
    }

    fn reserves(&self, name: &str) -> bool {
        name == "keywords.md"
    }

    /// Only at the top of the root; anywhere else the name is stray.
    fn parse<'r>(&self, rel: &'r str, _root: &str) -> Option<Parsed<'r>> {
        Some(if folder_of(rel).is_empty() {
            Parsed::Page("")
        } else {
            Parsed::Stray
        })
    }

    fn page_path(&self, _key: &str) -> String {
        "keywords.md".to_owned()
    }

    fn keys(&self, corpus: &Corpus) -> Vec<String> {
        if corpus.documents().is_empty() {
            Vec::new()
        } else {
            vec![String::new()]
        }
    }

    fn generates(&self, corpus: &Corpus, _key: &str) -> bool {
        !corpus.documents().is_empty()
    }

    fn affected_by(&self, change: &DocumentChange, keys: &mut BTreeSet<String>) {
        if change.is_structural() {
            keys.insert(String::new());
        }
    }

    fn render(&self, context: &RenderContext, _key: &str) -> Result<Option<String>, Error> {
        Ok(Some(global_index(context.corpus)))
    }

    fn names_read<'c>(&self, corpus: &'c Corpus, _key: &str) -> Option<NameLists<'c>> {
        Some([corpus.documents(), &[]])
    }

    fn describe(&self, _key: &str) -> String {
        "global file index of every document".to_owned()
    }

    fn gone(&self) -> &'static str {
        "but there are no documents"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_and_root_links() {
        let corpus = Corpus::new(
            [
                "AGENTS.md",
                "aten.bzl",
                "_x.py",
                "1.txt",
                "é/ß.md",
                "ⓐcirc.md",
            ]
            .map(String::from),
        );
        let page = global_index(&corpus);
        assert!(page.contains("\n### A\n\n- **AGENTS.md**: [AGENTS.md](.//AGENTS.md_docs.md) | [keywords](.//AGENTS.md_kw.md)\n- **aten.bzl**:"));
        assert!(!page.contains("_x.py"));
        assert!(!page.contains("1.txt"));
        assert!(page.contains("\n### SS\n\n"));
        assert!(!page.contains("circ.md"), "{page}");
    }

    #[test]
    fn at_most_100_documents_per_letter_in_path_order() {
        let corpus = Corpus::new((0..150).map(|i| format!("d{}/a{i:03}.md", i % 3)));
        let page = global_index(&corpus);
        let rows: Vec<&str> = page.lines().filter(|l| l.starts_with("- **")).collect();
        assert_eq!(rows.len(), MAX_PER_GROUP);
        assert!(rows[0].starts_with("- **a000.md**: [d0/a000.md]"));
        // Path order: all of d0/ (50) come before d1/.
        assert!(rows[50].starts_with("- **a001.md**: [d1/a001.md]"));
    }
}
