//! The cache file's bytes: a header, entries sorted by key, and a checksum. Parsing
//! refuses anything it did not write whole (wrong magic or format, a length that is not
//! the header's count, keys out of order, a checksum that does not match): such a file
//! is ignored and rewritten, never half trusted.

use sha1::{Digest, Sha1};

/// What the file starts with.
const MAGIC: &[u8; 8] = b"DDXPAGES";
/// Bumped whenever the layout or the meaning of a key changes.
const FORMAT: u32 = 1;
const HEADER: usize = MAGIC.len() + 4 + 4 + 8;
const ENTRY: usize = 20 + 20 + 4;
const CHECKSUM: usize = 20;

/// One remembered page: what it was rendered from (a digest) and the id of the blob it
/// rendered to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Entry {
    /// The digest of everything rendering read.
    pub(crate) key: [u8; 20],
    /// The git blob id of the rendered page.
    pub(crate) page: [u8; 20],
    /// The last run (its [`Store::generation`]) that used or wrote it.
    pub(crate) generation: u32,
}

/// The entries of one cache file.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct Store {
    /// How many runs have written the file.
    pub(crate) generation: u32,
    /// In strictly increasing key order.
    pub(crate) entries: Vec<Entry>,
}

impl Store {
    /// The store `bytes` hold, or `None` when they are not a whole file of this format.
    pub(crate) fn parse(bytes: &[u8]) -> Option<Store> {
        let (body, checksum) = bytes.split_at_checked(bytes.len().checked_sub(CHECKSUM)?)?;
        if body.len() < HEADER || !body.starts_with(MAGIC) {
            return None;
        }
        let word = |at: usize| u32::from_le_bytes(body[at..at + 4].try_into().expect("4 bytes"));
        if word(8) != FORMAT {
            return None;
        }
        let generation = word(12);
        let count = u64::from_le_bytes(body[16..24].try_into().expect("8 bytes"));
        let expected_len = usize::try_from(count)
            .ok()?
            .checked_mul(ENTRY)?
            .checked_add(HEADER)?;
        if body.len() != expected_len || Sha1::digest(body).as_slice() != checksum {
            return None;
        }
        let entries: Vec<Entry> = body[HEADER..]
            .chunks_exact(ENTRY)
            .map(|raw| Entry {
                key: raw[..20].try_into().expect("20 bytes"),
                page: raw[20..40].try_into().expect("20 bytes"),
                generation: u32::from_le_bytes(raw[40..].try_into().expect("4 bytes")),
            })
            .collect();
        let sorted = entries.windows(2).all(|pair| pair[0].key < pair[1].key);
        sorted.then_some(Store {
            generation,
            entries,
        })
    }

    /// The file's bytes. The entries must be in strictly increasing key order.
    pub(crate) fn to_bytes(&self) -> Vec<u8> {
        let mut bytes = Vec::with_capacity(HEADER + self.entries.len() * ENTRY + CHECKSUM);
        bytes.extend_from_slice(MAGIC);
        bytes.extend_from_slice(&FORMAT.to_le_bytes());
        bytes.extend_from_slice(&self.generation.to_le_bytes());
        bytes.extend_from_slice(&(self.entries.len() as u64).to_le_bytes());
        for entry in &self.entries {
            bytes.extend_from_slice(&entry.key);
            bytes.extend_from_slice(&entry.page);
            bytes.extend_from_slice(&entry.generation.to_le_bytes());
        }
        let checksum = Sha1::digest(&bytes);
        bytes.extend_from_slice(&checksum);
        bytes
    }

    /// The entry of `key`, as its index, by binary search (what [`Buckets`] must agree with).
    #[cfg(test)]
    pub(crate) fn find(&self, key: &[u8; 20]) -> Option<usize> {
        self.entries.binary_search_by(|e| e.key.cmp(key)).ok()
    }
}

/// Where each 16-bit key prefix starts in a [`Store`]'s entries: keys are SHA-1
/// digests, evenly spread, so a lookup compares one or two keys instead of binary
/// searching tens of thousands (a clean check does one lookup per keyword page).
pub(crate) struct Buckets(Vec<u32>);

