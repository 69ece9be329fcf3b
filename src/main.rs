//! The `docdex` program: parse, run, print the error once, exit 0, 1 or 2.

use std::process::ExitCode;

use clap::Parser;
use docdex::cli::Cli;

fn main() -> ExitCode {
    let cli = Cli::parse();
    docdex::interrupt::install();
    let cwd = match std::env::current_dir() {
        Ok(cwd) => cwd,
        Err(err) => return fail(&docdex::Error::io(".", err)),
    };
    // Before any thread exists: relative git paths mean what they meant here, as git does.
    for (name, value) in docdex::source::absolute_git_environment(&cwd) {
        std::env::set_var(name, value);
    }
    let mut stdout = std::io::stdout().lock();
    match docdex::run(&cli, &cwd, &mut stdout) {
        Ok(status) => ExitCode::from(status as u8),
        // The reader of our output went away (`docdex completions bash | head`): quietly.
        Err(err) if err.is_broken_pipe() => ExitCode::SUCCESS,
        Err(err) => fail(&err),
    }
}

/// Prints the error once, with its hint; a closed stderr is no reason to panic.
fn fail(err: &docdex::Error) -> ExitCode {
    use std::io::Write;
    let mut stderr = std::io::stderr().lock();
    // One line, whatever a file name in it holds.
    let message = err.to_string();
    let message = docdex::quote::one_line(&message);
    let _ = match err.hint() {
        Some(hint) => writeln!(stderr, "docdex: error: {message} (hint: {hint})"),
        None => writeln!(stderr, "docdex: error: {message}"),
    };
    match err {
        docdex::Error::Interrupted { .. } => ExitCode::from(docdex::interrupt::INTERRUPTED_STATUS),
        _ => ExitCode::from(2),
    }
}
