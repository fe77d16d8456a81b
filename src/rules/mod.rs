//! Rules and providers: loaded from the embedded `patterns/*.toml` (and custom rules from the
//! config), validated once, compiled lazily.
//!
//! Regexes are compiled on the first keyword hit of their rule, so a scan of a small change does
//! not pay for ~150 regex compilations it never needs. Builtin regexes are all compiled by the
//! pattern test; custom rules are compiled eagerly at load so that a bad one is a config error.

pub mod checksum;
mod embedded;
pub mod file;
mod path;
mod regexes;

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::OnceLock;

use regex::bytes::Regex;

use crate::error::Error;
use file::{PatternFile, RotationSpec, RuleSpec, SwitchPattern, Text, Texts, ZeroDowntime};
pub use path::PathRule;
pub use regexes::named_regex;
use regexes::{compile, with_groups};

/// The most lines after its keyword's line a rule's regex may see (`lines_after`).
pub const MAX_LINES_AFTER: u8 = 8;

/// How sure we are that a finding is a live credential. Findings below the reporting threshold
/// (`--confidence`, default `medium`) are counted but not shown.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Confidence {
    /// A weak or word-like value in free text (`pw: swordfish` in a note); hidden by default.
    Low,
    /// A provider's documented format, or a value in a credential context (an assignment to a
    /// secret-like name, SQL `IDENTIFIED BY`, a command-line password flag, a connection
    /// string).
    #[default]
    Medium,
    /// A provider's format whose offline checksum is valid, or a credential context whose value
    /// is also random.
    High,
}

impl Confidence {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "low" => Some(Self::Low),
            "medium" => Some(Self::Medium),
            "high" => Some(Self::High),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Low => "low",
            Self::Medium => "medium",
            Self::High => "high",
        }
    }
}

/// What makes a generic rule's match a credential (`context` in the pattern schema); it decides
/// how the value is judged and graded. Ordered from the weakest evidence to the strongest, the
/// order in which overlapping generic matches lose to each other.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Context {
    /// Loose evidence: free text (`pw: ...` in a note) or a call with two string arguments;
    /// only values that look like real passwords reach the default confidence.
    Loose,
    /// A secret-like name bound to a value: the name and the value's quoting are judged too.
    Assignment,
    /// The syntax around the value: SQL, a command-line flag, a connection string, a header, a
    /// credential file.
    Syntax,
}

