#!/usr/bin/env python3
"""`postvet tune` end to end: the text names the process limit and where it
comes from (checked against the demo config's own lines), log evidence
raises PV501's floor, `--diff` applies with `git apply --check` and fixes
what it says, logs come from files, gzip and stdin, and bad options are
tool errors (exit 2)."""
import os
import re
import shutil
import subprocess
import sys
import tempfile

from pvtest import BIN, SRC
DEMO = os.path.join(SRC, "testdata", "demo")
LOGS = os.path.join(SRC, "testdata", "logs")

failures = []


def check(cond, msg):
    if not cond:
        failures.append(msg)
        print("FAIL:", msg)


def run(args, cwd=None, stdin=None):
    return subprocess.run([BIN] + args, cwd=cwd, capture_output=True, text=True, input=stdin)


def master_line(directory, service, stype):
    """(line number, maxproc) of a master.cf entry, read independently."""
    with open(os.path.join(directory, "master.cf"), encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            words = line.split()
            if len(words) >= 8 and words[0] == service and words[1] == stype and not line[0].isspace():
                return n, words[6]
    raise AssertionError(f"{service}/{stype} not in master.cf")


def main_value(directory, name):
    value, line_no = None, None
    with open(os.path.join(directory, "main.cf"), encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            m = re.match(rf"{name}\s*=\s*(\S*)", line)
            if m:
                value, line_no = m.group(1), n
    return value, line_no


def test_demo_text():
    p = run(["tune", DEMO])
    check(p.returncode == 1, f"tune demo: exit {p.returncode} (PV501 is a warning), stderr {p.stderr!r}")
    out = p.stdout
    line, maxproc = master_line(DEMO, "smtpd", "pass")
    check(f"maxproc {maxproc} ({DEMO}/master.cf line {line})" in out,
          f"tune does not name the smtpd pass limit and its source line {line}:\n{out}")
    check(re.search(rf"smtpd/pass: raise the process limit from {maxproc} to 100\b", out) is not None,
          f"tune does not advise raising {maxproc} to the floor 100:\n{out}")
    check("PV501" in out, "PV501 not in the findings")
    # submission uses `-`: its limit is default_process_limit from main.cf.
    dpl, dpl_line = main_value(DEMO, "default_process_limit")
    check(f"default_process_limit = {dpl} ({DEMO}/main.cf line {dpl_line})" in out,
          f"submission's limit source (default_process_limit = {dpl}, line {dpl_line}) not named:\n{out}")
    # The demo forces stress on for smtpd pass, and postscreen has its own mode.
    check("forced on by its own -o stress" in out, "forced stress mode not reported")
    check(f"entered at {int(dpl) * 9 // 10} and left at {int(dpl) * 7 // 10}" in out,
          "postscreen STRESS thresholds (0.9/0.7 x postscreen_pre_queue_limit) not reported")
    check("needs about" in out, "no memory figure in the advice")


def test_logs_raise_floor():
    with tempfile.TemporaryDirectory() as tmp:
        cfg = os.path.join(tmp, "cfg")
        os.mkdir(cfg)
        with open(os.path.join(cfg, "main.cf"), "w") as f:
            f.write("myhostname = mx2.example.org\n")
        with open(os.path.join(cfg, "master.cf"), "w") as f:
            f.write("smtp      inet  n       -       y       -       100     smtpd\n")
        # Without logs the limit of 100 meets the floor.
        p = run(["tune", cfg])
        check(p.returncode == 0, f"tune without logs: exit {p.returncode}\n{p.stdout}")
        check("PV501" not in p.stdout, "PV501 without evidence on a limit of 100")
        # mx-rfc3339.log: peak 100 and 2 limit warnings for "smtp".
        p = run(["tune", cfg, "--log", os.path.join(LOGS, "mx-rfc3339.log")])
        out = p.stdout
        check(p.returncode == 1, f"tune with logs: exit {p.returncode}\n{out}\n{p.stderr}")
        check("peak 100 concurrent sessions" in out, f"peak of 100 not reported:\n{out}")
        check('process limit reached: service "smtp" (25) at 100, 2 warnings' in out, f"limit hits not reported:\n{out}")
        check("40 lost after CONNECT (20.0% of connections, 40.0/h)" in out, f"lost-after-CONNECT share/rate:\n{out}")
        check(re.search(r"the floor is 150, what the logs call for", out, re.S) is not None,
              f"PV501 floor not raised to 150 by the evidence:\n{out}")
        check("raise the process limit from 100 to 150" in out, f"advice does not name 150:\n{out}")
        # check (no logs) keeps the config floor.
        p = run(["check", "--select", "PV501", cfg])
        check(p.returncode == 0, "check without logs reports PV501 on 100")
        # The same log through stdin, and --diff with the raised floor.
        with open(os.path.join(LOGS, "mx-rfc3339.log")) as f:
            data = f.read()
        p = run(["tune", cfg, "--log", "-", "--diff"], stdin=data, cwd=tmp)
        check(p.returncode in (0, 1) and "+smtp      inet  n       -       y       -       150     smtpd" in p.stdout,
              f"--diff from stdin evidence does not raise to 150:\n{p.stdout}\n{p.stderr}")


def test_logs_formats():
    p = run(["tune", DEMO, "--log", os.path.join(LOGS, "mx-traditional.log"),
             "--log", os.path.join(LOGS, "mx-rotated.log.1.gz"), "--log", os.path.join(LOGS, "postlog.log")])
    out = p.stdout
    check("Log evidence (3 files" in out, f"three files not read:\n{out}\n{p.stderr}")
    check("traditional timestamps" in out, "stamp forms not reported")
    check("peak 30 concurrent sessions" in out, f"peak 30 not found across files:\n{out}")
    check('process limit reached: service "smtpd" (private/smtpd) at 30, 1 warning' in out, f"limit hit:\n{out}")
    check('"all server ports busy" 5' in out, f"all server ports busy count:\n{out}")
    check("STRESS mode entered 1 time (up to 90 connections)" in out, f"postscreen stress:\n{out}")
    check("dnsbl.sorbs.net 5" in out and "zen.spamhaus.org 1" in out, f"DNS list errors:\n{out}")
    check("the limit was reached" in out, f"saturation not stated:\n{out}")


def test_diff_applies():
    with tempfile.TemporaryDirectory() as tmp:
        work = os.path.join(tmp, "demo")
        shutil.copytree(DEMO, work)
        p = run(["tune", "demo", "--diff"], cwd=tmp)
        check(p.stdout.startswith("--- a/demo/master.cf") or p.stdout.startswith("--- a/demo/main.cf"),
              f"--diff printed no patch: {p.stdout[:300]!r} {p.stderr!r}")
        line, maxproc = master_line(work, "smtpd", "pass")
        check(f"-smtpd     pass  -       -       y       -       {maxproc}      smtpd" in p.stdout
              and "+smtpd     pass  -       -       y       -       100      smtpd" in p.stdout,
              f"--diff does not raise smtpd pass to 100:\n{p.stdout}")
        with open(os.path.join(tmp, "tune.patch"), "w") as f:
            f.write(p.stdout)
        subprocess.run(["git", "init", "-q"], cwd=tmp)
        g = subprocess.run(["git", "apply", "--check", "tune.patch"], cwd=tmp, capture_output=True, text=True)
        check(g.returncode == 0, f"--diff does not apply: {g.stderr}")
        g = subprocess.run(["git", "apply", "tune.patch"], cwd=tmp, capture_output=True, text=True)
        check(g.returncode == 0, f"git apply failed: {g.stderr}")
        check(master_line(work, "smtpd", "pass")[1] == "100", "smtpd pass maxproc not 100 after the patch")
        p = run(["tune", "demo"], cwd=tmp)
        check("PV501" not in p.stdout, f"PV501 still reported after applying the diff:\n{p.stdout}")
        # Nothing else was touched: the original demo is unchanged.
        check(master_line(DEMO, "smtpd", "pass")[1] == maxproc, "the demo itself was modified")


def test_other_service_at_limit():
    # A limit warning for a service that is not the port-25 smtpd still gets advice.
    line = ('Nov 20 10:00:00 mx1 postfix/master[1]: warning: service "submission" (587) has reached its process '
            'limit "50": new clients may experience noticeable delays\n')
    p = run(["tune", DEMO, "--log", "-"], stdin=line)
    check('service "submission" (587) reached its process limit of 50 (1 warning): raise it to 80' in p.stdout,
          f"no advice for submission at its limit:\n{p.stdout}")


def test_memory_and_errors():
    p = run(["tune", DEMO, "--memory", "64M"])
    check("PV502" in p.stdout and "of 64 MiB (--memory)" in p.stdout, f"--memory 64M: PV502 not reported:\n{p.stdout}")
    p = run(["tune", DEMO, "--memory", "auto"])
    check(p.returncode in (0, 1) and "MemTotal in /proc/meminfo" in p.stdout, f"--memory auto:\n{p.stdout}{p.stderr}")
    for args in (["--memory", "lots"], ["--log", os.path.join(LOGS, "missing.log")], ["--peak-clients", "-5"]):
        p = run(["tune", DEMO] + args)
        check(p.returncode == 2 and p.stderr.startswith("postvet: "), f"tune {args}: exit {p.returncode} {p.stderr!r}")
    p = run(["tune", os.path.join(DEMO, "main.cf")])
    check(p.returncode == 2, "tune on a file is not a tool error")
    p = run(["tune", DEMO, "--peak-clients", "400"])
    check("an expected peak of 400 concurrent clients (--peak-clients)" in p.stdout
          and "raise the process limit from 30 to 600" in p.stdout, f"--peak-clients 400:\n{p.stdout}")


def main():
    if not os.path.exists(BIN):
        print(f"postvet binary not found: {BIN}")
        return 1
    test_demo_text()
    test_logs_raise_floor()
    test_logs_formats()
    test_diff_applies()
    test_other_service_at_limit()
    test_memory_and_errors()
    if failures:
        print(f"{len(failures)} failure(s)")
        return 1
    print("ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
