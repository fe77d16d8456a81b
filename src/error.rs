//! User-facing errors. Each variant carries the file, flag or key the user needs to fix it;
//! `main` prints it once, without a backtrace, and exits 2.

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{}: {message}", path.as_ref().map_or_else(|| "config".to_string(), |p| p.display().to_string()))]
    Config {
        path: Option<PathBuf>,
        message: String,
    },
    #[error("pattern {origin}: {message}")]
    Pattern { origin: String, message: String },
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{0}")]
    Usage(String),
    /// A repository that cannot be opened or read, a revision that does not resolve.
    #[error("{0}")]
    Git(String),
    /// Writing the report failed (a closed pipe is handled by `main`).
    #[error("cannot write output: {0}")]
    Output(#[source] std::io::Error),
}

impl Error {
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            source,
        }
    }

    /// True when the error is a closed stdout (`scan-secrets | head`): exit quietly.
    pub fn is_broken_pipe(&self) -> bool {
        matches!(self, Error::Output(e) if e.kind() == std::io::ErrorKind::BrokenPipe)
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
