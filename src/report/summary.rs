//! The closing lines of a human (and GitHub log) report: what was fixed, or how many
//! pages need an update and what to do about it.

use std::io::{self, Write};

use super::{Counts, RunReport};
use crate::mode::IndexKind;
use crate::quote;
use crate::words::count;

/// Writes the closing lines of `report`.
pub(crate) fn write(out: &mut dyn Write, report: &RunReport) -> io::Result<()> {
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
            foreign_note(verdict.foreign_left_alone)
        ),
        _ => writeln!(
            out,
            "docdex: {} fresh ({}){}",
            pages(checked),
            report.mode.describe_scope(report.result.documents),
            foreign_note(verdict.foreign_left_alone)
        ),
    }
}

/// `; N hand-written files at page paths left alone`, or nothing.
fn foreign_note(left_alone: usize) -> String {
    match left_alone {
        0 => String::new(),
        1 => "; 1 hand-written file at a page path left alone".to_owned(),
        n => format!("; {n} hand-written files at page paths left alone"),
    }
}

fn fix_lines(
    out: &mut dyn Write,
    report: &RunReport,
    outcome: &crate::fix::FixOutcome,
) -> io::Result<()> {
    let options = report.fix.unwrap_or_default();
    for page in &outcome.written {
        writeln!(out, "wrote {}", quote::path(page))?;
    }
    for page in &outcome.removed {
        writeln!(out, "deleted {}", quote::path(page))?;
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
        writeln!(out, "docdex: fixed {}", pages(fixed))
    }
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
