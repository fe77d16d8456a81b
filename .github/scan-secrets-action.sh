#!/usr/bin/env bash
# scan-secrets GitHub Action: picks the commits to scan from the event, runs scan-secrets,
# writes SARIF, a job summary, annotations and the step outputs.
#
# Environment (set by action.yml, or by hand for a test):
#   INPUT_MODE              auto | range | since | history | full   (default auto)
#   INPUT_ARGS              extra flags for scan-secrets (split on whitespace)
#   INPUT_SARIF             SARIF file to write (default scan-secrets.sarif)
#   INPUT_FAIL_ON_FINDINGS  true | false (default true)
#   SCAN_SECRETS            the binary (default: scan-secrets on PATH)
#   SCAN_SECRETS_JSON_TOOL  jq | python3 (default: jq when available, else python3)
#   GITHUB_EVENT_NAME, GITHUB_EVENT_PATH, GITHUB_STEP_SUMMARY, GITHUB_OUTPUT (from the runner)
#
# Exit status: 0 clean (or findings with fail-on-findings false), 1 findings, 2 error.
set -uo pipefail

MODE="${INPUT_MODE:-auto}"
SARIF="${INPUT_SARIF:-scan-secrets.sarif}"
FAIL="${INPUT_FAIL_ON_FINDINGS:-true}"
BIN="${SCAN_SECRETS:-scan-secrets}"
EVENT="${GITHUB_EVENT_NAME:-}"
EVENT_PATH="${GITHUB_EVENT_PATH:-}"

die() {
    echo "::error title=scan-secrets::$(escape_data "$1")"
    echo "scan-secrets action: $1" >&2
    exit 2
}

# Workflow-command escaping (https://github.com/actions/toolkit/blob/main/packages/core/src/command.ts).
escape_data() {
    local s="$1"
    s="${s//'%'/%25}"
    s="${s//$'\r'/%0D}"
    s="${s//$'\n'/%0A}"
    printf '%s' "$s"
}
escape_prop() {
    local s
    s="$(escape_data "$1")"
    s="${s//:/%3A}"
    s="${s//,/%2C}"
    printf '%s' "$s"
}
# Undoes the \t \n \r \\ escapes of a TSV field (jq's @tsv, and our python equivalent).
unescape_tsv() {
    local s="$1" out="" c
    while [[ -n "$s" ]]; do
        c="${s:0:1}"
        if [[ "$c" == '\' && ${#s} -ge 2 ]]; then
            case "${s:1:1}" in
                t) out+=$'\t' ;;
                n) out+=$'\n' ;;
                r) out+=$'\r' ;;
                *) out+="${s:1:1}" ;;
            esac
            s="${s:2}"
        else
            out+="$c"
            s="${s:1}"
        fi
    done
    printf '%s' "$out"
}
# A Markdown table cell: no pipes, no line breaks.
md_cell() {
    local s="$1"
    s="${s//|/\\|}"
    s="${s//$'\n'/ }"
    s="${s//$'\r'/ }"
    printf '%s' "$s"
}

JSON_TOOL="${SCAN_SECRETS_JSON_TOOL:-}"
if [[ -z "$JSON_TOOL" ]]; then
    if command -v jq >/dev/null 2>&1; then
        JSON_TOOL=jq
    elif command -v python3 >/dev/null 2>&1; then
        JSON_TOOL=python3
    else
        die "neither jq nor python3 is available to read JSON"
    fi
fi
case "$JSON_TOOL" in
    jq | python3) ;;
    *) die "SCAN_SECRETS_JSON_TOOL must be jq or python3, not '$JSON_TOOL'" ;;
esac

