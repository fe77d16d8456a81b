//! `scan-secrets install` and `uninstall`: write (or remove) a git hook that runs the scan.
//!
//! The hook goes to `core.hooksPath` when it is set, otherwise to the common git directory's
//! `hooks/` (so every linked worktree shares it). A hook that is already there and is not ours
//! is kept: it is renamed `<hook>.scan-secrets-chained` and our script runs it first. Our
//! scripts carry [`MARKER`], which is how `install` recognises itself (re-running it refreshes
//! the script and never chains twice) and how `uninstall` refuses to touch a foreign hook.

use std::path::{Path, PathBuf};

use crate::cli::{HookArgs, HookKind};
use crate::error::Error;
use crate::exit::Status;
use crate::text::shell_quote;

/// The line that marks a hook as written by scan-secrets.
pub const MARKER: &str = "# scan-secrets hook v1";

/// Suffix of the name under which a pre-existing hook is kept.
pub const CHAINED_SUFFIX: &str = ".scan-secrets-chained";

const PRE_COMMIT: &str = include_str!("../../hooks/pre-commit");
const PRE_PUSH: &str = include_str!("../../hooks/pre-push");
const PRE_RECEIVE: &str = include_str!("../../hooks/pre-receive");

impl HookKind {
    /// The hook's file name, as git knows it.
    pub fn name(self) -> &'static str {
        match self {
            HookKind::PreCommit => "pre-commit",
            HookKind::PrePush => "pre-push",
            HookKind::PreReceive => "pre-receive",
        }
    }

    fn template(self) -> &'static str {
        match self {
            HookKind::PreCommit => PRE_COMMIT,
            HookKind::PrePush => PRE_PUSH,
            HookKind::PreReceive => PRE_RECEIVE,
        }
    }
}

/// The script for `kind`, with `bin` (the binary to run) recorded in its `SCAN_SECRETS_BIN=`
/// line.
pub fn script(kind: HookKind, bin: &Path) -> String {
    let bin = bin.to_string_lossy();
    let bin = if cfg!(windows) {
        sh_path(&bin)
    } else {
        bin.into_owned()
    };
    // A checkout with `core.autocrlf` would hand `include_str!` CRLF lines (`.gitattributes`
    // asks for LF, this makes sure): `#!/bin/sh\r` is not an interpreter.
    kind.template()
        .replace("\r\n", "\n")
        .replace("@SCAN_SECRETS_BIN@", &shell_quote(&bin))
}

/// A Windows path as Git for Windows' `sh` takes it: no `\\?\` verbatim prefix (which
/// `canonicalize` adds), `/` separators. `C:/Program Files/x.exe` works with `[ -x ]` and as a
/// command there; drive letters and spaces are kept (the caller quotes).
fn sh_path(path: &str) -> String {
    let path = match path.strip_prefix(r"\\?\UNC\") {
        Some(share) => format!(r"\\{share}"),
        None => path.strip_prefix(r"\\?\").unwrap_or(path).to_string(),
    };
    path.replace('\\', "/")
}

/// True when the file at `path` is one of our scripts.
fn is_ours(path: &Path) -> Result<bool, Error> {
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    Ok(String::from_utf8_lossy(&bytes)
        .lines()
        .any(|l| l.trim_end() == MARKER))
}

fn exists(path: &Path) -> bool {
    std::fs::symlink_metadata(path).is_ok()
}

/// The hooks directory of the repository containing `dir`.
pub fn hooks_dir(dir: &Path) -> Result<PathBuf, Error> {
    let repo = crate::source::git::discover(dir)?;
    let configured = repo
        .config_snapshot()
        .string("core.hooksPath")
        .map(|v| v.to_string())
        .filter(|v| !v.trim().is_empty());
    let Some(value) = configured else {
        return Ok(absolute(&repo.common_dir().join("hooks")));
    };
    let path = match value.strip_prefix("~/") {
        // Git for Windows falls back to USERPROFILE when HOME is unset, as in cmd or PowerShell.
        Some(rest) => std::env::var_os("HOME")
            .or_else(|| std::env::var_os("USERPROFILE").filter(|_| cfg!(windows)))
            .map(|h| PathBuf::from(h).join(rest))
            .ok_or_else(|| Error::Usage(format!("core.hooksPath {value:?}: HOME is not set")))?,
        None => PathBuf::from(&value),
    };
    if path.is_absolute() {
        return Ok(path);
    }
    // Git resolves a relative core.hooksPath from where hooks run: the top of the work tree
    // (the git directory in a bare repository).
    let base = repo.workdir().unwrap_or_else(|| repo.git_dir());
    Ok(absolute(&base.join(path)))
}

fn absolute(p: &Path) -> PathBuf {
    std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf())
}

