//! The closing lines of a human (and GitHub log) report: a table of the findings by
//! kind and status, then what was fixed, or how many pages need an update and what to
//! do about it.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{self, Write};

use rayon::prelude::*;

use super::model::{
    cause, group_of, kind_name, row_changes, Cause, Counts, DiffChoice, Finding, IndexKind, Mode,
    RunReport, Status, Verdict,
};
use crate::quote;
use crate::words::count;

/// Writes the closing lines of `report`.
pub(crate) fn write(out: &mut dyn Write, report: &RunReport) -> io::Result<()> {
    unnamed_line(out, &report.result.unnamed)?;
    let verdict = &report.result.verdict;
    let counts = Counts::of(verdict);
    let checked = verdict.pages_checked;
    match (report.outcome, report.hint()) {
        (Some(outcome), _) if counts.total() > 0 => fix_lines(out, report, outcome),
        (_, Some(hint)) => writeln!(
            out,
            "docdex: {} of {} {} an update ({}); {hint}{}",
            counts.total(),
            pages(checked),
            if counts.total() == 1 { "needs" } else { "need" },
            counts.breakdown(),
            foreign_note(verdict.left_alone.len(), report.style.diffs)
        ),
        _ => match (report.result.plan.changed, checked) {
            (Some(changed), 0) => {
                writeln!(out, "docdex: {}", nothing_to_check(report.mode, changed))
            }
            _ => writeln!(
                out,
                "docdex: {} fresh ({}){}",
                pages(checked),
                report.mode.describe_scope(report.result.documents),
                foreign_note(verdict.left_alone.len(), report.style.diffs)
            ),
        },
    }
}

/// Why an incremental check that touched `changed` files had no page to check.
fn nothing_to_check(mode: &Mode, changed: usize) -> String {
    let what = match mode {
        Mode::Staged => "staged",
        _ => "changed",
    };
    match (changed, mode) {
        (0, Mode::Base { base, head }) => {
            format!("nothing changed from the merge-base of {base} to {head}")
        }
        (0, _) => format!("nothing {what}"),
        _ => format!(
            "nothing to check: {} {what}, none a document or a page",
            count(changed, "file")
        ),
    }
}

/// Documents left out because their names are not UTF-8, named once each.
fn unnamed_line(out: &mut dyn Write, unnamed: &[String]) -> io::Result<()> {
    if unnamed.is_empty() {
        return Ok(());
    }
    let what = match unnamed.len() {
        1 => "1 document whose name is".to_owned(),
        n => format!("{n} documents whose names are"),
    };
    writeln!(
        out,
        "docdex: left out {what} not UTF-8, which no page can link to: {} (rename, or exclude in docdex.toml)",
        quoted_list(unnamed)
    )
}

/// `; N hand-written files at page paths left alone`, or nothing; the default report,
/// which does not list them, says where they are listed.
fn foreign_note(left_alone: usize, diffs: DiffChoice) -> String {
    let listed_elsewhere = if diffs == DiffChoice::Stale {
        " (--no-diff lists them)"
    } else {
        ""
    };
    match left_alone {
        0 => String::new(),
        1 => format!("; 1 hand-written file at a page path left alone{listed_elsewhere}"),
        n => format!("; {n} hand-written files at page paths left alone{listed_elsewhere}"),
    }
}

fn fix_lines(
    out: &mut dyn Write,
    report: &RunReport,
    outcome: &crate::fix::FixOutcome,
) -> io::Result<()> {
    let options = report.fix.unwrap_or_default();
    if report.style.verbose {
        for page in &outcome.written {
            writeln!(out, "wrote {}", quote::path(page))?;
        }
        for page in &outcome.removed {
            writeln!(out, "deleted {}", quote::path(page))?;
        }
    }
    let written: BTreeSet<&str> = outcome.written.iter().map(String::as_str).collect();
    for finding in &report.result.verdict.findings {
        if let (Some(reason), true) = (&finding.ignored, written.contains(finding.page.as_str())) {
            writeln!(
                out,
                "docdex: wrote {}, but git ignores that path by {}, so the page will never be committed",
                quote::path(&finding.page),
                quote::text(reason)
            )?;
        }
    }
    let fixed = outcome.fixed.len();
    if !outcome.foreign.is_empty() {
        writeln!(
            out,
            "docdex: left {} alone where pages belong: {} (exclude them in docdex.toml, or rerun with --force to replace them)",
            count(outcome.foreign.len(), "hand-written file"),
            quoted_list(&outcome.foreign)
        )?;
    }
    if !outcome.kept.is_empty() {
        writeln!(
            out,
            "docdex: left {} alone because of unstaged edits that --fix would lose: {} (stage or discard the edits, or rerun with --force)",
            pages(outcome.kept.len()),
            quoted_list(&outcome.kept)
        )?;
    }
    let fixed_list = || quote::shell_list(outcome.fixed.iter().map(String::as_str));
    if options.stage {
        writeln!(out, "docdex: fixed and staged {}", pages(fixed))
    } else if options.staged && fixed > 0 && report.index == IndexKind::PartialCommit {
        writeln!(
            out,
            "docdex: fixed {} in the working tree; `git commit PATH` commits only the paths it names, so repeat the commit with these added to them:\n  {}",
            pages(fixed),
            fixed_list()
        )
    } else if options.staged && fixed > 0 {
        writeln!(
            out,
            "docdex: fixed {} in the working tree; the commit still carries the old ones, so stage them:\n  git add -A -- {}",
            pages(fixed),
            fixed_list()
        )
    } else {
        writeln!(
            out,
            "docdex: fixed {}{}",
            pages(fixed),
            written_and_deleted(outcome)
        )
    }
}

