//! The documentation page `root/P_docs.md` of one document outside the index root
//! (SPEC-content §5.5): metadata, the source embedded, and pattern-based notes.

use std::collections::BTreeSet;
use std::fmt::Write;
use std::sync::LazyLock;

use regex::Regex;

use super::kind::{DocumentChange, PageKind, Parsed, RenderContext};
use super::{display, Corpus, FOOTER};
use crate::error::Error;
use crate::extract::{scan_text_cut, MAX_READ_BYTES};
use crate::paths::{extension, folder_of, join, name_of};
use crate::python;
use crate::quote;

/// How many characters of a document that was not cut are embedded.
const EMBED_CHARS: usize = 50_000;

fn pattern(spec: &str) -> Regex {
    Regex::new(&python::translate(spec)).expect("a SPEC-content pattern compiles")
}

static CLASS: LazyLock<Regex> = LazyLock::new(|| pattern(r"class\s+\w+"));
static DEF: LazyLock<Regex> = LazyLock::new(|| pattern(r"def\s+\w+"));
static CPP_FUNCTION: LazyLock<Regex> = LazyLock::new(|| pattern(r"\w+\s+\w+\s*\("));
static CLASS_DEFINED: LazyLock<Regex> = LazyLock::new(|| pattern(r"class\s+(\w+)(?:\([^)]*\))?:"));
static DEF_DEFINED: LazyLock<Regex> = LazyLock::new(|| pattern(r"def\s+(\w+)\s*\("));
static KEY_IMPORT: LazyLock<Regex> =
    LazyLock::new(|| pattern(r"(?:from\s+[\w.]+\s+)?import\s+([\w., ]+)"));
static NAMESPACE: LazyLock<Regex> = LazyLock::new(|| pattern(r"namespace\s+(\w+)"));
static CLASS_OR_STRUCT: LazyLock<Regex> = LazyLock::new(|| pattern(r"(?:class|struct)\s+(\w+)"));
static IMPORT: LazyLock<Regex> =
    LazyLock::new(|| pattern(r"(?:from\s+([\w.]+)\s+import\s+([\w, ]+)|import\s+([\w., ]+))"));
