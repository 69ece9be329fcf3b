//! `--format github`: workflow-command annotations (at most ten per kind, then a
//! notice), the human report for the log, and a markdown job summary kept under
//! GitHub's 1 MiB limit by truncating diffs, never the list of findings.

use std::io::{self, Write};

use super::{advice, describe, human, ordered, Counts, ReportStyle, STATUSES};
use crate::compare::Verdict;
use crate::plan::Plan;

/// Annotations shown per finding kind before the rest is left to the log.
pub const MAX_ANNOTATIONS_PER_KIND: usize = 10;
/// GitHub refuses a step summary over 1 MiB; stay clear of it.
pub const SUMMARY_LIMIT: usize = 1024 * 1024 - 16 * 1024;

/// Escapes the message part of a workflow command.
pub fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a property value (`file=`, `title=`) of a workflow command.
pub fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

/// Writes the annotations, then the human report (the job log).
pub fn write(
    out: &mut dyn Write,
    verdict: &Verdict,
    plan: &Plan,
    style: ReportStyle,
) -> io::Result<()> {
    let ordered = ordered(&verdict.findings);
    for status in STATUSES {
        let of_kind: Vec<_> = ordered.iter().filter(|f| f.status == status).collect();
        for finding in of_kind.iter().take(MAX_ANNOTATIONS_PER_KIND) {
            let title = format!("docdex: {} page", status.word());
            let message = format!(
                "{} ({}). {}",
                finding.page,
                describe(finding, plan),
                advice(status)
            );
            writeln!(
                out,
                "::error file={},title={}::{}",
                escape_property(&finding.page),
                escape_property(&title),
                escape_data(&message)
            )?;
        }
        if of_kind.len() > MAX_ANNOTATIONS_PER_KIND {
            writeln!(
                out,
                "::notice title={}::{}",
                escape_property("docdex: more findings"),
                escape_data(&format!(
                    "{} more {} pages are listed in the log.",
                    of_kind.len() - MAX_ANNOTATIONS_PER_KIND,
                    status.word()
                ))
            )?;
        }
    }
    human::findings(out, verdict, plan, style)
}

/// The markdown job summary: a table of every finding, then as many diffs as fit.
pub fn summary(verdict: &Verdict, plan: &Plan) -> String {
    let counts = Counts::of(verdict);
    let mut md = String::new();
    if counts.total() == 0 {
        md.push_str(&format!(
            "### docdex: {} pages fresh\n\n",
            verdict.pages_checked
        ));
        return md;
    }
    md.push_str(&format!(
        "### docdex: {} of {} pages need an update ({})\n\n",
        counts.total(),
        verdict.pages_checked,
        counts.breakdown()
    ));
    md.push_str("Run `docdex check --fix` and commit the pages it writes.\n\n");
    md.push_str("| status | page | what |\n|---|---|---|\n");
    let ordered = ordered(&verdict.findings);
    for finding in &ordered {
        md.push_str(&format!(
            "| {} | `{}` | {} |\n",
            finding.status.word(),
            finding.page.replace('|', "\\|").replace('`', "'"),
            describe(finding, plan).replace('|', "\\|")
        ));
    }
    md.push_str("\n<details><summary>Diffs</summary>\n\n");
    let closing = "\n</details>\n";
    let mut left_out = 0;
    for finding in &ordered {
        let diff = human::plain_diff(finding);
        let block = format!("```diff\n{}```\n\n", diff.replace("```", "`\u{200b}``"));
        if left_out > 0 || md.len() + block.len() + closing.len() + 200 > SUMMARY_LIMIT {
            left_out += 1;
            continue;
        }
        md.push_str(&block);
    }
    if left_out > 0 {
        md.push_str(&format!(
            "*{left_out} more diffs are left out to keep this summary under GitHub's 1 MiB limit; the job log has them all.*\n"
        ));
    }
    md.push_str(closing);
    md
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_follows_githubs_rules() {
        assert_eq!(escape_data("50% a\r\nb"), "50%25 a%0D%0Ab");
        assert_eq!(escape_property("a:b,c%"), "a%3Ab%2Cc%25");
    }
}
