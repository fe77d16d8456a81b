//! Safer code: for a secret written as a string literal in a source file, the line that reads
//! it from the environment instead (`os.environ["OPENAI_API_KEY"]`, `process.env.X`, ...),
//! and `scan-secrets fix --staged`, which makes those edits in the working files on request,
//! with a backup, and says what is left to do (stage the edit, store the value).

use std::io::Write;
use std::ops::Range;
use std::path::Path;

use crate::error::Error;
use crate::exit::Status;
use crate::finding::{sanitize, Finding, Origin};

/// How to read the secret from the environment instead of writing it down.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hint {
    /// The variable to read (`OPENAI_API_KEY`).
    pub env_var: String,
    /// The expression that replaces the literal, quotes included.
    pub expr: String,
    /// The finding's line with the literal replaced.
    pub line: String,
    /// What the file must import or declare for `expr`, if anything.
    pub needs: Option<&'static str>,
    /// The literal as written (quotes included), and where on the line: what `fix` replaces.
    literal: Range<usize>,
    original_line: String,
}

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

/// `scan-secrets fix --staged`: applies the hints of a staged scan to the working files.
pub fn fix_staged(args: crate::cli::FixArgs) -> Result<Status, Error> {
    use clap::Parser;
    let mut argv: Vec<std::ffi::OsString> = vec!["scan-secrets".into(), "--staged".into()];
    argv.extend(args.repo.iter().map(Into::into));
    let cli = crate::cli::Cli::try_parse_from(argv).map_err(|e| Error::Usage(e.to_string()))?;
    let settings = crate::config::Settings::resolve(cli.scan)?;
    let report = crate::scan::run(&settings)?;
    let mut out = std::io::stdout().lock();
    if report.findings.is_empty() {
        writeln!(out, "Nothing to fix: no secret is staged.").map_err(Error::Output)?;
        return Ok(Status::of_scan(0, report.errors));
    }
    let root = settings.root.clone();
    let git_dir = gix::discover(&root)
        .map_err(|e| Error::Git(format!("{}: {e}", root.display())))?
        .git_dir()
        .to_path_buf();
    let stamp = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let backup_dir = git_dir
        .join("scan-secrets")
        .join("backup")
        .join(stamp.to_string());
    let mut edited: Vec<String> = Vec::new();
    let mut left = 0usize;
    // Findings come sorted by file, then line: edit each file once, bottom-up lines are not
    // needed because a replacement stays on its line.
    let mut i = 0;
    while i < report.findings.len() {
        let path = report.findings[i].origin.path().to_string();
        let mut j = i;
        while j < report.findings.len() && report.findings[j].origin.path() == path {
            j += 1;
        }
        let group = &report.findings[i..j];
        i = j;
        let file = root.join(&path);
        let (done, text) = apply(&file, group)?;
        left += group.len() - done;
        if done == 0 {
            continue;
        }
        let backup = backup_dir.join(&path);
        std::fs::create_dir_all(backup.parent().unwrap_or(&backup_dir))
            .map_err(|e| Error::io(&backup, e))?;
        std::fs::copy(&file, &backup).map_err(|e| Error::io(&backup, e))?;
        write_keeping_mode(&file, &text)?;
        edited.push(path);
    }
    report_fix(&mut out, &report.findings, &edited, left, &backup_dir).map_err(Error::Output)?;
    Ok(if left > 0 {
        Status::Findings
    } else {
        Status::Clean
    })
}

/// The working file's text with the hints of `findings` applied, and how many applied. A
/// finding whose line is no longer in the file as it was scanned is left alone.
fn apply(file: &Path, findings: &[Finding]) -> Result<(usize, String), Error> {
    let Ok(text) = std::fs::read_to_string(file) else {
        return Ok((0, String::new()));
    };
    let mut lines: Vec<String> = text.split_inclusive('\n').map(String::from).collect();
    let mut done = 0;
    for f in findings {
        let Some(h) = &f.hint else { continue };
        let Some(line) = lines.get_mut(f.location.line - 1) else {
            continue;
        };
        let ending_len = line.len() - line.trim_end_matches(['\n', '\r']).len();
        let body = &line[..line.len() - ending_len];
        if body != h.original_line {
            continue;
        }
        let mut fixed = body.to_string();
        fixed.replace_range(h.literal.clone(), &h.expr);
        fixed.push_str(&line[line.len() - ending_len..]);
        *line = fixed;
        done += 1;
    }
    Ok((done, lines.concat()))
}

fn write_keeping_mode(file: &Path, text: &str) -> Result<(), Error> {
    let tmp = file.with_extension("scan-secrets-tmp");
    std::fs::write(&tmp, text).map_err(|e| Error::io(&tmp, e))?;
    if let Ok(meta) = std::fs::metadata(file) {
        let _ = std::fs::set_permissions(&tmp, meta.permissions());
    }
    std::fs::rename(&tmp, file).map_err(|e| Error::io(file, e))
}

fn report_fix(
    out: &mut dyn Write,
    findings: &[Finding],
    edited: &[String],
    left: usize,
    backup_dir: &Path,
) -> std::io::Result<()> {
    let fixed = findings.len() - left;
    writeln!(
        out,
        "Edited {} in the working tree ({} of {}); the originals are in {}.",
        crate::report::plural(edited.len() as u64, "file"),
        fixed,
        crate::report::plural(findings.len() as u64, "finding"),
        sanitize(&backup_dir.display().to_string())
    )?;
    let mut vars: Vec<&str> = findings
        .iter()
        .filter_map(|f| f.hint.as_ref())
        .map(|h| h.env_var.as_str())
        .collect();
    vars.sort_unstable();
    vars.dedup();
    for f in findings.iter().filter(|f| f.hint.is_some()) {
        let h = f.hint.as_ref().expect("filtered");
        if edited.iter().any(|p| p == f.origin.path()) {
            write!(
                out,
                "  {}:{}  {}",
                sanitize(f.origin.path()),
                f.location.line,
                sanitize(&h.line)
            )?;
            match h.needs {
                Some(n) => writeln!(out, "  (needs `{n}`)")?,
                None => writeln!(out)?,
            }
        }
    }
    if !edited.is_empty() {
        let quoted: Vec<String> = edited
            .iter()
            .map(|p| crate::hook::shell_quote(&sanitize(p)))
            .collect();
        writeln!(
            out,
            "The staged versions still hold the secrets: nothing was unstaged or staged. Review the edits, then stage them: git add -- {}",
            quoted.join(" ")
        )?;
        writeln!(
            out,
            "Set {} in your environment or secret manager (a git-ignored .env for local work), and rotate the keys if they were ever pushed.",
            vars.join(", ")
        )?;
    }
    if left > 0 {
        writeln!(
            out,
            "{} could not be edited automatically (not a string literal in a source file, or the line changed since it was staged); see `scan-secrets --staged`.",
            crate::report::plural(left as u64, "finding")
        )?;
    }
    Ok(())
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
