//! Document bytes → keywords (SPEC §3–4). Pure: no I/O, no configuration beyond a number.

use std::collections::{BTreeSet, HashMap};
use std::sync::LazyLock;

use regex::Regex;

/// Documents larger than this are not read (SPEC §3).
pub const MAX_READ_BYTES: u64 = 10 * 1024 * 1024;
/// Only this many lines of a document are scanned (SPEC §3).
const MAX_LINES: usize = 10_000;
/// Per kind, at most this many keywords are kept (SPEC §4).
const MAX_PER_KIND: usize = 200;

/// Which rule set extracts a document's keywords.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Language {
    /// `.py .pyx .pyi`
    Python,
    /// `.cpp .cc .cxx .c .h .hpp .cu .cuh`
    Cpp,
    /// everything else
    Identifier,
}

impl Language {
    /// The rule set for a document with this extension (with its dot).
    pub fn of_extension(extension: Option<&str>) -> Language {
        match extension {
            Some(".py" | ".pyx" | ".pyi") => Language::Python,
            Some(".cpp" | ".cc" | ".cxx" | ".c" | ".h" | ".hpp" | ".cu" | ".cuh") => Language::Cpp,
            _ => Language::Identifier,
        }
    }
}

/// The keywords of one document: kinds in byte order, each with its keywords in byte order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Keywords(pub Vec<(&'static str, Vec<String>)>);

impl Keywords {
    /// Whether no kind has any keyword.
    pub fn is_empty(&self) -> bool {
        self.0.iter().all(|(_, words)| words.is_empty())
    }
}

/// A pattern whose first capture group is the keyword, tagged with its kind.
struct Rule {
    kind: &'static str,
    regex: Regex,
}

