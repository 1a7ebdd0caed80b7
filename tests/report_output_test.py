#!/usr/bin/env python3
"""Where `check` writes its report (issue 20: reports are streamed in
chunks, never built whole): stdout and --output FILE carry the same bytes in
every format, also for a report far larger than a chunk; --output replaces
an existing regular file but writes a FIFO or device in place (it used to
rename a temporary file over it, which as root turned /dev/null into a
regular file); a write error on --output is exit 2 with "cannot write",
while a write error on stdout keeps the findings' exit status and prints
nothing, as postvet always did."""
import os
import stat
import subprocess
import sys
import tempfile
import threading

import pvtest
from pvtest import BIN, SRC, check, write

FORMATS = ["text", "gcc", "json", "sarif", "github", "gitlab", "checkstyle"]


def run(args, stdout=subprocess.PIPE, cwd=None):
    env = dict(os.environ)
    env.pop("GITHUB_ACTIONS", None)
    return subprocess.run([BIN] + args, stdout=stdout, stderr=subprocess.PIPE, cwd=cwd, env=env, timeout=120)


with tempfile.TemporaryDirectory() as tmp:
    # 3,000 copies of one rule: a duplicate-pattern finding on each line but
    # the first, a report of several hundred KiB in every format.
    big = os.path.join(tmp, "big")
    write(os.path.join(big, "main.cf"), "header_checks = regexp:/etc/postfix/header_checks\n")
    write(os.path.join(big, "master.cf"), "")
    write(os.path.join(big, "header_checks"), "/^Subject: .*win/ REJECT spam\n" * 3000)
    demo = os.path.join(SRC, "testdata", "demo")

    for name, target in (("demo", demo), ("big", big)):
        for fmt in FORMATS:
            to_stdout = run(["check", "--format", fmt, target])
            out = os.path.join(tmp, f"{name}.{fmt}")
            to_file = run(["check", "--format", fmt, "--output", out, target])
            with open(out, "rb") as f:
                written = f.read()
            check(f"{name} {fmt}: stdout and --output give the same bytes",
                  to_stdout.stdout == written and to_stdout.returncode == to_file.returncode == 1,
                  (len(to_stdout.stdout), len(written), to_stdout.returncode, to_file.returncode,
                   to_stdout.stderr[-500:]))
            if name == "big":
                check(f"big {fmt}: the report spans many 64 KiB chunks", len(written) > 3 * 65536, len(written))

            # An existing file is replaced and keeps its mode.
            write(out, "old contents\n")
            os.chmod(out, 0o640)
            again = run(["check", "--format", fmt, "--output", out, target])
            with open(out, "rb") as f:
                check(f"{name} {fmt}: --output replaces an existing file",
                      f.read() == written and again.returncode == 1
                      and stat.S_IMODE(os.stat(out).st_mode) == 0o640, again.stderr)

    # stdout that cannot take the report: what postvet always did, the
    # findings' exit status and no message.
    if os.path.exists("/dev/full") and stat.S_ISCHR(os.stat("/dev/full").st_mode):
        for fmt in FORMATS:
            for target in (demo, big):
                with open("/dev/full", "wb") as full:
                    p = run(["check", "--format", fmt, target], stdout=full)
                check(f"{fmt}: a full stdout keeps the exit status", p.returncode == 1 and p.stderr == b"",
                      (p.returncode, p.stderr[-500:]))

    # --output naming a FIFO: written through it, not replaced.
    fifo = os.path.join(tmp, "fifo")
    os.mkfifo(fifo)
    got = []

    def drain():
        with open(fifo, "rb") as f:
            got.append(f.read())

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    p = run(["check", "--format", "json", "--output", fifo, big])
    still_fifo = stat.S_ISFIFO(os.stat(fifo).st_mode)
    reader.join(timeout=10 if still_fifo else 0)  # a replaced FIFO leaves the reader waiting
    with open(os.path.join(tmp, "big.json"), "rb") as f:
        expected = f.read()
    fifo_ok = check("--output FIFO is written through, not replaced by a file",
                    still_fifo and p.returncode == 1 and got == [expected],
                    (still_fifo, p.returncode, [len(g) for g in got], p.stderr[-500:]))

    # --output on a full device: a clear error, exit 2, the device left alone.
    # Only once the FIFO case has shown that devices are not replaced: a
    # postvet that replaced them would turn /dev/full into a file (as root).
    if fifo_ok and os.path.exists("/dev/full") and stat.S_ISCHR(os.stat("/dev/full").st_mode):
        for fmt in ("text", "json"):
            p = run(["check", "--format", fmt, "--output", "/dev/full", big])
            check(f"{fmt}: --output /dev/full is exit 2 with a message",
                  p.returncode == 2 and p.stderr == b"postvet: /dev/full: cannot write\n"
                  and stat.S_ISCHR(os.stat("/dev/full").st_mode), (p.returncode, p.stderr[-500:]))

sys.exit(pvtest.summary())
