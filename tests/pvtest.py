"""What the script tests share: where the source tree and the postvet binary
are, a pass/fail tally, and writing scratch files.

ctest runs each tests/<name>_test.py with POSTVET_SOURCE_DIR and POSTVET_BIN
set (CMakeLists.txt); run by hand from a checkout, the defaults find the
source tree above this file and the binary in build/.

The tally: check() counts a condition and prints one "FAIL: name detail"
line when it is false (the detail cut at DETAIL_LIMIT characters, so a whole
captured output does not flood the log); summary() prints "N passed, M
failed" and returns the exit status, which is 1 when anything failed or
when nothing was checked at all (a test that checks nothing must not pass).

Use:  import pvtest / from pvtest import BIN, SRC, check, write
      ...
      sys.exit(pvtest.summary())
"""
import os

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.environ.get("POSTVET_SOURCE_DIR") or os.path.dirname(HERE)
BIN = os.environ.get("POSTVET_BIN") or os.path.join(SRC, "build", "postvet")
if os.sep in BIN:  # a path: absolute, so it holds after a chdir; a bare name is looked up in PATH
    BIN = os.path.abspath(BIN)

DETAIL_LIMIT = 3000

passed = 0
failed = 0


def check(name, cond, detail=""):
    """Counts `cond`; prints the name and detail when it is false. Returns
    `cond`, so a caller can stop early on a failed precondition."""
    global passed, failed
    if cond:
        passed += 1
    else:
        failed += 1
        print(f"FAIL: {name} {str(detail)[:DETAIL_LIMIT]}", flush=True)
    return cond


def summary():
    """Prints the tally; the exit status for sys.exit()."""
    print(f"{passed} passed, {failed} failed")
    return 1 if failed or not passed else 0


def write(path, data, mode=None):
    """Writes `data` (str as UTF-8, or bytes) to `path`, making its parent
    directories; sets the file mode when given. Returns the path."""
    parent = os.path.dirname(path)
    if parent:
        os.makedirs(parent, exist_ok=True)
    with open(path, "wb") as f:
        f.write(data.encode("utf-8", "surrogateescape") if isinstance(data, str) else data)
    if mode is not None:
        os.chmod(path, mode)
    return path
