//! `--format sarif`: SARIF 2.1.0 for code-scanning uploads, one result per finding up
//! to what GitHub keeps of a run, then one result per page kind and status counting
//! the rest.

use std::io::{self, Write};

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use serde_json::{json, Value};

use super::model::{
    advice, describe, group_of, kind_name, next_step, ordered, Emit, Finding, RunReport, Status,
    KINDS,
};

/// The results GitHub keeps of one run (it refuses a run of more than 25,000).
const MAX_RESULTS: usize = 5_000;

/// The most groups the findings past [`MAX_RESULTS`] can form: every status of every
/// page kind, stray names included.
const MAX_GROUPS: usize = 4 * (KINDS.len() + 1);

/// The findings reported one result each, and the rest by page kind and status (in
/// report order), so that the run stays within `cap` results.
fn within_cap(findings: Vec<&Finding>, cap: usize) -> (Vec<&Finding>, Vec<Vec<&Finding>>) {
    if findings.len() <= cap {
        return (findings, Vec::new());
    }
    let mut one_each = findings;
    let rest = one_each.split_off(cap - MAX_GROUPS.min(cap));
    let mut groups: Vec<Vec<&Finding>> = Vec::new();
    for finding in rest {
        let key = (group_of(&finding.role), finding.status);
        match groups
            .iter_mut()
            .find(|g| (group_of(&g[0].role), g[0].status) == key)
        {
            Some(group) => group.push(finding),
            None => groups.push(vec![finding]),
        }
    }
    (one_each, groups)
}

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
/// `--format sarif`.
pub(crate) struct Sarif;

impl Emit for Sarif {
    fn write(&self, out: &mut dyn Write, report: &RunReport) -> io::Result<()> {
        write(out, report)
    }
}

fn write(out: &mut dyn Write, report: &RunReport) -> io::Result<()> {
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
    let (one_each, groups) = within_cap(ordered(&verdict.findings), MAX_RESULTS);
    let mut results: Vec<Value> = one_each
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
                "locations": [location(&finding.page)],
                "partialFingerprints": {
                    "primaryLocationLineHash": fingerprint(&id, &finding.page),
                },
            })
        })
        .collect();
    results.extend(groups.iter().map(|group| group_result(group)));
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

/// The location of a result: the first line of `page`.
fn location(page: &str) -> Value {
    json!({
        "physicalLocation": {
            "artifactLocation": { "uri": artifact_uri(page), "uriBaseId": "%SRCROOT%" },
            "region": { "startLine": 1 },
        },
    })
}

/// One result standing for `group`'s findings (one page kind, one status), located at
/// its first page, with their number and pages in its properties.
fn group_result(group: &[&Finding]) -> Value {
    let first = group[0];
    let id = rule_id(first.status);
    let rule = RULES
        .iter()
        .position(|(s, ..)| *s == first.status)
        .unwrap_or(0);
    let kind = kind_name(&first.role);
    json!({
        "ruleId": id,
        "ruleIndex": rule,
        "level": "error",
        "message": {
            "text": format!(
                "{} more {} {kind} pages, from {} on: GitHub keeps {MAX_RESULTS} results of a run, so these are counted here. `docdex check --no-diff` lists every one; `--shard K/N` splits the check into runs small enough to list them.",
                group.len(), first.status.word(), first.page
            ),
        },
        "locations": [location(&first.page)],
        "partialFingerprints": {
            "primaryLocationLineHash": fingerprint(&id, &format!("{kind} pages past the cap")),
        },
        "properties": {
            "count": group.len(),
            "pages": group.iter().map(|f| f.page.as_str()).collect::<Vec<_>>(),
        },
    })
}

fn capitalise(word: &str) -> String {
    let mut chars = word.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pages::{Keyword, PageSubject};
    use crate::select::PageRole;

    fn finding(status: Status, page: String, role: PageRole) -> Finding {
        Finding {
            status,
            page,
            role,
            committed: None,
            expected: None,
            orphan: None,
            expected_rows: None,
            ignored: None,
        }
    }

    #[test]
    fn past_the_cap_findings_are_counted_by_kind_and_status() {
        let mut findings = Vec::new();
        for i in 0..200 {
            let subject = PageSubject::new(&Keyword, format!("m{i:03}.py"));
            let status = if i % 2 == 0 {
                Status::Missing
            } else {
                Status::Stale
            };
            findings.push(finding(
                status,
                format!("docs/m{i:03}.py_kw.md"),
                PageRole::Page(subject),
            ));
        }
        findings.push(finding(
            Status::Orphaned,
            "docs/a/keywords.md".into(),
            PageRole::Stray,
        ));
        let ordered = ordered(&findings);
        let (one_each, groups) = within_cap(ordered.clone(), 100);
        assert!(one_each.len() + groups.len() <= 100);
        assert_eq!(one_each.len(), 100 - MAX_GROUPS);
        let pages = |f: &[&Finding]| f.iter().map(|f| f.page.clone()).collect::<Vec<_>>();
        assert_eq!(pages(&one_each), pages(&ordered[..100 - MAX_GROUPS]));
        let counted: usize = groups.iter().map(Vec::len).sum();
        assert_eq!(
            one_each.len() + counted,
            findings.len(),
            "every finding is in the run"
        );
        assert_eq!(
            groups.len(),
            3,
            "stale, missing keyword pages and the stray one"
        );
        for group in &groups {
            assert!(group
                .iter()
                .all(|f| f.status == group[0].status
                    && group_of(&f.role) == group_of(&group[0].role)));
        }
        // Under the cap, one result each.
        let (all, none) = within_cap(ordered, 1000);
        assert_eq!((all.len(), none.len()), (201, 0));
    }
}
