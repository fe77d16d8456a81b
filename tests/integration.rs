//! The one integration test binary (`autotests = false`): every test module is linked here.

mod common;

mod action;
mod advice;
mod baseline;
mod cli;
mod confidence;
mod config;
mod crafted_pack;
mod encoded;
mod exposure;
mod fix;
mod history;
mod history_packs;
mod hook;
mod hostile;
mod hostile_repos;
mod install;
mod layers;
mod output;
mod own_config;
mod packaging;
mod patterns;
mod placeholders;
mod pre_receive;
mod prepush;
mod properties;
mod purge;
mod ranges;
mod rotate;
mod sensitive;
mod staged;
mod syntax_corpus;
mod worktree;
