//! Capitalised words → the identifiers of a non-code document (docs/format.md,
//! "Keywords"): every match of `\b[A-Z][a-zA-Z0-9_]*\b`, counted, the most frequent
//! kept.

use super::{head, sort_bytewise, Keywords, MAX_PER_KIND};
use crate::python;

/// The `max_identifiers` most frequent capitalised words of `text` (ties to the first in
/// byte order), at most 200 of them, in byte order.
pub(super) fn identifiers(text: &str, max_identifiers: usize) -> Keywords<'_> {
    // FxHash: counting words is hot, and no iteration order reaches the output.
    let mut counts: rustc_hash::FxHashMap<&str, u64> = rustc_hash::FxHashMap::default();
    // Up to one distinct capitalised word per 50 bytes of text without regrowing.
    counts.reserve(text.len() / 50);
    for word in capitalised_words(text) {
        *counts.entry(word).or_default() += 1;
    }
    if counts.is_empty() {
        return Keywords::default();
    }
    let mut kept: Vec<&str> = if max_identifiers < counts.len() {
        most_frequent(counts.into_iter().collect(), max_identifiers)
    } else {
        counts.into_keys().collect()
    };
    sort_bytewise(&mut kept);
    kept.truncate(MAX_PER_KIND);
    Keywords(vec![("identifier", kept)])
}

/// The `keep` most frequent of `counted` (fewer than it holds), ties going to the
/// first in byte order: a total order, so no hash order leaks out. The count that
/// decides is found first; only the words that have it are ordered by their bytes.
fn most_frequent(mut counted: Vec<(&str, u64)>, keep: usize) -> Vec<&str> {
    if keep == 0 {
        return Vec::new();
    }
    // The count of the last word kept.
    let (_, &mut (_, least), _) = counted.select_nth_unstable_by(keep - 1, |a, b| b.1.cmp(&a.1));
    let mut kept: Vec<&str> = Vec::with_capacity(keep);
    let mut tied: Vec<(u128, &str)> = Vec::new();
    for &(word, count) in &counted {
        if count > least {
            kept.push(word);
        } else if count == least {
            tied.push((head(word), word));
        }
    }
    let room = keep - kept.len();
    if room < tied.len() {
        tied.select_nth_unstable(room);
        tied.truncate(room);
    }
    kept.extend(tied.into_iter().map(|(_, word)| word));
    kept
}

/// Every match of `\b[A-Z][a-zA-Z0-9_]*\b` (Python's `\b`), left to right, by a scan
/// instead of a regex: an ASCII capital after a non-word character (or the start),
/// its maximal `[a-zA-Z0-9_]` run, and a non-word character (or the end) after it.
/// A shorter run never helps, since it would end before another word character.
///
/// The text is classified 64 bytes at a time into bit masks (capitals, ASCII word
/// bytes), so a capital inside a run, most of them, is never looked at one by one.
fn capitalised_words(text: &str) -> impl Iterator<Item = &str> {
    let bytes = text.as_bytes();
    let mut block = Block::at(bytes, 0, false);
    std::iter::from_fn(move || loop {
        while block.starts != 0 {
            let begin = block.offset + block.starts.trailing_zeros() as usize;
            block.starts &= block.starts - 1;
            // An ASCII byte before it is no word byte (the mask says so); another one
            // is decoded.
            let word_before = begin.checked_sub(1).is_some_and(|at| !bytes[at].is_ascii())
                && text[..begin]
                    .chars()
                    .next_back()
                    .is_some_and(python::is_word);
            if word_before {
                continue;
            }
            let end = run_end(bytes, &block, begin);
            // The run ends at an ASCII byte that is no word byte, or at a non-ASCII one.
            let word_after = bytes.get(end).is_some_and(|byte| {
                !byte.is_ascii() && text[end..].chars().next().is_some_and(python::is_word)
            });
            if !word_after {
                return Some(&text[begin..end]);
            }
        }
        if block.offset + BLOCK >= bytes.len() {
            return None;
        }
        block = block.next(bytes);
    })
}

const BLOCK: usize = 64;

/// One 64-byte block of a text as bit masks, bit `i` for byte `offset + i`.
struct Block {
    offset: usize,
    /// `[a-zA-Z0-9_]` bytes.
    word: u64,
    /// Capitals not preceded by an ASCII word byte: where a match may begin.
    starts: u64,
}

impl Block {
    /// The block at `offset`; `word_before` says whether the byte before it is an ASCII
    /// word byte (then a capital at its start begins no match).
    fn at(bytes: &[u8], offset: usize, word_before: bool) -> Block {
        let (word, upper) = masks(bytes, offset);
        Block {
            offset,
            word,
            starts: upper & !(word << 1 | u64::from(word_before)),
        }
    }

