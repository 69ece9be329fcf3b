//! `--format sarif`: SARIF 2.1.0 for code-scanning uploads, one result per finding.

use std::io::{self, Write};

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use serde_json::{json, Value};

use super::{advice, describe, next_step, ordered, RunReport};
use crate::compare::Status;

/// What each rule says: its short and full description.
const RULES: [(Status, &str, &str); 4] = [
    (
        Status::Stale,
        "The committed page differs from the page its documents generate.",
        "A generated page (keyword page, folder or subtree index, global file index, or documentation page) is committed, but its bytes differ from what docdex generates from the documents it depends on: a document was edited, added, renamed or removed without regenerating the page.",
    ),
    (
        Status::Missing,
        "A document or folder generates this page, but it is not committed.",
        "A document or folder in scope generates this page, but no file is committed at its path: the document or folder is new, or the page was deleted.",
    ),
    (
        Status::Orphaned,
        "The page is committed, but no document or folder generates it any more.",
        "A generated page is committed, but no document or folder in scope generates it any more: its document was removed, renamed or excluded.",
    ),
    (
        Status::Foreign,
        "A hand-written file (without the generator's footer) is where a page is expected.",
        "A file without the generator's footer line stands where docdex would write a page. docdex never replaces what it did not write; exclude the file in docdex.toml, or replace it with `docdex check --fix --force`.",
    ),
];

/// Characters an artifact URI keeps as they are: RFC 3986's unreserved ones and the
/// path separator. Everything else is percent-encoded (a space, `#`, `%`, `:`, and
/// every byte of a non-ASCII character).
const URI_ENCODED: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~')
    .remove(b'/');

/// The rule a status is reported under.
fn rule_id(status: Status) -> String {
    format!("docdex/{}", status.word())
}

/// A page path as a relative URI reference.
pub(crate) fn artifact_uri(page: &str) -> String {
    utf8_percent_encode(page, URI_ENCODED).to_string()
}

/// A finding's identity across runs, for code scanning to track it: the rule and the
/// page, hashed (GitHub would otherwise hash the page's first line, which a missing
/// page does not have).
fn fingerprint(rule: &str, page: &str) -> String {
    use sha2::{Digest, Sha256};
    let digest = Sha256::new()
        .chain_update(rule.as_bytes())
        .chain_update([0])
        .chain_update(page.as_bytes())
        .finalize();
    let hex: String = digest[..16].iter().map(|b| format!("{b:02x}")).collect();
    format!("{hex}:1")
}

/// Writes one SARIF log with one run.
pub(crate) fn write(out: &mut dyn Write, report: &RunReport) -> io::Result<()> {
    let (verdict, plan) = (&report.result.verdict, &report.result.plan);
    let hint = report.hint();
    let home = env!("CARGO_PKG_REPOSITORY");
    let rules: Vec<Value> = RULES
        .iter()
        .map(|(status, short, full)| {
            json!({
                "id": rule_id(*status),
                "name": format!("{}Page", capitalise(status.word())),
                "shortDescription": { "text": short },
                "fullDescription": { "text": full },
                "help": { "text": advice(*status), "markdown": advice(*status) },
                "helpUri": format!("{home}#readme"),
                "defaultConfiguration": { "level": "error" },
            })
        })
        .collect();
    let results: Vec<Value> = ordered(&verdict.findings)
        .into_iter()
        .map(|finding| {
            let rule = RULES
                .iter()
                .position(|(s, ..)| *s == finding.status)
                .unwrap_or(0);
            let id = rule_id(finding.status);
            json!({
                "ruleId": id,
                "ruleIndex": rule,
                "level": "error",
                "message": {
                    "text": format!("{} page {} ({}). {}",
                        capitalise(finding.status.word()), finding.page, describe(finding, plan),
                        next_step(finding.status, hint.as_deref())),
                },
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": {
                            "uri": artifact_uri(&finding.page),
                            "uriBaseId": "%SRCROOT%",
                        },
                        "region": { "startLine": 1 },
                    },
                }],
                "partialFingerprints": {
                    "primaryLocationLineHash": fingerprint(&id, &finding.page),
                },
            })
        })
        .collect();
    // Code scanning keeps one analysis per category: each shard of a matrix is its own.
    let category = match report.shard {
        Some((index, count)) => format!("docdex/shard-{index}-of-{count}/"),
        None => "docdex/".to_owned(),
    };
    let log = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "docdex",
                    "version": env!("CARGO_PKG_VERSION"),
                    "semanticVersion": env!("CARGO_PKG_VERSION"),
                    "informationUri": home,
                    "rules": rules,
                },
            },
            "automationDetails": { "id": category },
            "originalUriBaseIds": {
                "%SRCROOT%": { "description": { "text": "The root of the repository's work tree." } },
            },
            "results": results,
            "properties": { "hint": hint },
        }],
    });
    serde_json::to_writer_pretty(&mut *out, &log)?;
    writeln!(out)
}

fn capitalise(word: &str) -> String {
    let mut chars = word.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}
