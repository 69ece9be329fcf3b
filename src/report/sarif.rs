//! `--format sarif`: SARIF 2.1.0 for code-scanning uploads, one result per finding.

use std::io::{self, Write};

use serde_json::{json, Value};

use super::{advice, describe, next_step, ordered, RunReport};
use crate::compare::Status;

const RULES: [(Status, &str); 4] = [
    (
        Status::Stale,
        "The committed page differs from the page its documents generate.",
    ),
    (
        Status::Missing,
        "A document or folder generates this page, but it is not committed.",
    ),
    (
        Status::Orphaned,
        "The page is committed, but no document or folder generates it any more.",
    ),
    (
        Status::Foreign,
        "A hand-written file (without the generator's footer) is where a page is expected.",
    ),
];

/// Writes one SARIF log with one run.
pub(crate) fn write(out: &mut dyn Write, report: &RunReport) -> io::Result<()> {
    let (verdict, plan) = (&report.result.verdict, &report.result.plan);
    let hint = report.hint();
    let rules: Vec<Value> = RULES
        .iter()
        .map(|(status, text)| {
            json!({
                "id": format!("docdex/{}", status.word()),
                "name": format!("{}Page", capitalise(status.word())),
                "shortDescription": { "text": text },
                "help": { "text": advice(*status) },
                "defaultConfiguration": { "level": "error" },
            })
        })
        .collect();
    let results: Vec<Value> = ordered(&verdict.findings)
        .into_iter()
        .map(|finding| {
            let rule = RULES
                .iter()
                .position(|(s, _)| *s == finding.status)
                .unwrap_or(0);
            json!({
                "ruleId": format!("docdex/{}", finding.status.word()),
                "ruleIndex": rule,
                "level": "error",
                "message": {
                    "text": format!("{} page {} ({}). {}",
                        capitalise(finding.status.word()), finding.page, describe(finding, plan),
                        next_step(finding.status, hint.as_deref())),
                },
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": { "uri": finding.page, "uriBaseId": "%SRCROOT%" },
                        "region": { "startLine": 1 },
                    },
                }],
            })
        })
        .collect();
    let log = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "docdex",
                    "version": env!("CARGO_PKG_VERSION"),
                    "rules": rules,
                },
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
