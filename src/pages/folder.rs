//! The folder index `root/F/index.md` (SPEC §5.2).

use std::fmt::Write;

use super::{up, Corpus, FOOTER};

const NAVIGATION: &str = "## Navigation

- **Parent Folder**: [..](../index.md)
- **Folder Documentation**: [doc.md](./doc.md)
- **Keyword Index**: [sub.md](./sub.md)

";

/// Renders the folder index of `folder` (never the repo root), or `None` when
/// `folder` is not a folder of `corpus`.
pub fn folder_index(corpus: &Corpus, folder: &str, root_depth: usize) -> Option<String> {
    if folder.is_empty() {
        return None;
    }
    let entries = corpus.folders.get(folder)?;
    let mut page = String::with_capacity(1024 + 200 * entries.files.len());
    let _ = write!(
        page,
        "# Index: `{folder}/`\n\n## Overview\n\n\
         This folder contains source code, configurations, or documentation for the PyTorch project.\n\n\
         **Location**: `{folder}/`\n\n## Subfolders\n\n"
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
    page.push_str("\n## Files\n\n");
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