impl Buckets {
    /// The buckets of `store`'s entries.
    pub(crate) fn of(store: &Store) -> Buckets {
        let mut starts = vec![0u32; (1 << 16) + 1];
        for entry in &store.entries {
            starts[usize::from(prefix(&entry.key)) + 1] += 1;
        }
        for at in 1..starts.len() {
            starts[at] += starts[at - 1];
        }
        Buckets(starts)
    }

    /// The entry of `key` in `store` (the store these buckets were made of), as its index.
    pub(crate) fn find(&self, store: &Store, key: &[u8; 20]) -> Option<usize> {
        let bucket = usize::from(prefix(key));
        let (start, end) = (self.0[bucket] as usize, self.0[bucket + 1] as usize);
        let within = store.entries.get(start..end)?;
        within
            .binary_search_by(|e| e.key.cmp(key))
            .ok()
            .map(|at| start + at)
    }
}

fn prefix(key: &[u8; 20]) -> u16 {
    u16::from_be_bytes([key[0], key[1]])
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn store(keys: &[u8]) -> Store {
        Store {
            generation: 7,
            entries: keys
                .iter()
                .map(|&k| Entry {
                    key: [k; 20],
                    page: [k ^ 0xff; 20],
                    generation: u32::from(k),
                })
                .collect(),
        }
    }

    #[test]
    fn a_written_store_reads_back_and_finds_its_keys() {
        let written = store(&[1, 5, 9]);
        let read = Store::parse(&written.to_bytes()).expect("a whole file");
        assert_eq!(read, written);
        assert_eq!(read.find(&[5; 20]), Some(1));
        assert_eq!(read.find(&[6; 20]), None);
        assert_eq!(
            Store::parse(&Store::default().to_bytes()),
            Some(Store::default())
        );
    }

    proptest! {
        /// The buckets find what a binary search of the whole store finds.
        #[test]
        fn buckets_find_what_binary_search_finds(
            keys in proptest::collection::btree_set(any::<[u8; 20]>(), 0..200),
            probes in proptest::collection::vec(any::<[u8; 20]>(), 0..20),
            shared_prefix in any::<bool>(),
        ) {
            let keys: Vec<[u8; 20]> = keys
                .into_iter()
                .map(|mut k| { if shared_prefix { k[0] = 7; k[1] = 7; } k })
                .collect::<std::collections::BTreeSet<_>>()
                .into_iter()
                .collect();
            let store = Store {
                generation: 0,
                entries: keys.iter().map(|&key| Entry { key, page: [0; 20], generation: 0 }).collect(),
            };
            let buckets = Buckets::of(&store);
            for key in keys.iter().chain(&probes) {
                prop_assert_eq!(buckets.find(&store, key), store.find(key));
            }
        }
    }

    #[test]
    fn keys_out_of_order_are_refused_even_with_a_good_checksum() {
        let bytes = store(&[9, 1]).to_bytes();
        assert_eq!(Store::parse(&bytes), None);
    }

    proptest! {
        /// Any truncation, any flipped bit or any extra byte makes the file unreadable:
        /// it is ignored, never partly believed.
        #[test]
        fn damage_is_refused(
            keys in proptest::collection::btree_set(any::<u8>(), 0..20),
            cut in any::<prop::sample::Index>(),
            flip in any::<prop::sample::Index>(),
            bit in 0u8..8,
        ) {
            let keys: Vec<u8> = keys.into_iter().collect();
            let bytes = store(&keys).to_bytes();
            let cut = cut.index(bytes.len());
            prop_assert_eq!(Store::parse(&bytes[..cut]), None);
            let mut flipped = bytes.clone();
            flipped[flip.index(bytes.len())] ^= 1 << bit;
            prop_assert_eq!(Store::parse(&flipped), None);
            let mut longer = bytes.clone();
            longer.push(0);
            prop_assert_eq!(Store::parse(&longer), None);
        }

        /// Arbitrary bytes never panic the parser.
        #[test]
        fn arbitrary_bytes_parse_or_not_without_panicking(bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
            let _ = Store::parse(&bytes);
        }
    }
}
