//! The keyword page `root/P_kw.md` of one document (docs/format.md, "The pages").

use std::fmt::Write;

use std::collections::BTreeSet;

use super::kind::{DocumentChange, PageKind, Parsed, RenderContext};
use super::{display, up, Corpus, FOOTER};
use crate::error::Error;
use crate::extract::{keywords_with, Keywords, Language, MAX_READ_BYTES};
use crate::paths::{extension, folder_of, name_of};
use crate::quote;

const SECTION_MAP: &str = "## Keyword \u{2192} Section Map

The following sections in the documentation cover these topics:

- **File Metadata**: Basic file information
- **Original Source**: Complete source code
- **High-Level Overview**: Purpose and role
- **Detailed Analysis**: In-depth code analysis
- **Architecture & Design**: Design patterns and structure
- **Dependencies**: Related modules and imports
- **Performance Considerations**: Efficiency and optimization
- **Security & Safety**: Security analysis
- **Testing & Usage**: How to use and test

";

/// Renders the keyword page of document `path` under an index root `root_depth`
/// components deep.
pub fn keyword_page(path: &str, root_depth: usize, keywords: &Keywords) -> String {
    let folder = folder_of(path);
    let name = name_of(path);
    let mut page = String::with_capacity(2048);
    // `write!` into a String cannot fail.
    let _ = write!(
        page,
        "# Keyword Index: `{path}`\n\n## File Information\n\n\
         - **Original File**: [{path}]({up}{path})\n\
         - **Documentation**: [`{name}_docs.md`](./{name}_docs.md)\n\
         - **Folder**: `{display}`\n\n\
         ## Keywords Extracted\n\n\
         This file contains the following key identifiers, symbols, and concepts:\n\n",
        up = up(root_depth, folder),
        display = display(folder),
    );
    if keywords.is_empty() {
        page.push_str("\n*No keywords automatically extracted. See documentation for details.*\n");
    }
    // Every keyword line ends with the same link: made once, not formatted per line.
    let link = format!("`**: [{name}_docs.md](./{name}_docs.md)\n");
    for (kind, words) in &keywords.0 {
        if words.is_empty() {
            continue;
        }
        let _ = write!(page, "\n### {}\n\n", title(kind));
        page.reserve(words.iter().map(|word| word.len() + 5 + link.len()).sum());
        for word in words {
            page.push_str("- **`");
            page.push_str(word);
            page.push_str(&link);
        }
    }
    page.push_str("\n\n");
    page.push_str(SECTION_MAP);
    page.push_str(FOOTER);
    page
}

/// `kind` with the first letter of every alphabetic run upper-cased, plus `s`
/// (Python's `str.title() + "s"`): `class/struct` → `Class/Structs`.
fn title(kind: &str) -> String {
    let mut title = String::with_capacity(kind.len() + 1);
    let mut in_run = false;
    for ch in kind.chars() {
        if ch.is_alphabetic() {
            if in_run {
                title.extend(ch.to_lowercase());
            } else {
                title.extend(ch.to_uppercase());
            }
            in_run = true;
        } else {
            title.push(ch);
            in_run = false;
        }
    }
    title.push('s');
    title
}

/// `root/P_kw.md`: one keyword page per document.
pub(crate) struct Keyword;

impl PageKind for Keyword {
    fn name(&self) -> &'static str {
        "keyword"
    }

    fn reserves(&self, name: &str) -> bool {
        name.ends_with("_kw.md")
    }

    fn parse<'r>(&self, rel: &'r str, _root: &str) -> Option<Parsed<'r>> {
        rel.strip_suffix("_kw.md").map(Parsed::Page)
    }

    fn page_path(&self, doc: &str) -> String {
        format!("{doc}_kw.md")
    }

    fn keys(&self, corpus: &Corpus) -> Vec<String> {
        corpus.documents().to_vec()
    }

    fn generates(&self, corpus: &Corpus, doc: &str) -> bool {
        corpus.contains_document(doc)
    }

    fn affected_by(&self, change: &DocumentChange, keys: &mut BTreeSet<String>) {
        if change.was || change.is {
            keys.insert(change.path.to_owned());
        }
    }

    fn render(&self, context: &RenderContext, doc: &str) -> Result<Option<String>, Error> {
        let (size, bytes) = context.documents.read_up_to(doc, MAX_READ_BYTES)?;
        let language = Language::of_extension(extension(name_of(doc)));
        let (text, _) = bytes.text(size);
        let keywords = keywords_with(language, &text, context.max_identifiers, &bytes.scans);
        Ok(Some(keyword_page(doc, context.root_depth, &keywords)))
    }

    fn describe(&self, doc: &str) -> String {
        format!("keyword page of {}", quote::path(doc))
    }

    fn documents_of(&self, doc: &str, _labels: Vec<String>) -> Vec<String> {
        vec![doc.to_owned()]
    }

    fn row_noun(&self) -> &'static str {
        "keyword"
    }

    fn reads_its_document(&self) -> bool {
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles() {
        assert_eq!(title("class"), "Classs");
        assert_eq!(title("class/struct"), "Class/Structs");
        assert_eq!(title("identifier"), "Identifiers");
    }

    #[test]
    fn root_level_document() {
        let page = keyword_page("README.md", 1, &Keywords::default());
        assert!(page.contains("- **Original File**: [README.md](../README.md)\n"));
        assert!(page.contains("- **Folder**: `root`\n"));
        assert!(page.ends_with("System*\n"));
    }
}