fn rules(specs: &[(&'static str, &str)]) -> Vec<Rule> {
    specs
        .iter()
        .map(|&(kind, pattern)| Rule {
            kind,
            regex: Regex::new(pattern).expect("built-in keyword pattern compiles"),
        })
        .collect()
}

static PYTHON: LazyLock<Vec<Rule>> = LazyLock::new(|| {
    rules(&[
        ("class", r"class\s+(\w+)"),
        ("function", r"def\s+(\w+)"),
        ("import", r"import\s+([\w.]+)"),
        ("import", r"from\s+([\w.]+)\s+import"),
    ])
});

static CPP: LazyLock<Vec<Rule>> = LazyLock::new(|| {
    rules(&[
        ("class/struct", r"(?:class|struct)\s+(\w+)"),
        ("function", r"\w+\s+(\w+)\s*\([^)]*\)\s*(?:const)?\s*\{"),
        ("namespace", r"namespace\s+(\w+)"),
        ("include", r#"#include\s+[<"]([^>"]+)[>"]"#),
    ])
});

static IDENTIFIER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b[A-Z][a-zA-Z0-9_]*\b").expect("built-in pattern compiles"));

/// The text docdex scans for a document of `size` bytes whose content is `bytes`
/// (SPEC §3): UTF-8 with invalid sequences dropped, line ends normalised to `\n`,
/// cut after 10,000 lines. `bytes` is ignored for documents over 10 MiB.
pub fn scan_text(size: u64, bytes: &[u8]) -> String {
    if size > MAX_READ_BYTES {
        return format!(
            "[File too large: {:.2}MB - content summarized only]",
            size as f64 / 1_048_576.0
        );
    }
    let mut text = String::with_capacity(bytes.len());
    let mut lines = 0;
    let mut previous_cr = false;
    'chunks: for chunk in bytes.utf8_chunks() {
        for ch in chunk.valid().chars() {
            let newline = match ch {
                '\r' => true,
                '\n' if previous_cr => {
                    previous_cr = false;
                    continue;
                }
                '\n' => true,
                _ => false,
            };
            previous_cr = ch == '\r';
            if newline {
                lines += 1;
                if lines == MAX_LINES {
                    break 'chunks;
                }
                text.push('\n');
            } else {
                text.push(ch);
            }
        }
    }
    text
}

/// The keywords of a scanned text (SPEC §4).
pub fn keywords(language: Language, text: &str, max_identifiers: usize) -> Keywords {
    match language {
        Language::Python => by_rules(&PYTHON, text),
        Language::Cpp => by_rules(&CPP, text),
        Language::Identifier => identifiers(text, max_identifiers),
    }
}

fn by_rules(rules: &[Rule], text: &str) -> Keywords {
    let mut kinds: Vec<(&'static str, BTreeSet<&str>)> = Vec::new();
    for rule in rules {
        let found: BTreeSet<&str> = rule
            .regex
            .captures_iter(text)
            .filter_map(|caps| caps.get(1).map(|m| m.as_str()))
            .collect();
        match kinds.iter_mut().find(|(kind, _)| *kind == rule.kind) {
            Some((_, words)) => words.extend(found),
            None => kinds.push((rule.kind, found)),
        }
    }
    kinds.sort_by_key(|(kind, _)| *kind);
    Keywords(
        kinds
            .into_iter()
            .filter(|(_, words)| !words.is_empty())
            .map(|(kind, words)| (kind, cut(words.into_iter())))
            .collect(),
    )
}

fn identifiers(text: &str, max_identifiers: usize) -> Keywords {
    let mut counts: HashMap<&str, u64> = HashMap::new();
    for word in IDENTIFIER.find_iter(text) {
        *counts.entry(word.as_str()).or_default() += 1;
    }
    if counts.is_empty() {
        return Keywords::default();
    }
    let mut ranked: Vec<(&str, u64)> = counts.into_iter().collect();
    // Most frequent first, ties in byte order: a total order, so no hash order leaks out.
    ranked.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    ranked.truncate(max_identifiers);
    let kept: BTreeSet<&str> = ranked.into_iter().map(|(word, _)| word).collect();
    Keywords(vec![("identifier", cut(kept.into_iter()))])
}

fn cut<'a>(sorted: impl Iterator<Item = &'a str>) -> Vec<String> {
    sorted.take(MAX_PER_KIND).map(str::to_owned).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kw(language: Language, text: &str) -> Vec<(&'static str, Vec<String>)> {
        keywords(
            language,
            &scan_text(text.len() as u64, text.as_bytes()),
            100,
        )
        .0
    }

    fn words(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn python_rules() {
        let text = "import os.path\nfrom a.b import c\nclass Foo(Bar):\n  def run(self): pass\n@dataclasses.dataclass\nclass X: pass\n";
        assert_eq!(
            kw(Language::Python, text),
            vec![
                ("class", words(&["Foo", "class"])), // `dataclass\nclass X`: the format's quirk
                ("function", words(&["run"])),
                ("import", words(&["a.b", "c", "os.path"])),
            ]
        );
    }

    #[test]
    fn cpp_rules() {
        let text = "#include <vector>\n#include \"a/b.h\"\nnamespace at {\nstruct S {};\nint add(int a, int b) const {\n";
        assert_eq!(
            kw(Language::Cpp, text),
            vec![
                ("class/struct", words(&["S"])),
                ("function", words(&["add"])),
                ("include", words(&["a/b.h", "vector"])),
                ("namespace", words(&["at"])),
            ]
        );
    }

    #[test]
    fn identifiers_keep_most_frequent_then_byte_order() {
        let text = "Zed Zed Alpha Beta Beta Gamma";
        let got = keywords(Language::Identifier, text, 2).0;
        assert_eq!(got, vec![("identifier", words(&["Beta", "Zed"]))]);
        let got = keywords(Language::Identifier, text, 3).0;
        assert_eq!(got, vec![("identifier", words(&["Alpha", "Beta", "Zed"]))]);
    }

    #[test]
    fn identifier_boundaries_are_unicode() {
        assert_eq!(
            kw(Language::Identifier, "éFoo Bar_é Baz"),
            vec![("identifier", words(&["Baz"]))]
        );
        assert!(kw(Language::Identifier, "nothing here").is_empty());
    }

    #[test]
    fn scan_normalises_and_drops_invalid_utf8() {
        assert_eq!(scan_text(9, b"a\r\nb\rc\xffd"), "a\nb\ncd");
        assert_eq!(scan_text(3, b"\r\r\n"), "\n\n");
    }

    #[test]
    fn scan_cuts_after_ten_thousand_lines() {
        let text = "A\n".repeat(MAX_LINES) + "class Late";
        let scanned = scan_text(text.len() as u64, text.as_bytes());
        assert_eq!(scanned.lines().count(), MAX_LINES);
        assert!(!scanned.contains("Late"));
    }

    #[test]
    fn large_files_are_summarised() {
        let size = MAX_READ_BYTES + 1;
        assert_eq!(
            scan_text(size, b""),
            "[File too large: 10.00MB - content summarized only]"
        );
        assert_eq!(kw_of_large(size), vec![("identifier", words(&["File"]))]);
    }

    fn kw_of_large(size: u64) -> Vec<(&'static str, Vec<String>)> {
        keywords(Language::Identifier, &scan_text(size, b""), 100).0
    }

    #[test]
    fn per_kind_cut_at_two_hundred() {
        let text: String = (0..300).map(|i| format!("def f{i:03}():\n")).collect();
        let got = kw(Language::Python, &text);
        assert_eq!(got[0].1.len(), MAX_PER_KIND);
        assert_eq!(got[0].1[0], "f000");
    }
}
