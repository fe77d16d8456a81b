//! The serde mirror of `patterns/*.toml`: the pattern schema of DESIGN.md section 2.
//!
//! One file per provider: a `[provider]` block (name, env var, rotation guide) and any number of
//! `[[rule]]` blocks. Unknown keys are errors, so a typo in a pattern file or in a custom rule of
//! `.scan-secrets.toml` is reported instead of silently ignored.

use std::borrow::Cow;

use serde::Deserialize;

/// A string of a pattern file: borrowed from the binary for the builtin files (build.rs writes
/// them as static data, so loading them copies nothing), owned when parsed at run time.
pub type Text = Cow<'static, str>;

/// A list of strings of a pattern file, borrowed or owned like `Text`.
pub type Texts = Cow<'static, [Text]>;

/// A whole `patterns/<provider>.toml` file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PatternFile {
    pub provider: ProviderSpec,
    #[serde(default, rename = "rule")]
    pub rules: Cow<'static, [RuleSpec]>,
}

/// `[provider]`. A provider is defined once, in the file named after it (`openai.toml`); a
/// provider with many rules may continue in files named `<id>-<part>.toml` (`generic-sql.toml`)
/// whose `[provider]` holds only the `id`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProviderSpec {
    /// Lower-case id, equal to the file stem (`openai` for `openai.toml`), or its first part for
    /// a continuation file.
    pub id: Text,
    /// Display name (`OpenAI`). Required where the provider is defined.
    #[serde(default)]
    pub name: Option<Text>,
    /// The environment variable the credential should live in instead of the code. Required
    /// where the provider is defined.
    #[serde(default)]
    pub env_var: Option<Text>,
    /// Required where the provider is defined.
    #[serde(default)]
    pub rotation: Option<RotationSpec>,
}

/// What to do once a credential of this provider leaked. Rendered by `report::rotation`; the
/// test `patterns::every_provider_has_a_complete_guide` checks that every field is filled in.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RotationSpec {
    /// Where the user revokes or rolls the credential: the provider's own page (https).
    pub revoke_url: Text,
    /// The provider's documentation on keys and rotation (https).
    #[serde(default)]
    pub docs_url: Option<Text>,
    /// Ordered, imperative steps: revoke, create, store, confirm.
    pub steps: Texts,
    /// Where to look for abuse since the commit date: usage, billing, audit or access logs.
    pub abuse_check: Text,
    /// How to cap the damage of a future leak where the provider offers it (spend or usage
    /// limits, budget alerts, scoped or restricted keys, expiry, IP allowlists); where it offers
    /// no cap, says so plainly and what to do instead.
    pub limit_damage: Text,
    /// A public endpoint that revokes or reports a leaked credential, usable by whoever found
    /// it (GitHub's credential revocation API, Slack's `auth.revoke` called with the token
    /// itself): one sentence naming the https endpoint and who may call it. Absent when the
    /// provider has none.
    #[serde(default)]
    pub revocation_api: Option<Text>,
    /// How to switch to a new credential without an outage.
    pub zero_downtime: ZeroDowntime,
}

/// `[provider.rotation.zero_downtime]`: the switch-over the provider supports.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ZeroDowntime {
    /// Which kind of switch-over the provider offers.
    pub pattern: SwitchPattern,
    /// One or two sentences: how to do it with this provider (and what it means after a leak).
    pub how: Text,
}

/// The switch-over patterns, spelled in kebab-case in the pattern files.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SwitchPattern {
    /// `two-keys`: two credentials can be valid at once (AWS's two access keys, Azure's key1
    /// and key2, Twilio's secondary Auth Token, several active keys): deploy the new one, then
    /// revoke the old.
    TwoKeys,
    /// `roll-with-expiry`: the provider rolls the credential and keeps the old value valid
    /// until an expiry you choose (Stripe's "Roll key..."); after a leak, choose "now".
    RollWithExpiry,
    /// `immediate-revoke`: replacing or revoking ends the old credential at once, with no
    /// overlap the provider manages: revoke, then deploy the replacement quickly.
    ImmediateRevoke,
    /// `not-applicable`: not a single provider's credential (a sensitive file, a password
    /// hash, a generic value); the guide says what to do instead.
    NotApplicable,
}

impl SwitchPattern {
    /// Every pattern, in the order the documentation lists them.
    pub const ALL: [SwitchPattern; 4] = [
        Self::TwoKeys,
        Self::RollWithExpiry,
        Self::ImmediateRevoke,
        Self::NotApplicable,
    ];

