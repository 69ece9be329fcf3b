//! The patterns the documentation sections count and list (docs/format.md, "The content
//! pages"), each matched by a scanner (`python::scan` says why that is exact). The
//! regexes are the tests' oracle (`scanners_agree_with_the_patterns`); as regexes they
//! took a fifth of the CPU of a check with every kind on.

use memchr::{memchr, memchr_iter};

use crate::python::scan::{
    count_after, groups_after, list_after_space, matches_after, module_then_import, run_end,
    two_words_before, word_after_space, Group, Literal, Tail, CLASS,
};
use crate::python::{is_space, is_word};

/// How many matches `class\s+\w+` has.
pub(super) fn classes(text: &str) -> usize {
    count_after(text, &[CLASS])
}

/// How many matches `\w+\s+\w+\s*\(` has. Found from each `(`, as the keyword scanner
/// of C++ functions is: a match holds no `(` before its last character, so matches come
/// in the order of their `(`.
pub(super) fn cpp_calls(text: &str) -> usize {
    let mut from = 0;
    let mut count = 0;
    for paren in memchr_iter(b'(', text.as_bytes()) {
        if two_words_before(text, paren, from).is_some() {
            count += 1;
            from = paren + 1;
        }
    }
    count
}

/// Group 1 of the first `limit` matches of `class\s+(\w+)(?:\([^)]*\))?:`.
pub(super) fn classes_defined(text: &str, limit: usize) -> Vec<&str> {
    first(text, &[("class", class_defined)], limit)
}

/// Group 1 of the first `limit` matches of `def\s+(\w+)\s*\(`.
pub(super) fn defs_defined(text: &str, limit: usize) -> Vec<&str> {
    first(text, &[("def", def_defined)], limit)
}

/// Group 1 of the first `limit` matches of `(?:from\s+[\w.]+\s+)?import\s+([\w., ]+)`.
pub(super) fn key_imports(text: &str, limit: usize) -> Vec<&str> {
    first(
        text,
        &[
            ("from", from_key_import),
            ("import", dotted_list_after_space),
        ],
        limit,
    )
}

/// One match of
/// `(?:from\s+([\w.]+)\s+import\s+([\w, ]+)|import\s+([\w., ]+))`.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Import<'t> {
    /// The first branch: groups 1 and 2.
    From { module: &'t str, names: &'t str },
    /// The second branch: group 3.
    Plain(&'t str),
}

/// Where the groups of an [`Import`] are.
enum ImportAt {
    From(Group, Group),
    Plain(Group),
}

/// The first `limit` matches of
/// `(?:from\s+([\w.]+)\s+import\s+([\w, ]+)|import\s+([\w., ]+))`. A `from` that fails
/// its branch fails the match there: the other branch starts with `import`.
pub(super) fn imports(text: &str, limit: usize) -> Vec<Import<'_>> {
    let mut out = Vec::new();
    if limit == 0 {
        return out;
    }
    let from: Literal<ImportAt> = ("from", |text, at| {
        let names =
            |text: &str, at| list_after_space(text, at, |c| c == ',' || c == ' ' || is_word(c));
        let ((module, names), end) = module_then_import(text, at, names)?;
        Some((ImportAt::From(module, names), end))
    });
    let import: Literal<ImportAt> = ("import", |text, at| {
        let (list, end) = dotted_list_after_space(text, at)?;
        Some((ImportAt::Plain(list), end))
    });
    let group = |(start, end): Group| &text[start..end];
    matches_after(text, &[from, import], |found| {
        out.push(match found {
            ImportAt::From(module, names) => Import::From {
                module: group(module),
                names: group(names),
            },
            ImportAt::Plain(list) => Import::Plain(group(list)),
        });
        out.len() < limit
    });
    out
}

/// The groups of the first `limit` matches of a one-group pattern.
fn first<'t>(text: &'t str, literals: &[Literal<Group>], limit: usize) -> Vec<&'t str> {
    let mut out = Vec::new();
    groups_after(text, literals, limit, &mut out);
    out
}

/// `\s+(\w+)(?:\([^)]*\))?:`: a `(` after the name must close and be followed by `:`
/// (without the group, `:` would have to stand where the `(` is).
fn class_defined(text: &str, at: usize) -> Tail<Group> {
    let (name, end) = word_after_space(text, at)?;
    let bytes = text.as_bytes();
    let colon = match bytes.get(end) {
        Some(b'(') => end + 1 + memchr(b')', &bytes[end + 1..])? + 1,
        _ => end,
    };
    (bytes.get(colon) == Some(&b':')).then_some((name, colon + 1))
}

/// `\s+(\w+)\s*\(`.
fn def_defined(text: &str, at: usize) -> Tail<Group> {
    let (name, end) = word_after_space(text, at)?;
    let paren = run_end(text, end, is_space);
    (text.as_bytes().get(paren) == Some(&b'(')).then_some((name, paren + 1))
}

/// `\s+[\w.]+\s+import\s+([\w., ]+)`.
fn from_key_import(text: &str, at: usize) -> Tail<Group> {
    module_then_import(text, at, dotted_list_after_space).map(|((_, list), end)| (list, end))
}

