//! Exit codes, in one place: 0 nothing found, 1 findings, 2 error. "Found" is never the same
//! code as "broken", and an error wins over findings (the findings are still printed).

use std::process::ExitCode;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Clean,
    Findings,
    Error,
}

impl Status {
    /// The status of a finished scan.
    pub fn of_scan(findings: usize, errors: u64) -> Self {
        if errors > 0 {
            Status::Error
        } else if findings > 0 {
            Status::Findings
        } else {
            Status::Clean
        }
    }

    pub fn code(self) -> u8 {
        match self {
            Status::Clean => 0,
            Status::Findings => 1,
            Status::Error => 2,
        }
    }
}

impl From<Status> for ExitCode {
    fn from(s: Status) -> Self {
        ExitCode::from(s.code())
    }
}

#[cfg(test)]
mod tests {
    use super::Status;

    #[test]
    fn codes() {
        assert_eq!(Status::of_scan(0, 0).code(), 0);
        assert_eq!(Status::of_scan(3, 0).code(), 1);
        assert_eq!(Status::of_scan(3, 1).code(), 2);
        assert_eq!(Status::of_scan(0, 1).code(), 2);
        assert_eq!(Status::Error.code(), 2);
    }
}
