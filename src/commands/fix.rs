//! `scan-secrets fix --staged`: replace each staged secret's string literal with the line that
//! reads it from the environment (see `crate::fix::hint`), with a backup, and say what is left
//! to do (stage the edit, store the value).

use std::io::Write;
use std::path::Path;

use crate::error::Error;
use crate::exit::Status;
use crate::finding::Finding;
use crate::text::sanitize;

/// `scan-secrets fix --staged`: applies the hints of a staged scan to the working files.
pub fn fix_staged(args: crate::cli::FixArgs) -> Result<Status, Error> {
    use clap::Parser;
    let mut argv: Vec<std::ffi::OsString> = vec!["scan-secrets".into(), "--staged".into()];
    argv.extend(args.repo.iter().map(Into::into));
    let cli = crate::cli::Cli::try_parse_from(argv).map_err(|e| Error::Usage(e.to_string()))?;
    let settings = crate::config::Settings::resolve(cli.scan)?;
    let report = super::scan::run(&settings)?;
    let mut out = std::io::stdout().lock();
    if report.findings.is_empty() {
        writeln!(out, "Nothing to fix: no secret is staged.").map_err(Error::Output)?;
        return Ok(Status::of_scan(0, report.errors()));
    }
    let root = settings.root.clone();
    let git_dir = crate::source::git::discover(&root)?.git_dir().to_path_buf();
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
        crate::text::plural(edited.len() as u64, "file"),
        fixed,
        crate::text::plural(findings.len() as u64, "finding"),
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
            .map(|p| crate::text::shell_quote(&sanitize(p)))
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
            crate::text::plural(left as u64, "finding")
        )?;
    }
    Ok(())
}
