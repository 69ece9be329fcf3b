//! The thirteen section bodies of a documentation page (docs/format.md, "The content pages"), each a
//! pure function of the document's path, size and scanned text.

use std::fmt::Write;

use memchr::memmem;

use super::scanners::{
    classes, classes_defined, cpp_calls, defs_defined, imports, key_imports, Import,
};
use crate::extract::{Scans, Shared};
use crate::pages::display;
use crate::python;

/// How many characters of a document that was not cut are embedded.
pub(super) const EMBED_CHARS: usize = 50_000;

/// `1,234,567`.
pub(super) fn with_commas(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

/// `size / unit` with two decimals, ties to even on the exact quotient (Rust's `{:.2}`
/// does exactly that: the quotient of a power of two is exact in binary).
pub(super) fn two_decimals(size: u64, unit: f64) -> String {
    format!("{:.2}", size as f64 / unit)
}

pub(super) fn file_type(ext: &str) -> String {
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

pub(super) fn metadata(path: &str, size: u64, ext: &str) -> String {
    format!(
        "- **Path**: `{path}`\n- **Size**: {} bytes ({} KB)\n- **Type**: {}\n- **Extension**: `{ext}`",
        with_commas(size),
        two_decimals(size, 1024.0),
        file_type(ext)
    )
}

/// Whether `needle` occurs in `haystack`: memchr's vectorised search, which beats
/// `str::contains` by several times on the twenty needles asked of every document.
fn occurs(haystack: &str, needle: &str) -> bool {
    memmem::find(haystack.as_bytes(), needle.as_bytes()).is_some()
}

/// Whether `haystack` contains `needle` after Unicode lower-casing (Python's `lower()`).
pub(super) fn contains_folded(haystack: &str, needle: &str) -> bool {
    haystack.to_lowercase().contains(needle)
}

pub(super) fn purpose(folder: &str, name: &str, ext: &str, text: &str) -> String {
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
            ext == ".py" && (occurs(text, "import unittest") || occurs(text, "import pytest")),
            "Contains **unit tests** using Python testing frameworks.",
        ),
        (
            ext == ".py" && occurs(text, "if __name__ == \"__main__\""),
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

pub(super) fn language(ext: &str) -> &'static str {
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

/// The embedded part of the text (docs/format.md, "The content pages"): all of a text
/// that was cut, else its first 50,000 characters.
pub(super) fn embedded(text: &str, cut: bool) -> &str {
    // A text of no more bytes than that has no more characters.
    if cut || text.len() <= EMBED_CHARS {
        return text;
    }
    match text.char_indices().nth(EMBED_CHARS) {
        Some((at, _)) => &text[..at],
        None => text,
    }
}

/// Writes the Original Source section's body to `page`: the embedded text in a fence,
/// written straight into the page (it is most of the page).
pub(super) fn write_source(page: &mut String, ext: &str, embed: &str, cut: bool) {
    let note = if cut {
        "*Note: Content truncated due to size*"
    } else {
        ""
    };
    page.push_str("```");
    page.push_str(language(ext));
    page.push('\n');
    page.push_str(embed);
    page.push_str("\n```\n\n");
    page.push_str(note);
}

/// The docstring candidate of a Python file (docs/format.md, "The content pages"), stripped.
pub(super) fn docstring(text: &str) -> Option<String> {
    let quoted = |piece: &str| piece.contains("\"\"\"") || piece.contains("'''");
    let mut pieces = text.split('\n').take(50);
    let first = pieces.by_ref().find(|piece| quoted(piece))?;
    let mut doc = first.to_owned();
    for piece in pieces.take_while(|piece| !quoted(piece)) {
        doc.push_str(piece);
    }
    Some(python::strip(&doc).to_owned())
}

pub(super) fn overview(folder: &str, ext: &str, text: &str, scans: &Scans) -> String {
    match ext {
        ".py" | ".pyx" => {
            let docpart = docstring(text).map(|doc| doc + "\n").unwrap_or_default();
            // `class\s+\w+` and `def\s+\w+`: the keyword rules' patterns.
            format!(
                "{docpart}\nThis Python file contains {} class(es) and {} function(s).",
                scans.found(Shared::PythonClass, text).len(),
                scans.found(Shared::PythonFunction, text).len()
            )
        }
        ".cpp" | ".cc" | ".h" | ".hpp" => format!(
            "\nThis C++ file contains approximately {} class(es)/struct(s) and {} function(s).",
            classes(text),
            cpp_calls(text)
        ),
        _ => format!("This file is part of the PyTorch framework located at `{folder}`."),
    }
}

/// The items each in backticks, joined by `, `.
pub(super) fn ticked<'a>(items: impl IntoIterator<Item = &'a str>) -> String {
    let mut list = String::new();
    for (at, item) in items.into_iter().enumerate() {
        if at > 0 {
            list.push_str(", ");
        }
        list.push('`');
        list.push_str(item);
        list.push('`');
    }
    list
}

/// `**LABEL**: LIST` and a blank line, when `items` is not empty.
pub(super) fn part(parts: &mut String, label: &str, items: &[&str], list: fn(&[&str]) -> String) {
    if !items.is_empty() {
        let _ = write!(parts, "**{label}**: {}\n\n", list(items));
    }
}

pub(super) fn analysis(ext: &str, text: &str, scans: &Scans) -> String {
    let ticked_list = |items: &[&str]| ticked(items.iter().copied());
    let mut parts = String::new();
    match ext {
        ".py" | ".pyx" => {
            part(
                &mut parts,
                "Classes defined",
                &classes_defined(text, 20),
                ticked_list,
            );
            part(
                &mut parts,
                "Functions defined",
                &defs_defined(text, 20),
                ticked_list,
            );
            part(&mut parts, "Key imports", &key_imports(text, 10), |items| {
                items.join(", ")
            });
        }
        ".cpp" | ".cc" | ".h" | ".hpp" | ".cu" => {
            let mut namespaces: Vec<&str> = scans.found(Shared::CppNamespace, text).collect();
            namespaces.sort_unstable();
            namespaces.dedup();
            part(&mut parts, "Namespaces", &namespaces, ticked_list);
            let classes: Vec<&str> = scans
                .found(Shared::CppClassOrStruct, text)
                .take(20)
                .collect();
            part(&mut parts, "Classes/Structs", &classes, ticked_list);
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

pub(super) fn architecture(folder: &str) -> String {
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

pub(super) fn dependencies(ext: &str, text: &str, scans: &Scans) -> String {
    let mut body = String::from("### Import Dependencies\n\n");
    match ext {
        ".py" | ".pyx" => {
            let mut seen: Vec<&str> = Vec::new();
            let mut lines = String::new();
            for found in imports(text, 30) {
                let key = match found {
                    Import::From { module, .. } => module,
                    Import::Plain(list) => list,
                };
                if seen.contains(&key) {
                    continue;
                }
                seen.push(key);
                let _ = match found {
                    Import::From { module, names } => writeln!(lines, "- `{module}`: {names}"),
                    Import::Plain(list) => writeln!(lines, "- `{list}`"),
                };
            }
            if seen.is_empty() {
                body.push_str("*No imports detected.*\n");
            } else {
                body.push_str("This file imports:\n\n");
                body.push_str(&lines);
            }
        }
        ".cpp" | ".cc" | ".h" | ".hpp" | ".cu" | ".cuh" => {
            let includes: Vec<&str> = scans.found(Shared::CppInclude, text).take(30).collect();
            if includes.is_empty() {
                body.push_str("*No includes detected.*\n");
            } else {
                body.push_str("This file includes:\n\n");
                for include in includes {
                    let _ = writeln!(body, "- `{include}`");
                }
            }
        }
        _ => body.push_str("*Dependency analysis not applicable for this file type.*\n"),
    }
    body
}

pub(super) fn patterns(text: &str) -> String {
    let has = |needle: &str| occurs(text, needle);
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

pub(super) fn performance(folded: &str) -> String {
    let has = |needle: &str| occurs(folded, needle);
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

pub(super) fn security(text: &str, folded: &str) -> String {
    let has = |needle: &str| occurs(text, needle);
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
    if occurs(folded, "sql") && occurs(folded, "query") {
        lines.push_str("- **Database**: May involve SQL - watch for injection vulnerabilities\n");
    }
    if lines.is_empty() {
        lines.push_str("- No obvious security concerns detected in automated analysis.\n");
    }
    format!(
        "### Security Considerations\n\n{lines}\n*Manual security review is recommended for production code.*\n"
    )
}

pub(super) fn testing(path: &str, folder: &str, name: &str) -> String {
    let how = if contains_folded(folder, "test") || contains_folded(name, "test") {
        format!("This is a test file. Run it with:\n\n```bash\npython {path}\n```\n\n")
    } else {
        "Test files for this module may be located in the `test/` directory.\n\n".to_owned()
    };
    format!(
        "### Testing\n\n{how}### Usage Examples\n\n*See the source code and related test files for usage examples.*\n"
    )
}

pub(super) fn related(folder: &str, name: &str, siblings: &[String]) -> String {
    let mut body = format!(
        "### Related Files\n\nFiles in the same folder (`{}`):\n\n",
        display(folder)
    );
    for sibling in siblings.iter().take(10).filter(|s| s.as_str() != name) {
        let _ = writeln!(body, "- [`{sibling}_docs.md`](./{sibling}_docs.md)");
    }
    body
}

pub(super) fn cross_references(name: &str) -> String {
    format!(
        "- **File Documentation**: `{name}_docs.md`\n- **Keyword Index**: `{name}_kw.md`\n- **Folder Index**: `index.md`\n- **Folder Documentation**: `doc.md`"
    )
}
