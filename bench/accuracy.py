#!/usr/bin/env python3
"""Score a secret scanner against the labeled corpora in ../shared/corpus.

Usage:
  bench/accuracy.py [--tool scan-secrets|kingfisher|detect-secrets] [--bin PATH]
                    [--corpus DIR ...] [--verbose] [--json]

Each corpus folder holds `files/` (what is scanned) and `LABELS.tsv`
(see ../shared/corpus/README.md for the format). Scoring, per corpus:

  TP = secret items with at least one finding on one of their lines
  FN = secret items without
  FP = nonsecret items hit (each counted once)
       + distinct unlabeled lines hit (only with `#% unlabeled=negative`)
  `ignore` items are not scored; a finding's line is the 1-based line where
  the reported match starts.

  scan-secrets' sensitive-file findings that name a whole file (an empty
  `secret` plus `advice`: "this .env should not be in git") claim nothing about
  a line, so they are not line-scored; they are counted per corpus as `files`.

Split (--split): every label kind is either provider-specific (a documented
format: aws-secret-access-key, github-token, private-key, ...) or generic
(password, api-key, generic-high-entropy, ...; see GENERIC_KINDS). Each part
counts its own TP/FN, and the false positives of the findings of its class:
scan-secrets' `generic` provider, Kingfisher's generic rules, detect-secrets'
keyword / entropy / basic-auth detectors are generic, everything else provider.

Defaults: tool scan-secrets, binary <repo>/target/release/scan-secrets,
every folder under <repo>/../shared/corpus that has a LABELS.tsv.

Tool invocations (all scan the corpus' `files/` folder):
  scan-secrets    BIN --format json --no-color FILES     (exit 0/1 ok, 2 = error)
  kingfisher      kingfisher scan --no-validate --git-history none --no-dedup
                  --no-update-check -q --format json FILES   (exit 0/200/205 ok)
  detect-secrets  detect-secrets scan --all-files .       (run inside FILES)

Exit status: 0 when every tool run succeeded, 2 when a scan failed or a
corpus is malformed.
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
from collections import defaultdict

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_CORPUS_ROOT = os.path.normpath(os.path.join(REPO, "..", "shared", "corpus"))
DEFAULT_BIN = os.path.join(REPO, "target", "release", "scan-secrets")
TOOLS = ("scan-secrets", "kingfisher", "detect-secrets")


class Fail(Exception):
    pass


# --------------------------------------------------------------------------
# labels


def parse_lines(spec, where):
    """'12', '3-29', '1,11-26' -> set of ints; '*' -> None (whole file)."""
    spec = spec.strip()
    if spec == "*":
        return None
    out = set()
    for part in spec.split(","):
        part = part.strip()
        if not part:
            continue
        if "-" in part:
            a, b = part.split("-", 1)
            a, b = int(a), int(b)
            if b < a:
                raise Fail(f"{where}: bad line range {part!r}")
            out.update(range(a, b + 1))
        else:
            out.add(int(part))
    if not out:
        raise Fail(f"{where}: empty line spec")
    return out


def load_labels(corpus):
    path = os.path.join(corpus, "LABELS.tsv")
    items = []
    unlabeled_negative = False
    with open(path, encoding="utf-8") as fh:
        for n, raw in enumerate(fh, 1):
            line = raw.rstrip("\n").rstrip("\r")
            if line.startswith("#%"):
                for kv in line[2:].split():
                    if kv.strip() == "unlabeled=negative":
                        unlabeled_negative = True
                continue
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            cols = line.split("\t")
            if len(cols) < 3:
                raise Fail(f"{path}:{n}: expected at least 3 tab-separated columns")
            file, lines, label = cols[0].strip(), cols[1], cols[2].strip()
            kind = cols[3].strip() if len(cols) > 3 else ""
            note = cols[4].strip() if len(cols) > 4 else ""
            if label not in ("secret", "nonsecret", "ignore"):
                raise Fail(f"{path}:{n}: unknown label {label!r}")
            if not os.path.isfile(os.path.join(corpus, "files", file)):
                raise Fail(f"{path}:{n}: {file} is not a file under files/")
            items.append({
                "file": file, "spec": lines.strip(),
                "lines": parse_lines(lines, f"{path}:{n}"),
                "label": label, "kind": kind, "note": note, "row": n,
            })
    return items, unlabeled_negative


# --------------------------------------------------------------------------
# running the tools


def run(cmd, cwd=None, ok_codes=(0,)):
    env = dict(os.environ, NO_COLOR="1")
    try:
        p = subprocess.run(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE)
    except FileNotFoundError:
        raise Fail(f"cannot run {cmd[0]}: not found")
    return p


def check(p, cmd, ok_codes):
    if p.returncode not in ok_codes:
        err = p.stderr.decode(errors="replace").strip()
        raise Fail(f"`{' '.join(cmd)}` exited {p.returncode}"
                   + (f":\n{err[-2000:]}" if err else ""))


def load_json(data, cmd):
    text = data.decode("utf-8", errors="replace").strip()
    if not text:
        return []
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        # tolerate JSON Lines
        try:
            return [json.loads(l) for l in text.splitlines() if l.strip()]
        except json.JSONDecodeError as e:
            raise Fail(f"`{' '.join(cmd)}` did not print JSON: {e}: {text[:300]!r}")


def normalise(path, roots):
    """Path as printed by a tool -> path relative to the scanned root."""
    p = path.replace("\\", "/")
    for r in roots:
        r = r.rstrip("/") + "/"
        if p.startswith(r):
            p = p[len(r):]
            break
    else:
        if os.path.isabs(p):
            real = os.path.realpath(p)
            for r in roots:
                r = r.rstrip("/") + "/"
                if real.startswith(r):
                    p = real[len(r):]
                    break
    while p.startswith("./"):
        p = p[2:]
    return p


def roots_of(files_dir):
    a = os.path.abspath(files_dir)
    out = [files_dir, a, os.path.realpath(a)]
    seen, res = set(), []
    for r in out:
        r = r.rstrip("/")
        if r and r not in seen:
            seen.add(r)
            res.append(r)
    # longest first, so a nested root never strips a shorter prefix by mistake
    return sorted(res, key=len, reverse=True)


def scan_scan_secrets(files_dir, binary):
    if not (os.path.isfile(binary) and os.access(binary, os.X_OK)):
        raise Fail(f"{binary} not found or not executable; build it with "
                   f"`cargo build --release` in {REPO}, or pass --bin PATH")
    cmd = [binary, "--format", "json", "--no-color", files_dir]
    p = run(cmd)
    if p.returncode == 2 and b"--no-color" in p.stderr:
        # the design spells it `--color never`; accept either spelling
        cmd = [binary, "--format", "json", "--color", "never", files_dir]
        p = run(cmd)
    check(p, cmd, (0, 1))
    data = load_json(p.stdout, cmd)
    if isinstance(data, dict):
        data = data.get("findings", data.get("results", []))
    roots = roots_of(files_dir)
    out = []
    for f in data:
        if "file" not in f or "line" not in f:
            raise Fail(f"finding without file/line: {json.dumps(f)[:300]}")
        # A whole sensitive file: no line claim (see the module doc).
        line = None if f.get("advice") and not f.get("secret") else int(f["line"])
        out.append((normalise(str(f["file"]), roots), line,
                    str(f.get("rule", "?")), f.get("provider") == "generic"))
    if p.returncode == 0 and out:
        print(f"warning: {binary} exited 0 but printed {len(out)} findings",
              file=sys.stderr)
    if p.returncode == 1 and not out:
        print(f"warning: {binary} exited 1 but printed no findings", file=sys.stderr)
    return out


def scan_kingfisher(files_dir, binary):
    binary = binary or "kingfisher"
    cmd = [binary, "scan", "--no-validate", "--git-history", "none", "--no-dedup",
           "--no-update-check", "-q", "--format", "json", files_dir]
    p = run(cmd)
    # kingfisher: 0 = no findings, 200 = findings, 205 = validated findings
    check(p, cmd, (0, 200, 205))
    data = load_json(p.stdout, cmd)
    findings = data.get("findings", []) if isinstance(data, dict) else data
    roots = roots_of(files_dir)
    out = []
    for f in findings:
        fi = f.get("finding", f)
        rule = f.get("rule", {})
        rule = rule.get("id") or rule.get("name") if isinstance(rule, dict) else rule
        path = fi.get("path")
        if path is None:
            continue
        out.append((normalise(str(path), roots), int(fi["line"]), str(rule),
                    "generic" in str(rule).lower()))
    return out


def scan_detect_secrets(files_dir, binary):
    binary = binary or "detect-secrets"
    cmd = [binary, "scan", "--all-files", "."]
    p = run(cmd, cwd=files_dir)
    check(p, cmd, (0,))
    data = load_json(p.stdout, cmd)
    roots = roots_of(files_dir)
    out = []
    for fname, results in data.get("results", {}).items():
        for r in results:
            kind = str(r.get("type", "?"))
            out.append((normalise(str(r.get("filename", fname)), roots),
                        int(r["line_number"]), kind, kind in DETECT_SECRETS_GENERIC))
    return out


# Label kinds without a documented format of their own (the generic part of --split).
GENERIC_KINDS = {"password", "api-key", "generic-high-entropy", "encrypted-credential",
                 "passphrase", "credential-url", "connection-string", "yaml-binary-secret"}
DETECT_SECRETS_GENERIC = {"Secret Keyword", "Base64 High Entropy String",
                          "Hex High Entropy String", "Basic Auth Credentials"}


SCANNERS = {
    "scan-secrets": scan_scan_secrets,
    "kingfisher": scan_kingfisher,
    "detect-secrets": scan_detect_secrets,
}


# --------------------------------------------------------------------------
# scoring


def score(corpus, findings, part=None):
    """part: None (everything), "provider" or "generic" (see --split)."""
    items, unlabeled_negative = load_labels(corpus)
    files_dir = os.path.join(corpus, "files")
    whole_files = sorted({f[0] for f in findings if f[1] is None})
    findings = [f for f in findings if f[1] is not None]

    # (file, line) -> sorted rules
    hits = defaultdict(set)
    # (file, line) -> whether a generic finding / a provider finding is there
    classes = defaultdict(set)
    unknown = set()
    for file, line, rule, generic in findings:
        if not os.path.isfile(os.path.join(files_dir, file)):
            unknown.add(file)
        hits[(file, line)].add(rule)
        classes[(file, line)].add("generic" if generic else "provider")
    by_file = defaultdict(set)
    for (file, line) in hits:
        by_file[file].add(line)

    covered = defaultdict(set)  # file -> lines covered by any item
    whole = set()               # files covered entirely by a '*' item
    for it in items:
        if it["lines"] is None:
            whole.add(it["file"])
        else:
            covered[it["file"]].update(it["lines"])

    def item_hits(it):
        lines = by_file.get(it["file"], set())
        if it["lines"] is None:
            return sorted(lines)
        return sorted(lines & it["lines"])

    def in_part(it):
        return part is None or (it["kind"] in GENERIC_KINDS) == (part == "generic")

    def fp_in_part(file, lines):
        return part is None or any(part in classes[(file, l)] for l in lines)

    tp, fn, fp_items = [], [], []
    for it in items:
        if it["label"] == "ignore":
            continue
        h = item_hits(it)
        if it["label"] == "secret" and not in_part(it):
            continue
        if it["label"] == "nonsecret" and h and not fp_in_part(it["file"], h):
            continue
        rules = sorted({r for l in h for r in hits[(it["file"], l)]})
        rec = {"file": it["file"], "lines": it["spec"], "kind": it["kind"],
               "note": it["note"], "hit_lines": h, "rules": rules}
        if it["label"] == "secret":
            (tp if h else fn).append(rec)
        elif h:
            fp_items.append(rec)

    fp_lines = []
    if unlabeled_negative:
        for (file, line), rules in sorted(hits.items()):
            if file in whole or line in covered.get(file, ()):
                continue
            if not fp_in_part(file, [line]):
                continue
            fp_lines.append({"file": file, "line": line, "rules": sorted(rules)})

    ntp, nfn = len(tp), len(fn)
    nfp = len(fp_items) + len(fp_lines)
    prec = ntp / (ntp + nfp) if ntp + nfp else None
    rec_ = ntp / (ntp + nfn) if ntp + nfn else None
    # F1 = 2TP / (2TP + FP + FN): equals 2PR/(P+R), and is 0 (not undefined)
    # when a tool reports nothing on a corpus that has secrets.
    f1 = 2 * ntp / (2 * ntp + nfp + nfn) if ntp + nfp + nfn else None
    return {
        "corpus": os.path.basename(os.path.normpath(corpus)),
        "path": corpus,
        "tp": ntp, "fn": nfn, "fp": nfp,
        "fp_nonsecret_items": len(fp_items), "fp_unlabeled_lines": len(fp_lines),
        "precision": prec, "recall": rec_, "f1": f1,
        "findings": len(findings),
        "whole_files": whole_files,
        "part": part,
        "unlabeled_negative": unlabeled_negative,
        "fn_items": fn, "fp_items": fp_items, "fp_lines": fp_lines,
        "unknown_files": sorted(unknown),
    }


# --------------------------------------------------------------------------
# main


def fmt(x):
    return "  n/a" if x is None else f"{x:.3f}"


def tool_version(tool, binary):
    cmd = {"scan-secrets": [binary, "--version"],
           "kingfisher": [binary or "kingfisher", "--version"],
           "detect-secrets": [binary or "detect-secrets", "--version"]}[tool]
    try:
        p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                           timeout=30)
        return p.stdout.decode(errors="replace").strip().splitlines()[0]
    except Exception:
        return "?"


def main():
    ap = argparse.ArgumentParser(
        description="Score a scanner against the labeled corpora (see module doc).")
    ap.add_argument("--tool", choices=TOOLS, default="scan-secrets")
    ap.add_argument("--bin", help="binary to run (default: target/release/scan-secrets "
                    "for scan-secrets, the tool's name on PATH for the peers)")
    ap.add_argument("--corpus", nargs="+", action="extend", metavar="DIR",
                    help=f"corpus folder(s) (default: every folder in "
                    f"{DEFAULT_CORPUS_ROOT} with a LABELS.tsv)")
    ap.add_argument("--verbose", "-v", action="store_true",
                    help="list FN items and FP lines")
    ap.add_argument("--json", action="store_true", help="print machine-readable results")
    ap.add_argument("--split", action="store_true",
                    help="also score the provider-specific and the generic part apart")
    args = ap.parse_args()

    binary = args.bin
    if args.tool == "scan-secrets":
        binary = os.path.abspath(binary or DEFAULT_BIN)
    elif binary is None and shutil.which(args.tool) is None:
        print(f"error: {args.tool} is not on PATH (pip install "
              f"{'kingfisher-bin' if args.tool == 'kingfisher' else 'detect-secrets'})",
              file=sys.stderr)
        return 2

    if args.tool == "scan-secrets" and not (os.path.isfile(binary) and os.access(binary, os.X_OK)):
        print(f"error: {binary} not found or not executable; build it with "
              f"`cargo build --release` in {REPO}, or pass --bin PATH", file=sys.stderr)
        return 2

    corpora = args.corpus
    if not corpora:
        if not os.path.isdir(DEFAULT_CORPUS_ROOT):
            print(f"error: no corpus folder at {DEFAULT_CORPUS_ROOT}; pass --corpus DIR",
                  file=sys.stderr)
            return 2
        corpora = sorted(
            os.path.join(DEFAULT_CORPUS_ROOT, d) for d in os.listdir(DEFAULT_CORPUS_ROOT)
            if os.path.isfile(os.path.join(DEFAULT_CORPUS_ROOT, d, "LABELS.tsv")))
    if not corpora:
        print("error: no corpus with a LABELS.tsv found", file=sys.stderr)
        return 2

    results, status = [], 0
    for c in corpora:
        c = os.path.abspath(c)
        files_dir = os.path.join(c, "files")
        try:
            if not os.path.isdir(files_dir) or not os.path.isfile(os.path.join(c, "LABELS.tsv")):
                raise Fail(f"{c}: expected files/ and LABELS.tsv")
            findings = SCANNERS[args.tool](files_dir, binary)
            results.append(score(c, findings))
            if args.split:
                for part in ("provider", "generic"):
                    r = score(c, findings, part)
                    r["corpus"] += f" [{part}]"
                    results.append(r)
        except Fail as e:
            print(f"error: {os.path.basename(c)}: {e}", file=sys.stderr)
            results.append({"corpus": os.path.basename(c), "path": c, "error": str(e)})
            status = 2

    version = tool_version(args.tool, binary)
    if args.json:
        json.dump({"tool": args.tool, "version": version, "bin": binary,
                   "corpora": results}, sys.stdout, indent=2)
        print()
        return status

    print(f"tool: {args.tool} ({version})")
    w = max(len(r["corpus"]) for r in results)
    print(f"{'corpus':<{w}}  {'TP':>4} {'FN':>4} {'FP':>4}  {'prec':>6} {'recall':>6} {'F1':>6}")
    for r in results:
        if "error" in r:
            print(f"{r['corpus']:<{w}}  FAILED")
            continue
        print(f"{r['corpus']:<{w}}  {r['tp']:>4} {r['fn']:>4} {r['fp']:>4}  "
              f"{fmt(r['precision']):>6} {fmt(r['recall']):>6} {fmt(r['f1']):>6}")
    for r in results:
        if "error" in r:
            continue
        if r["unknown_files"]:
            print(f"warning: {r['corpus']}: findings in paths not under files/ "
                  f"(path normalisation?): {', '.join(r['unknown_files'][:5])}",
                  file=sys.stderr)
        if not args.verbose:
            continue
        print(f"\n== {r['corpus']}: {r['findings']} findings; "
              f"FP = {r['fp_nonsecret_items']} nonsecret items + "
              f"{r['fp_unlabeled_lines']} unlabeled lines")
        if r["whole_files"] and r["part"] is None:
            print(f"  sensitive files reported as a whole (not line-scored): "
                  f"{', '.join(r['whole_files'])}")
        for it in r["fn_items"]:
            print(f"  FN  {it['file']}:{it['lines']}  {it['kind']}"
                  + (f"  ({it['note']})" if it["note"] else ""))
        for it in r["fp_items"]:
            print(f"  FP  {it['file']}:{','.join(map(str, it['hit_lines']))}  "
                  f"{' '.join(it['rules'])}  [nonsecret: {it['kind']}]")
        for l in r["fp_lines"]:
            print(f"  FP  {l['file']}:{l['line']}  {' '.join(l['rules'])}  [unlabeled]")
    return status


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BrokenPipeError:  # e.g. piped into `head`
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(0)