/// `\s+([\w., ]+)`.
fn dotted_list_after_space(text: &str, at: usize) -> Tail<Group> {
    list_after_space(text, at, |c| matches!(c, '.' | ',' | ' ') || is_word(c))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::{Scans, Shared};
    use crate::python;
    use crate::python::scan::tests::tricky_text;

    /// Group 1 of every match, through the regex crate.
    fn by_regex<'t>(pattern: &str, text: &'t str) -> Vec<&'t str> {
        python::oracle(pattern)
            .captures_iter(text)
            .map(|c| c.get(1).unwrap().as_str())
            .collect()
    }

    fn imports_by_regex(text: &str) -> Vec<Import<'_>> {
        python::oracle(r"(?:from\s+([\w.]+)\s+import\s+([\w, ]+)|import\s+([\w., ]+))")
            .captures_iter(text)
            .map(|c| match (c.get(1), c.get(2), c.get(3)) {
                (Some(module), Some(names), None) => Import::From {
                    module: module.as_str(),
                    names: names.as_str(),
                },
                (None, None, Some(list)) => Import::Plain(list.as_str()),
                other => unreachable!("the branches capture {other:?}"),
            })
            .collect()
    }

    /// A scanner that lists group 1 of every match.
    type OneGroup = for<'t> fn(&'t str) -> Vec<&'t str>;
    /// A scanner that counts the matches.
    type Counter = fn(&str) -> usize;

    /// Every one-group scanner with its pattern, taking every match.
    fn one_group_scanners() -> Vec<(&'static str, OneGroup)> {
        vec![
            (r"class\s+(\w+)(?:\([^)]*\))?:", |t| {
                classes_defined(t, usize::MAX)
            }),
            (r"def\s+(\w+)\s*\(", |t| defs_defined(t, usize::MAX)),
            (r"(?:from\s+[\w.]+\s+)?import\s+([\w., ]+)", |t| {
                key_imports(t, usize::MAX)
            }),
            // The patterns the keyword rules share (`extract::Shared`).
            (r"namespace\s+(\w+)", |t| {
                Scans::default().found(Shared::CppNamespace, t).collect()
            }),
            (r"(?:class|struct)\s+(\w+)", |t| {
                Scans::default()
                    .found(Shared::CppClassOrStruct, t)
                    .collect()
            }),
            (r#"#include\s+[<"]([^>"]+)[>"]"#, |t| {
                Scans::default().found(Shared::CppInclude, t).collect()
            }),
            (r"class\s+(\w+)", |t| {
                Scans::default().found(Shared::PythonClass, t).collect()
            }),
            (r"def\s+(\w+)", |t| {
                Scans::default().found(Shared::PythonFunction, t).collect()
            }),
        ]
    }

    fn counters() -> Vec<(&'static str, Counter)> {
        vec![(r"class\s+\w+", classes), (r"\w+\s+\w+\s*\(", cpp_calls)]
    }

    #[test]
    fn each_scanner_finds_its_pattern() {
        let text = "class A(B): class C: class D(:\ndef  f (x): def g(\nimport a.b,  c\n\
                    from x.y import p, q\nfrom z import ;import   ;namespace n\nstruct S {}\n\
                    #include <v>\nint f(x); g (y)";
        // `D`'s parenthesis spans lines up to `(x)`.
        assert_eq!(classes_defined(text, 9), ["A", "C", "D"]);
        assert_eq!(classes_defined(text, 1), ["A"]);
        assert_eq!(defs_defined(text, 9), ["f", "g"]);
        // `import   ;` gives back a space: its group is that one space.
        assert_eq!(key_imports(text, 9), ["a.b,  c", "p, q", " "]);
        let scans = Scans::default();
        let found = |pattern| scans.found(pattern, text).collect::<Vec<_>>();
        assert_eq!(found(Shared::CppNamespace), ["n"]);
        assert_eq!(found(Shared::CppClassOrStruct), ["A", "C", "D", "S"]);
        assert_eq!(found(Shared::CppInclude), ["v"]);
        assert_eq!(classes(text), 3);
        assert_eq!(scans.found(Shared::PythonFunction, text).len(), 2);
        assert_eq!(cpp_calls(text), 5);
        assert_eq!(
            imports(text, 9),
            [
                Import::Plain("a.b,  c"),
                Import::From {
                    module: "x.y",
                    names: "p, q"
                },
                Import::Plain(" "),
            ]
        );
        assert_eq!(imports(text, 1).len(), 1);
        for (pattern, scan) in one_group_scanners() {
            assert_eq!(scan(text), by_regex(pattern, text), "{pattern}");
        }
        assert_eq!(imports(text, usize::MAX), imports_by_regex(text));
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]
        #[test]
        fn scanners_agree_with_the_patterns(text in tricky_text()) {
            for (pattern, scan) in one_group_scanners() {
                proptest::prop_assert_eq!(scan(&text), by_regex(pattern, &text), "{}", pattern);
            }
            for (pattern, count) in counters() {
                proptest::prop_assert_eq!(count(&text), python::oracle(pattern).find_iter(&text).count(), "{}", pattern);
            }
            proptest::prop_assert_eq!(imports(&text, usize::MAX), imports_by_regex(&text));
        }
    }
}
