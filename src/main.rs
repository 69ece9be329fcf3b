//! The `docdex` program: read the process's surroundings once, run, print the error
//! once, exit 0, 1, 2 (or 130 when a signal stopped `--fix`).

use std::ffi::OsString;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Parser;
use docdex::cli::Cli;
use docdex::request::Environment;
use docdex::GitEnvironment;

fn main() -> ExitCode {
    let cli = Cli::parse();
    docdex::interrupt::install();
    let cwd = match std::env::current_dir() {
        Ok(cwd) => cwd,
        Err(err) => return fail(&docdex::Error::io(".", err)),
    };
    let env = environment(cwd);
    // One write per 64 KiB, not per line: Rust's stdout flushes at every line end.
    let mut stdout = std::io::BufWriter::with_capacity(64 * 1024, std::io::stdout().lock());
    let result = docdex::run(&cli, &env, &mut stdout);
    // The report reaches stdout before an error reaches stderr.
    let flushed = std::io::Write::flush(&mut stdout);
    // A reader that went away early (`docdex check | head`) leaves the verdict standing.
    let result = result.and_then(|status| match flushed {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(docdex::Error::io("<stdout>", e))
        }
        _ => Ok(status),
    });
    match result {
        Ok(status) => ExitCode::from(status as u8),
        // The reader of our output went away (`docdex completions bash | head`): quietly.
        Err(err) if err.is_broken_pipe() => ExitCode::SUCCESS,
        Err(err) => fail(&err),
    }
}

/// A variable's value, `None` when unset or empty.
fn var(name: &str) -> Option<OsString> {
    std::env::var_os(name).filter(|v| !v.is_empty())
}

/// Everything docdex takes from its environment, read here and nowhere else.
fn environment(cwd: PathBuf) -> Environment {
    let set = |name: &str| var(name).is_some_and(|v| v != "0");
    Environment {
        git: git_environment(&cwd),
        cwd,
        no_color: docdex::request::no_color(|name| {
            var(name).map(|v| v.to_string_lossy().into_owned())
        }),
        force_color: set("FORCE_COLOR") || set("CLICOLOR_FORCE"),
        github_actions: var("GITHUB_ACTIONS").is_some_and(|v| v == "true"),
        step_summary: var("GITHUB_STEP_SUMMARY").map(PathBuf::from),
        stdout_is_terminal: std::io::stdout().is_terminal(),
        stderr_is_terminal: std::io::stderr().is_terminal(),
        pre_commit_range: var("PRE_COMMIT_FROM_REF")
            .zip(var("PRE_COMMIT_TO_REF"))
            .map(|(from, to)| {
                (
                    from.to_string_lossy().into_owned(),
                    to.to_string_lossy().into_owned(),
                )
            }),
        program_path: program_path(),
    }
}

/// This program's path, under the pre-commit framework only: the hook's environment
/// is not the user's shell, and docdex is not on its PATH.
fn program_path() -> Option<String> {
    if var("PRE_COMMIT").is_none_or(|v| v != "1") {
        return None;
    }
    let exe = std::env::current_exe().ok()?;
    Some(docdex::quote::shell(&exe.to_string_lossy()))
}

/// git's variables, made absolute from `cwd` as git does before it runs anything. The
/// process environment gets the absolute values too, for libgit2, which reads some of
/// them itself (and would take a relative `GIT_WORK_TREE` from the git directory).
/// Called before any thread exists.
fn git_environment(cwd: &Path) -> GitEnvironment {
    let absolute = |name: &str| {
        let value = PathBuf::from(var(name)?);
        if value.is_absolute() {
            return Some(value);
        }
        let value = cwd.join(value);
        std::env::set_var(name, &value);
        Some(value)
    };
    let git_dir = absolute("GIT_DIR");
    let work_tree = absolute("GIT_WORK_TREE");
    let index_file = absolute("GIT_INDEX_FILE");
    let _ = absolute("GIT_OBJECT_DIRECTORY");
    GitEnvironment {
        git_dir,
        work_tree,
        index_file,
        ceiling_directories: var("GIT_CEILING_DIRECTORIES")
            .map(|v| std::env::split_paths(&v).collect())
            .unwrap_or_default(),
        global_attributes: var("XDG_CONFIG_HOME")
            .map(PathBuf::from)
            .or_else(|| var("HOME").map(|home| Path::new(&home).join(".config")))
            .map(|config| config.join("git/attributes")),
    }
}

/// Prints the error once, with its hint; a closed stderr is no reason to panic.
fn fail(err: &docdex::Error) -> ExitCode {
    use std::io::Write;
    let mut stderr = std::io::stderr().lock();
    let _ = writeln!(stderr, "{}", err.report_line());
    match err {
        docdex::Error::Interrupted { .. } => ExitCode::from(docdex::interrupt::INTERRUPTED_STATUS),
        _ => ExitCode::from(2),
    }
}
