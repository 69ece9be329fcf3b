//! The folder index `root/F/index.md` (docs/format.md, "The pages").

use std::fmt::Write;

use std::collections::BTreeSet;

use super::kind::{DocumentChange, NameLists, PageKind, Parsed, RenderContext};
use super::{up, Corpus, FOOTER};
use crate::error::Error;
use crate::paths::{folder_of, join};
use crate::quote;

const NAVIGATION: &str = "## Navigation

- **Parent Folder**: [..](../index.md)
- **Folder Documentation**: [doc.md](./doc.md)
- **Keyword Index**: [sub.md](./sub.md)

";

/// Renders the folder index of `folder` (never the repo root), or `None` when
/// `folder` is not a folder of `corpus`.
pub(crate) fn folder_index(corpus: &Corpus, folder: &str, root_depth: usize) -> Option<String> {
    if folder.is_empty() {
        return None;
    }
    let entries = corpus.folders.get(folder)?;
    let mut page = String::with_capacity(1024 + 200 * entries.files.len());
    let _ = write!(
        page,
        "# Index: `{folder}/`\n\n## Overview\n\n\
         This folder contains source code, configurations, or documentation for the PyTorch project.\n\n\
         **Location**: `{folder}/`\n\n## {SUBFOLDERS}\n\n"
    );
    if entries.subfolders.is_empty() {
        page.push_str("*No subfolders.*\n");
    }
    for sub in &entries.subfolders {
        let _ = writeln!(
            page,
            "- [`{sub}/`](./{sub}/index.md) - {}",
            describe_folder(sub)
        );
    }
    let _ = write!(page, "\n## {FILES}\n\n");
    if entries.files.is_empty() {
        page.push_str("*No files in this folder.*\n");
    } else {
        page.push_str("| File | Description | Documentation | Keywords |\n");
        page.push_str("|------|-------------|---------------|----------|\n");
        let up = up(root_depth, folder);
        for name in &entries.files {
            let _ = writeln!(
                page,
                "| [`{name}`]({up}{folder}/{name}) | {} | [docs](./{name}_docs.md) | [keywords](./{name}_kw.md) |",
                describe_file(name)
            );
        }
    }
    page.push_str("\n\n");
    page.push_str(NAVIGATION);
    page.push_str(FOOTER);
    Some(page)
}

fn describe_folder(name: &str) -> String {
    let known = match name {
        "torch" => "Core PyTorch library",
        "aten" => "ATen tensor library",
        "c10" => "Core abstractions (C10)",
        "caffe2" => "Caffe2 framework",
        "test" => "Test suites",
        "tools" => "Development tools",
        "scripts" => "Utility scripts",
        "docs" => "Documentation",
        "examples" => "Example code",
        "benchmarks" => "Performance benchmarks",
        ".github" => "GitHub configuration",
        ".ci" => "CI/CD configuration",
        _ => return format!("{name} module"),
    };
    known.to_owned()
}

fn describe_file(name: &str) -> &'static str {
    if name.starts_with("__init__") {
        "Package initialization"
    } else if name.starts_with("test_") {
        "Test file"
    } else if name.ends_with(".md") {
        "Documentation"
    } else if name.ends_with(".yaml") || name.ends_with(".yml") {
        "Configuration"
    } else {
        "Source code"
    }
}

/// `root/F/index.md`: one folder index per folder except the repo root, whose
/// `root/index.md` is the landing page and never docdex's.
pub(crate) struct Folder;

/// The heading of the subfolder list.
const SUBFOLDERS: &str = "Subfolders";
/// The heading of the file table.
const FILES: &str = "Files";
/// The `##` sections whose list items and table rows are the page's rows.
pub(crate) const LISTED_SECTIONS: &[&str] = &[SUBFOLDERS, FILES];

impl PageKind for Folder {
    fn name(&self) -> &'static str {
        "folder"
    }

    fn listed_sections(&self) -> &'static [&'static str] {
        LISTED_SECTIONS
    }

    fn reserves(&self, name: &str) -> bool {
        name == "index.md"
    }

    fn parse<'r>(&self, rel: &'r str, _root: &str) -> Option<Parsed<'r>> {
        let folder = folder_of(rel);
        (!folder.is_empty()).then_some(Parsed::Page(folder))
    }

    fn page_path(&self, folder: &str) -> String {
        format!("{folder}/index.md")
    }

    fn keys(&self, corpus: &Corpus) -> Vec<String> {
        corpus
            .folders()
            .filter(|folder| !folder.is_empty())
            .map(str::to_owned)
            .collect()
    }

    fn generates(&self, corpus: &Corpus, folder: &str) -> bool {
        !folder.is_empty() && corpus.contains_folder(folder)
    }

    fn affected_by(&self, change: &DocumentChange, keys: &mut BTreeSet<String>) {
        if !change.is_structural() {
            return;
        }
        // A folder that appears or vanishes changes its parent's subfolder list.
        for folder in change.folders_changed() {
            if !folder.is_empty() {
                keys.insert(folder.to_owned());
            }
        }
    }

    fn render(&self, context: &RenderContext, folder: &str) -> Result<Option<String>, Error> {
        Ok(folder_index(context.corpus, folder, context.root_depth))
    }

    fn names_read<'c>(&self, corpus: &'c Corpus, folder: &str) -> Option<NameLists<'c>> {
        Some([corpus.names_in(folder), corpus.subfolders_of(folder)])
    }

    fn describe(&self, folder: &str) -> String {
        format!("folder index of {}", quote::path(&format!("{folder}/")))
    }

    fn gone(&self) -> &'static str {
        "which no longer holds documents"
    }

    /// Rows name the folder's files, and its subfolders with a trailing `/`.
    fn documents_of(&self, folder: &str, labels: Vec<String>) -> Vec<String> {
        labels
            .into_iter()
            .filter(|label| !label.ends_with('/'))
            .map(|name| join(folder, &name))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn descriptions() {
        assert_eq!(describe_file("__init__.py"), "Package initialization");
        assert_eq!(describe_file("test_a.py"), "Test file");
        assert_eq!(describe_file("a.md"), "Documentation");
        assert_eq!(describe_file("a.yml"), "Configuration");
        assert_eq!(describe_file("a.py"), "Source code");
        assert_eq!(describe_folder("aten"), "ATen tensor library");
        assert_eq!(describe_folder("foo"), "foo module");
    }

    #[test]
    fn folder_without_files_and_root_has_none() {
        let corpus = Corpus::new(["a/b/c.py".to_owned()]);
        let page = folder_index(&corpus, "a", 1).unwrap();
        assert!(page.contains("- [`b/`](./b/index.md) - b module\n\n## Files\n\n*No files in this folder.*\n\n\n## Navigation"));
        assert_eq!(folder_index(&corpus, "", 1), None);
        assert_eq!(folder_index(&corpus, "zzz", 1), None);
    }
}
