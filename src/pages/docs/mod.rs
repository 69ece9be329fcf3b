//! The documentation page `root/P_docs.md` of one document outside the index root
//! (docs/format.md, "The content pages"): metadata, the source embedded, and pattern-based notes.

mod scanners;
mod sections;

use std::collections::BTreeSet;
use std::fmt::Write;

use super::kind::{DocumentChange, PageKind, Parsed, RenderContext};
use super::{Corpus, FOOTER};
use crate::error::Error;
use crate::extract::{Scans, MAX_READ_BYTES};
use crate::paths::{extension, folder_of, is_within, join, name_of};
use crate::quote;
use sections::{
    analysis, architecture, cross_references, dependencies, embedded, metadata, overview, patterns,
    performance, purpose, related, security, testing, write_source,
};

/// What a documentation page is rendered from: the document, its content decoded as
/// docs/format.md, "Reading a document" says, and the names of its folder's documents.
pub(crate) struct DocsInput<'a> {
    /// The document's path.
    pub(crate) path: &'a str,
    /// Its length as git stores it.
    pub(crate) size: u64,
    /// TEXT: the decoded content, cut past 10,000 lines or replaced past 10 MiB.
    pub(crate) text: &'a str,
    /// CUT: whether TEXT was cut or replaced.
    pub(crate) cut: bool,
    /// The names of the documents in the document's folder, in byte order.
    pub(crate) siblings: &'a [String],
    /// The keyword rules' matches in TEXT, shared with the document's keyword page.
    pub(crate) scans: &'a Scans,
}

/// Renders the documentation page of one document.
pub(crate) fn docs_page(input: &DocsInput) -> String {
    let path = input.path;
    let folder = folder_of(path);
    let name = name_of(path);
    let ext = extension(name).unwrap_or("");
    let text = input.text;
    // Lower-cased once for every "contains, ignoring case" test on the text.
    let folded = text.to_lowercase();
    let embed = embedded(text, input.cut);
    // The Original Source section (the third) is written straight into the page.
    let before: [(&str, String); 2] = [
        ("File Metadata", metadata(path, input.size, ext)),
        ("File Purpose", purpose(folder, name, ext, text)),
    ];
    let after: [(&str, String); 10] = [
        (
            "High-Level Overview",
            overview(folder, ext, text, input.scans),
        ),
        ("Detailed Analysis", analysis(ext, text, input.scans)),
        ("Architecture & Design", architecture(folder)),
        ("Dependencies", dependencies(ext, text, input.scans)),
        ("Code Patterns & Idioms", patterns(text)),
        ("Performance Considerations", performance(&folded)),
        ("Security & Safety", security(text, &folded)),
        ("Testing & Usage", testing(path, folder, name)),
        ("Related Files", related(folder, name, input.siblings)),
        ("Cross-References", cross_references(name)),
    ];
    // The sections' lengths: the page is written once, without regrowing.
    let length: usize = before
        .iter()
        .chain(&after)
        .map(|(h, body)| h.len() + body.len() + 8)
        .sum();
    let mut page = String::with_capacity(length + embed.len() + path.len() + FOOTER.len() + 120);
    let _ = write!(page, "# Documentation: `{path}`");
    for (heading, body) in before {
        let _ = write!(page, "\n\n## {heading}\n\n{body}");
    }
    page.push_str("\n\n## Original Source\n\n");
    write_source(&mut page, ext, embed, input.cut);
    for (heading, body) in after {
        let _ = write!(page, "\n\n## {heading}\n\n{body}");
    }
    page.push_str("\n\n");
    page.push_str(FOOTER);
    page
}

/// `root/P_docs.md`: one documentation page per document outside the index root, when
/// the `docs` kind is on (off by default: the pages embed the sources).
pub(crate) struct Docs;

impl PageKind for Docs {
    fn name(&self) -> &'static str {
        "docs"
    }

    fn reserves(&self, name: &str) -> bool {
        name.ends_with("_docs.md")
    }

    /// `root/X_docs.md` for X outside the index root with a non-empty last component;
    /// under `root/root/` the file is a plain document.
    fn parse<'r>(&self, rel: &'r str, root: &str) -> Option<Parsed<'r>> {
        let doc = rel.strip_suffix("_docs.md")?;
        (!is_within(doc, root) && !name_of(doc).is_empty()).then_some(Parsed::Page(doc))
    }

    fn page_path(&self, doc: &str) -> String {
        format!("{doc}_docs.md")
    }

    fn keys(&self, corpus: &Corpus) -> Vec<String> {
        corpus
            .documents()
            .iter()
            .filter(|doc| !corpus.is_under_root(doc))
            .cloned()
            .collect()
    }

    fn generates(&self, corpus: &Corpus, doc: &str) -> bool {
        !corpus.is_under_root(doc) && corpus.contains_document(doc)
    }

    /// The document itself (content changes too), and every document of its folder
    /// when one appears or vanishes there (their Related Files lists).
    fn affected_by(&self, change: &DocumentChange, keys: &mut BTreeSet<String>) {
        if change.new.is_under_root(change.path) {
            return;
        }
        keys.insert(change.path.to_owned());
        if change.is_structural() {
            let folder = folder_of(change.path);
            for corpus in [change.old, change.new] {
                keys.extend(
                    corpus
                        .names_in(folder)
                        .iter()
                        .map(|name| join(folder, name)),
                );
            }
        }
    }

    fn render(&self, context: &RenderContext, doc: &str) -> Result<Option<String>, Error> {
        let (size, bytes) = context.documents.read_up_to(doc, MAX_READ_BYTES)?;
        let (text, cut) = bytes.text(size);
        Ok(Some(docs_page(&DocsInput {
            path: doc,
            size,
            text: &text,
            cut,
            siblings: context.corpus.names_in(folder_of(doc)),
            scans: &bytes.scans,
        })))
    }

    fn describe(&self, doc: &str) -> String {
        format!("documentation page of {}", quote::path(doc))
    }

    fn documents_of(&self, doc: &str, _labels: Vec<String>) -> Vec<String> {
        vec![doc.to_owned()]
    }

    fn reads_its_document(&self) -> bool {
        true
    }

    /// Related Files: the names of the document's folder.
    fn lists_names_in<'k>(&self, doc: &'k str) -> Option<&'k str> {
        Some(folder_of(doc))
    }

    fn pages_are_documents(&self) -> bool {
        true
    }

    fn on_by_default(&self) -> bool {
        false
    }
}

#[cfg(test)]
mod tests;
