#!/usr/bin/env python3
"""Quick pre-check of patterns/*.toml with Python's `re` (close to Rust regex syntax for the
features we use). The authoritative check is the Rust test `cargo test --test integration patterns`,
which runs every example through the real pipeline; this script only catches typos early.

Usage: bench/check_patterns.py [patterns/foo.toml ...]
"""
import glob, math, re, sys, tomllib, collections

def entropy(s):
    if not s: return 0.0
    c = collections.Counter(s)
    return -sum(v/len(s)*math.log2(v/len(s)) for v in c.values())

def secrets(rule, text):
    rx = re.compile(rule["regex"])
    kws = [k.lower() for k in rule["keywords"]]
    if not any(k in text.lower() for k in kws):
        return []
    out = []
    for m in rx.finditer(text):
        s = m.group("secret") if "secret" in rx.groupindex and m.group("secret") is not None else m.group(0)
        if rule.get("min_entropy") and entropy(s) < rule["min_entropy"]:
            continue
        out.append(s)
    return out

bad = 0
ids = set()
files = sys.argv[1:] or sorted(glob.glob("patterns/*.toml"))
for f in files:
    d = tomllib.load(open(f, "rb"))
    p = d["provider"]
    for k in ("id", "name", "env_var", "rotation"):
        assert k in p, (f, k)
    for r in d.get("rule", []):
        if r["id"] in ids: print(f"{f}: duplicate id {r['id']}"); bad += 1
        ids.add(r["id"])
        if not r["id"].startswith(p["id"]): print(f"{f}: id {r['id']} does not start with provider id"); bad += 1
        if len(r["examples"]) < 2 or len(r["negative_examples"]) < 2: print(f"{f}: {r['id']} needs 2+2 examples"); bad += 1
        for e in r["examples"]:
            if not secrets(r, e): print(f"{f}: {r['id']}: positive example not matched: {e!r}"); bad += 1
        for e in r["negative_examples"]:
            if secrets(r, e): print(f"{f}: {r['id']}: negative example matched: {e!r}"); bad += 1
print(f"{len(ids)} rules in {len(files)} files, {bad} problems")
sys.exit(1 if bad else 0)
