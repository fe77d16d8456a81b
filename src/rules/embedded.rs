//! The builtin pattern files, parsed at build time (build.rs) into static data: a scan's
//! start-up converts them into the rule set without parsing TOML.

use super::file::{PatternFile, ProviderSpec, RotationSpec, RuleSpec, SwitchPattern, ZeroDowntime};

/// One `patterns/*.toml` file as build.rs parsed it.
pub struct FileDef {
    pub name: &'static str,
    pub id: &'static str,
    pub name_: Option<&'static str>,
    pub env_var: Option<&'static str>,
    pub rotation: Option<RotationDef>,
    pub rules: &'static [RuleDef],
}

/// `[provider.rotation]`, see `file::RotationSpec`.
pub struct RotationDef {
    pub revoke_url: &'static str,
    pub docs_url: Option<&'static str>,
    pub steps: &'static [&'static str],
    pub abuse_check: &'static str,
    pub limit_damage: &'static str,
    pub revocation_api: Option<&'static str>,
    pub pattern: &'static str,
    pub how: &'static str,
}

/// `[[rule]]`, see `file::RuleSpec`.
pub struct RuleDef {
    pub id: &'static str,
    pub description: &'static str,
    pub keywords: &'static [&'static str],
    pub named: &'static [&'static str],
    pub regex: &'static str,
    pub paths: &'static [&'static str],
    pub not_paths: &'static [&'static str],
    pub min_entropy: Option<f64>,
    pub random: bool,
    pub checksum: Option<&'static str>,
    pub confidence: Option<&'static str>,
    pub context: Option<&'static str>,
    pub multiline: bool,
    pub public_near: &'static [&'static str],
    pub examples: &'static [&'static str],
    pub negative_examples: &'static [&'static str],
}

include!(concat!(env!("OUT_DIR"), "/builtin_patterns.rs"));

fn owned(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

impl FileDef {
    /// The file as the TOML parser would have returned it; without the rules' examples unless
    /// asked (they are for the pattern lint, and copying them is most of a start-up's work).
    pub fn to_spec(&self, with_examples: bool) -> PatternFile {
        PatternFile {
            provider: ProviderSpec {
                id: self.id.into(),
                name: self.name_.map(Into::into),
                env_var: self.env_var.map(Into::into),
                rotation: self.rotation.as_ref().map(RotationDef::to_spec),
            },
            rules: self
                .rules
                .iter()
                .map(|r| r.to_spec(with_examples))
                .collect(),
        }
    }
}

impl RotationDef {
    fn to_spec(&self) -> RotationSpec {
        RotationSpec {
            revoke_url: self.revoke_url.into(),
            docs_url: self.docs_url.map(Into::into),
            steps: owned(self.steps),
            abuse_check: self.abuse_check.into(),
            limit_damage: self.limit_damage.into(),
            revocation_api: self.revocation_api.map(Into::into),
            zero_downtime: ZeroDowntime {
                pattern: SwitchPattern::ALL
                    .into_iter()
                    .find(|p| p.as_str() == self.pattern)
                    .expect("build.rs writes a pattern that parsed"),
                how: self.how.into(),
            },
        }
    }
}

impl RuleDef {
    fn to_spec(&self, with_examples: bool) -> RuleSpec {
        let examples = |v: &[&str]| if with_examples { owned(v) } else { Vec::new() };
        RuleSpec {
            id: self.id.into(),
            description: self.description.into(),
            keywords: owned(self.keywords),
            named: owned(self.named),
            regex: self.regex.into(),
            paths: owned(self.paths),
            not_paths: owned(self.not_paths),
            min_entropy: self.min_entropy,
            random: self.random,
            checksum: self.checksum.map(Into::into),
            confidence: self.confidence.map(Into::into),
            context: self.context.map(Into::into),
            multiline: self.multiline,
            public_near: owned(self.public_near),
            examples: examples(self.examples),
            negative_examples: examples(self.negative_examples),
        }
    }
}
