//! Page parsing for the report on arbitrary text: never panics, and comparing a page
//! with itself finds no change.
#![no_main]

use docdex::rows::{changes, rows};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let _ = rows(&text);
    let same = changes(&text, &text);
    assert!(same.added.is_empty() && same.removed.is_empty());
});