static INCLUDE: LazyLock<Regex> = LazyLock::new(|| pattern(r#"#include\s+[<"]([^>"]+)[>"]"#));

/// What a documentation page is rendered from: the document, its content as SPEC §3
/// decodes it, and the names of its folder's documents.
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
    let sections: [(&str, String); 13] = [
        ("File Metadata", metadata(path, input.size, ext)),
        ("File Purpose", purpose(folder, name, ext, text)),
        ("Original Source", source(ext, text, input.cut)),
        ("High-Level Overview", overview(folder, ext, text)),
        ("Detailed Analysis", analysis(ext, text)),
        ("Architecture & Design", architecture(folder)),
        ("Dependencies", dependencies(ext, text)),
        ("Code Patterns & Idioms", patterns(text)),
        ("Performance Considerations", performance(&folded)),
        ("Security & Safety", security(text, &folded)),
        ("Testing & Usage", testing(path, folder, name)),
        ("Related Files", related(folder, name, input.siblings)),
        ("Cross-References", cross_references(name)),
    ];
    let mut page = format!("# Documentation: `{path}`");
    for (heading, body) in sections {
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
    fn parse(&self, rel: &str, root: &str) -> Option<Parsed> {
        let doc = rel.strip_suffix("_docs.md")?;
        let outside = doc != root && !doc.starts_with(&format!("{root}/"));
        (outside && !name_of(doc).is_empty()).then(|| Parsed::Page(doc.to_owned()))
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
        let (text, cut) = scan_text_cut(size, &bytes);
        Ok(Some(docs_page(&DocsInput {
            path: doc,
            size,
            text: &text,
            cut,
            siblings: context.corpus.names_in(folder_of(doc)),
        })))
    }

    fn describe(&self, doc: &str, orphaned: bool, renamed_to: Option<&str>) -> String {
        let doc = quote::path(doc);
        match renamed_to {
            Some(to) if orphaned => {
                format!(
                    "documentation page of {doc}, renamed to {}",
                    quote::path(to)
                )
            }
            _ if orphaned => format!("documentation page of {doc}, which is no longer a document"),
            _ => format!("documentation page of {doc}"),
        }
    }

    fn documents_of(&self, doc: &str, _labels: Vec<String>) -> Vec<String> {
        vec![doc.to_owned()]
    }

    fn pages_are_documents(&self) -> bool {
        true
    }

    fn on_by_default(&self) -> bool {
        false
    }
}

/// `1,234,567`.
fn with_commas(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

/// `size / unit` with two decimals, ties to even on the exact quotient (Rust's `{:.2}`
/// does exactly that: the quotient of a power of two is exact in binary).
fn two_decimals(size: u64, unit: f64) -> String {
    format!("{:.2}", size as f64 / unit)
}

fn file_type(ext: &str) -> String {
    match ext {
        ".py" => "Python Source Code",
        ".pyx" => "Cython Source Code",
        ".pyi" => "Python Type Stub",
        ".cpp" | ".cc" => "C++ Source Code",
        ".h" => "C/C++ Header File",
        ".hpp" => "C++ Header File",
        ".cu" => "CUDA Source Code",
        ".cuh" => "CUDA Header File",
        ".md" => "Markdown Documentation",
        ".yaml" | ".yml" => "YAML Configuration",
        ".json" => "JSON Configuration",
        ".toml" => "TOML Configuration",
        ".sh" => "Shell Script",
        ".cmake" => "CMake Build Script",
        other => return format!("Source File ({other})"),
    }
    .to_owned()
}

fn metadata(path: &str, size: u64, ext: &str) -> String {
    format!(
        "- **Path**: `{path}`\n- **Size**: {} bytes ({} KB)\n- **Type**: {}\n- **Extension**: `{ext}`",
        with_commas(size),
        two_decimals(size, 1024.0),
        file_type(ext)
    )
}

/// Whether `haystack` contains `needle` after Unicode lower-casing (Python's `lower()`).
fn contains_folded(haystack: &str, needle: &str) -> bool {
    haystack.to_lowercase().contains(needle)
}

fn purpose(folder: &str, name: &str, ext: &str, text: &str) -> String {
    let in_folder = |needle: &str| contains_folded(folder, needle);
    let in_name = |needle: &str| contains_folded(name, needle);
    let rules: [(bool, &str); 9] = [
        (
            in_folder("test"),
            "This file is part of the **testing infrastructure**.",
        ),
        (
            in_folder("doc"),
            "This file is part of the **documentation**.",
        ),
        (
            in_folder("example") || in_folder("benchmark"),
            "This file contains **examples or benchmarks**.",
        ),
        (
            in_folder("tool") || in_folder("script"),
            "This file is a **utility or tool script**.",
        ),
        (in_name("test"), "This appears to be a **test file**."),
        (
            name.to_lowercase().starts_with("__init__"),
            "This is a **Python package initialization file**.",
        ),
        (
            in_name("setup") || in_name("config"),
            "This file handles **configuration or setup**.",
        ),
        (
            ext == ".py" && (text.contains("import unittest") || text.contains("import pytest")),
            "Contains **unit tests** using Python testing frameworks.",
        ),
        (
            ext == ".py" && text.contains("if __name__ == \"__main__\""),
            "Can be **executed as a standalone script**.",
        ),
    ];
    let sentences: Vec<&str> = rules
        .iter()
        .filter(|(holds, _)| *holds)
        .map(|(_, sentence)| *sentence)
        .collect();
    if sentences.is_empty() {
        format!(
            "This is a {} that is part of the PyTorch project.",
            file_type(ext).to_lowercase()
        )
    } else {
        sentences.join(" ")
    }
}

fn language(ext: &str) -> &'static str {
    match ext {
        ".py" | ".pyx" | ".pyi" => "python",
        ".cpp" | ".cc" | ".cxx" | ".hpp" => "cpp",
        ".c" | ".h" => "c",
        ".cu" => "cuda",
        ".js" => "javascript",
        ".ts" => "typescript",
        ".yaml" | ".yml" => "yaml",
        ".json" => "json",
        ".sh" => "bash",
        ".cmake" => "cmake",
        ".md" => "markdown",
        _ => "",
    }
}

fn source(ext: &str, text: &str, cut: bool) -> String {
    let embed = if cut {
        text
    } else {
        match text.char_indices().nth(EMBED_CHARS) {
            Some((at, _)) => &text[..at],
            None => text,
        }
    };
    let note = if cut {
        "*Note: Content truncated due to size*"
    } else {
        ""
    };
    format!("```{}\n{embed}\n```\n\n{note}", language(ext))
}

/// The docstring candidate of a Python file (SPEC-content §5.5 item 4), stripped.
fn docstring(text: &str) -> Option<String> {
    let quoted = |piece: &str| piece.contains("\"\"\"") || piece.contains("'''");
    let mut pieces = text.split('\n').take(50);
    let first = pieces.by_ref().find(|piece| quoted(piece))?;
    let mut doc = first.to_owned();
    for piece in pieces.take_while(|piece| !quoted(piece)) {
        doc.push_str(piece);
    }
    Some(python::strip(&doc).to_owned())
}

fn overview(folder: &str, ext: &str, text: &str) -> String {
    match ext {
        ".py" | ".pyx" => {
            let docpart = docstring(text).map(|doc| doc + "\n").unwrap_or_default();
            format!(
                "{docpart}\nThis Python file contains {} class(es) and {} function(s).",
                CLASS.find_iter(text).count(),
                DEF.find_iter(text).count()
            )
        }
        ".cpp" | ".cc" | ".h" | ".hpp" => format!(
            "\nThis C++ file contains approximately {} class(es)/struct(s) and {} function(s).",
            CLASS.find_iter(text).count(),
            CPP_FUNCTION.find_iter(text).count()
        ),
        _ => format!("This file is part of the PyTorch framework located at `{folder}`."),
    }
}

/// Capture 1 of every match, in order.
fn captures<'t>(regex: &Regex, text: &'t str) -> Vec<&'t str> {
    regex
        .captures_iter(text)
        .filter_map(|c| c.get(1).map(|m| m.as_str()))
        .collect()
}

