//! `docdex.toml` → one plain [`Config`] (docs/guide.md, "Configuration"). Knows nothing about git or pages.

use std::path::Path;

use globset::{GlobSet, GlobSetBuilder};
use serde::Deserialize;

use crate::error::{ConfigProblem, Error};
use crate::pages::{KindId, KindSet};

/// The configuration file looked for at the repo root.
pub(crate) const CONFIG_FILE: &str = "docdex.toml";

/// Everything that decides what pages are expected, resolved and validated.
#[derive(Clone, Debug)]
pub struct Config {
    /// The index root under which every page lives, repo-relative, `/`-separated.
    pub root: String,
    /// Globs a document must match, if any were given.
    pub include: Option<GlobSet>,
    /// Globs that make a path neither a document nor a page.
    pub exclude: Option<GlobSet>,
    /// Which page kinds are generated.
    pub pages: KindSet,
    /// How many distinct identifiers an identifier-kind keyword page keeps.
    pub max_identifiers: usize,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            root: "docs".to_owned(),
            include: None,
            exclude: None,
            pages: KindSet::defaults(),
            max_identifiers: 100,
        }
    }
}

/// The file as written by the user; every key optional, unknown keys refused.
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields, rename_all = "snake_case")]
struct FileConfig {
    root: Option<String>,
    include: Option<Vec<String>>,
    exclude: Option<Vec<String>>,
    pages: Option<Vec<String>>,
    max_identifiers: Option<usize>,
}

impl Config {
    /// Parses the text of a configuration file; `origin` names it in errors.
    pub fn parse(text: &str, origin: &Path) -> Result<Config, Error> {
        let bad = |message: String| Error::Config {
            file: origin.display().to_string(),
            message,
            problem: ConfigProblem::Key,
        };
        let file: FileConfig = toml::from_str(text).map_err(|err| {
            let place = err
                .span()
                .map(|span| {
                    let before = &text[..span.start.min(text.len())];
                    let line = before.matches('\n').count() + 1;
                    let column = before.len() - before.rfind('\n').map_or(0, |i| i + 1) + 1;
                    format!("line {line}, column {column}: ")
                })
                .unwrap_or_default();
            let message = err.message().trim().replace('\n', " ");
            // serde's messages about fields and types are about keys; the rest is syntax.
            let about_a_key = [
                "unknown field",
                "invalid type",
                "invalid value",
                "missing field",
            ]
            .iter()
            .any(|m| message.contains(m));
            Error::Config {
                file: origin.display().to_string(),
                message: format!("{place}{message}"),
                problem: if about_a_key {
                    ConfigProblem::Key
                } else {
                    ConfigProblem::Syntax
                },
            }
        })?;
        let mut config = Config::default();
        if let Some(root) = file.root {
            config.root = validate_root(&root).map_err(|why| bad(format!("key `root`: {why}")))?;
        }
        if let Some(globs) = file.include {
            config.include =
                Some(glob_set(&globs).map_err(|why| bad(format!("key `include`: {why}")))?);
        }
        if let Some(globs) = file.exclude {
            config.exclude =
                Some(glob_set(&globs).map_err(|why| bad(format!("key `exclude`: {why}")))?);
        }
        if let Some(pages) = file.pages {
            config.pages = pages
                .iter()
                .map(|name| {
                    KindId::by_name(name).ok_or_else(|| {
                        let known: Vec<&str> = KindId::all().map(KindId::name).collect();
                        bad(format!(
                            "key `pages`: unknown page kind {name:?}; the kinds are {}",
                            known.join(", ")
                        ))
                    })
                })
                .collect::<Result<KindSet, Error>>()?;
        }
        if let Some(max) = file.max_identifiers {
            if max == 0 {
                return Err(bad("key `max_identifiers`: must be at least 1".to_owned()));
            }
            config.max_identifiers = max;
        }
        Ok(config)
    }

    /// Reads and parses a configuration file.
    pub fn load(path: &Path) -> Result<Config, Error> {
        let bad = |message: String| Error::Config {
            file: path.display().to_string(),
            message,
            problem: ConfigProblem::Unreadable,
        };
        // A FIFO would block the read forever; a directory cannot be read.
        match std::fs::metadata(path) {
            Ok(meta) if !meta.is_file() => {
                return Err(bad(
                    "not a regular file; give the path of a TOML file".to_owned()
                ))
            }
            Err(err) => return Err(bad(format!("cannot read it: {err}"))),
            Ok(_) => {}
        }
        let bytes = std::fs::read(path).map_err(|err| bad(format!("cannot read it: {err}")))?;
        Config::from_bytes(bytes, path)
    }

