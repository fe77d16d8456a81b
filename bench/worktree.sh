#!/usr/bin/env bash
# Working-tree speed benchmark: scan-secrets vs kingfisher vs ripgrep (the floor),
# on one big checkout, in one hyperfine run.
#
# Usage: bench/worktree.sh [DIR]        (default: /work/data/git, a checkout of git/git)
#
# Environment:
#   SCAN_SECRETS  binary to time        (default: <repo>/target/release/scan-secrets)
#   WARMUP, RUNS  hyperfine settings    (default: 2, 10)
#   OUT_DIR       where the markdown/json results go (default: <repo>/target/bench)
#
# Commands timed (output discarded, non-zero exit codes accepted with -i since
# scanners exit 1 / 200 when they find something):
#   scan-secrets  scan-secrets --format json DIR
#   kingfisher    kingfisher scan --no-validate --git-history none --exclude .git
#                 --no-update-check -q --format json -o /dev/null DIR
#                 (no validation, no git history; .git/ excluded as our walker does,
#                 otherwise kingfisher also reads .git/index and the pack .idx/.rev files)
#   rg            rg -c 'AKIA|sk_live_|ghp_' DIR   (honours .gitignore like our walker)
# A tool that is not installed is skipped with a message.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DIR="${1:-/work/data/git}"
BIN="${SCAN_SECRETS:-$REPO/target/release/scan-secrets}"
WARMUP="${WARMUP:-2}"
RUNS="${RUNS:-10}"
OUT_DIR="${OUT_DIR:-$REPO/target/bench}"

die() { echo "error: $*" >&2; exit 2; }

command -v hyperfine >/dev/null 2>&1 \
    || die "hyperfine is not installed (apt-get install hyperfine, or cargo install hyperfine)"
command -v python3 >/dev/null 2>&1 || die "python3 is needed to compute the ratios"
[ -d "$DIR" ] || die "$DIR is not a directory (clone a big repository there, e.g. git/git, or pass DIR)"
DIR="$(cd "$DIR" && pwd)"

q() { printf '%q' "$1"; }

names=()
cmds=()
if [ -x "$BIN" ]; then
    names+=(scan-secrets)
    cmds+=("$(q "$BIN") --format json $(q "$DIR") > /dev/null")
else
    echo "skip scan-secrets: $BIN not found; build it with: (cd $(q "$REPO") && cargo build --release)" >&2
fi
if command -v kingfisher >/dev/null 2>&1; then
    names+=(kingfisher)
    cmds+=("kingfisher scan --no-validate --git-history none --exclude .git --no-update-check -q --format json -o /dev/null $(q "$DIR")")
else
    echo "skip kingfisher: not installed (pip install kingfisher-bin)" >&2
fi
if command -v rg >/dev/null 2>&1; then
    names+=(rg)
    cmds+=("rg -c 'AKIA|sk_live_|ghp_' $(q "$DIR") > /dev/null")
else
    echo "skip rg: not installed (apt-get install ripgrep, or cargo install ripgrep)" >&2
fi
[ "${#cmds[@]}" -gt 0 ] || die "nothing to benchmark"

mkdir -p "$OUT_DIR"
tag="$(basename "$DIR")"
md="$OUT_DIR/worktree-$tag.md"
js="$OUT_DIR/worktree-$tag.json"

files="$( (git -C "$DIR" ls-files 2>/dev/null || find "$DIR" -type f -not -path '*/.git/*') | wc -l)"
size="$(du -sh --apparent-size --exclude=.git "$DIR" | cut -f1)"
echo "== working tree: $DIR ($files files, $size without .git), $(nproc) cores"
for t in "${names[@]}"; do
    case "$t" in
        scan-secrets) v="$("$BIN" --version 2>/dev/null | sed -n 1p || true)" ;;
        kingfisher) v="$(kingfisher --version 2>/dev/null | sed -n 1p || true)" ;;
        rg) v="$(rg --version 2>/dev/null | sed -n 1p || true)" ;;
    esac
    echo "   $t: ${v:-?}"
done

args=(--warmup "$WARMUP" --runs "$RUNS" -i --export-markdown "$md" --export-json "$js")
for i in "${!cmds[@]}"; do
    args+=(-n "${names[$i]}" "${cmds[$i]}")
done
hyperfine "${args[@]}"

echo
echo "markdown: $md"
python3 - "$js" <<'EOF'
import json, sys
res = {r["command"]: r for r in json.load(open(sys.argv[1]))["results"]}
def mean(n):
    return res[n]["mean"] if n in res else None
ss = mean("scan-secrets")
for n in ("kingfisher", "rg"):
    if n in res:
        print(f"{n:<13} mean {res[n]['mean']*1000:8.1f} ms ± {res[n]['stddev']*1000:.1f}")
if ss is not None:
    print(f"{'scan-secrets':<13} mean {ss*1000:8.1f} ms ± {res['scan-secrets']['stddev']*1000:.1f}")
    for n in ("kingfisher", "rg"):
        if n in res:
            print(f"ratio scan-secrets/{n}: {ss / res[n]['mean']:.2f}")
else:
    print("ratios: n/a (scan-secrets not built)")
    if "kingfisher" in res and "rg" in res:
        print(f"ratio kingfisher/rg: {res['kingfisher']['mean'] / res['rg']['mean']:.2f}")
EOF