/// The items each in backticks, joined by `, `.
fn ticked<'a>(items: impl IntoIterator<Item = &'a str>) -> String {
    items
        .into_iter()
        .map(|item| format!("`{item}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn analysis(ext: &str, text: &str) -> String {
    let mut parts = String::new();
    match ext {
        ".py" | ".pyx" => {
            let classes = captures(&CLASS_DEFINED, text);
            if !classes.is_empty() {
                let _ = write!(
                    parts,
                    "**Classes defined**: {}\n\n",
                    ticked(classes.into_iter().take(20))
                );
            }
            let functions = captures(&DEF_DEFINED, text);
            if !functions.is_empty() {
                let _ = write!(
                    parts,
                    "**Functions defined**: {}\n\n",
                    ticked(functions.into_iter().take(20))
                );
            }
            let imports = captures(&KEY_IMPORT, text);
            if !imports.is_empty() {
                let first: Vec<&str> = imports.into_iter().take(10).collect();
                let _ = write!(parts, "**Key imports**: {}\n\n", first.join(", "));
            }
        }
        ".cpp" | ".cc" | ".h" | ".hpp" | ".cu" => {
            let mut namespaces = captures(&NAMESPACE, text);
            namespaces.sort_unstable();
            namespaces.dedup();
            if !namespaces.is_empty() {
                let _ = write!(parts, "**Namespaces**: {}\n\n", ticked(namespaces));
            }
            let classes = captures(&CLASS_OR_STRUCT, text);
            if !classes.is_empty() {
                let _ = write!(
                    parts,
                    "**Classes/Structs**: {}\n\n",
                    ticked(classes.into_iter().take(20))
                );
            }
        }
        ".yaml" | ".yml" | ".json" => {
            parts.push_str(
                "This is a configuration file. See the original source for structure.\n\n",
            );
        }
        _ => {}
    }
    format!(
        "### Code Structure\n\n{parts}\n*For complete code details, see the Original Source section above.*\n"
    )
}

fn architecture(folder: &str) -> String {
    let has = |needle: &str| contains_folded(folder, needle);
    let clause = if has("torch") {
        "which is part of the **core PyTorch library**."
    } else if has("aten") {
        "which is part of **ATen** (A Tensor Library), PyTorch's C++ tensor library."
    } else if has("c10") {
        "which is part of **C10** (Caffe2 Core), the core library providing fundamental abstractions."
    } else if has("caffe2") {
        "which is part of the **Caffe2** deep learning framework."
    } else if has("test") {
        "which is part of the **testing infrastructure**."
    } else if has("tools") || has("script") {
        "which contains **development tools and scripts**."
    } else {
        "which is part of the PyTorch project infrastructure."
    };
    format!(
        "### Role in PyTorch Architecture\n\nThis file is located in `{}`, {clause}\n\n",
        display(folder)
    )
}

fn dependencies(ext: &str, text: &str) -> String {
    let mut body = String::from("### Import Dependencies\n\n");
    match ext {
        ".py" | ".pyx" => {
            let mut seen: Vec<&str> = Vec::new();
            let mut lines = String::new();
            for found in IMPORT.captures_iter(text).take(30) {
                let (key, line) = match (found.get(1), found.get(2), found.get(3)) {
                    (Some(module), Some(names), _) => (
                        module.as_str(),
                        format!("- `{}`: {}\n", module.as_str(), names.as_str()),
                    ),
                    (_, _, Some(list)) => (list.as_str(), format!("- `{}`\n", list.as_str())),
                    _ => continue,
                };
                if !seen.contains(&key) {
                    seen.push(key);
                    lines.push_str(&line);
                }
            }
            if seen.is_empty() {
                body.push_str("*No imports detected.*\n");
            } else {
                body.push_str("This file imports:\n\n");
                body.push_str(&lines);
            }
        }
        ".cpp" | ".cc" | ".h" | ".hpp" | ".cu" | ".cuh" => {
            let includes = captures(&INCLUDE, text);
            if includes.is_empty() {
                body.push_str("*No includes detected.*\n");
            } else {
                body.push_str("This file includes:\n\n");
                for include in includes.into_iter().take(30) {
                    let _ = writeln!(body, "- `{include}`");
                }
            }
        }
        _ => body.push_str("*Dependency analysis not applicable for this file type.*\n"),
    }
    body
}

fn patterns(text: &str) -> String {
    let has = |needle: &str| text.contains(needle);
    let rules: [(bool, &str); 7] = [
        (
            has("class") && has("def __init__"),
            "**Object-Oriented Design**: Uses classes and constructors",
        ),
        (
            has("def __enter__") && has("def __exit__"),
            "**Context Manager**: Implements context manager protocol",
        ),
        (
            has("@abstractmethod") || has("ABC"),
            "**Abstract Base Classes**: Defines abstract interfaces",
        ),
        (
            has("try:") && has("except"),
            "**Error Handling**: Includes exception handling",
        ),
        (
            has("async def") || has("await "),
            "**Asynchronous Programming**: Uses async/await",
        ),
        (
            has("torch.nn"),
            "**Neural Network**: Defines or uses PyTorch neural network components",
        ),
        (
            has("torch.autograd"),
            "**Automatic Differentiation**: Uses autograd for gradient computation",
        ),
    ];
    let mut body = String::from("### Common Patterns\n\n");
    let mut any = false;
    for (_, line) in rules.iter().filter(|(holds, _)| *holds) {
        any = true;
        let _ = writeln!(body, "- {line}");
    }
    if !any {
        body.push_str("*No specific patterns automatically detected.*\n");
    }
    body
}

fn performance(folded: &str) -> String {
    let has = |needle: &str| folded.contains(needle);
    let mut lines = String::new();
    if has("cuda") || has("gpu") || has("parallel") || has("thread") {
        lines.push_str("- This file appears to involve **GPU/parallel computing** capabilities.\n");
    }
    if has("cache") {
        lines.push_str("- Implements or uses **caching** mechanisms.\n");
    }
    if has("jit") || has("compile") {
        lines.push_str("- May involve **JIT compilation** or compilation optimizations.\n");
    }
    if has("benchmark") {
        lines.push_str("- Contains **benchmarking** code or performance tests.\n");
    }
    format!(
        "### Performance Notes\n\n{lines}\n*Detailed performance analysis requires profiling and benchmarking.*\n"
    )
}

fn security(text: &str, folded: &str) -> String {
    let has = |needle: &str| text.contains(needle);
    let mut lines = String::new();
    if has("eval(") || has("exec(") {
        lines.push_str(
            "- **Code Execution**: Uses `eval()` or `exec()` - ensure input is sanitized\n",
        );
    }
    if has("pickle") {
        lines.push_str("- **Serialization**: Uses pickle - be cautious with untrusted data\n");
    }
    if has("subprocess") || has("os.system") {
        lines.push_str("- **Command Execution**: Executes system commands - validate inputs\n");
    }
    if folded.contains("sql") && folded.contains("query") {
        lines.push_str("- **Database**: May involve SQL - watch for injection vulnerabilities\n");
    }
    if lines.is_empty() {
        lines.push_str("- No obvious security concerns detected in automated analysis.\n");
    }
    format!(
        "### Security Considerations\n\n{lines}\n*Manual security review is recommended for production code.*\n"
    )
}

fn testing(path: &str, folder: &str, name: &str) -> String {
    let how = if contains_folded(folder, "test") || contains_folded(name, "test") {
        format!("This is a test file. Run it with:\n\n```bash\npython {path}\n```\n\n")
    } else {
        "Test files for this module may be located in the `test/` directory.\n\n".to_owned()
    };
    format!(
        "### Testing\n\n{how}### Usage Examples\n\n*See the source code and related test files for usage examples.*\n"
    )
}

fn related(folder: &str, name: &str, siblings: &[String]) -> String {
    let mut body = format!(
        "### Related Files\n\nFiles in the same folder (`{}`):\n\n",
        display(folder)
    );
    for sibling in siblings.iter().take(10).filter(|s| s.as_str() != name) {
        let _ = writeln!(body, "- [`{sibling}_docs.md`](./{sibling}_docs.md)");
    }
    body
}

fn cross_references(name: &str) -> String {
    format!(
        "- **File Documentation**: `{name}_docs.md`\n- **Keyword Index**: `{name}_kw.md`\n- **Folder Index**: `index.md`\n- **Folder Documentation**: `doc.md`"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_written_as_the_generator_wrote_them() {
        assert_eq!(with_commas(0), "0");
        assert_eq!(with_commas(206), "206");
        assert_eq!(with_commas(1000), "1,000");
        assert_eq!(with_commas(23_307), "23,307");
        assert_eq!(with_commas(1_234_567), "1,234,567");
        for (size, kb) in [
            (206, "0.20"),
            (128, "0.12"),
            (384, "0.38"),
            (640, "0.62"),
            (512, "0.50"),
            (1536, "1.50"),
        ] {
            assert_eq!(two_decimals(size, 1024.0), kb, "{size}");
        }
        assert_eq!(two_decimals(10_616_832, 1_048_576.0), "10.12");
    }

    #[test]
    fn docstring_candidates_follow_the_generator() {
        assert_eq!(docstring("x = 1\n"), None);
        assert_eq!(
            docstring("\"\"\"Contains utils\nfor things.\n\"\"\"\nimport x\n").as_deref(),
            Some("\"\"\"Contains utilsfor things.")
        );
        // A one-line docstring runs on until the next triple quote.
        assert_eq!(
            docstring("\"\"\"Foo.\"\"\"\nx = 1\ny = '''\n").as_deref(),
            Some("\"\"\"Foo.\"\"\"x = 1")
        );
        assert_eq!(docstring("'''\n'''\n").as_deref(), Some("'''"));
    }

    fn page(path: &str, content: &str) -> String {
        let bytes = content.as_bytes();
        let (text, cut) = crate::extract::scan_text_cut(bytes.len() as u64, bytes);
        let siblings = vec![name_of(path).to_owned()];
        docs_page(&DocsInput {
            path,
            size: bytes.len() as u64,
            text: &text,
            cut,
            siblings: &siblings,
        })
    }

    #[test]
    fn cpp_and_cuda_sections() {
        let cpp = page(
            "aten/src/x.cpp",
            "#include <vector>\n#include \"a.h\"\nnamespace b { namespace a { class K {}; struct S {}; int f(int x) { return x; } } }\n",
        );
        assert!(cpp.contains("- **Type**: C++ Source Code\n- **Extension**: `.cpp`"));
        assert!(cpp.contains("```cpp\n#include <vector>"));
        assert!(cpp.contains(
            "\nThis C++ file contains approximately 1 class(es)/struct(s) and 1 function(s)."
        ));
        assert!(cpp.contains("**Namespaces**: `a`, `b`\n\n**Classes/Structs**: `K`, `S`\n\n"));
        assert!(cpp.contains("This file includes:\n\n- `vector`\n- `a.h`\n"));
        assert!(cpp.contains("which is part of **ATen**"));
        let cuda = page(
            "k.cu",
            "// a CUDA kernel\nnamespace z {}\n__global__ void k() {}\n",
        );
        assert!(cuda.contains("- **Type**: CUDA Source Code"));
        assert!(cuda.contains("```cuda\n"));
        // .cu: analysed in Detailed Analysis and Dependencies, not in the overview.
        assert!(cuda.contains("located at ``."));
        assert!(cuda.contains("**Namespaces**: `z`"));
        assert!(cuda.contains("*No includes detected.*"));
        assert!(cuda.contains("GPU/parallel computing"));
    }

    #[test]
    fn config_unknown_and_extensionless_files() {
        let yaml = page("ci/x.yml", "a: 1\n");
        assert!(yaml.contains("- **Type**: YAML Configuration"));
        assert!(yaml
            .contains("This is a configuration file. See the original source for structure.\n\n"));
        assert!(yaml.contains("*Dependency analysis not applicable for this file type.*"));
        let json = page("a.json", "{}");
        assert!(json.contains("```json\n{}\n```"));
        let txt = page("notes/a.txt", "plain\n");
        assert!(txt.contains("- **Type**: Source File (.txt)"));
        assert!(txt.contains("This is a source file (.txt) that is part of the PyTorch project."));
        assert!(txt.contains("```\nplain\n\n```"));
        let make = page("Makefile", "all:\n");
        assert!(make.contains("- **Extension**: ``\n\n## File Purpose"));
        assert!(make.contains("This is a source file () that is part"));
        assert!(make.contains(
            "This file is located in `root`, which is part of the PyTorch project infrastructure."
        ));
        assert!(make.contains("Files in the same folder (`root`):\n\n\n\n## Cross-References"));
    }

    #[test]
    fn empty_large_and_long_files() {
        let empty = page("e.py", "");
        assert!(empty.contains("- **Size**: 0 bytes (0.00 KB)"));
        assert!(empty.contains("```python\n\n```\n\n\n\n## High-Level Overview\n\n\nThis Python file contains 0 class(es) and 0 function(s)."));
        let long: String = (0..10_002).map(|i| format!("x{i} = 1\n")).collect();
        let cut = page("l.py", &long);
        assert!(cut.contains("x9999 = 1\n\n\n... [truncated: 2 more lines]\n```\n\n*Note: Content truncated due to size*"));
        assert!(!cut.contains("x10000 = 1"));
        // Over 10 MiB: only the summary line, and its size in MB.
        let huge = "a".repeat(10 * 1024 * 1024 + 1);
        let summary = page("h.py", &huge);
        assert!(summary.contains("- **Size**: 10,485,761 bytes (10240.00 KB)"));
        assert!(summary.contains("```python\n[File too large: 10.00MB - content summarized only]\n```\n\n*Note: Content truncated due to size*"));
        // 50,000 characters (not bytes) are embedded from a file that was not cut.
        let wide = "é".repeat(50_001);
        let embedded = page("w.md", &wide);
        assert!(embedded.contains(&format!("```markdown\n{}\n```\n\n\n", "é".repeat(50_000))));
    }

    #[test]
    fn python_sections_and_docstrings() {
        let source = "\x1c\"\"\"Tools.\n\nMore.\n\"\"\"\nimport os, sys\nfrom a.b import c, d\nimport os, sys\nfrom x import (y)\n\nclass A(B):\n    def __init__(self): pass\n    def __enter__(self): pass\n    def __exit__(self): pass\ntry:\n    eval(x)\nexcept E:\n    pass\nif __name__ == \"__main__\":\n    pickle.loads(await_ing)\n";
        let p = page("tools/test_x.py", source);
        assert!(p.contains("This file is a **utility or tool script**. This appears to be a **test file**. Can be **executed as a standalone script**."));
        assert!(
            p.contains(
                "\"\"\"Tools.More.\n\nThis Python file contains 1 class(es) and 3 function(s)."
            ),
            "{p}"
        );
        assert!(p.contains("**Classes defined**: `A`\n\n**Functions defined**: `__init__`, `__enter__`, `__exit__`\n\n**Key imports**: os, sys, c, d, os, sys\n\n"));
        assert!(p.contains("This file imports:\n\n- `os, sys`\n- `a.b`: c, d\n"));
        assert!(p.contains("- **Object-Oriented Design**"));
        assert!(p.contains("- **Context Manager**"));
        assert!(p.contains("- **Error Handling**"));
        assert!(p.contains("- **Code Execution**"));
        assert!(p.contains("- **Serialization**"));
        assert!(p.contains("which contains **development tools and scripts**."));
        assert!(
            p.contains("This is a test file. Run it with:\n\n```bash\npython tools/test_x.py\n```")
        );
    }

    #[test]
    fn kelvin_sign_folds_to_k() {
        assert!(contains_folded("my_benchmar\u{212a}s", "benchmark"));
    }
}

#[cfg(test)]
mod reference {
    use super::*;
    use std::path::PathBuf;

    const FOLDER: &str = "torch/_functorch/_aot_autograd";

    #[allow(clippy::print_stderr)] // the reason a reference test skips
    fn sample() -> Option<PathBuf> {
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/reference/peer-sample");
        if dir.is_dir() {
            Some(dir)
        } else {
            eprintln!("skipped: ../shared/reference/peer-sample is not here");
            None
        }
    }

    /// The page with its Related Files list removed (the old generator used walk order).
    fn without_related_list(page: &str) -> String {
        let start = page
            .find("Files in the same folder")
            .expect("a Related Files section");
        let end = page
            .find("## Cross-References")
            .expect("a Cross-References section");
        format!("{}{}", &page[..start], &page[end..])
    }

    fn documents(sample: &std::path::Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(sample.join("docs").join(FOLDER))
            .unwrap()
            .filter_map(|e| {
                let name = e.unwrap().file_name().into_string().unwrap();
                name.strip_suffix("_docs.md").map(str::to_owned)
            })
            .collect();
        names.sort();
        names
    }

    #[test]
    fn peer_sample_docs_pages_are_byte_exact_but_for_their_related_list() {
        let Some(sample) = sample() else { return };
        let siblings = documents(&sample);
        assert_eq!(siblings.len(), 18);
        let mut compared = 0;
        for name in &siblings {
            let path = format!("{FOLDER}/{name}");
            let committed =
                std::fs::read_to_string(sample.join("docs").join(format!("{path}_docs.md")))
                    .unwrap();
            let Ok(bytes) = std::fs::read(sample.join(&path)) else {
                continue; // one of the four sources longer than the embedded 50,000 characters
            };
            let text = crate::extract::scan_text(bytes.len() as u64, &bytes);
            let page = docs_page(&DocsInput {
                path: &path,
                size: bytes.len() as u64,
                text: &text,
                cut: false,
                siblings: &siblings,
            });
            assert_eq!(
                without_related_list(&page),
                without_related_list(&committed),
                "{path}_docs.md"
            );
            compared += 1;
        }
        assert_eq!(compared, 14);
    }
}
