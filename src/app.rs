//! The program's flow: resolve the command line into a request, read the source,
//! plan, compare, report, fix. Returns an exit status; never exits itself.

use std::io::{IsTerminal, Write};
use std::path::{Component, Path, PathBuf};

use clap::CommandFactory;

use crate::check::{check_with, corpus_of, CheckOptions, CheckResult};
use crate::cli::{CheckArgs, Cli, ColorChoice, Command, Format, ShowArgs};
use crate::compare::{Status, Verdict};
use crate::config::{Config, CONFIG_FILE};
use crate::error::Error;
use crate::fix::{apply, FixOptions, FixOutcome};
use crate::generate::Generator;
use crate::hook::{self, Installed};
use crate::pages::{Keyword, PageSubject};
use crate::quote;
use crate::report::{self, github, json, sarif, Counts, ReportStyle};
use crate::select::{PageRole, Selector};
use crate::source::{IndexKind, Mode, Repo};

/// How a run ended, mapped to the process exit code by `main`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExitStatus {
    /// Everything fresh, or fixed.
    Clean = 0,
    /// Findings remain.
    Findings = 1,
}

/// Runs the parsed command line from `cwd`, writing the report to `out`.
pub fn run(cli: &Cli, cwd: &Path, out: &mut dyn Write) -> Result<ExitStatus, Error> {
    match &cli.command {
        Command::Completions(args) => {
            clap_complete::generate(args.shell, &mut Cli::command(), "docdex", out);
            Ok(ExitStatus::Clean)
        }
        Command::InstallHook(args) => {
            let repo = Repo::discover(cwd)?;
            let (verb, path) = match hook::install(&repo, args.pre_push, args.force)? {
                Installed::Written(path) => ("installed", path),
                Installed::Unchanged(path) => ("already installed", path),
            };
            writeln!(out, "docdex: {verb} {}", path.display()).map_err(stdout_error)?;
            Ok(ExitStatus::Clean)
        }
        Command::Check(args) => {
            let repo = Repo::discover(cwd)?;
            let config = load_config(&repo, cli.config.as_deref(), cwd, &mode_of(args))?;
            let color = decide_color(cli.color, std::io::stdout().is_terminal());
            check_command(&repo, &config, args, color, out)
        }
        Command::Show(args) => {
            let repo = Repo::discover(cwd)?;
            let config = load_config(&repo, cli.config.as_deref(), cwd, &Mode::WorkTree)?;
            show_command(&repo, &config, args, cwd, out)
        }
    }
}

fn stdout_error(err: std::io::Error) -> Error {
    Error::io("<stdout>", err)
}

/// Colour from `--color`, `NO_COLOR`, `FORCE_COLOR`/`CLICOLOR_FORCE` and the terminal.
fn decide_color(choice: ColorChoice, terminal: bool) -> bool {
    let set = |name: &str| std::env::var_os(name).is_some_and(|v| !v.is_empty() && v != "0");
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto if set("FORCE_COLOR") || set("CLICOLOR_FORCE") => true,
        ColorChoice::Auto => terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
    }
}

/// The configuration of a run: `--config PATH` from disk, otherwise `docdex.toml` read
/// from the same source as the documents (SPEC §9), so a hook judges the staged
/// configuration and `--rev OLD` the configuration of that commit.
fn load_config(
    repo: &Repo,
    explicit: Option<&Path>,
    cwd: &Path,
    mode: &Mode,
) -> Result<Config, Error> {
    if let Some(path) = explicit {
        return Config::load(&cwd.join(path));
    }
    let origin = match mode {
        Mode::WorkTree => CONFIG_FILE.to_owned(),
        Mode::Staged => format!("{CONFIG_FILE} (staged)"),
        Mode::Base { head: rev, .. } | Mode::Rev(rev) => format!("{CONFIG_FILE} (at {rev})"),
    };
    match repo.root_file(mode, CONFIG_FILE)? {
        Some(bytes) => Config::from_bytes(bytes, Path::new(&origin)),
        None => Ok(Config::default()),
    }
}

fn mode_of(args: &CheckArgs) -> Mode {
    if args.staged {
        Mode::Staged
    } else if let Some(base) = &args.base {
        Mode::Base {
            base: base.clone(),
            head: args.head.clone(),
        }
    } else if let Some(rev) = &args.rev {
        Mode::Rev(rev.clone())
    } else {
        Mode::WorkTree
    }
}

