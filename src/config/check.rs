//! Validation of a parsed `.scan-secrets.toml`: its rule set (built-in and custom rules,
//! `disable`), allowlists, limits, and the custom rules' examples.

use std::path::Path;
use std::sync::Arc;

use super::{parse_config, ConfigFile, CONFIG_FILE};
use crate::error::Error;
use crate::filter::allowlist::Allowlist;
use crate::rules::{Confidence, RuleSet};

/// Runs each custom rule's examples through the matcher: a positive example it does not
/// find, or a negative one it finds, is a config error (the rule does not do what its author
/// says).
pub(super) fn check_examples(
    origin: &str,
    set: &Arc<RuleSet>,
    custom: &[String],
) -> Result<(), Error> {
    let matcher = crate::matcher::Matcher::for_small_inputs(set.clone())?;
    for rule in set
        .rules
        .iter()
        .filter(|r| custom.iter().any(|c| *c == r.id))
    {
        let index = set.rules.iter().position(|r| r.id == rule.id);
        let found = |example: &str| {
            let (path, text) = crate::rules::split_example(rule, example);
            let mut cands = matcher.scan(text.as_bytes());
            if let Some(path) = path {
                cands.extend(matcher.scan_path(path, Some(text.as_bytes()), None));
            }
            cands.iter().any(|c| Some(c.rule) == index)
        };
        let err = |message: String| Error::Pattern {
            origin: format!("{origin}: rule {}", rule.id),
            message,
        };
        if let Some(e) = rule.examples.iter().find(|e| !found(e)) {
            return Err(err(format!(
                "example {e:?} is not matched (check the regex, the keywords and min_entropy)"
            )));
        }
        if let Some(e) = rule.negative_examples.iter().find(|e| found(e)) {
            return Err(err(format!("negative example {e:?} is matched")));
        }
    }
    Ok(())
}

/// What the config file resolves to, before the command line is merged in.
pub(super) struct Checked {
    pub rules: RuleSet,
    /// Ids of the config's own `[[rule]]`s, whose examples `check_examples` runs.
    pub custom: Vec<String>,
    pub allow: Allowlist,
    pub max_file_size: Option<u64>,
}

/// Validates a parsed config and builds its rule set and allowlists (everything but the
/// examples check, which needs the final rule set).
pub(super) fn check(
    origin: &str,
    config_path: Option<&Path>,
    config: &ConfigFile,
    foreign_markers: bool,
) -> Result<Checked, Error> {
    let extend = config.extend.unwrap_or(true);
    if !extend && config.rules.is_empty() {
        return Err(Error::Config {
            path: config_path.map(Path::to_path_buf),
            message: "extend = false uses only this file's [[rule]]s, and it has none".into(),
        });
    }
    let mut rules = if extend {
        RuleSet::builtin()?
    } else {
        RuleSet::default()
    };
    let custom: Vec<String> = config.rules.iter().map(|r| r.id.to_string()).collect();
    if !config.rules.is_empty() {
        rules.add_custom(origin, config.rules.clone())?;
    }
    rules.disable(&config.disable).map_err(|e| match e {
        Error::Config { message, .. } => Error::Config {
            path: config_path.map(Path::to_path_buf),
            message,
        },
        e => e,
    })?;
    let mut allow = Allowlist::new(origin, &config.allow.paths, &config.allow.regexes)?;
    allow.set_stopwords(&config.allow.stopwords);
    allow.set_commits(origin, &config.allow.commits)?;
    allow.foreign_markers = foreign_markers;
    if let Some(level) = &config.confidence {
        allow.min_confidence = Confidence::parse(level).ok_or_else(|| Error::Config {
            path: config_path.map(Path::to_path_buf),
            message: format!("confidence = {level:?}: expected \"low\", \"medium\" or \"high\""),
        })?;
    }
    for (id, spec) in &config.allow.rule {
        if !rules.rules.iter().any(|r| &r.id == id) {
            return Err(Error::Config {
                path: config_path.map(Path::to_path_buf),
                message: format!(
                    "[allow.rule.{id}]: no rule {id:?} is in use (see `scan-secrets rules`)"
                ),
            });
        }
        let mut one = Allowlist::new(origin, &spec.paths, &spec.regexes).map_err(|e| match e {
            Error::Config { path, message } => Error::Config {
                path,
                message: message.replacen("allow.", &format!("allow.rule.{id}."), 1),
            },
            e => e,
        })?;
        one.set_stopwords(&spec.stopwords);
        allow.per_rule.insert(id.clone(), one);
    }

    let config_size = match &config.limits.max_file_size {
        None => None,
        Some(toml::Value::Integer(n)) if *n >= 0 => Some(*n as u64),
        Some(toml::Value::String(s)) => {
            Some(crate::cli::parse_size(s).map_err(|m| Error::Config {
                path: config_path.map(Path::to_path_buf),
                message: format!("limits.max_file_size: {m}"),
            })?)
        }
        Some(v) => {
            return Err(Error::Config {
                path: config_path.map(Path::to_path_buf),
                message: format!(
                    "limits.max_file_size: expected bytes or a size like \"10M\", found a {}",
                    v.type_str()
                ),
            })
        }
    };
    Ok(Checked {
        rules,
        custom,
        allow,
        max_file_size: config_size,
    })
}

/// Parses and validates the text of a `.scan-secrets.toml` the way a scan does (rules,
/// `disable`, allowlists, limits, custom rules' examples), without reading any file: for
/// `scan-secrets` fuzzing and tests.
pub fn check_str(text: &str) -> Result<(), Error> {
    let config = parse_config(text, None)?;
    let checked = check(CONFIG_FILE, None, &config, false)?;
    if !checked.custom.is_empty() {
        check_examples(CONFIG_FILE, &Arc::new(checked.rules), &checked.custom)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn check_str_validates_like_a_scan() {
        assert!(check_str("").is_ok());
        assert!(check_str("[allow]\npaths = [\"tests/**\"]\nregexes = [\"^sk_test_\"]\n").is_ok());
        let rule = "[[rule]]\nid = \"acme-token\"\ndescription = \"d\"\nkeywords = [\"acme_\"]\nregex = '''acme_[a-z0-9]{16}'''\nnegative_examples = []\n";
        check_str(&format!("{rule}examples = [\"acme_0123abcd4567efgh\"]\n")).unwrap();
        for bad in [
            "[allow]\npath = [\"x\"]\n".to_string(),
            "disable = [\"no-such-rule\"]\n".into(),
            "[allow]\nregexes = [\"(unclosed\"]\n".into(),
            "[allow]\ncommits = [\"xyz\"]\n".into(),
            "[allow.rule.no-such-rule]\n".into(),
            "[limits]\nmax_file_size = \"10X\"\n".into(),
            "extend = false\n".into(),
            format!("{rule}examples = [\"acme_short\"]\n"),
        ] {
            assert!(check_str(&bad).is_err(), "{bad}");
        }
    }
}
