//! The page cache's file on arbitrary bytes: never panics, and whatever it accepts has
//! a length that its header's entry count explains (so damage is refused, not half read).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Some(entries) = docdex::cache::entries_in(data) {
        // Header 24 bytes, 44 per entry, a 20-byte checksum.
        assert_eq!(data.len(), 24 + 44 * entries + 20);
    }
});