fn check_command(
    repo: &Repo,
    config: &Config,
    args: &CheckArgs,
    color: bool,
    out: &mut dyn Write,
) -> Result<ExitStatus, Error> {
    let mode = mode_of(args);
    if matches!(mode, Mode::WorkTree | Mode::Staged) || args.fix {
        repo.workdir("check")?;
    }
    let format = args.format.unwrap_or_else(default_format);
    let options = CheckOptions {
        shard: args.shard.map(|s| (s.index, s.count)),
        progress: Some(&progress_bar),
    };
    let result = check_with(repo, config, &mode, &options)?;
    let verdict = &result.verdict;
    let counts = Counts::of(verdict);
    let fix_options = FixOptions {
        staged: args.staged,
        stage: args.stage,
        force: args.force,
    };
    let outcome = if args.fix && counts.total() > 0 {
        Some(apply(repo, &verdict.findings, fix_options)?)
    } else {
        None
    };
    let style = ReportStyle {
        color,
        diffs: !args.no_diff,
    };
    let written = (|| -> Result<(), Error> {
        match format {
            Format::Json => json::write(out, &mode, verdict, result.documents, outcome.as_ref())
                .map_err(stdout_error)?,
            Format::Sarif => sarif::write(out, verdict, &result.plan).map_err(stdout_error)?,
            Format::Human | Format::Github => {
                let mut summary = |out: &mut dyn Write| {
                    human_summary(
                        out,
                        &mode,
                        repo.index_kind(),
                        &result,
                        outcome.as_ref(),
                        fix_options,
                    )
                };
                if format == Format::Github {
                    github::write(out, verdict, &result.plan, style, &mut summary)
                        .map_err(stdout_error)?;
                    append_step_summary(&github::summary(verdict, &result.plan))?;
                } else {
                    report::human::findings(out, verdict, &result.plan, style)
                        .map_err(stdout_error)?;
                    summary(out).map_err(stdout_error)?;
                }
            }
        }
        out.flush().map_err(stdout_error)
    })();
    // A reader that stopped early (`docdex check | head`) is no error: the verdict stands.
    match written {
        Err(err) if !err.is_broken_pipe() => return Err(err),
        _ => {}
    }
    if let Some(outcome) = &outcome {
        if !outcome.failed.is_empty() {
            return Err(Error::Unfixed {
                count: outcome.failed.len(),
                reasons: outcome
                    .failed
                    .iter()
                    .map(|(_, why)| why.as_str())
                    .collect::<Vec<_>>()
                    .join("; "),
            });
        }
    }
    Ok(exit_status(&counts, outcome.as_ref(), fix_options))
}

/// `github` inside GitHub Actions, `human` everywhere else.
fn default_format() -> Format {
    if std::env::var_os("GITHUB_ACTIONS").is_some_and(|v| v == "true") {
        Format::Github
    } else {
        Format::Human
    }
}

/// A progress bar on stderr for long runs on a terminal; nothing otherwise.
fn progress_bar(pages: usize) -> Box<dyn Fn() + Sync> {
    const WORTH_SHOWING: usize = 2000;
    if pages < WORTH_SHOWING || !std::io::stderr().is_terminal() {
        return Box::new(|| {});
    }
    let bar = indicatif::ProgressBar::new(pages as u64);
    bar.set_style(
        indicatif::ProgressStyle::with_template("docdex: {bar:30} {pos}/{len} pages ({eta})")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    Box::new(move || {
        bar.inc(1);
        if bar.position() == bar.length().unwrap_or(0) {
            bar.finish_and_clear();
        }
    })
}

/// Appends the job summary to `$GITHUB_STEP_SUMMARY` when GitHub set it.
fn append_step_summary(markdown: &str) -> Result<(), Error> {
    let Some(path) = std::env::var_os("GITHUB_STEP_SUMMARY").filter(|p| !p.is_empty()) else {
        return Ok(());
    };
    let shown = PathBuf::from(&path).display().to_string();
    let mut file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&path)
        .map_err(|e| Error::io(&shown, e))?;
    file.write_all(markdown.as_bytes())
        .map_err(|e| Error::io(shown, e))
}

