//! docdex keeps the generated index pages of a documentation tree in step with the
//! documents they are generated from, reading both straight from git.
//!
//! The modules follow the data flow: [`source`] reads git, [`select`] picks documents,
//! [`extract`] finds keywords, [`pages`] renders, [`plan`] scopes, [`compare`] finds
//! what differs, [`report`] and [`fix`] act on it; [`app`] ties them together.

#![warn(clippy::print_stdout, clippy::print_stderr, missing_docs)]

pub mod app;
pub mod check;
pub mod cli;
pub mod compare;
pub mod config;
pub mod error;
pub mod extract;
pub mod fix;
pub mod generate;
pub mod hook;
pub mod interrupt;
pub mod mode;
pub mod pages;
pub mod paths;
pub mod plan;
pub mod python;
pub mod quote;
pub mod report;
pub mod request;
pub mod rows;
pub mod select;
pub mod source;

pub use app::{run, ExitStatus};
pub use check::{check, CheckResult};
pub use config::Config;
pub use error::Error;
pub use source::{Mode, Repo};
