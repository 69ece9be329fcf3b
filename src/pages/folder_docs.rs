//! The folder documentation page `root/F/doc.md` (`root/doc.md` for the repo root) of
//! one folder outside the index root (docs/format.md, "The content pages").

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;

use super::kind::{DocumentChange, NameLists, PageKind, Parsed, RenderContext};
use super::{display, Corpus, FOOTER};
use crate::error::Error;
use crate::paths::{extension, folder_of, is_within};
use crate::quote;

const WORKFLOW: &str = "### Development Workflow\n\n1. Review the file documentation to understand components\n2. Check test files for usage examples\n3. Follow PyTorch contribution guidelines\n4. Run tests before submitting changes\n\n*See the PyTorch documentation for detailed contribution guidelines.*\n";

const CROSS_REFERENCES: &str = "### Related Documentation\n\n- [Folder Index](./index.md)\n- [Keyword Index](./sub.md)\n- [Global Index](../index.md)\n";

/// Renders the folder documentation of `folder` (`""` for the repo root) from the names
/// of its direct subfolders and of its own documents, each in byte order.
pub(crate) fn folder_docs_page(folder: &str, subfolders: &[String], names: &[String]) -> String {
    let sections: [(&str, String); 7] = [
        ("Role in PyTorch", role(folder)),
        ("Contents Overview", contents(subfolders, names)),
        (
            "Key Concepts",
            "Key concepts and components in this folder will be detailed in the individual file documentation.".to_owned(),
        ),
        ("Architecture & Organization", structure(subfolders)),
        ("Important Files", important(names)),
        ("Working with This Folder", WORKFLOW.to_owned()),
        ("Cross-References", CROSS_REFERENCES.to_owned()),
    ];
    let mut page = format!("# Documentation: `{}/`", display(folder));
    for (heading, body) in sections {
        let _ = write!(page, "\n\n## {heading}\n\n{body}");
    }
    page.push_str("\n\n");
    page.push_str(FOOTER);
    page
}

/// `root/F/doc.md` (`root/doc.md` for the repo root): one folder documentation page per
/// folder outside the index root, when the `folder-docs` kind is on (off by default).
pub(crate) struct FolderDocs;

impl PageKind for FolderDocs {
    fn name(&self) -> &'static str {
        "folder-docs"
    }

    fn reserves(&self, name: &str) -> bool {
        name == "doc.md"
    }

    /// `root/doc.md` and `root/F/doc.md` for F outside the index root.
    fn parse<'r>(&self, rel: &'r str, root: &str) -> Option<Parsed<'r>> {
        let folder = folder_of(rel);
        (!is_within(folder, root)).then_some(Parsed::Page(folder))
    }

    fn page_path(&self, folder: &str) -> String {
        if folder.is_empty() {
            "doc.md".to_owned()
        } else {
            format!("{folder}/doc.md")
        }
    }

    fn keys(&self, corpus: &Corpus) -> Vec<String> {
        corpus
            .folders()
            .filter(|folder| !corpus.is_under_root(folder))
            .map(str::to_owned)
            .collect()
    }

    fn generates(&self, corpus: &Corpus, folder: &str) -> bool {
        !corpus.is_under_root(folder) && corpus.contains_folder(folder)
    }

    /// A document appearing or vanishing in F, or a direct subfolder of F appearing
    /// or vanishing; content changes do not matter.
    fn affected_by(&self, change: &DocumentChange, keys: &mut BTreeSet<String>) {
        if !change.is_structural() {
            return;
        }
        for folder in change.folders_changed() {
            if !change.new.is_under_root(folder) {
                keys.insert(folder.to_owned());
            }
        }
    }

    fn render(&self, context: &RenderContext, folder: &str) -> Result<Option<String>, Error> {
        let corpus = context.corpus;
        Ok(corpus.contains_folder(folder).then(|| {
            folder_docs_page(
                folder,
                corpus.subfolders_of(folder),
                corpus.names_in(folder),
            )
        }))
    }

    fn names_read<'c>(&self, corpus: &'c Corpus, folder: &str) -> Option<NameLists<'c>> {
        Some([corpus.names_in(folder), corpus.subfolders_of(folder)])
    }

    fn describe(&self, folder: &str) -> String {
        let shown = if folder.is_empty() {
            "the repository root".into()
        } else {
            quote::path(&format!("{folder}/")).into_owned()
        };
        format!("folder documentation of {shown}")
    }

    fn gone(&self) -> &'static str {
        "which no longer holds documents"
    }

    fn documents_of(&self, _folder: &str, _labels: Vec<String>) -> Vec<String> {
        Vec::new()
    }

    fn pages_are_documents(&self) -> bool {
        true
    }

    fn on_by_default(&self) -> bool {
        false
    }
}