fn chained_path(hook: &Path) -> PathBuf {
    let mut name = hook.file_name().unwrap_or_default().to_os_string();
    name.push(CHAINED_SUFFIX);
    hook.with_file_name(name)
}

/// Writes `text` to `path` with mode 0755 through a temporary file in the same directory, so
/// that the hook is either the old one or the whole new one, never half written.
fn write_atomic(path: &Path, text: &str) -> Result<(), Error> {
    use std::io::Write;
    let dir = path.parent().unwrap_or(Path::new("."));
    let name = path.file_name().unwrap_or_default().to_string_lossy();
    let tmp = dir.join(format!(".{name}.scan-secrets-tmp-{}", std::process::id()));
    let result = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(text.as_bytes())?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            f.set_permissions(std::fs::Permissions::from_mode(0o755))?;
        }
        f.sync_all()?;
        drop(f);
        std::fs::rename(&tmp, path)
    })();
    result.map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        Error::io(path, e)
    })
}

/// Runs `git config --global <args>`; `Ok(None)` when git says the key is unset (exit 1).
fn git_global_config(args: &[&str]) -> Result<Option<String>, Error> {
    let out = std::process::Command::new("git")
        .args(["config", "--global"])
        .args(args)
        .output()
        .map_err(|e| crate::source::git::git_err("cannot run git to read the global config", e))?;
    match out.status.code() {
        Some(0) => Ok(Some(
            String::from_utf8_lossy(&out.stdout).trim().to_string(),
        )),
        Some(1) if args.first() == Some(&"--get") => Ok(None),
        _ => Err(Error::Git(format!(
            "git config --global {}: {}",
            args.join(" "),
            String::from_utf8_lossy(&out.stderr).trim()
        ))),
    }
}

/// The `hooks/` directory of git's template directory: `init.templateDir` from the global
/// config, or `~/.git-templates`, which `install` then records as `init.templateDir`.
fn template_hooks_dir(set_if_unset: bool) -> Result<PathBuf, Error> {
    let home = std::env::var_os("HOME")
        .map(PathBuf::from)
        .ok_or_else(|| Error::Usage("--global: HOME is not set".to_string()))?;
    let current = git_global_config(&["--get", "init.templateDir"])?.filter(|v| !v.is_empty());
    let dir = match current {
        Some(v) => match v.strip_prefix("~/") {
            Some(rest) => home.join(rest),
            None => PathBuf::from(v),
        },
        None => {
            let dir = home.join(".git-templates");
            if set_if_unset {
                git_global_config(&["init.templateDir", &dir.to_string_lossy()])?;
                println!("set git config --global init.templateDir {}", dir.display());
            }
            dir
        }
    };
    Ok(dir.join("hooks"))
}

fn target(args: &HookArgs, installing: bool) -> Result<(PathBuf, PathBuf), Error> {
    if let Some(dir) = &args.dir {
        let hook = absolute(dir).join(args.hook.name());
        return Ok((chained_path(&hook), hook));
    }
    if args.global {
        let hook = template_hooks_dir(installing)?.join(args.hook.name());
        return Ok((chained_path(&hook), hook));
    }
    let dir = args.repo.clone().unwrap_or_else(|| PathBuf::from("."));
    if !dir.exists() {
        return Err(Error::Usage(format!(
            "{}: no such directory",
            dir.display()
        )));
    }
    let hooks = hooks_dir(&dir)?;
    let hook = hooks.join(args.hook.name());
    Ok((chained_path(&hook), hook))
}

