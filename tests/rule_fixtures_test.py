#!/usr/bin/env python3
"""Meta-test over the rule registry (`postvet rules`).

Every registered rule must: be in ../shared/rule-catalogue.md with the same
slug, severity and fix kind; have a doc page with the five sections; have a
firing fixture (testdata/rules/<ID>/fire/, a config dir on which
`postvet check --select ID` reports the rule) and a non-firing one
(clean/, on which it does not). A rule with a fix must have
testdata/rules/<ID>/fixed/: the fire/ files after `--fix` (plus
`--unsafe-fixes` for unsafe rules); a second --fix must change nothing and
`--diff` must apply with `git apply --check`. The live-probe rules (PV9xx)
need a DNS server: their fixtures are exercised by tests/probe_test.py.
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

SRC = os.environ.get("POSTVET_SOURCE_DIR", os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN = os.environ.get("POSTVET_BIN", os.path.join(SRC, "build", "postvet"))
CATALOGUE = os.path.join(SRC, "..", "shared", "rule-catalogue.md")
# Live-probe rules whose fix the catalogue calls safe but postvet makes unsafe (issue 15).
PROBE_FIX_UNSAFE = {"PV901", "PV902"}
SECTIONS = ["## What it finds", "## Why it matters", "## Example", "## Fix", "## Postfix reference"]

failures = []


def fail(msg):
    failures.append(msg)
    print("FAIL:", msg)


def run(args, cwd=None):
    return subprocess.run([BIN] + args, cwd=cwd, capture_output=True, text=True)


def catalogue():
    rows = {}
    for line in open(CATALOGUE, encoding="utf-8"):
        m = re.match(r"\|\s*(PV\d{3})\s*\|\s*([a-z0-9-]+)\s*\|\s*(\w+)\s*\|\s*([^|]+?)\s*\|", line)
        if m:
            rows[m.group(1)] = (m.group(2), m.group(3), m.group(4))
    return rows


def findings(directory, rule, extra=()):
    p = run(["check", "--format", "json", "--select", rule, "--fail-on", "info", *extra, directory])
    if p.returncode == 2:
        fail(f"{rule}: postvet check {directory} failed: {p.stderr.strip()}")
        return []
    return [d for d in json.loads(p.stdout)["diagnostics"] if d["rule"] == rule]


def files_of(directory):
    out = {}
    for root, _, names in os.walk(directory):
        for n in names:
            p = os.path.join(root, n)
            with open(p, "rb") as f:
                out[os.path.relpath(p, directory)] = f.read()
    return out


def check_fix(rule, fix_kind, fixture):
    fixed = os.path.join(fixture, "fixed")
    if not os.path.isdir(fixed):
        fail(f"{rule}: has a fix ({fix_kind}) but no testdata/rules/{rule}/fixed/")
        return
    flags = ["--fix"] + (["--unsafe-fixes"] if fix_kind in ("unsafe", "sometimes") else [])
    with tempfile.TemporaryDirectory() as tmp:
        work = os.path.join(tmp, "cfg")
        shutil.copytree(os.path.join(fixture, "fire"), work)
        # --diff must apply cleanly to the original.
        d = run(["check", "--select", rule, "--diff"] + flags[1:] + ["cfg"], cwd=tmp)
        if not d.stdout.startswith("--- a/"):
            fail(f"{rule}: --diff printed no patch: {d.stdout[:200]!r} {d.stderr[:200]!r}")
        else:
            with open(os.path.join(tmp, "fix.patch"), "w") as f:
                f.write(d.stdout)
            subprocess.run(["git", "init", "-q"], cwd=tmp)
            g = subprocess.run(["git", "apply", "--check", "fix.patch"], cwd=tmp, capture_output=True, text=True)
            if g.returncode != 0:
                fail(f"{rule}: --diff does not apply: {g.stderr.strip()}")
        run(["check", "--select", rule] + flags + [work])
        got, want = files_of(work), files_of(fixed)
        for name, data in want.items():
            if got.get(name) != data:
                fail(f"{rule}: after --fix, {name} differs from fixed/{name}:\n{got.get(name)!r}\n!=\n{data!r}")
        before = files_of(work)
        run(["check", "--select", rule] + flags + [work])
        if files_of(work) != before:
            fail(f"{rule}: a second --fix changed the files again")


def main():
    cat = catalogue()
    if len(cat) < 50:
        fail(f"catalogue parse found only {len(cat)} rules")
    listing = run(["rules"])
    if listing.returncode != 0:
        fail("postvet rules failed")
    rules = []
    for line in listing.stdout.splitlines()[1:]:
        parts = line.split()
        rules.append((parts[0], parts[1], parts[2], parts[3]))
    ids = [r[0] for r in rules]
    if ids != sorted(ids) or len(set(ids)) != len(ids):
        fail(f"registry not sorted/unique: {ids}")
    if not rules:
        fail("no rules registered")
    for rid, slug, sev, fix in rules:
        if rid not in cat:
            fail(f"{rid}: not in the catalogue")
            continue
        cslug, csev, cfix = cat[rid]
        if slug != cslug or sev != csev:
            fail(f"{rid}: slug/severity {slug}/{sev} != catalogue {cslug}/{csev}")
        want_fix = "-" if cfix == "-" else ("safe" if cfix == "safe" else ("unsafe" if cfix == "unsafe" else "sometimes"))
        # Issue 15: every fix from the live probe is unsafe (network answers
        # are evidence, not proof), although the catalogue predates that.
        if rid in PROBE_FIX_UNSAFE and cfix == "safe":
            want_fix = "unsafe"
        if fix != want_fix:
            fail(f"{rid}: fix kind {fix} != catalogue {cfix!r}")
        doc = run(["explain", rid]).stdout
        if not doc.startswith(f"# {rid} {slug}"):
            fail(f"{rid}: doc page missing or without its title")
        for s in SECTIONS:
            if s not in doc:
                fail(f"{rid}: doc lacks section {s!r}")
        fixture = os.path.join(SRC, "testdata", "rules", rid)
        for sub in ("fire", "clean"):
            if not os.path.isdir(os.path.join(fixture, sub)):
                fail(f"{rid}: missing testdata/rules/{rid}/{sub}/")
        if rid.startswith("PV9"):
            # Live-probe rules fire only with --probe against a DNS server:
            # tests/probe_test.py runs their fixtures against its test server.
            continue
        if os.path.isdir(os.path.join(fixture, "fire")) and not findings(os.path.join(fixture, "fire"), rid):
            fail(f"{rid}: does not fire on its fire/ fixture")
        if os.path.isdir(os.path.join(fixture, "clean")):
            got = findings(os.path.join(fixture, "clean"), rid)
            if got:
                fail(f"{rid}: fires on its clean/ fixture: {got[0]['message']}")
        if fix != "-" and os.path.isdir(os.path.join(fixture, "fire")):
            check_fix(rid, fix, fixture)
    print(f"{len(rules) - len(set(f.split(':')[0] for f in failures))} passed, "
          f"{len(set(f.split(':')[0] for f in failures))} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
