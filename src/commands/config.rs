//! `scan-secrets config check`: validate the config a scan would use and describe it.

use std::io::Write;

use crate::error::Error;
use crate::exit::Status;

/// `scan-secrets config check`: resolve the settings a scan of DIR would use and describe them.
pub fn config(args: crate::cli::ConfigArgs) -> Result<Status, Error> {
    use clap::Parser;
    let crate::cli::ConfigAction::Check { config, dir } = args.action;
    let mut argv: Vec<std::ffi::OsString> = vec!["scan-secrets".into()];
    if let Some(c) = &config {
        argv.push("--config".into());
        argv.push(c.into());
    }
    argv.push(dir.unwrap_or_else(|| ".".into()).into());
    let cli = crate::cli::Cli::try_parse_from(argv).map_err(|e| Error::Usage(e.to_string()))?;
    let settings = crate::config::Settings::resolve(cli.scan)?;
    let mut out = std::io::stdout().lock();
    let Some(path) = &settings.config_path else {
        writeln!(
            out,
            "no config file ({} in {}): built-in rules only ({} rules)",
            crate::config::CONFIG_FILE,
            settings.root.display(),
            settings.rules.rules.len()
        )
        .map_err(Error::Output)?;
        return Ok(Status::Clean);
    };
    let custom = settings
        .rules
        .rules
        .iter()
        .filter(|r| settings.rules.provider_of(r).id == "custom")
        .count();
    writeln!(out, "{}: valid", path.display()).map_err(Error::Output)?;
    writeln!(
        out,
        "  rules: {} in use ({} custom, examples checked)",
        settings.rules.rules.len(),
        custom
    )
    .map_err(Error::Output)?;
    writeln!(out, "  allow: {}", settings.allow.describe()).map_err(Error::Output)?;
    if let Some(b) = &settings.baseline {
        writeln!(out, "  baseline: {}", b.display()).map_err(Error::Output)?;
    }
    Ok(Status::Clean)
}
