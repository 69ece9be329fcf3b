//! The command line: clap derive structs and their help text. Nothing past parsing.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// The exit codes, as `(code, meaning)`: `--help` and the man page's EXIT STATUS.
pub const EXIT_CODES: [(&str, &str); 3] = [
    ("0", "every page is fresh (or was fixed)"),
    (
        "1",
        "findings: pages are stale, missing or orphaned (or fixed but not staged)",
    ),
    ("2", "error: bad usage, bad docdex.toml, or a git problem"),
];

/// The examples, as `(command, what it does)`: `--help` and the man page's EXAMPLES.
pub const EXAMPLES: [(&str, &str); 7] = [
    ("docdex check", "check every page against the working tree"),
    (
        "docdex check --fix",
        "write every stale or missing page, delete orphaned ones",
    ),
    (
        "docdex check --staged",
        "what a pre-commit hook runs: only what is staged",
    ),
    (
        "docdex check --staged --fix --stage",
        "fix staged pages and stage them, so the commit goes through",
    ),
    (
        "docdex check --base origin/main",
        "CI: pages that depend on what this branch changed",
    ),
    (
        "docdex show src/app.py",
        "print the keyword page docdex expects for a document",
    ),
    (
        "docdex install-hook",
        "make `git commit` run `docdex check --staged`",
    ),
];

/// A titled list of `(term, meaning)` pairs as `--help` shows it: terms in a column,
/// a term too long for it on a line of its own.
fn help_list(title: &str, items: &[(&str, &str)]) -> String {
    let width = items
        .iter()
        .map(|(term, _)| term.len())
        .filter(|&len| len <= 34)
        .max()
        .unwrap_or(0);
    let mut text = format!("{title}:");
    for (term, meaning) in items {
        if term.len() > width {
            text.push_str(&format!("\n  {term}\n  {:width$}  {meaning}", ""));
        } else {
            text.push_str(&format!("\n  {term:width$}  {meaning}"));
        }
    }
    text
}

fn main_after_help() -> String {
    format!(
        "{}\n\n{}",
        help_list("Examples", &EXAMPLES),
        help_list("Exit codes", &EXIT_CODES)
    )
}

/// Keeps generated documentation index pages in step with their documents.
///
/// docdex reads documents from git (the working tree, the index, or a commit),
/// regenerates in memory every index page that depends on them, and reports each
/// committed page that is stale, missing or orphaned with a unified diff.
#[derive(Debug, Parser)]
#[command(
    name = "docdex",
    version,
    arg_required_else_help = true,
    after_help = main_after_help(),
)]
pub struct Cli {
    /// Read this configuration instead of docdex.toml at the repository root.
    #[arg(
        long,
        global = true,
        value_name = "PATH",
        help_heading = "Global options"
    )]
    pub config: Option<PathBuf>,

    /// When to colour the output [auto: a terminal, unless NO_COLOR, CLICOLOR=0 or
    /// TERM=dumb; FORCE_COLOR or CLICOLOR_FORCE force it].
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN", help_heading = "Global options")]
    pub color: ColorChoice,

    /// Print nothing but errors: the exit code tells the verdict.
    #[arg(
        short,
        long,
        global = true,
        conflicts_with = "verbose",
        help_heading = "Global options"
    )]
    pub quiet: bool,

    /// Say more: with --fix, a `wrote` or `deleted` line for every page.
    #[arg(short, long, global = true, help_heading = "Global options")]
    pub verbose: bool,

    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Compare the committed pages with the pages their documents generate.
    #[command(after_help = main_after_help())]
    Check(CheckArgs),
    /// Print the page docdex expects for a document (its keyword page) or a page path.
    Show(ShowArgs),
    /// Install docdex as this repository's git pre-commit (or pre-push) hook.
    #[command(after_help = "\
The hook goes where git looks for hooks: core.hooksPath when it is set, otherwise the
hooks folder shared by every worktree of the repository. docdex replaces only a hook it
wrote itself (running it again is harmless); --force replaces any other hook.")]
    InstallHook(InstallHookArgs),
    /// Manage the page cache docdex keeps in the git directory.
    #[command(after_help = "\
