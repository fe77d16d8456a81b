#!/usr/bin/env bash
# History-scan speed benchmark: scan-secrets --history vs kingfisher vs the floor
# (git reading every object once), per repository, one hyperfine run per repository.
#
# Usage: bench/history.sh [REPO...]
#   default: /work/data/curl-history.git /work/data/git-history.git /work/data/synth
#   REPO may be bare or have a work tree.
#
# Data (see the report of the session that made them):
#   git clone --no-local --bare /work/.mirror/curl+curl/repo /work/data/curl-history.git
#   git clone --no-local --bare /work/.mirror/git+git/repo   /work/data/git-history.git
#   python3 /work/shared/bench/make-history.py /work/data/synth --commits 20000 --files 3000 --secrets 400
#
# Environment:
#   SCAN_SECRETS  binary to time        (default: <repo>/target/release/scan-secrets)
#   WARMUP, RUNS  hyperfine settings    (default: 1, 3)
#   OUT_DIR       where the markdown/json results go (default: <repo>/target/bench)
#   NO_RSS=1      skip the extra /usr/bin/time run per tool that measures peak RSS
#
# Commands timed (output discarded; -i because scanners exit non-zero on findings):
#   scan-secrets  scan-secrets --history --format json REPO > /dev/null
#   kingfisher    kingfisher scan --no-validate --git-history full --no-update-check -q
#                 --format json -o /dev/null GIT_DIR
#                 GIT_DIR is the repository's git directory (REPO itself when bare,
#                 REPO/.git otherwise): given a work tree kingfisher scans the checkout
#                 as well as the history. It also reads the files of GIT_DIR itself
#                 (hooks, config, the .pack/.idx files) as plain files; that costs little
#                 CPU (measured on synth) and --exclude can't drop it safely: kingfisher
#                 applies --exclude to blob paths of the history too.
#   floor         git -C REPO cat-file --batch-all-objects --unordered --batch > /dev/null
#                 (every object, inflated and delta-resolved once: the I/O + zlib floor)
# The scan-secrets binary is copied to a temp dir first, so a rebuild during the run
# does not mix binaries. Peak RSS: one extra run of each under /usr/bin/time -f %M.
# The table shows the median wall time, mean CPU time (user+sys) and peak RSS; ratios are
# computed on medians and on CPU time (CPU time is steadier when the machine is busy).
# A tool that is not installed is skipped with a message.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BIN="${SCAN_SECRETS:-$REPO/target/release/scan-secrets}"
WARMUP="${WARMUP:-1}"
RUNS="${RUNS:-3}"
OUT_DIR="${OUT_DIR:-$REPO/target/bench}"
NO_RSS="${NO_RSS:-0}"

die() { echo "error: $*" >&2; exit 2; }
q() { printf '%q' "$1"; }

command -v hyperfine >/dev/null 2>&1 \
    || die "hyperfine is not installed (apt-get install hyperfine, or cargo install hyperfine)"
command -v python3 >/dev/null 2>&1 || die "python3 is needed to build the table"
command -v git >/dev/null 2>&1 || die "git is not installed"

if [ "$#" -gt 0 ]; then
    repos=("$@")
else
    repos=(/work/data/curl-history.git /work/data/git-history.git /work/data/synth)
fi

have_ss=0
if [ ! -x "$BIN" ]; then
    echo "skip scan-secrets: $BIN not found; build it with: (cd $(q "$REPO") && cargo build --release)" >&2
elif ! "$BIN" --help 2>/dev/null | grep -q -- '--history'; then
    echo "skip scan-secrets: $BIN has no --history option; rebuild it with: (cd $(q "$REPO") && cargo build --release)" >&2
else
    have_ss=1
fi
have_kf=0
if command -v kingfisher >/dev/null 2>&1; then
    have_kf=1
else
    echo "skip kingfisher: not installed (pip install kingfisher-bin)" >&2
fi
have_time=0
if [ "$NO_RSS" != 1 ]; then
    if [ -x /usr/bin/time ]; then
        have_time=1
    else
        echo "skip peak RSS: /usr/bin/time not found (apt-get install time)" >&2
    fi
fi

mkdir -p "$OUT_DIR"
summary="$OUT_DIR/history-summary.tsv"
: > "$summary"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
if [ "$have_ss" = 1 ]; then
    # time a private copy: a `cargo build` during the run must not swap binaries between runs
    cp "$BIN" "$tmp/scan-secrets"
    echo "== scan-secrets: $BIN (built $(date -r "$BIN" '+%F %T'), timing a copy)"
    BIN="$tmp/scan-secrets"
fi

load="$(cut -d' ' -f1 /proc/loadavg 2>/dev/null || echo '?')"
echo "== $(nproc) cores, load average $load"
for t in scan-secrets kingfisher git; do
    case "$t" in
        scan-secrets) [ "$have_ss" = 1 ] && v="$("$BIN" --version 2>/dev/null | sed -n 1p || true)" || continue ;;
        kingfisher) [ "$have_kf" = 1 ] && v="$(kingfisher --version 2>/dev/null | sed -n 1p || true)" || continue ;;
        git) v="$(git --version)" ;;
    esac
    echo "   $t: ${v:-?}"
done

# peak_rss NAME CMD... : run CMD once (stdout to /dev/null), print max RSS in KiB
peak_rss() {
    local name="$1"; shift
    local out="$tmp/rss-$name"
    /usr/bin/time -f '%M' -o "$out" "$@" > /dev/null 2> "$tmp/err-$name" || true
    # with a non-zero exit, GNU time writes "Command exited with ..." first; %M is the last line
    tail -n 1 "$out" 2>/dev/null | grep -E '^[0-9]+$' || echo "?"
}

