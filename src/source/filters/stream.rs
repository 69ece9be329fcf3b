//! The clean direction as streaming stages: each takes its input in chunks of any size
//! and gives the same bytes as one call over the whole file, so a document of any size
//! is converted holding a chunk (and the bytes a document page keeps) at a time.

use sha2::{Digest, Sha256};

/// A file whose bytes do not decode as its `working-tree-encoding` says.
#[derive(Debug, PartialEq, Eq)]
pub(super) struct Invalid;

/// One step of the pipeline.
pub(super) trait Stage {
    /// Converts the next chunk, appending to `out`; may hold bytes back for the next.
    fn push(&mut self, input: &[u8], out: &mut Vec<u8>) -> Result<(), Invalid>;
    /// Converts what it held back at the end of the input.
    fn finish(&mut self, out: &mut Vec<u8>) -> Result<(), Invalid>;
}

/// Feeds one chunk through `stages` into `sink`; `last` finishes every stage.
pub(super) fn feed(
    stages: &mut [Box<dyn Stage>],
    input: &[u8],
    last: bool,
    sink: &mut dyn FnMut(&[u8]),
) -> Result<(), Invalid> {
    let Some((first, rest)) = stages.split_first_mut() else {
        sink(input);
        return Ok(());
    };
    let mut out = Vec::with_capacity(input.len());
    first.push(input, &mut out)?;
    if last {
        first.finish(&mut out)?;
    }
    feed(rest, &out, last, sink)
}

/// The converted size, and the converted bytes while that size stays within `limit`.
pub(super) struct Collector {
    limit: u64,
    size: u64,
    bytes: Option<Vec<u8>>,
}

impl Collector {
    pub(super) fn new(limit: u64) -> Self {
        Collector {
            limit,
            size: 0,
            bytes: Some(Vec::new()),
        }
    }

    pub(super) fn push(&mut self, chunk: &[u8]) {
        self.size += chunk.len() as u64;
        if self.size > self.limit {
            self.bytes = None;
        } else if let Some(bytes) = &mut self.bytes {
            bytes.extend_from_slice(chunk);
        }
    }

    /// The size, and the bytes when the size is within the limit (else empty).
    pub(super) fn into_parts(self) -> (u64, Option<Vec<u8>>) {
        (self.size, self.bytes)
    }
}

/// `working-tree-encoding` (the UTF-16 and UTF-32 family) → UTF-8.
#[derive(Clone)]
pub(super) struct Decoder {
    width: usize,
    /// `None` until the first unit tells (`UTF-16` and `UTF-32` without an order).
    big_endian: Option<bool>,
    /// Whether a leading U+FEFF is a byte order mark (dropped) rather than text.
    bom_allowed: bool,
    started: bool,
    partial: Vec<u8>,
    high_surrogate: Option<u16>,
}

impl Decoder {
    /// The decoder for `encoding`, `Ok(None)` for UTF-8 (nothing to do), `Err` for an
    /// encoding docdex does not decode.
    pub(super) fn new(encoding: &str) -> Result<Option<Self>, ()> {
        let name = encoding.to_ascii_uppercase().replace('_', "-");
        let (width, big_endian, bom_allowed) = match name.as_str() {
            "UTF-8" | "UTF8" => return Ok(None),
            "UTF-16" | "UTF16" => (2, None, true),
            "UTF-16BE" => (2, Some(true), false),
            "UTF-16LE" => (2, Some(false), false),
            "UTF-16LE-BOM" => (2, Some(false), true),
            "UTF-32" | "UTF32" => (4, None, true),
            "UTF-32BE" => (4, Some(true), false),
            "UTF-32LE" => (4, Some(false), false),
            _ => return Err(()),
        };
        Ok(Some(Decoder {
            width,
            big_endian,
            bom_allowed,
            started: false,
            partial: Vec::new(),
            high_surrogate: None,
        }))
    }

