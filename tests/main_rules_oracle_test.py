#!/usr/bin/env python3
"""Oracle test: PV101 / PV102 / PV103 against postconf's own warnings.

For every corpus main.cf that `postconf -n` accepts (corpus/ORACLE.tsv mode
`n`, exit 0; paired with its master.cf from the same repository directory,
or the stock Debian master.cf, as the context column says), plus files from
the seeded generator tests/gen_main_cf.py, a scratch DIR is made (main.cf,
master.cf, mtimes backdated: Postfix re-reads "hot" files and repeats its
warnings) and

  postconf -c DIR -n                                          (Postfix 3.7)
  postvet check --select PV101,PV102,PV103,PV105 --format json DIR

are compared as sets of parameter names:

* "unused parameter: NAME=..."  vs  PV101 subjects. Names PV105 reports
  (renamed/obsolete parameters) are left out of PV101 on purpose, so every
  unused name must be a PV101 or a PV105 finding, and every PV101 finding
  must be an unused name.
* "line N: overriding earlier entry: NAME=..."  vs  PV102 findings about
  differing values, as (N, NAME) with N the line of PV102's "overridden by"
  note (PV102 also reports identical repeats, which postconf does not; those
  say "with the same value" and are left out). The `config_directory` entry
  that `-c DIR` itself causes is ignored.
* "undefined parameter: NAME"  vs  PV103 subjects.
* "DIR/master.cf: undefined parameter: NAME"  vs  the names PV103 underlines
  in master.cf -o values (the corpus pairs, plus hand-written master.cf
  cases, MASTER_CASES).

Each PV101/PV102/PV103 finding must also underline exactly the name it is
about in the file (for PV103 the name inside `$name`, continuation lines
included).

A few hand-written loop cases also compare PV107 with `postconf -x -n`:
postconf must die with "unreasonable macro call nesting" exactly when PV107
reports.

Fails (does not skip) when postconf is missing. The corpus files are the
shared part, skipped without the corpus.
"""
# postvet-test-parts: local shared
import csv
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import gen_main_cf  # noqa: E402
import oracle_lib  # noqa: E402
import shared_data  # noqa: E402

SOURCE_DIR = os.environ.get("POSTVET_SOURCE_DIR", os.path.dirname(HERE))
POSTVET = os.environ.get("POSTVET_BIN", os.path.join(SOURCE_DIR, "build", "postvet"))
CORPUS = shared_data.corpus_dir()
STOCK_MASTER = shared_data.STOCK_MASTER_CF
OLD = 946684800  # 2000-01-01
GENERATED = 120
SEED = 20240917

RULES = "PV101,PV102,PV103,PV105"


def postconf_names(directory):
    """(accepted, unused, overriding, undefined, master_undefined) from postconf -c DIR -n."""
    p = subprocess.run(["postconf", "-c", directory, "-n"], capture_output=True)
    err = p.stderr.decode("utf-8", "replace")
    main_cf = os.path.join(directory, "main.cf")
    unused, overriding, undefined, master_undefined = set(), set(), set(), set()
    master_prefix = os.path.join(directory, "master.cf") + ": undefined parameter: "
    for line in err.splitlines():
        m = re.match(r"^postconf: warning: (.*)$", line)
        if m and m.group(1).startswith(master_prefix):
            master_undefined.add(m.group(1)[len(master_prefix):])
            continue
        if not m or not m.group(1).startswith(main_cf):
            continue
        rest = m.group(1)[len(main_cf):]
        if m2 := re.match(r"^: unused parameter: ([^=]*)=", rest):
            unused.add(m2.group(1))
        elif m2 := re.match(r"^, line (\d+): overriding earlier entry: ([^=]*)=", rest):
            if m2.group(2) != "config_directory":
                overriding.add((int(m2.group(1)), m2.group(2)))
        elif m2 := re.match(r"^: undefined parameter: (.*)$", rest):
            undefined.add(m2.group(1))
    return p.returncode == 0, unused, overriding, undefined, master_undefined


def span_text(data, d):
    """The bytes a finding underlines (1-based lines, byte columns)."""
    lines = data.split(b"\n")
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line) + 1)
    b = starts[d["line"] - 1] + d["column"] - 1
    e = starts[d["end_line"] - 1] + d["end_column"] - 1
    return data[b:e].decode("utf-8", "replace")


