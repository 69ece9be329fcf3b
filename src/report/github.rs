//! `--format github`: workflow-command annotations (at most ten, shared among the
//! statuses, then a notice), the human report for the log, and a markdown job summary
//! kept under GitHub's 1 MiB limit: every finding that fits, then diffs while room is
//! left.

use std::io::{self, Write};

use rayon::prelude::*;

use super::model::{
    describe, next_step, ordered, Counts, Emit, Finding, Plan, RunReport, Status, STATUSES,
};
use super::{human, summary};
use crate::quote;

/// Error annotations GitHub shows per step; it drops the rest without a word.
pub(crate) const MAX_ANNOTATIONS: usize = 10;
/// GitHub refuses a step summary over 1 MiB; stay clear of it.
pub(crate) const SUMMARY_LIMIT: usize = 1024 * 1024 - 16 * 1024;
/// The least room worth a summary: the headline, the hint and a few rows.
const MIN_SUMMARY: usize = 16 * 1024;

/// Escapes the message part of a workflow command. GitHub decodes `%25`, `%0D` and
/// `%0A`; any other control character is percent-encoded too, so it reaches neither
/// the log nor the browser raw.
pub(crate) fn escape_data(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '%' => escaped.push_str("%25"),
            c if c.is_control() => {
                let mut bytes = [0; 4];
                for byte in c.encode_utf8(&mut bytes).bytes() {
                    escaped.push_str(&format!("%{byte:02X}"));
                }
            }
            c => escaped.push(c),
        }
    }
    escaped
}

/// Escapes a property value (`file=`, `title=`) of a workflow command.
pub(crate) fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

/// Writes the annotations, then the human report and its summary (the job log) with
/// workflow commands stopped: nothing a file name or page holds can start one.
/// `--format github`.
pub(crate) struct Github;

impl Emit for Github {
    fn write(&self, out: &mut dyn Write, report: &RunReport) -> io::Result<()> {
        write(out, report)
    }
}

fn write(out: &mut dyn Write, report: &RunReport) -> io::Result<()> {
    let (verdict, plan) = (&report.result.verdict, &report.result.plan);
    let hint = report.hint();
    let hint = hint.as_deref();
    // After --fix, only what it left (kept, foreign, failed) is worth an annotation.
    let remaining: Vec<&Finding> = ordered(&verdict.findings)
        .into_iter()
        .filter(|f| report.outcome.is_none_or(|o| !o.fixed.contains(&f.page)))
        .collect();
    let shown = annotated(&remaining);
    for finding in &shown {
        let title = format!("docdex: {} page", finding.status.word());
        let message = format!(
            "{} ({}). {}",
            quote::path(&finding.page),
            describe(finding, plan),
            next_step(finding.status, hint)
        );
        // A page named with the runner's legacy `##[` gets no file property, which is
        // printed raw; the message names it quoted.
        let file = match finding.page.contains("##[") {
            true => String::new(),
            false => format!("file={},", escape_property(&finding.page)),
        };
        writeln!(
            out,
            "::error {file}title={}::{}",
            escape_property(&title),
            escape_data(&quote::one_line(&message))
        )?;
    }
    let left = remaining.len() - shown.len();
    if left > 0 {
        let (noun, verb) = match left {
            1 => ("finding", "is"),
            _ => ("findings", "are"),
        };
        writeln!(
            out,
            "::notice title={}::{}",
            escape_property("docdex: more findings"),
            escape_data(&format!(
                "{left} more {noun} {verb} not annotated (GitHub shows {MAX_ANNOTATIONS} per step): see the job summary."
            ))
        )?;
    }
    let token = stop_token();
    writeln!(out, "::stop-commands::{token}")?;
    // As the human report: after --fix the pages are as expected (`git diff` shows it).
    if report.outcome.is_none() {
        human::findings(out, verdict, plan, report.style)?;
        summary::table(out, verdict)?;
    }
    summary::write(out, report)?;
    writeln!(out, "::{token}::")
}

/// The findings that get an annotation, at most [`MAX_ANNOTATIONS`] of `ordered`: the
/// places go round the statuses in order of importance (stale, missing, orphaned,
/// foreign), one at a time, so that no status hides another. They come back grouped
/// by status, each group in report order.
fn annotated<'f>(ordered: &[&'f Finding]) -> Vec<&'f Finding> {
    let mut groups: Vec<Vec<&Finding>> = STATUSES
        .iter()
        .map(|&status| {
            ordered
                .iter()
                .copied()
                .filter(|f| f.status == status)
                .collect()
        })
        .collect();
    let mut places = vec![0; groups.len()];
    let mut left = MAX_ANNOTATIONS;
    while left > 0 {
        let before = left;
        for (group, taken) in groups.iter().zip(places.iter_mut()) {
            if left > 0 && *taken < group.len() {
                *taken += 1;
                left -= 1;
            }
        }
        if left == before {
            break;
        }
    }
    groups
        .iter_mut()
        .zip(places)
        .flat_map(|(group, taken)| group.drain(..taken))
        .collect()
}