# json_get FILE a.b.c: the value at that path as text ("" when absent or null).
json_get() {
    if [[ "$JSON_TOOL" == jq ]]; then
        jq -r --arg p "$2" 'getpath($p | split(".")) // empty | tostring' "$1"
    else
        python3 - "$1" "$2" <<'PY'
import json, sys
v = json.load(open(sys.argv[1], encoding="utf-8"))
for k in sys.argv[2].split("."):
    v = v.get(k) if isinstance(v, dict) else None
if v is None:
    sys.exit(0)
print(("true" if v else "false") if isinstance(v, bool) else v)
PY
    fi
}

# Empty fields are "-" (a tab is IFS whitespace: read would merge empty fields).
# One TSV row per finding: rule, file, line, column, commit, secret, description.
findings_tsv() {
    if [[ "$JSON_TOOL" == jq ]]; then
        jq -r '.[] | [.rule, .file, (.line|tostring), (.column|tostring), (.commit // ""),
            (.secret // ""), (.description // .rule)] | map(tostring | if . == "" then "-" else . end) | @tsv' "$1"
    else
        python3 - "$1" <<'PY'
import json, sys
def esc(v):
    s = "" if v is None else str(v)
    s = s or "-"
    return s.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
for f in json.load(open(sys.argv[1], encoding="utf-8")):
    row = [f.get("rule"), f.get("file"), f.get("line"), f.get("column"), f.get("commit"),
           f.get("secret"), f.get("description") or f.get("rule")]
    print("\t".join(esc(v) for v in row))
PY
    fi
}

# One TSV row per provider with a rotation guide: name, revoke URL, steps joined by \x1f.
rotation_tsv() {
    if [[ "$JSON_TOOL" == jq ]]; then
        jq -r 'map(select(.rotation != null)) | unique_by(.rotation.provider_name // .provider)
            | .[] | [(.rotation.provider_name // .provider), (.rotation.revoke_url // ""),
            ((.rotation.steps // []) | join("\u001f"))] | map(tostring | if . == "" then "-" else . end) | @tsv' "$1"
    else
        python3 - "$1" <<'PY'
import json, sys
def esc(v):
    s = "" if v is None else str(v)
    s = s or "-"
    return s.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
seen = {}
for f in json.load(open(sys.argv[1], encoding="utf-8")):
    r = f.get("rotation")
    if not r:
        continue
    name = r.get("provider_name") or f.get("provider")
    seen.setdefault(name, r)
for name in sorted(seen, key=str):
    r = seen[name]
    print("\t".join(esc(v) for v in [name, r.get("revoke_url"), "\x1f".join(r.get("steps") or [])]))
PY
    fi
}

json_len() {
    if [[ "$JSON_TOOL" == jq ]]; then
        jq 'length' "$1"
    else
        python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1], encoding="utf-8"))))' "$1"
    fi
}

# event_get VAR a.b.c: sets VAR to that field of the event payload (not in a subshell, so
# that die ends the script).
event_get() {
    [[ -n "$EVENT_PATH" && -f "$EVENT_PATH" ]] || die "GITHUB_EVENT_PATH is not set or not a file: '$EVENT_PATH'"
    local v
    v="$(json_get "$EVENT_PATH" "$2")" || die "cannot read $2 from the event payload $EVENT_PATH"
    printf -v "$1" '%s' "$v"
}

is_shallow() {
    [[ "$(git rev-parse --is-shallow-repository 2>/dev/null)" == true ]]
}
FETCH_HINT="set 'fetch-depth: 0' on actions/checkout (with: fetch-depth: 0) so that the commits to scan are present"

require_commit() {
    local sha="$1" what="$2"
    [[ -n "$sha" ]] || die "the event payload has no $what commit"
    if ! git cat-file -e "${sha}^{commit}" 2>/dev/null; then
        if is_shallow; then
            die "the $what commit $sha is not in this shallow clone: $FETCH_HINT"
        fi
        die "the $what commit $sha is not in this repository: fetch it (actions/checkout with fetch-depth: 0)"
    fi
}

ZEROS=0000000000000000000000000000000000000000

