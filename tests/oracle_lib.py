"""Shared pieces of the oracle tests that compare postvet with Postfix's own
postconf and postmap: where the binaries and the corpus are, running them
the same way every time (always `-c DIR`, never /etc/postfix), and failure
bookkeeping. Import it from a test in tests/ (the directory is on sys.path
when the test runs as a script).
"""
import os
import shutil
import subprocess

import shared_data

SRC = os.environ.get("POSTVET_SOURCE_DIR", os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN = os.environ.get("POSTVET_BIN", os.path.join(SRC, "build", "postvet"))
OLD = 946684800  # Postfix re-reads files modified within the last second: backdate them


def corpus_dir():
    """The shared corpus (tests/shared_data.py: env POSTVET_CORPUS overrides),
    or None with one clear "skipped: ..." line printed when it is absent."""
    path = shared_data.corpus_dir()
    return path if shared_data.run_shared(path) else None


def find_tool(name):
    for cand in (shutil.which(name), f"/usr/sbin/{name}"):
        if cand and os.access(cand, os.X_OK):
            return cand
    return None


POSTCONF = find_tool("postconf")
POSTMAP = find_tool("postmap")


class Failures:
    """Collects failures; prints each one as it happens."""

    def __init__(self):
        self.items = []

    def __call__(self, msg):
        self.items.append(msg)
        print("FAIL:", msg[:3000])

    def __bool__(self):
        return bool(self.items)


def backdate(directory):
    for root, _, names in os.walk(directory):
        for n in names:
            os.utime(os.path.join(root, n), (OLD, OLD))


def postvet(args, cwd=None):
    return subprocess.run([BIN] + list(args), capture_output=True, text=True, cwd=cwd)


def postconf(directory, *flags):
    """stdout lines of `postconf -c DIR FLAGS` (config_directory left out),
    or None when postconf fails."""
    backdate(directory)
    p = subprocess.run([POSTCONF, "-c", directory, *flags], capture_output=True, encoding="latin-1")
    if p.returncode != 0:
        return None
    return [l for l in p.stdout.splitlines() if not l.startswith("config_directory =")]


def postmap_query(directory, table, keys, header_mode=False):
    """postmap -c DIR [-h] -q - TABLE on `keys` (text, one per line):
    (rc, stdout), or None when postmap cannot open the table (fatal)."""
    backdate(directory)
    args = [POSTMAP, "-c", directory] + (["-h"] if header_mode else []) + ["-q", "-", table]
    p = subprocess.run(args, input=keys.encode("latin-1"), capture_output=True)
    if b"fatal:" in p.stderr:
        return None
    return p.returncode, p.stdout


def read_tree(directory):
    out = {}
    for root, _, names in os.walk(directory):
        for n in names:
            path = os.path.join(root, n)
            with open(path, "rb") as f:
                out[os.path.relpath(path, directory)] = f.read()
    return out
