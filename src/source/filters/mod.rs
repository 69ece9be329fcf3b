//! Working-tree bytes → the bytes git would store (its "clean" direction), so that every
//! mode reads a document as git stores it (docs/format.md, "Reading a document") and a clean
//! checkout gets the same verdict from `check`, `--staged` and `--rev HEAD`.
//!
//! Files git's stat cache says are unchanged are read from the index instead (exact,
//! whatever the filters). This module converts the others, as git's `convert.c` does, in
//! its order: the filter driver (`filter=lfs` natively; other drivers cannot be run, so
//! they are an error naming the file), `working-tree-encoding` (the UTF-16 and UTF-32
//! family), end of line (`text`, `eol`, `crlf`, `core.autocrlf`), `ident`; each as a
//! streaming stage (`stream.rs`), so a document of any size costs a chunk of memory.
//!
//! Why not `gix-filter`, which implements the same pipeline: its end-of-line,
//! `working-tree-encoding` and `ident` filters convert the whole file as one buffer
//! (`ToGitOutcome::Buffer`), which is the memory this module exists to avoid (a 64 MiB
//! document peaked at 79 MiB that way, 28 MiB streamed); its `lfs` runs the configured
//! `git-lfs` program, which docdex never does (the pointer is computed here); and it
//! reads attributes through gitoxide's own attribute stack, beside git2's that every
//! other read here uses.

mod stream;

use std::borrow::Cow;
use std::io::Read;
use std::path::Path;

use git2::{AttrCheckFlags, AttrValue, Repository};

use crate::error::Error;
use stream::{Collector, CrlfToLf, Decoder, DropCr, Ident, Invalid, LfsPointer, Stage, TextStats};

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
    let conversion = Conversion::of(repo, path)?;
    if conversion.is_none() {
        return Ok(bytes);
    }
    let mut collector = Collector::new(u64::MAX);
    conversion.run(repo, path, Input::Bytes(&bytes), u64::MAX, &mut |chunk| {
        collector.push(chunk);
    })?;
    Ok(collector.into_parts().1.unwrap_or_default())
}

/// The size git would store for the working-tree file at `file` (`path` in the
/// repository), and those bytes when that size is within `limit` (else empty). The
/// file is converted a chunk at a time: a document of any size costs a chunk of memory
/// beyond the bytes kept.
pub(crate) fn to_git_up_to(
    repo: &Repository,
    path: &str,
    file: &Path,
    limit: u64,
) -> Result<(u64, Vec<u8>), Error> {
    let conversion = Conversion::of(repo, path)?;
    if conversion.is_none() {
        let len = std::fs::metadata(file)
            .map_err(|e| Error::io(path, e))?
            .len();
        if len > limit {
            return Ok((len, Vec::new()));
        }
        let bytes = std::fs::read(file).map_err(|e| Error::io(path, e))?;
        return Ok((bytes.len() as u64, bytes));
    }
    let mut collector = Collector::new(limit);
    conversion.run(repo, path, Input::File(file), limit, &mut |chunk| {
        collector.push(chunk);
    })?;
    let (size, bytes) = collector.into_parts();
    Ok((size, bytes.unwrap_or_default()))
}

/// Hands `sink` the bytes git would store for the working-tree file at `file` (`path`
/// in the repository), a chunk at a time, converted when `convert` (the repository has
/// attributes or `core.autocrlf`): for scans that need none of them kept.
pub(crate) fn to_git_each(
    repo: Option<&Repository>,
    path: &str,
    file: &Path,
    sink: &mut dyn FnMut(&[u8]),
) -> Result<(), Error> {
    let conversion = match repo {
        Some(repo) => Some((repo, Conversion::of(repo, path)?)),
        None => None,
    };
    match conversion {
        Some((repo, conversion)) if !conversion.is_none() => {
            // Small files are decoded once, not read twice (see `run_auto`).
            let keep = CHUNK as u64;
            conversion.run(repo, path, Input::File(file), keep, sink)
        }
        _ => Input::File(file).each_chunk(path, |chunk| {
            sink(chunk);
            Ok(())
        }),
    }
}

