//! `--format json`: one document with every finding, its content hashes and its row
//! changes, and totals. The schema is documented in the README; `version` changes
//! whenever a field changes meaning or disappears.

use std::io::{self, Write};

use serde::Serialize;

use super::model::{
    blob_id, cause, documents, kind_name, ordered, row_changes, Counts, Emit, Finding, Mode, Row,
    RunReport, Status,
};

/// The schema version of the JSON document.
pub(crate) const VERSION: u32 = 1;

#[derive(Serialize)]
struct Document<'a> {
    version: u32,
    mode: ModeJson<'a>,
    findings: Vec<FindingJson<'a>>,
    totals: Totals,
    /// Hand-written files at page paths nothing generates, left alone.
    left_alone: &'a [String],
    /// What to do about the findings (the human summary's hint).
    #[serde(skip_serializing_if = "Option::is_none")]
    hint: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    fix: Option<FixJson<'a>>,
}

#[derive(Serialize)]
struct ModeJson<'a> {
    name: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    base: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    head: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    rev: Option<&'a str>,
}

#[derive(Serialize)]
struct FindingJson<'a> {
    status: &'static str,
    kind: &'static str,
    page: &'a str,
    documents: Vec<String>,
    committed_hash: Option<String>,
    expected_hash: Option<String>,
    added: Vec<RowJson>,
    removed: Vec<RowJson>,
    cause: Option<&'static str>,
}

#[derive(Serialize)]
struct RowJson {
    section: String,
    label: String,
}

#[derive(Serialize)]
struct Totals {
    checked: usize,
    documents: usize,
    stale: usize,
    missing: usize,
    orphaned: usize,
    foreign: usize,
    foreign_left_alone: usize,
}

#[derive(Serialize)]
struct FixJson<'a> {
    written: &'a [String],
    removed: &'a [String],
    kept: &'a [String],
    foreign: &'a [String],
    staged: &'a [String],
}

fn rows(rows: Vec<Row>) -> Vec<RowJson> {
    rows.into_iter()
        .map(|row| RowJson {
            section: row.section,
            label: row.label,
        })
        .collect()
}

fn mode_json(mode: &Mode) -> ModeJson<'_> {
    let mut json = ModeJson {
        name: "",
        base: None,
        head: None,
        rev: None,
    };
    match mode {
        Mode::WorkTree => json.name = "worktree",
        Mode::Staged => json.name = "staged",
        Mode::Base { base, head } => {
            json.name = "base";
            json.base = Some(base);
            json.head = Some(head);
        }
        Mode::Rev(rev) => {
            json.name = "rev";
            json.rev = Some(rev);
        }
    }
    json
}

fn finding_json(finding: &Finding) -> FindingJson<'_> {
    let changes = row_changes(finding);
    FindingJson {
        status: finding.status.word(),
        kind: kind_name(&finding.role),
        page: &finding.page,
        documents: documents(finding, &changes),
        committed_hash: finding
            .committed
            .as_deref()
            .and_then(blob_id)
            .map(|id| id.to_string()),
        expected_hash: finding
            .expected
            .as_deref()
            .and_then(|e| blob_id(e.as_bytes()))
            .map(|id| id.to_string()),
        cause: (finding.status == Status::Stale).then(|| cause(finding, &changes).name()),
        added: rows(changes.added),
        removed: rows(changes.removed),
    }
}

/// Writes the JSON document (one line, then a newline).
/// `--format json`.
pub(crate) struct Json;

impl Emit for Json {
    fn write(&self, out: &mut dyn Write, report: &RunReport) -> io::Result<()> {
        write(out, report)
    }
}

fn write(out: &mut dyn Write, report: &RunReport) -> io::Result<()> {
    let verdict = &report.result.verdict;
    let documents = report.result.documents;
    let counts = Counts::of(verdict);
    let hint = report.hint();
    let document = Document {
        version: VERSION,
        mode: mode_json(report.mode),
        findings: ordered(&verdict.findings)
            .into_iter()
            .map(finding_json)
            .collect(),
        totals: Totals {
            checked: verdict.pages_checked,
            documents,
            stale: counts.stale,
            missing: counts.missing,
            orphaned: counts.orphaned,
            foreign: counts.foreign,
            foreign_left_alone: verdict.left_alone.len(),
        },
        left_alone: &verdict.left_alone,
        hint: hint.as_deref(),
        fix: report.outcome.map(|f| FixJson {
            written: &f.written,
            removed: &f.removed,
            kept: &f.kept,
            foreign: &f.foreign,
            staged: &f.staged,
        }),
    };
    serde_json::to_writer(&mut *out, &document)?;
    writeln!(out)
}
