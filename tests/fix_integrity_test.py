#!/usr/bin/env python3
"""`postvet check --fix` never loses a byte: a file edited by someone else
between postvet's read and its rename is left alone, symlinks, hard links,
owner and setuid/setgid bits survive, read-only files are not rewritten,
several files change all together or not at all, a signal leaves no
temporary file behind, two runs on one directory take turns, patches name
odd file names so that git apply and patch -p1 find them, one table reached
by several names is fixed once, and --fix ends with a one-line summary.

The pause between preparing and renaming uses the test hook
POSTVET_TEST_PAUSE_BEFORE_RENAME=FIFO (src/fix/transaction.hpp): postvet
opens the FIFO for reading there and goes on at end of file. Parts that need
another user (read-only file, unwritable directory) run as `nobody` through
setpriv when the test runs as root, and as the current user otherwise."""
import errno
import json
import os
import re
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import time

import pvtest
from pvtest import BIN, SRC, check
ROOT = os.geteuid() == 0
NOBODY = 65534


def env_with(extra=None):
    e = dict(os.environ)
    e.pop("GITHUB_ACTIONS", None)
    e.pop("POSTVET_TEST_PAUSE_BEFORE_RENAME", None)
    e.update(extra or {})
    return e


def as_user(args, user):
    if user is None:
        return args
    return ["setpriv", f"--reuid={user}", f"--regid={user}", "--clear-groups", "--"] + args


def run(args, cwd=None, env=None, user=None):
    return subprocess.run(as_user([BIN] + args, user), cwd=cwd, capture_output=True, text=True,
                          env=env_with(env), timeout=120)


def start(args, fifo, cwd=None, env=None, user=None):
    e = dict(env or {})
    e["POSTVET_TEST_PAUSE_BEFORE_RENAME"] = fifo
    return subprocess.Popen(as_user([BIN] + args, user), cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env=env_with(e))


