//! The report's model: what one run checked, found and fixed ([`RunReport`], built once
//! by `app`), and the words every format uses to say it. The format files read the run
//! through this module alone.

use crate::check::CheckResult;
pub(crate) use crate::cli::DiffChoice;
use crate::compare::Orphan;
pub(crate) use crate::compare::{Finding, Status, Verdict};
use crate::fix::{FixOptions, FixOutcome};
pub(crate) use crate::mode::{IndexKind, Mode};
pub(crate) use crate::pages::KINDS;
use crate::paths::{extension, name_of};
pub(crate) use crate::plan::Plan;
use crate::quote;
use crate::rows::changes;
pub(crate) use crate::rows::{rows, Row, RowChanges};
use crate::select::NotDocument;
pub(crate) use crate::select::PageRole;
pub(crate) use crate::source::blob_id;

/// Report settings decided once by the caller.
#[derive(Clone, Copy, Debug)]
pub struct ReportStyle {
    /// Colour the output.
    pub color: bool,
    /// Which findings get a diff.
    pub diffs: DiffChoice,
    /// Every written and deleted page named after `--fix`.
    pub verbose: bool,
}

/// One output format: how it writes a run's report (see `report::emitter`).
pub(crate) trait Emit {
    /// Writes `report` to `out`.
    fn write(&self, out: &mut dyn std::io::Write, report: &RunReport) -> std::io::Result<()>;
}

/// Everything one run's report shows, in any format.
pub(crate) struct RunReport<'a> {
    /// The mode the run checked in.
    pub mode: &'a Mode,
    /// Which index a staged run read.
    pub index: IndexKind,
    /// The check's plan, verdict and scope.
    pub result: &'a CheckResult,
    /// What `--fix` did, when it ran.
    pub outcome: Option<&'a FixOutcome>,
    /// How it fixed.
    pub fix: Option<FixOptions>,
    /// Colour and diffs (human and GitHub formats).
    pub style: ReportStyle,
    /// `--shard K/N` as (K, N).
    pub shard: Option<(u32, u32)>,
    /// How hints name docdex.
    pub program: &'a str,
}

impl RunReport<'_> {
    /// What to do about findings no `--fix` took care of: the same sentence in every
    /// format of the run. `None` when everything is fresh or `--fix` ran.
    pub(crate) fn hint(&self) -> Option<String> {
        let verdict = &self.result.verdict;
        if Counts::of(verdict).total() == 0 || self.outcome.is_some() {
            return None;
        }
        let pages: Vec<&str> = verdict.findings.iter().map(|f| f.page.as_str()).collect();
        let foreign_only = verdict.findings.iter().all(|f| f.status == Status::Foreign);
        Some(
            self.mode
                .fix_hint(self.index, &pages, foreign_only, self.program),
        )
    }
}

/// Findings in report order: grouped by page kind (keyword, folder, subtree, global,
/// then stray names), each group in byte order of page path.
pub(crate) fn ordered(findings: &[Finding]) -> Vec<&Finding> {
    let mut ordered: Vec<&Finding> = findings.iter().collect();
    ordered.sort_by_key(|f| (group_of(&f.role), f.page.as_str()));
    ordered
}

pub(crate) fn group_of(role: &PageRole) -> usize {
    match role {
        PageRole::Page(subject) => subject.kind.index(),
        PageRole::Stray | PageRole::PageOfPage => KINDS.len(),
    }
}

/// The kind of a finding's page, as reports name it.
pub(crate) fn kind_name(role: &PageRole) -> &'static str {
    match role {
        PageRole::Page(subject) => subject.kind.name(),
        PageRole::Stray | PageRole::PageOfPage => "stray",
    }
}

/// Why a stale page differs, where its two versions tell. On a first run over the old
/// generator's pages most differ only in order (its walk and hash-set order) or in
/// which identifiers it sampled.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Cause {
    /// The same lines in another order.
    Order,
    /// Only which identifiers were kept, of a document that has more than the old
    /// generator kept: the number kept on either side.
    Sampled(usize),
    /// Rows added or removed.
    Rows,
    /// The same rows; other lines differ.
    Other,
}

