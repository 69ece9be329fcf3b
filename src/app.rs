//! The program's flow: resolve the command line into a request, read the source,
//! plan, compare, report, fix. Returns an exit status; never exits itself.

use std::io::Write;
use std::path::{Component, Path, PathBuf};

use clap::CommandFactory;

use crate::cache;
use crate::check::{check_with, corpus_of, CheckOptions};
use crate::cli::{CacheAction, Cli, Command, Format, ShowArgs};
use crate::config::{Config, CONFIG_FILE};
use crate::error::Error;
use crate::fix::{apply, FixOptions, FixOutcome};
use crate::generate::Generator;
use crate::hook::{self, Installed};
use crate::man;
use crate::mode::Mode;
use crate::output;
use crate::pages::{Keyword, PageSubject};
use crate::report::{self, github, Counts, RunReport};
use crate::request::{CheckRequest, Environment};
use crate::select::{PageRole, Selector};
use crate::source::Repo;
use crate::words;

/// How a run ended, mapped to the process exit code by `main`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExitStatus {
    /// Everything fresh, or fixed.
    Clean = 0,
    /// Findings remain.
    Findings = 1,
}

/// Runs the parsed command line in `env`, writing the report to `out`.
pub fn run(cli: &Cli, env: &Environment, out: &mut dyn Write) -> Result<ExitStatus, Error> {
    let cwd = env.cwd.as_path();
    match &cli.command {
        Command::Completions(args) => {
            clap_complete::generate(args.shell, &mut Cli::command(), "docdex", out);
            Ok(ExitStatus::Clean)
        }
        Command::Man(args) => {
            match &args.dir {
                Some(dir) => {
                    for path in man::write_all(&cwd.join(dir))? {
                        if !cli.quiet {
                            writeln!(out, "docdex: wrote {path}").map_err(stdout_error)?;
                        }
                    }
                }
                None => man::page(args.subcommand.as_deref(), out).map_err(stdout_error)?,
            }
            Ok(ExitStatus::Clean)
        }
        Command::InstallHook(args) => {
            let repo = Repo::discover(cwd, &env.git)?;
            let (verb, path) = match hook::install(&repo, args.pre_push, args.force)? {
                Installed::Written(path) => ("installed", path),
                Installed::Unchanged(path) => ("already installed", path),
            };
            if !cli.quiet {
                writeln!(out, "docdex: {verb} {}", path.display()).map_err(stdout_error)?;
            }
            Ok(ExitStatus::Clean)
        }
        Command::Cache(args) => match args.action {
            CacheAction::Clear => {
                let repo = Repo::discover(cwd, &env.git)?;
                let dir = cache::dir(repo.common_git_dir());
                let removed =
                    cache::clear(&dir).map_err(|e| Error::io(dir.display().to_string(), e))?;
                if !cli.quiet {
                    let line = match removed {
                        Some(bytes) => format!(
                            "docdex: removed the page cache {} ({})",
                            dir.display(),
                            words::bytes(bytes)
                        ),
                        None => format!("docdex: no page cache at {}", dir.display()),
                    };
                    writeln!(out, "{line}").map_err(stdout_error)?;
                }
                Ok(ExitStatus::Clean)
            }
        },
        Command::Check(args) => {
            let repo = Repo::discover(cwd, &env.git)?;
            let request = CheckRequest::resolve(cli, args, env, &repo)?;
            check_command(&repo, &request, out)
        }
        Command::Show(args) => {
            let repo = Repo::discover(cwd, &env.git)?;
            let explicit = cli.config.as_ref().map(|path| cwd.join(path));
            let config = load_config(&repo, explicit.as_deref(), &Mode::WorkTree)?;
            show_command(&repo, &config, args, cwd, out)
        }
    }
}

/// Renders the man page of docdex, or of one subcommand (`docdex-check(1)`), from the
/// same definitions as `--help`.
fn stdout_error(err: std::io::Error) -> Error {
    Error::io("<stdout>", err)
}

/// The configuration of a run: `--config PATH` from disk, otherwise `docdex.toml` read
/// from the same source as the documents (docs/guide.md, "Configuration"), so a hook judges the staged
/// configuration and `--rev OLD` the configuration of that commit.
fn load_config(repo: &Repo, explicit: Option<&Path>, mode: &Mode) -> Result<Config, Error> {
    if let Some(path) = explicit {
        return Config::load(path);
    }
    let origin = mode.name_file(CONFIG_FILE);
    match repo.root_file(mode, CONFIG_FILE)? {
        Some(bytes) => Config::from_bytes(bytes, Path::new(&origin)),
        None => Ok(Config::default()),
    }
}

