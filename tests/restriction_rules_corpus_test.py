#!/usr/bin/env python3
"""The restriction-list rules (PV109-PV111, PV601, PV604) at scale and on
real configurations.

# postvet-test-parts: local shared

Local part: bench/gen_restrictions.py's directory (1,000 restriction
entries in main.cf seen by 100 smtpd services, 1,000 `-o` overrides) lints
with exactly the misspelt names reported, once each, well under the bound
(a generous 5 s, for a loaded CI machine; it takes about 0.1 s).

Shared part: every corpus main.cf with its master.cf (as ORACLE.tsv pairs
them: the same repository directory, else Debian's stock master.cf), and
every corpus master.cf that has no main.cf beside it (with a main.cf that
sets only compatibility_level = 3.6, as a current install does).
The findings at warning or error must be exactly the reviewed list below;
each entry says why it is right. A new finding is a false alarm to fix or a
finding to review and add.
"""
import csv
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import shared_data  # noqa: E402

SRC = shared_data.SOURCE_DIR
from pvtest import BIN
CORPUS = shared_data.corpus_dir()
STOCK_MASTER = shared_data.STOCK_MASTER_CF
RULES = "PV109,PV110,PV111,PV601,PV604"

# (config, file:line:column, rule) -> why the finding is right. `config` is
# the corpus main.cf of the run, or the master.cf for a master.cf alone.
REVIEWED = {
    # reject_rbl_client takes one zone: smtpd reads the next three as
    # restriction names and answers 451 to every client that gets past
    # permit_inet_interfaces (all outside clients).
    ("main.cf/ddemuro__virtualmin_docker__virtualmin__etc__postfix__main.cf",
     "main.cf/ddemuro__virtualmin_docker__virtualmin__etc__postfix__main.cf:85:163", "PV110"): "extra zone",
    ("main.cf/ddemuro__virtualmin_docker__virtualmin__etc__postfix__main.cf",
     "main.cf/ddemuro__virtualmin_docker__virtualmin__etc__postfix__main.cf:85:182", "PV110"): "extra zone",
    ("main.cf/ddemuro__virtualmin_docker__virtualmin__etc__postfix__main.cf",
     "main.cf/ddemuro__virtualmin_docker__virtualmin__etc__postfix__main.cf:85:200", "PV110"): "extra zone",
    # No relay guard in either list and no compatibility_level: Postfix 3.7
    # at level 0 has empty relay and recipient lists, and smtpd's start-up
    # check dies ("specify at least one working instance"). These files were
    # written for older releases (CentOS 6, Postfix 2.x) whose defaults had
    # reject_unauth_destination; for the 3.7 target the finding is right.
    ("main.cf/CamJN__dot-files__etc__postfix__main.cf", "STOCK:12:1", "PV601"): "no relay guard at level 0",
    ("main.cf/LabPLC__centos-6__etc__postfix__main.cf", "STOCK:12:1", "PV601"): "no relay guard at level 0",
    ("main.cf/avar__linode-etc__postfix__main.cf", "STOCK:12:1", "PV601"): "no relay guard at level 0",
    ("main.cf/docker-mailserver__docker-mailserver__test__config__override-configs__postfix-main.cf",
     "STOCK:12:1", "PV601"): "an override fragment: no relay guard at level 0",
    ("main.cf/gnuu-de__serverconfig__etc__postfix-out__main.cf",
     "main.cf/gnuu-de__serverconfig__etc__postfix-out__main.cf:1:1", "PV601"): "no relay guard at level 0",
    ("main.cf/thangnguyennang__zimbra-postscreen__postfix-main.cf",
     "master.cf/thangnguyennang__zimbra-postscreen__postfix-master.cf:13:1", "PV601"): "no relay guard at level 0",
    ("main.cf/vdukhovni__postfix__postfix__conf__main.cf",
     "master.cf/vdukhovni__postfix__postfix__conf__master.cf:48:1", "PV601"):
        "Postfix's own sample main.cf sets no restrictions and no compatibility_level",
}


def fail(failures, msg):
    failures.append(msg)
    print("FAIL:", msg)


