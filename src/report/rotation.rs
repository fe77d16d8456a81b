//! Renders a provider's rotation guide: where to revoke, the steps, the history warning and
//! where to look for abuse.

use std::fmt::Write as _;

use crate::rules::Provider;

/// The fixed reminder every guide ends with: deleting the line is not rotating the key.
pub const HISTORY_NOTE: &str = "Deleting the line does not remove the secret: it stays in git history and in every clone. Rotate first; rewriting history (git filter-repo) is optional clean-up, not a fix.";

/// Plain-text guide, indented by `indent`, numbered steps.
pub fn render(p: &Provider, indent: &str) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "{indent}Revoke: {}", p.rotation.revoke_url);
    for (i, step) in p.rotation.steps.iter().enumerate() {
        let _ = writeln!(s, "{indent}{}. {step}", i + 1);
    }
    if !steps_name_env_var(p) {
        let _ = writeln!(
            s,
            "{indent}Store the new value in {} (a secret manager or a git-ignored .env), never in the code.",
            p.env_var
        );
    }
    let _ = writeln!(s, "{indent}{HISTORY_NOTE}");
    if let Some(check) = &p.rotation.abuse_check {
        let _ = writeln!(s, "{indent}Check for abuse: {check}");
    }
    if let Some(docs) = &p.rotation.docs_url {
        let _ = writeln!(s, "{indent}Docs: {docs}");
    }
    s
}

/// The same guide in Markdown (SARIF `help.markdown`, job summaries).
pub fn render_markdown(p: &Provider) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "**How to rotate a leaked {} credential**\n", p.name);
    let _ = writeln!(s, "Revoke or roll it at <{}>.\n", p.rotation.revoke_url);
    for (i, step) in p.rotation.steps.iter().enumerate() {
        let _ = writeln!(s, "{}. {step}", i + 1);
    }
    if !steps_name_env_var(p) {
        let _ = writeln!(
            s,
            "{}. Store the new value in `{}` (a secret manager or a git-ignored .env), never in the code.",
            p.rotation.steps.len() + 1,
            p.env_var
        );
    }
    let _ = writeln!(s, "\n{HISTORY_NOTE}");
    if let Some(check) = &p.rotation.abuse_check {
        let _ = writeln!(s, "\n**Check for abuse:** {check}");
    }
    if let Some(docs) = &p.rotation.docs_url {
        let _ = writeln!(s, "\nDocs: <{docs}>");
    }
    s
}

/// Whether the provider's own steps already say which variable to keep the value in (else the
/// guide adds a line that does).
fn steps_name_env_var(p: &Provider) -> bool {
    p.rotation
        .steps
        .iter()
        .any(|step| step.contains(&p.env_var))
}