`docdex check` remembers, in the repository's git directory (.git/docdex/), which page each
document rendered to, keyed only by content: the document's blob id, the names a page lists,
the configuration and docdex's own build. A page whose key is known and whose committed blob
matches is fresh without being read or rendered; every other page is checked in full. The
cache can only skip work that would have found a fresh page, never change a verdict.
`check --no-cache` ignores it for one run.")]
    Cache(CacheArgs),
    /// Print a shell completion script (bash, elvish, fish, powershell or zsh).
    #[command(after_help = "\
Install it where your shell looks for completions, for example:
  bash        docdex completions bash > docdex
              in ~/.local/share/bash-completion/completions/
  zsh         docdex completions zsh > _docdex
              in ~/.zfunc/, with fpath+=~/.zfunc before compinit
  fish        docdex completions fish > docdex.fish
              in ~/.config/fish/completions/
  elvish      docdex completions elvish >> ~/.config/elvish/rc.elv
  powershell  docdex completions powershell >> $PROFILE")]
    Completions(CompletionsArgs),
    /// Print the man page (roff) of docdex or of one of its subcommands.
    #[command(after_help = "\
Examples:
  docdex man | man -l -        read it now
  docdex man > docdex.1        then copy it into a man1 folder of MANPATH
  docdex man check             the page of one subcommand
  docdex man --dir man/man1    every page: docdex.1, docdex-check.1, ...")]
    Man(ManArgs),
}

/// `docdex man`.
#[derive(Debug, Args)]
pub struct ManArgs {
    /// The subcommand whose page to print; without it, the page of docdex itself.
    #[arg(value_name = "SUBCOMMAND", value_parser = ["check", "show", "install-hook", "cache", "completions", "man"])]
    pub subcommand: Option<String>,

    /// Write every page (docdex.1 and docdex-SUBCOMMAND.1) into DIR instead.
    #[arg(long, value_name = "DIR", conflicts_with = "subcommand")]
    pub dir: Option<std::path::PathBuf>,
}

/// `docdex install-hook`.
#[derive(Debug, Args)]
pub struct InstallHookArgs {
    /// Install the pre-push hook (`docdex check --base @{upstream}`) instead of pre-commit.
    #[arg(long)]
    pub pre_push: bool,

    /// Replace an existing hook that docdex did not write.
    #[arg(long)]
    pub force: bool,
}

/// `docdex cache`.
#[derive(Debug, Args)]
pub struct CacheArgs {
    /// What to do with the cache.
    #[command(subcommand)]
    pub action: CacheAction,
}

/// `docdex cache ACTION`.
#[derive(Debug, Subcommand)]
pub enum CacheAction {
    /// Remove the cache (the next check renders every page and writes it again).
    Clear,
}

/// `docdex completions`.
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete for.
    #[arg(value_enum, value_name = "SHELL")]
    pub shell: clap_complete::Shell,
}

/// `docdex check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Read documents and pages from the index and check only the pages that depend
    /// on what is staged against HEAD (for pre-commit hooks).
    #[arg(long, conflicts_with_all = ["base", "rev"])]
    pub staged: bool,

    /// Check only the pages that depend on what changed between merge-base(REV, head)
    /// and head, reading the head commit (for CI on branches and pull requests).
    #[arg(long, value_name = "REV", conflicts_with = "rev")]
    pub base: Option<String>,

    /// Run as the pre-commit framework's hook: a commit checks what is staged, a ref
    /// range (pre-push, --from-ref/--to-ref) what it changed, and --all-files, the
    /// manual stage or a run with nothing staged every page of the working tree.
    #[arg(long, conflicts_with_all = ["staged", "base", "rev"])]
    pub pre_commit: bool,

    /// The file names the pre-commit framework passes (with --pre-commit).
    #[arg(requires = "pre_commit", hide = true, value_name = "FILE")]
    pub files: Vec<String>,

    /// The head commit for --base.
    #[arg(long, value_name = "REV", requires = "base", default_value = "HEAD")]
    pub head: String,

    /// Check every page of one commit's tree.
    #[arg(long, value_name = "REV")]
    pub rev: Option<String>,

    /// Write every stale or missing page and delete every orphaned one in the working tree.
    #[arg(long, conflicts_with_all = ["base", "rev"])]
    pub fix: bool,

    /// With --staged --fix: also write the fixed pages into the index.
    #[arg(long, requires_all = ["fix", "staged"])]
    pub stage: bool,

    /// With --fix: overwrite pages even when they carry unstaged edits.
    #[arg(long, requires = "fix")]
    pub force: bool,

    /// Which findings the human report shows a diff for.
    #[arg(long, value_enum, value_name = "WHICH", default_value_t = DiffChoice::Stale)]
    pub diff: DiffChoice,

    /// Same as --diff none: a header and a line of words for every finding, no diffs.
    #[arg(long, conflicts_with = "diff")]
    pub no_diff: bool,

    /// Output format [default: github when GITHUB_ACTIONS=true, otherwise human].
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub format: Option<Format>,

    /// Write the report to FILE instead of standard output (whole, then renamed into
    /// place: a reader never sees half of it; a FIFO or device is written through, a
    /// symlink followed; `-` is standard output).
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Exit 0 even when pages need an update, as a step that uploads the report wants
    /// (errors still exit 2).
    #[arg(long)]
    pub exit_zero: bool,

    /// Check only shard K of N (1 ≤ K ≤ N): a stable 1/N of the pages by a hash of
    /// their path, so a CI matrix of N jobs covers every page exactly once.
    #[arg(long, value_name = "K/N", value_parser = parse_shard)]
    pub shard: Option<Shard>,

    /// Neither read nor update the page cache in the git directory: render every
    /// page. The cache never changes a verdict; this is for measuring, or for doubt.
    #[arg(long)]
    pub no_cache: bool,
}