fn role(folder: &str) -> String {
    if folder.is_empty() {
        return "This is the **root directory** of the PyTorch repository, containing the main project structure.".to_owned();
    }
    let first = folder.split('/').next().unwrap_or(folder);
    match first {
        "torch" => "The **torch** folder contains the main Python API for PyTorch, including neural network modules, autograd, and tensor operations.",
        "aten" => "The **ATen** folder contains the C++ tensor library that powers PyTorch's tensor operations.",
        "c10" => "The **C10** folder provides core abstractions used throughout PyTorch, including tensor types, device abstractions, and utilities.",
        "caffe2" => "The **Caffe2** folder contains the Caffe2 deep learning framework, which has been integrated into PyTorch.",
        "test" => "The **test** folder contains comprehensive test suites for PyTorch functionality.",
        "tools" => "The **tools** folder contains development tools, code generation scripts, and utilities.",
        "scripts" => "The **scripts** folder contains utility scripts for building, testing, and managing the PyTorch project.",
        "docs" => "The **docs** folder contains documentation for PyTorch.",
        _ => return format!("This folder is part of the PyTorch project structure at `{folder}`."),
    }
    .to_owned()
}

fn contents(subfolders: &[String], names: &[String]) -> String {
    let mut body = format!(
        "This folder contains:\n\n- **{} subfolder(s)**\n- **{} file(s)**\n\n",
        subfolders.len(),
        names.len()
    );
    let mut by_extension: BTreeMap<&str, usize> = BTreeMap::new();
    for name in names {
        if let Some(ext) = extension(name) {
            *by_extension.entry(ext).or_default() += 1;
        }
    }
    if !by_extension.is_empty() {
        body.push_str("File types:\n\n");
        for (ext, count) in by_extension {
            let _ = writeln!(body, "- `{ext}`: {count} file(s)");
        }
    }
    body
}

fn structure(subfolders: &[String]) -> String {
    let mut body = String::from("### Folder Structure\n\n");
    if !subfolders.is_empty() {
        body.push_str("Subfolders:\n\n");
        for sub in subfolders {
            let _ = writeln!(body, "- `{sub}/`");
        }
    }
    body
}

fn important(names: &[String]) -> String {
    if names.is_empty() {
        return "*No files in this folder.*".to_owned();
    }
    let priority = |name: &str| name.starts_with("__init__") || name == "README.md";
    let first: Vec<&String> = names.iter().filter(|n| priority(n)).take(5).collect();
    let rest = names.iter().filter(|n| !priority(n)).take(10);
    let mut body = String::from("### Key Files\n\n");
    for name in first.into_iter().chain(rest) {
        let _ = writeln!(body, "- [`{name}_docs.md`](./{name}_docs.md)");
    }
    body
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    #[allow(clippy::print_stderr)] // the reason a reference test skips
    fn peer_sample_folder_page_is_byte_exact() {
        let dir = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("../shared/reference/peer-sample/docs/torch/_functorch/_aot_autograd");
        let Ok(committed) = std::fs::read_to_string(dir.join("doc.md")) else {
            eprintln!("skipped: ../shared/reference/peer-sample is not here");
            return;
        };
        let mut documents: Vec<String> = std::fs::read_dir(&dir)
            .unwrap()
            .filter_map(|e| {
                let name = e.unwrap().file_name().into_string().unwrap();
                name.strip_suffix("_docs.md").map(str::to_owned)
            })
            .collect();
        documents.sort();
        let page = folder_docs_page("torch/_functorch/_aot_autograd", &[], &documents);
        assert_eq!(page, committed);
    }

    #[test]
    fn root_and_empty_and_extensionless() {
        let page = folder_docs_page("", &names(&["docs", "src"]), &names(&["Makefile"]));
        assert!(page.starts_with(
            "# Documentation: `root/`\n\n## Role in PyTorch\n\nThis is the **root directory**"
        ));
        assert!(page.contains("- **2 subfolder(s)**\n- **1 file(s)**\n\n\n\n## Key Concepts"));
        assert!(page.contains("Subfolders:\n\n- `docs/`\n- `src/`\n"));
        let empty = folder_docs_page("tools/x", &names(&["y"]), &[]);
        assert!(empty.contains("## Important Files\n\n*No files in this folder.*\n\n## Working"));
        assert!(empty.contains("development tools, code generation"));
        let other = folder_docs_page("misc", &[], &names(&["a.py"]));
        assert!(other.contains("at `misc`."));
    }

    #[test]
    fn priority_files_come_first() {
        let mut list: Vec<String> = (0..12).map(|i| format!("m{i:02}.py")).collect();
        list.push("README.md".to_owned());
        list.push("__init__.py".to_owned());
        list.sort();
        let page = important(&list);
        let order: Vec<&str> = page
            .lines()
            .skip(2)
            .map(|l| &l[4..l.find("_docs").unwrap()])
            .collect();
        assert_eq!(order.len(), 12);
        assert_eq!(&order[..3], &["README.md", "__init__.py", "m00.py"]);
    }
}
