#!/usr/bin/env python3
"""`postvet --version`: "postvet VERSION (revision REV)".

VERSION is the project version of CMakeLists.txt. REV is what
`git describe --always --dirty` said at build time, or "unknown" when the
source was not a git checkout; in a checkout (and with git installed) it
must name the commit checked out, or one of its ancestors when commits
were made after the build (a build refreshes it). `--version` also works after the default command's
insertion point (`postvet --version` is not `postvet check --version`).
"""
import os
import re
import shutil
import subprocess
import sys

import pvtest
from pvtest import BIN, SRC, check


with open(os.path.join(SRC, "CMakeLists.txt")) as f:
    version = re.search(r"^project\(postvet VERSION ([0-9.]+)", f.read(), re.M).group(1)

p = subprocess.run([BIN, "--version"], capture_output=True, text=True, timeout=30)
check("--version exits 0 and prints nothing on stderr", p.returncode == 0 and p.stderr == "", p.stderr)
m = re.fullmatch(r"postvet (\S+) \(revision ([0-9A-Za-z._+-]+)\)\n", p.stdout)
check("--version format", m is not None, repr(p.stdout))
if m:
    check("--version names the project version", m.group(1) == version, f"{m.group(1)} != {version}")
    rev = m.group(2)
    git = shutil.which("git")
    if os.path.exists(os.path.join(SRC, ".git")) and git:
        def rev_parse(r):
            q = subprocess.run([git, "-C", SRC, "rev-parse", "--verify", "-q", r + "^{commit}"],
                               capture_output=True, text=True, timeout=30)
            return q.stdout.strip() if q.returncode == 0 else None
        head = rev_parse("HEAD")
        if head is None:
            # git refuses the checkout (e.g. owned by another user): the build said "unknown" too.
            check("revision is unknown when git cannot read the checkout", rev == "unknown", rev)
        else:
            named = rev_parse(rev[:-len("-dirty")] if rev.endswith("-dirty") else rev)
            # HEAD itself after a build; an ancestor if commits were made since.
            ancestor = named is not None and subprocess.run(
                [git, "-C", SRC, "merge-base", "--is-ancestor", named, head], timeout=30).returncode == 0
            check("the revision is the commit checked out (or, when built before the last commits, an ancestor)",
                  ancestor, f"{rev} -> {named}, HEAD {head}")
    else:
        check("revision is unknown outside a git checkout", rev == "unknown", rev)

p = subprocess.run([BIN, "check", "--version"], capture_output=True, text=True, timeout=30)
check("check --version is not a version request", p.returncode == 2 and p.stdout == "", p.stdout + p.stderr)

sys.exit(pvtest.summary())