/// The bytes a conversion reads, a chunk at a time: a working-tree file (opened anew
/// for each pass) or bytes in memory.
#[derive(Clone, Copy)]
enum Input<'a> {
    File(&'a Path),
    Bytes(&'a [u8]),
}

/// How much of a file one read takes.
const CHUNK: usize = 1 << 20;

impl Input<'_> {
    fn each_chunk(
        self,
        path: &str,
        mut take: impl FnMut(&[u8]) -> Result<(), Error>,
    ) -> Result<(), Error> {
        match self {
            Input::Bytes(bytes) => take(bytes),
            Input::File(file) => {
                let io = |e| Error::io(path, e);
                let mut file = std::fs::File::open(file).map_err(io)?;
                let mut buffer = vec![0; CHUNK];
                loop {
                    match file.read(&mut buffer) {
                        Ok(0) => return Ok(()),
                        Ok(n) => take(&buffer[..n])?,
                        Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                        Err(e) => return Err(io(e)),
                    }
                }
            }
        }
    }
}

/// What git's clean direction does to one path, in its order: the `lfs` filter
/// driver, `working-tree-encoding`, end of line, `ident`.
struct Conversion {
    lfs: bool,
    /// The working-tree encoding's name and a decoder of it, fresh (cloned per pass).
    encoding: Option<(String, Decoder)>,
    crlf: CrlfAction,
    ident: bool,
}

impl Conversion {
    fn of(repo: &Repository, path: &str) -> Result<Self, Error> {
        let attributes = attributes(repo, path);
        let lfs = match &attributes.filter {
            Some(driver) => driver_applies(repo, path, driver)?,
            None => false,
        };
        let encoding = match attributes.encoding {
            Some(encoding) => match Decoder::new(&encoding) {
                Ok(None) => None,
                Ok(Some(decoder)) => Some((encoding, decoder)),
                Err(()) => {
                    return Err(Error::Unconvertible {
                        path: path.to_owned(),
                        why: format!(
                            "working-tree-encoding={encoding} is not one docdex decodes (UTF-8, UTF-16 or UTF-32)"
                        ),
                    })
                }
            },
            None => None,
        };
        Ok(Conversion {
            lfs,
            encoding,
            crlf: attributes.crlf,
            ident: attributes.ident,
        })
    }

    fn is_none(&self) -> bool {
        !self.lfs && self.encoding.is_none() && self.crlf == CrlfAction::Binary && !self.ident
    }

    /// Converts `input` into `sink`. `keep` bounds the decoded bytes `text=auto` keeps
    /// from its first pass, so that a small file is not read twice.
    fn run(
        &self,
        repo: &Repository,
        path: &str,
        input: Input<'_>,
        keep: u64,
        sink: &mut dyn FnMut(&[u8]),
    ) -> Result<(), Error> {
        let pointer;
        let input = if self.lfs {
            let mut lfs = LfsPointer::default();
            input.each_chunk(path, |chunk| {
                lfs.push(chunk);
                Ok(())
            })?;
            pointer = lfs.finish();
            Input::Bytes(&pointer)
        } else {
            input
        };
        let eol: Option<Box<dyn Stage>> = match self.crlf {
            CrlfAction::Binary => None,
            CrlfAction::Text => Some(Box::<CrlfToLf>::default()),
            CrlfAction::Auto => return self.run_auto(repo, path, input, keep, sink),
        };
        self.pass(path, input, self.stages(true, eol), sink)
    }

    /// `text=auto`: a first pass tells whether the file is text with CRs to drop; the
    /// second goes on from the decoded bytes the first kept, or reads the file again.
    fn run_auto(
        &self,
        repo: &Repository,
        path: &str,
        input: Input<'_>,
        keep: u64,
        sink: &mut dyn FnMut(&[u8]),
    ) -> Result<(), Error> {
        let mut stats = TextStats::default();
        let mut first = Collector::new(keep);
        let decode = self.decoder().into_iter().collect();
        self.pass(path, input, decode, &mut |chunk| {
            stats.feed(chunk);
            first.push(chunk);
        })?;
        // git's safer autocrlf leaves a file whose index version holds a CR as it is.
        let keep = stats.is_binary() || !stats.has_cr() || index_has_cr(repo, path);
        let eol: Option<Box<dyn Stage>> = (!keep).then(|| Box::new(DropCr) as Box<dyn Stage>);
        match first.into_parts() {
            (_, Some(decoded)) => {
                self.pass(path, Input::Bytes(&decoded), self.stages(false, eol), sink)
            }
            (_, None) => self.pass(path, input, self.stages(true, eol), sink),
        }
    }

