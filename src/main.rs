use std::process::ExitCode;

use clap::Parser;
use scan_secrets::{cli::Cli, exit::Status};

fn main() -> ExitCode {
    let cli = Cli::parse();
    match scan_secrets::run(cli) {
        Ok(status) => status.into(),
        Err(e) if e.is_broken_pipe() => Status::Clean.into(),
        Err(e) => {
            eprintln!("scan-secrets: error: {e}");
            Status::Error.into()
        }
    }
}