    /// Parses the bytes of a configuration file; `origin` names it in errors.
    pub fn from_bytes(bytes: Vec<u8>, origin: &Path) -> Result<Config, Error> {
        let text = String::from_utf8(bytes).map_err(|_| Error::Config {
            file: origin.display().to_string(),
            message: "not valid UTF-8".to_owned(),
            problem: ConfigProblem::Unreadable,
        })?;
        Config::parse(&text, origin)
    }
}

/// A root must be a plain relative path inside the work tree: no `..`, no `.`,
/// no empty components, not absolute, and not inside `.git`.
fn validate_root(root: &str) -> Result<String, String> {
    let trimmed = root.trim_end_matches('/');
    if trimmed.is_empty() || trimmed == "." {
        return Err("must name a folder, such as \"docs\"".to_owned());
    }
    if trimmed.contains('\\') {
        return Err(format!(
            "{root:?} contains a backslash; separate folders with `/`, such as \"site/docs\""
        ));
    }
    if trimmed.chars().any(char::is_control) {
        return Err(format!("{root:?} contains a control character"));
    }
    if trimmed.starts_with('/') || Path::new(trimmed).is_absolute() {
        return Err(format!(
            "{root:?} is absolute; give a path relative to the repository root, such as \"docs\""
        ));
    }
    for part in trimmed.split('/') {
        match part {
            "" | "." => return Err(format!("{root:?} has an empty or `.` component")),
            ".." => {
                return Err(format!(
                    "{root:?} leaves the work tree; pages must stay inside it"
                ))
            }
            // Case-insensitive file systems (macOS, Windows) take `.GIT` for `.git`.
            part if part.eq_ignore_ascii_case(".git") => {
                return Err(format!("{root:?} is inside .git"))
            }
            _ => {}
        }
    }
    Ok(trimmed.to_owned())
}

fn glob_set(globs: &[String]) -> Result<GlobSet, String> {
    let mut builder = GlobSetBuilder::new();
    for glob in globs {
        let parsed = globset::GlobBuilder::new(glob)
            .literal_separator(true)
            .build()
            .map_err(|err| format!("glob {glob:?} does not parse: {}", err.kind()))?;
        builder.add(parsed);
    }
    builder.build().map_err(|err| err.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Config, String> {
        Config::parse(text, Path::new("docdex.toml")).map_err(|e| e.to_string())
    }

    #[test]
    fn defaults_when_empty() {
        let config = parse("").unwrap();
        assert_eq!(config.root, "docs");
        assert_eq!(config.max_identifiers, 100);
        assert_eq!(config.pages, KindSet::defaults());
    }

    #[test]
    fn unknown_key_is_named() {
        let err = parse("rooot = \"x\"\n").unwrap_err();
        assert!(err.contains("rooot"), "{err}");
        assert!(err.contains("docdex.toml"), "{err}");
        assert!(!err.contains('\n'), "{err}");
    }

    #[test]
    fn bad_values() {
        assert!(parse("root = \"../x\"")
            .unwrap_err()
            .contains("leaves the work tree"));
        assert!(parse("root = \"/abs\"").unwrap_err().contains("absolute"));
        assert!(parse("root = \"x/.GiT/y\"")
            .unwrap_err()
            .contains("inside .git"));
        assert!(parse("root = \"site\\\\docs\"")
            .unwrap_err()
            .contains("backslash"));
        assert!(parse("root = \"do\\u001bcs\"")
            .unwrap_err()
            .contains("control character"));
        assert!(parse("root = 3").unwrap_err().contains("line 1"));
        assert!(parse("include = [\"a/{b\"]")
            .unwrap_err()
            .contains("include"));
        assert!(parse("pages = [\"kw\"]").unwrap_err().contains("kw"));
        assert!(parse("max_identifiers = 0")
            .unwrap_err()
            .contains("max_identifiers"));
        assert!(parse("root = [").is_err());
    }

    #[test]
    fn pages_subset() {
        let config = parse("pages = [\"keyword\", \"global\"]\nroot = \"site/pages/\"").unwrap();
        assert!(config.pages.contains(KindId::by_name("keyword").unwrap()));
        assert!(!config.pages.contains(KindId::by_name("folder").unwrap()));
        assert_eq!(config.root, "site/pages");
    }
}
