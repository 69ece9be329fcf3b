//! Document bytes → keywords (docs/format.md, "Reading a document" and "Keywords"). Pure: no I/O, no configuration beyond a number.

use std::borrow::Cow;
use std::sync::OnceLock;

mod identifiers;
mod rules;

/// Documents larger than this are not read (docs/format.md, "Reading a document").
pub const MAX_READ_BYTES: u64 = 10 * 1024 * 1024;
/// Only this many lines of a document are scanned (docs/format.md, "Reading a document").
const MAX_LINES: usize = 10_000;
/// Per kind, at most this many keywords are kept (docs/format.md, "Keywords").
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
pub struct Keywords<'t>(pub Vec<(&'static str, Vec<&'t str>)>);

impl Keywords<'_> {
    /// Whether no kind has any keyword.
    pub fn is_empty(&self) -> bool {
        self.0.iter().all(|(_, words)| words.is_empty())
    }
}

/// The text docdex scans for a document of `size` bytes whose content is `bytes`
/// (docs/format.md, "Reading a document"): UTF-8 with invalid sequences dropped, line ends normalised to `\n`, and
/// past 10,000 lines cut, with the old generator's marker appended (it scanned that
/// marker too). `bytes` is ignored for documents over 10 MiB.
pub fn scan_text(size: u64, bytes: &[u8]) -> Cow<'_, str> {
    scan_text_cut(size, bytes).0
}

/// [`scan_text`] and CUT (docs/format.md, "The content pages"): whether the text was cut past 10,000
/// lines or replaced past 10 MiB.
pub(crate) fn scan_text_cut(size: u64, bytes: &[u8]) -> (Cow<'_, str>, bool) {
    if size > MAX_READ_BYTES {
        let summary = format!(
            "[File too large: {:.2}MB - content summarized only]",
            size as f64 / 1_048_576.0
        );
        return (Cow::Owned(summary), true);
    }
    // The common case, valid UTF-8 without `\r`, needs no copy.
    let text = match std::str::from_utf8(bytes) {
        Ok(text) if memchr::memchr(b'\r', bytes).is_none() => Cow::Borrowed(text),
        _ => Cow::Owned(normalise(bytes)),
    };
    truncate(text)
}

/// Decoding with invalid sequences dropped and `\r\n` and lone `\r` turned into `\n`.
fn normalise(bytes: &[u8]) -> String {
    let mut text = String::with_capacity(bytes.len());
    let mut previous_cr = false;
    for chunk in bytes.utf8_chunks() {
        for ch in chunk.valid().chars() {
            match ch {
                '\n' if previous_cr => {}
                '\r' => text.push('\n'),
                _ => text.push(ch),
            }
            previous_cr = ch == '\r';
        }
    }
    text
}

/// The first 10,000 lines (each with its `\n`) and `\n\n... [truncated: K more lines]`
/// when the text has more lines than that; the text itself otherwise.
fn truncate(text: Cow<'_, str>) -> (Cow<'_, str>, bool) {
    if !may_be_cut(&text) {
        return (text, false);
    }
    let Some(cut) = memchr::memchr_iter(b'\n', text.as_bytes()).nth(MAX_LINES - 1) else {
        return (text, false);
    };
    let rest = &text[cut + 1..];
    let more = memchr::memchr_iter(b'\n', rest.as_bytes()).count()
        + usize::from(!rest.is_empty() && !rest.ends_with('\n'));
    if more == 0 {
        return (text, false);
    }
    let cut_text = format!("{}\n\n... [truncated: {more} more lines]", &text[..=cut]);
    (Cow::Owned(cut_text), true)
}

/// Whether `text` has enough lines that [`scan_text`] may cut it (it may still not).
pub(crate) fn may_be_cut(text: &str) -> bool {
    // Counting is one vectorised pass; finding the 10,000th line end steps line by line.
    memchr::memchr_iter(b'\n', text.as_bytes()).count() >= MAX_LINES
}

/// The keywords of a scanned text (docs/format.md, "Keywords").
pub fn keywords(language: Language, text: &str, max_identifiers: usize) -> Keywords<'_> {
    keywords_with(language, text, max_identifiers, &Scans::default())
}