/// `--format`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Headers, words and coloured diffs for people.
    Human,
    /// One JSON document (schema in the README).
    Json,
    /// GitHub Actions annotations, the human report, and a job summary.
    Github,
    /// SARIF 2.1.0 for code-scanning uploads.
    Sarif,
}

/// `--diff`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum DiffChoice {
    /// The first 20 stale pages; every other finding one line (at most 10 per kind and
    /// status, then a count), and a table of counts: a screen or two at any scale.
    Stale,
    /// A diff for every finding, a missing page's whole content included.
    All,
    /// No diffs: a header and a line of words for every finding.
    None,
}

/// `--shard K/N`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Shard {
    /// This shard, from 1.
    pub index: u32,
    /// How many shards there are.
    pub count: u32,
}

fn parse_shard(text: &str) -> Result<Shard, String> {
    let (k, n) = text
        .split_once('/')
        .ok_or_else(|| format!("`{text}` is not K/N, e.g. 1/4"))?;
    let parse = |s: &str| {
        s.trim()
            .parse::<u32>()
            .map_err(|_| format!("`{text}` is not K/N with whole numbers, e.g. 1/4"))
    };
    let (index, count) = (parse(k)?, parse(n)?);
    if count == 0 || index == 0 || index > count {
        return Err(format!(
            "`{text}`: K must be between 1 and N, e.g. 1/4 … 4/4"
        ));
    }
    Ok(Shard { index, count })
}

/// `docdex show`.
#[derive(Debug, Args)]
pub struct ShowArgs {
    /// A document (its keyword page is printed) or the path of a page.
    pub path: PathBuf,
}

/// `--color`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// Colour when stdout is a terminal, unless NO_COLOR, CLICOLOR=0 or TERM=dumb.
    Auto,
    /// Always colour.
    Always,
    /// Never colour.
    Never,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn stage_needs_staged_fix() {
        use clap::error::ErrorKind;
        let kind = |args: &[&str]| Cli::try_parse_from(args).map(|_| ()).map_err(|e| e.kind());
        // Each refusal is the rule it tests, not any parse error.
        let missing = Err(ErrorKind::MissingRequiredArgument);
        let conflict = Err(ErrorKind::ArgumentConflict);
        assert_eq!(kind(&["docdex", "check", "--stage"]), missing);
        assert_eq!(kind(&["docdex", "check", "--fix", "--stage"]), missing);
        assert_eq!(
            kind(&["docdex", "check", "--staged", "--fix", "--stage"]),
            Ok(())
        );
        assert_eq!(
            kind(&["docdex", "check", "--rev", "HEAD", "--fix"]),
            conflict
        );
        assert_eq!(kind(&["docdex", "check", "--head", "x"]), missing);
    }

    #[test]
    fn shards_parse() {
        assert_eq!(parse_shard("2/4"), Ok(Shard { index: 2, count: 4 }));
        assert!(parse_shard("0/4").is_err());
        assert!(parse_shard("5/4").is_err());
        assert!(parse_shard("1/0").is_err());
        assert!(parse_shard("x").is_err());
    }
}
