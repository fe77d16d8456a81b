//! The serde mirror of `patterns/*.toml`: the pattern schema of DESIGN.md section 2.
//!
//! One file per provider: a `[provider]` block (name, env var, rotation guide) and any number of
//! `[[rule]]` blocks. Unknown keys are errors, so a typo in a pattern file or in a custom rule of
//! `.scan-secrets.toml` is reported instead of silently ignored.

use serde::Deserialize;

/// A whole `patterns/<provider>.toml` file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PatternFile {
    pub provider: ProviderSpec,
    #[serde(default, rename = "rule")]
    pub rules: Vec<RuleSpec>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProviderSpec {
    /// Lower-case id, equal to the file stem (`openai` for `openai.toml`).
    pub id: String,
    /// Display name (`OpenAI`).
    pub name: String,
    /// The environment variable the credential should live in instead of the code.
    pub env_var: String,
    pub rotation: RotationSpec,
}

/// What to do once a credential of this provider leaked. Rendered by `report::rotation`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RotationSpec {
    /// Where the user revokes or rolls the credential.
    pub revoke_url: String,
    /// The provider's documentation on keys and rotation.
    #[serde(default)]
    pub docs_url: Option<String>,
    /// Ordered, imperative steps: revoke, create, store, check for abuse.
    pub steps: Vec<String>,
    /// Where to look for abuse (usage, billing, audit logs).
    #[serde(default)]
    pub abuse_check: Option<String>,
}

/// One detection rule.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleSpec {
    /// Kebab-case, provider first, never renamed (it appears in baselines and SARIF).
    pub id: String,
    pub description: String,
    /// Literals of which at least one occurs in every match (ASCII case-insensitive).
    /// They feed the shared Aho-Corasick prefilter; the regex only runs near a hit. Required
    /// unless the rule has `paths`; path rules take none.
    #[serde(default)]
    pub keywords: Vec<String>,
    /// `regex` crate syntax. A named group `secret` marks the credential; without it the whole
    /// match is the credential. For a path rule it is optional: a condition on the file's
    /// content (see `paths`).
    #[serde(default)]
    pub regex: String,
    /// Makes this a path rule (a sensitive file such as `.env` or `id_rsa`): globs matched
    /// against the file's path relative to the scan root (a glob without `/` matches the file
    /// name in any directory; case-insensitive). The rule reports the file itself, even a
    /// binary or oversized one, unless it has a `regex`: then the content must match too, and a
    /// `secret` group in the regex makes the finding point at that value.
    #[serde(default)]
    pub paths: Vec<String>,
    /// Globs excluded from `paths` (`.env.example`).
    #[serde(default)]
    pub not_paths: Vec<String>,
    /// Minimum Shannon entropy (bits per byte) of the secret.
    #[serde(default)]
    pub min_entropy: Option<f64>,
    /// Require the secret to look random (see `entropy::looks_random`); used by generic rules.
    #[serde(default)]
    pub random: bool,
    /// Offline checksum the secret must satisfy (`github-crc32`); a mismatch drops the match,
    /// a valid checksum makes the finding `high` confidence.
    #[serde(default)]
    pub checksum: Option<String>,
    /// `high`, `medium` (default for provider rules) or `low` (generic rules).
    #[serde(default)]
    pub confidence: Option<String>,
    /// The match may span lines (PEM blocks): the regex sees up to 64 KiB after the keyword
    /// instead of the keyword's line.
    #[serde(default)]
    pub multiline: bool,
    /// Texts that must yield exactly this rule. For a path rule, the first line of an example
    /// is the file's path and the rest its content, and other rules may fire too.
    pub examples: Vec<String>,
    /// Texts that must yield nothing from this rule (look-alikes, placeholders, wrong lengths).
    pub negative_examples: Vec<String>,
}
