#!/usr/bin/env python3
"""`postvet diff --git REV`: what it exports from the revision and how it
classifies a commit of postvet's own fixes.

- An unchanged tree whose tables sit in a subdirectory or have non-ASCII
  names (git quotes those in plain `ls-tree` output) reports no change, no
  new finding, exit 0: the revision's copy must hold the same tables.
- A table changed in a subdirectory is seen as changed.
- The demo configuration, fixed with `check --fix` and committed: `diff --git
  HEAD~1` calls those changes "safe-fix" (not risky), exits 0; the same tree
  with one more risky, unacknowledged edit still exits 1.
- fail_on in .postvet.cf governs diff's exit code (the command line wins).
- Nothing is left behind in $TMPDIR, even when the run is interrupted.
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile

import pvtest
from pvtest import BIN, SRC, check, write
DEMO = os.path.join(SRC, "testdata", "demo")


def git(repo, *args):
    env = dict(os.environ, GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@example.invalid", GIT_COMMITTER_NAME="t",
               GIT_COMMITTER_EMAIL="t@example.invalid")
    p = subprocess.run(["git", "-C", repo, *args], capture_output=True, text=True, env=env)
    if p.returncode != 0:
        raise RuntimeError(f"git {args}: {p.stderr}")
    return p.stdout


def new_repo(path):
    os.makedirs(path, exist_ok=True)
    git(path, "init", "-q")
    git(path, "config", "core.quotePath", "true")  # the default: names with bytes >= 0x80 are quoted


def postvet(args, cwd, env=None):
    return subprocess.run([BIN, *args], capture_output=True, text=True, cwd=cwd, env=env)


MAIN = ("compatibility_level = 3.6\nmynetworks = 127.0.0.0/8\n"
        "header_checks = regexp:/etc/postfix/maps/header_checks\n"
        "body_checks = regexp:/etc/postfix/h\u00e9_checks\n")
# Each table holds an error (an unknown action, PV303): if the revision's
# copy lacked a table, its finding would look new.
HEADER = "/^Subject: .*cheap/ REJECT no\n/^Subject: .*pills/ REJEKT no\n"
BODY = "/^buy now/ REJEKT no\n"


def test_unchanged_tree(tmp, tmpdir_env):
    repo = os.path.join(tmp, "plain")
    new_repo(repo)
    write(os.path.join(repo, "mx", "main.cf"), MAIN)
    write(os.path.join(repo, "mx", "maps", "header_checks"), HEADER)
    write(os.path.join(repo, "mx", "h\u00e9_checks"), BODY)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "initial")
    for path in ("mx", "mx/main.cf"):
        p = postvet(["diff", "--format", "json", "--git", "HEAD", path], repo, tmpdir_env)
        out = json.loads(p.stdout) if p.returncode != 2 else {}
        check(f"unchanged tree ({path}) exits 0", p.returncode == 0, p.stdout + p.stderr)
        check(f"unchanged tree ({path}): no new findings", out.get("new_findings") == [], p.stdout)
        check(f"unchanged tree ({path}): no behavioural change",
              all(c["level"] == "cosmetic" for c in out.get("changes", [])), p.stdout)
    # From inside the config dir, default PATH ".".
    p = postvet(["diff", "--git", "HEAD"], os.path.join(repo, "mx"), tmpdir_env)
    check("unchanged tree (cwd) exits 0", p.returncode == 0, p.stdout + p.stderr)
    # A change in the subdirectory table is seen.
    p = postvet(["check", "--format", "json", "mx"], repo, tmpdir_env)
    rules = [d["rule"] for d in json.loads(p.stdout)["diagnostics"]] if p.returncode != 2 else []
    check("setup: both tables are read and have an error", rules.count("PV303") == 2, p.stdout + p.stderr)
    write(os.path.join(repo, "mx", "maps", "header_checks"), HEADER + "/^Subject: .*rolex/ REJECT no\n")
    write(os.path.join(repo, "mx", "h\u00e9_checks"), BODY + "/^win big/ REJECT no\n")
    p = postvet(["diff", "--format", "json", "--git", "HEAD", "mx"], repo, tmpdir_env)
    subjects = {c["subject"] for c in json.loads(p.stdout)["changes"]} if p.returncode != 2 else set()
    check("a rule added to a subdirectory table is reported", "table:header_checks" in subjects, p.stdout + p.stderr)
    check("a rule added to a non-ASCII table is reported", "table:h\u00e9_checks" in subjects, p.stdout + p.stderr)


def test_demo_safe_fixes(tmp, tmpdir_env):
    repo = os.path.join(tmp, "demo")
    shutil.copytree(DEMO, repo)
    new_repo(repo)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "demo as it was")
    p = postvet(["check", "--fix", "."], repo, tmpdir_env)
    check("check --fix ran", p.returncode in (0, 1), p.stderr)
    check("check --fix changed something", git(repo, "status", "--porcelain").strip() != "", "nothing fixed")
    git(repo, "commit", "-q", "-a", "-m", "postvet check --fix")
    p = postvet(["diff", "--git", "HEAD~1"], repo, tmpdir_env)
    check("a commit of safe fixes only exits 0", p.returncode == 0, p.stdout + p.stderr)
    check("the fixes are reported as postvet's safe fixes", "safe-fix" in p.stdout and "not acknowledged" not in p.stdout,
          p.stdout)
    p = postvet(["diff", "--format", "json", "--git", "HEAD~1"], repo, tmpdir_env)
    levels = {c["level"] for c in json.loads(p.stdout)["changes"]} if p.returncode != 2 else set()
    check("json: safe fixes have level safe-fix, nothing risky", "safe-fix" in levels and "risky" not in levels,
          p.stdout + p.stderr)
    # One more edit that is not a postvet fix is still risky.
    with open(os.path.join(repo, "main.cf"), "a") as f:
        f.write("mynetworks = 0.0.0.0/0\n")
    p = postvet(["diff", "--git", "HEAD~1"], repo, tmpdir_env)
    check("an extra risky edit still exits 1", p.returncode == 1, p.stdout + p.stderr)
    check("the extra edit is reported risky, not safe-fix",
          any(line.startswith("risky") and "mynetworks" in line for line in p.stdout.splitlines()), p.stdout)


def test_fail_on_setting(tmp, tmpdir_env):
    old, new = os.path.join(tmp, "fo", "old"), os.path.join(tmp, "fo", "new")
    base = "compatibility_level = 3.6\nmynetworks = 127.0.0.0/8\n"
    write(os.path.join(old, "main.cf"), base)
    # Introduces a warning-level finding (unknown parameter, PV101) and no risky change.
    write(os.path.join(new, "main.cf"), base + "smtpd_bannner = hi\n")
    p = postvet(["diff", "--format", "json", old, new], tmp, tmpdir_env)
    sev = {d.get("severity") for d in json.loads(p.stdout)["new_findings"]} if p.returncode != 2 else set()
    check("setup: the new version has a new warning", p.returncode == 1 and "warning" in sev and "error" not in sev,
          p.stdout + p.stderr)
    cfg = os.path.join(tmp, "fo", "postvet.cf")
    write(cfg, "fail_on = error\n")
    p = postvet(["diff", "--config", cfg, old, new], tmp, tmpdir_env)
    check("diff: fail_on = error in .postvet.cf makes a new warning pass", p.returncode == 0, p.stdout + p.stderr)
    p = postvet(["diff", "--config", cfg, "--fail-on", "warning", old, new], tmp, tmpdir_env)
    check("diff: --fail-on wins over .postvet.cf", p.returncode == 1, p.stdout + p.stderr)
    p = postvet(["check", "--config", cfg, new], tmp, tmpdir_env)
    check("check: fail_on = error in .postvet.cf makes a warning pass", p.returncode == 0, p.stdout + p.stderr)
    p = postvet(["check", "--config", cfg, "--fail-on", "warning", new], tmp, tmpdir_env)
    check("check: --fail-on wins over .postvet.cf", p.returncode == 1, p.stdout + p.stderr)


def test_interrupted_run_cleans_up(tmp, tmpdir_env):
    # A git that is slow to hand out blobs, so the run can be interrupted mid-export.
    import signal
    import time
    fakebin = os.path.join(tmp, "fakebin")
    real_git = shutil.which("git")
    write(os.path.join(fakebin, "git"), f"#!/bin/sh\ncase \"$*\" in *cat-file*) sleep 3;; esac\nexec {real_git} \"$@\"\n")
    os.chmod(os.path.join(fakebin, "git"), 0o755)
    env = dict(tmpdir_env, PATH=fakebin + os.pathsep + os.environ.get("PATH", "/usr/bin:/bin"))
    repo = os.path.join(tmp, "plain")
    proc = subprocess.Popen([BIN, "diff", "--git", "HEAD", "mx"], cwd=repo, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    scratch = tmpdir_env["TMPDIR"]
    deadline = time.time() + 10
    while time.time() < deadline and not os.listdir(scratch):
        time.sleep(0.05)
    check("the export directory exists while git runs", bool(os.listdir(scratch)), "never appeared")
    proc.send_signal(signal.SIGTERM)
    rc = proc.wait(timeout=30)
    check("SIGTERM still ends the run", rc == -signal.SIGTERM, rc)
    check("an interrupted diff --git removes its directory", os.listdir(scratch) == [], os.listdir(scratch))


def main():
    if shutil.which("git") is None or not os.access(BIN, os.X_OK):
        print("FAIL: needs git and the postvet binary")
        return 1
    with tempfile.TemporaryDirectory() as tmp:
        tmp = os.path.realpath(tmp)
        scratch = os.path.join(tmp, "tmpdir")
        os.makedirs(scratch)
        env = dict(os.environ, TMPDIR=scratch, HOME=tmp)
        test_unchanged_tree(tmp, env)
        test_interrupted_run_cleans_up(tmp, env)
        test_demo_safe_fixes(tmp, env)
        test_fail_on_setting(tmp, env)
        check("diff --git leaves nothing in $TMPDIR", os.listdir(scratch) == [], os.listdir(scratch))
    return pvtest.summary()


if __name__ == "__main__":
    sys.exit(main())
