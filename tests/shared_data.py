"""Where the script tests find data that lives outside the repository, and how
they skip the parts that need it when it is absent.

The real-world corpus and the SARIF schema sit in ../shared beside the
repository in CI; a plain clone has neither. A test that uses them is split in
two parts:

* the local part: everything that needs only the repository (testdata/,
  generated input, Postfix as the oracle). It always runs.
* the shared part: what needs the corpus or the schema. It runs when the data
  is present and otherwise prints exactly one line "skipped: ... not present"
  and passes.

A test file with both parts carries the marker line `# postvet-test-parts:
local shared`; CMakeLists.txt then registers it twice, as <name> with
POSTVET_TEST_PART=local and as <name>_shared with POSTVET_TEST_PART=shared,
and marks a run whose output has a line starting with "skipped: " as skipped,
so ctest lists it under "did not run". Run by hand (no POSTVET_TEST_PART),
the test runs both parts.

Paths: POSTVET_CORPUS overrides the corpus (default
$POSTVET_SOURCE_DIR/../shared/corpus), POSTVET_SARIF_SCHEMA the schema
(default $POSTVET_SOURCE_DIR/../shared/reference/sarif-schema-2.1.0.json).
"""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE_DIR = os.environ.get("POSTVET_SOURCE_DIR") or os.path.dirname(HERE)

# Postfix's stock master.cf as the Debian package installs it outside
# /etc/postfix (so that it is there on a "No configuration" install too).
STOCK_MASTER_CF = "/usr/share/postfix/master.cf.dist"


def corpus_dir():
    return os.environ.get("POSTVET_CORPUS") or os.path.join(SOURCE_DIR, "..", "shared", "corpus")


def sarif_schema():
    return os.environ.get("POSTVET_SARIF_SCHEMA") or os.path.join(
        SOURCE_DIR, "..", "shared", "reference", "sarif-schema-2.1.0.json")


def _part():
    return os.environ.get("POSTVET_TEST_PART", "")


def run_local():
    """True unless this run is the shared part only."""
    return _part() != "shared"


_skipped = []


def _present(path):
    if os.path.exists(path):
        return True
    if not _skipped:
        print(f"skipped: {os.path.normpath(path)} not present", flush=True)
    _skipped.append(path)
    return False


def run_shared(path):
    """True when the shared part runs: it is selected and `path` exists.
    Prints the skip line (once) when it is selected and `path` is missing."""
    if _part() == "local":
        return False
    return _present(path)


def start(*paths):
    """Call first in a test with a shared part. When this run is the shared
    part only and one of `paths` is missing, prints the skip line and exits 0
    before anything else is printed."""
    if _part() == "shared" and not all(_present(p) for p in paths):
        sys.exit(0)


def require(*paths):
    """Call first in a test that needs `paths` throughout (no local part):
    prints the skip line and exits 0 when one is missing."""
    if not all(_present(p) for p in paths):
        sys.exit(0)