impl Context {
    fn parse(s: &str) -> Option<Self> {
        match s {
            "assignment" => Some(Self::Assignment),
            "syntax" => Some(Self::Syntax),
            "loose" => Some(Self::Loose),
            _ => None,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Provider {
    pub id: Text,
    pub name: Text,
    pub env_var: Text,
    pub rotation: RotationSpec,
}

#[derive(Debug)]
pub struct Rule {
    pub id: Text,
    pub description: Text,
    /// Index into `RuleSet::providers`.
    pub provider: usize,
    pub keywords: Texts,
    /// The regex as written; for a `named` rule, the value only (see `full_regex`).
    pub regex_src: Text,
    /// The compiled regex and the indexes of its value groups, built on first use.
    regex: OnceLock<Option<(Regex, Vec<usize>)>>,
    pub min_entropy: Option<f64>,
    pub random: bool,
    pub checksum: Option<checksum::Checksum>,
    pub confidence: Confidence,
    pub multiline: bool,
    /// Lines after the keyword's line that the regex also sees (see `RuleSpec::lines_after`).
    pub lines_after: u8,
    /// Lower-case words that, near a match, mark it a documented public identifier (`low`).
    pub public_near: Texts,
    /// Generic (context + randomness) rules lose to provider rules on overlap.
    pub generic: bool,
    /// A `named` rule: the value counts only next to its provider's name.
    pub named: bool,
    /// Generic rules: what makes a match a credential (provider rules: `Syntax`).
    pub context: Context,
    /// Path rules (sensitive files): which paths they apply to. They never enter the keyword
    /// prefilter; `Matcher::scan_path` runs them.
    pub paths: Option<PathRule>,
    pub examples: Texts,
    pub negative_examples: Texts,
}

/// A rule example split into the path it is scanned at (path rules: its first line) and the
/// text.
pub fn split_example<'a>(rule: &Rule, example: &'a str) -> (Option<&'a str>, &'a str) {
    if rule.paths.is_none() {
        return (None, example);
    }
    match example.split_once('\n') {
        Some((path, text)) => (Some(path), text),
        None => (Some(example), ""),
    }
}

impl Rule {
    /// The compiled regex; `None` only if a builtin regex fails to compile, which the pattern
    /// test rules out (custom rules are compiled at load).
    pub fn regex(&self) -> Option<&Regex> {
        self.compiled().map(|c| &c.0)
    }

    /// The indexes of the regex's value groups: `secret`, then `secret2`, `secret3`, ... (one
    /// per alternative that holds the value; the first that took part is the credential).
    /// Empty when the whole match is the value.
    pub fn secret_groups(&self) -> &[usize] {
        self.compiled().map_or(&[], |c| &c.1)
    }

    fn compiled(&self) -> Option<&(Regex, Vec<usize>)> {
        if self.regex_src.is_empty() {
            return None;
        }
        self.regex
            .get_or_init(|| compile(&self.full_regex()).ok().map(with_groups))
            .as_ref()
    }

    /// The regex that runs: `regex_src`, or for a `named` rule the regex `named_regex` builds
    /// around it (built when the rule first runs, not at load).
    pub fn full_regex(&self) -> Cow<'_, str> {
        if self.named {
            Cow::Owned(named_regex(&self.keywords, &self.regex_src))
        } else {
            Cow::Borrowed(&self.regex_src)
        }
    }
}

fn parse_file(origin: &str, text: &str) -> Result<PatternFile, Error> {
    toml::from_str(text).map_err(|e| Error::Pattern {
        origin: origin.to_string(),
        message: e.to_string(),
    })
}

#[derive(Debug, Default)]
pub struct RuleSet {
    pub providers: Vec<Provider>,
    pub rules: Vec<Rule>,
    /// Each provider's index in `providers`, by id.
    provider_index: HashMap<Text, usize>,
    /// Exactly the builtin rules, in the order build.rs saw them: the matcher then takes the
    /// keyword owners build.rs computed instead of computing them.
    as_built: bool,
}

/// The guide of the `custom` provider that holds the rules of `.scan-secrets.toml`: the issuer
/// is unknown, so it says what to do with any credential.
fn custom_rotation() -> RotationSpec {
    RotationSpec {
        revoke_url: "the issuer of this credential".into(),
        docs_url: None,
        steps: Cow::Borrowed(&[
            Cow::Borrowed("Revoke or roll the credential where it was issued."),
            Cow::Borrowed("Create a new one and store it outside the code (environment variable or secret manager)."),
        ]),
        abuse_check: "Review the issuer's access, audit or billing logs for use of the old value since the commit date.".into(),
        limit_damage: "Give the replacement the least privilege, the shortest expiry and the narrowest network access the issuer allows.".into(),
        revocation_api: None,
        zero_downtime: ZeroDowntime {
            pattern: SwitchPattern::NotApplicable,
            how: "Depends on the issuer: if it allows two valid credentials at once, deploy the new one before revoking the old; after a leak, revoke first.".into(),
        },
    }
}

impl RuleSet {
    /// The embedded rules, without their examples. A provider's own file (`generic.toml`) loads before its
    /// continuations (`generic-sql.toml`).
    pub fn builtin() -> Result<Self, Error> {
        Self::load_builtin(false)
    }

    /// The embedded rules with their examples and negative examples (for the pattern lint).
    pub fn builtin_with_examples() -> Result<Self, Error> {
        Self::load_builtin(true)
    }

    fn load_builtin(with_examples: bool) -> Result<Self, Error> {
        let mut set = RuleSet::default();
        set.rules
            .reserve(embedded::FILES.iter().map(|f| f.file.rules.len()).sum());
        set.providers.reserve(embedded::FILES.len());
        set.provider_index.reserve(embedded::FILES.len());
        for embedded in embedded::FILES {
            set.add_parsed(embedded.name, &embedded.file, false, with_examples)?;
        }
        set.as_built = true;
        Ok(set)
    }