def compare(name, directory, failures):
    accepted, unused, overriding, undefined, master_undefined = postconf_names(directory)
    if not accepted:
        return False
    p = subprocess.run([POSTVET, "check", *oracle_lib.version_args(), "--select", RULES, "--format", "json",
                        directory],
                       capture_output=True, text=True)
    if p.returncode not in (0, 1):
        failures.append(f"{name}: postvet exit {p.returncode}: {p.stderr.strip()[-300:]!r}")
        return True
    all_diags = json.loads(p.stdout)["diagnostics"]
    diags = [d for d in all_diags if d["file"].endswith("main.cf")]
    with open(os.path.join(directory, "master.cf"), "rb") as fh:
        master_data = fh.read()
    pv103_master = set()
    for d in all_diags:
        if d["rule"] == "PV103" and d["file"].endswith("master.cf"):
            text = span_text(master_data, d)
            pv103_master.add(text)
            if not re.fullmatch(r"[A-Za-z0-9_.-]+", text):
                failures.append(f"{name}: PV103 at master.cf:{d['line']}:{d['column']} underlines {text!r}")
    if pv103_master != master_undefined:
        failures.append(f"{name}: master.cf 'undefined parameter' postconf-only "
                        f"{sorted(master_undefined - pv103_master)[:5]} postvet-only "
                        f"{sorted(pv103_master - master_undefined)[:5]}")
    with open(os.path.join(directory, "main.cf"), "rb") as fh:
        data = fh.read()
    pv101, pv105, pv102_differ, pv102_same, pv103 = set(), set(), set(), set(), set()
    for d in diags:
        text = span_text(data, d)
        if d["rule"] == "PV101":
            pv101.add(text)
        elif d["rule"] == "PV105":
            pv105.add(text)
        elif d["rule"] == "PV102":
            # Keyed like postconf's warning: the overriding line and the name.
            later = d["notes"][0]["line"] if d["notes"] else 0
            (pv102_same if "with the same value" in d["message"] else pv102_differ).add((later, text))
        elif d["rule"] == "PV103":
            pv103.add(text)
        if d["rule"] in ("PV101", "PV102", "PV103") and not re.fullmatch(r"[A-Za-z0-9_.-]+", text):
            failures.append(f"{name}: {d['rule']} at {d['line']}:{d['column']} underlines {text!r}, not a name")
    if not pv101 <= unused:
        failures.append(f"{name}: PV101 on names postconf uses: {sorted(pv101 - unused)[:5]}")
    if not (unused - pv101) <= pv105:
        failures.append(f"{name}: postconf 'unused parameter' without PV101/PV105: "
                        f"{sorted(unused - pv101 - pv105)[:5]}")
    if pv102_differ != overriding:
        failures.append(f"{name}: 'overriding earlier entry' {sorted(overriding)[:5]} vs PV102 "
                        f"{sorted(pv102_differ)[:5]}")
    if pv103 != undefined:
        failures.append(f"{name}: 'undefined parameter' postconf-only {sorted(undefined - pv103)[:5]} "
                        f"postvet-only {sorted(pv103 - undefined)[:5]}")
    return True


# PV107 cases: postconf -x -n must die with "unreasonable macro call nesting"
# exactly where PV107 reports (every name here is used, so postconf expands it).
LOOP_CASES = {
    "pair": "a = $b\nb = $a\nsmtpd_banner = $a\n",
    "through-mydomain": "mydomain = $myhostname\nmyhostname = mail.$mydomain\n",
    "test-only": "mydomain = ${myhostname?example.org}\nmyhostname = mail.$mydomain\n",
    "branch-not-taken": "smtpd_banner = ${stress?{$smtpd_banner}:{x}}\n",
    "colon-taken": "smtpd_banner = ${undefined_x:$smtpd_banner}\n",
    "deep-150": "smtpd_banner = $p0\n" + "".join(f"p{i} = $p{i + 1}\n" for i in range(150)) + "p150 = end\n",
    "deep-90": "smtpd_banner = $p0\n" + "".join(f"p{i} = $p{i + 1}\n" for i in range(90)) + "p90 = end\n",
    "via-default": "myhostname = mail.$myorigin\n",
}


def compare_loops(root, failures):
    for name, text in LOOP_CASES.items():
        d = scratch(root, "loop-" + name, text.encode(), STOCK_MASTER)
        p = subprocess.run(["postconf", "-c", d, "-x", "-n"], capture_output=True, text=True)
        postconf_loops = "unreasonable macro call nesting" in p.stderr
        v = subprocess.run([POSTVET, "check", *oracle_lib.version_args(), "--select", "PV107", "--format", "json", d],
                           capture_output=True, text=True)
        if v.returncode not in (0, 1):
            failures.append(f"loop case {name}: postvet exit {v.returncode}: {v.stderr.strip()[-300:]!r}")
            continue
        found = [x for x in json.loads(v.stdout)["diagnostics"] if x["rule"] == "PV107"]
        if postconf_loops != bool(found):
            failures.append(f"loop case {name}: postconf nesting failure {postconf_loops}, PV107 findings {len(found)}")


