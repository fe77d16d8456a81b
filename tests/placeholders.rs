//! A table of placeholder and real-looking values, one line each, scanned through the real
//! binary: placeholders, templates, code references and documented example keys are never
//! reported; random keys are, even when a word such as `test` or `demo` occurs in them.

use crate::common::{fake, summary, TestRepo, ALNUM, HEX, URLSAFE};

const B64: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Lines that must not be reported, each a complete line of `config/settings.env`.
fn placeholder_lines() -> Vec<String> {
    [
        "DB_PASSWORD=changeme",
        "DB_PASSWORD=changeit",
        "API_KEY=\"<your-api-key>\"",
        "API_KEY=${API_KEY}",
        "API_KEY=\"{{ secret }}\"",
        "SECRET_TOKEN={{secret_token}}",
        "API_KEY=xxxxxxxxxxxx",
        "API_KEY=XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX",
        "API_KEY=your_api_key_here",
        "API_KEY=\"your-api-key-goes-here\"",
        "OPENAI_API_KEY=sk-proj-XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX",
        "API_KEY=REPLACE_ME",
        "DB_PASSWORD=REPLACE_ME",
        "DB_PASSWORD=dummy",
        "DB_PASSWORD=example",
        "DB_PASSWORD=test123",
        "DB_PASSWORD=demo",
        "DB_PASSWORD=****",
        "API_KEY=****************",
        "DB_PASSWORD=null",
        "DB_PASSWORD=None",
        "SECRET_KEY=process.env.SECRET_KEY",
        "SECRET_KEY=os.environ[\"SECRET_KEY\"]",
        "DB_PASSWORD=process.env.DB_PASSWORD",
        "DB_PASSWORD=os.environ[\"DB_PASSWORD\"]",
        "aws_access_key_id=AKIAIOSFODNN7EXAMPLE",
        "aws_secret_access_key=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        "API_TOKEN=26dfe8d8-889b-4380-92ff-9c3c6ea5d930",
        "SECRET_KEY=notHighEnoughEntropy",
        "SECRET_KEY=mysecretpassword123",
        "API_KEY=DefaultConnectionString",
        "SECRET_KEY=localhost_dev_key",
        "API_TOKEN=prod-db-password-2024",
        "API_KEY=qwertyuiop123456",
        "API_KEY=1234567890abcdef",
        "API_KEY=abcdefghijklmnop",
        "AUTH_TOKEN=<%= ENV['AUTH_TOKEN'] %>",
        "SECRET_TOKEN=$(cat /run/secrets/token)",
        "API_KEY=insert_your_key_here",
        "STRIPE_KEY=sk_live_xxxxxxxxxxxxxxxxxxxxxxxx",
        "DB_PASSWORD=********",
        "SECRET_KEY=my-super-secret-key",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect()
}

/// Lines that must be reported: synthetic random keys of several alphabets, some holding a
/// placeholder-ish word by chance.
fn secret_lines() -> Vec<String> {
    let with = |word: &str, seed: u64| {
        format!(
            "{}{word}{}",
            fake("", ALNUM, 14, seed),
            fake("", ALNUM, 14, seed + 100)
        )
    };
    vec![
        format!("API_KEY={}", fake("", ALNUM, 32, 1)),
        format!("SECRET_TOKEN=\"{}\"", fake("", URLSAFE, 40, 2)),
        format!("AUTH_TOKEN={}", fake("", HEX, 40, 3)),
        format!("API_SECRET={}=", fake("", B64, 43, 4)),
        format!("API_KEY={}", with("test", 5)),
        format!("API_KEY={}", with("demo", 6)),
        format!("API_KEY={}", with("xx", 7)),
        format!("API_KEY={}", with("Test", 8)),
        format!("API_KEY={}", with("fake", 9)),
        format!("API_KEY={}", with("dummy", 10)),
        format!("SECRET_KEY={}", fake("", HEX, 64, 11)),
        format!("DB_PASSWORD={}", fake("", ALNUM, 16, 12)),
        "DB_PASSWORD=Tr0ub4dor&3x".to_string(),
    ]
}

#[test]
fn placeholder_table_is_not_reported() {
    let repo = TestRepo::dir();
    let lines = placeholder_lines();
    repo.write("config/settings.env", &(lines.join("\n") + "\n"));
    let (findings, code) = repo.scan_json(&["."]);
    let reported: Vec<&str> = findings
        .iter()
        .map(|f| lines[f["line"].as_u64().unwrap() as usize - 1].as_str())
        .collect();
    assert_eq!(reported, Vec::<&str>::new());
    assert_eq!(code, 0);

    // Rows that pass the rules' own gates (the password rule takes any value) are counted by
    // reason; the others (too short, not random) never become candidates.
    let out = repo
        .cmd()
        .args(["--show-suppressed", "--color", "never", "."])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("Suppressed: 13 placeholder or example, 2 code reference."),
        "{stdout}"
    );
}

#[test]
fn secret_table_is_reported_line_by_line() {
    let repo = TestRepo::dir();
    // Secrets on odd lines, placeholders on even lines: each finding must be on its own line.
    let secrets = secret_lines();
    let placeholders = placeholder_lines();
    let mut text = String::new();
    for (i, s) in secrets.iter().enumerate() {
        text.push_str(s);
        text.push('\n');
        text.push_str(&placeholders[i % placeholders.len()]);
        text.push('\n');
    }
    repo.write("config/settings.env", &text);
    let (findings, code) = repo.scan_json(&["."]);
    assert_eq!(code, 1);
    let found: Vec<(String, u64)> = summary(&findings)
        .into_iter()
        .map(|(rule, _, line, _)| (rule, line))
        .collect();
    let expected: Vec<(String, u64)> = secrets
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let rule = if s.starts_with("DB_PASSWORD=") {
                "generic-password"
            } else {
                "generic-secret"
            };
            (rule.to_string(), 2 * i as u64 + 1)
        })
        .collect();
    assert_eq!(found, expected, "{findings:#?}");
    for f in &findings {
        let file = f["file"].as_str().unwrap();
        assert_eq!(file, "config/settings.env");
    }
}

#[test]
fn each_secret_alone_exits_one() {
    // One file per row: the exit code follows the row alone.
    let repo = TestRepo::dir();
    for (i, s) in secret_lines().iter().enumerate() {
        repo.write(&format!("config/s{i:02}.env"), &format!("{s}\n"));
    }
    for (i, p) in placeholder_lines().iter().enumerate() {
        repo.write(&format!("config/p{i:02}.env"), &format!("{p}\n"));
    }
    let (findings, code) = repo.scan_json(&["."]);
    assert_eq!(code, 1);
    let mut files: Vec<String> = summary(&findings)
        .into_iter()
        .map(|(_, file, line, _)| {
            assert_eq!(line, 1, "{file}");
            file
        })
        .collect();
    files.sort();
    let expected: Vec<String> = (0..secret_lines().len())
        .map(|i| format!("config/s{i:02}.env"))
        .collect();
    assert_eq!(files, expected);
    for (i, p) in placeholder_lines().iter().enumerate() {
        let (findings, code) = repo.scan_json(&[&format!("config/p{i:02}.env")]);
        assert_eq!((findings.len(), code), (0, 0), "{p}");
    }
}
