//! SARIF 2.1.0 for GitHub code scanning.
//!
//! One run; `tool.driver.rules` holds one `reportingDescriptor` per rule that fired (id, name,
//! short and full description, `help.text`/`help.markdown` = the provider's rotation guide,
//! `security-severity` from the rule's confidence). Each finding is a `result` with `ruleId`
//! and `ruleIndex`, a physical location (URI relative to `%SRCROOT%`, percent-encoded, and a
//! 1-based region with end line and column), `partialFingerprints["secretFingerprint/v1"]` = our
//! content fingerprint (so alerts survive line moves), and a redacted snippet. Secrets are
//! never written in clear, whatever `--show-secrets` says. History findings carry the commit
//! in `properties`.

use std::collections::BTreeMap;
use std::io::Write;

use serde_json::{json, Value};

use super::Report;
use super::{rotation, View};
use crate::finding::redact;
use crate::rules::Confidence;

pub fn write(report: &Report, view: &View, out: &mut dyn Write) -> std::io::Result<()> {
    let mut rule_index: BTreeMap<usize, usize> = BTreeMap::new();
    let mut rules: Vec<Value> = Vec::new();
    let mut results: Vec<Value> = Vec::new();
    for f in &report.findings {
        let rule = &view.rules.rules[f.rule];
        let provider = view.rules.provider_of(rule);
        let index = *rule_index.entry(f.rule).or_insert_with(|| {
            rules.push(json!({
                "id": rule.id,
                "name": pascal_case(&rule.id),
                "shortDescription": {"text": rule.description},
                "fullDescription": {"text": format!("{} ({} credential) committed to the repository.", rule.description, provider.name)},
                "helpUri": provider.rotation.revoke_url,
                "help": {
                    "text": rotation::render(provider, ""),
                    "markdown": rotation::render_markdown(provider),
                },
                "defaultConfiguration": {"level": "error"},
                "properties": {
                    "tags": ["security", "secret", provider.id],
                    "precision": precision(rule.confidence),
                    "security-severity": severity(rule.confidence),
                },
            }));
            rules.len() - 1
        });
        let secret = redact(&f.secret);
        let mut properties =
            json!({"confidence": f.confidence.as_str(), "source": f.origin.source()});
        if let Some(c) = f.origin.commit() {
            properties["commit"] = json!(c.id);
            properties["author"] = json!(c.author);
            properties["date"] = json!(c.date());
            if let Some(e) = &f.exposure {
                properties["exposure"] = json!(e.verdict(c.short_id(), c.time, report.now));
            }
        }
        let message = match super::file_advice(view.rules, f) {
            Some(advice) if f.secret.is_empty() => format!(
                "{} committed: {advice}. Rotate every credential it holds; removing the file does not remove it from git history.",
                rule.description
            ),
            _ => format!(
                "{} found{}: {secret}. Revoke or roll it at {} and read the replacement from {}; deleting the line does not remove it from git history.",
                rule.description,
                f.encoding
                    .map(|e| format!(" ({}-encoded)", e.as_str()))
                    .unwrap_or_default(),
                provider.rotation.revoke_url,
                provider.env_var
            ),
        };
        results.push(json!({
            "ruleId": rule.id,
            "ruleIndex": index,
            "level": "error",
            "message": {"text": message},
            "locations": [{
                "physicalLocation": {
                    "artifactLocation": {"uri": uri(f.origin.path()), "uriBaseId": "%SRCROOT%"},
                    "region": {
                        "startLine": f.location.line,
                        "startColumn": f.location.column,
                        "endLine": f.location.end_line,
                        "endColumn": f.location.end_column,
                        "snippet": {"text": secret},
                    },
                },
            }],
            "partialFingerprints": {"secretFingerprint/v1": f.fingerprint},
            "properties": properties,
        }));
    }
    let doc = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "scan-secrets",
                "semanticVersion": env!("CARGO_PKG_VERSION"),
                "version": env!("CARGO_PKG_VERSION"),
                "rules": rules,
            }},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    });
    serde_json::to_writer_pretty(&mut *out, &doc)?;
    out.write_all(b"\n")?;
    out.flush()
}

fn precision(c: Confidence) -> &'static str {
    match c {
        Confidence::High => "very-high",
        Confidence::Medium => "high",
        Confidence::Low => "medium",
    }
}

/// GitHub maps security-severity to critical (>= 9.0), high (>= 7.0), medium (>= 4.0).
fn severity(c: Confidence) -> &'static str {
    match c {
        Confidence::High => "9.5",
        Confidence::Medium => "9.0",
        Confidence::Low => "6.0",
    }
}

/// `openai-project-key` → `OpenaiProjectKey` (SARIF `name` must not equal the id).
fn pascal_case(id: &str) -> String {
    id.split('-')
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
                .unwrap_or_default()
        })
        .collect()
}

/// A relative path as a URI reference: `/` separators, everything outside the unreserved set
/// (and `/`) percent-encoded, a leading `./` (or Windows' `.\`) dropped.
fn uri(path: &str) -> String {
    let path = path.strip_prefix("./").unwrap_or(path);
    let path = path.strip_prefix(".\\").unwrap_or(path);
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                out.push(b as char)
            }
            b'\\' => out.push('/'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_and_names() {
        assert_eq!(uri("./src/my file.py"), "src/my%20file.py");
        assert_eq!(uri("a/ü.txt"), "a/%C3%BC.txt");
        assert_eq!(uri(r".\src\app\config.py"), "src/app/config.py");
        assert_eq!(pascal_case("openai-project-key"), "OpenaiProjectKey");
    }
}