    fn unit(&mut self, bytes: &[u8], out: &mut Vec<u8>) -> Result<(), Invalid> {
        // Without a declared order, big-endian unless the text starts with the
        // little-endian mark (FF FE, or FF FE 00 00 for UTF-32).
        let little_mark: &[u8] = if self.width == 2 {
            &[0xff, 0xfe]
        } else {
            &[0xff, 0xfe, 0, 0]
        };
        let big_endian = *self
            .big_endian
            .get_or_insert_with(|| !bytes.starts_with(little_mark));
        let value = if big_endian {
            bytes.iter().fold(0u32, |v, &b| v << 8 | u32::from(b))
        } else {
            bytes.iter().rev().fold(0u32, |v, &b| v << 8 | u32::from(b))
        };
        let first = !self.started;
        self.started = true;
        if first && self.bom_allowed && value == 0xfeff {
            return Ok(());
        }
        let ch = if self.width == 2 {
            match (self.high_surrogate.take(), value) {
                (Some(high), 0xdc00..=0xdfff) => {
                    let code = 0x10000 + ((u32::from(high) - 0xd800) << 10) + (value - 0xdc00);
                    char::from_u32(code).ok_or(Invalid)?
                }
                (Some(_), _) | (None, 0xdc00..=0xdfff) => return Err(Invalid),
                (None, 0xd800..=0xdbff) => {
                    self.high_surrogate = Some(value as u16);
                    return Ok(());
                }
                (None, _) => char::from_u32(value).ok_or(Invalid)?,
            }
        } else {
            char::from_u32(value).ok_or(Invalid)?
        };
        out.extend_from_slice(ch.encode_utf8(&mut [0; 4]).as_bytes());
        Ok(())
    }
}

impl Stage for Decoder {
    fn push(&mut self, mut input: &[u8], out: &mut Vec<u8>) -> Result<(), Invalid> {
        if !self.partial.is_empty() {
            let take = (self.width - self.partial.len()).min(input.len());
            self.partial.extend_from_slice(&input[..take]);
            input = &input[take..];
            if self.partial.len() < self.width {
                return Ok(());
            }
            let unit = std::mem::take(&mut self.partial);
            self.unit(&unit, out)?;
        }
        let mut units = input.chunks_exact(self.width);
        for unit in units.by_ref() {
            self.unit(unit, out)?;
        }
        self.partial.extend_from_slice(units.remainder());
        Ok(())
    }

    fn finish(&mut self, _out: &mut Vec<u8>) -> Result<(), Invalid> {
        if self.partial.is_empty() && self.high_surrogate.is_none() {
            Ok(())
        } else {
            Err(Invalid)
        }
    }
}

/// What git's `text=auto` needs to know of the whole (decoded) file: whether it is
/// binary (`convert_is_binary`: a lone CR, a NUL, or too many non-printable bytes)
/// and whether it holds a CR at all.
#[derive(Default)]
pub(super) struct TextStats {
    printable: u64,
    nonprintable: u64,
    lone_cr_or_nul: bool,
    after_cr: bool,
    crs: u64,
}

impl TextStats {
    pub(super) fn feed(&mut self, bytes: &[u8]) {
        for &byte in bytes {
            if std::mem::take(&mut self.after_cr) && byte != b'\n' {
                self.lone_cr_or_nul = true;
            }
            match byte {
                b'\r' => {
                    self.after_cr = true;
                    self.crs += 1;
                    self.printable += 1;
                }
                0 => self.lone_cr_or_nul = true,
                b'\n' | b'\t' | 0x08 | 0x1b | 0x0c => self.printable += 1,
                127 => self.nonprintable += 1,
                b if b < 32 => self.nonprintable += 1,
                _ => self.printable += 1,
            }
        }
    }

    pub(super) fn is_binary(&self) -> bool {
        self.lone_cr_or_nul || self.after_cr || (self.printable >> 7) < self.nonprintable
    }

    pub(super) fn has_cr(&self) -> bool {
        self.crs > 0
    }
}

/// `text`: every CRLF becomes LF (a CR at a chunk's end waits for the next byte).
#[derive(Default)]
pub(super) struct CrlfToLf {
    held_cr: bool,
}

