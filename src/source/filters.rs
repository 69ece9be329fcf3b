//! Working-tree bytes → the bytes git would store (its "clean" direction), so that every
//! mode reads a document as git stores it (SPEC §6) and a clean checkout gets the same
//! verdict from `check`, `--staged` and `--rev HEAD`.
//!
//! Files git's stat cache says are unchanged are read from the index instead (exact,
//! whatever the filters). This module converts the others, as git's `convert.c` does, in
//! its order: the filter driver (`filter=lfs` natively; other drivers cannot be run, so
//! they are an error naming the file), `working-tree-encoding` (the UTF-16 and UTF-32
//! family), end of line (`text`, `eol`, `crlf`, `core.autocrlf`), `ident`.

use std::borrow::Cow;
use std::path::Path;

use git2::{AttrCheckFlags, AttrValue, Repository};

use crate::error::Error;

/// The attributes of one path that decide its conversion.
struct Attributes {
    filter: Option<String>,
    encoding: Option<String>,
    crlf: CrlfAction,
    ident: bool,
}

/// git's `crlf_action` for the clean direction.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum CrlfAction {
    /// No conversion.
    Binary,
    /// `text`: every CRLF becomes LF.
    Text,
    /// `text=auto` (or `core.autocrlf`): only text files without CR in the index.
    Auto,
}

fn attributes(repo: &Repository, path: &str) -> Attributes {
    let get = |name: &str| -> AttrValue<'_> {
        let value = repo
            .get_attr(Path::new(path), name, AttrCheckFlags::FILE_THEN_INDEX)
            .ok()
            .flatten();
        AttrValue::from_string(value)
    };
    let string = |value: AttrValue<'_>| match value {
        AttrValue::String(s) => Some(s.to_owned()),
        _ => None,
    };
    let filter = string(get("filter"));
    let encoding = string(get("working-tree-encoding"));
    let ident = matches!(get("ident"), AttrValue::True);
    // `text` wins over the older `crlf`; `binary` unsets `text`.
    let mut declared = match get("text") {
        AttrValue::Unspecified => get("crlf"),
        other => other,
    };
    if matches!(get("binary"), AttrValue::True) {
        declared = AttrValue::False;
    }
    let eol = string(get("eol"));
    let crlf = match declared {
        AttrValue::False => CrlfAction::Binary,
        AttrValue::True => CrlfAction::Text,
        AttrValue::String("input") => CrlfAction::Text,
        AttrValue::String("auto") => CrlfAction::Auto,
        // `eol` alone makes a file text (git: CRLF_TEXT_INPUT / CRLF_TEXT_CRLF).
        _ if eol.as_deref().is_some_and(|e| e == "lf" || e == "crlf") => CrlfAction::Text,
        _ => match config_string(repo, "core.autocrlf").as_deref() {
            Some("true" | "input") => CrlfAction::Auto,
            _ => CrlfAction::Binary,
        },
    };
    Attributes {
        filter,
        encoding,
        crlf,
        ident,
    }
}

fn config_string(repo: &Repository, key: &str) -> Option<String> {
    let config = repo.config().ok()?;
    // `core.autocrlf = true` is a boolean git also accepts as `yes`/`on`/`1`.
    if let Ok(flag) = config.get_bool(key) {
        return Some(flag.to_string());
    }
    config.get_string(key).ok()
}

/// Whether this repository can convert files at all: attributes files or
/// `core.autocrlf`. When not, working-tree bytes are the stored bytes.
/// `global_attributes` is git's default global attributes file
/// (`$XDG_CONFIG_HOME/git/attributes`), as the environment names it.
pub(crate) fn may_convert(
    repo: &Repository,
    paths_have_attributes: bool,
    global_attributes: Option<&Path>,
) -> bool {
    if paths_have_attributes || repo.path().join("info/attributes").exists() {
        return true;
    }
    if matches!(
        config_string(repo, "core.autocrlf").as_deref(),
        Some("true" | "input")
    ) {
        return true;
    }
    let config = repo.config().ok();
    if config
        .as_ref()
        .is_some_and(|c| c.get_path("core.attributesFile").is_ok())
    {
        return true;
    }
    global_attributes.is_some_and(Path::exists)
}