since_default_branch() {
    local def
    event_get def repository.default_branch
    def="${def:-main}"
    if ! git rev-parse --verify -q "origin/${def}^{commit}" >/dev/null; then
        if is_shallow; then
            die "origin/$def is not in this shallow clone: $FETCH_HINT"
        fi
        die "origin/$def does not resolve: fetch the default branch (actions/checkout with fetch-depth: 0)"
    fi
    SCOPE=(--since "origin/$def")
}

range_from_event() {
    case "$EVENT" in
        pull_request | pull_request_target)
            local base head
            event_get base pull_request.base.sha
            event_get head pull_request.head.sha
            require_commit "$base" "pull request base"
            require_commit "$head" "pull request head"
            SCOPE=(--range "$base..$head")
            ;;
        push)
            local before after created
            event_get before before
            event_get after after
            event_get created created
            if [[ -z "$before" || "$before" == "$ZEROS" || "$created" == true ]]; then
                since_default_branch
            else
                require_commit "$before" "push before"
                require_commit "$after" "push after"
                SCOPE=(--range "$before..$after")
            fi
            ;;
        *)
            die "mode '$MODE' needs a pull_request or push event, not '${EVENT:-none}'"
            ;;
    esac
}

SCOPE=()
case "$MODE" in
    auto)
        case "$EVENT" in
            pull_request | pull_request_target | push) range_from_event ;;
            *) SCOPE=(--history) ;;
        esac
        ;;
    range) range_from_event ;;
    since) since_default_branch ;;
    history | full) SCOPE=(--history) ;;
    *) die "unknown mode '$MODE' (auto, range, since, history or full)" ;;
esac

case "$FAIL" in
    true | false) ;;
    *) die "fail-on-findings must be true or false, not '$FAIL'" ;;
esac

EXTRA=()
if [[ -n "${INPUT_ARGS:-}" ]]; then
    read -r -a EXTRA <<<"$INPUT_ARGS"
fi

TMP="$(mktemp -d)" || die "mktemp failed"
trap 'rm -rf "$TMP"' EXIT
JSON="$TMP/findings.json"

echo "scan-secrets ${SCOPE[*]} ${EXTRA[*]:-}"
"$BIN" "${SCOPE[@]}" ${EXTRA[@]+"${EXTRA[@]}"} --format sarif -o "$SARIF"
rc=$?
if [[ $rc -ne 0 && $rc -ne 1 ]]; then
    echo "::error title=scan-secrets::scan-secrets failed (exit $rc), see the log above"
    exit 2
fi
"$BIN" "${SCOPE[@]}" ${EXTRA[@]+"${EXTRA[@]}"} --format json -o "$JSON" 2>"$TMP/stderr"
rc=$?
cat "$TMP/stderr" >&2
if [[ $rc -ne 0 && $rc -ne 1 ]]; then
    echo "::error title=scan-secrets::scan-secrets failed (exit $rc), see the log above"
    exit 2
fi

COUNT="$(json_len "$JSON")" || die "cannot read the JSON findings"

# What the scanned change does to its own scan, from the notes of the JSON run: the
# configuration or baseline files it modifies (the scan reads them from outside the change),
# and the findings its own configuration, baseline or inline markers would hide.
CHANGED=()
SUPPRESSED=()
NOTE="scan-secrets: note: "
while IFS= read -r line; do
    case "$line" in
        "${NOTE}the scanned commits change "*) CHANGED+=("${line#"${NOTE}the scanned commits change "}") ;;
        "${NOTE}suppressed by this change: "*) SUPPRESSED+=("${line#"${NOTE}suppressed by this change: "}") ;;
    esac
