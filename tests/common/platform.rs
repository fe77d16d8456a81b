//! File-system calls that exist only on Unix, behind one name each, so that the tests using
//! them compile on every platform. A test that needs the Unix behaviour carries
//! `#[cfg_attr(windows, ignore = "<why>")]`: `cargo test` on Windows lists it as ignored, with
//! the reason, instead of dropping it silently. Making a file executable is the one call that
//! has a Windows meaning (none needed: Git for Windows' `sh` runs a script by its `#!` line).

use std::ffi::OsString;
use std::path::Path;

/// `std::os::unix::fs::symlink`.
pub fn symlink(target: &Path, link: &Path) {
    #[cfg(unix)]
    std::os::unix::fs::symlink(target, link).unwrap();
    #[cfg(not(unix))]
    unix_only("symlink", (target, link));
}

/// Sets the permission bits of `path` (`chmod`).
pub fn set_mode(path: &Path, mode: u32) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
    }
    #[cfg(not(unix))]
    unix_only("set_mode", (path, mode));
}

/// The permission bits of `path`.
pub fn mode(path: &Path) -> u32 {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::metadata(path).unwrap().permissions().mode() & 0o7777
    }
    #[cfg(not(unix))]
    unix_only("mode", path)
}

/// A file name made of raw bytes (which need not be UTF-8).
pub fn file_name(bytes: &[u8]) -> OsString {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        std::ffi::OsStr::from_bytes(bytes).to_os_string()
    }
    #[cfg(not(unix))]
    unix_only("file_name", bytes)
}

/// Makes the script at `path` executable (mode 0755; nothing to do on Windows).
pub fn make_executable(path: &Path) {
    if cfg!(unix) {
        set_mode(path, 0o755);
    }
}

#[cfg(not(unix))]
fn unix_only(call: &str, args: impl std::fmt::Debug) -> ! {
    panic!("{call}{args:?} is Unix-only: the test calling it must be ignored on this platform")
}
