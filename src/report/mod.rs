//! Findings → output. `human` for people, `json` and `sarif` for machines, `github`
//! for GitHub Actions: each a format file that implements [`Emit`] over the run's
//! [`model`], and one line in [`emitter`]. Every writer takes a `&mut dyn Write` and
//! never exits.

pub(crate) mod github;
pub(crate) mod human;
pub(crate) mod json;
pub(crate) mod model;
pub(crate) mod sarif;
pub(crate) mod summary;

pub(crate) use model::{Counts, ReportStyle, RunReport};

use std::io::{self, Write};

use crate::cli::Format;
use model::Emit;

/// The format of each `--format` value.
fn emitter(format: Format) -> &'static dyn Emit {
    match format {
        Format::Human => &human::Human,
        Format::Github => &github::Github,
        Format::Json => &json::Json,
        Format::Sarif => &sarif::Sarif,
    }
}

/// Writes `report` in `format`: the one entry point of every output format.
pub(crate) fn write(out: &mut dyn Write, format: Format, report: &RunReport) -> io::Result<()> {
    emitter(format).write(out, report)
}
