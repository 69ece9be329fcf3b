//! The keyword patterns of Python and C++ documents (docs/format.md, "Keywords"), each
//! matched by a scanner written for its one pattern.
//!
//! The patterns are Python regexes, applied with `re.findall`: leftmost matches, each
//! search starting where the last match ended, the capture group kept. Each one is
//! simple enough that its match is decided without backtracking once its anchor is found
//! (a literal, or the `(` of a C++ function): the runs of `\w`, `\s` and `[\w.]` it is
//! made of are disjoint classes, so every repetition takes the longest run. A scanner
//! finds the anchors with `memchr` and checks the few characters around each, where a
//! regex engine ran a DFA over every byte and a reverse DFA from every match end to find
//! its start (half the CPU of a `--rev HEAD` check). The regexes stay as the tests'
//! oracle (`scanners_agree_with_the_patterns`).

use memchr::{memchr, memchr2, memchr_iter, memmem};

use crate::python::{is_space, is_word};

/// A keyword pattern, the kind its keywords are listed under, and its scanner, which
/// appends the capture group of every match to a list.
pub(super) struct Rule {
    pub(super) kind: &'static str,
    /// The pattern as the format spells it (Python syntax); the scanner's specification.
    #[cfg_attr(not(test), allow(dead_code))]
    pub(super) pattern: &'static str,
    pub(super) scan: for<'t> fn(&'t str, &mut Vec<&'t str>),
}

pub(super) const PYTHON: &[Rule] = &[
    Rule {
        kind: "class",
        pattern: r"class\s+(\w+)",
        scan: |text, out| after_literals(text, &["class"], out, word_after_space),
    },
    Rule {
        kind: "function",
        pattern: r"def\s+(\w+)",
        scan: |text, out| after_literals(text, &["def"], out, word_after_space),
    },
    Rule {
        kind: "import",
        pattern: r"import\s+([\w.]+)",
        scan: |text, out| after_literals(text, &["import"], out, dotted_after_space),
    },
    Rule {
        kind: "import",
        pattern: r"from\s+([\w.]+)\s+import",
        scan: |text, out| after_literals(text, &["from"], out, from_import),
    },
];

pub(super) const CPP: &[Rule] = &[
    Rule {
        kind: "class/struct",
        pattern: r"(?:class|struct)\s+(\w+)",
        scan: |text, out| after_literals(text, &["class", "struct"], out, word_after_space),
    },
    Rule {
        kind: "function",
        pattern: r"\w+\s+(\w+)\s*\([^)]*\)\s*(?:const)?\s*\{",
        scan: cpp_functions,
    },
    Rule {
        kind: "namespace",
        pattern: r"namespace\s+(\w+)",
        scan: |text, out| after_literals(text, &["namespace"], out, word_after_space),
    },
    Rule {
        kind: "include",
        pattern: r#"#include\s+[<"]([^>"]+)[>"]"#,
        scan: |text, out| after_literals(text, &["#include"], out, include_path),
    },
];

/// A match found after its literal: where its group starts and ends, and where it ends.
type Tail = Option<(usize, usize, usize)>;

/// The matches of a pattern that starts with one of `literals` (none a prefix of
/// another, none overlapping itself), `tail` deciding what follows the literal that
/// ends at its second argument.
fn after_literals<'t>(
    text: &'t str,
    literals: &[&str],
    out: &mut Vec<&'t str>,
    tail: fn(&str, usize) -> Tail,
) {
    let bytes = text.as_bytes();
    // Each literal's next occurrence at or after `from`, kept between matches.
    let mut next: Vec<(Option<usize>, memmem::FindIter<'_, '_>)> = literals
        .iter()
        .map(|literal| {
            let mut found = memmem::find_iter(bytes, literal.as_bytes());
            (found.next(), found)
        })
        .collect();
    let mut from = 0;
    loop {
        let mut best: Option<(usize, usize)> = None;
        for (at, (found, rest)) in next.iter_mut().enumerate() {
            while found.is_some_and(|start| start < from) {
                *found = rest.next();
            }
            if let Some(start) = *found {
                if best.is_none_or(|(earliest, _)| start < earliest) {
                    best = Some((start, at));
                }
            }
        }
        let Some((start, at)) = best else { return };
        match tail(text, start + literals[at].len()) {
            Some((group_start, group_end, end)) => {
                out.push(&text[group_start..group_end]);
                from = end;
            }
            None => from = start + 1,
        }
    }
}

