//! Safer-code hints (the line that reads the key from the environment, per language) and
//! `scan-secrets fix --staged`, which applies them to the working files on request.

use crate::common::{fake, TestRepo, ALNUM};

fn stripe(seed: u64) -> String {
    fake("sk_live_", ALNUM, 40, seed)
}

#[test]
fn hints_per_language_on_fixture_files() {
    let repo = TestRepo::dir();
    let key = stripe(1);
    let cases = [
        ("app.py", "stripe.api_key = \"{k}\"\n", "stripe.api_key = os.environ[\"STRIPE_SECRET_KEY\"]", Some("import os")),
        ("web/app.js", "const stripe = require('stripe')('{k}');\n", "const stripe = require('stripe')(process.env.STRIPE_SECRET_KEY);", None),
        ("web/pay.ts", "export const key: string = \"{k}\";\n", "export const key: string = process.env.STRIPE_SECRET_KEY;", None),
        ("src/main.rs", "let key = \"{k}\";\n", "let key = std::env::var(\"STRIPE_SECRET_KEY\").expect(\"STRIPE_SECRET_KEY is not set\");", None),
        ("lib/pay.rb", "Stripe.api_key = '{k}'\n", "Stripe.api_key = ENV.fetch(\"STRIPE_SECRET_KEY\")", None),
        ("cmd/main.go", "\tkey := \"{k}\"\n", "key := os.Getenv(\"STRIPE_SECRET_KEY\")", Some("import \"os\"")),
        ("src/Pay.java", "    String key = \"{k}\";\n", "String key = System.getenv(\"STRIPE_SECRET_KEY\");", None),
        ("pay.php", "$key = '{k}';\n", "$key = getenv('STRIPE_SECRET_KEY');", None),
        ("deploy.sh", "export STRIPE=\"{k}\"\n", "export STRIPE=\"${STRIPE_SECRET_KEY}\"", None),
    ];
    for (path, text, _, _) in &cases {
        repo.write(path, &text.replace("{k}", &key));
    }
    // Not code: no hint (the value belongs in the deployment's secrets, not a code change).
    repo.write("config/app.yml", &format!("stripe_key: \"{key}\"\n"));
    let (findings, code) = repo.scan_json(&["."]);
    assert_eq!(code, 1);
    assert_eq!(findings.len(), cases.len() + 1);
    for (path, _, line, needs) in cases {
        let f = findings
            .iter()
            .find(|f| f["file"] == path)
            .unwrap_or_else(|| panic!("no finding in {path}"));
        assert_eq!(f["fix"]["line"], line, "{path}");
        assert_eq!(f["fix"]["env_var"], "STRIPE_SECRET_KEY");
        assert_eq!(f["fix"]["needs"].as_str(), needs, "{path}");
    }
    let yml = findings
        .iter()
        .find(|f| f["file"] == "config/app.yml")
        .unwrap();
    assert!(yml.get("fix").is_none());

    let out = repo.cmd().arg("app.py").output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("  fix     stripe.api_key = os.environ[\"STRIPE_SECRET_KEY\"] (import os)  read it from STRIPE_SECRET_KEY"),
        "{text}"
    );
    assert!(!text.contains(&key));
}

#[test]
fn fix_staged_edits_the_working_files_with_a_backup_and_stages_nothing() {
    let repo = TestRepo::new();
    repo.write("README.md", "hi\n");
    repo.commit_all("initial");
    let key = stripe(2);
    let generic = fake("", ALNUM, 32, 3);
    let original =
        format!("import stripe\n\nstripe.api_key = \"{key}\"\nclient_secret = \"{generic}\"\n");
    repo.write("app.py", &original);
    repo.write(
        "deploy/values.yml",
        &format!("stripeKey: \"{}\"\n", stripe(4)),
    );
    repo.stage("app.py").stage("deploy/values.yml");

    let out = repo.cmd().args(["fix", "--staged"]).output().unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    // One finding (the YAML value) could not be fixed automatically.
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(!stdout.contains(&key) && !stdout.contains(&generic));
    let fixed = std::fs::read_to_string(repo.path().join("app.py")).unwrap();
    assert_eq!(
        fixed,
        "import stripe\n\nstripe.api_key = os.environ[\"STRIPE_SECRET_KEY\"]\nclient_secret = os.environ[\"CLIENT_SECRET\"]\n"
    );
    assert!(
        stdout.contains("Edited 1 file in the working tree (2 of 3 findings)"),
        "{stdout}"
    );
    assert!(
        stdout.contains("nothing was unstaged or staged"),
        "{stdout}"
    );
    assert!(stdout.contains("git add -- 'app.py'"), "{stdout}");
    assert!(
        stdout.contains("1 finding could not be edited automatically"),
        "{stdout}"
    );
    assert!(
        stdout.contains("Set CLIENT_SECRET, STRIPE_SECRET_KEY in your environment"),
        "{stdout}"
    );
    // The index still holds what was staged: the user decides.
    assert_eq!(repo.git(&["show", ":app.py"]), original);
    // The backup is inside .git, where it cannot be committed.
    let backups = repo.path().join(".git/scan-secrets/backup");
    let stamp = std::fs::read_dir(&backups)
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    assert_eq!(
        std::fs::read_to_string(stamp.join("app.py")).unwrap(),
        original
    );

    // Staging the edit leaves only the YAML value.
    repo.stage("app.py");
    let (findings, code) = repo.scan_json(&["--staged"]);
    assert_eq!(code, 1);
    assert_eq!(findings.len(), 1);
    assert_eq!(findings[0]["file"], "deploy/values.yml");
}

#[test]
fn fix_leaves_a_line_that_changed_since_it_was_staged() {
    let repo = TestRepo::new();
    repo.write("README.md", "hi\n");
    repo.commit_all("initial");
    let key = stripe(5);
    repo.write("app.js", &format!("const key = '{key}';\n"));
    repo.stage("app.js");
    let edited = format!("const key = '{key}'; // moved\n");
    repo.write("app.js", &edited);
    let out = repo.cmd().args(["fix", "--staged"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        std::fs::read_to_string(repo.path().join("app.js")).unwrap(),
        edited
    );
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(stdout.contains("Edited 0 files"), "{stdout}");

    // Nothing staged: nothing to do.
    repo.git(&["reset", "-q"]);
    let out = repo.cmd().args(["fix", "--staged"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8(out.stdout)
        .unwrap()
        .contains("Nothing to fix"));
}
