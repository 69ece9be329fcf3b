//! The human report: a header per finding, what changed in words, and a unified diff
//! committed → expected with word-level colour. Writes to any `Write`; never exits.

use std::io::{self, Write};

use owo_colors::{OwoColorize, Style};
use rayon::prelude::*;
use similar::{ChangeTag, TextDiff};

use super::model::{
    cause, describe, group_of, kind_name, ordered, row_changes, rows, Cause, DiffChoice, Emit,
    Finding, PageRole, Plan, ReportStyle, Row, RunReport, Status, Verdict,
};
use super::summary;
use crate::quote;
use crate::words::count;

/// `--format human`: the findings, a table of counts, and the summary line.
pub(crate) struct Human;

impl Emit for Human {
    fn write(&self, out: &mut dyn Write, report: &RunReport) -> io::Result<()> {
        let (verdict, plan) = (&report.result.verdict, &report.result.plan);
        // After --fix the pages are as expected: `git diff` shows what changed.
        if report.outcome.is_none() {
            findings(out, verdict, plan, report.style)?;
            summary::table(out, verdict)?;
        }
        summary::write(out, report)
    }
}

/// How many labels a words line names before it says "and N more".
const LABELS_SHOWN: usize = 8;

/// The most lines a line diff compares once the pages' common first and last lines are
/// set aside. Myers' diff takes time proportional to these lines times the differences
/// among them: 16,000 reordered lines take about 0.5 s on the benchmark machine, 50,000
/// took 17 s. A bound on sizes, not a clock, so the report is the same on every machine.
pub(crate) const MAX_DIFF_LINES: usize = 16_000;

/// The most bytes of one change whose words are compared for colour emphasis.
const MAX_INLINE_BYTES: usize = 16 * 1024;

/// How many stale pages the default report shows a diff for.
const MAX_DIFFS: usize = 20;

/// How many lines of one diff the default report shows before it counts the changed
/// lines it leaves out (`--diff all` shows every line).
const DIFF_LINES_SHOWN: usize = 40;

/// How many one-line findings of one kind and status the default report lists before
/// it counts the rest.
const LINES_PER_GROUP: usize = 10;

impl ReportStyle {
    fn paint(&self, text: &str, style: Style) -> String {
        if self.color {
            text.style(style).to_string()
        } else {
            text.to_owned()
        }
    }
}

/// Writes the findings, grouped by page kind (keyword, folder, subtree, global, docs,
/// folder-docs, then stray names). With `--diff all` or `none`, one block per finding in
/// byte order of page path. By default a report that fits a screen or two at any
/// scale: per kind, the stale pages first with diffs for the first [`MAX_DIFFS`] of the
/// run, then one line per finding, at most [`LINES_PER_GROUP`] per kind and status and
/// a count of the rest.
pub(crate) fn findings(
    out: &mut dyn Write,
    verdict: &Verdict,
    plan: &Plan,
    style: ReportStyle,
) -> io::Result<()> {
    if style.diffs == DiffChoice::Stale {
        return compact(out, verdict, plan, style);
    }
    let ordered = ordered(&verdict.findings);
    // A missing page's words parse the whole page: made a chunk at a time on every
    // core, written in order.
    for chunk in ordered.chunks(512) {
        let lines: Vec<String> = chunk.par_iter().map(|f| words_line(f)).collect();
        for (finding, line) in chunk.iter().zip(lines) {
            header(out, finding, plan, style)?;
            writeln!(out, "  {line}")?;
            // A foreign file is not a version of the page: a diff against it is noise.
            if style.diffs == DiffChoice::All && finding.status != Status::Foreign {
                diff(out, finding, style, None)?;
            }
        }
    }
    left_alone(out, verdict, style)
}

/// The hand-written files at page paths nothing generates, one block each: not
/// findings, but a maintainer adopting docdex wants to see which files it skipped.
fn left_alone(out: &mut dyn Write, verdict: &Verdict, style: ReportStyle) -> io::Result<()> {
    for path in &verdict.left_alone {
        let word = style.paint("left alone", Style::new().dimmed().bold());
        let page = style.paint(&quote::path(path), Style::new().bold());
        writeln!(out, "{word} {page} (hand-written file at a page path)")?;
        writeln!(
            out,
            "  no generator line and nothing generates a page here: docdex never touches it"
        )?;
    }
    Ok(())
}

