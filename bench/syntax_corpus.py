#!/usr/bin/env python3
"""Scores scan-secrets on the labeled syntax corpus (tests/data/generic): per family, the secrets
found and missed, and every false positive. `tests/syntax_corpus.rs` asserts the same numbers.

usage: bench/syntax_corpus.py [--bin target/release/scan-secrets] [--verbose]
"""
import argparse
import collections
import json
import os
import subprocess

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "data", "generic")


def labels():
    out = {}
    with open(os.path.join(ROOT, "LABELS.tsv"), encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            file, num, label, kind, note = (line.rstrip("\n").split("\t") + [""] * 5)[:5]
            out[(file, int(num))] = (label, kind, note)
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default="target/release/scan-secrets")
    ap.add_argument("--verbose", "-v", action="store_true")
    args = ap.parse_args()
    binary = os.path.abspath(args.bin)
    files = os.path.join(ROOT, "files")
    run = subprocess.run(
        [binary, "--format", "json", "--config", os.devnull, "."],
        cwd=files, capture_output=True, text=True,
    )
    if run.returncode not in (0, 1):
        raise SystemExit(f"scan failed ({run.returncode}): {run.stderr}")
    found = collections.defaultdict(list)
    for f in json.loads(run.stdout or "[]"):
        # A finding about a sensitive file as a whole (`.npmrc`, `.pgpass`) has no value and
        # no line of its own.
        if f["secret"]:
            found[(f["file"], f["line"])].append(f["rule"])
    lab = labels()
    tp = collections.Counter()
    fn = collections.Counter()
    fps = []
    misses = []
    for key, (label, kind, note) in sorted(lab.items()):
        if label == "secret":
            if key in found:
                tp[kind] += 1
            else:
                fn[kind] += 1
                misses.append((key, kind, note))
    for key, rules in sorted(found.items()):
        label = lab.get(key, ("nonsecret", "", ""))[0]
        if label == "nonsecret":
            fps.append((key, rules, lab.get(key, ("", "", "unlabeled"))[2]))
    for kind in sorted(set(tp) | set(fn)):
        total = tp[kind] + fn[kind]
        print(f"{kind:18} {tp[kind]:4}/{total:<4} recall {tp[kind] / total:.3f}")
    t, n = sum(tp.values()), sum(tp.values()) + sum(fn.values())
    p = t / (t + len(fps)) if t + len(fps) else 1.0
    print(f"{'total':18} {t:4}/{n:<4} recall {t / n:.3f}  FP {len(fps)}  precision {p:.3f}")
    if args.verbose:
        for (file, line), kind, note in misses:
            print(f"MISS {file}:{line} [{kind}] {note}")
        for (file, line), rules, note in fps:
            print(f"FP   {file}:{line} {','.join(rules)} {note}")


if __name__ == "__main__":
    main()
