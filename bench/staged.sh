#!/usr/bin/env bash
# Pre-commit latency: `scan-secrets --staged` in a throwaway clone with 10 staged files.
#
# Usage: bench/staged.sh [REPO]          (default: /work/data/git, a checkout of git/git)
#
# Clones REPO (git clone --no-local, so the original is never touched) into a temp dir,
# appends one line to each of 10 tracked text files spread over the tree, `git add`s them,
# then, from inside the clone (as a pre-commit hook runs):
#   hyperfine -N --warmup 3 --runs 30   "scan-secrets --staged"
#   and, when installed, "kingfisher scan --staged ..." for comparison (KINGFISHER=0 skips it)
# and prints the medians. The clone is removed on exit (KEEP=1 keeps it).
#
# Environment:
#   SCAN_SECRETS  binary to time  (default: <repo>/target/release/scan-secrets)
#   WARMUP, RUNS  (default: 3, 30)
#   OUT_DIR       results (default: <repo>/target/bench)
#   TMPDIR        where the clone goes (default: /tmp)
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SRC="${1:-/work/data/git}"
BIN="${SCAN_SECRETS:-$REPO/target/release/scan-secrets}"
WARMUP="${WARMUP:-3}"
RUNS="${RUNS:-30}"
OUT_DIR="${OUT_DIR:-$REPO/target/bench}"
KINGFISHER="${KINGFISHER:-1}"
KEEP="${KEEP:-0}"

die() { echo "error: $*" >&2; exit 2; }
q() { printf '%q' "$1"; }

command -v hyperfine >/dev/null 2>&1 \
    || die "hyperfine is not installed (apt-get install hyperfine, or cargo install hyperfine)"
command -v python3 >/dev/null 2>&1 || die "python3 is needed to read the results"
[ -x "$BIN" ] || die "$BIN not found; build it with: (cd $(q "$REPO") && cargo build --release)"
"$BIN" --help 2>/dev/null | grep -q -- '--staged' \
    || die "$BIN has no --staged option; rebuild it with: (cd $(q "$REPO") && cargo build --release)"
git -C "$SRC" rev-parse --show-toplevel >/dev/null 2>&1 || die "$SRC is not a git work tree"
BIN="$(cd "$(dirname "$BIN")" && pwd)/$(basename "$BIN")"

work="$(mktemp -d "${TMPDIR:-/tmp}/staged-bench.XXXXXX")"
if [ "$KEEP" = 1 ]; then
    trap 'echo "clone kept: $work"' EXIT
else
    trap 'rm -rf "$work"' EXIT
fi
clone="$work/repo"
echo "== cloning $SRC into $clone"
git clone -q --no-local "$SRC" "$clone"
cd "$clone"

# 10 tracked text files spread evenly over `git ls-files` (deterministic for a given commit)
mapfile -t all < <(git ls-files | grep -E '\.(c|h|rs|py|sh|txt|md|go|js|ts|json|ya?ml|toml|pl|perl|adoc)$' || true)
[ "${#all[@]}" -ge 10 ] || mapfile -t all < <(git ls-files)
[ "${#all[@]}" -ge 10 ] || die "$SRC has fewer than 10 tracked files"
step=$(( ${#all[@]} / 10 ))
for i in $(seq 0 9); do
    f="${all[$(( i * step ))]}"
    printf 'staged-bench: line %d appended to this file\n' "$i" >> "$f"
    git add -- "$f"
done
staged="$(git diff --cached --name-only | wc -l)"
echo "   $staged files staged, $(git diff --cached --numstat | awk '{a+=$1} END {print a}') lines added"

mkdir -p "$OUT_DIR"
tag="$(basename "$SRC")"
md="$OUT_DIR/staged-$tag.md"
js="$OUT_DIR/staged-$tag.json"
args=(-N -i --warmup "$WARMUP" --runs "$RUNS" --export-markdown "$md" --export-json "$js"
      -n scan-secrets "$BIN --staged")
if [ "$KINGFISHER" = 1 ] && command -v kingfisher >/dev/null 2>&1; then
    args+=(-n kingfisher "kingfisher scan --staged --no-validate --no-update-check -q --format json -o /dev/null .")
elif [ "$KINGFISHER" = 1 ]; then
    echo "skip kingfisher: not installed (pip install kingfisher-bin)" >&2
fi
hyperfine "${args[@]}"

echo
python3 - "$js" <<'EOF'
import json, sys
for r in json.load(open(sys.argv[1]))["results"]:
    print(f"{r['command']:<13} median {r['median']*1000:8.1f} ms   (mean {r['mean']*1000:.1f} ± {r['stddev']*1000:.1f}, "
          f"min {r['min']*1000:.1f}, max {r['max']*1000:.1f})")
EOF
echo "markdown: $md"