/// The exit status of a run from its findings and what fixing did.
fn exit_status(counts: &Counts, outcome: Option<&FixOutcome>, options: FixOptions) -> ExitStatus {
    match outcome {
        _ if counts.total() == 0 => ExitStatus::Clean,
        None => ExitStatus::Findings,
        Some(outcome) => {
            let unstaged = options.staged && !options.stage && !outcome.fixed.is_empty();
            if !outcome.kept.is_empty() || !outcome.foreign.is_empty() || unstaged {
                ExitStatus::Findings
            } else {
                ExitStatus::Clean
            }
        }
    }
}

/// The human closing lines: what was fixed, and the summary with what to do next.
fn human_summary(
    out: &mut dyn Write,
    mode: &Mode,
    index: IndexKind,
    result: &CheckResult,
    outcome: Option<&FixOutcome>,
    options: FixOptions,
) -> std::io::Result<()> {
    let counts = Counts::of(&result.verdict);
    let checked = result.verdict.pages_checked;
    match outcome {
        _ if counts.total() == 0 => writeln!(
            out,
            "docdex: {checked} pages fresh ({}){}",
            describe_scope(mode, result.documents),
            foreign_note(result.verdict.foreign_left_alone)
        ),
        None => writeln!(
            out,
            "docdex: {} of {checked} pages need an update ({}); {}{}",
            counts.total(),
            counts.breakdown(),
            fix_hint(mode, index, &result.verdict),
            foreign_note(result.verdict.foreign_left_alone)
        ),
        Some(outcome) => fix_summary(out, outcome, options, index),
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

fn describe_scope(mode: &Mode, documents: usize) -> String {
    match mode {
        Mode::WorkTree => format!("{documents} documents in the working tree"),
        Mode::Staged => format!("{documents} documents staged"),
        Mode::Base { base, head } => {
            format!("{documents} documents changed from the merge-base of {base} to {head}")
        }
        Mode::Rev(rev) => format!("{documents} documents in {rev}"),
    }
}

fn fix_hint(mode: &Mode, index: IndexKind, verdict: &Verdict) -> String {
    let foreign_only = !verdict.findings.is_empty()
        && verdict.findings.iter().all(|f| f.status == Status::Foreign);
    if foreign_only {
        return "exclude the hand-written files in docdex.toml, or rerun with --fix --force to replace them".to_owned();
    }
    match mode {
        Mode::WorkTree => "run `docdex check --fix` to write them".to_owned(),
        Mode::Staged => match index {
            IndexKind::Own => {
                "run `docdex check --staged --fix --stage` to fix and stage them".to_owned()
            }
            // The hook's index is thrown away when the commit fails: fix from the real one.
            IndexKind::CommitAll => "`git commit -a` stages tracked changes itself, so run `git add -u && docdex check --staged --fix --stage` and commit again".to_owned(),
            IndexKind::PartialCommit => format!(
                "`git commit PATH` commits only the paths it names, so run `docdex check --fix` and repeat the commit with the pages added to its paths: {}",
                page_list(verdict.findings.iter().map(|f| f.page.as_str()))
            ),
        },
        Mode::Base { head, .. } => {
            format!("run `docdex check --fix` in a checkout of {head} and commit the pages")
        }
        Mode::Rev(rev) => {
            format!("run `docdex check --fix` in a checkout of {rev} and commit the pages")
        }
    }
}

/// Shell-quoted page paths, space-separated.
fn page_list<'a>(pages: impl Iterator<Item = &'a str>) -> String {
    pages.map(shell_quote).collect::<Vec<_>>().join(" ")
}

fn fix_summary(
    out: &mut dyn Write,
    outcome: &FixOutcome,
    options: FixOptions,
    index: IndexKind,
) -> std::io::Result<()> {
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
            "docdex: left {} hand-written file(s) alone where pages belong: {} (exclude them in docdex.toml, or rerun with --force to replace them)",
            outcome.foreign.len(),
            quoted_list(&outcome.foreign)
        )?;
    }
    if !outcome.kept.is_empty() {
        writeln!(
            out,
            "docdex: left {} page(s) alone because they have unstaged edits that --fix would lose: {} (stage or discard the edits, or rerun with --force)",
            outcome.kept.len(),
            quoted_list(&outcome.kept)
        )?;
    }
    if options.stage {
        writeln!(out, "docdex: fixed and staged {fixed} page(s)")?;
    } else if options.staged && fixed > 0 && index == IndexKind::PartialCommit {
        writeln!(
            out,
            "docdex: fixed {fixed} page(s) in the working tree; `git commit PATH` commits only the paths it names, so repeat the commit with these added to them:\n  {}",
            page_list(outcome.fixed.iter().map(String::as_str))
        )?;
    } else if options.staged && fixed > 0 {
        writeln!(
            out,
            "docdex: fixed {fixed} page(s) in the working tree; the commit still carries the old ones, so stage them:\n  git add -A -- {}",
            page_list(outcome.fixed.iter().map(String::as_str))
        )?;
    } else {
        writeln!(out, "docdex: fixed {fixed} page(s)")?;
    }
    Ok(())
}