/// [`keywords`], with the rules' matches taken from (or kept in) `scans`, the scans of
/// this same text.
pub(crate) fn keywords_with<'t>(
    language: Language,
    text: &'t str,
    max_identifiers: usize,
    scans: &Scans,
) -> Keywords<'t> {
    match language {
        Language::Python => by_rules(&scans.python, rules::PYTHON, text),
        Language::Cpp => by_rules(&scans.cpp, rules::CPP, text),
        Language::Identifier => identifiers::identifiers(text, max_identifiers),
    }
}

/// The matches of each keyword rule in one document's scanned text, found once and
/// kept: a document's documentation page asks for some of the same patterns as its
/// keyword page (a Python file's classes and functions, a C++ file's namespaces,
/// classes and includes), and both pages are handed the one read of the document.
/// Every call must pass the same text: the text the document's bytes scan to
/// (`pages::kind::Read` holds both).
#[derive(Default)]
pub(crate) struct Scans {
    python: [OnceLock<Vec<Span>>; rules::PYTHON.len()],
    cpp: [OnceLock<Vec<Span>>; rules::CPP.len()],
}

/// Where a match's keyword is in the text, in bytes.
type Span = (usize, usize);

/// A keyword pattern a documentation page asks about too (docs/format.md, "The content
/// pages"): the same regex as a keyword rule.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Shared {
    /// `class\s+(\w+)` in Python.
    PythonClass,
    /// `def\s+(\w+)` in Python.
    PythonFunction,
    /// `(?:class|struct)\s+(\w+)` in C++.
    CppClassOrStruct,
    /// `namespace\s+(\w+)` in C++.
    CppNamespace,
    /// `#include\s+[<"]([^>"]+)[>"]` in C++.
    CppInclude,
}

impl Scans {
    /// Group 1 of every match of `pattern` in `text`, left to right.
    pub(crate) fn found<'t>(
        &self,
        pattern: Shared,
        text: &'t str,
    ) -> impl ExactSizeIterator<Item = &'t str> + use<'t, '_> {
        let (cells, rules, at) = match pattern {
            Shared::PythonClass => (&self.python[..], rules::PYTHON, 0),
            Shared::PythonFunction => (&self.python[..], rules::PYTHON, 1),
            Shared::CppClassOrStruct => (&self.cpp[..], rules::CPP, 0),
            Shared::CppNamespace => (&self.cpp[..], rules::CPP, 2),
            Shared::CppInclude => (&self.cpp[..], rules::CPP, 3),
        };
        words_of(&cells[at], &rules[at], text)
    }
}

/// The matches of `rule` in `text`, from `cell` or scanned into it.
fn words_of<'t, 's>(
    cell: &'s OnceLock<Vec<Span>>,
    rule: &rules::Rule,
    text: &'t str,
) -> impl ExactSizeIterator<Item = &'t str> + use<'t, 's> {
    let spans = cell.get_or_init(|| {
        let mut words = Vec::new();
        (rule.scan)(text, &mut words);
        // Each keyword is a slice of the text: its place is its offset from the start.
        let base = text.as_ptr() as usize;
        words
            .into_iter()
            .map(|word| {
                let start = word.as_ptr() as usize - base;
                (start, start + word.len())
            })
            .collect()
    });
    spans.iter().map(move |&(start, end)| &text[start..end])
}

fn by_rules<'t>(
    cells: &[OnceLock<Vec<Span>>],
    rules: &[rules::Rule],
    text: &'t str,
) -> Keywords<'t> {
    // The rules of one kind are next to each other (`the_rules_of_a_kind_are_together`).
    let mut at = 0;
    let mut kinds: Vec<(&'static str, Vec<&str>)> = rules
        .chunk_by(|a, b| a.kind == b.kind)
        .map(|group| {
            let mut words = Vec::new();
            for rule in group {
                words.extend(words_of(&cells[at], rule, text));
                at += 1;
            }
            sort_bytewise(&mut words);
            words.dedup();
            words.truncate(MAX_PER_KIND);
            (group[0].kind, words)
        })
        .filter(|(_, words)| !words.is_empty())
        .collect();
    kinds.sort_by_key(|(kind, _)| *kind);
    Keywords(kinds)
}

