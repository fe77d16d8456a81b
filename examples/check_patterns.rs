//! Checks pattern files that are not embedded yet, without a rebuild: loads the builtin rules
//! plus the files named on the command line, then runs the pattern lint (examples through the
//! pipeline, rule conventions, rotation guides) on all of them: a new rule must not take over
//! an existing rule's examples either.
//!
//! `cargo run --release --example check_patterns -- patterns-new/*.toml`

use std::process::ExitCode;
use std::sync::Arc;

use scan_secrets::lint;
use scan_secrets::rules::RuleSet;

fn main() -> ExitCode {
    let files: Vec<String> = std::env::args().skip(1).collect();
    let mut set = match RuleSet::builtin_with_examples() {
        Ok(set) => set,
        Err(e) => {
            eprintln!("builtin patterns: {e}");
            return ExitCode::FAILURE;
        }
    };
    let before = set.rules.len();
    for file in &files {
        let loaded = std::fs::read_to_string(file)
            .map_err(|e| e.to_string())
            .and_then(|text| set.add_file(file, &text, true).map_err(|e| e.to_string()));
        if let Err(e) = loaded {
            eprintln!("{e}");
            return ExitCode::FAILURE;
        }
    }
    let new = set.rules.len() - before;
    let set = Arc::new(set);
    let mut problems = lint::example_problems(&set, |_| true);
    problems.extend(lint::rule_problems(&set));
    problems.extend(lint::guide_problems(&set));
    println!(
        "{} files, {} new rules, {} rules and {} providers in all",
        files.len(),
        new,
        set.rules.len(),
        set.providers.len()
    );
    if problems.is_empty() {
        println!("ok");
        ExitCode::SUCCESS
    } else {
        println!("{} problems:\n{}", problems.len(), problems.join("\n"));
        ExitCode::FAILURE
    }
}
