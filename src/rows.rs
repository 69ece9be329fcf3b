//! Reads the rows of a page with pulldown-cmark, so a report can say in words which
//! keywords or entries were added and removed.
//!
//! A row is a list item or a table body row under a heading: its label is its first
//! inline code span, or failing that the text of its first link (the global index).

use std::collections::BTreeSet;
use std::ops::Range;

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};

/// One entry of a page: the `###`-or-`##` heading it stands under, and its label.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Row {
    /// The nearest heading above the row.
    pub section: String,
    /// The row's label (a keyword, a file name, a path).
    pub label: String,
}

/// Rows added and removed from one version of a page to the next.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct RowChanges {
    /// Rows in the new version only.
    pub added: Vec<Row>,
    /// Rows in the old version only.
    pub removed: Vec<Row>,
}

/// The rows of a page that list content: under `###` headings (keywords, subtree keys,
/// letters) and under the `##` headings the page's kind lists rows under (`listed`: the
/// folder index's `Subfolders` and `Files`, see `PageKind::listed_sections`).
pub fn rows(markdown: &str, listed: &[&str]) -> BTreeSet<Row> {
    let mut rows = BTreeSet::new();
    let mut section = String::new();
    let mut listing = false;
    let mut in_heading = false;
    let mut in_row = false;
    let mut in_table_head = false;
    let mut in_link = false;
    let mut label: Option<String> = None;
    // The source span of the row's first link text, taken whole: a name such as
    // `_a_.py` parses as emphasis, and `httpx/_t.py` as several text pieces.
    let mut link_text: Option<Range<usize>> = None;
    let mut link_done = false;
    let parser = Parser::new_ext(markdown, Options::ENABLE_TABLES).into_offset_iter();
    for (event, span) in parser {
        if in_row && in_link && !link_done && !matches!(event, Event::End(TagEnd::Link)) {
            link_text = Some(match link_text {
                Some(text) => text.start.min(span.start)..text.end.max(span.end),
                None => span.clone(),
            });
        }
        match event {
            Event::Start(Tag::Heading { level, .. }) => {
                in_heading = true;
                listing = level == HeadingLevel::H3;
                section.clear();
            }
            Event::End(TagEnd::Heading(_)) => {
                in_heading = false;
                listing = listing || listed.contains(&section.as_str());
            }
            Event::Start(Tag::TableHead) => in_table_head = true,
            Event::End(TagEnd::TableHead) => in_table_head = false,
            Event::Start(Tag::Item | Tag::TableRow) if listing && !in_table_head => {
                in_row = true;
                label = None;
                link_text = None;
                link_done = false;
            }
            Event::End(TagEnd::Item | TagEnd::TableRow) if in_row => {
                in_row = false;
                let text = label.take().unwrap_or_else(|| {
                    link_text
                        .take()
                        .map(|span| markdown[span].to_owned())
                        .unwrap_or_default()
                });
                if !text.is_empty() {
                    rows.insert(Row {
                        section: section.clone(),
                        label: text,
                    });
                }
            }
            Event::Start(Tag::Link { .. }) => in_link = true,
            Event::End(TagEnd::Link) => {
                in_link = false;
                link_done = link_done || link_text.is_some();
            }
            Event::Code(code) => {
                if in_heading {
                    section.push_str(&code);
                } else if in_row && label.is_none() {
                    label = Some(code.into_string());
                }
            }
            Event::Text(text) if in_heading => section.push_str(&text),
            _ => {}
        }
    }
    rows
}

