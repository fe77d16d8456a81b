//! Subcommands that do not scan: `rules`, `rotate` and `config check`.

use std::io::Write;

use crate::cli::{GuideFormat, ListFormat, RotateArgs, RulesArgs};
use crate::error::Error;
use crate::exit::Status;
use crate::report::rotation;
use crate::rules::{Provider, RuleSet};

pub fn rules(args: RulesArgs) -> Result<Status, Error> {
    let set = RuleSet::builtin()?;
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    match args.format {
        ListFormat::Human => {
            for r in &set.rules {
                let p = set.provider_of(r);
                writeln!(out, "{:<40} {:<14} {}", r.id, p.name, r.description)
                    .map_err(Error::Output)?;
            }
            writeln!(
                out,
                "{} rules from {} providers",
                set.rules.len(),
                set.providers.len()
            )
            .map_err(Error::Output)?;
        }
        ListFormat::Json => {
            let items: Vec<_> = set
                .rules
                .iter()
                .map(|r| {
                    serde_json::json!({
                        "id": r.id,
                        "provider": set.provider_of(r).id,
                        "description": r.description,
                        "keywords": r.keywords,
                        "paths": r.paths.as_ref().map(|p| &p.globs),
                        "confidence": r.confidence.as_str(),
                    })
                })
                .collect();
            serde_json::to_writer_pretty(&mut out, &items).map_err(|e| Error::Output(e.into()))?;
            writeln!(out).map_err(Error::Output)?;
        }
    }
    out.flush().map_err(Error::Output)?;
    Ok(Status::Clean)
}

pub fn rotate(args: RotateArgs) -> Result<Status, Error> {
    let set = RuleSet::builtin()?;
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let markdown = args.format == GuideFormat::Markdown;
    if args.all {
        let all: Vec<&Provider> = set.providers.iter().collect();
        if markdown {
            write!(out, "{}", rotation::render_markdown_page(&all)).map_err(Error::Output)?;
        } else {
            for (i, p) in all.iter().enumerate() {
                if i > 0 {
                    writeln!(out).map_err(Error::Output)?;
                }
                writeln!(out, "How to rotate: {}", p.name).map_err(Error::Output)?;
                write!(out, "{}", rotation::render(p, "  ")).map_err(Error::Output)?;
            }
        }
        out.flush().map_err(Error::Output)?;
        return Ok(Status::Clean);
    }
    match args.provider {
        None => {
            for p in &set.providers {
                writeln!(out, "{:<16} {}", p.id, p.name).map_err(Error::Output)?;
            }
        }
        Some(name) => {
            let p = set
                .find_provider(&name)
                .or_else(|| {
                    set.providers
                        .iter()
                        .find(|p| p.name.eq_ignore_ascii_case(&name))
                })
                .ok_or_else(|| {
                    Error::Usage(format!(
                        "unknown provider {name:?}; `scan-secrets rotate` lists them"
                    ))
                })?;
            if markdown {
                write!(out, "{}", rotation::render_markdown_section(p)).map_err(Error::Output)?;
            } else {
                writeln!(out, "How to rotate: {}", p.name).map_err(Error::Output)?;
                write!(out, "{}", rotation::render(p, "  ")).map_err(Error::Output)?;
            }
        }
    }
    out.flush().map_err(Error::Output)?;
    Ok(Status::Clean)
}

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