    /// Names of the embedded pattern files, in load order (for the lint test).
    pub fn builtin_files() -> impl Iterator<Item = &'static str> {
        embedded::FILES.iter().map(|f| f.name)
    }

    /// Parses one pattern file and appends its provider and rules. `origin` names the file in
    /// errors; `eager` compiles the regexes now (custom rules).
    pub fn add_file(&mut self, origin: &str, text: &str, eager: bool) -> Result<(), Error> {
        self.as_built = false;
        let file = parse_file(origin, text)?;
        self.add_parsed(origin, &file, eager, true)
    }

    /// Appends a parsed pattern file's provider and rules (see `add_file`); `examples` keeps
    /// the rules' examples (for the pattern lint).
    fn add_parsed(
        &mut self,
        origin: &str,
        file: &PatternFile,
        eager: bool,
        examples: bool,
    ) -> Result<(), Error> {
        let spec = &file.provider;
        let err = |message: &str| Error::Pattern {
            origin: origin.to_string(),
            message: format!("provider {:?}: {message}", spec.id),
        };
        let defines = spec.name.is_some() || spec.env_var.is_some() || spec.rotation.is_some();
        let provider = match self.provider_index.get(&spec.id) {
            Some(_) if defines => {
                return Err(err(
                    "is defined twice (a continuation file names only the `id`)",
                ))
            }
            Some(&i) => i,
            None => {
                let (Some(name), Some(env_var), Some(rotation)) = (
                    spec.name.clone(),
                    spec.env_var.clone(),
                    spec.rotation.clone(),
                ) else {
                    return Err(err(
                        "needs `name`, `env_var` and `[provider.rotation]` where it is first defined",
                    ));
                };
                self.add_provider(Provider {
                    id: spec.id.clone(),
                    name,
                    env_var,
                    rotation,
                })
            }
        };
        let generic = spec.id == "generic";
        for spec in file.rules.iter() {
            let mut spec = spec.clone();
            if !examples {
                spec.examples = Cow::Borrowed(&[]);
                spec.negative_examples = Cow::Borrowed(&[]);
            }
            let rule = self.make_rule(origin, provider, generic, spec, eager)?;
            self.rules.push(rule);
        }
        Ok(())
    }

    /// Adds custom rules (from `.scan-secrets.toml`) under a provider named by the config.
    pub fn add_custom(&mut self, origin: &str, specs: Vec<RuleSpec>) -> Result<(), Error> {
        self.as_built &= specs.is_empty();
        let provider = match self.provider_index.get("custom") {
            Some(&i) => i,
            None => self.add_provider(Provider {
                id: "custom".into(),
                name: "Custom rule".into(),
                env_var: "the environment variable your code reads".into(),
                rotation: custom_rotation(),
            }),
        };
        for spec in specs {
            let rule = self.make_rule(origin, provider, false, spec, true)?;
            self.rules.push(rule);
        }
        Ok(())
    }

    /// Appends a provider; returns its index.
    fn add_provider(&mut self, provider: Provider) -> usize {
        let i = self.providers.len();
        self.provider_index.insert(provider.id.clone(), i);
        self.providers.push(provider);
        i
    }

