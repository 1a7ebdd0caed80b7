"""Shared checks of the DNS list fix oracle tests (tests/dnsbl_fix_oracle_test.py,
tests/dnsbl_fix_seed_test.py): what one rule's --fix must leave, and the
comparison with live postconf.

Contract: run_case(case, dir) copies dir and, for each fixable rule on its
own (PV201-PV205) and for all of PV2 at once, runs postvet's --fix and
compares `postconf -c DIR -n` (and -P) with the values expected_after()
derives from the findings; every mismatch goes through fail() into
failures. preflight() is the exit status when postconf or postvet is
missing (the tests fail, never skip), else None.
"""

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import oracle_lib  # noqa: E402
from oracle_lib import POSTCONF, backdate  # noqa: E402
from dnsbl_list_reader import (DNSBL_KEYWORDS, Lists, normalized, site, words_of,  # noqa: E402
                               zone_of)

SOURCE_DIR = oracle_lib.SRC
POSTVET = oracle_lib.BIN
FIXABLE = ["PV201", "PV202", "PV203", "PV204", "PV205"]

failures = []


def fail(msg):
    failures.append(msg)
    print("FAIL:", msg)


def note_match(d, pattern):
    """The first match of `pattern` in the finding's notes (the detail notes
    carry the advice the message used to end with)."""
    for n in d.get("notes", []):
        m = re.search(pattern, n["message"])
        if m:
            return m
    raise AssertionError(f"no note of {d['rule']} matches {pattern}: {d.get('notes')}")


def preflight():
    if POSTCONF is None:
        print("FAIL: postconf not found; this oracle test needs Postfix installed")
        return 1
    if not os.access(POSTVET, os.X_OK):
        print(f"FAIL: postvet binary {POSTVET} not found")
        return 1
    return None


# ---------------------------------------------------------------------------
# postconf.


def postconf_values(directory, flag):
    backdate(directory)
    p = subprocess.run([POSTCONF, "-c", directory, flag], capture_output=True, text=True)
    if p.returncode != 0:
        return None, p.stderr
    values = {}
    for line in p.stdout.splitlines():
        name, _, value = line.partition(" =")
        values[name] = value[1:] if value.startswith(" ") else value
    return values, p.stderr


# ---------------------------------------------------------------------------
# postvet.

def postvet(args):
    return subprocess.run([POSTVET] + args, capture_output=True, text=True)


def findings(directory, rules):
    p = postvet(["check", "--format", "json", "--fail-on", "info", "--select", ",".join(rules), "--", directory])
    if p.returncode == 2:
        fail(f"postvet check {directory}: {p.stderr.strip()}")
        return []
    return json.loads(p.stdout)["diagnostics"]


def read_files(directory):
    out = {}
    for name in ("main.cf", "master.cf"):
        path = os.path.join(directory, name)
        if os.path.exists(path):
            with open(path, "rb") as f:
                out[name] = f.read()
    return out


# ---------------------------------------------------------------------------
# Expected values after one rule's fix.

def expected_after(files, rule, diags):
    lists = Lists(files)
    delete = set()      # (key, index)
    replace = {}        # (key, index) -> new zone word
    dead_zones = set()
    kept = set()        # (key, zone, restriction) of dead entries whose fix is unsafe
    merge_lists = set()
    for d in diags:
        if (d["rule"] == rule and rule in ("PV203", "PV204") and d.get("fix") is not None
                and d["fix"]["applicability"] != "safe"):
            # An allowlist check on a list that times out defers (PV203), a
            # postscreen weight moves scores (PV204): such entries stay.
            key, k = lists.locate(os.path.basename(d["file"]), d["line"], d["column"])
            if key is not None:
                ent = lists.params[key][k]
                kept.add((key, zone_of(ent[-1][0]), ent[-2][0].lower() if len(ent) >= 2 else ""))
        if d["rule"] != rule or d.get("fix") is None or d["fix"]["applicability"] != "safe":
            continue  # unsafe fixes (a reply map, a postscreen score at stake) are not applied
        fname = os.path.basename(d["file"])
        key, k = lists.locate(fname, d["line"], d["column"])
        if key is None:
            fail(f"{rule}: no list entry at {d['file']}:{d['line']}:{d['column']}")
            continue
        zone_word = lists.params[key][k][-1][0]
        if rule in ("PV203", "PV204"):
            dead_zones.add((key, zone_of(zone_word)))
        elif rule == "PV205":
            # A detail note says "use ZONE=FILTER": the filter the fix adds.
            filt = note_match(d, r"^use (\S+)$").group(1).split("=", 1)[1]
            for kk, ent in enumerate(lists.params[key]):
                same = kk == k or (key[1].endswith("postscreen_dnsbl_sites") and kk > k and
                                   normalized(ent) == normalized(lists.params[key][k]))
                if same:
                    # postscreen copies are PV201's to merge; once the first
                    # has its filter the next is no copy and gets one too.
                    z, star, weight = ent[-1][0].partition("*")
                    replace[(key, kk)] = z + "=" + filt + star + weight
        elif rule == "PV201" and key[1].endswith("postscreen_dnsbl_sites"):
            # A merge can make new exact copies (zen zen zen*2 -> zen*2 zen*2
            # -> zen*4), and which pass merges what depends on which edits
            # touch; so postscreen lists are checked by meaning (MergeCheck).
            merged = note_match(d, r"write (\S+) once$").group(1)
            first = [n for n in d["notes"] if n["message"] == "first listed here"]
            fkey, fk = lists.locate(os.path.basename(first[0]["file"]), first[0]["line"], first[0]["column"])
            if fkey is None or site(lists.params[fkey][fk][-1][0])[:2] != site(merged)[:2]:
                fail(f"{rule}: merge text {merged} does not fit the first copy")
            merge_lists.add(key)
        else:
            delete.add((key, k))
            if rule == "PV202":
                # Later copies are PV201's; once this one is gone they are
                # the covered entry and go too.
                for kk in range(k + 1, len(lists.params[key])):
                    if normalized(lists.params[key][kk]) == normalized(lists.params[key][k]):
                        delete.add((key, kk))
    expected = {}
    for key, ents in lists.params.items():
        out = []
        for k, ent in enumerate(ents):
            if (key, k) in delete:
                continue
            is_dnsbl = key[1].endswith("postscreen_dnsbl_sites") or (
                len(ent) >= 2 and ent[-2][0].lower() in DNSBL_KEYWORDS)
            restriction = ent[-2][0].lower() if len(ent) >= 2 else ""
            if (is_dnsbl and (key, zone_of(ent[-1][0])) in dead_zones
                    and (key, zone_of(ent[-1][0]), restriction) not in kept):
                continue
            words = [w[0] for w in ent]
            if (key, k) in replace:
                words[-1] = replace[(key, k)]
            out.extend(words)
        expected[key] = MergeCheck(lists.words(key)) if key in merge_lists else out
    return expected