/// The bytes git would store for the working-tree file `path` holding `bytes`.
pub(crate) fn to_git(repo: &Repository, path: &str, bytes: Vec<u8>) -> Result<Vec<u8>, Error> {
    let attributes = attributes(repo, path);
    let mut bytes = bytes;
    if let Some(driver) = &attributes.filter {
        bytes = run_driver(repo, path, driver, bytes)?;
    }
    if let Some(encoding) = &attributes.encoding {
        bytes = decode(path, encoding, &bytes)?;
    }
    bytes = match attributes.crlf {
        CrlfAction::Binary => bytes,
        CrlfAction::Text => lf_only(&bytes).into_owned(),
        CrlfAction::Auto if is_binary(&bytes) || index_has_cr(repo, path) => bytes,
        CrlfAction::Auto => bytes.into_iter().filter(|&b| b != b'\r').collect(),
    };
    if attributes.ident {
        bytes = collapse_ident(&bytes);
    }
    Ok(bytes)
}

fn run_driver(
    repo: &Repository,
    path: &str,
    driver: &str,
    bytes: Vec<u8>,
) -> Result<Vec<u8>, Error> {
    let configured = |key: &str| {
        config_string(repo, &format!("filter.{driver}.{key}")).is_some_and(|v| !v.is_empty())
    };
    if !configured("clean") && !configured("process") {
        return Ok(bytes); // git ignores a driver nobody configured
    }
    if driver == "lfs" {
        return Ok(lfs_pointer(bytes));
    }
    Err(Error::Unconvertible {
        path: path.to_owned(),
        why: format!("has the `filter={driver}` attribute, whose program docdex does not run"),
    })
}

const LFS_VERSION: &[u8] = b"version https://git-lfs.github.com/spec/v1\n";

/// What `git lfs clean` stores: the content's pointer (a pointer stays itself).
pub(crate) fn lfs_pointer(bytes: Vec<u8>) -> Vec<u8> {
    use sha2::{Digest, Sha256};
    if bytes.len() < 1024 && bytes.starts_with(LFS_VERSION) {
        return bytes;
    }
    let digest = Sha256::digest(&bytes);
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    format!(
        "version https://git-lfs.github.com/spec/v1\noid sha256:{hex}\nsize {}\n",
        bytes.len()
    )
    .into_bytes()
}

/// `working-tree-encoding` → UTF-8, for the Unicode encodings git users set it to.
fn decode(path: &str, encoding: &str, bytes: &[u8]) -> Result<Vec<u8>, Error> {
    let name = encoding.to_ascii_uppercase().replace('_', "-");
    let (width, big_endian, bom_allowed) = match name.as_str() {
        "UTF-8" | "UTF8" => return Ok(bytes.to_vec()),
        "UTF-16" | "UTF16" => (2, !bytes.starts_with(&[0xff, 0xfe]), true),
        "UTF-16BE" => (2, true, false),
        "UTF-16LE" => (2, false, false),
        "UTF-16LE-BOM" => (2, false, true),
        "UTF-32" | "UTF32" => (4, !bytes.starts_with(&[0xff, 0xfe, 0, 0]), true),
        "UTF-32BE" => (4, true, false),
        "UTF-32LE" => (4, false, false),
        _ => {
            return Err(Error::Unconvertible {
                path: path.to_owned(),
                why: format!(
                    "working-tree-encoding={encoding} is not one docdex decodes (UTF-8, UTF-16 or UTF-32)"
                ),
            })
        }
    };
    let bad = || Error::Unconvertible {
        path: path.to_owned(),
        why: format!(
            "is not valid {encoding} as its working-tree-encoding says; git would refuse to add it"
        ),
    };
    if !bytes.len().is_multiple_of(width) {
        return Err(bad());
    }
    let units = bytes.chunks(width).map(|chunk| {
        let mut value: u32 = 0;
        for i in 0..width {
            let byte = if big_endian {
                chunk[i]
            } else {
                chunk[width - 1 - i]
            };
            value = value << 8 | u32::from(byte);
        }
        value
    });
    let mut units: Vec<u32> = units.collect();
    if bom_allowed && units.first() == Some(&0xfeff) {
        units.remove(0);
    }
    let text: String = if width == 2 {
        let units: Vec<u16> = units.into_iter().map(|u| u as u16).collect();
        String::from_utf16(&units).map_err(|_| bad())?
    } else {
        units
            .into_iter()
            .map(char::from_u32)
            .collect::<Option<String>>()
            .ok_or_else(bad)?
    };
    Ok(text.into_bytes())
}

