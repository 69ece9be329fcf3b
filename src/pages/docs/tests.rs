//! The documentation page: every branch of its sections, and the peer sample.

use super::sections::*;
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
        scans: &Scans::default(),
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
    assert!(
        yaml.contains("This is a configuration file. See the original source for structure.\n\n")
    );
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
        p.contains("\"\"\"Tools.More.\n\nThis Python file contains 1 class(es) and 3 function(s)."),
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
    assert!(p.contains("This is a test file. Run it with:\n\n```bash\npython tools/test_x.py\n```"));
}

#[test]
fn kelvin_sign_folds_to_k() {
    assert!(contains_folded("my_benchmar\u{212a}s", "benchmark"));
}

mod reference {
    use super::super::{docs_page, DocsInput};
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
                scans: &crate::extract::Scans::default(),
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
