//! docdex keeps the generated index pages of a documentation tree in step with the
//! documents they are generated from, reading both straight from git.
//!
//! The modules follow the data flow: `source` reads git, `select` picks documents,
//! [`extract`] finds keywords, `pages` renders, `plan` scopes, `compare` finds what
//! differs, `report` and `fix` act on it; `app` ties them together. The public API is
//! what the `docdex` binary, the tests and the fuzz targets use: [`run`] with a
//! [`cli::Cli`] and a [`request::Environment`], [`check`], and the parsers.

#![warn(clippy::print_stdout, clippy::print_stderr, missing_docs)]

mod app;
pub mod cache;
mod check;
pub mod cli;
mod compare;
mod config;
mod error;
pub mod extract;
mod fix;
mod generate;
mod hook;
pub mod interrupt;
mod man;
mod mode;
mod output;
mod pages;
mod paths;
mod plan;
mod precommit;
mod python;
pub mod quote;
mod report;
pub mod request;
pub mod rows;
mod select;
mod source;
mod words;

pub use app::{run, ExitStatus};
pub use check::{check, CheckResult};
pub use compare::{Finding, Status, Verdict};
pub use config::Config;
pub use error::{Blocked, ConfigProblem, Error};
pub use mode::{IndexKind, Mode};
pub use pages::keyword_page;
pub use source::{GitEnvironment, Repo};
