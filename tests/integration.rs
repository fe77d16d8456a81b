//! The one integration test binary (`autotests = false`): every test module is linked here.

mod common;

mod cli;
mod config;
mod output;
mod patterns;
mod worktree;