    /// The block after this one.
    fn next(&self, bytes: &[u8]) -> Block {
        Block::at(bytes, self.offset + BLOCK, self.word >> (BLOCK - 1) == 1)
    }
}

/// The word and capital masks of the (up to) 64 bytes at `offset`; bytes past the end
/// count as neither.
fn masks(bytes: &[u8], offset: usize) -> (u64, u64) {
    let rest = &bytes[offset.min(bytes.len())..];
    let mut padded = [0u8; BLOCK];
    let chunk = match rest.first_chunk::<BLOCK>() {
        Some(chunk) => chunk,
        None => {
            padded[..rest.len()].copy_from_slice(rest);
            &padded
        }
    };
    let mut word = 0u64;
    let mut upper = 0u64;
    for (at, lanes) in chunk.as_chunks::<16>().0.iter().enumerate() {
        let (w, u) = lane_masks(*lanes);
        word |= u64::from(w) << (16 * at);
        upper |= u64::from(u) << (16 * at);
    }
    (word, upper)
}

/// The word and capital masks of sixteen bytes (bit `i` for byte `i`): a few vector
/// comparisons and a byte mask each (`wide` picks the instructions, SSE2 on x86-64).
#[inline(always)]
fn lane_masks(lanes: [u8; 16]) -> (u32, u32) {
    use wide::u8x16;
    let bytes = u8x16::new(lanes);
    // `byte - low < count`, unsigned: one subtraction and one comparison.
    let within = |v: u8x16, low: u8, count: u8| {
        let offset = v - u8x16::splat(low);
        offset.min(u8x16::splat(count - 1)).simd_eq(offset)
    };
    let upper = within(bytes, b'A', 26);
    let letter = within(bytes | u8x16::splat(0x20), b'a', 26);
    let word = letter | within(bytes, b'0', 10) | bytes.simd_eq(u8x16::splat(b'_'));
    (word.to_bitmask(), upper.to_bitmask())
}

/// Where the `[a-zA-Z0-9_]` run beginning at `begin` (in `block`) ends.
fn run_end(bytes: &[u8], block: &Block, begin: usize) -> usize {
    let lane = begin - block.offset;
    // The first byte after `begin` that is no word byte, within the block.
    let rest = !block.word >> lane >> 1;
    if rest != 0 && lane + 1 + (rest.trailing_zeros() as usize) < BLOCK {
        return begin + 1 + rest.trailing_zeros() as usize;
    }
    // A run reaching past the block (rare): byte by byte.
    let from = block.offset + BLOCK;
    from + bytes[from.min(bytes.len())..]
        .iter()
        .position(|&byte| !ASCII_WORD[usize::from(byte)])
        .unwrap_or(bytes.len().saturating_sub(from))
}

/// `[a-zA-Z0-9_]`, by byte.
static ASCII_WORD: [bool; 256] = {
    let mut table = [false; 256];
    let mut byte = 0;
    while byte < 256 {
        let b = byte as u8;
        table[byte] = b.is_ascii_alphanumeric() || b == b'_';
        byte += 1;
    }
    table
};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::python::scan::tests::tricky_text;
    use regex::Regex;

    /// Python's `\b` around the regex's maximal runs (a shorter run never ends at a
    /// boundary, since a word character follows it).
    fn capitalised_by_regex(text: &str) -> Vec<&str> {
        let regex = Regex::new(r"[A-Z][a-zA-Z0-9_]*").unwrap();
        let boundary = |c: Option<char>| !c.is_some_and(python::is_word);
        regex
            .find_iter(text)
            .filter(|m| {
                boundary(text[..m.start()].chars().next_back())
                    && boundary(text[m.end()..].chars().next())
            })
            .map(|m| m.as_str())
            .collect()
    }

    proptest::proptest! {
        #[test]
        fn capitalised_words_agree_with_the_regex(text in tricky_text()) {
            proptest::prop_assert_eq!(capitalised_by_regex(&text), capitalised_words(&text).collect::<Vec<_>>());
        }

        /// Runs up to three blocks long, so words start and end on both sides of the
        /// 64-byte blocks the scan classifies, and neighbours of every kind.
        #[test]
        fn capitalised_words_across_blocks(
            pieces in proptest::collection::vec(("[A-Za-z0-9_]{0,150}", "[ .(\n]|é|\u{b2}|\u{301}|\u{212a}|"), 0..12),
        ) {
            let text: String = pieces.into_iter().map(|(run, gap)| run + &gap).collect();
            proptest::prop_assert_eq!(capitalised_by_regex(&text), capitalised_words(&text).collect::<Vec<_>>());
        }
    }
}