/// `\s+(\w+)`.
fn word_after_space(text: &str, at: usize) -> Tail {
    run_after_space(text, at, is_word)
}

/// `\s+([\w.]+)`.
fn dotted_after_space(text: &str, at: usize) -> Tail {
    run_after_space(text, at, is_dotted)
}

/// `\s+(C+)` for the character class `class`.
fn run_after_space(text: &str, at: usize, class: impl Fn(char) -> bool) -> Tail {
    let start = run_end(text, at, is_space);
    if start == at {
        return None;
    }
    let end = run_end(text, start, class);
    (end > start).then_some((start, end, end))
}

/// `\s+([\w.]+)\s+import`.
fn from_import(text: &str, at: usize) -> Tail {
    let (start, end, _) = dotted_after_space(text, at)?;
    let import = run_end(text, end, is_space);
    (import > end && text[import..].starts_with("import")).then_some((
        start,
        end,
        import + "import".len(),
    ))
}

/// `\s+[<"]([^>"]+)[>"]`.
fn include_path(text: &str, at: usize) -> Tail {
    let open = run_end(text, at, is_space);
    let bytes = text.as_bytes();
    if open == at || !matches!(bytes.get(open), Some(b'<' | b'"')) {
        return None;
    }
    let start = open + 1;
    let close = start + memchr2(b'>', b'"', &bytes[start..])?;
    (close > start).then_some((start, close, close + 1))
}

/// `\w+\s+(\w+)\s*\([^)]*\)\s*(?:const)?\s*\{`, found from its `(`: the match that
/// uses a `(` is decided by the runs before it (back to where the search started) and
/// the text after it, and a match holds no `(` before its own, so matches come in the
/// order of their `(`.
fn cpp_functions<'t>(text: &'t str, out: &mut Vec<&'t str>) {
    let bytes = text.as_bytes();
    let mut from = 0;
    for paren in memchr_iter(b'(', bytes) {
        if paren < from {
            continue;
        }
        let name_end = run_start(text, paren, from, is_space);
        let name_start = run_start(text, name_end, from, is_word);
        let space_start = run_start(text, name_start, from, is_space);
        let first_start = run_start(text, space_start, from, is_word);
        if name_start == name_end || space_start == name_start || first_start == space_start {
            continue;
        }
        let Some(close) = memchr(b')', &bytes[paren + 1..]) else {
            // No `)` after this `(`, so none after any later one.
            return;
        };
        let mut brace = run_end(text, paren + 1 + close + 1, is_space);
        if text[brace..].starts_with("const") {
            brace = run_end(text, brace + "const".len(), is_space);
        }
        if bytes.get(brace) == Some(&b'{') {
            out.push(&text[name_start..name_end]);
            from = brace + 1;
        }
    }
}

/// `[\w.]`.
fn is_dotted(c: char) -> bool {
    c == '.' || is_word(c)
}

/// Where the run of characters of `class` that starts at byte `at` ends.
fn run_end(text: &str, at: usize, class: impl Fn(char) -> bool) -> usize {
    let bytes = text.as_bytes();
    let mut end = at;
    while let Some(&byte) = bytes.get(end) {
        if byte.is_ascii() {
            if !class(char::from(byte)) {
                break;
            }
            end += 1;
        } else {
            match text[end..].chars().next() {
                Some(c) if class(c) => end += c.len_utf8(),
                _ => break,
            }
        }
    }
    end
}