/// Sorts `words` in byte order, comparing their first sixteen bytes as one number
/// before the rest: most comparisons of keywords end there (they share prefixes such as
/// `torch.`), without a call to `memcmp`.
fn sort_bytewise(words: &mut [&str]) {
    let mut keyed: Vec<(u128, &str)> = words.iter().map(|word| (head(word), *word)).collect();
    keyed.sort_unstable();
    for (word, (_, sorted)) in words.iter_mut().zip(keyed) {
        *word = sorted;
    }
}

/// A word's first sixteen bytes as a number that orders as they do; words with equal
/// heads are ordered by the rest.
fn head(word: &str) -> u128 {
    let bytes = word.as_bytes();
    let len = bytes.len();
    // Whole loads, overlapping when the word is shorter than them (a copy into a
    // zeroed buffer stalled the load that read it back): the overlap holds the same
    // bytes twice, and zero padding sorts a word before every longer word it begins.
    let be64 = |at: usize| u64::from_be_bytes(bytes[at..at + 8].try_into().unwrap_or([0; 8]));
    let be32 = |at: usize| u32::from_be_bytes(bytes[at..at + 4].try_into().unwrap_or([0; 4]));
    let high = match len {
        16.. => return u128::from_be_bytes(bytes[..16].try_into().unwrap_or([0; 16])),
        8.. => be64(0),
        4.. => u64::from(be32(0)) << 32 | u64::from(be32(len - 4)) << (8 * (8 - len)),
        1.. => {
            // The first, middle and last bytes cover one to three.
            let byte = |at: usize| u64::from(bytes[at]) << (56 - 8 * at);
            byte(0) | byte(len / 2) | byte(len - 1)
        }
        0 => 0,
    };
    let low = if len > 8 {
        be64(len - 8) << (8 * (16 - len))
    } else {
        0
    };
    u128::from(high) << 64 | u128::from(low)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::python::scan::tests::tricky_text;

    fn kw(language: Language, text: &str) -> Vec<(&'static str, Vec<String>)> {
        owned(keywords(
            language,
            &scan_text(text.len() as u64, text.as_bytes()),
            100,
        ))
    }

    fn owned(found: Keywords) -> Vec<(&'static str, Vec<String>)> {
        found
            .0
            .into_iter()
            .map(|(kind, words)| (kind, words.into_iter().map(str::to_owned).collect()))
            .collect()
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
        let got = owned(keywords(Language::Identifier, text, 2));
        assert_eq!(got, vec![("identifier", words(&["Beta", "Zed"]))]);
        let got = owned(keywords(Language::Identifier, text, 3));
        assert_eq!(got, vec![("identifier", words(&["Alpha", "Beta", "Zed"]))]);
    }

    #[test]
    fn identifier_boundaries_are_pythons() {
        assert_eq!(
            kw(Language::Identifier, "éFoo Bar_é Baz"),
            vec![("identifier", words(&["Baz"]))]
        );
        assert!(kw(Language::Identifier, "nothing here").is_empty());
        // fastapi's language_names.yml: U+0327 is a mark, so `M` ends at a boundary.
        assert_eq!(
            kw(Language::Identifier, "Kajin M\u{327}aje\u{13c}"),
            vec![("identifier", words(&["Kajin", "M"]))]
        );
        // `²` is a word character (No): `N²` is one word, so only `O` is an identifier.
        assert_eq!(
            kw(Language::Identifier, "O(N\u{b2})"),
            vec![("identifier", words(&["O"]))]
        );
        assert_eq!(
            kw(Language::Identifier, ".Q9\u{5b1} x\u{b2}Foo"),
            vec![("identifier", words(&["Q9"]))]
        );
    }

    #[test]
    fn python_whitespace_includes_the_separators() {
        assert_eq!(
            kw(Language::Python, "class\x1cAlpha:\ndef\u{85}run(): pass"),
            vec![("class", words(&["Alpha"])), ("function", words(&["run"]))]
        );
        // U+200B is not whitespace for Python, so nothing follows `def`.
        assert!(kw(Language::Python, "def\u{200b}run").is_empty());
        assert_eq!(
            kw(Language::Cpp, "int\u{2028}f\u{3000}(x)\x1f{"),
            vec![("function", words(&["f"]))]
        );
    }

    #[test]
    fn scan_normalises_and_drops_invalid_utf8() {
        assert_eq!(scan_text(9, b"a\r\nb\rc\xffd"), "a\nb\ncd");
        assert_eq!(scan_text(3, b"\r\r\n"), "\n\n");
    }

    #[test]
    fn scan_cuts_after_ten_thousand_lines_and_appends_the_marker() {
        let text = "A\n".repeat(MAX_LINES) + "class Late\nmore";
        let scanned = scan_text(text.len() as u64, text.as_bytes());
        assert!(
            scanned.ends_with("A\n\n\n... [truncated: 2 more lines]"),
            "{}",
            &scanned[scanned.len() - 60..]
        );
        assert!(!scanned.contains("Late"));
        // Exactly 10,000 lines, with or without a final line feed: nothing is cut.
        let exact = "A\n".repeat(MAX_LINES);
        assert_eq!(scan_text(0, exact.as_bytes()), exact);
        assert_eq!(scan_text(0, exact.trim_end().as_bytes()), exact.trim_end());
        // The generator scanned its own marker: an `import` on line 10,000 imports `...`.
        let python = "x = 1\n".repeat(MAX_LINES - 1) + "import\r\nos\n";
        assert_eq!(
            kw(Language::Python, &python),
            vec![("import", words(&["..."]))]
        );
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
        owned(keywords(Language::Identifier, &scan_text(size, b""), 100))
    }

    #[test]
    fn per_kind_cut_at_two_hundred() {
        let text: String = (0..300).map(|i| format!("def f{i:03}():\n")).collect();
        let got = kw(Language::Python, &text);
        assert_eq!(got[0].1.len(), MAX_PER_KIND);
        assert_eq!(got[0].1[0], "f000");
    }

    proptest::proptest! {
        #[test]
        fn identifiers_are_the_most_frequent_then_the_first_in_byte_order(
            words in proptest::collection::vec(
                proptest::sample::select(vec!["Abcdefgh1", "Abcdefgh2", "Abcdefghij", "Abcdefgh", "Abc", "B", "Zed_9"]),
                0..40,
            ),
            max in 1usize..6,
        ) {
            let text = words.join(" ");
            let mut counts: std::collections::BTreeMap<&str, u64> = std::collections::BTreeMap::new();
            for word in &words {
                *counts.entry(word).or_default() += 1;
            }
            let mut ranked: Vec<(&str, u64)> = counts.into_iter().collect();
            ranked.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
            let mut expected: Vec<String> = ranked.iter().take(max).map(|(w, _)| w.to_string()).collect();
            expected.sort();
            let got = owned(keywords(Language::Identifier, &text, max));
            let got = got.into_iter().next().map(|(_, words)| words).unwrap_or_default();
            proptest::prop_assert_eq!(got, expected);
        }

        #[test]
        fn head_is_the_first_sixteen_bytes_zero_padded(word in "[\\x00-\\x7fé]{0,20}") {
            let mut padded = [0u8; 16];
            let len = word.len().min(16);
            padded[..len].copy_from_slice(&word.as_bytes()[..len]);
            proptest::prop_assert_eq!(head(&word), u128::from_be_bytes(padded));
        }

        #[test]
        fn bytewise_sort_is_byte_order(mut words in proptest::collection::vec("[ab]{7,12}|[a\\x00-\\x02é]{0,9}", 0..30)) {
            let mut refs: Vec<&str> = words.iter().map(String::as_str).collect();
            sort_bytewise(&mut refs);
            let refs: Vec<String> = refs.into_iter().map(str::to_owned).collect();
            words.sort();
            proptest::prop_assert_eq!(refs, words);
        }

        #[test]
        fn fast_scan_agrees_with_the_char_by_char_scan(text in tricky_text(), cr in proptest::bool::ANY) {
            let text = if cr { text.replace('\n', "\r\n") } else { text };
            let bytes = text.as_bytes();
            let fast = scan_text(bytes.len() as u64, bytes).into_owned();
            proptest::prop_assert_eq!(fast, normalise(bytes));
        }
    }
}