/// The default report (see [`findings`]).
fn compact(
    out: &mut dyn Write,
    verdict: &Verdict,
    plan: &Plan,
    style: ReportStyle,
) -> io::Result<()> {
    let mut findings = ordered(&verdict.findings);
    // Stable: within a kind and status, still in byte order of page path.
    findings.sort_by_key(|f| (group_of(&f.role), f.status));
    let mut diffs_left = MAX_DIFFS;
    for group in
        findings.chunk_by(|a, b| group_of(&a.role) == group_of(&b.role) && a.status == b.status)
    {
        let mut listed = 0;
        let mut unlisted = 0;
        for finding in group {
            if finding.status == Status::Stale && diffs_left > 0 {
                diffs_left -= 1;
                header(out, finding, plan, style)?;
                words(out, finding)?;
                diff(out, finding, style, Some(DIFF_LINES_SHOWN))?;
            } else if listed < LINES_PER_GROUP {
                listed += 1;
                header(out, finding, plan, style)?;
                // What a foreign file means and what to do is too important to leave out.
                if finding.status == Status::Foreign {
                    words(out, finding)?;
                }
            } else {
                unlisted += 1;
            }
        }
        if unlisted > 0 {
            let first = group[0];
            writeln!(
                out,
                "… and {unlisted} more {} {} pages (--no-diff lists every page, --format json gives everything)",
                first.status.word(),
                kind_name(&first.role),
            )?;
        }
    }
    Ok(())
}

fn status_style(status: Status) -> Style {
    match status {
        Status::Stale => Style::new().yellow().bold(),
        Status::Missing => Style::new().green().bold(),
        Status::Orphaned => Style::new().red().bold(),
        Status::Foreign => Style::new().magenta().bold(),
    }
}

fn header(
    out: &mut dyn Write,
    finding: &Finding,
    plan: &Plan,
    style: ReportStyle,
) -> io::Result<()> {
    let word = style.paint(finding.status.word(), status_style(finding.status));
    let page = style.paint(&quote::path(&finding.page), Style::new().bold());
    let about = describe(finding, plan);
    writeln!(out, "{word} {page} ({about})")
}

fn words(out: &mut dyn Write, finding: &Finding) -> io::Result<()> {
    writeln!(out, "  {}", words_line(finding))
}

/// What changed on a finding's page, in words: the keywords (or files, or entries)
/// added and removed, or what a missing or orphaned page means.
pub(crate) fn words_line(finding: &Finding) -> String {
    let noun = match &finding.role {
        PageRole::Page(subject) => subject.rules().row_noun(),
        _ => "row",
    };
    match finding.status {
        Status::Missing => {
            let rows = match (&finding.expected, finding.expected_rows) {
                (Some(page), _) => rows(page, finding.role.listed_sections()).len(),
                (None, Some(rows)) => rows,
                // Held without its bytes for a report that does not print this line.
                (None, None) => return "new page".to_owned(),
            };
            format!("new page with {}", count(rows, noun))
        }
        Status::Orphaned => "nothing generates this page: --fix deletes it".to_owned(),
        Status::Foreign => "a hand-written file (it lacks the generator's footer line) is where this page belongs; docdex leaves it alone: exclude it in docdex.toml, or rerun --fix with --force to replace it".to_owned(),
        Status::Stale => {
            let change = row_changes(finding);
            let why = cause(finding, &change);
            match why {
                Cause::Order | Cause::Other => why.words(noun),
                Cause::Sampled(n) => format!(
                    "{} sampled differently (the document has more than 100 and the page keeps 100: the most frequent, where the old generator kept an arbitrary 100)",
                    count(n, "identifier")
                ),
                Cause::Rows => {
                    let mut parts = Vec::new();
                    if !change.added.is_empty() {
                        parts.push(format!(
                            "{} added ({})",
                            count(change.added.len(), noun),
                            labels(&change.added, &finding.role)
                        ));
                    }
                    if !change.removed.is_empty() {
                        parts.push(format!(
                            "{} removed ({})",
                            count(change.removed.len(), noun),
                            labels(&change.removed, &finding.role)
                        ));
                    }
                    parts.join("; ")
                }
            }
        }
    }
}