/// Where the run of characters of `class` that ends at byte `end` starts, no earlier
/// than `floor`.
fn run_start(text: &str, end: usize, floor: usize, class: impl Fn(char) -> bool) -> usize {
    let bytes = text.as_bytes();
    let mut start = end;
    while start > floor {
        let byte = bytes[start - 1];
        if byte.is_ascii() {
            if !class(char::from(byte)) {
                break;
            }
            start -= 1;
        } else {
            match text[floor..start].chars().next_back() {
                Some(c) if class(c) => start -= c.len_utf8(),
                _ => break,
            }
        }
    }
    start
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use crate::python;
    use regex::Regex;

    fn scanned<'t>(rule: &Rule, text: &'t str) -> Vec<&'t str> {
        let mut out = Vec::new();
        (rule.scan)(text, &mut out);
        out
    }

    /// What `re.findall` returns, through the regex crate (Python's classes spelled out).
    fn by_regex<'t>(rule: &Rule, text: &'t str) -> Vec<&'t str> {
        let regex = Regex::new(&python::translate(rule.pattern)).unwrap();
        regex
            .captures_iter(text)
            .map(|c| c.get(1).unwrap().as_str())
            .collect()
    }

    #[test]
    fn the_rules_of_a_kind_are_together() {
        for rules in [PYTHON, CPP] {
            let runs: Vec<&str> = rules
                .chunk_by(|a, b| a.kind == b.kind)
                .map(|run| run[0].kind)
                .collect();
            let mut kinds = runs.clone();
            kinds.sort_unstable();
            kinds.dedup();
            assert_eq!(runs.len(), kinds.len(), "{runs:?}");
        }
    }

    #[test]
    fn each_scanner_finds_its_pattern() {
        let cases: &[(&Rule, &str, &[&str])] = &[
            (&PYTHON[0], "dataclass\nclass X: class  Y(", &["class", "Y"]),
            (&PYTHON[1], "undef x\ndef  f():\ndef(", &["x", "f"]),
            (
                &PYTHON[2],
                "import os.path, sys\nimport\t.a",
                &["os.path", ".a"],
            ),
            (
                &PYTHON[3],
                "from a.b import c\nfrom x imports\nfrom y  z import",
                &["a.b", "x"],
            ),
            (&CPP[0], "struct S; class C {}; classy", &["S", "C"]),
            (
                &CPP[1],
                "int f(int a) const {\nstatic void g ( ) \n{ h(x) {",
                &["f", "g"],
            ),
            (&CPP[1], "a b(c) {x y(z) const{", &["b", "y"]),
            (&CPP[1], "return (x) { if (y) {", &[]),
            (&CPP[1], "int f(x) constexpr {", &[]),
            (&CPP[1], "int f(x) cons{ g h() const const {", &[]),
            (
                &CPP[2],
                "namespace at { namespace  detail",
                &["at", "detail"],
            ),
            (
                &CPP[3],
                "#include <vector>\n#include \"a/b.h\"\n#include <>",
                &["vector", "a/b.h"],
            ),
            (&CPP[3], "#include <a\nb>", &["a\nb"]),
        ];
        for (rule, text, expected) in cases {
            assert_eq!(
                &scanned(rule, text),
                expected,
                "{} on {text:?}",
                rule.pattern
            );
            assert_eq!(
                &by_regex(rule, text),
                expected,
                "the oracle, {}",
                rule.pattern
            );
        }
    }

    /// Text made of the tokens the patterns care about, Unicode edge cases included
    /// (the extraction tests of `extract/mod.rs` use it too).
    pub(in crate::extract) fn tricky_text() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        let tokens = prop::sample::select(vec![
            "class",
            "struct",
            "def",
            "import",
            "from",
            "namespace",
            "#include",
            "const",
            "cl",
            "ass",
            "cons",
            "t",
            "im",
            "ort",
            " ",
            "\t",
            "\n",
            "\x1c",
            "\u{a0}",
            "\u{2003}",
            "(",
            ")",
            "{",
            "}",
            "<",
            ">",
            "\"",
            ".",
            "_",
            "a",
            "Z",
            "Foo",
            "x1",
            "é",
            "É",
            "\u{301}",
            "\u{b2}",
            "\u{203f}",
            "\u{200d}",
            "9",
            "int f(",
            "a b (x",
            ") ",
            "import a",
            "from b",
        ]);
        prop::collection::vec(tokens, 0..60).prop_map(|t| t.concat())
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]
        #[test]
        fn scanners_agree_with_the_patterns(text in tricky_text()) {
            for rule in PYTHON.iter().chain(CPP) {
                proptest::prop_assert_eq!(scanned(rule, &text), by_regex(rule, &text), "{}", rule.pattern);
            }
        }
    }
}