    /// The spelling used in pattern files and JSON output.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::TwoKeys => "two-keys",
            Self::RollWithExpiry => "roll-with-expiry",
            Self::ImmediateRevoke => "immediate-revoke",
            Self::NotApplicable => "not-applicable",
        }
    }

    /// A short human label for the guides.
    pub fn label(self) -> &'static str {
        match self {
            Self::TwoKeys => "two keys (old and new valid at once)",
            Self::RollWithExpiry => "roll with expiry (old key valid until a date you choose)",
            Self::ImmediateRevoke => "immediate revoke (no overlap)",
            Self::NotApplicable => "not applicable",
        }
    }
}

/// One detection rule.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleSpec {
    /// Kebab-case, provider first, never renamed (it appears in baselines and SARIF).
    pub id: Text,
    pub description: Text,
    /// Literals of which at least one occurs in every match (ASCII case-insensitive).
    /// They feed the shared Aho-Corasick prefilter; the regex only runs near a hit. Required
    /// unless the rule has `paths`; path rules take none.
    #[serde(default)]
    pub keywords: Texts,
    /// A token without a marker of its own (a bare 32-hex key), reported only where it is
    /// assigned to a name made of one of these words followed by a credential word:
    /// `named = ["linode"]` matches `LINODE_TOKEN=...`, `"linodeApiKey": "..."`,
    /// `linode.cli_secret: ...`, `X-Linode-Key: ...`. The words are the rule's keywords (no
    /// `keywords` then) and `regex` describes only the value, without a `secret` group; see
    /// `rules::named_regex` for the exact shape.
    #[serde(default)]
    pub named: Texts,
    /// `regex` crate syntax. A named group `secret` marks the credential; without it the whole
    /// match is the credential. Alternatives that each hold the value use `secret2`,
    /// `secret3`, ... (a name can occur once in a regex): the first that took part is the
    /// credential. For a path rule it is optional: a condition on the file's
    /// content (see `paths`).
    #[serde(default)]
    pub regex: Text,
    /// Makes this a path rule (a sensitive file such as `.env` or `id_rsa`): globs matched
    /// against the file's path relative to the scan root (a glob without `/` matches the file
    /// name in any directory; case-insensitive). The rule reports the file itself, even a
    /// binary or oversized one, unless it has a `regex`: then the content must match too, and a
    /// `secret` group in the regex makes the finding point at that value.
    #[serde(default)]
    pub paths: Texts,
    /// Globs excluded from `paths` (`.env.example`).
    #[serde(default)]
    pub not_paths: Texts,
    /// Minimum Shannon entropy (bits per byte) of the secret.
    #[serde(default)]
    pub min_entropy: Option<f64>,
    /// Require the secret to look random (see `entropy::looks_random`); used by generic rules.
    #[serde(default)]
    pub random: bool,
    /// Offline checksum the secret must satisfy (`github-crc32`); a mismatch drops the match,
    /// a valid checksum makes the finding `high` confidence.
    #[serde(default)]
    pub checksum: Option<Text>,
    /// `high`, `medium` (the default) or `low`. Generic rules are graded per finding instead
    /// (see `context`): `high` when the value is random, `low` for a weak value in free text.
    #[serde(default)]
    pub confidence: Option<Text>,
    /// Generic rules only: what makes the match a credential, which decides how its value is
    /// judged. `assignment`: a secret-like name bound to a value (`db_password = "..."`); the
    /// name and the value's quoting are judged too (an unquoted value in source code is a
    /// variable). `syntax` (the default): the syntax around the value (SQL `IDENTIFIED BY`, a
    /// command-line flag, a connection string, a header, a credential file). `loose`: weaker
    /// evidence, free text (`pw: ...` in a note) or a call with two string arguments, where the
    /// value must look like a real password to be reported at the default confidence.
    #[serde(default)]
    pub context: Option<Text>,
    /// The match may span lines (PEM blocks): the regex sees up to 64 KiB after the keyword
    /// instead of the keyword's line.
    #[serde(default)]
    pub multiline: bool,
    /// The match may go on over this many lines after the keyword's line (at most 8): a
    /// YAML `- name: DB_PASSWORD` whose `value:` is on the next line, a Terraform `variable`
    /// block's `default`. The regex sees those lines only, not 64 KiB as with `multiline`.
    #[serde(default)]
    pub lines_after: u8,
    /// Words (case-insensitive) that, within a few hundred bytes of the match, show the value is
    /// an identifier its provider documents as public (a Firebase web config's `apiKey` next to
    /// its `authDomain`): such a finding is graded `low`, hidden by default.
    #[serde(default)]
    pub public_near: Texts,
    /// Texts that must yield exactly this rule. For a path rule, the first line of an example
    /// is the file's path and the rest its content, and other rules may fire too.
    pub examples: Texts,
    /// Texts that must yield nothing from this rule (look-alikes, placeholders, wrong lengths).
    pub negative_examples: Texts,
}
