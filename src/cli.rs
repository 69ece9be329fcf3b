//! The command line: clap derive structs and their help text. Nothing past parsing.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

const EXIT_CODES: &str = "\
Exit codes:
  0  every page is fresh (or was fixed)
  1  findings: pages are stale, missing or orphaned (or fixed but not staged)
  2  error: bad usage, bad docdex.toml, or a git problem";

const EXAMPLES: &str = "\
Examples:
  docdex check                      check every page against the working tree
  docdex check --fix                write every stale or missing page, delete orphaned ones
  docdex check --staged             what a pre-commit hook runs: only what is staged
  docdex check --staged --fix --stage
                                    fix staged pages and stage them, so the commit goes through
  docdex check --base origin/main   CI: pages that depend on what this branch changed
  docdex show src/app.py            print the keyword page docdex expects for a document";

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
    after_help = format!("{EXAMPLES}\n\n{EXIT_CODES}"),
)]
pub struct Cli {
    /// Read this configuration instead of docdex.toml at the repository root.
    #[arg(long, global = true, value_name = "PATH")]
    pub config: Option<PathBuf>,

    /// When to colour the output [auto: a terminal, NO_COLOR unset; FORCE_COLOR or
    /// CLICOLOR_FORCE force it].
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,

    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Compare the committed pages with the pages their documents generate.
    #[command(after_help = format!("{EXIT_CODES}"))]
    Check(CheckArgs),
    /// Print the page docdex expects for a document (its keyword page) or a page path.
    Show(ShowArgs),
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

    /// Print only a header and a line of words per finding, no diffs.
    #[arg(long)]
    pub no_diff: bool,
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
    /// Colour when stdout is a terminal and NO_COLOR is unset.
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
        assert!(Cli::try_parse_from(["docdex", "check", "--stage"]).is_err());
        assert!(Cli::try_parse_from(["docdex", "check", "--fix", "--stage"]).is_err());
        assert!(Cli::try_parse_from(["docdex", "check", "--staged", "--fix", "--stage"]).is_ok());
        assert!(Cli::try_parse_from(["docdex", "check", "--rev", "HEAD", "--fix"]).is_err());
        assert!(Cli::try_parse_from(["docdex", "check", "--head", "x"]).is_err());
    }
}
