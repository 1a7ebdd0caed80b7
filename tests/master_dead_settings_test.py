#!/usr/bin/env python3
"""The master.cf and dead-settings rules of issue 18 on real configurations.

Rules: PV103 (now also $name in master.cf -o values), PV404 (now also
`-o name` without '=') and PV405 (every broken option of an entry, including
those after the first stray word), PV112 (stress in main.cf), PV113
(default_process_limit masked by explicit maxproc fields), PV412 (content
checks on a service that is not cleanup) and PV413 (a spawn service with a
process limit).

  local   Postfix's stock master.cf with an empty main.cf gets no finding of
          these rules; a pipe(8) command line's own `-oi` is not taken for a
          master.cf option; an entry with three broken -o options gets three
          findings in one run.
  shared  every corpus main.cf with its paired (or the stock) master.cf, and
          every other corpus master.cf with an empty main.cf: the findings at
          warning or error must be exactly JUSTIFIED below (each reviewed by
          hand; a new one is a false alarm until reviewed, a missing one means
          a rule lost a true finding).
"""
# postvet-test-parts: local shared
import csv
import json
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import shared_data  # noqa: E402

SOURCE_DIR = os.environ.get("POSTVET_SOURCE_DIR", os.path.dirname(HERE))
POSTVET = os.environ.get("POSTVET_BIN", os.path.join(SOURCE_DIR, "build", "postvet"))
CORPUS = shared_data.corpus_dir()
STOCK_MASTER = shared_data.STOCK_MASTER_CF
RULES = "PV103,PV404,PV405,PV112,PV113,PV412,PV413"

# (rule, file, line, column): reviewed true findings in the corpus.
JUSTIFIED = {
    # Main.cf references to names nothing defines (postconf agrees).
    ("PV103", "main.cf/JoeKun__debian-configuration-files__etc__postfix__main.cf", 198, 20),
    ("PV103", "main.cf/bloodhunterd__Froxlor-Mail__src__etc__postfix__main.cf", 82, 16),
    ("PV103", "main.cf/bloodhunterd__Froxlor-Mail__src__etc__postfix__main.cf", 94, 14),
    ("PV103", "main.cf/bloodhunterd__Froxlor-Mail__src__etc__postfix__main.cf", 279, 16),
    ("PV103", "main.cf/bloodhunterd__Froxlor-Mail__src__etc__postfix__main.cf", 706, 24),
    ("PV103", "main.cf/parseword__mail-config__postfix__main.cf.non-default-settings-only.txt", 32, 45),
    # smtps copied from the stock master.cf without the mua_* lines of main.cf
    # (postconf: "master.cf: undefined parameter: mua_client_restrictions" etc.).
    ("PV103", "master.cf/ddemuro__virtualmin_docker__virtualmin__etc__postfix__master.cf", 30, 184),
    ("PV103", "master.cf/ddemuro__virtualmin_docker__virtualmin__etc__postfix__master.cf", 30, 236),
    ("PV103", "master.cf/ddemuro__virtualmin_docker__virtualmin__etc__postfix__master.cf", 30, 288),
    # policyd-spf-perl under spawn with maxproc `-` (SMTPD_POLICY_README: 0).
    ("PV413", "master.cf/kiowa__postfix-cyrus-mysql__etc__postfix__master.cf", 190, 47),
}

failures = []


def fail(msg):
    failures.append(msg)
    print("FAIL:", msg)


def check(directory):
    p = subprocess.run([POSTVET, "check", "--select", RULES, "--format", "json", directory],
                       capture_output=True, text=True)
    if p.returncode not in (0, 1):
        fail(f"{directory}: postvet exit {p.returncode}: {p.stderr.strip()[-300:]!r}")
        return []
    return json.loads(p.stdout)["diagnostics"]


def config(root, name, main_bytes, master_bytes):
    d = os.path.join(root, name)
    os.makedirs(d)
    with open(os.path.join(d, "main.cf"), "wb") as fh:
        fh.write(main_bytes)
    with open(os.path.join(d, "master.cf"), "wb") as fh:
        fh.write(master_bytes)
    return d


def local_part(root):
    with open(STOCK_MASTER, "rb") as fh:
        stock = fh.read()
    found = check(config(root, "stock", b"", stock))
    if found:
        fail(f"stock master.cf: {[(x['rule'], x['line'], x['message']) for x in found]}")
    pipe = (b"smtp inet n - y - - smtpd\n"
            b"mailman unix - n n - - pipe\n  flags=FR user=list argv=/usr/sbin/sendmail -oi -f ${sender}\n")
    found = check(config(root, "pipe", b"", pipe))
    if found:
        fail(f"pipe argv -oi: {[(x['rule'], x['line'], x['message']) for x in found]}")
    three = (b"smtp inet n - y - - smtpd\n"
             b"  -o smtpd_helo_restrictions=permit_mynetworks, reject\n"
             b"  -o smtpd_sender_restrictions=permit_mynetworks, reject\n"
             b"  -o smtpd_tls_security_level\n")
    found = sorted((x["rule"], x["line"]) for x in check(config(root, "three", b"", three)))
    if found != [("PV404", 4), ("PV405", 2), ("PV405", 3)]:
        fail(f"three broken options: {found}")


def corpus_pairs():
    pairs = []
    with open(os.path.join(CORPUS, "ORACLE.tsv"), newline="") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            if not row["file"].startswith("main.cf/"):
                continue
            ctx = row["context"]
            pairs.append((row["file"], ctx if ctx.startswith("master.cf/") else None))
    paired = {m for _, m in pairs if m}
    for name in sorted(os.listdir(os.path.join(CORPUS, "master.cf"))):
        if "master.cf/" + name not in paired:
            pairs.append((None, "master.cf/" + name))
    return pairs


def shared_part(root):
    found = set()
    pairs = corpus_pairs()
    if len(pairs) < 30:
        fail(f"only {len(pairs)} corpus configurations found in {CORPUS}")
    for i, (main, master) in enumerate(pairs):
        main_bytes = b""
        if main:
            with open(os.path.join(CORPUS, main), "rb") as fh:
                main_bytes = fh.read()
        with open(os.path.join(CORPUS, master) if master else STOCK_MASTER, "rb") as fh:
            master_bytes = fh.read()
        for x in check(config(root, f"c{i}", main_bytes, master_bytes)):
            if x["severity"] == "info":
                continue
            origin = main if x["file"].endswith("main.cf") else (master or "stock master.cf")
            found.add((x["rule"], origin, x["line"], x["column"]))
            if (x["rule"], origin, x["line"], x["column"]) not in JUSTIFIED:
                print(f"  unreviewed: {x['rule']} {origin}:{x['line']}:{x['column']} {x['message']}")
    for f in sorted(found - JUSTIFIED):
        fail(f"finding not reviewed (a false alarm until justified): {f}")
    for f in sorted(JUSTIFIED - found):
        fail(f"justified finding no longer reported: {f}")
    print(f"{len(pairs)} corpus configurations, {len(found)} findings")


def main():
    shared_data.start(CORPUS)
    with tempfile.TemporaryDirectory(prefix="master-dead-settings-") as root:
        if shared_data.run_local():
            local_part(root)
        if shared_data.run_shared(CORPUS):
            shared_part(root)
    print(f"{len(failures)} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
