#!/usr/bin/env python3
"""Recall and commit attribution of `--history` on a synthetic repository.

The repository and its labels come from ../shared/bench/make-history.py:

  python3 /work/shared/bench/make-history.py /work/data/synth \\
      --commits 20000 --files 3000 --secrets 400     # writes /work/data/synth.labels.json

Usage:
  bench/history_recall.py [--bin target/release/scan-secrets] [--repo /work/data/synth]
                          [--labels /work/data/synth.labels.json] [--ref main]
                          [--tool scan-secrets|kingfisher] [--findings FILE] [--save FILE]
                          [--min-recall 1.0] [--min-attribution 0] [-v]

What is run:
  scan-secrets  BIN --history --format json --show-secrets REPO      (exit 0/1 ok, 2 error)
  kingfisher    kingfisher scan --no-validate --git-history full --no-dedup --no-update-check
                -q --format json -o TMP REPO                         (exit 0/200/205 ok)
                (--no-dedup: with its default dedup kingfisher keeps one occurrence per
                secret, often the work-tree copy, which has no commit; on a non-bare repo
                it scans the checkout too, those findings have absolute paths and no commit)
  --findings FILE reads a saved report of that tool instead of running it (--save FILE
  keeps the report of a run).

Scoring (each label is one planted secret; an AWS label holds two values, key id and
secret key, a PEM label holds the BEGIN line):
  found        some finding whose `file` equals the label's path has a secret that
               contains one of the label's values, or is contained in one (a finding
               secret of at least 8 characters) -- recall = found / labels
  all values   every value of the label is matched that way (differs only for AWS)
  attributed   among the matching findings, one names the commit that planted the secret:
               the sha at index `added_in` of `git rev-list --reverse REF`
               -- attribution accuracy = attributed / found; "only that commit" counts
               the attributed labels whose matching findings name no other commit
  duplicates   matching findings beyond one per label (the same secret reported again,
               e.g. once per later blob version of the file)
  unmatched    findings that match no label, by rule: a precision hint (the filler code
               holds sha1/sha256/uuid hex strings that only loose rules should hit);
               findings holding a label's secret under another path are listed apart

Exit status: 0 ok, 1 recall below --min-recall (default 1.0) or attribution below
--min-attribution (default 0, no check), 2 error.
"""
import argparse
import json
import os
import shlex
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_BIN = os.path.join(REPO, "target", "release", "scan-secrets")
MIN_SUBSTRING = 8  # a finding secret must be this long to count when it is inside a label value


class Fail(Exception):
    pass


def run_tool(args):
    """Run the scanner, return its raw report (str)."""
    if args.tool == "scan-secrets":
        if not os.path.exists(args.bin):
            raise Fail(f"{args.bin} not found; build it with: (cd {shlex.quote(REPO)} && cargo build --release)")
        cmd = [args.bin, "--history", "--format", "json", "--show-secrets", args.repo]
        ok = (0, 1)
    else:
        tmp = tempfile.NamedTemporaryFile(prefix="kf-", suffix=".json", delete=False)
        tmp.close()
        cmd = ["kingfisher", "scan", "--no-validate", "--git-history", "full", "--no-dedup",
               "--no-update-check", "-q", "--format", "json", "-o", tmp.name, args.repo]
        ok = (0, 200, 205)
    print("$ " + " ".join(shlex.quote(c) for c in cmd), file=sys.stderr)
    t0 = time.monotonic()
    try:
        p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    except FileNotFoundError as e:
        raise Fail(f"cannot run {cmd[0]}: {e}")
    dt = time.monotonic() - t0
    if p.returncode not in ok:
        sys.stderr.write(p.stderr.decode(errors="replace")[-4000:])
        raise Fail(f"{cmd[0]} exited with status {p.returncode}")
    print(f"scan took {dt:.2f} s (exit {p.returncode})", file=sys.stderr)
    if args.tool == "scan-secrets":
        raw = p.stdout.decode()
    else:
        with open(tmp.name) as f:
            raw = f.read()
        os.unlink(tmp.name)
    if args.save:
        with open(args.save, "w") as f:
            f.write(raw)
    return raw