impl Cause {
    /// The cause in words, for `noun`s (`keyword`, `row`), as a summary table names it.
    pub(crate) fn words(self, noun: &str) -> String {
        match self {
            Cause::Order => format!("same {noun}s in another order"),
            Cause::Sampled(_) => "identifiers sampled differently".to_owned(),
            Cause::Rows => format!("{noun}s added or removed"),
            Cause::Other => format!("same {noun}s; other lines differ"),
        }
    }

    /// Its name in JSON.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Cause::Order => "order",
            Cause::Sampled(_) => "sampled",
            Cause::Rows => "rows",
            Cause::Other => "other",
        }
    }
}

/// How many identifiers the old generator kept of a document that had more: an
/// arbitrary 100, different on every run (docdex keeps the most frequent).
const OLD_GENERATOR_SAMPLE: usize = 100;

/// Why the stale `finding` differs, given its [`row_changes`].
pub(crate) fn cause(finding: &Finding, change: &RowChanges) -> Cause {
    if change.added.is_empty() && change.removed.is_empty() {
        let sorted = |text: &str| {
            let mut lines: Vec<&str> = text.lines().collect();
            lines.sort_unstable();
            lines.into_iter().map(str::to_owned).collect::<Vec<_>>()
        };
        return if sorted(&finding.committed_text()) == sorted(finding.expected_text()) {
            Cause::Order
        } else {
            Cause::Other
        };
    }
    let keyword_page = matches!(&finding.role, PageRole::Page(s) if s.kind.name() == "keyword");
    let only_identifiers = change
        .added
        .iter()
        .chain(&change.removed)
        .all(|row| row.section == "Identifiers");
    if keyword_page && only_identifiers && change.added.len() == change.removed.len() {
        let identifiers = |text: &str| {
            rows(text, finding.role.listed_sections())
                .iter()
                .filter(|row| row.section == "Identifiers")
                .count()
        };
        if identifiers(&finding.committed_text()) == OLD_GENERATOR_SAMPLE
            && identifiers(finding.expected_text()) == OLD_GENERATOR_SAMPLE
        {
            return Cause::Sampled(change.added.len());
        }
    }
    Cause::Rows
}

/// The rows added and removed from the committed page to the expected one.
pub(crate) fn row_changes(finding: &Finding) -> RowChanges {
    changes(
        &finding.committed_text(),
        finding.expected_text(),
        finding.role.listed_sections(),
    )
}

/// The documents a finding is about: a keyword page's document, or the documents whose
/// rows a folder, subtree or global page gains or loses (`change`, the finding's
/// [`row_changes`]; all of its rows when the page is missing or orphaned), in byte order.
pub(crate) fn documents(finding: &Finding, change: &RowChanges) -> Vec<String> {
    let subject = match &finding.role {
        PageRole::Page(subject) => subject,
        PageRole::Stray | PageRole::PageOfPage => return Vec::new(),
    };
    let labels: Vec<String> = match finding.status {
        Status::Stale => change
            .added
            .iter()
            .chain(&change.removed)
            .map(|row| row.label.clone())
            .collect(),
        Status::Missing | Status::Foreign => {
            rows(finding.expected_text(), finding.role.listed_sections())
                .into_iter()
                .map(|row| row.label)
                .collect()
        }
        Status::Orphaned => rows(&finding.committed_text(), finding.role.listed_sections())
            .into_iter()
            .map(|row| row.label)
            .collect(),
    };
    let mut docs = subject.rules().documents_of(&subject.key, labels);
    docs.sort();
    docs.dedup();
    docs
}

/// What the page belongs to, in words (the header's parenthesis), and that git ignores
/// its path when it does.
pub(crate) fn describe(finding: &Finding, plan: &Plan) -> String {
    let about = describe_subject(finding, plan);
    match &finding.ignored {
        Some(reason) => {
            let reason = quote::text(reason);
            format!(
                "{about}; git ignores this path by {reason}, so the page will never be committed"
            )
        }
        None => about,
    }
}

