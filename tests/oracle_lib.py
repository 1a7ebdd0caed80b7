"""Shared pieces of the oracle tests that compare postvet with Postfix's own
postconf and postmap: where the binaries and the corpus are, running them
the same way every time (always `-c DIR`, never /etc/postfix), and failure
bookkeeping. Import it from a test in tests/ (the directory is on sys.path
when the test runs as a script).
"""
import os
import re
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
    """Runs postvet ARGS; `check` and `show` get the oracle's --postfix-version."""
    args = list(args)
    if args[:1] in (["check"], ["show"]):
        args[1:1] = version_args()
    return subprocess.run([BIN] + args, capture_output=True, text=True, cwd=cwd)


def run_with_pid(cmd):
    """Runs cmd; returns (exit code, stdout bytes, stderr bytes, its pid)."""
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out, err = p.communicate()
    return p.returncode, out, err, p.pid


def mask_pids(data, pids):
    """`data` (bytes) with each of `pids` as a whole number made <pid>.

    Postfix expands $process_id to its own pid. Mask the pids of BOTH tools
    in BOTH outputs: masking each output with its own tool's pid alone
    turns a literal value that happens to equal that pid (a limit of 550,
    postconf's pid 550) into <pid> on one side only.
    """
    for pid in pids:
        data = re.sub(rb"\b%d\b" % pid, b"<pid>", data)
    return data


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


# --- Postfix versions (docs/oracles.md) ---------------------------------------
# Besides the host's Postfix (Debian bookworm: 3.7), minimal Debian roots made
# by scripts/build-oracle-root.sh hold other releases. tests/oracle_versions.py
# reruns oracle tests against one of them with a PATH whose postconf/postmap
# run inside that root (scripts/oracle-exec) and POSTVET_ORACLE_VERSION set.

SUITES = {"3.5": "bullseye", "3.7": "bookworm", "3.10": "trixie"}


def oracle_cache():
    """Where the roots are: $POSTVET_ORACLE_CACHE or ~/.cache/postvet/oracles."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.environ.get("POSTVET_ORACLE_CACHE") or os.path.join(base, "postvet", "oracles")


def oracle_root(version):
    """The complete root holding Postfix `version` (series "3.10"), or None."""
    suite = SUITES.get(version)
    if suite is None:
        return None
    root = os.path.join(oracle_cache(), suite)
    return root if os.path.isfile(os.path.join(root, ".postvet-oracle-stamp")) else None


def oracle_version():
    """The series the oracle tools of this run belong to, when a version run
    set it (POSTVET_ORACLE_VERSION); None for the host's Postfix."""
    return os.environ.get("POSTVET_ORACLE_VERSION") or None


def version_args():
    """`--postfix-version X.Y` for `postvet check` and `show`: the series of
    the oracle tools in use, the host's 3.7 unless a version run set another.
    Pinned rather than left to postvet's guess from compatibility_level, since
    the oracle's release is known."""
    return ["--postfix-version", oracle_version() or "3.7"]


def _source_feature(series, feature):
    """A row's value of rules/data/postfix-source-features.tsv (generated from
    the Postfix sources), for `series`; None when the table has none."""
    path = os.path.join(SRC, "rules", "data", "postfix-source-features.tsv")
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            f = line.rstrip("\n").split("\t")
            if len(f) == 4 and f[0] == series and f[1] == feature:
                return f[3]
    return None


def oracle_uses_pcre1():
    """The oracle's Postfix is built with the old PCRE library (3.5, 3.6):
    its pcre compile errors carry PCRE1's wording (docs/oracles.md)."""
    return _source_feature(oracle_version() or "3.7", "pcre_library") == "pcre1"


_PCRE_COMPILE_ERROR = re.compile(rb"^(.*: pcre map .*, line \d+: error in regex at offset \d+: ).*$")


def comparable_table_warnings(lines):
    """Warning lines (bytes) of postmap or postvet, for comparison. Against a
    PCRE1 oracle, the library's own text after "error in regex at offset N: "
    becomes "<PCRE1 message>": postvet compiles with PCRE2 and words the
    error as PCRE2 does (docs/oracles.md says why). Everything else, the
    line, the offset and which patterns fail, is compared as it is."""
    if not oracle_uses_pcre1():
        return list(lines)
    return [_PCRE_COMPILE_ERROR.sub(rb"\1<PCRE1 message>", line) for line in lines]