impl CrlfToLf {
    /// `bytes` with every CRLF turned into LF, in one call.
    pub(super) fn whole(bytes: &[u8]) -> Vec<u8> {
        let mut out = Vec::with_capacity(bytes.len());
        let mut stage = CrlfToLf::default();
        // Neither step refuses anything: only a decoder does.
        let _ = stage.push(bytes, &mut out);
        let _ = stage.finish(&mut out);
        out
    }
}

impl Stage for CrlfToLf {
    fn push(&mut self, input: &[u8], out: &mut Vec<u8>) -> Result<(), Invalid> {
        let Some((&last, body)) = input.split_last() else {
            return Ok(());
        };
        if std::mem::take(&mut self.held_cr) && input[0] != b'\n' {
            out.push(b'\r');
        }
        let mut rest = body;
        while let Some(at) = memchr::memchr(b'\r', rest) {
            out.extend_from_slice(&rest[..at]);
            let next = rest.get(at + 1).copied().unwrap_or(last);
            if next != b'\n' {
                out.push(b'\r');
            }
            rest = &rest[at + 1..];
        }
        out.extend_from_slice(rest);
        if last == b'\r' {
            self.held_cr = true;
        } else {
            out.push(last);
        }
        Ok(())
    }

    fn finish(&mut self, out: &mut Vec<u8>) -> Result<(), Invalid> {
        if std::mem::take(&mut self.held_cr) {
            out.push(b'\r');
        }
        Ok(())
    }
}

/// `text=auto` on a text file: every CR goes (a text file has no lone CR).
pub(super) struct DropCr;

impl Stage for DropCr {
    fn push(&mut self, input: &[u8], out: &mut Vec<u8>) -> Result<(), Invalid> {
        let mut rest = input;
        while let Some(at) = memchr::memchr(b'\r', rest) {
            out.extend_from_slice(&rest[..at]);
            rest = &rest[at + 1..];
        }
        out.extend_from_slice(rest);
        Ok(())
    }

    fn finish(&mut self, _out: &mut Vec<u8>) -> Result<(), Invalid> {
        Ok(())
    }
}

/// `ident`: `$Id: … $` → `$Id$`, within one line. Bytes that may still turn out to be
/// part of such a field are held back: at most a `$Id` prefix, or an open `$Id:` field
/// up to the end of its line.
#[derive(Default)]
pub(super) struct Ident {
    held: Vec<u8>,
}

impl Ident {
    /// Collapses the fields of `bytes`, returning how many leading bytes are decided.
    fn step(bytes: &[u8], at_end: bool, out: &mut Vec<u8>) -> usize {
        let mut done = 0;
        loop {
            let rest = &bytes[done..];
            let Some(at) = memchr::memmem::find(rest, b"$Id") else {
                let open = if at_end {
                    0
                } else if rest.ends_with(b"$I") {
                    2
                } else {
                    usize::from(rest.ends_with(b"$"))
                };
                out.extend_from_slice(&rest[..rest.len() - open]);
                return bytes.len() - open;
            };
            let after = &rest[at + 3..];
            if after.is_empty() && !at_end {
                out.extend_from_slice(&rest[..at]);
                return done + at;
            }
            out.extend_from_slice(&rest[..at + 3]);
            done += at + 3;
            if after.first() != Some(&b':') {
                continue;
            }
            let line_end = memchr::memchr(b'\n', after);
            match memchr::memchr(b'$', &after[..line_end.unwrap_or(after.len())]) {
                Some(dollar) => done += dollar,
                None if line_end.is_none() && !at_end => {
                    out.truncate(out.len() - 3);
                    return done - 3;
                }
                None => {}
            }
        }
    }
}

impl Stage for Ident {
    fn push(&mut self, input: &[u8], out: &mut Vec<u8>) -> Result<(), Invalid> {
        self.held.extend_from_slice(input);
        let decided = Ident::step(&self.held, false, out);
        self.held.drain(..decided);
        Ok(())
    }

    fn finish(&mut self, out: &mut Vec<u8>) -> Result<(), Invalid> {
        Ident::step(&std::mem::take(&mut self.held), true, out);
        Ok(())
    }
}

