//! Scanners for the format's simple Python regexes: a pattern that starts with a literal
//! is found with `memmem` and decided by the runs of characters after it, where a regex
//! engine runs a DFA over every byte and a reverse DFA back from every match end.
//!
//! The patterns are applied as `re.findall` and `re.finditer` apply them: leftmost
//! matches, each search starting where the last match ended. Each is made of runs of
//! disjoint classes (`\w`, `\s`, `[\w.]`, a literal), so every repetition takes its
//! longest run and no backtracking is needed, with one exception that
//! `list_after_space` spells out. Every scanner is tested against its regex (through the regex crate, with
//! Python's classes spelled out by `python::translate`) as its oracle.

use memchr::{memchr2, memmem, memrchr};

use super::{is_space, is_word};

/// A match found after its literal: what its groups captured, and where it ends.
pub(crate) type Tail<G> = Option<(G, usize)>;

/// One capture group: where it starts and ends, in bytes.
pub(crate) type Group = (usize, usize);

/// A literal a pattern starts with, and what decides the rest of the pattern from the
/// byte after the literal.
pub(crate) type Literal<G> = (&'static str, fn(&str, usize) -> Tail<G>);

/// Every match of a pattern that starts with one of `literals` (none a prefix of
/// another, none overlapping itself), leftmost first, each search starting where the
/// last match ended; `each` gets every match's groups and says whether to go on.
pub(crate) fn matches_after<G>(
    text: &str,
    literals: &[Literal<G>],
    mut each: impl FnMut(G) -> bool,
) {
    let bytes = text.as_bytes();
    // Each literal's next occurrence at or after `from`, kept between matches.
    let mut next: Vec<(Option<usize>, memmem::FindIter<'_, '_>)> = literals
        .iter()
        .map(|(literal, _)| {
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
        let (literal, tail) = literals[at];
        match tail(text, start + literal.len()) {
            Some((groups, end)) => {
                if !each(groups) {
                    return;
                }
                from = end;
            }
            None => from = start + 1,
        }
    }
}

/// Appends the one group of each of the first `limit` matches of a pattern that starts
/// with one of `literals` to `out`.
pub(crate) fn groups_after<'t>(
    text: &'t str,
    literals: &[Literal<Group>],
    limit: usize,
    out: &mut Vec<&'t str>,
) {
    let mut left = limit;
    if left == 0 {
        return;
    }
    matches_after(text, literals, |(start, end)| {
        out.push(&text[start..end]);
        left -= 1;
        left > 0
    });
}

/// How many matches a pattern that starts with one of `literals` has.
pub(crate) fn count_after<G>(text: &str, literals: &[Literal<G>]) -> usize {
    let mut count = 0;
    matches_after(text, literals, |_| {
        count += 1;
        true
    });
    count
}

/// `class\s+(\w+)`: its start, shared by patterns of both languages.
pub(crate) const CLASS: Literal<Group> = ("class", word_after_space);
/// `struct\s+(\w+)`.
pub(crate) const STRUCT: Literal<Group> = ("struct", word_after_space);
/// `def\s+(\w+)`.
pub(crate) const DEF: Literal<Group> = ("def", word_after_space);
/// `namespace\s+(\w+)`.
pub(crate) const NAMESPACE: Literal<Group> = ("namespace", word_after_space);
/// `#include\s+[<"]([^>"]+)[>"]`.
pub(crate) const INCLUDE: Literal<Group> = ("#include", include_path);

/// `\s+(\w+)`.
pub(crate) fn word_after_space(text: &str, at: usize) -> Tail<Group> {
    run_after_space(text, at, is_word)
}

/// `\s+([\w.]+)`.
pub(crate) fn dotted_after_space(text: &str, at: usize) -> Tail<Group> {
    run_after_space(text, at, is_dotted)
}

/// `\s+([\w.]+)\s+import` and what follows the `import`, which `tail` decides: the
/// module's group and the tail's.
pub(crate) fn module_then_import<G>(
    text: &str,
    at: usize,
    tail: impl Fn(&str, usize) -> Tail<G>,
) -> Tail<(Group, G)> {
    let (module, module_end) = dotted_after_space(text, at)?;
    let import = run_end(text, module_end, is_space);
    if import == module_end || !text[import..].starts_with("import") {
        return None;
    }
    let (groups, end) = tail(text, import + "import".len())?;
    Some(((module, groups), end))
}

/// `\s+(C+)` for the character class `class`: the longest run of spaces, then the
/// longest run of `class`.
fn run_after_space(text: &str, at: usize, class: impl Fn(char) -> bool) -> Tail<Group> {
    let start = run_end(text, at, is_space);
    if start == at {
        return None;
    }
    let end = run_end(text, start, class);
    (end > start).then_some(((start, end), end))
}

/// `\s+(C+)` for a class `C` that holds the space (`[\w, ]`, `[\w., ]`), so the two
/// runs overlap. The regex takes the longest `\s+`; when no character of `C` follows
/// it, it gives back whitespace one character at a time until `C` matches, which only
/// a space it gave back does (no other whitespace is in `C`). Then the group is that
/// one space: the whitespace after it holds no space, and what follows is not in `C`.
pub(crate) fn list_after_space(text: &str, at: usize, class: impl Fn(char) -> bool) -> Tail<Group> {
    if let Some(found) = run_after_space(text, at, class) {
        return Some(found);
    }
    // `\s+` keeps at least its first character; a space is one byte, never part of a
    // longer character, so the byte search cannot land inside one.
    let spaces = text.as_bytes().get(at + 1..run_end(text, at, is_space))?;
    let space = at + 1 + memrchr(b' ', spaces)?;
    Some(((space, space + 1), space + 1))
}

/// `\s+[<"]([^>"]+)[>"]`.
pub(crate) fn include_path(text: &str, at: usize) -> Tail<Group> {
    let open = run_end(text, at, is_space);
    let bytes = text.as_bytes();
    if open == at || !matches!(bytes.get(open), Some(b'<' | b'"')) {
        return None;
    }
    let start = open + 1;
    let close = start + memchr2(b'>', b'"', &bytes[start..])?;
    (close > start).then_some(((start, close), close + 1))
}

/// `\w+\s+(\w+)\s*` ending at byte `end` and starting no earlier than `floor`: the
/// head of a C++ function or call before its `(`. Each run is the longest one that
/// ends where the next begins (a shorter `\s*` or second `\w+` would end before a
/// character the next run cannot start with); the first `\w+` may start anywhere in
/// its run, so it only needs one character.
pub(crate) fn two_words_before(text: &str, end: usize, floor: usize) -> Option<Group> {
    let name_end = run_start(text, end, floor, is_space);
    let name_start = run_start(text, name_end, floor, is_word);
    let space_start = run_start(text, name_start, floor, is_space);
    let first_start = run_start(text, space_start, floor, is_word);
    (name_start < name_end && space_start < name_start && first_start < space_start)
        .then_some((name_start, name_end))
}

/// `[\w.]`.
pub(crate) fn is_dotted(c: char) -> bool {
    c == '.' || is_word(c)
}

/// Where the run of characters of `class` that starts at byte `at` ends.
pub(crate) fn run_end(text: &str, at: usize, class: impl Fn(char) -> bool) -> usize {
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
pub(crate) fn run_start(
    text: &str,
    end: usize,
    floor: usize,
    class: impl Fn(char) -> bool,
) -> usize {
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
pub(crate) mod tests {
    /// Text made of the tokens the format's patterns care about, Unicode edge cases
    /// included (the scanners' tests in `extract` and `pages::docs` use it).
    pub(crate) fn tricky_text() -> impl proptest::strategy::Strategy<Value = String> {
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
            "  ",
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
            ",",
            ":",
            ";",
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
            "):",
            "import a",
            "from b",
        ]);
        prop::collection::vec(tokens, 0..60).prop_map(|t| t.concat())
    }
}