/// The token that ends `::stop-commands::`, random for every run: a pull request that
/// could predict it could name a file `::<token>::` and resume command processing.
/// (The one output that differs between runs; tests redact it.) The standard library's
/// hasher keys come from the operating system's random source.
fn stop_token() -> String {
    use std::hash::{BuildHasher, Hasher};
    let half = || {
        std::collections::hash_map::RandomState::new()
            .build_hasher()
            .finish()
    };
    format!("docdex-{:016x}{:016x}", half(), half())
}

/// The markdown job summary: a table of every finding, then as many diffs as fit.
pub(crate) fn summary(report: &RunReport, limit: usize) -> String {
    // Too little room left in the step's summary for even the headline: add nothing,
    // rather than push the file over the limit GitHub refuses whole.
    if limit < MIN_SUMMARY {
        return String::new();
    }
    let (verdict, plan) = (&report.result.verdict, &report.result.plan);
    let hint = report.hint();
    let hint = hint.as_deref();
    let counts = Counts::of(verdict);
    let mut md = String::new();
    if counts.total() == 0 {
        md.push_str(&format!(
            "### docdex: {} fresh\n\n",
            summary::pages(verdict.pages_checked)
        ));
        return md;
    }
    md.push_str(&format!(
        "### docdex: {} of {} {} an update ({})\n\n",
        counts.total(),
        summary::pages(verdict.pages_checked),
        if counts.total() == 1 { "needs" } else { "need" },
        counts.breakdown()
    ));
    if let Some(hint) = hint {
        md.push_str(&format!("{}\n\n", next_step(Status::Stale, Some(hint))));
    }
    md.push_str("| status | page | what | change |\n|---|---|---|---|\n");
    let ordered = ordered(&verdict.findings);
    // Every finding that fits: a summary over the limit is refused whole. The rows are
    // made a chunk at a time on every core (a missing page's words parse the page) and
    // added in order, so the bytes do not depend on the threads.
    let list_limit = limit - 8 * 1024;
    let mut listed = 0;
    'rows: for chunk in ordered.chunks(512) {
        let rows: Vec<String> = chunk.par_iter().map(|f| table_row(f, plan)).collect();
        for row in rows {
            if md.len() + row.len() > list_limit {
                break 'rows;
            }
            md.push_str(&row);
            listed += 1;
        }
    }
    if listed < ordered.len() {
        md.push_str(&format!(
            "\n*{} more findings are not listed, to keep this summary under GitHub's 1 MiB limit: `docdex check --no-diff` lists every one, `--format json` gives everything.*\n",
            ordered.len() - listed
        ));
    }
    md.push_str("\n<details><summary>Diffs</summary>\n\n");
    let closing = "\n</details>\n";
    let mut left_out = 0;
    for finding in &ordered {
        if left_out > 0 {
            left_out += 1;
            continue;
        }
        let diff = human::plain_diff(finding);
        let block = format!("```diff\n{}```\n\n", diff.replace("```", "`\u{200b}``"));
        if md.len() + block.len() + closing.len() + 200 > limit {
            left_out += 1;
            continue;
        }
        md.push_str(&block);
    }
    if left_out > 0 {
        md.push_str(&format!(
            "*{left_out} more diffs are left out to keep this summary under GitHub's 1 MiB limit; `docdex check --diff all` prints every one.*\n"
        ));
    }
    md.push_str(closing);
    md
}

/// One finding's row of the summary's table.
fn table_row(finding: &Finding, plan: &Plan) -> String {
    format!(
        "| {} | `{}` | {} | {} |\n",
        finding.status.word(),
        quote::path(&finding.page)
            .replace('|', "\\|")
            .replace('`', "'"),
        table_cell(&describe(finding, plan)),
        table_cell(&human::words_line(finding)),
    )
}

/// Text for a markdown table cell: one line, its pipes escaped.
fn table_cell(text: &str) -> String {
    quote::one_line(text).replace('|', "\\|")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_follows_githubs_rules() {
        assert_eq!(escape_data("50% a\r\nb"), "50%25 a%0D%0Ab");
        assert_eq!(escape_property("a:b,c%"), "a%3Ab%2Cc%25");
        assert_eq!(escape_data("x\u{1b}]52\u{7}\u{9b}"), "x%1B]52%07%C2%9B");
    }
}
