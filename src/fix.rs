//! Safer code: for a secret written as a string literal in a source file, the line that reads
//! it from the environment instead (`os.environ["OPENAI_API_KEY"]`, `process.env.X`, ...).
//! The scan attaches it to findings as a `Hint`; `scan-secrets fix --staged`
//! (`commands/fix.rs`) makes those edits on request.

use std::ops::Range;

use crate::finding::{Hint, Origin};

/// The expression reading `var` from the environment in the language of `path`, and what it
/// needs; `None` for files that are not source code.
fn env_expr(path: &str, var: &str) -> Option<(String, Option<&'static str>)> {
    let ext = path.rsplit_once('.')?.1.to_ascii_lowercase();
    Some(match ext.as_str() {
        "js" | "mjs" | "cjs" | "jsx" | "ts" | "tsx" | "vue" | "svelte" => {
            (format!("process.env.{var}"), None)
        }
        "py" => (format!("os.environ[\"{var}\"]"), Some("import os")),
        "rs" => (
            format!("std::env::var(\"{var}\").expect(\"{var} is not set\")"),
            None,
        ),
        "rb" | "rake" => (format!("ENV.fetch(\"{var}\")"), None),
        "go" => (format!("os.Getenv(\"{var}\")"), Some("import \"os\"")),
        "java" | "kt" | "kts" | "scala" | "groovy" => (format!("System.getenv(\"{var}\")"), None),
        "cs" => (
            format!("Environment.GetEnvironmentVariable(\"{var}\")"),
            None,
        ),
        "php" => (format!("getenv('{var}')"), None),
        "sh" | "bash" | "zsh" => (format!("\"${{{var}}}\""), None),
        "swift" => (
            format!("ProcessInfo.processInfo.environment[\"{var}\"]"),
            None,
        ),
        "ex" | "exs" => (format!("System.get_env(\"{var}\")"), None),
        _ => return None,
    })
}

/// The hint for a secret at `secret` in `text` (a file at `path`), whose provider's variable
/// is `env_var`; `None` when the secret is not a whole string literal in a source file.
pub fn hint(path: &str, text: &[u8], secret: &Range<usize>, env_var: &str) -> Option<Hint> {
    let line = crate::filter::lines_of(text, secret);
    let (open, close) = (secret.start.checked_sub(1)?, secret.end);
    let quote = *text.get(open)?;
    if !matches!(quote, b'"' | b'\'' | b'`') || text.get(close) != Some(&quote) || open < line.start
    {
        return None;
    }
    let var = if is_env_name(env_var) {
        env_var.to_string()
    } else {
        assigned_name(&text[line.start..open])?
    };
    let (expr, needs) = env_expr(path, &var)?;
    let original_line = std::str::from_utf8(&text[line.clone()]).ok()?.to_string();
    let literal = (open - line.start)..(close + 1 - line.start);
    let mut fixed = original_line.clone();
    fixed.replace_range(literal.clone(), &expr);
    Some(Hint {
        env_var: var,
        expr,
        line: fixed.trim().to_string(),
        needs,
        literal,
        original_line,
    })
}

/// `OPENAI_API_KEY`: a name a shell or a `.env` accepts as is (provider `env_var`s that are
/// prose, like the generic provider's, are not).
pub fn is_env_name(s: &str) -> bool {
    let mut chars = s.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_uppercase() || c == '_')
        && chars.all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
}

/// The name the literal is assigned to (`db_password = "..."`, `"apiKey": "..."`), as an
/// environment variable name (`DB_PASSWORD`, `API_KEY`).
fn assigned_name(before: &[u8]) -> Option<String> {
    let before = std::str::from_utf8(before).ok()?;
    let before = before.trim_end_matches(|c: char| c.is_whitespace() || "=:>,(".contains(c));
    let before = before.trim_end_matches(['"', '\'']);
    let name: String = before
        .chars()
        .rev()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    if name.is_empty() || name.as_bytes()[0].is_ascii_digit() {
        return None;
    }
    // camelCase → CAMEL_CASE
    let mut out = String::new();
    let mut prev_lower = false;
    for c in name.chars() {
        if c.is_ascii_uppercase() && prev_lower {
            out.push('_');
        }
        prev_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
        out.push(c.to_ascii_uppercase());
    }
    Some(out)
}

/// Whether hints apply to findings from this origin (files as they are now).
pub fn applies_to(origin: &Origin) -> bool {
    matches!(origin, Origin::File { .. } | Origin::Staged { .. })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(path: &str, line: &str, env: &str) -> Option<String> {
        let secret = "sk_live_abc123";
        let at = line.find(secret).unwrap();
        hint(path, line.as_bytes(), &(at..at + secret.len()), env).map(|h| h.line)
    }

    #[test]
    fn hints_per_language() {
        let cases = [
            ("app.py", "stripe.api_key = \"sk_live_abc123\"", "stripe.api_key = os.environ[\"STRIPE_SECRET_KEY\"]"),
            ("app.js", "const key = 'sk_live_abc123';", "const key = process.env.STRIPE_SECRET_KEY;"),
            ("app.ts", "const key: string = `sk_live_abc123`;", "const key: string = process.env.STRIPE_SECRET_KEY;"),
            ("main.rs", "let key = \"sk_live_abc123\";", "let key = std::env::var(\"STRIPE_SECRET_KEY\").expect(\"STRIPE_SECRET_KEY is not set\");"),
            ("app.rb", "Stripe.api_key = 'sk_live_abc123'", "Stripe.api_key = ENV.fetch(\"STRIPE_SECRET_KEY\")"),
            ("main.go", "key := \"sk_live_abc123\"", "key := os.Getenv(\"STRIPE_SECRET_KEY\")"),
            ("App.java", "String key = \"sk_live_abc123\";", "String key = System.getenv(\"STRIPE_SECRET_KEY\");"),
            ("index.php", "$key = 'sk_live_abc123';", "$key = getenv('STRIPE_SECRET_KEY');"),
            ("deploy.sh", "KEY=\"sk_live_abc123\"", "KEY=\"${STRIPE_SECRET_KEY}\""),
        ];
        for (path, line, want) in cases {
            assert_eq!(
                h(path, line, "STRIPE_SECRET_KEY").as_deref(),
                Some(want),
                "{path}"
            );
        }
    }

    #[test]
    fn no_hint_outside_code_or_literals() {
        assert_eq!(
            h("config.yml", "key: \"sk_live_abc123\"", "STRIPE_SECRET_KEY"),
            None
        );
        assert_eq!(
            h(
                "app.py",
                "url = \"https://x/?k=sk_live_abc123\"",
                "STRIPE_SECRET_KEY"
            ),
            None
        );
        assert_eq!(
            h("app.py", "key = sk_live_abc123", "STRIPE_SECRET_KEY"),
            None
        );
    }

    #[test]
    fn env_names() {
        assert!(is_env_name("OPENAI_API_KEY"));
        assert!(!is_env_name(
            "an environment variable named after the service"
        ));
        assert!(!is_env_name(""));
    }

    #[test]
    fn generic_secrets_are_named_after_their_variable() {
        assert_eq!(
            h(
                "app.py",
                "dbPassword = \"sk_live_abc123\"",
                "an environment variable"
            )
            .as_deref(),
            Some("dbPassword = os.environ[\"DB_PASSWORD\"]")
        );
        assert_eq!(
            h("app.js", "  \"apiKey\": \"sk_live_abc123\",", "a variable").as_deref(),
            Some("\"apiKey\": process.env.API_KEY,")
        );
    }
}