/// The rows added and removed from `old` to `new`.
///
/// Only the sections between the two pages' common leading and trailing sections are
/// parsed: a one-keyword change to a large page reads one section of each version. The
/// answer is the one a parse of both pages whole gives (tested against it).
pub fn changes(old: &str, new: &str, listed: &[&str]) -> RowChanges {
    let (old_sections, new_sections) = match (sections(old), sections(new)) {
        (Some(old), Some(new)) => (old, new),
        _ => return set_changes(rows(old, listed), rows(new, listed)),
    };
    let lead = old_sections
        .iter()
        .zip(&new_sections)
        .take_while(|(a, b)| a == b)
        .count();
    let most = old_sections.len().min(new_sections.len()) - lead;
    let trail = old_sections
        .iter()
        .rev()
        .zip(new_sections.iter().rev())
        .take(most)
        .take_while(|(a, b)| a == b)
        .count();
    let middle = |all: &[&str]| all[lead..all.len() - trail].concat();
    let mut change = set_changes(
        rows(&middle(&old_sections), listed),
        rows(&middle(&new_sections), listed),
    );
    if change.added.is_empty() && change.removed.is_empty() {
        return change;
    }
    // Rows are sets: a row that also stands in an unchanged section under the same
    // heading is on both pages, so it is neither added nor removed.
    let headings: BTreeSet<&str> = change
        .added
        .iter()
        .chain(&change.removed)
        .map(|row| row.section.as_str())
        .collect();
    let unchanged = old_sections[..lead]
        .iter()
        .chain(&old_sections[old_sections.len() - trail..]);
    let mut shared = BTreeSet::new();
    for section in unchanged {
        let first_line = section.lines().next().unwrap_or_default();
        if headings.contains(heading_text(first_line).as_str()) {
            shared.extend(rows(section, listed));
        }
    }
    change.added.retain(|row| !shared.contains(row));
    change.removed.retain(|row| !shared.contains(row));
    change
}

fn set_changes(old: BTreeSet<Row>, new: BTreeSet<Row>) -> RowChanges {
    RowChanges {
        added: new.difference(&old).cloned().collect(),
        removed: old.difference(&new).cloned().collect(),
    }
}

/// A page cut before each line that is a heading at the top level, so that each piece
/// parses as it does within the page; `None` when the page has a construct that could
/// make such a cut wrong (an HTML block, a link reference definition, an indented
/// fence), and then the page is read whole.
///
/// A `#` line at column 0 is a heading unless it stands in a fenced code block: it
/// closes any list, quote or paragraph above it. So is a fence opened at column 0; one
/// opened with one to three spaces may be a list item's, so such a page is read whole.
fn sections(page: &str) -> Option<Vec<&str>> {
    let mut cuts = vec![0];
    let mut fence: Option<(u8, usize)> = None;
    let mut start = 0;
    for line in page.split_inclusive('\n') {
        let here = start;
        start += line.len();
        let trimmed = line.trim_start_matches(' ');
        let indent = line.len() - trimmed.len();
        let run = |mark: u8| trimmed.bytes().take_while(|&b| b == mark).count();
        if let Some((mark, length)) = fence {
            let closing =
                indent <= 3 && run(mark) >= length && trimmed[run(mark)..].trim().is_empty();
            if closing {
                fence = None;
            }
            continue;
        }
        if indent > 3 {
            continue;
        }
        match trimmed.bytes().next() {
            // Whether an indented fence opens at the top level or in a list item
            // depends on the lines above it.
            Some(b'`' | b'~') if indent > 0 && (run(b'`') >= 3 || run(b'~') >= 3) => return None,
            Some(mark @ (b'`' | b'~')) if run(mark) >= 3 => {
                let info = &trimmed[run(mark)..];
                if mark == b'~' || !info.contains('`') {
                    fence = Some((mark, run(mark)));
                }
            }
            Some(b'<') => return None,
            Some(b'[') if trimmed.contains("]:") => return None,
            Some(b'#') if indent == 0 && is_heading(trimmed) && here > 0 => cuts.push(here),
            _ => {}
        }
    }
    cuts.push(page.len());
    Some(cuts.windows(2).map(|w| &page[w[0]..w[1]]).collect())
}

/// Whether a line opens with one to six `#` and then a space, a tab or its end.
fn is_heading(line: &str) -> bool {
    let hashes = line.bytes().take_while(|&b| b == b'#').count();
    (1..=6).contains(&hashes)
        && matches!(
            line.as_bytes().get(hashes),
            None | Some(b' ' | b'\t' | b'\n' | b'\r')
        )
}