/// `scan-secrets install`.
pub fn install(args: HookArgs) -> Result<Status, Error> {
    let (chained, hook) = target(&args, true)?;
    let name = args.hook.name();
    let bin = std::env::current_exe()
        .and_then(|p| p.canonicalize())
        .map_err(|e| Error::Usage(format!("cannot find the path of scan-secrets itself: {e}")))?;
    let text = script(args.hook, &bin);
    let dir = hook.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;

    let message = if exists(&hook) && is_ours(&hook)? {
        write_atomic(&hook, &text)?;
        format!("updated {name} hook at {}", hook.display())
    } else if exists(&hook) {
        if exists(&chained) {
            return Err(Error::Usage(format!(
                "{} is not a scan-secrets hook and {} already exists: move one of them away, then run install again",
                hook.display(),
                chained.display()
            )));
        }
        // The foreign hook is moved (rename keeps its mode and content) only once our script
        // is ready next to it; a crash in between leaves it under one of its two names.
        let dir_tmp = dir.join(format!(".{name}.scan-secrets-new-{}", std::process::id()));
        write_atomic(&dir_tmp, &text)?;
        let moved = std::fs::rename(&hook, &chained)
            .map_err(|e| Error::io(&hook, e))
            .and_then(|()| std::fs::rename(&dir_tmp, &hook).map_err(|e| Error::io(&hook, e)));
        if let Err(e) = moved {
            let _ = std::fs::remove_file(&dir_tmp);
            if !exists(&hook) && exists(&chained) {
                let _ = std::fs::rename(&chained, &hook);
            }
            return Err(e);
        }
        format!(
            "installed {name} hook at {} (existing hook kept as {}, and run first)",
            hook.display(),
            chained.display()
        )
    } else {
        write_atomic(&hook, &text)?;
        if exists(&chained) {
            format!(
                "installed {name} hook at {} (it runs {} first)",
                hook.display(),
                chained.display()
            )
        } else {
            format!("installed {name} hook at {}", hook.display())
        }
    };
    println!("{message}");
    if args.global {
        println!(
            "repositories created by git init or git clone from now on get it; in an existing repository run scan-secrets install"
        );
    }
    Ok(Status::Clean)
}

/// `scan-secrets uninstall`.
pub fn uninstall(args: HookArgs) -> Result<Status, Error> {
    let (chained, hook) = target(&args, false)?;
    let name = args.hook.name();
    if exists(&hook) && !is_ours(&hook)? {
        return Err(Error::Usage(format!(
            "{} is not a scan-secrets hook (no {MARKER:?} line): left unchanged",
            hook.display()
        )));
    }
    let message = if exists(&chained) {
        std::fs::rename(&chained, &hook).map_err(|e| Error::io(&chained, e))?;
        format!(
            "removed the scan-secrets {name} hook; restored the previous hook at {}",
            hook.display()
        )
    } else if exists(&hook) {
        std::fs::remove_file(&hook).map_err(|e| Error::io(&hook, e))?;
        format!("removed the scan-secrets {name} hook at {}", hook.display())
    } else {
        format!(
            "no scan-secrets {name} hook at {}: nothing to do",
            hook.display()
        )
    };
    println!("{message}");
    Ok(Status::Clean)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_carry_the_marker_and_the_quoted_binary() {
        for kind in [HookKind::PreCommit, HookKind::PrePush, HookKind::PreReceive] {
            let s = script(kind, Path::new("/opt/it's here/scan-secrets"));
            assert!(s.starts_with("#!/bin/sh\n"));
            assert!(s.lines().any(|l| l == MARKER));
            assert!(s.contains("\nSCAN_SECRETS_BIN='/opt/it'\\''s here/scan-secrets'\n"));
            assert!(!s.contains("@SCAN_SECRETS_BIN@"));
            assert!(!s.contains('\r'));
        }
    }

    #[test]
    fn windows_paths_become_paths_sh_runs() {
        let cases = [
            (
                r"\\?\C:\Users\Ann Lee\.cargo\bin\scan-secrets.exe",
                "C:/Users/Ann Lee/.cargo/bin/scan-secrets.exe",
            ),
            (r"C:\tools\scan-secrets.exe", "C:/tools/scan-secrets.exe"),
            (
                r"\\?\UNC\server\share\scan-secrets.exe",
                "//server/share/scan-secrets.exe",
            ),
            ("/usr/local/bin/scan-secrets", "/usr/local/bin/scan-secrets"),
        ];
        for (given, sh) in cases {
            assert_eq!(sh_path(given), sh, "{given}");
        }
    }
}
