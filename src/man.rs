//! `docdex man`: man pages from the same text as `--help`, with EXAMPLES and EXIT
//! STATUS sections of their own (clap_mangen would put them under "EXTRA").

use std::io::{self, Write};
use std::path::Path;

use clap::CommandFactory;
use roff::{bold, roman, Roff};

use crate::cli::{Cli, EXAMPLES, EXIT_CODES};
use crate::error::Error;

/// The man page of docdex (`None`) or of one of its subcommands, as roff.
pub(crate) fn page(subcommand: Option<&str>, out: &mut dyn Write) -> io::Result<()> {
    let mut command = Cli::command();
    command.build();
    // clap has checked the name against the subcommands.
    match subcommand.and_then(|name| command.find_subcommand(name)) {
        None => render(command, out),
        Some(sub) => render(named(sub), out),
    }
}

/// Writes `docdex.1` and `docdex-SUBCOMMAND.1` for every subcommand into `dir`.
pub(crate) fn write_all(dir: &Path) -> Result<Vec<String>, Error> {
    let mut command = Cli::command();
    command.build();
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir.display().to_string(), e))?;
    let mut pages = vec![command.clone()];
    // clap's own `help` subcommand has no page of its own.
    pages.extend(
        command
            .get_subcommands()
            .filter(|sub| sub.get_name() != "help")
            .map(named),
    );
    let mut written = Vec::new();
    for page in pages {
        let name = format!("{}.1", page.get_name());
        let path = dir.join(&name);
        let mut bytes = Vec::new();
        render(page, &mut bytes).map_err(|e| Error::io(name.clone(), e))?;
        crate::fix::write_whole(&path, &bytes)?;
        written.push(path.display().to_string());
    }
    Ok(written)
}

/// A subcommand as its own page: `docdex-check`, invoked as `docdex check`.
fn named(sub: &clap::Command) -> clap::Command {
    sub.clone()
        .name(format!("docdex-{}", sub.get_name()))
        .bin_name(format!("docdex {}", sub.get_name()))
        .version(env!("CARGO_PKG_VERSION"))
}

fn render(command: clap::Command, out: &mut dyn Write) -> io::Result<()> {
    // docdex and `docdex check` carry the examples and exit codes; the other pages
    // keep their own notes.
    let general = matches!(command.get_name(), "docdex" | "docdex-check");
    let notes = command.get_after_help().map(|help| help.to_string());
    let man = clap_mangen::Man::new(command.clone());
    man.render_title(out)?;
    man.render_name_section(out)?;
    man.render_synopsis_section(out)?;
    man.render_description_section(out)?;
    if command.get_arguments().any(|arg| !arg.is_hide_set()) {
        man.render_options_section(out)?;
    }
    if command.has_subcommands() {
        man.render_subcommands_section(out)?;
    }
    let mut roff = Roff::default();
    if general {
        section(&mut roff, "EXAMPLES", &EXAMPLES);
        section(&mut roff, "EXIT STATUS", &EXIT_CODES);
    } else if let Some(notes) = notes {
        roff.control("SH", ["NOTES"]);
        for paragraph in notes.split("\n\n") {
            roff.control("PP", []);
            // Indented lines are a table to keep as it is; prose is filled to the width.
            if paragraph.lines().any(|line| line.starts_with("  ")) {
                roff.control("nf", []);
                roff.text([roman(paragraph)]);
                roff.control("fi", []);
            } else {
                roff.text([roman(paragraph.replace('\n', " "))]);
            }
        }
    }
    roff.to_writer(out)?;
    man.render_version_section(out)
}

/// A section of tagged paragraphs: each term in bold, its meaning under it.
fn section(roff: &mut Roff, title: &str, items: &[(&str, &str)]) {
    roff.control("SH", [title]);
    for (term, meaning) in items {
        roff.control("TP", []);
        roff.text([bold(*term)]);
        roff.text([roman(*meaning)]);
    }
}
