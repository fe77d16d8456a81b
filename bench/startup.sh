#!/usr/bin/env bash
# Start-up cost: scan-secrets on a 2-byte file against `git --version` (the floor of starting a
# process), in one hyperfine run, plus the instruction count of the scan (callgrind, when
# valgrind is installed): repeatable whatever else the machine is doing.
#
# Usage: bench/startup.sh
#
# Environment:
#   SCAN_SECRETS  binary to time  (default: <repo>/target/release/scan-secrets)
#   BEFORE        a second binary to time in the same run (e.g. a build of an older commit)
#   WARMUP, RUNS  (default: 5, 50)
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BIN="${SCAN_SECRETS:-$REPO/target/release/scan-secrets}"
WARMUP="${WARMUP:-5}"
RUNS="${RUNS:-50}"

die() { echo "error: $*" >&2; exit 2; }
command -v hyperfine >/dev/null 2>&1 \
    || die "hyperfine is not installed (apt-get install hyperfine, or cargo install hyperfine)"
[ -x "$BIN" ] || die "$BIN not found; build it with: (cd $REPO && cargo build --release)"

work="$(mktemp -d "${TMPDIR:-/tmp}/startup-bench.XXXXXX")"
trap 'rm -rf "$work"' EXIT
cd "$work"
printf 'hi' > two.txt

cmds=("git --version" "$BIN two.txt")
[ -n "${BEFORE:-}" ] && cmds+=("$BEFORE two.txt")
hyperfine -N -i --warmup "$WARMUP" --runs "$RUNS" --export-json "$work/out.json" "${cmds[@]}"
python3 - "$work/out.json" <<'PY'
import json, sys
res = json.load(open(sys.argv[1]))["results"]
floor = res[0]["median"]
for r in res:
    print(f"{r['command']:<60} median {r['median']*1000:6.2f} ms  {r['median']/floor:5.2f}x git --version")
PY
if command -v valgrind >/dev/null 2>&1; then
    for b in "$BIN" ${BEFORE:+"$BEFORE"}; do
        n=$(valgrind --tool=callgrind --callgrind-out-file=/dev/null "$b" two.txt 2>&1 \
            | sed -n 's/.*refs: *//p')
        echo "$b two.txt: $n instructions"
    done
fi