/// The first rows' labels; a subtree index lists a document under two keys (its stem and
/// `files-EXT`), so there the key is named too.
fn labels(rows: &[Row], role: &PageRole) -> String {
    let keyed = matches!(role, PageRole::Page(subject) if subject.rules().rows_need_section());
    let mut shown: Vec<String> = rows
        .iter()
        .take(LABELS_SHOWN)
        .map(|row| match keyed {
            true => format!(
                "`{}` under `{}`",
                quote::text(&row.label),
                quote::text(&row.section)
            ),
            false => format!("`{}`", quote::text(&row.label)),
        })
        .collect();
    if rows.len() > LABELS_SHOWN {
        shown.push(format!("and {} more", rows.len() - LABELS_SHOWN));
    }
    shown.join(", ")
}

/// The `---`/`+++` names of a finding's diff (`/dev/null` for a side that is absent).
fn diff_names(finding: &Finding) -> (String, String) {
    let name = |present: bool, side: &str| match present {
        true => format!("{} ({side})", quote::path(&finding.page)),
        false => "/dev/null".to_owned(),
    };
    (
        name(finding.committed.is_some(), "committed"),
        name(finding.expected.is_some(), "expected"),
    )
}

/// Why a page pair is too different to diff quickly, or `None` when it is not: both
/// sides still have lines after the common first and last ones, more than
/// [`MAX_DIFF_LINES`] together. (One empty side is a cheap diff of any length.)
fn too_different(old: &str, new: &str) -> Option<String> {
    let old_lines: Vec<&str> = old.split_inclusive('\n').collect();
    let new_lines: Vec<&str> = new.split_inclusive('\n').collect();
    let head = old_lines
        .iter()
        .zip(&new_lines)
        .take_while(|(a, b)| a == b)
        .count();
    let tail = old_lines[head..]
        .iter()
        .rev()
        .zip(new_lines[head..].iter().rev())
        .take_while(|(a, b)| a == b)
        .count();
    let (old_rest, new_rest) = (old_lines.len() - head - tail, new_lines.len() - head - tail);
    (old_rest > 0 && new_rest > 0 && old_rest + new_rest > MAX_DIFF_LINES).then(|| {
        format!(
            "(no line diff: apart from {} common lines, the committed page's {old_rest} lines and the expected page's {new_rest} differ too widely to compare quickly; `docdex show` prints the expected page)\n",
            head + tail
        )
    })
}

/// The finding's unified diff committed → expected, without colour.
pub(super) fn plain_diff(finding: &Finding) -> String {
    let committed = finding.committed_text();
    let (old_name, new_name) = diff_names(finding);
    if let Some(why) = too_different(&committed, finding.expected_text()) {
        return format!(
            "--- {}\n+++ {}\n{why}",
            quote::text(&old_name),
            quote::text(&new_name)
        );
    }
    let diff = TextDiff::from_lines(committed.as_ref(), finding.expected_text())
        .unified_diff()
        .context_radius(3)
        .header(&old_name, &new_name)
        .to_string();
    // Page lines carry file names; keep each on its line and out of the terminal.
    diff.split_inclusive('\n')
        .map(|line| match line.strip_suffix('\n') {
            Some(body) => format!("{}\n", quote::text(body)),
            None => quote::text(line).into_owned(),
        })
        .collect()
}

/// Writes the finding's diff; with `cap`, its first `cap` lines and a count of the
/// changed lines left out.
fn diff(
    out: &mut dyn Write,
    finding: &Finding,
    style: ReportStyle,
    cap: Option<usize>,
) -> io::Result<()> {
    let lines = diff_lines(finding, style);
    let cap = cap.unwrap_or(usize::MAX);
    for line in lines.iter().take(cap) {
        writeln!(out, "{}", line.text)?;
    }
    let left_out = lines.iter().skip(cap).filter(|line| line.changed).count();
    if left_out > 0 {
        let lines = if left_out == 1 { "line" } else { "lines" };
        let note = format!("… {left_out} more changed {lines}; `--diff all` shows them");
        writeln!(out, "{}", style.paint(&note, Style::new().cyan()))?;
    }
    Ok(())
}

/// One line of a rendered diff, and whether it is a `-` or `+` line.
struct DiffLine {
    text: String,
    changed: bool,
}