# master.cf -o values with $names that postconf calls undefined (or not):
# (name, main.cf, master.cf).
MASTER_CASES = [
    ("mua-undefined", b"",
     b"submission inet n - y - - smtpd\n  -o smtpd_client_restrictions=$mua_client_restrictions\n"),
    ("mua-in-main", b"mua_client_restrictions = permit_sasl_authenticated, reject\n",
     b"submission inet n - y - - smtpd\n  -o smtpd_client_restrictions=$mua_client_restrictions\n"),
    ("mua-same-service", b"",
     b"submission inet n - y - - smtpd\n  -o mua=permit_sasl_authenticated,reject\n"
     b"  -o smtpd_client_restrictions=$mua\n"),
    ("mua-other-service", b"",
     b"smtps inet n - y - - smtpd\n  -o mua=permit_sasl_authenticated,reject\n"
     b"submission inet n - y - - smtpd\n  -o smtpd_client_restrictions=$mua\n"),
    ("braced-and-tests", b"",
     b"submission inet n - y - - smtpd\n  -o { smtpd_sender_restrictions = ${a?{x}} $(b) ${c:y}, $d }\n"
     b"  -o smtpd_helo_restrictions=$myhostname$e\n"),
    ("service-derived", b"",
     b"relay unix - - n - - smtp\nx unix - - n - - smtpd\n  -o smtpd_banner=$relay_time_limit $y\n"),
]


def scratch(root, name, main_bytes, master_path=None, master_bytes=None):
    d = os.path.join(root, name)
    os.makedirs(d)
    with open(os.path.join(d, "main.cf"), "wb") as fh:
        fh.write(main_bytes)
    if master_bytes is not None:
        with open(os.path.join(d, "master.cf"), "wb") as fh:
            fh.write(master_bytes)
    else:
        shutil.copyfile(master_path, os.path.join(d, "master.cf"))
    for f in ("main.cf", "master.cf"):
        os.utime(os.path.join(d, f), (OLD, OLD))
    return d


def corpus_cases():
    cases = []
    with open(os.path.join(CORPUS, "ORACLE.tsv"), newline="") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            if row["mode"] != "n" or not row["file"].startswith("main.cf/"):
                continue
            ctx = row["context"]
            master = os.path.join(CORPUS, ctx) if ctx.startswith("master.cf/") else STOCK_MASTER
            cases.append((row["file"], os.path.join(CORPUS, row["file"]), master, row["exit_code"] == "0"))
    return cases


def main():
    shared_data.start(CORPUS)
    if shutil.which("postconf") is None:
        print("FAIL: postconf is not installed; this oracle test needs Postfix 3.7")
        return 1
    if not os.path.exists(STOCK_MASTER):
        print(f"FAIL: {STOCK_MASTER} is missing")
        return 1
    failures = []
    compared = 0
    with tempfile.TemporaryDirectory(prefix="main-rules-oracle-") as root:
        if shared_data.run_shared(CORPUS):
            cases = corpus_cases()
            if len(cases) < 30:
                failures.append(f"only {len(cases)} corpus main.cf files found in {CORPUS}")
            for name, path, master, accepted in cases:
                if not accepted:
                    continue  # postconf stops on it; nothing to compare
                with open(path, "rb") as fh:
                    data = fh.read()
                d = scratch(root, os.path.basename(name), data, master)
                if not compare(name, d, failures):
                    failures.append(f"{name}: ORACLE.tsv says postconf accepts it, but it failed here")
                compared += 1
        if shared_data.run_local():
            compare_loops(root, failures)
            for name, main_bytes, master_bytes in MASTER_CASES:
                d = scratch(root, "master-" + name, main_bytes, master_bytes=master_bytes)
                if not compare(f"master case {name}", d, failures):
                    failures.append(f"master case {name}: postconf -n failed")
                compared += 1
            rng = random.Random(SEED)
            for i in range(GENERATED):
                data = gen_main_cf.generate(rng)
                d = scratch(root, f"gen{i:03d}", data, STOCK_MASTER)
                if compare(f"generated #{i} (seed {SEED})", d, failures):
                    compared += 1
            if compared < GENERATED // 2:
                failures.append(f"only {compared} generated files were accepted by postconf")
        if compared == 0 and not failures:
            return 0  # the shared part was skipped
    for f in failures:
        print("FAIL:", f)
    print(f"{compared} main.cf files compared, {len(failures)} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
