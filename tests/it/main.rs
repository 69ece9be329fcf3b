//! docdex's integration tests: one binary, real git repositories in temp dirs.
// A test binary has no API: its helpers are `pub` only to be shared between modules.
#![allow(unreachable_pub)]

mod action;
mod assets;
mod cache;
mod commits;
mod content;
mod differential;
mod edges;
mod filters;
mod first_contact;
mod fixing;
mod framework;
mod hostile;
mod install;
mod integrations;
mod modes;
mod oracle;
mod outputs;
mod properties;
mod release;
mod repositories;
mod sarif_validator;
mod scope;
mod sources;
mod trust;
mod usage;
mod util;
mod wheel;
mod writing;