for R in "${repos[@]}"; do
    if ! gitdir="$(git -C "$R" rev-parse --absolute-git-dir 2>/dev/null)"; then
        echo "skip $R: not a git repository" >&2
        continue
    fi
    R="$(cd "$R" && pwd)"
    tag="$(basename "$R" .git)"
    echo
    echo "== $R"
    git -C "$R" count-objects -v | awk '
        /^count:/ {loose=$2} /^in-pack:/ {inpack=$2} /^packs:/ {packs=$2} /^size-pack:/ {sp=$2}
        END {printf "   objects: %d in %d pack(s) (%.0f MiB), %d loose\n", inpack, packs, sp/1024, loose}'
    git -C "$R" cat-file --batch-all-objects --batch-check='%(objecttype) %(objectsize)' | awk '
        {n[$1]++; s[$1]+=$2}
        END {printf "   blobs %d (%.0f MiB), trees %d, commits %d, tags %d\n",
             n["blob"], s["blob"]/1048576, n["tree"], n["commit"], n["tag"]}'
    echo "   refs: $(git -C "$R" for-each-ref | wc -l)" \
         "(commits reachable from them: $(git -C "$R" rev-list --all | wc -l))"

    names=()
    cmds=()
    if [ "$have_ss" = 1 ]; then
        names+=(scan-secrets)
        cmds+=("$(q "$BIN") --history --format json $(q "$R") > /dev/null")
    fi
    if [ "$have_kf" = 1 ]; then
        names+=(kingfisher)
        cmds+=("kingfisher scan --no-validate --git-history full --no-update-check -q --format json -o /dev/null $(q "$gitdir")")
    fi
    names+=(floor)
    cmds+=("git -C $(q "$R") cat-file --batch-all-objects --unordered --batch > /dev/null")

    md="$OUT_DIR/history-$tag.md"
    js="$OUT_DIR/history-$tag.json"
    args=(--warmup "$WARMUP" --runs "$RUNS" -i --export-markdown "$md" --export-json "$js")
    for i in "${!cmds[@]}"; do
        args+=(-n "${names[$i]}" "${cmds[$i]}")
    done
    hyperfine "${args[@]}"

    rss_ss="-"; rss_kf="-"; rss_floor="-"
    if [ "$have_time" = 1 ]; then
        echo "   measuring peak RSS (one extra run each)..."
        [ "$have_ss" = 1 ] && rss_ss="$(peak_rss ss "$BIN" --history --format json "$R")"
        [ "$have_kf" = 1 ] && rss_kf="$(peak_rss kf kingfisher scan --no-validate --git-history full \
            --no-update-check -q --format json -o /dev/null "$gitdir")"
        rss_floor="$(peak_rss floor git -C "$R" cat-file --batch-all-objects --unordered --batch)"
    fi
    printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$tag" "$js" "$md" "$rss_ss" "$rss_kf" "$rss_floor" >> "$summary"
done

[ -s "$summary" ] || die "no repository was benchmarked"

echo
python3 - "$summary" <<'EOF'
import json, sys

def fmt_s(x):
    return "-" if x is None else (f"{x:.2f} s" if x >= 1 else f"{x*1000:.0f} ms")

def fmt_rss(k):
    return "-" if k in ("-", "?", "") else f"{int(k)/1024:.0f} MiB"

def ratio(a, b):
    return "-" if a is None or b is None or b == 0 else f"{a/b:.2f}"

print(f"{'repo':<14} {'tool':<13} {'median':>9} {'min':>9} {'cpu':>9} {'peak RSS':>9}")
ratios = []
for line in open(sys.argv[1]):
    tag, js, md, rss_ss, rss_kf, rss_floor = line.rstrip("\n").split("\t")
    res = {r["command"]: r for r in json.load(open(js))["results"]}
    rss = {"scan-secrets": rss_ss, "kingfisher": rss_kf, "floor": rss_floor}
    med, cpu = {}, {}
    for tool in ("scan-secrets", "kingfisher", "floor"):
        r = res.get(tool)
        if r is None:
            continue
        med[tool] = r["median"]
        cpu[tool] = r["user"] + r["system"]
        bad = sum(1 for c in r.get("exit_codes", []) if c not in (0, 1, 200, 205))
        note = f"  (exit codes {sorted(set(r['exit_codes']))})" if bad else ""
        print(f"{tag:<14} {tool:<13} {fmt_s(r['median']):>9} {fmt_s(r['min']):>9} {fmt_s(cpu[tool]):>9} "
              f"{fmt_rss(rss[tool]):>9}{note}")
    ratios.append((tag, med, cpu))
    print(f"{'':<14} markdown: {md}")

print()
print(f"{'repo':<14} {'ss/kingfisher':>14} {'ss/floor':>13} {'kingfisher/floor':>17}   (wall medians; CPU in parentheses)")
for tag, med, cpu in ratios:
    def both(a, b):
        return f"{ratio(med.get(a), med.get(b))} ({ratio(cpu.get(a), cpu.get(b))})"
    print(f"{tag:<14} {both('scan-secrets', 'kingfisher'):>14} {both('scan-secrets', 'floor'):>13} "
          f"{both('kingfisher', 'floor'):>17}")
EOF
