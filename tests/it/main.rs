//! docdex's integration tests: one binary, real git repositories in temp dirs.

mod fixing;
mod modes;
mod oracle;
mod properties;
mod usage;
mod util;
