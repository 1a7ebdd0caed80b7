#!/usr/bin/env python3
"""`postvet tune --log` on compressed logs (issue 21), end to end: xz data
(made here with Python's lzma) and zstd data (made with the zstd program;
that part is skipped, saying so, when it is absent) give the report of the
plain log, whatever the file is called, also on standard input; data cut
short or corrupt is a tool error (exit 2) naming the file, never a crash."""
import json
import lzma
import os
import shutil
import subprocess
import sys
import tempfile

from pvtest import BIN, SRC
DEMO = os.path.join(SRC, "testdata", "demo")
PLAIN = os.path.join(SRC, "testdata", "logs", "mx-traditional.log")

failures = []


def check(cond, msg):
    if not cond:
        failures.append(msg)
        print("FAIL:", msg)


def tune(log, stdin=None):
    return subprocess.run([BIN, "tune", DEMO, "--format", "json", "--log", log],
                          capture_output=True, input=stdin)


def write(path, data):
    with open(path, "wb") as f:
        f.write(data)
    return path


def compressors():
    out = [("xz", lzma.compress)]
    zstd = shutil.which("zstd")
    if zstd:
        out.append(("zstd", lambda data: subprocess.run([zstd, "-q", "-c"], input=data, capture_output=True,
                                                        check=True).stdout))
    else:
        print("skip: zstd part (no zstd program)")
    return out


def main():
    with open(PLAIN, "rb") as f:
        plain = f.read()
    expected = tune(PLAIN)
    sessions = json.loads(expected.stdout)["evidence"]["sessions"] if expected.returncode in (0, 1) else []
    check([s["peak"] for s in sessions if s["tag"] == "postfix/smtpd"] == [30],
          f"plain log: exit {expected.returncode} {expected.stderr!r}")
    with tempfile.TemporaryDirectory() as tmp:
        for name, compress in compressors():
            data = compress(plain)
            # The name says nothing: a .gz name on xz data, no suffix at all.
            for shown in (f"mail.log.{name}", "mail.log.2.gz", "maillog"):
                p = tune(write(os.path.join(tmp, shown), data))
                check(p.returncode == expected.returncode and p.stdout == expected.stdout,
                      f"{name} as {shown}: exit {p.returncode} {p.stderr!r}")
            p = tune("-", stdin=data)
            check(p.returncode == expected.returncode and p.stdout == expected.stdout,
                  f"{name} on stdin: exit {p.returncode} {p.stderr!r}")
            cut = write(os.path.join(tmp, f"cut.{name}"), data[: len(data) // 2])
            p = tune(cut)
            err = p.stderr.decode(errors="replace")
            check(p.returncode == 2 and f"{cut}: cannot read: {name} data cut short" in err,
                  f"{name} cut short: exit {p.returncode} {err!r}")
            bad = bytearray(data)
            for i in range(len(bad) // 3, len(bad) // 3 + 16):
                bad[i] ^= 0x5A
            corrupt = write(os.path.join(tmp, f"corrupt.{name}"), bytes(bad))
            p = tune(corrupt)
            err = p.stderr.decode(errors="replace")
            check(p.returncode == 2 and f"{corrupt}: cannot read: corrupt {name} data" in err,
                  f"{name} corrupt: exit {p.returncode} {err!r}")
    if failures:
        print(f"{len(failures)} failure(s)")
        return 1
    print("ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