const LFS_VERSION: &[u8] = b"version https://git-lfs.github.com/spec/v1\n";

/// What `git lfs clean` stores, computed over chunks: the content's pointer (a
/// pointer stays itself).
#[derive(Default)]
pub(super) struct LfsPointer {
    hasher: Sha256,
    size: u64,
    head: Vec<u8>,
}

impl LfsPointer {
    pub(super) fn push(&mut self, chunk: &[u8]) {
        self.hasher.update(chunk);
        self.size += chunk.len() as u64;
        let room = 1024usize.saturating_sub(self.head.len());
        self.head.extend_from_slice(&chunk[..room.min(chunk.len())]);
    }

    pub(super) fn finish(self) -> Vec<u8> {
        if self.size < 1024 && self.head.starts_with(LFS_VERSION) {
            return self.head;
        }
        let hex: String = self
            .hasher
            .finalize()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        format!(
            "version https://git-lfs.github.com/spec/v1\noid sha256:{hex}\nsize {}\n",
            self.size
        )
        .into_bytes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Runs `stages` over `input` cut into pieces of `cut` bytes.
    fn run(mut stages: Vec<Box<dyn Stage>>, input: &[u8], cut: usize) -> Result<Vec<u8>, Invalid> {
        let mut out = Vec::new();
        for chunk in input.chunks(cut.max(1)) {
            feed(&mut stages, chunk, false, &mut |b| out.extend_from_slice(b))?;
        }
        feed(&mut stages, &[], true, &mut |b| out.extend_from_slice(b))?;
        Ok(out)
    }

    fn whole(stage: impl Stage + 'static, input: &[u8]) -> Result<Vec<u8>, Invalid> {
        run(vec![Box::new(stage)], input, usize::MAX)
    }

    fn decode(encoding: &str, input: &[u8]) -> Result<Vec<u8>, Invalid> {
        whole(Decoder::new(encoding).unwrap().unwrap(), input)
    }

    fn is_binary(bytes: &[u8]) -> bool {
        let mut stats = TextStats::default();
        stats.feed(bytes);
        stats.is_binary()
    }

    fn lfs(bytes: &[u8]) -> Vec<u8> {
        let mut pointer = LfsPointer::default();
        pointer.push(bytes);
        pointer.finish()
    }

    #[test]
    fn crlf_to_lf_keeps_lone_crs() {
        assert_eq!(
            whole(CrlfToLf::default(), b"a\r\nb\rc\n\r").unwrap(),
            b"a\nb\rc\n\r"
        );
        assert_eq!(whole(DropCr, b"a\r\nb\r\n").unwrap(), b"a\nb\n");
    }

    #[test]
    fn lfs_pointers_are_what_git_lfs_stores() {
        let pointer = lfs(b"hello\n");
        assert_eq!(
            String::from_utf8(pointer.clone()).unwrap(),
            "version https://git-lfs.github.com/spec/v1\noid sha256:5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03\nsize 6\n"
        );
        assert_eq!(lfs(&pointer), pointer);
    }

    #[test]
    fn unicode_working_tree_encodings() {
        let utf16le_bom = [0xff, 0xfe, b'A', 0, b'\n', 0];
        assert_eq!(decode("UTF-16", &utf16le_bom).unwrap(), b"A\n");
        assert_eq!(decode("utf-16be", &[0, b'B']).unwrap(), b"B");
        assert_eq!(decode("UTF-16", &[0, b'C']).unwrap(), b"C");
        assert_eq!(decode("UTF-32LE", &[b'D', 0, 0, 0]).unwrap(), b"D");
        // A surrogate pair (U+1F600) and a lone one.
        assert_eq!(
            decode("UTF-16BE", &[0xd8, 0x3d, 0xde, 0x00]).unwrap(),
            "😀".as_bytes()
        );
        assert!(decode("UTF-16BE", &[0xd8, 0x3d, 0, b'a']).is_err());
        assert!(decode("UTF-16", &[0]).is_err());
        // FF FE without 00 00 is no UTF-32 little-endian mark: big-endian, invalid.
        assert!(decode("UTF-32", &[0xff, 0xfe, 0, 0x41]).is_err());
        assert_eq!(
            decode("UTF-32", &[0xff, 0xfe, 0, 0, 0x41, 0, 0, 0]).unwrap(),
            b"A"
        );
        assert!(matches!(Decoder::new("UTF-8"), Ok(None)));
        assert!(Decoder::new("SHIFT-JIS").is_err());
    }

    #[test]
    fn binary_detection_and_ident() {
        assert!(is_binary(b"a\rb"));
        assert!(is_binary(b"a\r"));
        assert!(is_binary(b"a\0b"));
        assert!(!is_binary(b"a\r\nb\n"));
        assert_eq!(
            whole(Ident::default(), b"x $Id: 1234 $ y $Id$ $Id: open\n$").unwrap(),
            b"x $Id$ y $Id$ $Id: open\n$"
        );
        assert_eq!(
            whole(Ident::default(), b"$Id: a $Id: b $").unwrap(),
            b"$Id$Id$"
        );
    }

    #[test]
    fn the_collector_keeps_bytes_only_within_its_limit() {
        let mut collector = Collector::new(4);
        collector.push(b"abc");
        collector.push(b"d");
        assert_eq!(collector.into_parts(), (4, Some(b"abcd".to_vec())));
        let mut collector = Collector::new(4);
        collector.push(b"abc");
        collector.push(b"de");
        collector.push(b"");
        assert_eq!(collector.into_parts(), (5, None));
    }

    /// Bytes rich in what the stages look at: CR, LF, `$Id`, `:`, NUL, surrogates.
    fn tricky() -> impl Strategy<Value = Vec<u8>> {
        let piece = prop_oneof![
            Just(b"\r".to_vec()),
            Just(b"\n".to_vec()),
            Just(b"\r\n".to_vec()),
            Just(b"$Id".to_vec()),
            Just(b"$Id:".to_vec()),
            Just(b"$".to_vec()),
            Just(b"$I".to_vec()),
            Just(vec![0]),
            Just(vec![0xd8, 0x3d]),
            Just(vec![0xde, 0x00]),
            Just(vec![0xff, 0xfe]),
            prop::collection::vec(any::<u8>(), 0..4),
            "[a-z ]{0,5}".prop_map(String::into_bytes),
        ];
        prop::collection::vec(piece, 0..40).prop_map(|pieces| pieces.concat())
    }

    proptest! {
        /// Every stage gives the same bytes (or the same refusal) whatever the chunks.
        #[test]
        fn stages_do_not_depend_on_chunk_boundaries(input in tricky(), cut in 1usize..9, which in 0usize..7) {
            let make = || -> Vec<Box<dyn Stage>> {
                match which {
                    0 => vec![Box::<CrlfToLf>::default()],
                    1 => vec![Box::new(DropCr)],
                    2 => vec![Box::<Ident>::default()],
                    3 => vec![Box::new(Decoder::new("UTF-16").unwrap().unwrap())],
                    4 => vec![Box::new(Decoder::new("UTF-32LE").unwrap().unwrap())],
                    5 => vec![Box::new(Decoder::new("UTF-16LE-BOM").unwrap().unwrap())],
                    _ => vec![
                        Box::new(Decoder::new("UTF-16BE").unwrap().unwrap()),
                        Box::<CrlfToLf>::default(),
                        Box::<Ident>::default(),
                    ],
                }
            };
            prop_assert_eq!(run(make(), &input, cut), run(make(), &input, usize::MAX));
        }

        #[test]
        fn stats_and_pointers_do_not_depend_on_chunk_boundaries(input in tricky(), cut in 1usize..9) {
            let mut stats = TextStats::default();
            let mut pointer = LfsPointer::default();
            for chunk in input.chunks(cut) {
                stats.feed(chunk);
                pointer.push(chunk);
            }
            prop_assert_eq!(stats.is_binary(), is_binary(&input));
            prop_assert_eq!(stats.has_cr(), input.contains(&b'\r'));
            prop_assert_eq!(pointer.finish(), lfs(&input));
        }
    }
}