fn describe_subject(finding: &Finding, plan: &Plan) -> String {
    let subject = match &finding.role {
        PageRole::Page(subject) => subject,
        PageRole::Stray => return "a reserved page name that nothing generates".to_owned(),
        PageRole::PageOfPage => return PAGE_OF_PAGE.to_owned(),
    };
    let about = subject.rules().describe(&subject.key);
    let Some(orphan) = &finding.orphan else {
        return about;
    };
    let why = match orphan {
        Orphan::Gone => match plan.renames.get(&subject.key) {
            Some(to) => format!("renamed to {}", quote::path(to)),
            None => subject.rules().gone().to_owned(),
        },
        Orphan::PageOfPage | Orphan::NotDocument(NotDocument::Page) => PAGE_OF_PAGE.to_owned(),
        Orphan::NotDocument(NotDocument::SkippedFolder(dir)) => format!(
            "which is in a skipped folder ({})",
            quote::path(&format!("{dir}/"))
        ),
        Orphan::NotDocument(NotDocument::Undocumented) => {
            let name = name_of(&subject.key);
            match extension(name) {
                Some(ext) => format!(
                    "which is not a document: the format does not document {} files",
                    quote::text(ext)
                ),
                None => format!(
                    "which is not a document: the format does not document files named {}",
                    quote::path(name)
                ),
            }
        }
        Orphan::NotDocument(NotDocument::NotIncluded) => {
            "which `include` in the configuration does not select".to_owned()
        }
        Orphan::NotDocument(NotDocument::Excluded) => {
            "which `exclude` in the configuration excludes".to_owned()
        }
        Orphan::Stray => "a reserved page name that nothing generates".to_owned(),
    };
    format!("{about}, {why}")
}

/// The reason given for a page of a generated page (format.md, "Pages of pages").
const PAGE_OF_PAGE: &str = "a page of a generated page";

/// What to do about one finding, in one sentence: the run's hint (so every format of a
/// run says the same), or the foreign-file advice, which no `--fix` resolves.
pub(crate) fn next_step(status: Status, hint: Option<&str>) -> String {
    match hint {
        Some(hint) if status != Status::Foreign => {
            let mut chars = hint.chars();
            let first: String = chars
                .next()
                .map(|c| c.to_uppercase().collect())
                .unwrap_or_default();
            format!("{first}{}.", chars.as_str())
        }
        _ => advice(status).to_owned(),
    }
}

/// What to do about a finding of this status, in one sentence (rule help, and the
/// fallback of [`next_step`]).
pub(crate) fn advice(status: Status) -> &'static str {
    match status {
        Status::Stale | Status::Missing | Status::Orphaned => {
            "Run `docdex check --fix` and commit the result."
        }
        Status::Foreign => {
            "A hand-written file is where this page belongs: exclude it in docdex.toml, or run `docdex check --fix --force` to replace it."
        }
    }
}

/// Every status, in the order reports list them.
pub(crate) const STATUSES: [Status; 4] = [
    Status::Stale,
    Status::Missing,
    Status::Orphaned,
    Status::Foreign,
];

/// Counts for the summary line.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Counts {
    /// Stale pages.
    pub stale: usize,
    /// Missing pages.
    pub missing: usize,
    /// Orphaned pages.
    pub orphaned: usize,
    /// Hand-written files where a page is expected.
    pub foreign: usize,
}

impl Counts {
    /// Counts the findings of a verdict.
    pub(crate) fn of(verdict: &Verdict) -> Counts {
        let mut counts = Counts::default();
        for finding in &verdict.findings {
            match finding.status {
                Status::Stale => counts.stale += 1,
                Status::Missing => counts.missing += 1,
                Status::Orphaned => counts.orphaned += 1,
                Status::Foreign => counts.foreign += 1,
            }
        }
        counts
    }

    /// How many findings there are in all.
    pub(crate) fn total(&self) -> usize {
        self.stale + self.missing + self.orphaned + self.foreign
    }

    /// `1 stale, 2 missing` (zero counts left out).
    pub(crate) fn breakdown(&self) -> String {
        [
            (self.stale, "stale"),
            (self.missing, "missing"),
            (self.orphaned, "orphaned"),
            (self.foreign, "foreign"),
        ]
        .iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, word)| format!("{n} {word}"))
        .collect::<Vec<_>>()
        .join(", ")
    }
}
