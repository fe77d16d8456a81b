//! JSON and JSON Lines output.
//!
//! `--format json` prints one array, `--format jsonl` one object per line; each object is one
//! occurrence of a secret:
//!
//! ```json
//! {"rule": "openai-project-key", "provider": "openai", "description": "OpenAI project API key",
//!  "confidence": "high|medium|low", "source": "file|stdin", "file": "src/config.ts",
//!  "line": 12, "column": 17, "end_line": 12, "end_column": 181,
//!  "secret": "sk-proj-Ab…Yz", "fingerprint": "v1:8f3c…", "entropy": 5.7,
//!  "rotation": {"provider_name": "OpenAI", "env_var": "OPENAI_API_KEY",
//!               "revoke_url": "https://…", "steps": ["…"], "abuse_check": "…",
//!               "limit_damage": "…", "zero_downtime": "two-keys|roll-with-expiry|immediate-revoke|not-applicable",
//!               "zero_downtime_how": "…", "revocation_api": "…" (only if the provider has one),
//!               "docs_url": "https://…" (only if known)},
//!  // history and range scans (`source` = "history") only:
//!  "commit": "4e1d…(40 hex)", "author": "A <a@x>", "date": "2024-05-01T10:00:00Z",
//!  "message": "subject line", "more_occurrences": 0,
//!  "exposure": {"pushed": true, "remote_ref": "origin/main", "tag": null, "at_head": true,
//!               "verdict": "pushed to origin/main (committed 3 days ago): rotate now"},
//!  // a secret found inside a base64 or percent-encoded token (the location is the token;
//!  // `secret` and `fingerprint` are of the decoded value) only:
//!  "encoding": "base64|percent",
//!  // a string literal in a source file (working tree, staged) only:
//!  "fix": {"env_var": "OPENAI_API_KEY", "replacement": "os.environ[\"OPENAI_API_KEY\"]",
//!          "line": "client = OpenAI(api_key=os.environ[\"OPENAI_API_KEY\"])", "needs": "import os"},
//!  // path rules (sensitive files) only:
//!  "advice": "add '.env' to .gitignore, then stop tracking the file: git rm --cached -- '.env'"}
//! ```
//!
//! A path rule that reports a file as a whole (`file-dotenv`, `file-ssh-private-key`, ...) has
//! an empty `secret`, line and column 1, and a fingerprint of (rule id, path).
//!
//! `source` is `file`, `stdin`, `staged` (`file` is then the path in the repository) or
//! `history` (attributed to the earliest commit that introduced the secret at that path;
//! `more_occurrences` counts its other lines and later versions of the file).
//!
//! Lines and columns are 1-based; columns count characters. `secret` is redacted unless
//! `--show-secrets`. `fingerprint` is `v1:` + a hash of (rule id, secret): stable across line
//! moves, never a line number. Fields are only ever added, never renamed or removed; a change
//! of meaning gets a new fingerprint version.

use std::borrow::Cow;
use std::io::Write;

use serde::Serialize;

use super::Report;
use super::View;

#[derive(Serialize)]
struct JsonFinding<'a> {
    rule: &'a str,
    provider: &'a str,
    description: &'a str,
    confidence: &'a str,
    source: &'a str,
    file: &'a str,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    secret: String,
    fingerprint: &'a str,
    entropy: f64,
    rotation: JsonRotation<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    commit: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    author: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    date: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    more_occurrences: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    advice: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    encoding: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    exposure: Option<JsonExposure<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    fix: Option<JsonFix<'a>>,
}

#[derive(Serialize)]
struct JsonFix<'a> {
    env_var: &'a str,
    replacement: &'a str,
    line: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    needs: Option<&'a str>,
}

#[derive(Serialize)]
struct JsonExposure<'a> {
    pushed: bool,
    remote_ref: Option<&'a str>,
    tag: Option<&'a str>,
    at_head: bool,
    verdict: String,
}

#[derive(Serialize)]
struct JsonRotation<'a> {
    provider_name: &'a str,
    env_var: &'a str,
    revoke_url: &'a str,
    steps: &'a [Cow<'static, str>],
    abuse_check: &'a str,
    limit_damage: &'a str,
    zero_downtime: &'static str,
    zero_downtime_how: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    revocation_api: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    docs_url: Option<&'a str>,
}

pub fn write(
    report: &Report,
    view: &View,
    out: &mut dyn Write,
    lines: bool,
) -> std::io::Result<()> {
    let items = report.findings.iter().map(|f| {
        let rule = &view.rules.rules[f.rule];
        let provider = view.rules.provider_of(rule);
        JsonFinding {
            rule: &rule.id,
            provider: &provider.id,
            description: &rule.description,
            confidence: f.confidence.as_str(),
            source: f.origin.source(),
            file: f.origin.path(),
            line: f.location.line,
            column: f.location.column,
            end_line: f.location.end_line,
            end_column: f.location.end_column,
            secret: view.secret(&f.secret),
            fingerprint: &f.fingerprint,
            entropy: (f.entropy * 100.0).round() / 100.0,
            rotation: JsonRotation {
                provider_name: &provider.name,
                env_var: &provider.env_var,
                revoke_url: &provider.rotation.revoke_url,
                steps: &provider.rotation.steps,
                abuse_check: &provider.rotation.abuse_check,
                limit_damage: &provider.rotation.limit_damage,
                zero_downtime: provider.rotation.zero_downtime.pattern.as_str(),
                zero_downtime_how: &provider.rotation.zero_downtime.how,
                revocation_api: provider.rotation.revocation_api.as_deref(),
                docs_url: provider.rotation.docs_url.as_deref(),
            },
            commit: f.origin.commit().map(|c| c.id.as_str()),
            author: f.origin.commit().map(|c| c.author.as_str()),
            date: f.origin.commit().map(|c| c.date()),
            message: f.origin.commit().map(|c| c.subject.as_str()),
            more_occurrences: f.origin.commit().map(|_| f.more_occurrences),
            advice: super::file_advice(view.rules, f),
            encoding: f.encoding.map(|e| e.as_str()),
            exposure: f
                .exposure
                .as_ref()
                .zip(f.origin.commit())
                .map(|(e, c)| JsonExposure {
                    pushed: e.pushed(),
                    remote_ref: e.remote_ref.as_deref(),
                    tag: e.tag.as_deref(),
                    at_head: e.at_head,
                    verdict: e.verdict(c.short_id(), c.time, report.now),
                }),
            fix: f.hint.as_ref().map(|h| JsonFix {
                env_var: &h.env_var,
                replacement: &h.expr,
                line: &h.line,
                needs: h.needs,
            }),
        }
    });
    if lines {
        for item in items {
            serde_json::to_writer(&mut *out, &item)?;
            out.write_all(b"\n")?;
        }
    } else {
        let all: Vec<_> = items.collect();
        serde_json::to_writer_pretty(&mut *out, &all)?;
        out.write_all(b"\n")?;
    }
    out.flush()
}
