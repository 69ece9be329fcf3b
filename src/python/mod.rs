//! What Python 3's `re` and `str` methods make of characters (docs/format.md, "Keywords"): the old generator
//! was Python, so `\w`, `\s`, `\b` and "alphabetic" mean Python's, not the regex crate's.
//!
//! - `\w` is general category L or N, or `_` (`str.isalnum()` or `_`): combining marks are
//!   not word characters, `²` and `Ⅷ` are. The regex crate's Unicode `\w` differs both ways.
//! - `\s` is `str.isspace()`: Unicode White_Space plus the separators `\x1c`–`\x1f`.
//! - alphabetic is general category L (`str.isalpha()`): `Ⓐ` (So) is not.
//!
//! Categories come from regex-syntax's tables (Unicode 16), parsed once.

pub(crate) mod scan;

use std::sync::LazyLock;

/// `\w` spelled for the regex crate, without brackets (to sit inside a class).
pub(crate) const WORD_CLASS: &str = r"\p{L}\p{N}_";
/// `\s` spelled for the regex crate, without brackets (to sit inside a class).
#[cfg(test)]
pub(crate) const SPACE_CLASS: &str = r"\t\n\x0B\x0C\r\x1C-\x1F \x{85}\x{A0}\x{1680}\x{2000}-\x{200A}\x{2028}\x{2029}\x{202F}\x{205F}\x{3000}";

/// Ranges of one Unicode class, sorted, for binary search.
struct Ranges(Vec<(char, char)>);

impl Ranges {
    fn of(class: &str) -> Ranges {
        let hir = regex_syntax::parse(&format!("[{class}]")).expect("built-in class parses");
        match hir.kind() {
            regex_syntax::hir::HirKind::Class(regex_syntax::hir::Class::Unicode(class)) => Ranges(
                class
                    .ranges()
                    .iter()
                    .map(|r| (r.start(), r.end()))
                    .collect(),
            ),
            other => unreachable!("a bracketed class parses as a class, not {other:?}"),
        }
    }

    fn contains(&self, c: char) -> bool {
        self.0
            .binary_search_by(|&(start, end)| {
                if end < c {
                    std::cmp::Ordering::Less
                } else if start > c {
                    std::cmp::Ordering::Greater
                } else {
                    std::cmp::Ordering::Equal
                }
            })
            .is_ok()
    }
}

static WORD: LazyLock<Ranges> = LazyLock::new(|| Ranges::of(WORD_CLASS));
static LETTER: LazyLock<Ranges> = LazyLock::new(|| Ranges::of(r"\p{L}"));

/// Python's `\w`: general category L or N, or `_`.
pub(crate) fn is_word(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric() || c == '_';
    }
    WORD.contains(c)
}

/// Python's `\s` (`str.isspace()`).
pub(crate) fn is_space(c: char) -> bool {
    matches!(
        c,
        '\t' | '\n'
            | '\x0b'
            | '\x0c'
            | '\r'
            | '\x1c'..='\x1f'
            | ' '
            | '\u{85}'
            | '\u{a0}'
            | '\u{1680}'
            | '\u{2000}'..='\u{200a}'
            | '\u{2028}'
            | '\u{2029}'
            | '\u{202f}'
            | '\u{205f}'
            | '\u{3000}'
    )
}

/// Python's `str.isalpha()` for one character: general category L.
pub(crate) fn is_alpha(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphabetic();
    }
    LETTER.contains(c)
}

/// `text` without leading and trailing whitespace as Python's `str.strip()` sees it
/// (`\x1c`–`\x1f` included, which `str::trim` keeps).
pub(crate) fn strip(text: &str) -> &str {
    text.trim_matches(is_space)
}

/// A format pattern with `\w` and `\s` spelled as Python means them, for the regex crate.
/// Only those two escapes are rewritten, inside and outside bracketed classes. The
/// scanners that match the patterns are tested against these regexes.
#[cfg(test)]
pub(crate) fn translate(pattern: &str) -> String {
    let mut out = String::with_capacity(pattern.len() * 4);
    let mut in_class = false;
    let mut chars = pattern.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                let next = chars
                    .next()
                    .expect("a format pattern never ends in a backslash");
                let class = match next {
                    'w' => WORD_CLASS,
                    's' => SPACE_CLASS,
                    other => {
                        out.push('\\');
                        out.push(other);
                        continue;
                    }
                };
                if in_class {
                    out.push_str(class);
                } else {
                    out.push('[');
                    out.push_str(class);
                    out.push(']');
                }
            }
            '[' if !in_class => {
                in_class = true;
                out.push(c);
            }
            ']' if in_class => {
                in_class = false;
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    out
}

/// A format pattern compiled for the regex crate by `translate`, once per thread: the
/// scanners' property tests ask for the same few thousands of times.
#[cfg(test)]
pub(crate) fn oracle(pattern: &str) -> regex::Regex {
    use std::cell::RefCell;
    use std::collections::HashMap;
    thread_local! {
        static COMPILED: RefCell<HashMap<String, regex::Regex>> = RefCell::default();
    }
    COMPILED.with(|compiled| {
        compiled
            .borrow_mut()
            .entry(pattern.to_owned())
            .or_insert_with(|| {
                regex::Regex::new(&translate(pattern)).expect("a format pattern compiles")
            })
            .clone()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_is_letters_and_numbers() {
        for c in ['a', 'Z', '9', '_', 'é', 'ļ', '²', '½', 'Ⅷ', '中'] {
            assert!(is_word(c), "{c:?}");
        }
        // Combining marks, the joiner and connector punctuation other than `_` are not.
        for c in [
            '\u{327}', '\u{301}', '\u{5b1}', '\u{200d}', '\u{203f}', '-', ' ',
        ] {
            assert!(!is_word(c), "{c:?}");
        }
    }

    #[test]
    fn space_includes_the_separators() {
        for c in ['\x1c', '\x1f', '\u{85}', '\u{2028}', '\u{3000}', '\x0b'] {
            assert!(is_space(c), "{c:?}");
        }
        for c in ['\u{180e}', '\u{200b}', '\u{feff}', 'a'] {
            assert!(!is_space(c), "{c:?}");
        }
    }

    #[test]
    fn alpha_is_category_l() {
        assert!(is_alpha('ß') && is_alpha('ʼ') && is_alpha('中'));
        assert!(!is_alpha('Ⓐ') && !is_alpha('²') && !is_alpha('_'));
    }

    #[test]
    fn translation() {
        assert_eq!(
            translate(r"def\s+(\w+)"),
            format!("def[{SPACE_CLASS}]+([{WORD_CLASS}]+)")
        );
        assert_eq!(translate(r"[\w.]"), format!("[{WORD_CLASS}.]"));
        assert_eq!(translate(r"\(x\)"), r"\(x\)");
    }
}