fn check_command(
    repo: &Repo,
    request: &CheckRequest,
    out: &mut dyn Write,
) -> Result<ExitStatus, Error> {
    if let Some(note) = &request.pre_commit_note {
        writeln!(out, "{note}").map_err(stdout_error)?;
    }
    let mode = &request.mode;
    let config = &load_config(repo, request.config.as_deref(), mode)?;
    if mode.needs_work_tree(request.fix.is_some()) {
        repo.workdir("check")?;
    }
    let progress = |pages: usize| progress_bar(request.progress, pages);
    let options = CheckOptions {
        shard: request.shard,
        progress: Some(&progress),
        fix_as_found: request.fix_as_found(),
        missing_pages: request.missing_pages(),
        cache: request.cache,
    };
    let mut result = check_with(repo, config, mode, &options)?;
    let fixed = result.fixed.take();
    let verdict = &result.verdict;
    let counts = Counts::of(verdict);
    let outcome = match (fixed, request.fix) {
        _ if counts.total() == 0 => None,
        (Some(fixed), _) => Some(fixed),
        (None, Some(fix)) => Some(apply(repo, &verdict.findings, fix)?),
        (None, None) => None,
    };
    let report = RunReport {
        mode,
        index: repo.index_kind(),
        result: &result,
        outcome: outcome.as_ref(),
        fix: request.fix,
        style: request.style,
        shard: request.shard,
        program: &request.program,
    };
    if let Some(path) = &request.output {
        let mut bytes = Vec::new();
        report::write(&mut bytes, request.format, &report).map_err(stdout_error)?;
        output::write_report(path, &bytes)?;
    }
    let written = (|| -> Result<(), Error> {
        if !request.quiet && request.output.is_none() {
            report::write(out, request.format, &report).map_err(stdout_error)?;
        }
        if request.format == Format::Github {
            append_step_summary(request.step_summary.as_deref(), |limit| {
                github::summary(&report, limit)
            })?;
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
                    .map(|(_, why)| why.to_string())
                    .collect::<Vec<_>>()
                    .join("; "),
            });
        }
    }
    let status = exit_status(&counts, outcome.as_ref(), request.fix);
    crate::check::free_in_background(result);
    match status {
        ExitStatus::Findings if request.exit_zero => Ok(ExitStatus::Clean),
        status => Ok(status),
    }
}

/// A progress bar on stderr for long runs on a terminal; nothing otherwise.
fn progress_bar(allowed: bool, pages: usize) -> Box<dyn Fn() + Sync> {
    const WORTH_SHOWING: usize = 2000;
    if pages < WORTH_SHOWING || !allowed {
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

/// Appends the job summary to `$GITHUB_STEP_SUMMARY` when GitHub set it, made to fit
/// what the step's earlier commands left of GitHub's limit.
fn append_step_summary(
    path: Option<&Path>,
    summary: impl FnOnce(usize) -> String,
) -> Result<(), Error> {
    let Some(path) = path else {
        return Ok(());
    };
    let shown = path.display().to_string();
    let written = std::fs::metadata(path).map_or(0, |meta| meta.len() as usize);
    let markdown = summary(github::SUMMARY_LIMIT.saturating_sub(written));
    if markdown.is_empty() {
        return Ok(());
    }
    let mut file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .map_err(|e| Error::io(&shown, e))?;
    file.write_all(markdown.as_bytes())
        .map_err(|e| Error::io(shown, e))
}

/// The exit status of a run from its findings and what fixing did.
fn exit_status(
    counts: &Counts,
    outcome: Option<&FixOutcome>,
    options: Option<FixOptions>,
) -> ExitStatus {
    let options = options.unwrap_or_default();
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
    let corpus = corpus_of(&selector, &snapshot, None)?;
    // A page path means that page, even where the page is a document too (a content
    // page under the root); a document's own path means its keyword page.
    let keyword = PageSubject::new(&Keyword, path.clone());
    let subject = if let Some(PageRole::Page(subject)) = selector.page_role(&path) {
        subject
    } else if corpus.contains_document(&path) && config.pages.contains(keyword.kind) {
        keyword
    } else {
        let why = if corpus.contains_document(&path) {
            "is a document, but keyword pages are off in docdex.toml (`pages`): give the path of one of its pages of a kind that is on"
        } else if workdir.join(&path).exists() {
            "neither a document (a file with a known extension, outside skipped folders, kept by docdex.toml) nor a page docdex generates"
        } else {
            "no such file in the working tree, and no page docdex generates"
        };
        return Err(Error::NotShown { path, why });
    };
    let generator = Generator::new(config, &corpus);
    let reader = snapshot.reader()?;
    let page = generator
        .expected(&subject, &reader)?
        .ok_or(Error::NotShown {
            path,
            why: "nothing generates this page (its document or folder does not exist)",
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
    let relative = full.strip_prefix(&workdir).map_err(|_| Error::NotShown {
        path: path.display().to_string(),
        why: "outside the repository",
    })?;
    let parts: Option<Vec<&str>> = relative
        .components()
        .map(|c| c.as_os_str().to_str())
        .collect();
    parts
        .map(|parts| parts.join("/"))
        .ok_or_else(|| Error::NonUtf8Path(path.display().to_string()))
}
