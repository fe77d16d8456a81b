use std::process::ExitCode;

use clap::Parser;
use scan_secrets::{cli::Cli, exit::Status};

fn main() -> ExitCode {
    // A bug must still end as "error" (exit 2) with one line, never as a backtrace or as exit
    // 101, which a hook or CI step could mistake for something else.
    std::panic::set_hook(Box::new(|info| {
        eprintln!(
            "scan-secrets: internal error: {info} (please report this with the command you ran)"
        );
    }));
    let cli = Cli::parse();
    match std::panic::catch_unwind(|| scan_secrets::run(cli)) {
        Ok(Ok(status)) => status.into(),
        Ok(Err(e)) if e.is_broken_pipe() => Status::Clean.into(),
        Ok(Err(e)) => {
            eprintln!("scan-secrets: error: {}", e.with_causes());
            Status::Error.into()
        }
        Err(_) => {
            // `run` did not get to remove the private object store of a push being received.
            scan_secrets::source::quarantine::release();
            Status::Error.into()
        }
    }
}
