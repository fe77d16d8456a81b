#!/usr/bin/env python3
"""Generic-rule noise on real histories: every finding of a `generic-*` rule in a full history
scan of large, secret-free open-source repositories (curl, git). Such repositories hold
documentation, tests and code about passwords, not passwords, so nearly every generic finding
there is a false alarm; the list is printed so that each can be judged by eye.

usage: bench/generic_noise.py [--bin target/release/scan-secrets] [--all] [REPO ...]
  default REPOs: /work/data/curl-history.git /work/data/git-history.git
  (bare clones: git clone --bare /work/.mirror/curl+curl/repo /work/data/curl-history.git)
  --all  list provider findings too (only generic ones by default)
"""
import argparse
import json
import os
import subprocess
import time

DEFAULT_REPOS = ["/work/data/curl-history.git", "/work/data/git-history.git"]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default="target/release/scan-secrets")
    ap.add_argument("--all", action="store_true")
    ap.add_argument("repos", nargs="*", default=DEFAULT_REPOS)
    args = ap.parse_args()
    binary = os.path.abspath(args.bin)
    total = 0
    for repo in args.repos:
        start = time.monotonic()
        run = subprocess.run(
            [binary, "--history", "--format", "json", "--config", os.devnull, repo],
            capture_output=True, text=True,
        )
        elapsed = time.monotonic() - start
        if run.returncode not in (0, 1):
            raise SystemExit(f"{repo}: scan failed ({run.returncode}): {run.stderr}")
        findings = json.loads(run.stdout or "[]")
        generic = [f for f in findings if f["rule"].startswith("generic-")]
        total += len(generic)
        name = os.path.basename(repo.rstrip("/"))
        print(f"{name}: {len(findings)} findings, {len(generic)} generic ({elapsed:.2f} s)")
        for f in findings if args.all else generic:
            line = source_line(repo, f)
            print(f"  {f['rule']:34} {f['file']}:{f['line']}  {line[:110]}")
    print(f"generic findings in all: {total}")


def source_line(repo, finding):
    """The finding's line, read back from its blob (the report masks the secret, not the line)."""
    commit = finding.get("commit")
    if not commit:
        return ""
    run = subprocess.run(
        ["git", "-C", repo, "show", f"{commit}:{finding['file']}"],
        capture_output=True,
    )
    lines = run.stdout.decode("utf-8", "replace").splitlines()
    n = finding["line"]
    return lines[n - 1].strip() if 0 < n <= len(lines) else ""


if __name__ == "__main__":
    main()