/// git's `convert_is_binary`: a lone CR, a NUL, or too many non-printable bytes.
fn is_binary(bytes: &[u8]) -> bool {
    let (mut printable, mut nonprintable) = (0usize, 0usize);
    for (i, &byte) in bytes.iter().enumerate() {
        match byte {
            b'\r' if bytes.get(i + 1) != Some(&b'\n') => return true,
            0 => return true,
            b'\r' | b'\n' | b'\t' | 0x08 | 0x1b | 0x0c => printable += 1,
            127 => nonprintable += 1,
            b if b < 32 => nonprintable += 1,
            _ => printable += 1,
        }
    }
    (printable >> 7) < nonprintable
}

/// Whether the index's version of `path` holds a CR: git's safer autocrlf leaves such
/// files as they are.
fn index_has_cr(repo: &Repository, path: &str) -> bool {
    let Ok(index) = repo.index() else {
        return false;
    };
    index
        .get_path(Path::new(path), 0)
        .and_then(|entry| repo.find_blob(entry.id).ok())
        .is_some_and(|blob| blob.content().contains(&b'\r'))
}

/// `$Id: … $` → `$Id$`, as git's `ident` clean filter does (on one line only).
fn collapse_ident(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len());
    let mut rest = bytes;
    while let Some(at) = memchr::memmem::find(rest, b"$Id") {
        out.extend_from_slice(&rest[..at + 3]);
        rest = &rest[at + 3..];
        if rest.first() == Some(&b':') {
            let line_end = memchr::memchr(b'\n', rest).unwrap_or(rest.len());
            if let Some(dollar) = memchr::memchr(b'$', &rest[..line_end]) {
                rest = &rest[dollar..];
            }
        }
    }
    out.extend_from_slice(rest);
    out
}

/// `bytes` with every `\r\n` turned into `\n`: how `--fix` tells a page with unstaged
/// edits from one checked out with other line ends.
pub(crate) fn lf_only(bytes: &[u8]) -> Cow<'_, [u8]> {
    if memchr::memmem::find(bytes, b"\r\n").is_none() {
        return Cow::Borrowed(bytes);
    }
    let mut out = Vec::with_capacity(bytes.len());
    let mut iter = bytes.iter().peekable();
    while let Some(&byte) = iter.next() {
        if byte == b'\r' && iter.peek() == Some(&&b'\n') {
            continue;
        }
        out.push(byte);
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crlf_is_folded() {
        assert_eq!(lf_only(b"a\r\nb\rc\n").as_ref(), b"a\nb\rc\n");
        assert!(matches!(lf_only(b"a\nb"), Cow::Borrowed(_)));
    }

    #[test]
    fn lfs_pointers_are_what_git_lfs_stores() {
        let pointer = lfs_pointer(b"hello\n".to_vec());
        assert_eq!(
            String::from_utf8(pointer.clone()).unwrap(),
            "version https://git-lfs.github.com/spec/v1\noid sha256:5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03\nsize 6\n"
        );
        assert_eq!(lfs_pointer(pointer.clone()), pointer);
    }

    #[test]
    fn unicode_working_tree_encodings() {
        let utf16le_bom = [0xff, 0xfe, b'A', 0, b'\n', 0];
        assert_eq!(decode("x", "UTF-16", &utf16le_bom).unwrap(), b"A\n");
        assert_eq!(decode("x", "utf-16be", &[0, b'B']).unwrap(), b"B");
        assert_eq!(decode("x", "UTF-16", &[0, b'C']).unwrap(), b"C");
        assert_eq!(decode("x", "UTF-32LE", &[b'D', 0, 0, 0]).unwrap(), b"D");
        assert!(decode("x", "UTF-16", &[0]).is_err());
        assert!(decode("x", "SHIFT-JIS", b"a").is_err());
    }

    #[test]
    fn binary_detection_and_ident() {
        assert!(is_binary(b"a\rb"));
        assert!(is_binary(b"a\0b"));
        assert!(!is_binary(b"a\r\nb\n"));
        assert_eq!(
            collapse_ident(b"x $Id: 1234 $ y $Id$ $Id: open\n$"),
            b"x $Id$ y $Id$ $Id: open\n$"
        );
    }
}