    /// A fresh decoder of the working-tree encoding, if there is one.
    fn decoder(&self) -> Option<Box<dyn Stage>> {
        let (_, decoder) = self.encoding.as_ref()?;
        Some(Box::new(decoder.clone()))
    }

    /// The decoder (when `decode`), `eol`, and `ident`.
    fn stages(&self, decode: bool, eol: Option<Box<dyn Stage>>) -> Vec<Box<dyn Stage>> {
        let mut stages: Vec<Box<dyn Stage>> = Vec::new();
        if decode {
            stages.extend(self.decoder());
        }
        stages.extend(eol);
        if self.ident {
            stages.push(Box::<Ident>::default());
        }
        stages
    }

    /// One pass of `input` through `stages` into `sink`.
    fn pass(
        &self,
        path: &str,
        input: Input<'_>,
        mut stages: Vec<Box<dyn Stage>>,
        sink: &mut dyn FnMut(&[u8]),
    ) -> Result<(), Error> {
        let invalid = |_: Invalid| Error::Unconvertible {
            path: path.to_owned(),
            why: format!(
                "is not valid {} as its working-tree-encoding says; git would refuse to add it",
                self.encoding
                    .as_ref()
                    .map_or("UTF-8", |(name, _)| name.as_str())
            ),
        };
        input.each_chunk(path, |chunk| {
            stream::feed(&mut stages, chunk, false, sink).map_err(invalid)
        })?;
        stream::feed(&mut stages, &[], true, sink).map_err(invalid)
    }
}

/// Whether the filter driver `driver` converts `path`: `lfs` does (natively); a driver
/// nobody configured is ignored, as git ignores it; any other cannot be run.
fn driver_applies(repo: &Repository, path: &str, driver: &str) -> Result<bool, Error> {
    let configured = |key: &str| {
        config_string(repo, &format!("filter.{driver}.{key}")).is_some_and(|v| !v.is_empty())
    };
    if !configured("clean") && !configured("process") {
        return Ok(false);
    }
    if driver == "lfs" {
        return Ok(true);
    }
    Err(Error::Unconvertible {
        path: path.to_owned(),
        why: format!("has the `filter={driver}` attribute, whose program docdex does not run"),
    })
}

/// Whether the index's version of `path` holds a CR: git's safer autocrlf leaves such
/// files as they are. Streamed where the object database can (loose objects).
fn index_has_cr(repo: &Repository, path: &str) -> bool {
    let Some(id) = repo
        .index()
        .ok()
        .and_then(|index| index.get_path(Path::new(path), 0).map(|entry| entry.id))
    else {
        return false;
    };
    if let Ok(odb) = repo.odb() {
        if let Ok((mut reader, _, _)) = odb.reader(id) {
            let mut buffer = vec![0; CHUNK];
            loop {
                match reader.read(&mut buffer) {
                    Ok(0) => return false,
                    Ok(n) if buffer[..n].contains(&b'\r') => return true,
                    Ok(_) => {}
                    Err(_) => break,
                }
            }
        }
    }
    repo.find_blob(id)
        .is_ok_and(|blob| blob.content().contains(&b'\r'))
}

/// `bytes` with every `\r\n` turned into `\n`: how `--fix` tells a page with unstaged
/// edits from one checked out with other line ends.
pub(crate) fn lf_only(bytes: &[u8]) -> Cow<'_, [u8]> {
    if memchr::memmem::find(bytes, b"\r\n").is_none() {
        return Cow::Borrowed(bytes);
    }
    Cow::Owned(CrlfToLf::whole(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crlf_is_folded() {
        assert_eq!(lf_only(b"a\r\nb\rc\n").as_ref(), b"a\nb\rc\n");
        assert!(matches!(lf_only(b"a\nb"), Cow::Borrowed(_)));
    }
}
