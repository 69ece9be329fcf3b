//! The `docdex` program: parse, run, print the error once, exit 0, 1 or 2.

use std::process::ExitCode;

use clap::Parser;
use docdex::cli::Cli;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let cwd = match std::env::current_dir() {
        Ok(cwd) => cwd,
        Err(err) => return fail(&docdex::Error::io(".", err)),
    };
    let mut stdout = std::io::stdout().lock();
    match docdex::run(&cli, &cwd, &mut stdout) {
        Ok(status) => ExitCode::from(status as u8),
        Err(err) => fail(&err),
    }
}

#[allow(clippy::print_stderr)]
fn fail(err: &docdex::Error) -> ExitCode {
    match err.hint() {
        Some(hint) => eprintln!("docdex: error: {err} (hint: {hint})"),
        None => eprintln!("docdex: error: {err}"),
    }
    ExitCode::from(2)
}
