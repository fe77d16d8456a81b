//! The subcommands, one file each: what `main` runs. The only layer that may use every other
//! (see `lib.rs`); nothing below imports it.

pub mod config;
pub mod fix;
pub mod install;
pub mod purge;
pub mod receive;
pub mod rotate;
pub mod rules;
pub mod scan;
