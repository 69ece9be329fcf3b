//! Reads the rows of a page with pulldown-cmark, so a report can say in words which
//! keywords or entries were added and removed.
//!
//! A row is a list item or a table body row under a heading: its label is its first
//! inline code span, or failing that the text of its first link (the global index).

use std::collections::BTreeSet;

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
/// letters) and under the folder index's `## Subfolders` and `## Files`.
pub fn rows(markdown: &str) -> BTreeSet<Row> {
    let mut rows = BTreeSet::new();
    let mut section = String::new();
    let mut listing = false;
    let mut in_heading = false;
    let mut in_row = false;
    let mut in_table_head = false;
    let mut in_link = false;
    let mut label: Option<String> = None;
    let mut link_text = String::new();
    for event in Parser::new_ext(markdown, Options::ENABLE_TABLES) {
        match event {
            Event::Start(Tag::Heading { level, .. }) => {
                in_heading = true;
                listing = level == HeadingLevel::H3;
                section.clear();
            }
            Event::End(TagEnd::Heading(_)) => {
                in_heading = false;
                listing = listing || section == "Subfolders" || section == "Files";
            }
            Event::Start(Tag::TableHead) => in_table_head = true,
            Event::End(TagEnd::TableHead) => in_table_head = false,
            Event::Start(Tag::Item | Tag::TableRow) if listing && !in_table_head => {
                in_row = true;
                label = None;
                link_text.clear();
            }
            Event::End(TagEnd::Item | TagEnd::TableRow) if in_row => {
                in_row = false;
                let text = label.take().unwrap_or_else(|| link_text.clone());
                if !text.is_empty() {
                    rows.insert(Row {
                        section: section.clone(),
                        label: text,
                    });
                }
            }
            Event::Start(Tag::Link { .. }) => in_link = true,
            Event::End(TagEnd::Link) => in_link = false,
            Event::Code(code) => {
                if in_heading {
                    section.push_str(&code);
                } else if in_row && label.is_none() {
                    label = Some(code.into_string());
                }
            }
            Event::Text(text) => {
                if in_heading {
                    section.push_str(&text);
                } else if in_row && in_link && link_text.is_empty() {
                    link_text.push_str(&text);
                }
            }
            _ => {}
        }
    }
    rows
}

/// The rows added and removed from `old` to `new`.
pub fn changes(old: &str, new: &str) -> RowChanges {
    let old = rows(old);
    let new = rows(new);
    RowChanges {
        added: new.difference(&old).cloned().collect(),
        removed: old.difference(&new).cloned().collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keyword_rows() {
        let page = "## File Information\n\n- **Documentation**: [`a_docs.md`](./a_docs.md)\n\n### Classs\n\n- **`Foo`**: [a](./a)\n\n### Functions\n\n- **`run`**: [a](./a)\n";
        let got: Vec<_> = rows(page)
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
        let got: Vec<_> = rows(page).into_iter().map(|r| r.label).collect();
        assert_eq!(got, vec!["x/a.md".to_owned(), "a.py".to_owned()]);
    }

    #[test]
    fn change_sets() {
        let c = changes(
            "### K\n\n- **`a`**: x\n- **`b`**: x\n",
            "### K\n\n- **`b`**: x\n- **`c`**: x\n",
        );
        assert_eq!(c.added.len(), 1);
        assert_eq!(c.added[0].label, "c");
        assert_eq!(c.removed[0].label, "a");
    }
}