/// The finding's unified diff committed → expected, line by line, coloured when
/// `style` says so.
fn diff_lines(finding: &Finding, style: ReportStyle) -> Vec<DiffLine> {
    if !style.color {
        let diff = plain_diff(finding);
        return diff
            .lines()
            .enumerate()
            .map(|(at, line)| DiffLine {
                changed: at >= 2 && (line.starts_with('-') || line.starts_with('+')),
                text: line.to_owned(),
            })
            .collect();
    }
    let line = |text: String, changed: bool| DiffLine { text, changed };
    let committed = finding.committed_text();
    let (old_name, new_name) = diff_names(finding);
    let mut lines = vec![
        line(format!("--- {old_name}").bold().to_string(), false),
        line(format!("+++ {new_name}").bold().to_string(), false),
    ];
    if let Some(why) = too_different(&committed, finding.expected_text()) {
        lines.push(line(why.trim_end().cyan().to_string(), false));
        return lines;
    }
    let diff = TextDiff::from_lines(committed.as_ref(), finding.expected_text());
    for group in diff.grouped_ops(3) {
        let (first, last) = (&group[0], &group[group.len() - 1]);
        let old = first.old_range().start..last.old_range().end;
        let new = first.new_range().start..last.new_range().end;
        let range = format!(
            "@@ -{} +{} @@",
            hunk_range(old.start, old.len()),
            hunk_range(new.start, new.len())
        );
        lines.push(line(range.cyan().to_string(), false));
        for op in &group {
            let bytes: usize = diff.iter_changes(op).map(|c| c.value().len()).sum();
            if bytes > MAX_INLINE_BYTES {
                // Word emphasis compares characters: too slow on a huge change.
                for change in diff.iter_changes(op) {
                    let (sign, line_style, _) = change_styles(change.tag());
                    let value = quote::text(change.value().trim_end_matches('\n'));
                    let text = format!("{}{}", sign.style(line_style), value.style(line_style));
                    lines.push(line(text, change.tag() != ChangeTag::Equal));
                    if change.missing_newline() {
                        lines.push(line("\\ No newline at end of file".to_owned(), false));
                    }
                }
                continue;
            }
            for change in diff.iter_inline_changes(op) {
                let (sign, line_style, emphasis) = change_styles(change.tag());
                let mut text = sign.style(line_style).to_string();
                for (emphasized, value) in change.iter_strings_lossy() {
                    let value = quote::text(value.trim_end_matches('\n'));
                    let value_style = if emphasized { emphasis } else { line_style };
                    text.push_str(&value.style(value_style).to_string());
                }
                lines.push(line(text, change.tag() != ChangeTag::Equal));
                if change.missing_newline() {
                    lines.push(line("\\ No newline at end of file".to_owned(), false));
                }
            }
        }
    }
    lines
}

/// The sign, line style and word-emphasis style of a diff line.
fn change_styles(tag: ChangeTag) -> (&'static str, Style, Style) {
    match tag {
        ChangeTag::Delete => ("-", Style::new().red(), Style::new().red().reversed()),
        ChangeTag::Insert => ("+", Style::new().green(), Style::new().green().reversed()),
        ChangeTag::Equal => (" ", Style::new(), Style::new()),
    }
}

