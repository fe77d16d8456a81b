//! The one integration test binary (`autotests = false`): every test module is linked here.

mod common;

mod action;
mod baseline;
mod cli;
mod config;
mod encoded;
mod history;
mod hook;
mod output;
mod patterns;
mod prepush;
mod properties;
mod sensitive;
mod staged;
mod worktree;
