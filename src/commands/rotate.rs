//! `scan-secrets rotate`: a provider's rotation guide, or all of them.

use std::io::Write;

use crate::cli::{GuideFormat, RotateArgs};
use crate::error::Error;
use crate::exit::Status;
use crate::report::rotation;
use crate::rules::{Provider, RuleSet};

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
