//! Names from the repository, made safe to print. A file name may hold a newline, a
//! terminal escape or a bidirectional override; printed raw it could fake report lines,
//! start GitHub workflow commands, or reprogram the user's terminal. Like git with
//! `core.quotePath` (and `ls -b`), a name that needs it is printed in double quotes
//! with C escapes; other names, non-ASCII ones included, are printed as they are.

use std::borrow::Cow;
use std::fmt::Write;

/// A path as people read it: unchanged when harmless, otherwise `"…"` with `\n`, `\t`,
/// `\"`, `\\` and octal escapes (`\033`) of each byte of any other control or
/// bidirectional formatting character, as git quotes paths.
pub fn path(name: &str) -> Cow<'_, str> {
    if !name
        .chars()
        .any(|c| needs_escape(c) || c == '"' || c == '\\')
        && !name.contains(LEGACY_COMMAND)
    {
        return Cow::Borrowed(name);
    }
    let mut quoted = String::with_capacity(name.len() + 2);
    quoted.push('"');
    let mut chars = name.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' => quoted.push_str("\\\""),
            '\\' => quoted.push_str("\\\\"),
            c if needs_escape(c) => push_c_escape(&mut quoted, c),
            '#' if starts_legacy_command(&quoted, chars.peek()) => quoted.push_str("\\043"),
            c => quoted.push(c),
        }
    }
    quoted.push('"');
    Cow::Owned(quoted)
}

/// What starts a GitHub Actions runner's legacy command (`##[error]…`), which it reads
/// anywhere in a line, even while `::stop-commands::` holds.
const LEGACY_COMMAND: &str = "##[";

/// Whether writing `#` after `written`, with `next` to follow, would complete `##[`.
fn starts_legacy_command(written: &str, next: Option<&char>) -> bool {
    written.ends_with('#') && next == Some(&'[')
}

/// A line of page text for a terminal: control and bidirectional formatting characters
/// (other than tab) escaped as in [`path`], nothing quoted. Used for diff lines, which
/// carry file names inside the pages.
pub fn text(line: &str) -> Cow<'_, str> {
    if !line.chars().any(|c| c != '\t' && needs_escape(c)) && !line.contains(LEGACY_COMMAND) {
        return Cow::Borrowed(line);
    }
    let mut escaped = String::with_capacity(line.len() + 8);
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            c if c != '\t' && needs_escape(c) => push_c_escape(&mut escaped, c),
            '#' if starts_legacy_command(&escaped, chars.peek()) => escaped.push_str("\\043"),
            c => escaped.push(c),
        }
    }
    Cow::Owned(escaped)
}

/// A whole message on one line (errors): line breaks and other controls escaped.
pub fn one_line(message: &str) -> Cow<'_, str> {
    text(message)
}

/// Whether `name` prints as it is: no control or bidirectional formatting character.
pub fn is_printable(name: &str) -> bool {
    !name.chars().any(needs_escape)
}

/// Whether printing `c` raw could move the cursor, end the line, talk to the terminal
/// or reorder what is shown: C0 and C1 controls, DEL, line and paragraph separators,
/// and the bidirectional marks, embeddings, overrides and isolates.
fn needs_escape(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{061c}'
                | '\u{200e}'
                | '\u{200f}'
                | '\u{2028}'
                | '\u{2029}'
                | '\u{202a}'..='\u{202e}'
                | '\u{2066}'..='\u{2069}'
        )
}

fn push_c_escape(out: &mut String, c: char) {
    match c {
        '\u{7}' => out.push_str("\\a"),
        '\u{8}' => out.push_str("\\b"),
        '\t' => out.push_str("\\t"),
        '\n' => out.push_str("\\n"),
        '\u{b}' => out.push_str("\\v"),
        '\u{c}' => out.push_str("\\f"),
        '\r' => out.push_str("\\r"),
        c => {
            let mut bytes = [0; 4];
            for byte in c.encode_utf8(&mut bytes).bytes() {
                let _ = write!(out, "\\{byte:03o}");
            }
        }
    }
}

/// Shell-quoted paths, space-separated, for a command to copy.
pub fn shell_list<'a>(paths: impl Iterator<Item = &'a str>) -> String {
    paths.map(shell).collect::<Vec<_>>().join(" ")
}

/// Quotes a path for a POSIX shell when it needs it: `'…'`, or bash's `$'…'` with
/// escapes when it holds characters a terminal must not receive raw.
pub fn shell(name: &str) -> String {
    if name
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b"/._-+".contains(&b))
    {
        name.to_owned()
    } else if is_printable(name) {
        format!("'{}'", name.replace('\'', r"'\''"))
    } else {
        // bash reads `path`'s C escapes inside `$'…'`.
        let quoted = path(name);
        format!("$'{}'", quoted[1..quoted.len() - 1].replace('\'', "\\'"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn harmless_names_are_printed_as_they_are() {
        assert_eq!(path("docs/src/app.py_kw.md"), "docs/src/app.py_kw.md");
        assert_eq!(
            path("docs/naïve café/日本.py_kw.md"),
            "docs/naïve café/日本.py_kw.md"
        );
        assert!(matches!(path("a b"), Cow::Borrowed(_)));
    }

    #[test]
    fn names_that_could_fool_a_reader_are_quoted_like_git() {
        assert_eq!(path("a\nb"), r#""a\nb""#);
        assert_eq!(path("x\u{1b}]52;c;AAAA\u{7}"), r#""x\033]52;c;AAAA\a""#);
        assert_eq!(path("q\"uote\\"), r#""q\"uote\\""#);
        assert_eq!(path("tab\there"), r#""tab\there""#);
        assert_eq!(path("csi\u{9b}2J"), r#""csi\302\2332J""#);
        assert_eq!(path("evil\u{202e}txt.py"), r#""evil\342\200\256txt.py""#);
        assert_eq!(path("del\u{7f}"), r#""del\177""#);
    }

    #[test]
    fn text_escapes_controls_but_keeps_tabs_and_quotes() {
        assert_eq!(text("| [a\"b](x) |\tok"), "| [a\"b](x) |\tok");
        assert_eq!(text("| \u{1b}[2J |"), r"| \033[2J |");
        assert_eq!(one_line("a\r\n::warning::x"), r"a\r\n::warning::x");
    }

    #[test]
    fn the_runners_legacy_commands_never_print_whole() {
        assert_eq!(
            path("docs/##[error]x.py_kw.md"),
            r#""docs/#\043[error]x.py_kw.md""#
        );
        assert_eq!(
            text("- [`##[group]a`](x) ###[y"),
            r"- [`#\043[group]a`](x) ##\043[y"
        );
        assert_eq!(path("a#b[c"), "a#b[c");
        for name in ["##[x", "###[[##[", "#\u{1b}#[", "##\n##["] {
            assert!(!path(name).contains("##["), "{name}");
            assert!(!text(name).contains("##["), "{name}");
        }
    }
}
