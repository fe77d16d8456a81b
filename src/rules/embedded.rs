//! The builtin pattern files, parsed at build time (build.rs) into static data: a scan's
//! start-up borrows them as they are, without parsing TOML or copying a string.

use std::borrow::Cow;

use super::file::{PatternFile, ProviderSpec, RotationSpec, RuleSpec, SwitchPattern, ZeroDowntime};

/// One `patterns/*.toml` file as build.rs parsed it.
pub struct Embedded {
    /// The file name (`openai.toml`).
    pub name: &'static str,
    pub file: PatternFile,
}

include!(concat!(env!("OUT_DIR"), "/builtin_patterns.rs"));