/// A unified-diff range: `start,len` with git's conventions for empty and single lines.
fn hunk_range(start: usize, len: usize) -> String {
    match len {
        0 => format!("{start},0"),
        1 => format!("{}", start + 1),
        _ => format!("{},{len}", start + 1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::{BTreeMap, BTreeSet};

    fn finding(status: Status, committed: Option<&str>, expected: Option<&str>) -> Finding {
        Finding {
            status,
            page: "docs/a.py_kw.md".into(),
            role: PageRole::Page(crate::pages::PageSubject::new(
                &crate::pages::Keyword,
                "a.py",
            )),
            committed: committed.map(|c| c.as_bytes().to_vec()),
            orphan: (status == Status::Orphaned).then_some(crate::compare::Orphan::Gone),
            expected: expected.map(str::to_owned),
            expected_rows: None,
            ignored: None,
        }
    }

    fn render(findings: Vec<Finding>, color: bool) -> String {
        render_with(findings, color, DiffChoice::All)
    }

    fn render_with(findings: Vec<Finding>, color: bool, diffs: DiffChoice) -> String {
        let verdict = Verdict {
            findings,
            pages_checked: 1,
            left_alone: Vec::new(),
        };
        let plan = Plan {
            pages: BTreeSet::new(),
            renames: BTreeMap::new(),
            documents: 1,
            changed: None,
        };
        let mut out = Vec::new();
        self::findings(
            &mut out,
            &verdict,
            &plan,
            ReportStyle {
                color,
                diffs,
                verbose: false,
            },
        )
        .unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn stale_report_names_keywords_and_diffs() {
        let text = render(
            vec![finding(
                Status::Stale,
                Some("### Classs\n\n- **`Old`**: x\n"),
                Some("### Classs\n\n- **`New`**: x\n"),
            )],
            false,
        );
        assert!(
            text.starts_with("stale docs/a.py_kw.md (keyword page of a.py)\n"),
            "{text}"
        );
        assert!(
            text.contains("  1 keyword added (`New`); 1 keyword removed (`Old`)\n"),
            "{text}"
        );
        assert!(text.contains("--- docs/a.py_kw.md (committed)\n+++ docs/a.py_kw.md (expected)\n"));
        assert!(
            text.contains("\n-- **`Old`**: x\n+- **`New`**: x\n"),
            "{text}"
        );
    }

    #[test]
    fn the_default_report_caps_each_diff_and_all_shows_it_whole() {
        let old: String = (0..100).map(|i| format!("- **`Old{i}`**: x\n")).collect();
        let new: String = (0..100).map(|i| format!("- **`New{i}`**: x\n")).collect();
        let stale = || finding(Status::Stale, Some(&old), Some(&new));
        for color in [false, true] {
            let capped = render_with(vec![stale()], color, DiffChoice::Stale);
            // The header, the words line, then 40 lines of diff and the note.
            assert_eq!(capped.lines().count(), 2 + 40 + 1, "{capped}");
            assert!(
                capped.contains("… 163 more changed lines; `--diff all` shows them"),
                "{capped}"
            );
            let whole = render_with(vec![stale()], color, DiffChoice::All);
            assert_eq!(whole.lines().count(), 2 + 3 + 200, "{whole}");
            assert!(!whole.contains("more changed lines"));
        }
        // A diff that fits is not capped.
        let short = finding(
            Status::Stale,
            Some("- **`A`**: x\n"),
            Some("- **`B`**: x\n"),
        );
        assert!(!render_with(vec![short], false, DiffChoice::Stale).contains("…"));
    }

    #[test]
    fn colour_only_when_asked() {
        let f = || finding(Status::Missing, None, Some("x\n"));
        assert!(!render(vec![f()], false).contains('\u{1b}'));
        let coloured = render(vec![f()], true);
        assert!(coloured.contains('\u{1b}'));
        assert!(coloured.contains("@@ -0,0 +1 @@"));
    }

    #[test]
    fn pages_too_different_to_diff_quickly_get_a_plain_note() {
        let rows: Vec<String> = (0..MAX_DIFF_LINES).map(|i| format!("| r{i} |\n")).collect();
        let committed = format!("# head\n{}end\n", rows.concat());
        let reversed: Vec<&str> = rows.iter().rev().map(String::as_str).collect();
        let expected = format!("# head\n{}end\n", reversed.concat());
        let text = plain_diff(&finding(Status::Stale, Some(&committed), Some(&expected)));
        assert!(
            text.contains("no line diff: apart from 2 common lines, the committed page's 16000 lines and the expected page's 16000 differ too widely"),
            "{text}"
        );
        // Half as many rows are diffed as usual.
        let half = |rows: &[String]| rows[..MAX_DIFF_LINES / 2].concat();
        let small = plain_diff(&finding(
            Status::Stale,
            Some(&half(&rows)),
            Some(&half(&rows).replace("| r0 |", "| r0x |")),
        ));
        assert!(small.contains("-| r0 |\n+| r0x |\n"), "{small}");
        // A missing page of any length is a cheap diff: shown in full.
        let long = rows.concat().repeat(2);
        let missing = plain_diff(&finding(Status::Missing, None, Some(&long)));
        assert!(!missing.contains("no line diff"));
    }

    #[test]
    fn missing_final_newline_is_visible() {
        let text = render(
            vec![finding(Status::Stale, Some("a\nb"), Some("a\nb\n"))],
            false,
        );
        // The marker follows the line that lacks the newline, the committed `b`.
        assert!(
            text.contains("\n-b\n\\ No newline at end of file\n+b\n"),
            "{text}"
        );
    }
}
