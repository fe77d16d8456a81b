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
    /// A repository that cannot be opened or read, a revision that does not resolve: found by
    /// our own checks.
    #[error("{0}")]
    Git(String),
    /// The same, reported by gix (or git): `what` we were doing, and its error as the source.
    #[error("{what}: {source}")]
    GitCause {
        what: String,
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
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

    /// The message followed by every underlying cause it does not already include (a
    /// variant's message shows its direct source; deeper ones are added here): what `main`
    /// prints, and what a per-object problem records.
    pub fn with_causes(&self) -> String {
        let mut out = self.to_string();
        let mut cause = std::error::Error::source(self);
        while let Some(c) = cause {
            let text = c.to_string();
            if !out.contains(&text) {
                out.push_str(": ");
                out.push_str(&text);
            }
            cause = c.source();
        }
        out
    }

    /// True when the error is a closed stdout (`scan-secrets | head`): exit quietly.
    pub fn is_broken_pipe(&self) -> bool {
        matches!(self, Error::Output(e) if e.kind() == std::io::ErrorKind::BrokenPipe)
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, thiserror::Error)]
    #[error("outer")]
    struct Outer(#[source] std::io::Error);

    #[test]
    fn causes_are_kept_and_printed_once() {
        let io = std::io::Error::new(std::io::ErrorKind::NotFound, "no such file");
        // Io's message already shows its source: nothing is added.
        let e = Error::io("a/b", io);
        assert_eq!(e.with_causes(), "a/b: no such file");
        // A cause below the direct source is added, and reachable through `source()`.
        let inner = std::io::Error::other("disk on fire");
        let e = Error::GitCause {
            what: "object 123".into(),
            source: Box::new(Outer(inner)),
        };
        assert_eq!(e.to_string(), "object 123: outer");
        assert_eq!(e.with_causes(), "object 123: outer: disk on fire");
        assert!(std::error::Error::source(&e).is_some());
    }
}