/// ` (3 written, 1 deleted)` when both happened, otherwise nothing.
fn written_and_deleted(outcome: &crate::fix::FixOutcome) -> String {
    match (outcome.written.len(), outcome.removed.len()) {
        (0, _) | (_, 0) => String::new(),
        (written, removed) => format!(" ({written} written, {removed} deleted)"),
    }
}

/// The stale findings counted by [`Cause`], a line each, when there are two or more
/// and some differ other than by rows added or removed (a first run's reorderings).
fn causes_line(verdict: &Verdict) -> Option<String> {
    let stale: Vec<&Finding> = verdict
        .findings
        .iter()
        .filter(|f| f.status == Status::Stale)
        .collect();
    if stale.len() < 2 {
        return None;
    }
    let causes: Vec<Cause> = stale
        .par_iter()
        .map(|finding| match cause(finding, &row_changes(finding)) {
            Cause::Sampled(_) => Cause::Sampled(0),
            other => other,
        })
        .collect();
    let mut counts: BTreeMap<Cause, usize> = BTreeMap::new();
    for cause in causes {
        *counts.entry(cause).or_default() += 1;
    }
    // Every stale page really changed: the words lines already say how.
    if counts.keys().all(|cause| *cause == Cause::Rows) {
        return None;
    }
    let width = counts.values().max().map_or(1, |n| n.to_string().len());
    let mut lines = "stale pages by cause:".to_owned();
    for (cause, n) in counts {
        lines.push_str(&format!("\n  {n:>width$}  {}", cause.words("row")));
    }
    Some(lines)
}

/// A table of findings by page kind and status, when they are of more than one kind
/// or status: the shape of a large report at a glance; then the stale pages by cause.
pub(crate) fn table(out: &mut dyn Write, verdict: &Verdict) -> io::Result<()> {
    cells_table(out, verdict)?;
    if let Some(line) = causes_line(verdict) {
        writeln!(out, "{line}")?;
    }
    Ok(())
}

fn cells_table(out: &mut dyn Write, verdict: &Verdict) -> io::Result<()> {
    let mut cells: BTreeMap<(usize, Status), usize> = BTreeMap::new();
    let mut names: BTreeMap<usize, &str> = BTreeMap::new();
    for finding in &verdict.findings {
        let group = group_of(&finding.role);
        *cells.entry((group, finding.status)).or_default() += 1;
        names.insert(group, kind_name(&finding.role));
    }
    if cells.len() < 2 {
        return Ok(());
    }
    let statuses: BTreeSet<Status> = cells.keys().map(|&(_, status)| status).collect();
    let width = names
        .values()
        .map(|name| name.len())
        .max()
        .unwrap_or(0)
        .max("total".len());
    let mut line = format!("{:width$}", "");
    for status in &statuses {
        line.push_str(&format!("  {:>8}", status.word()));
    }
    writeln!(out, "{}", line.trim_end())?;
    let mut totals: BTreeMap<Status, usize> = BTreeMap::new();
    for (group, name) in &names {
        let mut line = format!("{name:width$}");
        for status in &statuses {
            let n = cells.get(&(*group, *status)).copied().unwrap_or(0);
            *totals.entry(*status).or_default() += n;
            line.push_str(&format!(
                "  {:>8}",
                if n == 0 {
                    "-".to_owned()
                } else {
                    n.to_string()
                }
            ));
        }
        writeln!(out, "{line}")?;
    }
    if names.len() > 1 {
        let mut line = format!("{:width$}", "total");
        for status in &statuses {
            line.push_str(&format!(
                "  {:>8}",
                totals.get(status).copied().unwrap_or(0)
            ));
        }
        writeln!(out, "{line}")?;
    }
    Ok(())
}

/// `1 page`, `2 pages`.
pub(crate) fn pages(n: usize) -> String {
    count(n, "page")
}

/// Paths as people read them (see [`quote::path`]), comma-separated.
fn quoted_list(paths: &[String]) -> String {
    paths
        .iter()
        .map(|p| quote::path(p))
        .collect::<Vec<_>>()
        .join(", ")
}