def normalize(tool, raw, repo):
    """-> list of dicts with rule, file, commit, secret (file relative to the repo)."""
    try:
        data = json.loads(raw) if raw.strip() else []
    except json.JSONDecodeError as e:
        # tolerate JSON Lines too
        try:
            data = [json.loads(line) for line in raw.splitlines() if line.strip()]
        except json.JSONDecodeError:
            raise Fail(f"report is not JSON: {e}")
    out = []
    if tool == "scan-secrets":
        if not isinstance(data, list):
            raise Fail("expected a JSON array of findings")
        for f in data:
            out.append({"rule": f.get("rule", "?"), "file": f.get("file"), "commit": f.get("commit"),
                        "secret": f.get("secret") or "", "line": f.get("line"), "source": f.get("source")})
    else:
        items = data.get("findings", []) if isinstance(data, dict) else data
        for it in items:
            fi = it.get("finding", {})
            gm = fi.get("git_metadata") or {}
            commit = (gm.get("commit") or {}).get("id")
            path = (gm.get("file") or {}).get("path") or fi.get("path")
            out.append({"rule": it.get("rule", {}).get("id", "?"), "file": path, "commit": commit,
                        "secret": fi.get("snippet") or "", "line": fi.get("line"), "source": "history"})
    prefix = repo.rstrip("/") + "/"
    for f in out:
        if f["file"] and f["file"].startswith(prefix):
            f["file"] = f["file"][len(prefix):]
    return out


def value_match(value, secret):
    return bool(secret) and (value in secret or (len(secret) >= MIN_SUBSTRING and secret in value))


def rev_list(repo, ref):
    p = subprocess.run(["git", "-C", repo, "rev-list", "--reverse", ref], stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, text=True)
    if p.returncode != 0:
        raise Fail(f"git rev-list --reverse {ref} in {repo} failed: {p.stderr.strip()}")
    return p.stdout.split()