def lint(directory):
    r = subprocess.run([BIN, "check", "--select", RULES, "--format", "json", directory],
                       capture_output=True, text=True)
    if r.returncode not in (0, 1):
        raise RuntimeError(f"postvet exit {r.returncode}: {r.stderr.strip()[-300:]}")
    return json.loads(r.stdout)["diagnostics"]


def local_part(failures):
    with tempfile.TemporaryDirectory(prefix="restriction-bench-") as root:
        d = os.path.join(root, "cfg")
        subprocess.run([sys.executable, os.path.join(SRC, "bench", "gen_restrictions.py"), d], check=True)
        start = time.monotonic()
        diags = lint(d)
        took = time.monotonic() - start
        print(f"bench config: {len(diags)} findings in {took:.3f} s")
        if took > 5.0:
            fail(failures, f"the bench configuration took {took:.2f} s (bound 5 s)")
        rules = {x["rule"] for x in diags}
        if rules != {"PV109"}:
            fail(failures, f"bench findings from {sorted(rules)}, want only PV109")
        places = [(x["file"], x["line"], x["column"]) for x in diags]
        if len(places) != len(set(places)):
            fail(failures, "a place is reported twice")
        # 10 misspelt entries in main.cf, 8 misspelt -o values.
        main = [x for x in diags if x["file"].endswith("main.cf")]
        if len(main) != 10 or len(diags) != 18:
            fail(failures, f"{len(main)} main.cf and {len(diags)} total findings, want 10 and 18")


def corpus_runs():
    runs = []
    paired = set()
    with open(os.path.join(CORPUS, "ORACLE.tsv"), newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t"))
    for row in rows:
        if row["mode"] == "n" and row["file"].startswith("main.cf/"):
            ctx = row["context"]
            master = os.path.join(CORPUS, ctx) if ctx.startswith("master.cf/") else STOCK_MASTER
            if ctx.startswith("master.cf/"):
                paired.add(ctx)
            runs.append((row["file"], os.path.join(CORPUS, row["file"]), master))
    for row in rows:
        if row["mode"] == "M" and row["file"].startswith("master.cf/") and row["file"] not in paired:
            runs.append((row["file"], None, os.path.join(CORPUS, row["file"])))
    return runs


def shared_part(failures):
    runs = corpus_runs()
    if len(runs) < 35:
        fail(failures, f"only {len(runs)} corpus configurations found in {CORPUS}")
    found = {}
    with tempfile.TemporaryDirectory(prefix="restriction-corpus-") as root:
        for i, (name, main, master) in enumerate(runs):
            d = os.path.join(root, str(i))
            os.makedirs(d)
            if main:
                shutil.copyfile(main, os.path.join(d, "main.cf"))
            else:
                # A stand-in for the main.cf we do not have: today's
                # compatibility level, so the built-in relay list applies.
                with open(os.path.join(d, "main.cf"), "w") as fh:
                    fh.write("compatibility_level = 3.6\n")
            shutil.copyfile(master, os.path.join(d, "master.cf"))
            for x in lint(d):
                if x["severity"] not in ("warning", "error"):
                    continue
                f = os.path.basename(x["file"])
                if f == "main.cf":
                    where = main and os.path.relpath(main, CORPUS)
                elif master == STOCK_MASTER:
                    where = "STOCK"
                else:
                    where = os.path.relpath(master, CORPUS)
                key = (name, f"{where}:{x['line']}:{x['column']}", x["rule"])
                found[key] = x["message"]
    for key, message in sorted(found.items()):
        if key not in REVIEWED:
            fail(failures, f"unreviewed finding {key}: {message}")
    for key in sorted(set(REVIEWED) - set(found)):
        fail(failures, f"reviewed finding no longer reported: {key}")
    print(f"{len(runs)} corpus configurations, {len(found)} findings, all reviewed" if not failures else "")


def main():
    shared_data.start(CORPUS)
    failures = []
    if shared_data.run_local():
        local_part(failures)
    if shared_data.run_shared(CORPUS):
        if not os.path.exists(STOCK_MASTER):
            fail(failures, f"{STOCK_MASTER} is missing")
        else:
            shared_part(failures)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
