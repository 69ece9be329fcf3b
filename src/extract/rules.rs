//! The keyword patterns of Python and C++ documents (docs/format.md, "Keywords"), each
//! matched by a scanner written for its one pattern (`python::scan` says why that is
//! exact): the patterns that start with a literal by `groups_after`, the C++ function
//! from its `(`. The regexes stay as the tests' oracle
//! (`scanners_agree_with_the_patterns`); the regex engine spent half the CPU of a
//! `--rev HEAD` check on them.

use memchr::{memchr, memchr_iter};

use crate::python::is_space;
use crate::python::scan::{
    dotted_after_space, groups_after, module_then_import, run_end, two_words_before, Group, Tail,
    CLASS, DEF, INCLUDE, NAMESPACE, STRUCT,
};

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
        scan: |text, out| groups_after(text, &[CLASS], usize::MAX, out),
    },
    Rule {
        kind: "function",
        pattern: r"def\s+(\w+)",
        scan: |text, out| groups_after(text, &[DEF], usize::MAX, out),
    },
    Rule {
        kind: "import",
        pattern: r"import\s+([\w.]+)",
        scan: |text, out| groups_after(text, &[("import", dotted_after_space)], usize::MAX, out),
    },
    Rule {
        kind: "import",
        pattern: r"from\s+([\w.]+)\s+import",
        scan: |text, out| groups_after(text, &[("from", from_import)], usize::MAX, out),
    },
];

pub(super) const CPP: &[Rule] = &[
    Rule {
        kind: "class/struct",
        pattern: r"(?:class|struct)\s+(\w+)",
        scan: |text, out| groups_after(text, &[CLASS, STRUCT], usize::MAX, out),
    },
    Rule {
        kind: "function",
        pattern: r"\w+\s+(\w+)\s*\([^)]*\)\s*(?:const)?\s*\{",
        scan: cpp_functions,
    },
    Rule {
        kind: "namespace",
        pattern: r"namespace\s+(\w+)",
        scan: |text, out| groups_after(text, &[NAMESPACE], usize::MAX, out),
    },
    Rule {
        kind: "include",
        pattern: r#"#include\s+[<"]([^>"]+)[>"]"#,
        scan: |text, out| groups_after(text, &[INCLUDE], usize::MAX, out),
    },
];

/// `\s+([\w.]+)\s+import`.
fn from_import(text: &str, at: usize) -> Tail<Group> {
    module_then_import(text, at, |_, end| Some(((), end))).map(|((module, ()), end)| (module, end))
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
        let Some((name_start, name_end)) = two_words_before(text, paren, from) else {
            continue;
        };
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

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use crate::python;
    use crate::python::scan::tests::tricky_text;

    fn scanned<'t>(rule: &Rule, text: &'t str) -> Vec<&'t str> {
        let mut out = Vec::new();
        (rule.scan)(text, &mut out);
        out
    }

    /// What `re.findall` returns, through the regex crate (Python's classes spelled out).
    fn by_regex<'t>(rule: &Rule, text: &'t str) -> Vec<&'t str> {
        let regex = python::oracle(rule.pattern);
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