def short(s, n=70):
    return s if len(s) <= n else s[:n - 3] + "..."


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bin", default=DEFAULT_BIN)
    ap.add_argument("--repo", default="/work/data/synth")
    ap.add_argument("--labels", default=None, help="default: REPO.labels.json")
    ap.add_argument("--ref", default="main", help="branch whose first-parent order gives commit indexes")
    ap.add_argument("--tool", choices=("scan-secrets", "kingfisher"), default="scan-secrets")
    ap.add_argument("--findings", help="read this saved report instead of running the tool")
    ap.add_argument("--save", help="write the tool's raw report here")
    ap.add_argument("--min-recall", type=float, default=1.0)
    ap.add_argument("--min-attribution", type=float, default=0.0)
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args()
    args.repo = os.path.abspath(args.repo)
    labels_path = args.labels or args.repo.rstrip("/") + ".labels.json"

    with open(labels_path) as f:
        labels = json.load(f)
    if not labels:
        raise Fail(f"{labels_path}: no labels")
    commits = rev_list(args.repo, args.ref)
    need = max(l["added_in"] for l in labels) + 1
    if len(commits) < need:
        raise Fail(f"{args.ref} has {len(commits)} commits, labels need {need}: wrong repo or labels?")
    index_of = {c: i for i, c in enumerate(commits)}

    if args.findings:
        with open(args.findings) as f:
            raw = f.read()
    else:
        raw = run_tool(args)
    findings = normalize(args.tool, raw, args.repo)

    by_path = defaultdict(list)
    for i, f in enumerate(findings):
        by_path[f["file"]].append(i)
    nonhist = Counter(f["source"] for f in findings if f["source"] not in (None, "history"))
    redacted = sum(1 for f in findings if "*" in f["secret"] or "…" in f["secret"])

    used = set()
    per_kind = defaultdict(Counter)
    misses, wrong, partial = [], [], []
    found = attributed = exact = all_values = dups = extra_commits = 0
    for lab in labels:
        kind = lab["kind"]
        per_kind[kind]["total"] += 1
        matched = [i for i in by_path.get(lab["path"], [])
                   if any(value_match(v, findings[i]["secret"]) for v in lab["secrets"])]
        if not matched:
            misses.append(lab)
            continue
        used.update(matched)
        found += 1
        per_kind[kind]["found"] += 1
        if all(any(value_match(v, findings[i]["secret"]) for i in matched) for v in lab["secrets"]):
            all_values += 1
        else:
            partial.append(lab)
        # one finding per value is expected (AWS: two); more are duplicates
        dups += max(0, len(matched) - len(lab["secrets"]))
        want = commits[lab["added_in"]]
        got = {findings[i]["commit"] for i in matched}
        if want in got:
            attributed += 1
            per_kind[kind]["attributed"] += 1
            if len(got) > 1:
                extra_commits += 1
            else:
                exact += 1
        else:
            wrong.append((lab, sorted(got, key=lambda c: index_of.get(c, -1))))

    # findings that match no label: does the secret belong to a label under another path?
    all_values_list = [(v, lab) for lab in labels for v in lab["secrets"]]
    unmatched = [i for i in range(len(findings)) if i not in used]
    elsewhere = []
    noise = Counter()
    for i in unmatched:
        s = findings[i]["secret"]
        hit = next((lab for v, lab in all_values_list if value_match(v, s)), None)
        if hit is not None:
            elsewhere.append((findings[i], hit))
        else:
            noise[findings[i]["rule"]] += 1

    n = len(labels)
    recall = found / n
    attr = attributed / found if found else 0.0
    print(f"repo     {args.repo} ({len(commits)} commits on {args.ref})")
    print(f"labels   {labels_path} ({n} planted secrets, "
          f"{sum(1 for l in labels if l['removed_in'] is not None)} removed later)")
    print(f"tool     {args.tool}: {len(findings)} findings")
    if nonhist:
        print(f"warning: findings with a source other than history: {dict(nonhist)}")
    if redacted and redacted == len(findings):
        print("warning: every secret looks redacted; was --show-secrets honoured?")
    print()
    print(f"recall        {found}/{n} = {recall:.4f}   (all values of the label: {all_values}/{n})")
    print(f"attribution   {attributed}/{found} = {attr:.4f}   "
          f"(only that commit: {exact}; also at other commits: {extra_commits})")
    print(f"duplicates    {dups} matching findings beyond one per label value")
    print(f"unmatched     {len(unmatched)} findings match no label"
          + (f" ({len(elsewhere)} hold a planted secret under another path)" if elsewhere else ""))
    for rule, c in noise.most_common():
        print(f"    {c:6d}  {rule}")
    print()
    print(f"{'kind':<10} {'total':>5} {'found':>5} {'attrib':>6}")
    for kind in sorted(per_kind):
        k = per_kind[kind]
        print(f"{kind:<10} {k['total']:5d} {k['found']:5d} {k['attributed']:6d}")

    if args.verbose:
        if misses:
            print("\nmisses by kind:")
            for kind in sorted({l["kind"] for l in misses}):
                print(f"  {kind}:")
                for l in misses:
                    if l["kind"] == kind:
                        rem = "" if l["removed_in"] is None else f", removed in #{l['removed_in']}"
                        print(f"    {l['path']} (added in #{l['added_in']} {commits[l['added_in']][:12]}{rem})"
                              f"  {short(l['marker'])}")
        if partial:
            print("\nfound, but not every value of the label:")
            for l in partial:
                print(f"    {l['kind']} {l['path']} #{l['added_in']}: values {[short(v, 30) for v in l['secrets']]}")
        if wrong:
            print("\nwrong attribution (expected index -> reported indexes):")
            for l, got in wrong:
                idx = [index_of.get(c, "?") if c else "none" for c in got]
                print(f"    {l['kind']} {l['path']}: #{l['added_in']} -> {idx}"
                      + ("" if l["removed_in"] is None else f" (removed in #{l['removed_in']})"))
        if elsewhere:
            print("\nplanted secrets reported under another path:")
            for f, l in elsewhere[:50]:
                print(f"    {f['rule']} {f['file']} (label path {l['path']})")
        if noise:
            print("\nunmatched findings (first 30):")
            for i in [i for i in unmatched][:30]:
                f = findings[i]
                print(f"    {f['rule']} {f['file']}:{f['line']} #{index_of.get(f['commit'], '?')} "
                      f"{short(f['secret'], 60)}")

    status = 0
    if recall < args.min_recall:
        print(f"\nFAIL: recall {recall:.4f} < --min-recall {args.min_recall}")
        status = 1
    if attr < args.min_attribution:
        print(f"\nFAIL: attribution {attr:.4f} < --min-attribution {args.min_attribution}")
        status = 1
    return status


if __name__ == "__main__":
    try:
        sys.exit(main())
    except Fail as e:
        print(f"error: {e}", file=sys.stderr)
        sys.exit(2)
    except BrokenPipeError:
        sys.exit(0)
