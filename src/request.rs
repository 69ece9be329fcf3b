//! One resolved request, built once at the edge from the command line, the process's
//! environment and its terminals (as ripgrep's `HiArgs` or fd's `Config`). Past this
//! point nothing reads an environment variable or asks a stream what it is.

use std::path::PathBuf;

use crate::cli::{CheckArgs, Cli, ColorChoice, DiffChoice, Format};
use crate::compare::MissingPages;
use crate::error::Error;
use crate::fix::FixOptions;
use crate::mode::Mode;
use crate::precommit::{self, PreCommitRun};
use crate::report::ReportStyle;
use crate::source::GitEnvironment;
use crate::source::Repo;

/// What the process was started with besides its arguments, read once by `main`.
#[derive(Clone, Debug, Default)]
pub struct Environment {
    /// The directory docdex was started in.
    pub cwd: PathBuf,
    /// git's variables that choose the repository, work tree and index.
    pub git: GitEnvironment,
    /// `NO_COLOR` is set and not empty, `CLICOLOR=0`, or `TERM=dumb`.
    pub no_color: bool,
    /// `FORCE_COLOR` or `CLICOLOR_FORCE` is set to something other than `""` or `0`.
    pub force_color: bool,
    /// `GITHUB_ACTIONS=true`: running as a GitHub Actions step.
    pub github_actions: bool,
    /// `$GITHUB_STEP_SUMMARY`: where the step's markdown summary goes.
    pub step_summary: Option<PathBuf>,
    /// Whether standard output is a terminal.
    pub stdout_is_terminal: bool,
    /// Whether standard error is a terminal (the progress bar).
    pub stderr_is_terminal: bool,
    /// `PRE_COMMIT_FROM_REF` and `PRE_COMMIT_TO_REF`, both set: the pre-commit
    /// framework runs the hook on a ref range.
    pub pre_commit_range: Option<(String, String)>,
    /// Under the pre-commit framework, which keeps docdex off PATH: the path of the
    /// running program, shell-quoted, for hints to name instead of `docdex`.
    pub program_path: Option<String>,
}

/// Whether the environment asks for no colour: `NO_COLOR` set and not empty
/// (no-color.org), `CLICOLOR=0` (bixense.com/clicolors), or `TERM=dumb`.
///
/// Read here rather than through `anstyle-query` (in the tree through clap): its
/// `clicolor_force()` counts `CLICOLOR_FORCE=0` as forcing colour, where the convention
/// says 0 turns it off, and it does not know `FORCE_COLOR`, which CI systems set.
pub fn no_color(var: impl Fn(&str) -> Option<String>) -> bool {
    var("NO_COLOR").is_some_and(|v| !v.is_empty())
        || var("CLICOLOR").is_some_and(|v| v == "0")
        || var("TERM").is_some_and(|v| v == "dumb")
}

impl Environment {
    /// Whether to colour, from `--color` and these facts.
    pub fn color(&self, choice: ColorChoice) -> bool {
        match choice {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto if self.force_color => true,
            ColorChoice::Auto => self.stdout_is_terminal && !self.no_color,
        }
    }
}

/// Everything `docdex check` does, decided.
#[derive(Clone, Debug)]
pub struct CheckRequest {
    /// Which source is read and which pages are in scope.
    pub mode: Mode,
    /// How to fix, when `--fix` was given.
    pub fix: Option<FixOptions>,
    /// The output format.
    pub format: Format,
    /// Colour and diffs.
    pub style: ReportStyle,
    /// `--shard K/N` as (K, N).
    pub shard: Option<(u32, u32)>,
    /// Whether to use the page cache (no `--no-cache`).
    pub cache: bool,
    /// Whether a long run may draw a progress bar on standard error.
    pub progress: bool,
    /// Where the GitHub format appends its markdown summary.
    pub step_summary: Option<PathBuf>,
    /// Print nothing: the exit code tells.
    pub quiet: bool,
    /// Where the report goes instead of standard output.
    pub output: Option<PathBuf>,
    /// Findings do not fail the run.
    pub exit_zero: bool,
    /// Under `--pre-commit`, why the mode is what it is, for a line before the report.
    pub pre_commit_note: Option<String>,
    /// How hints name docdex.
    pub program: String,
    /// `--config PATH`, resolved against the starting directory.
    pub config: Option<PathBuf>,
}