done <"$TMP/stderr"
CHANGE_RE='^(.+) \((added|modified|deleted)\); (.*)$'
for entry in ${CHANGED[@]+"${CHANGED[@]}"}; do
    [[ "$entry" =~ $CHANGE_RE ]] || continue
    file="${BASH_REMATCH[1]}"
    echo "::warning file=$(escape_prop "$file"),title=$(escape_prop "scan-secrets: configuration changed")::$(escape_data "This change modifies $file (${BASH_REMATCH[2]}), which configures its own secret scan; ${BASH_REMATCH[3]}. Review it: a change cannot silence its own scan.")"
done

if [[ -n "${GITHUB_OUTPUT:-}" ]]; then
    {
        echo "findings=$COUNT"
        echo "sarif=$SARIF"
    } >>"$GITHUB_OUTPUT"
fi

ROWS=()
while IFS= read -r line; do
    ROWS+=("$line")
done < <(findings_tsv "$JSON")

for row in ${ROWS[@]+"${ROWS[@]}"}; do
    IFS=$'\t' read -r rule file lnum col commit secret desc <<<"$row"
    rule="$(unescape_tsv "$rule")"
    file="$(unescape_tsv "$file")"
    secret="$(unescape_tsv "$secret")"
    desc="$(unescape_tsv "$desc")"
    echo "::error file=$(escape_prop "$file"),line=$lnum,col=$col,title=$(escape_prop "$rule")::$(escape_data "$desc ($secret)")"
done

if [[ -n "${GITHUB_STEP_SUMMARY:-}" ]]; then
    {
        echo "## scan-secrets"
        echo
        echo "Scanned: \`${SCOPE[*]}\`"
        echo
        for entry in ${CHANGED[@]+"${CHANGED[@]}"}; do
            [[ "$entry" =~ $CHANGE_RE ]] || continue
            echo "**This change modifies its scan's configuration:** \`$(md_cell "${BASH_REMATCH[1]}")\` (${BASH_REMATCH[2]}); $(md_cell "${BASH_REMATCH[3]}")."
            echo
        done
        if [[ ${#SUPPRESSED[@]} -gt 0 ]]; then
            echo "**Suppressed by this change** (its own configuration and baseline do not apply to its scan, so those findings are reported; findings behind inline markers it adds are not):"
            echo
            for entry in "${SUPPRESSED[@]}"; do
                echo "- $(md_cell "$entry")"
            done
            echo
        fi
        if [[ "$COUNT" -eq 0 ]]; then
            echo "No secrets found."
        else
            echo "**$COUNT secret(s) found.** Rotate them: removing them from the code is not enough."
            echo
            echo "| rule | location | commit | secret |"
            echo "| --- | --- | --- | --- |"
            for row in ${ROWS[@]+"${ROWS[@]}"}; do
                IFS=$'\t' read -r rule file lnum col commit secret desc <<<"$row"
                [[ "$commit" == - ]] && commit=""
                short="${commit:0:7}"
                echo "| $(md_cell "$(unescape_tsv "$rule")") | \`$(md_cell "$(unescape_tsv "$file")"):$lnum\` | ${short:+\`$short\`} | \`$(md_cell "$(unescape_tsv "$secret")")\` |"
            done
            while IFS=$'\t' read -r name url steps; do
                name="$(unescape_tsv "$name")"
                url="$(unescape_tsv "$url")"
                [[ "$url" == - ]] && url=""
                [[ "$steps" == - ]] && steps=""
                steps="$(unescape_tsv "$steps")"
                echo
                echo "### How to rotate: $name"
                echo
                [[ -n "$url" ]] && echo "Revoke: <$url>" && echo
                n=1
                IFS=$'\x1f' read -r -a list <<<"$steps"
                for s in ${list[@]+"${list[@]}"}; do
                    echo "$n. $s"
                    n=$((n + 1))
                done
            done < <(rotation_tsv "$JSON")
        fi
    } >>"$GITHUB_STEP_SUMMARY"
fi

echo "scan-secrets: $COUNT finding(s); SARIF written to $SARIF"
if [[ "$COUNT" -gt 0 && "$FAIL" == true ]]; then
    exit 1
fi
exit 0
