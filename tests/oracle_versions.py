"""Runs oracle tests against a Postfix release other than the host's: the
body of tests/oracle_v<X>_<Y>_test.py (one ctest test per release).

The release lives in a minimal Debian root (scripts/build-oracle-root.sh,
`make oracles`; tests/oracle_lib.py finds it). A scratch directory holds
`postconf` and `postmap` symlinks to scripts/oracle-exec and a file naming
the root; with that directory first in PATH, each test in TESTS runs as a
child process, unchanged, and its postconf/postmap are the root's
(chrooted, files bound at their own paths, nothing started). The child
also gets POSTVET_ORACLE_VERSION, so its `postvet check` runs carry
`--postfix-version X.Y` (oracle_lib.version_args()). Both parts of a split
test run; the shared part skips inside the child without the corpus.

There is no list of expected differences: until postvet has the parameter
data of a release, its tests fail and name each difference.

Skips with one line when not root (mount, chroot) or when the root is
absent, so a fresh clone passes. POSTVET_ORACLE_VERSIONS (space-separated
series, e.g. "3.10") limits which releases run; "none" runs none.
"""
import os
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import oracle_lib  # noqa: E402

# The oracle tests that compare show, query and check with postconf and
# postmap, with extra environment; about 7 minutes per release on the loaded
# CI machine (docs/oracles.md). The safe-fix oracle runs on 4 generated
# configs only: its fixture and corpus parts take over 6 minutes even
# against the host's Postfix.
TESTS = [
    ("show_oracle_test", {}),
    ("show_warnings_oracle_test", {}),
    ("main_rules_oracle_test", {}),
    ("query_oracle_test", {}),
    ("master_oracle_test", {}),
    ("master_option_names_oracle_test", {}),
    ("safe_fix_oracle_generated_test", {"POSTVET_ORACLE_CASES": "4"}),
]


def _selected(version):
    wanted = os.environ.get("POSTVET_ORACLE_VERSIONS")
    return wanted is None or version in wanted.split()


def _shim_dir(root, scratch):
    exec_script = os.path.join(oracle_lib.SRC, "scripts", "oracle-exec")
    for tool in ("postconf", "postmap"):
        os.symlink(exec_script, os.path.join(scratch, tool))
    with open(os.path.join(scratch, "root"), "w") as f:
        f.write(root + "\n")
    return scratch


def _indent(text, name):
    # Indented, so a child's "skipped: " line does not mark this test skipped.
    return "".join(f"  [{name}] {line}\n" for line in text.splitlines())


def main(version):
    suite = oracle_lib.SUITES[version]
    if not _selected(version):
        print(f"skipped: Postfix {version} oracle not in POSTVET_ORACLE_VERSIONS")
        return 0
    if os.geteuid() != 0:
        print(f"skipped: the Postfix {version} oracle runs in a chroot, which needs root")
        return 0
    root = oracle_lib.oracle_root(version)
    if root is None:
        where = os.path.join(oracle_lib.oracle_cache(), suite)
        print(f"skipped: no Postfix {version} oracle root in {where} (make oracles)")
        return 0
    with tempfile.TemporaryDirectory(prefix="postvet-oracle-") as scratch:
        shim = _shim_dir(root, os.path.join(scratch))
        env = dict(os.environ)
        env.pop("POSTVET_TEST_PART", None)
        env["PATH"] = shim + os.pathsep + env.get("PATH", "")
        env["POSTVET_ORACLE_VERSION"] = version
        cfg = os.path.join(scratch, "cfg")
        os.mkdir(cfg)
        open(os.path.join(cfg, "main.cf"), "w").close()
        p = subprocess.run(["postconf", "-c", cfg, "-h", "-d", "mail_version"], env=env,
                           capture_output=True, text=True)
        got = p.stdout.strip()
        if p.returncode != 0 or not got.startswith(version + "."):
            print(f"FAIL: postconf in {root} reports mail_version {got!r} (exit {p.returncode}), "
                  f"not {version}.x: {p.stderr.strip()}")
            return 1
        with open("/proc/self/mounts") as f:
            leaked = [line for line in f if (line.split()[1] + "/").startswith(root + "/")]
        if leaked:  # oracle-exec's mounts must die with its namespace
            print(f"FAIL: mounts inside {root} outlive oracle-exec: {leaked}")
            return 1
        print(f"Postfix {got} in {root}")
        failed = []
        for name, extra in TESTS:
            start = time.monotonic()
            r = subprocess.run([sys.executable, os.path.join(HERE, name + ".py")], env={**env, **extra},
                               capture_output=True, text=True, errors="replace")
            sys.stdout.write(_indent(r.stdout + r.stderr, name))
            verdict = "ok" if r.returncode == 0 else f"FAIL (exit {r.returncode})"
            print(f"Postfix {version}: {name}: {verdict} in {time.monotonic() - start:.0f} s", flush=True)
            if r.returncode != 0:
                failed.append(name)
    if failed:
        print(f"FAIL: against Postfix {got}: {' '.join(failed)}")
        return 1
    print(f"Postfix {got}: {len(TESTS)} oracle tests agree")
    return 0