class MergeCheck:
    """What merging exact copies of postscreen sites must keep: each zone and
    filter's total weight, the order of the rest, and no exact copies left."""

    def __init__(self, before):
        self.before = before

    def problem(self, after):
        b = [site(w) for w in self.before]
        a = [site(w) for w in after]
        totals = {}
        for z, f, w in b:
            totals[(z, f)] = totals.get((z, f), 0) + w
        for z, f, w in a:
            totals[(z, f)] = totals.get((z, f), 0) - w
        if any(totals.values()):
            return f"total weights changed: {totals}"
        if len(set(a)) != len(a):
            return "exact copies are left"
        keys, i = [(z, f) for z, f, _ in b], 0
        for z, f, _ in a:
            while i < len(keys) and keys[i] != (z, f):
                i += 1
            if i == len(keys):
                return "entries were reordered"
            i += 1
        for w in self.before:
            if [site(x)[:2] for x in self.before].count(site(w)[:2]) == 1 and w not in after:
                return f"{w} changed though it has no copy"
        return None


def compare(case, label, directory, expected, before_files):
    got_main, err = postconf_values(directory, "-n")
    if got_main is None:
        fail(f"{case} {label}: postconf -n fails after the fix: {err.strip()}")
        return
    got = {("main.cf", k): words_of(v) for k, v in got_main.items()}
    if "master.cf" in before_files:
        got_master, err = postconf_values(directory, "-P")
        if got_master is None:
            fail(f"{case} {label}: postconf -P fails after the fix: {err.strip()}")
            return
        got.update({("master.cf", k): words_of(v) for k, v in got_master.items()})
    for key, words in expected.items():
        if key not in got:
            if words:
                fail(f"{case} {label}: {key} missing after the fix")
            continue
        if isinstance(words, MergeCheck):
            problem = words.problem(got[key])
            if problem:
                fail(f"{case} {label}: {key[1]} {words.before} -> {got[key]}: {problem}")
        elif got[key] != words:
            fail(f"{case} {label}: {key[1]} is\n   {got[key]}\n expected\n   {words}")


def check_reader(case, directory, files):
    """This test's reader must agree with postconf before anything is fixed."""
    lists = Lists(files)
    got_main, err = postconf_values(directory, "-n")
    if got_main is None:
        fail(f"{case}: postconf -n fails on the input: {err.strip()}")
        return False
    for (fname, key) in lists.params:
        if fname == "main.cf" and words_of(got_main.get(key, "")) != lists.words((fname, key)):
            fail(f"{case}: test reader disagrees with postconf on {key}")
            return False
    return True


def run_case(case, src_dir):
    with tempfile.TemporaryDirectory() as tmp:
        work = os.path.join(tmp, "cfg")
        shutil.copytree(src_dir, work)
        files = read_files(work)
        if not check_reader(case, work, files):
            return
        for rule in FIXABLE:
            one = os.path.join(tmp, rule)
            shutil.copytree(src_dir, one)
            diags = findings(one, [rule])
            expected = expected_after(files, rule, diags)
            postvet(["check", "--select", rule, "--fix", "--", one])
            compare(case, rule, one, expected, files)
        whole = os.path.join(tmp, "all")
        shutil.copytree(src_dir, whole)
        before_main, _ = postconf_values(whole, "-n")
        postvet(["check", "--select", "PV2", "--fix", "--", whole])
        after_main, err = postconf_values(whole, "-n")
        if after_main is None:
            fail(f"{case} PV2: postconf -n fails after --fix: {err.strip()}")
            return
        for name, value in before_main.items():
            if not is_list_param(name) and after_main.get(name) != value:
                fail(f"{case} PV2: {name} changed: {value!r} -> {after_main.get(name)!r}")
        left = [d for d in findings(whole, FIXABLE) if d.get("fix") and d["fix"]["applicability"] == "safe"]
        if left:
            fail(f"{case} PV2: safely fixable findings left after --fix: {[d['message'][:80] for d in left]}")
        snapshot = read_files(whole)
        postvet(["check", "--select", "PV2", "--fix", "--", whole])
        if read_files(whole) != snapshot:
            fail(f"{case} PV2: a second --fix changed the files")


def is_list_param(name):
    return name.endswith("_restrictions") or name in ("postscreen_dnsbl_sites", "rbl_checks", "strict_rbl")