def wait_paused(proc, fifo, timeout=30):
    """Returns a write fd of `fifo` once `proc` waits on it; None when it ended first."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            return os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)
        except OSError as e:
            if e.errno != errno.ENXIO:
                raise
        if proc.poll() is not None:
            return None
        time.sleep(0.02)
    return None


def finish(proc):
    out, err = proc.communicate(timeout=120)
    return proc.returncode, out, err


def write(path, text, mode=None):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)
    if mode is not None:
        os.chmod(path, mode)


def read(path):
    with open(path) as f:
        return f.read()


def temps(*dirs):
    return [n for d in dirs for n in os.listdir(d) if ".postvet-" in n]


OK = "compatibility_level = 3.6\nmynetworks = 127.0.0.0/8\n"
MAIN = "myhostname = old.example.net\nmyhostname = mx.example.net\n" + OK  # safe fix: drop the overridden line (PV102)
MAIN_FIXED = "myhostname = mx.example.net\n" + OK
TABLE = "/^Subject:.*a/ REJECT one\n/^Subject:.*a/ REJECT two\n"  # safe fix: drop the duplicate
TABLE_FIXED = "/^Subject:.*a/ REJECT one\n"
MAIN_WITH_TABLE = MAIN + "header_checks = regexp:/etc/postfix/maps/hc\n"


def config(d, main=MAIN, table=None):
    write(os.path.join(d, "main.cf"), main)
    if table is not None:
        write(os.path.join(d, "maps", "hc"), table)
    return d


def chown_tree(d, uid):
    for base, dirs, files in os.walk(d):
        for n in dirs + files:
            os.lchown(os.path.join(base, n), uid, uid)
    os.lchown(d, uid, uid)


tmp = tempfile.mkdtemp(prefix="postvet-integrity-")
os.chmod(tmp, 0o755)
# Another user for the permission tests: nobody when we are root (if nobody
# can run the binary where it was built), else ourselves.
OTHER = NOBODY if ROOT else None
OTHER_UID = NOBODY if ROOT else os.geteuid()
if ROOT:
    probe = None
    if shutil.which("setpriv"):
        probe = subprocess.run(as_user([BIN, "rules"], NOBODY), capture_output=True, text=True, env=env_with())
    if probe is None or probe.returncode != 0:
        print("note: tests as another user skipped (setpriv missing, or nobody cannot run " + BIN + ")")
        OTHER = OTHER_UID = None
try:
    # 11. A file changed between read and rename keeps the other edit.
    d = config(os.path.join(tmp, "race"))
    fifo = os.path.join(tmp, "race.fifo")
    os.mkfifo(fifo)
    p = start(["check", "--fix", d], fifo)
    fd = wait_paused(p, fifo)
    check("postvet pauses before renaming (test hook)", fd is not None)
    if fd is not None:
        with open(os.path.join(d, "main.cf"), "a") as f:
            f.write("# edited by someone else\n")
        os.close(fd)
    rc, out, err = finish(p)
    check("concurrent edit: exit 2", rc == 2, f"rc={rc} {err}")
    check("concurrent edit: message names the file", "main.cf" in err and "changed" in err, err)
    check("concurrent edit: the other edit survives", read(os.path.join(d, "main.cf")) == MAIN + "# edited by someone else\n")
    check("concurrent edit: no temporary file", temps(d) == [], str(temps(d)))

    # 12. A symlinked main.cf stays a symlink; the target gets the fix.
    real = os.path.join(tmp, "real")
    write(os.path.join(real, "main.cf.managed"), MAIN)
    d = os.path.join(tmp, "linked")
    os.makedirs(d)
    os.symlink("../real/main.cf.managed", os.path.join(d, "main.cf"))
    r = run(["check", "--fix", d])
    check("symlink: fix exits 0", r.returncode == 0, r.stderr + r.stdout)
    check("symlink: main.cf is still a symlink", os.path.islink(os.path.join(d, "main.cf")))
    check("symlink: the target is fixed", read(os.path.join(real, "main.cf.managed")) == MAIN_FIXED)
    check("symlink: no temporary file", temps(d, real) == [], str(temps(d, real)))

    # 12. A hard-linked main.cf keeps its links.
    d = config(os.path.join(tmp, "hardlink"))
    other = os.path.join(tmp, "main.cf.hardlink")
    os.link(os.path.join(d, "main.cf"), other)
    ino = os.stat(other).st_ino
    r = run(["check", "--fix", d])
    st = os.stat(os.path.join(d, "main.cf"))
    check("hard link: fix exits 0", r.returncode == 0, r.stderr)
    check("hard link: same inode, two links", st.st_ino == ino and st.st_nlink == 2, f"{st.st_ino} {ino} {st.st_nlink}")
    check("hard link: both names see the fix", read(other) == MAIN_FIXED and read(os.path.join(d, "main.cf")) == MAIN_FIXED)
    check("hard link: no temporary file", temps(d) == [], str(temps(d)))

    # 14. setuid/setgid bits and the owner survive (root can give files away).
    if ROOT:
        d = config(os.path.join(tmp, "setuid"))
        f = os.path.join(d, "main.cf")
        os.chown(f, NOBODY, NOBODY)
        os.chmod(f, 0o6755)
        r = run(["check", "--fix", d])
        st = os.stat(f)
        check("setuid: fix exits 0", r.returncode == 0, r.stderr)
        check("setuid: fixed", read(f) == MAIN_FIXED)
        check("setuid: mode 6755 kept", stat.S_IMODE(st.st_mode) == 0o6755, oct(st.st_mode))
        check("setuid: owner kept", (st.st_uid, st.st_gid) == (NOBODY, NOBODY), f"{st.st_uid}:{st.st_gid}")
    else:
        print("note: setuid test skipped (needs root to give a file to another owner)")

    # 12. A file the fixer may write but not own (0666, owned by root, fixed
    # by nobody) keeps its owner: it is rewritten in place, not replaced.
    if OTHER is not None:
        d = config(os.path.join(tmp, "foreign-owner"))
        chown_tree(d, OTHER_UID)
        f = os.path.join(d, "main.cf")
        os.chown(f, 0, 0)
        os.chmod(f, 0o666)
        r = run(["check", "--fix", d], user=OTHER)
        st = os.stat(f)
        check("foreign owner: fix exits 0", r.returncode == 0, r.stderr)
        check("foreign owner: fixed", read(f) == MAIN_FIXED)
        check("foreign owner: owner and mode kept", (st.st_uid, st.st_gid, stat.S_IMODE(st.st_mode)) == (0, 0, 0o666),
              f"{st.st_uid}:{st.st_gid} {oct(st.st_mode)}")
        check("foreign owner: no temporary file", temps(d) == [], str(temps(d)))

    # 15. A file without any write bit is not rewritten, by anyone.
    for who, user in (("root" if ROOT else "owner", None), ("nobody", OTHER)):
        if who == "nobody" and OTHER is None:
            continue
        d = config(os.path.join(tmp, f"readonly-{who}"), MAIN_WITH_TABLE, TABLE)
        f = os.path.join(d, "maps", "hc")
        if user is not None:
            chown_tree(d, OTHER_UID)
        os.chmod(f, 0o444)
        r = run(["check", "--fix", d], user=user)
        check(f"read-only ({who}): exit 2", r.returncode == 2, f"rc={r.returncode} {r.stderr}")
        check(f"read-only ({who}): message names the file", "maps/hc" in r.stderr and "read-only" in r.stderr, r.stderr)
        check(f"read-only ({who}): nothing written",
              read(f) == TABLE and read(os.path.join(d, "main.cf")) == MAIN_WITH_TABLE)
        check(f"read-only ({who}): mode kept", stat.S_IMODE(os.stat(f).st_mode) == 0o444)

    # 13. All or nothing: an unwritable directory stops every write (not for root).
    if ROOT and OTHER is None:
        print("note: unwritable-directory tests skipped (root writes everywhere)")
    else:
        d = config(os.path.join(tmp, "allornothing"), MAIN_WITH_TABLE, TABLE)
        chown_tree(d, OTHER_UID)
        os.chmod(os.path.join(d, "maps"), 0o555)
        r = run(["check", "--fix", d], user=OTHER)
        check("unwritable dir: exit 2", r.returncode == 2, f"rc={r.returncode} {r.stderr}")
        check("unwritable dir: message names the file and says nothing was written",
              "maps/hc" in r.stderr and "nothing written" in r.stderr, r.stderr)
        check("unwritable dir: main.cf untouched", read(os.path.join(d, "main.cf")) == MAIN_WITH_TABLE)
        check("unwritable dir: no temporary file", temps(d, os.path.join(d, "maps")) == [])
        os.chmod(os.path.join(d, "maps"), 0o755)
        # Two config dirs in one run: the second one's failure keeps the first unchanged.
        a = config(os.path.join(tmp, "pair-a"))
        b = config(os.path.join(tmp, "pair-b"))
        chown_tree(a, OTHER_UID)
        chown_tree(b, OTHER_UID)
        os.chmod(b, 0o555)
        r = run(["check", "--fix", a, b], user=OTHER)
        check("two dirs, one unwritable: exit 2", r.returncode == 2, r.stderr)
        check("two dirs, one unwritable: the other is untouched", read(os.path.join(a, "main.cf")) == MAIN, r.stderr)
        os.chmod(b, 0o755)

    # 13. A rename that fails after others succeeded: those are put back.
    d = config(os.path.join(tmp, "rollback"), MAIN_WITH_TABLE, TABLE)
    fifo = os.path.join(tmp, "rollback.fifo")
    os.mkfifo(fifo)
    p = start(["check", "--fix", d], fifo)
    fd = wait_paused(p, fifo)
    check("rollback: paused", fd is not None)
    if fd is not None:
        maps = os.path.join(d, "maps")
        # main.cf is replaced first; take away the table's new version so its rename fails.
        gone = [n for n in temps(maps) if read(os.path.join(maps, n)) == TABLE_FIXED]
        check("rollback: the table's new version is prepared", len(gone) == 1, str(temps(maps)))
        for n in gone:
            os.unlink(os.path.join(maps, n))
        os.close(fd)
    rc, out, err = finish(p)
    check("rollback: exit 2", rc == 2, f"rc={rc} {err}")
    check("rollback: says nothing changed", "maps/hc" in err and "nothing changed" in err, err)
    check("rollback: main.cf holds its original bytes", read(os.path.join(d, "main.cf")) == MAIN_WITH_TABLE)
    check("rollback: table unchanged", read(os.path.join(d, "maps", "hc")) == TABLE)
    check("rollback: no temporary file", temps(d, os.path.join(d, "maps")) == [], str(temps(d, os.path.join(d, "maps"))))

    # 15. A signal before the rename removes the temporary files.
    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        d = config(os.path.join(tmp, f"signal-{sig.name}"), MAIN_WITH_TABLE, TABLE)
        fifo = os.path.join(tmp, f"signal-{sig.name}.fifo")
        os.mkfifo(fifo)
        p = start(["check", "--fix", d], fifo)
        fd = wait_paused(p, fifo)
        check(f"{sig.name}: paused", fd is not None)
        if fd is not None:
            check(f"{sig.name}: temporary files exist while paused", len(temps(d, os.path.join(d, "maps"))) > 0)
            p.send_signal(sig)
            rc, out, err = finish(p)
            os.close(fd)
            check(f"{sig.name}: ends by the signal", rc == -sig, f"rc={rc} {err}")
            check(f"{sig.name}: no temporary file left", temps(d, os.path.join(d, "maps")) == [],
                  str(temps(d, os.path.join(d, "maps"))))
            check(f"{sig.name}: files untouched", read(os.path.join(d, "main.cf")) == MAIN_WITH_TABLE and
                  read(os.path.join(d, "maps", "hc")) == TABLE)
        else:
            finish(p)

    # 16. Two runs on one directory take turns.
    d = config(os.path.join(tmp, "lock"), MAIN_WITH_TABLE, TABLE)
    fifo = os.path.join(tmp, "lock.fifo")
    os.mkfifo(fifo)
    first = start(["check", "--fix", d], fifo)
    fd = wait_paused(first, fifo)
    check("lock: first run paused", fd is not None)
    if fd is not None:
        r = run(["check", "--fix", d], env={"POSTVET_LOCK_WAIT_SECONDS": "1"})
        check("lock: a second run gives up after the bounded wait", r.returncode == 2 and "another postvet --fix" in r.stderr,
              f"rc={r.returncode} {r.stderr}")
        check("lock: the second run wrote nothing", read(os.path.join(d, "main.cf")) == MAIN_WITH_TABLE)
        waiting = subprocess.Popen([BIN, "check", "--fix", d], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                   text=True, env=env_with())
        time.sleep(1)
        check("lock: a third run waits", waiting.poll() is None)
        os.close(fd)
        rc, out, err = finish(first)
        check("lock: the first run completes", rc == 0, err)
        rc, out, err = finish(waiting)
        check("lock: the waiting run then finds nothing to fix", rc == 0 and "fixed nothing" in err, f"rc={rc} {err}")
        check("lock: files fixed once", read(os.path.join(d, "main.cf")) == MAIN_FIXED + "header_checks = regexp:/etc/postfix/maps/hc\n"
              and read(os.path.join(d, "maps", "hc")) == TABLE_FIXED)
        check("lock: no lock file left", sorted(os.listdir(d)) == ["main.cf", "maps"], str(os.listdir(d)))
    else:
        finish(first)

    # 19. Odd file names: the patch names them so both tools patch the right file.
    names = ["with space", "tab\there", "new\nline", 'quote"d', "back\\slash", "caf\u00e9"]
    for tool in ("git", "patch"):
        d = os.path.join(tmp, f"names-{tool}")
        os.makedirs(os.path.join(d, "t"))
        subprocess.run(["git", "init", "-q", d], check=True)
        for n in names:
            write(os.path.join(d, "t", n), TABLE)
        r = run(["check", "--diff", "--type", "regexp"] + [os.path.join("t", n) for n in names], cwd=d)
        check(f"odd names ({tool}): a patch per file", r.stdout.count("\n--- ") + r.stdout.startswith("--- ") == len(names),
              r.stdout + r.stderr)
        with open(os.path.join(d, "fix.patch"), "w") as f:
            f.write(r.stdout)
        if tool == "git":
            a = subprocess.run(["git", "apply", "fix.patch"], cwd=d, capture_output=True, text=True)
        else:
            a = subprocess.run(["patch", "-p1", "-s", "-i", "fix.patch"], cwd=d, capture_output=True, text=True)
        check(f"odd names: {tool} applies the patch", a.returncode == 0, a.stdout + a.stderr)
        bad = [n for n in names if read(os.path.join(d, "t", n)) != TABLE_FIXED]
        check(f"odd names: {tool} patched each named file", bad == [], str(bad))
        strays = sorted(set(os.listdir(os.path.join(d, "t"))) - set(names))
        check(f"odd names: {tool} created no other file", strays == [], str(strays))

    # 19. One table named three ways is one file: one patch, one set of edits.
    d = os.path.join(tmp, "samefile")
    write(os.path.join(d, "main.cf"), OK + "header_checks = regexp:/etc/postfix/hc\n"
          "mime_header_checks = regexp:/etc/postfix/./hc\n"
          "nested_header_checks = regexp:/etc/postfix/../postfix/hc\n")
    write(os.path.join(d, "hc"), TABLE)
    r = run(["check", "--diff", "samefile"], cwd=tmp)
    check("same table, three names: one patch for it", r.stdout.count("hc\n+++ ") == 1, r.stdout)
    r = run(["check", "--diff", "samefile/hc", "./samefile/hc", "samefile/../samefile/hc"], cwd=tmp)
    check("same table given three ways: one patch", r.stdout.count("--- a/") == 1, r.stdout + r.stderr)
    r = run(["check", "--fix", "samefile"], cwd=tmp)
    check("same table: fixed once", r.returncode in (0, 1) and read(os.path.join(d, "hc")) == TABLE_FIXED,
          r.stderr + read(os.path.join(d, "hc")))

    # Issue 15: --fix ends with one line saying what it did and what is left.
    d = os.path.join(tmp, "summary")
    config(d, MAIN_WITH_TABLE + "mynetworks = 0.0.0.0/0\n", TABLE)
    before = json.loads(run(["check", "--format", "json", d]).stdout)["diagnostics"]
    safe = [x for x in before if x.get("fix") and x["fix"]["applicability"] == "safe"]
    r = run(["check", "--fix", d])
    after = json.loads(run(["check", "--format", "json", d]).stdout)["diagnostics"]
    unsafe = [x for x in after if x.get("fix") and x["fix"]["applicability"] == "unsafe"]
    want = f"fixed {len(safe)} findings in 2 files; {len(after)} remain{'s' if len(after) == 1 else ''}"
    if unsafe:
        want += f" ({len(unsafe)} fixable with --unsafe-fixes)"
    last = r.stderr.strip().splitlines()[-1] if r.stderr.strip() else ""
    check("summary: the last line says what was fixed and what is left", last == "postvet: " + want,
          f"{last!r} != 'postvet: {want}'")
    check("summary: premise (two safe fixes, findings left)", len(safe) >= 2 and after, str(before))
    # The demo: fixes over several passes and files, unsafe fixes left.
    d = os.path.join(tmp, "demo")
    shutil.copytree(os.path.join(SRC, "testdata", "demo"), d)
    originals = {n: read(os.path.join(d, n)) for n in os.listdir(d)}
    r = run(["check", "--fix", d])
    changed = [n for n in originals if read(os.path.join(d, n)) != originals[n]]
    after = json.loads(run(["check", "--format", "json", d]).stdout)["diagnostics"]
    unsafe = [x for x in after if x.get("fix") and x["fix"]["applicability"] == "unsafe"]
    last = r.stderr.strip().splitlines()[-1] if r.stderr.strip() else ""
    m = re.fullmatch(r"postvet: fixed (\d+) findings in (\d+) files; (\d+) remain \((\d+) fixable with --unsafe-fixes\)", last)
    check("summary (demo): one line in the documented form", m is not None, repr(last))
    if m:
        check("summary (demo): counts agree with the files and a second run",
              (int(m[2]), int(m[3]), int(m[4])) == (len(changed), len(after), len(unsafe)) and int(m[1]) >= len(changed),
              f"{last} vs {len(changed)} files, {len(after)} left, {len(unsafe)} unsafe")
finally:
    for base, dirs, files in os.walk(tmp):
        for n in dirs:
            try:
                os.chmod(os.path.join(base, n), 0o755)
            except OSError:
                pass
    shutil.rmtree(tmp, ignore_errors=True)

sys.exit(pvtest.summary())
