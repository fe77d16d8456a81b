#!/usr/bin/env bash
# Server-side cost of the pre-receive hook: real `git push`es over the local transport into a
# bare repository with the hook installed (`scan-secrets install --hook pre-receive`), against
# the same pushes into a repository whose pre-receive hook only reads its input.
#
# Usage: bench/pre-receive.sh [SRC]    (default: /work/data/git-history.git, git/git)
#
# Two pushes from SRC's HEAD, each into a fresh copy (hard links) of a server that has the
# history up to a base commit (restored before every run, so every push brings the same new
# commits; building the two servers takes a few minutes on git/git):
#   1 commit      base = HEAD~1
#   ~1000 commits base = HEAD~N, N the first-parent depth where HEAD~N..HEAD holds >= 1000
# Each push is timed with hyperfine (--runs RUNS, medians), with the installed hook and with
# a hook that only reads its input. Inside the installed hook the binary runs under GNU time,
# which records the scan's own wall time (the latency the hook adds, free of the push's
# noise) and peak RSS. A push the scan refuses (a finding in SRC's recent history) costs the
# same to time: both outcomes are accepted.
#
# Environment:
#   SCAN_SECRETS  binary (default: <repo>/target/release/scan-secrets)
#   RUNS          hyperfine runs per command (default: 15)
#   TMPDIR        where the servers go (default: /tmp); removed on exit unless KEEP=1
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SRC="$(cd "${1:-/work/data/git-history.git}" && pwd)"
BIN="${SCAN_SECRETS:-$REPO/target/release/scan-secrets}"
RUNS="${RUNS:-15}"
KEEP="${KEEP:-0}"

die() { echo "error: $*" >&2; exit 2; }
command -v hyperfine >/dev/null || die "hyperfine is not installed (apt-get install hyperfine)"
[ -x /usr/bin/time ] || die "GNU time (/usr/bin/time) is needed for peak RSS (apt-get install time)"
[ -x "$BIN" ] || die "$BIN not found; build it with: (cd $REPO && cargo build --release)"
"$BIN" --help | grep -q -- '--pre-receive' || die "$BIN has no --pre-receive; rebuild it"
git -C "$SRC" rev-parse --verify -q HEAD >/dev/null || die "$SRC has no HEAD commit"

work="$(mktemp -d "${TMPDIR:-/tmp}/pre-receive-bench.XXXXXX")"
if [ "$KEEP" = 1 ]; then trap 'echo "kept: $work"' EXIT; else trap 'rm -rf "$work"' EXIT; fi

tip=$(git -C "$SRC" rev-parse HEAD)
depth=50
while [ "$(git -C "$SRC" rev-list --count "$tip~$depth..$tip")" -lt 1000 ]; do
    depth=$((depth + 50))
done
many=$(git -C "$SRC" rev-list --count "$tip~$depth..$tip")

# A pristine server per base, holding only the history up to it (a push from SRC, so the new
# commits' objects arrive with the timed push, into quarantine, as on a real server); its only
# ref is main. Each run restores a hard-linked copy of it.
pristine() { # name base
    git init -q --bare "$work/$1"
    git -C "$SRC" push -q "$work/$1" "$2:refs/heads/main"
}
pristine one "$tip~1"
pristine many "$tip~$depth"
"$BIN" install --hook pre-receive "$work/one" >/dev/null
# The installed hook, with the binary run under GNU time: each scan appends its wall time and
# peak RSS to $work/<kind>.hook.
mv "$work/one/hooks/pre-receive" "$work/installed-hook"   # the servers stay hook-less (hard links)
sed "s|^SCAN_SECRETS_BIN=.*|SCAN_SECRETS_BIN=$work/timed|" "$work/installed-hook" >"$work/scan-hook"
printf '#!/bin/sh\nexec /usr/bin/time -f "%%e %%M" -a -o "$SCAN_SECRETS_BENCH_LOG" %s "$@"\n' "$BIN" >"$work/timed"
printf '#!/bin/sh\ncat >/dev/null\nexit 0\n' >"$work/null-hook"
chmod +x "$work/scan-hook" "$work/timed" "$work/null-hook"

bench() { # kind: restore the server, put a hook in place, push
    local restore="rm -rf $work/srv && cp -al $work/$1 $work/srv"
    SCAN_SECRETS_BENCH_LOG="$work/$1.hook" hyperfine -N -i --runs "$RUNS" --export-json "$work/$1.json" \
        --prepare "sh -c '$restore && cp $work/scan-hook $work/srv/hooks/pre-receive'" \
        -n "scan hook" "git -C $SRC push -q $work/srv $tip:refs/heads/main" \
        --prepare "sh -c '$restore && cp $work/null-hook $work/srv/hooks/pre-receive'" \
        -n "null hook" "git -C $SRC push -q $work/srv $tip:refs/heads/main" >/dev/null
}

echo "== $SRC: 1 new commit, and $many new commits (HEAD~$depth..HEAD); $RUNS runs each"
bench one
bench many

python3 - "$work" "$many" <<'EOF'
import json, statistics, sys
work, many = sys.argv[1], sys.argv[2]
for kind, label in (("one", "1 commit"), ("many", f"{many} commits")):
    r = {x["command"]: x for x in json.load(open(f"{work}/{kind}.json"))["results"]}
    scan, null = r["scan hook"]["median"], r["null hook"]["median"]
    runs = [l.split() for l in open(f"{work}/{kind}.hook") if l.strip() and l[0].isdigit()]
    secs = statistics.median(float(t) for t, _ in runs)
    rss = max(int(m) for _, m in runs) / 1024
    print(f"{label:>14}: scan in the hook {secs*1000:6.0f} ms (median of {len(runs)}), peak RSS {rss:5.1f} MiB; "
          f"whole push {scan*1000:6.0f} ms with the hook, {null*1000:6.0f} ms with a hook that only reads its input")
EOF
