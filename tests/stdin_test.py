#!/usr/bin/env python3
"""`postvet check -`: standard input is linted under the --stdin-filename
name (findings name it with the same line and column as the same bytes read
from a file), its kind comes from that name or --type, --diff patches NAME,
and the errors are tool errors (exit 2): no kind, --fix, - among other
paths, --stdin-filename without -, and input over the 256 MiB bound."""
import os
import re
import shutil
import subprocess
import sys
import tempfile

from pvtest import BIN, SRC
DEMO = os.path.join(SRC, "testdata", "demo")

failures = []


def check(cond, msg):
    if not cond:
        failures.append(msg)
        print("FAIL:", msg)


def run(args, stdin, cwd):
    return subprocess.run([BIN, "check", "--format", "gcc"] + args, input=stdin, capture_output=True, cwd=cwd)


def findings(out, name):
    """(line, column, rule) of each finding in `name`."""
    return [(int(m[1]), int(m[2]), m[3].decode()) for m in re.finditer(
        rb"^" + re.escape(name.encode()) + rb":(\d+):(\d+): \w+: .* \[(PV\d+)\]$", out, re.M)]


def same_as_file(tmp, text, filename, args):
    """stdin named `filename` gives the findings the same file on disk gives."""
    sub = tempfile.mkdtemp(dir=tmp)
    with open(os.path.join(sub, os.path.basename(filename)), "wb") as f:
        f.write(text)
    on_disk = run([os.path.basename(filename)] + args, None, sub)
    piped = run(["-", "--stdin-filename", filename] + args, text, tmp)
    want = findings(on_disk.stdout, os.path.basename(filename))
    got = findings(piped.stdout, filename)
    check(len(want) > 0, f"{filename}: the file itself has no findings: {on_disk.stdout!r} {on_disk.stderr!r}")
    check(got == want, f"{filename}: stdin findings {got} != file findings {want}\n{piped.stderr!r}")
    check(piped.returncode == on_disk.returncode, f"{filename}: exit {piped.returncode} vs {on_disk.returncode}")
    return got


def main():
    tmp = tempfile.mkdtemp()
    try:
        # A duplicate parameter: PV102 at line 1 column 1 in main.cf.
        main_cf = b"# x\nsmtpd_timeout = 60s\nsmtpd_timeout = 30s\n"
        got = same_as_file(tmp, main_cf, "conf/main.cf", [])
        check((2, 1, "PV102") in got, f"main.cf by name: PV102 at 2:1 missing: {got}")
        # The demo master.cf, chosen as master.cf by its name: master.cf rules fire.
        with open(os.path.join(DEMO, "master.cf"), "rb") as f:
            master = f.read()
        got = same_as_file(tmp, master, "x/master.cf", [])
        check(any(r.startswith("PV4") or r.startswith("PV6") for _, _, r in got), f"master.cf by name: {got}")
        # The same bytes as main.cf (--type) are read differently: the name decides.
        as_main = run(["-", "--stdin-filename", "x/master.cf", "--type", "main"], master, tmp)
        check(findings(as_main.stdout, "x/master.cf") != got, "--type main does not override the name")
        # Without a name: shown as `-`, the kind from --type.
        p = run(["-", "--type", "main"], main_cf, tmp)
        check((2, 1, "PV102") in findings(p.stdout, "-"), f"- --type main: {p.stdout!r} {p.stderr!r}")
        # Tables: by name (*_checks) and by --type under a name that says nothing.
        with open(os.path.join(DEMO, "header_checks"), "rb") as f:
            table = f.read()
        by_name = same_as_file(tmp, table, "maps/header_checks", [])
        check(any(r.startswith("PV3") for _, _, r in by_name), f"header_checks by name: {by_name}")
        # (some table rules key on the name, so only the file on disk is compared)
        same_as_file(tmp, table, "maps/hc", ["--type", "regexp"])
        # --diff patches NAME.
        p = subprocess.run([BIN, "check", "-", "--stdin-filename", "conf/main.cf", "--diff"], input=main_cf,
                           capture_output=True, cwd=tmp)
        check(b"--- a/conf/main.cf\n+++ b/conf/main.cf\n" in p.stdout and b"-smtpd_timeout = 60s\n" in p.stdout,
              f"--diff: {p.stdout!r} {p.stderr!r}")
        # Errors: exit 2 with a clear message, nothing linted.
        for args, needle in [
            (["-"], b"--type"),
            (["-", "--stdin-filename", "notes.txt"], b"notes.txt"),
            (["-", "--type", "main", "--fix"], b"--fix"),
            (["-", "--stdin-filename", "main.cf", "--fix"], b"--fix"),
            (["-", DEMO, "--type", "main"], b"standard input"),
            ([DEMO, "--stdin-filename", "main.cf"], b"--stdin-filename"),
        ]:
            p = run(args, main_cf, tmp)
            check(p.returncode == 2, f"{args}: exit {p.returncode}, want 2")
            check(needle in p.stderr, f"{args}: stderr {p.stderr!r} does not mention {needle!r}")
            check(p.stdout == b"", f"{args}: printed findings {p.stdout[:200]!r}")
        # --fix must not create or change a file of that name.
        check(not os.path.exists(os.path.join(tmp, "main.cf")), "--fix with - wrote main.cf")
        # Over 256 MiB: refused, exit 2, without reading it all into memory first.
        proc = subprocess.Popen([BIN, "check", "-", "--type", "main"], stdin=subprocess.PIPE,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=tmp)
        chunk = b"# " + b"x" * (1 << 20) + b"\n"
        try:
            for _ in range(260):
                proc.stdin.write(chunk)
            proc.stdin.close()
        except BrokenPipeError:
            pass
        out, err = proc.communicate(timeout=120)
        check(proc.returncode == 2, f"over 256 MiB: exit {proc.returncode}")
        check(b"-: input is larger than" in err, f"over 256 MiB: stderr {err!r}")
    finally:
        shutil.rmtree(tmp)
    if failures:
        print(f"{len(failures)} failure(s)")
        return 1
    print("ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