/// The text of a heading line, as [`rows`] names a section.
fn heading_text(line: &str) -> String {
    let mut text = String::new();
    for event in Parser::new(line) {
        if let Event::Text(part) | Event::Code(part) = event {
            text.push_str(&part);
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The folder index's listed sections (`pages/folder.rs`).
    const LISTED: &[&str] = &["Subfolders", "Files"];

    #[test]
    fn keyword_rows() {
        let page = "## File Information\n\n- **Documentation**: [`a_docs.md`](./a_docs.md)\n\n### Classs\n\n- **`Foo`**: [a](./a)\n\n### Functions\n\n- **`run`**: [a](./a)\n";
        let got: Vec<_> = rows(page, LISTED)
            .into_iter()
            .map(|r| (r.section, r.label))
            .collect();
        assert_eq!(
            got,
            vec![
                ("Classs".into(), "Foo".into()),
                ("Functions".into(), "run".into())
            ]
        );
    }

    #[test]
    fn table_and_global_rows() {
        let page = "## Files\n\n| File | D |\n|---|---|\n| [`a.py`](../a.py) | x |\n\n## Navigation\n\n- [..](../index.md)\n\n### A\n\n- **a.md**: [x/a.md](./x/a.md_docs.md) | [keywords](./x/a.md_kw.md)\n";
        let got: Vec<_> = rows(page, LISTED).into_iter().map(|r| r.label).collect();
        assert_eq!(got, vec!["x/a.md".to_owned(), "a.py".to_owned()]);
    }

    #[test]
    fn global_row_labels_are_the_whole_link_text() {
        let page = "### N\n\n- **nandu_cafe.py**: [httpx/_transports/nandu_cafe.py](./httpx/_transports/nandu_cafe.py_docs.md) | [keywords](./httpx/_transports/nandu_cafe.py_kw.md)\n\n### Q\n\n- **q.py**: [_a/q.py](./_a/q.py_docs.md) | [keywords](./_a/q.py_kw.md)\n- **_b_.py**: [x/_b_.py](./x/_b_.py_docs.md) | [keywords](./x/_b_.py_kw.md)\n- **c*d*.py**: [c*d*.py](.//c*d*.py_docs.md) | [keywords](.//c*d*.py_kw.md)\n";
        let got: Vec<_> = rows(page, LISTED).into_iter().map(|r| r.label).collect();
        assert_eq!(
            got,
            vec![
                "httpx/_transports/nandu_cafe.py",
                "_a/q.py",
                "c*d*.py",
                "x/_b_.py"
            ]
        );
    }

    #[test]
    fn change_sets() {
        let c = changes(
            "### K\n\n- **`a`**: x\n- **`b`**: x\n",
            "### K\n\n- **`b`**: x\n- **`c`**: x\n",
            LISTED,
        );
        assert_eq!(c.added.len(), 1);
        assert_eq!(c.added[0].label, "c");
        assert_eq!(c.removed[0].label, "a");
    }

    #[test]
    fn a_row_kept_under_a_repeated_heading_is_unchanged() {
        let old = "### K\n\n- **`a`**: x\n\n### M\n\n- **`m`**: x\n\n### K\n\n- **`a`**: x\n";
        let new = "### K\n\n- **`b`**: x\n\n### M\n\n- **`m`**: x\n\n### K\n\n- **`a`**: x\n";
        let change = changes(old, new, LISTED);
        assert_eq!(change.removed, Vec::new());
        assert_eq!(change.added.len(), 1);
        assert_eq!(changes(new, old, LISTED).added, Vec::new());
    }

    /// Lines that make and break sections: headings (some inside fences or lists),
    /// fences of both marks, rows of lists and tables, HTML and link definitions.
    const LINES: &[&str] = &[
        "### K",
        "### L",
        "## Files",
        "## Subfolders",
        "# Title",
        "#",
        "#x",
        "### `c`",
        "```",
        "````",
        "~~~",
        "```py",
        "   ```",
        "    # not",
        "- **`a`**: x",
        "- **`b`**: y",
        "- [n](./n)",
        "  - **`a`**: nested",
        "| [`f.py`](f.py) | d |",
        "|---|---|",
        "| File | D |",
        "> # quoted",
        "<div>",
        "[r]: ./r",
        "text",
        "",
        "1. **`a`**",
        "- [n][r]",
    ];

    fn page(picks: &[usize]) -> String {
        picks.iter().map(|&i| format!("{}\n", LINES[i])).collect()
    }

    proptest::proptest! {
        /// The section-wise answer is the whole-page answer.
        #[test]
        fn changes_match_whole_page_parse(
            old in proptest::collection::vec(0..LINES.len(), 0..40),
            edits in proptest::collection::vec((0..40usize, 0..LINES.len(), proptest::bool::ANY), 0..4),
        ) {
            let mut new = old.clone();
            for (at, line, insert) in edits {
                let at = at.min(new.len());
                match insert || at == new.len() {
                    true => new.insert(at, line),
                    false => { new.remove(at); }
                }
            }
            let (old, new) = (page(&old), page(&new));
            let whole = set_changes(rows(&old, LISTED), rows(&new, LISTED));
            proptest::prop_assert_eq!(changes(&old, &new, LISTED), whole);
        }
    }
}
