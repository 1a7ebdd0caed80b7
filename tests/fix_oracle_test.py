#!/usr/bin/env python3
"""Oracle test for --fix: on the demo config, every rule's firing fixture
(testdata/rules/<ID>/fire/) and every corpus main.cf / master.cf pair that
postconf accepts, apply all safe fixes, then ask
Postfix itself what changed. postconf must still accept the result, and
every parameter whose `postconf -n` line changed (and every master.cf
service whose `postconf -M` line changed) must be named by one of the
findings whose fix was applied: --fix changes only what the rules state.
A second --fix must change nothing. Fails, never skips, without postconf;
the corpus pairs are the shared part, skipped without the corpus.
"""
# postvet-test-parts: local shared
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

import shared_data

SRC = os.environ.get("POSTVET_SOURCE_DIR", os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN = os.environ.get("POSTVET_BIN", os.path.join(SRC, "build", "postvet"))
CORPUS = shared_data.corpus_dir()
STOCK_MASTER = shared_data.STOCK_MASTER_CF
passed = failed = 0


def fail(msg):
    global failed
    failed += 1
    print("FAIL:", msg)


def backdate(d):
    for n in os.listdir(d):
        os.utime(os.path.join(d, n), (946684800, 946684800))


def postconf(d, mode):
    backdate(d)
    p = subprocess.run(["postconf", "-c", d, mode], capture_output=True, text=True)
    if p.returncode != 0:
        return None
    return {l for l in p.stdout.splitlines() if not l.startswith("config_directory =")}


def names(lines, master):
    out = {}
    for l in lines:
        key = " ".join(l.split()[:2]) if master else l.split(" =", 1)[0]
        out.setdefault(key, set()).add(l)
    return out


def param_at_line(path):
    """Maps each line number of a main.cf to the parameter whose logical line holds it."""
    owner, current = {}, None
    for i, line in enumerate(open(path, encoding="latin-1"), 1):
        stripped = line.strip()
        if stripped and not stripped.startswith("#"):
            if not line[0].isspace():
                current = re.split(r"[\s=]", line, 1)[0]
            owner[i] = current
    return owner


def files(d):
    return {n: open(os.path.join(d, n), "rb").read() for n in sorted(os.listdir(d))}


def case(label, main_src, master_src):
    global passed
    with tempfile.TemporaryDirectory() as tmp:
        d = os.path.join(tmp, "cfg")
        os.makedirs(d)
        shutil.copy(main_src, os.path.join(d, "main.cf"))
        shutil.copy(master_src, os.path.join(d, "master.cf"))
        # The tables beside a repository config (corpus files stand alone).
        for name in os.listdir(os.path.dirname(main_src)) if not label.startswith("main.cf/") else []:
            if name not in ("main.cf", "master.cf"):
                shutil.copy(os.path.join(os.path.dirname(main_src), name), d)
        before_n, before_m = postconf(d, "-n"), postconf(d, "-M")
        if before_n is None or before_m is None:
            return  # postconf rejects it already: nothing to compare
        p = subprocess.run([BIN, "check", "--format", "json", "--fail-on", "info", d], capture_output=True, text=True)
        if p.returncode == 2:
            fail(f"{label}: postvet check failed: {p.stderr.strip()}")
            return
        fixed = [x for x in json.loads(p.stdout)["diagnostics"] if x["fix"] and x["fix"]["applicability"] == "safe"]
        text = " ".join(x["message"] for x in fixed)
        owner = param_at_line(os.path.join(d, "main.cf"))
        touched = {owner.get(x["line"]) for x in fixed if x["file"].endswith("main.cf")}
        subprocess.run([BIN, "check", "--fix", d], capture_output=True, text=True)
        after_files = files(d)
        # A finding's line names the parameter there before and after the fix
        # (PV003 turns an indented line into the parameter it spells).
        owner_after = param_at_line(os.path.join(d, "main.cf"))
        touched |= {owner_after.get(x["line"]) for x in fixed if x["file"].endswith("main.cf")}
        after_n, after_m = postconf(d, "-n"), postconf(d, "-M")
        if after_n is None or after_m is None:
            fail(f"{label}: postconf rejects the fixed config")
            return
        bn, an = names(before_n, False), names(after_n, False)
        for key in sorted(set(bn) | set(an)):
            if bn.get(key) != an.get(key) and key not in text and key not in touched:
                fail(f"{label}: --fix changed parameter {key} but no applied finding names it:\n  {bn.get(key)}\n  {an.get(key)}")
                return
        bm, am = names(before_m, True), names(after_m, True)
        for key in sorted(set(bm) | set(am)):
            service = key.split()[0]
            if bm.get(key) != am.get(key) and service not in text:
                fail(f"{label}: --fix changed service {key} but no applied finding names it")
                return
        subprocess.run([BIN, "check", "--fix", d], capture_output=True, text=True)
        if files(d) != after_files:
            fail(f"{label}: a second --fix changed the files again")
            return
        passed += 1


def main():
    shared_data.start(CORPUS)
    if shutil.which("postconf") is None:
        fail("postconf is not installed")
        return 1
    want = 0
    if shared_data.run_local():
        demo = os.path.join(SRC, "testdata", "demo")
        case("demo", os.path.join(demo, "main.cf"), os.path.join(demo, "master.cf"))
        case("demo with the stock master.cf", os.path.join(demo, "main.cf"), STOCK_MASTER)
        fixtures = os.path.join(SRC, "testdata", "rules")
        for rule in sorted(os.listdir(fixtures)):
            fire = os.path.join(fixtures, rule, "fire")
            if os.path.exists(os.path.join(fire, "main.cf")):
                master = os.path.join(fire, "master.cf")
                case(f"rules/{rule}", os.path.join(fire, "main.cf"), master if os.path.exists(master) else STOCK_MASTER)
        want += 10
    if shared_data.run_shared(CORPUS):
        manifest = os.path.join(CORPUS, "ORACLE.tsv")
        pairs = {}
        for line in open(manifest, encoding="utf-8"):
            f = line.rstrip("\n").split("\t")
            if len(f) > 10 and f[1] == "n" and f[0].startswith("main.cf/"):
                ctx = f[10]
                pairs[f[0]] = os.path.join(CORPUS, ctx) if ctx.startswith("master.cf/") else STOCK_MASTER
        for main_rel, master in sorted(pairs.items()):
            case(main_rel, os.path.join(CORPUS, main_rel), master)
        want += 10
    if want == 0:
        return 0
    print(f"{passed} passed, {failed} failed")
    return 1 if failed or passed < want else 0


if __name__ == "__main__":
    sys.exit(main())