    fn make_rule(
        &self,
        origin: &str,
        provider: usize,
        generic: bool,
        spec: RuleSpec,
        eager: bool,
    ) -> Result<Rule, Error> {
        let mut spec = spec;
        let named = !spec.named.is_empty();
        if named {
            if !spec.keywords.is_empty() || spec.regex.is_empty() || spec.regex.contains("(?P<") {
                return Err(Error::Pattern {
                    origin: format!("{origin}: rule {}", spec.id),
                    message: "a `named` rule takes no `keywords`, and its `regex` is the value alone, without named groups".into(),
                });
            }
            spec.keywords = std::mem::take(&mut spec.named);
        }
        let err = |message: String| Error::Pattern {
            origin: format!("{origin}: rule {}", spec.id),
            message,
        };
        // Builtin ids are unique by the pattern lint; a custom rule is checked here.
        if eager && self.rules.iter().any(|r| r.id == spec.id) {
            return Err(err("duplicate rule id".into()));
        }
        let paths = if spec.paths.is_empty() {
            if !spec.not_paths.is_empty() {
                return Err(err("`not_paths` needs `paths`".into()));
            }
            if spec.keywords.is_empty() || spec.regex.is_empty() {
                return Err(err(
                    "a rule needs `keywords` (they drive the prefilter) and a `regex`, or `paths`"
                        .into(),
                ));
            }
            None
        } else {
            if !spec.keywords.is_empty() || spec.multiline || spec.lines_after > 0 {
                return Err(err(
                    "a path rule takes no `keywords`, `multiline` or `lines_after` (its regex \
                     sees the whole file)"
                        .into(),
                ));
            }
            Some(PathRule::new(&spec.paths, &spec.not_paths, eager).map_err(err)?)
        };
        if spec.lines_after > MAX_LINES_AFTER || (spec.multiline && spec.lines_after > 0) {
            return Err(err(format!(
                "`lines_after` is at most {MAX_LINES_AFTER}, and not for a `multiline` rule \
                 (which sees 64 KiB anyway)"
            )));
        }
        if let Some(k) = spec.keywords.iter().find(|k| k.len() < 3) {
            return Err(err(format!(
                "keyword {k:?} is shorter than 3 bytes and would match almost everywhere"
            )));
        }
        let confidence = match spec.confidence.as_deref() {
            None => Confidence::Medium,
            Some(s) => Confidence::parse(s)
                .ok_or_else(|| err(format!("confidence {s:?} is not one of low, medium, high")))?,
        };
        let context = match spec.context.as_deref() {
            None => Context::Syntax,
            Some(_) if !generic => {
                return Err(err("`context` applies to generic rules only".into()));
            }
            Some(s) => Context::parse(s).ok_or_else(|| {
                err(format!(
                    "context {s:?} is not one of assignment, syntax, loose"
                ))
            })?,
        };
        let checksum = spec
            .checksum
            .as_deref()
            .map(|name| {
                checksum::Checksum::parse(name).ok_or_else(|| {
                    err(format!(
                        "unknown checksum {name:?} (known: github-crc32, basic-auth)"
                    ))
                })
            })
            .transpose()?;
        let public_near = if spec
            .public_near
            .iter()
            .any(|w| w.contains(|c: char| c.is_ascii_uppercase()))
        {
            spec.public_near
                .iter()
                .map(|w| w.to_ascii_lowercase().into())
                .collect()
        } else {
            spec.public_near
        };
        let rule = Rule {
            id: spec.id,
            description: spec.description,
            provider,
            keywords: spec.keywords,
            regex_src: spec.regex,
            regex: OnceLock::new(),
            min_entropy: spec.min_entropy,
            random: spec.random,
            checksum,
            confidence,
            multiline: spec.multiline,
            lines_after: spec.lines_after,
            public_near,
            generic,
            named,
            context,
            paths,
            examples: spec.examples,
            negative_examples: spec.negative_examples,
        };
        if eager && !rule.regex_src.is_empty() {
            let compiled = compile(&rule.full_regex()).map_err(|e| Error::Pattern {
                origin: format!("{origin}: rule {}", rule.id),
                message: format!("bad regex: {e}"),
            })?;
            let _ = rule.regex.set(Some(with_groups(compiled)));
        }
        Ok(rule)
    }

    /// Removes the rules named in `ids`; unknown ids are an error (a typo would otherwise keep a
    /// rule enabled without anyone noticing).
    pub fn disable(&mut self, ids: &[String]) -> Result<(), Error> {
        for id in ids {
            if !self.rules.iter().any(|r| &r.id == id) {
                return Err(Error::Config {
                    path: None,
                    message: format!(
                        "`disable` names unknown rule {id:?} (see `scan-secrets rules`)"
                    ),
                });
            }
        }
        self.as_built &= ids.is_empty();
        self.rules.retain(|r| !ids.iter().any(|id| *id == r.id));
        Ok(())
    }

    /// Whether this is exactly the builtin rule set as `builtin` loaded it.
    pub fn is_as_built(&self) -> bool {
        self.as_built
    }

    pub fn provider_of(&self, rule: &Rule) -> &Provider {
        &self.providers[rule.provider]
    }

    pub fn find_provider(&self, id: &str) -> Option<&Provider> {
        self.providers
            .iter()
            .find(|p| p.id.eq_ignore_ascii_case(id))
    }
}
