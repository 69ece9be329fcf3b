//! Page parsing for the report on arbitrary text: never panics, comparing a page with
//! itself finds no change, and the section-wise comparison of two pages (the input cut
//! at its first NUL) is what a parse of both pages whole gives.
#![no_main]

use docdex::rows::{changes, rows};
use libfuzzer_sys::fuzz_target;

/// The folder index's listed sections, the only kind that has any.
const LISTED: &[&str] = &["Subfolders", "Files"];

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let _ = rows(&text, LISTED);
    let same = changes(&text, &text, LISTED);
    assert!(same.added.is_empty() && same.removed.is_empty());

    let (old, new) = text.split_once('\0').unwrap_or((&text, ""));
    let (old_rows, new_rows) = (rows(old, LISTED), rows(new, LISTED));
    let change = changes(old, new, LISTED);
    let added: Vec<_> = new_rows.difference(&old_rows).cloned().collect();
    let removed: Vec<_> = old_rows.difference(&new_rows).cloned().collect();
    assert_eq!(change.added, added);
    assert_eq!(change.removed, removed);
});