/// Paths as people read them (see [`quote::path`]), comma-separated.
fn quoted_list(paths: &[String]) -> String {
    paths
        .iter()
        .map(|p| quote::path(p))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Quotes a path for a POSIX shell when it needs it: `'…'`, or bash's `$'…'` with
/// escapes when it holds characters a terminal must not receive raw.
fn shell_quote(path: &str) -> String {
    if path
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b"/._-+".contains(&b))
    {
        path.to_owned()
    } else if quote::is_printable(path) {
        format!("'{}'", path.replace('\'', r"'\''"))
    } else {
        // bash reads `quote::path`'s C escapes inside `$'…'`.
        let quoted = quote::path(path);
        format!("$'{}'", quoted[1..quoted.len() - 1].replace('\'', "\\'"))
    }
}

fn show_command(
    repo: &Repo,
    config: &Config,
    args: &ShowArgs,
    cwd: &Path,
    out: &mut dyn Write,
) -> Result<ExitStatus, Error> {
    let workdir = repo.workdir("show")?;
    let path = repo_relative(workdir, cwd, &args.path)?;
    let selector = Selector::new(config);
    let snapshot = repo.worktree_snapshot()?;
    let corpus = corpus_of(&selector, &snapshot);
    let subject = if corpus.contains_document(&path) {
        PageSubject::new(&Keyword, path.clone())
    } else if let Some(PageRole::Page(subject)) = selector.page_role(&path) {
        subject
    } else {
        return Err(Error::Usage(format!(
            "{path} is neither a document nor a page docdex generates (documents are the files SPEC §2 selects: known extensions, outside skipped folders, kept by docdex.toml)"
        )));
    };
    let generator = Generator {
        config,
        corpus: &corpus,
    };
    let reader = snapshot.reader()?;
    let page = generator.expected(&subject, &reader)?.ok_or_else(|| {
        Error::Usage(format!(
            "{path}: nothing generates this page (its document or folder does not exist)"
        ))
    })?;
    out.write_all(page.as_bytes()).map_err(stdout_error)?;
    Ok(ExitStatus::Clean)
}

/// `path` (relative to `cwd`, or absolute) as a `/`-separated path relative to the
/// work tree, without touching the file system beyond resolving the two directories.
fn repo_relative(workdir: &Path, cwd: &Path, path: &Path) -> Result<String, Error> {
    let workdir = workdir
        .canonicalize()
        .map_err(|e| Error::io(workdir.display().to_string(), e))?;
    let cwd = cwd
        .canonicalize()
        .map_err(|e| Error::io(cwd.display().to_string(), e))?;
    let mut full = PathBuf::new();
    for component in cwd.join(path).components() {
        match component {
            Component::ParentDir => {
                full.pop();
            }
            Component::CurDir => {}
            other => full.push(other),
        }
    }
    let relative = full
        .strip_prefix(&workdir)
        .map_err(|_| Error::Usage(format!("{} is outside the repository", path.display())))?;
    let parts: Option<Vec<&str>> = relative
        .components()
        .map(|c| c.as_os_str().to_str())
        .collect();
    parts
        .map(|parts| parts.join("/"))
        .ok_or_else(|| Error::Usage(format!("{}: path is not valid UTF-8", path.display())))
}
