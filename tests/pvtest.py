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


def regenerated_differs(script, names, out_dir=False):
    """Runs rules/data/`script` again on the Postfix history that
    POSTFIX_GIT names (a git directory with the release tags), writing into a
    scratch directory (`--out-dir DIR` when `out_dir`, else `--out FILE` for
    the one name), and returns the names in `names` whose output differs
    from the committed file in rules/data/. Without POSTFIX_GIT it compares
    nothing and says so in one line."""
    import subprocess
    import sys
    import tempfile
    git = os.environ.get("POSTFIX_GIT")
    if not git or not os.path.isdir(git):
        print("generator re-run: not compared (set POSTFIX_GIT to a Postfix git directory)")
        return []
    data = os.path.join(SRC, "rules", "data")
    with tempfile.TemporaryDirectory(prefix="postvet-regenerate-") as out:
        where = ["--out-dir", out] if out_dir else ["--out", os.path.join(out, names[0])]
        subprocess.run([sys.executable, os.path.join(data, script), "--repo", git] + where, check=True,
                       capture_output=True)
        differs = []
        for name in names:
            with open(os.path.join(out, name), "rb") as a, open(os.path.join(data, name), "rb") as b:
                if a.read() != b.read():
                    differs.append(name)
    print("generator re-run: compared")
    return differs
