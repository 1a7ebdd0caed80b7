#!/usr/bin/python3
"""The DNS list catalogue rules that judge a zone by its catalogue row,
PV203 (obsolete-dnsbl), PV204 (dangerous-dnsbl) and PV210
(dnsbl-kind-mismatch), on real configurations: no finding beyond the
reviewed ones.

Shared part: every corpus main.cf that postconf accepts (corpus/ORACLE.tsv
mode n, with the master.cf it was checked with) and every corpus master.cf
(with an empty main.cf) goes through

  postvet check --select PV203,PV204,PV210 --format json DIR

and the findings (file, rule, line, column, zone) must be exactly the
reviewed list EXPECTED below, each with the reason it is right. A new
finding, or one that disappears, fails with the difference: review it, and
add it here only if it is justified.

Local part: on a small configuration with unnamed zones under dead
operators, a wrong-kind list and its right-kind twin, the three rules
together find exactly what they should, each its own case once; and after
PV210's (unsafe) fix of its fire fixture, postconf (the oracle) reads the
lists without the wrong-kind entries and nothing else changed in them.
"""
# postvet-test-parts: local shared
import csv
import json
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import shared_data  # noqa: E402

SRC = shared_data.SOURCE_DIR
from pvtest import BIN
CORPUS = shared_data.corpus_dir()
STOCK_MASTER = shared_data.STOCK_MASTER_CF
RULES = "PV203,PV204,PV210"

# (corpus file, rule, line, column, zone): every finding, reviewed.
EXPECTED = {
    # Catalogue rows by name (PV203/PV204 before the operator rows): the
    # superseded sbl-xbl zone, ORDB's wildcard, DSBL's timeouts, SORBS.
    ("main.cf/OpenDarwin-CVS__Administrative-Project__etc__postfix__main.cf", "PV203", 743, 20, "sbl-xbl.spamhaus.org"),
    ("main.cf/OpenDarwin-CVS__Administrative-Project__etc__postfix__main.cf", "PV204", 745, 20, "relays.ordb.org"),
    ("main.cf/OpenDarwin-CVS__Administrative-Project__etc__postfix__main.cf", "PV203", 747, 20, "list.dsbl.org"),
    ("main.cf/OpenDarwin-CVS__Administrative-Project__etc__postfix__main.cf", "PV203", 749, 20, "dul.dnsbl.sorbs.net"),
    ("main.cf/SixArm__sixarm_postfix_main_cf__main.cf", "PV204", 852, 21, "dnsbl.njabl.org"),
    ("main.cf/kolanos__pypanel__etc__postfix__main.cf", "PV204", 85, 124, "dnsbl.njabl.org"),
    ("main.cf/docker-mailserver__docker-mailserver__target__postfix__main.cf", "PV203", 72, 5, "dnsbl.sorbs.net"),
    # mailcow: NiX Spam (emptied 2025) and one SORBS weight per answer code.
    ("main.cf/mailcow__mailcow-dockerized__data__conf__postfix__main.cf", "PV203", 50, 3, "ix.dnsbl.manitu.net"),
    ("main.cf/mailcow__mailcow-dockerized__data__conf__postfix__main.cf", "PV203", 61, 3, "dnsbl.sorbs.net"),
    ("main.cf/mailcow__mailcow-dockerized__data__conf__postfix__main.cf", "PV203", 62, 3, "dnsbl.sorbs.net"),
    ("main.cf/mailcow__mailcow-dockerized__data__conf__postfix__main.cf", "PV203", 63, 3, "dnsbl.sorbs.net"),
    ("main.cf/mailcow__mailcow-dockerized__data__conf__postfix__main.cf", "PV203", 64, 3, "dnsbl.sorbs.net"),
    ("main.cf/mailcow__mailcow-dockerized__data__conf__postfix__main.cf", "PV203", 65, 3, "dnsbl.sorbs.net"),
    ("main.cf/mailcow__mailcow-dockerized__data__conf__postfix__main.cf", "PV203", 66, 3, "dnsbl.sorbs.net"),
    ("main.cf/parseword__mail-config__postfix__main.cf", "PV203", 708, 23, "sbl-xbl.spamhaus.org"),
    ("main.cf/parseword__mail-config__postfix__main.cf", "PV203", 721, 23, "new.spam.dnsbl.sorbs.net"),
    ("main.cf/parseword__mail-config__postfix__main.cf", "PV203", 724, 23, "ubl.unsubscore.com"),
    ("main.cf/parseword__mail-config__postfix__main.cf", "PV203", 728, 23, "db.wpbl.info"),
    ("main.cf/parseword__mail-config__postfix__main.cf.non-default-settings-only.txt", "PV203", 63, 23,
     "sbl-xbl.spamhaus.org"),
    ("main.cf/parseword__mail-config__postfix__main.cf.non-default-settings-only.txt", "PV203", 76, 23,
     "new.spam.dnsbl.sorbs.net"),
    ("main.cf/parseword__mail-config__postfix__main.cf.non-default-settings-only.txt", "PV203", 79, 23,
     "ubl.unsubscore.com"),
    ("main.cf/parseword__mail-config__postfix__main.cf.non-default-settings-only.txt", "PV203", 81, 23,
     "db.wpbl.info"),
    # Found through an operator row: `warn_if_reject reject_rhsbl_sender
    # fulldom.rfc-clueless.org`, in two lists. RFC-Clueless emptied all its
    # lists in November 2023 and then retired them; the catalogue names no
    # fulldom zone there, the .rfc-clueless.org row covers it.
    ("main.cf/Nothing4You__config__etc__postfix__main.cf", "PV203", 117, 38, "fulldom.rfc-clueless.org"),
    ("main.cf/Nothing4You__config__etc__postfix__main.cf", "PV203", 131, 38, "fulldom.rfc-clueless.org"),
    # PV210: `postscreen_dnsbl_sites = ... dbl.spamhaus.org*1 ...` with
    # postscreen_dnsbl_threshold = 2 and postscreen_dnsbl_action = enforce.
    # postscreen asks the DBL about client addresses; Spamhaus answers every
    # such query with 127.0.1.255, which the unfiltered entry counts, so
    # every client starts at 1 and any one other listing blocks it.
    ("main.cf/OpenMandrivaAssociation__mailserver-config__main.cf", "PV210", 104, 64, "dbl.spamhaus.org"),
}