impl CheckRequest {
    /// What the report needs of missing pages' bytes: a fix writes them, a diff of
    /// every finding prints them, JSON lists their rows and GitHub's summary diffs
    /// them; the default human report names them, `--no-diff` counts their rows.
    pub fn missing_pages(&self) -> MissingPages {
        match (self.fix, self.format, self.style.diffs) {
            (Some(_), ..) => MissingPages::Keep,
            (None, Format::Human, _) if self.quiet => MissingPages::Drop,
            (None, Format::Human, DiffChoice::Stale) | (None, Format::Sarif, _) => {
                MissingPages::Drop
            }
            (None, Format::Human, DiffChoice::None) => MissingPages::RowCount,
            _ => MissingPages::Keep,
        }
    }

    /// Whether `--fix` of the working tree writes each page as it is found, holding none
    /// of them (a first adoption writes thousands): only where the report needs no page
    /// bytes afterwards (the human report prints a summary line, `-q` nothing).
    pub fn fix_as_found(&self) -> Option<FixOptions> {
        self.fix
            .filter(|_| self.mode == Mode::WorkTree && (self.format == Format::Human || self.quiet))
    }

    /// Resolves `docdex check`'s arguments against the environment and the repository
    /// (under `--pre-commit`, what is staged decides the mode): once, and then read only.
    pub fn resolve(
        cli: &Cli,
        args: &CheckArgs,
        env: &Environment,
        repo: &Repo,
    ) -> Result<CheckRequest, Error> {
        let (color, quiet, verbose) = (cli.color, cli.quiet, cli.verbose);
        let pre_commit = args.pre_commit.then(|| PreCommitRun {
            range: env.pre_commit_range.clone(),
            files: args.files.clone(),
        });
        let (mode, pre_commit_note) = match &pre_commit {
            Some(run) => {
                let (mode, why) = precommit::choose(repo, run, args.fix)?;
                (mode, Some(format!("docdex: under pre-commit, {why}")))
            }
            None => (Self::mode_of(args), None),
        };
        let fix = args.fix.then(|| FixOptions {
            staged: mode.protects_unstaged_edits(),
            stage: args.stage,
            force: args.force,
        });
        let format = args.format.unwrap_or(if env.github_actions {
            Format::Github
        } else {
            Format::Human
        });
        // `-o -` is standard output, as for most tools that take a file name.
        let output = args
            .output
            .as_ref()
            .filter(|path| path.as_os_str() != "-")
            .map(|path| env.cwd.join(path));
        // A file is no terminal: `auto` colours only what goes to one.
        let color = match (color, &output) {
            (ColorChoice::Auto, Some(_)) if !env.force_color => false,
            _ => env.color(color),
        };
        Ok(CheckRequest {
            mode,
            fix,
            format,
            style: ReportStyle {
                color,
                diffs: if args.no_diff {
                    DiffChoice::None
                } else {
                    args.diff
                },
                verbose,
            },
            shard: args.shard.map(|s| (s.index, s.count)),
            cache: !args.no_cache,
            progress: env.stderr_is_terminal,
            step_summary: env.step_summary.clone(),
            quiet,
            output,
            exit_zero: args.exit_zero,
            // Said only where it cannot be mistaken for the report.
            pre_commit_note: pre_commit_note.filter(|_| format == Format::Human && !quiet),
            program: env
                .program_path
                .clone()
                .unwrap_or_else(|| "docdex".to_owned()),
            config: cli.config.as_ref().map(|path| env.cwd.join(path)),
        })
    }

    /// The mode the mode flags name.
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
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colour_is_refused_as_the_conventions_say() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |name: &str| {
                pairs
                    .iter()
                    .find(|(n, _)| *n == name)
                    .map(|(_, v)| (*v).to_owned())
            }
        };
        assert!(!no_color(env(&[])));
        assert!(no_color(env(&[("NO_COLOR", "1")])));
        assert!(!no_color(env(&[("NO_COLOR", "")])));
        assert!(no_color(env(&[("CLICOLOR", "0")])));
        assert!(!no_color(env(&[("CLICOLOR", "1")])));
        assert!(no_color(env(&[("TERM", "dumb")])));
        assert!(!no_color(env(&[("TERM", "xterm-256color")])));
    }

    #[test]
    fn colour_follows_the_choice_then_the_environment() {
        let terminal = Environment {
            stdout_is_terminal: true,
            ..Environment::default()
        };
        assert!(terminal.color(ColorChoice::Auto));
        assert!(!Environment::default().color(ColorChoice::Auto));
        let no_color = Environment {
            no_color: true,
            ..terminal.clone()
        };
        assert!(!no_color.color(ColorChoice::Auto));
        assert!(no_color.color(ColorChoice::Always));
        let forced = Environment {
            force_color: true,
            ..Environment::default()
        };
        assert!(forced.color(ColorChoice::Auto));
        assert!(!forced.color(ColorChoice::Never));
    }
}