failures = []


def fail(msg):
    failures.append(msg)
    print("FAIL:", msg)


def findings(directory):
    p = subprocess.run([BIN, "check", "--select", RULES, "--format", "json", directory],
                       capture_output=True, text=True)
    if p.returncode not in (0, 1):
        fail(f"{directory}: postvet exit {p.returncode}: {p.stderr.strip()[-300:]}")
        return []
    return json.loads(p.stdout)["diagnostics"]


def scratch(root, name, main_bytes, master_path):
    d = os.path.join(root, name)
    os.makedirs(d)
    with open(os.path.join(d, "main.cf"), "wb") as fh:
        fh.write(main_bytes)
    if master_path:
        shutil.copyfile(master_path, os.path.join(d, "master.cf"))
    return d


def corpus_cases():
    """(corpus file, main.cf bytes, master.cf path) for each case."""
    cases = []
    with open(os.path.join(CORPUS, "ORACLE.tsv"), newline="") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            name, ctx = row["file"], row["context"]
            if row["mode"] == "n" and name.startswith("main.cf/") and row["exit_code"] == "0":
                master = os.path.join(CORPUS, ctx) if ctx.startswith("master.cf/") else STOCK_MASTER
                with open(os.path.join(CORPUS, name), "rb") as m:
                    cases.append((name, m.read(), master))
            elif row["mode"] == "M" and name.startswith("master.cf/"):
                cases.append((name, b"", os.path.join(CORPUS, name)))
    return cases


def shared_part(root):
    cases = corpus_cases()
    if len(cases) < 60:
        fail(f"only {len(cases)} corpus main.cf/master.cf cases found in {CORPUS}")
    got = set()
    for i, (name, main_bytes, master) in enumerate(cases):
        d = scratch(root, f"corpus{i:03d}", main_bytes, master)
        for x in findings(d):
            if x["severity"] not in ("warning", "error"):
                continue
            # A master.cf case reports in master.cf, a main.cf case may too.
            where = name if os.path.basename(x["file"]) == name.split("/")[0] else f"{name}:{x['file']}"
            got.add((where, x["rule"], x["line"], x["column"], x.get("subject") or x["message"].split()[0]))
    for extra in sorted(got - EXPECTED):
        fail(f"new finding, review it: {extra}")
    for missing in sorted(EXPECTED - got):
        fail(f"reviewed finding is gone: {missing}")
    print(f"{len(cases)} corpus cases, {len(got)} findings")


def local_part(root):
    # Each rule takes its own case and leaves the others' alone.
    d = scratch(root, "local", b"smtpd_client_restrictions = permit_mynetworks,\n"
                               b"    reject_rbl_client safe.dnsbl.sorbs.net,\n"
                               b"    reject_rhsbl_client x.ahbl.org,\n"
                               b"    reject_rbl_client dbl.spamhaus.org=127.0.1.[2..99],\n"
                               b"    reject_rhsbl_client dbl.spamhaus.org=127.0.1.[2..99]\n", None)
    got = sorted((x["rule"], x["line"], x["column"]) for x in findings(d))
    want = [("PV203", 2, 23), ("PV204", 3, 25), ("PV210", 4, 23)]
    if got != want:
        fail(f"local configuration: {got} != {want}")
    # PV210's unsafe fix on its fire fixture: Postfix reads the result, and
    # the lists lost exactly the wrong-kind entries.
    fixed = os.path.join(root, "pv210")
    shutil.copytree(os.path.join(SRC, "testdata", "rules", "PV210", "fire"), fixed)
    if os.path.exists(STOCK_MASTER):  # postconf wants a master.cf beside main.cf
        shutil.copyfile(STOCK_MASTER, os.path.join(fixed, "master.cf"))
    p = subprocess.run([BIN, "check", "--select", "PV210", "--fix", "--unsafe-fixes", fixed],
                       capture_output=True, text=True)
    if p.returncode not in (0, 1):
        fail(f"PV210 --fix: exit {p.returncode}: {p.stderr.strip()[-300:]}")
    if shutil.which("postconf") is None:
        fail("postconf is not installed; this test needs Postfix 3.7 as the oracle")
        return
    q = subprocess.run(["postconf", "-c", fixed, "-h", "smtpd_client_restrictions", "smtpd_sender_restrictions",
                        "postscreen_dnsbl_sites"], capture_output=True, text=True)
    want_values = ["permit_mynetworks, reject_rbl_client zen.spamhaus.org=127.0.0.[2..11]", "",
                   "zen.spamhaus.org=127.0.0.[2..11]*3"]
    if q.returncode != 0 or q.stderr.strip() or q.stdout.splitlines() != want_values:
        fail(f"postconf after PV210's fix: exit {q.returncode}, {q.stdout.splitlines()} != {want_values}, "
             f"stderr {q.stderr.strip()!r}")


def main():
    shared_data.start(CORPUS)
    with tempfile.TemporaryDirectory(prefix="dnsbl-corpus-") as root:
        if shared_data.run_local():
            local_part(root)
        if shared_data.run_shared(CORPUS):
            shared_part(root)
    print(f"{len(failures)} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
