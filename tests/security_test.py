#!/usr/bin/env python3
"""Security properties of postvet's input handling (issue 16).

1. Table paths that leave the config dir ("/etc/postfix/../../x", a
   symbolic link out of it) are never read without --root, are reported
   once as PV002 naming the parameter's path, and `check --fix` never
   writes outside the linted tree. With --root the path maps inside it.
2. `diff --git` uses a private temporary directory: another local user who
   pre-creates /tmp/postvet-diff-PID directories with `main.cf -> victim`
   links cannot make it write the victim's file (two users; needs root to
   create them, skipped with a note otherwise).
3. Terminal control sequences in input (ESC, CSI, OSC, BEL, CR, C1 as UTF-8
   and raw 0x9b) never reach the terminal raw from diff, tune, .postvet.cf
   errors or --baseline-report.
4. A .postvet.cf that another user owns (in a shared, sticky /tmp-like
   directory), or that anyone may write, is ignored with a warning.
"""
import json
import os
import pwd
import shutil
import subprocess
import sys
import tempfile

import pvtest
from pvtest import BIN, check
USER_A, USER_B = "postvet-test-a", "postvet-test-b"


def write(path, data, mode=None):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data.encode("utf-8", "surrogateescape") if isinstance(data, str) else data)
    if mode is not None:
        os.chmod(path, mode)


def read(path):
    with open(path, "rb") as f:
        return f.read()


def postvet(args, cwd=None, env=None, user=None, stdin=None):
    cmd = [BIN, *args]
    if user is not None:
        cmd = ["setpriv", f"--reuid={user.pw_uid}", f"--regid={user.pw_gid}", "--clear-groups", *cmd]
    return subprocess.run(cmd, capture_output=True, cwd=cwd, env=env, input=stdin)


# Three rules that match Subject: only, in a row: PV301 offers a safe fix (grouping).
VICTIM_TABLE = ("/^Subject:.*viagra/ REJECT a\n/^Subject:.*cialis/ REJECT b\n/^Subject:.*rolex/ REJECT c\n"
                "/^Subject:.*casino/ REJECT d\n")


def test_paths_outside_the_tree(tmp):
    base = os.path.join(tmp, "paths")
    victim = os.path.join(base, "outside", "victim_table")
    write(victim, VICTIM_TABLE)
    conf = os.path.join(base, "b", "c", "d", "conf")  # conf/../../../.. is base
    write(os.path.join(conf, "main.cf"),
          "compatibility_level = 3.6\nheader_checks = regexp:/etc/postfix/../../../../outside/victim_table\n")
    before = read(victim)
    p = postvet(["check", "--format", "json", "--fail-on", "info", conf], cwd=base)
    report = json.loads(p.stdout) if p.returncode != 2 else {"diagnostics": []}
    files = {d.get("file", "") for d in report["diagnostics"]}
    check("1: the outside table is not read", not any("victim_table" in f and "main.cf" not in f for f in files)
          and b"viagra" not in p.stdout, p.stdout[:2000])
    notes = [d for d in report["diagnostics"] if d["rule"] == "PV002"]
    check("1: one PV002 names the path that leaves the config dir",
          len(notes) == 1 and "../outside/victim_table" in notes[0]["message"] and "--root" in notes[0]["message"]
          and "header_checks" in notes[0]["message"],
          notes)
    p = postvet(["check", "--fix", conf], cwd=base)
    check("1: check --fix does not write the outside table", read(victim) == before, read(victim))
    p = postvet(["check", "--diff", conf], cwd=base)
    check("1: check --diff proposes nothing for it", b"victim_table" not in p.stdout, p.stdout)

    # A symbolic link inside the config dir that leads out of it.
    conf2 = os.path.join(base, "conf2")
    write(os.path.join(conf2, "main.cf"), "compatibility_level = 3.6\nheader_checks = regexp:/etc/postfix/maps/victim_table\n")
    os.symlink(os.path.join(base, "outside"), os.path.join(conf2, "maps"))
    p = postvet(["check", "--format", "json", conf2], cwd=base)
    report = json.loads(p.stdout) if p.returncode != 2 else {"diagnostics": []}
    notes = [d for d in report["diagnostics"] if d["rule"] == "PV002"]
    check("1: a link out of the config dir is reported, not followed",
          len(notes) == 1 and "outside" in notes[0]["message"] and b"viagra" not in p.stdout, p.stdout[:2000])
    postvet(["check", "--fix", conf2], cwd=base)
    check("1: check --fix does not write through the link", read(victim) == before, read(victim))

    # With --root, the normalised path (/outside/victim_table) maps inside the root.
    root = os.path.join(base, "root")
    write(os.path.join(root, "outside", "victim_table"), VICTIM_TABLE)
    p = postvet(["check", "--format", "json", "--fail-on", "info", "--root", root, conf], cwd=base)
    report = json.loads(p.stdout) if p.returncode != 2 else {"diagnostics": []}
    files = {d.get("file", "") for d in report["diagnostics"]}
    check("1: with --root the table is read inside the root",
          any(f.endswith("root/outside/victim_table") for f in files), files)
    postvet(["check", "--fix", "--root", root, conf], cwd=base)
    check("1: with --root, the outside original is still untouched", read(victim) == before)
    check("1: with --root, the copy inside the root is fixed", b"if /^Subject:/" in read(
        os.path.join(root, "outside", "victim_table")), read(os.path.join(root, "outside", "victim_table")))


def ensure_user(name):
    try:
        return pwd.getpwnam(name)
    except KeyError:
        subprocess.run(["useradd", "-M", "-N", "-s", "/usr/sbin/nologin", name], check=True, capture_output=True)
        return pwd.getpwnam(name)


def two_users(what):
    """The two test users, or None (with a note) when this run cannot act as them."""
    if os.geteuid() != 0 or shutil.which("setpriv") is None or shutil.which("useradd") is None:
        print(f"note: {what} skipped: needs root, setpriv and useradd to act as two users")
        return None
    a, b = ensure_user(USER_A), ensure_user(USER_B)
    p = postvet(["--version"], user=b)
    if p.returncode != 0:
        print(f"note: {what} skipped: user {USER_B} cannot run {BIN} (a private build directory?)")
        return None
    return a, b


def test_diff_git_temp_dir(tmp):
    users = two_users("2 (private diff --git directory)")
    if users is None:
        return
    a, b = users
    shared = os.path.join(tmp, "sharedtmp")  # a /tmp of our own: world-writable and sticky
    os.makedirs(shared)
    os.chmod(shared, 0o1777)
    home_b = os.path.join(tmp, "home-b")
    os.makedirs(home_b)
    os.chmod(tmp, 0o755)
    victim = os.path.join(home_b, "secret")
    write(victim, "B's private data\n", 0o600)
    repo = os.path.join(home_b, "repo")
    write(os.path.join(repo, "main.cf"), "compatibility_level = 3.6\nmynetworks = 127.0.0.0/8\n")
    write(os.path.join(repo, "master.cf"), "smtp inet n - y - - smtpd\n")
    for root_dir, _, files in os.walk(home_b):
        os.chown(root_dir, b.pw_uid, b.pw_gid)
        for f in files:
            os.chown(os.path.join(root_dir, f), b.pw_uid, b.pw_gid)
    env_b = dict(os.environ, TMPDIR=shared, HOME=home_b, GIT_AUTHOR_NAME="b", GIT_AUTHOR_EMAIL="b@x.invalid",
                 GIT_COMMITTER_NAME="b", GIT_COMMITTER_EMAIL="b@x.invalid", GIT_CONFIG_NOSYSTEM="1")
    as_b = ["setpriv", f"--reuid={b.pw_uid}", f"--regid={b.pw_gid}", "--clear-groups"]
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "x"]):
        subprocess.run(as_b + ["git", "-C", repo, *args], check=True, capture_output=True, env=env_b)
    # User A plants the directories the old code would use, for the next pids.
    with open("/proc/sys/kernel/ns_last_pid") as f:
        last = int(f.read())
    # Sticky and world-writable: B may add files but not remove A's links.
    plant = ("import os,sys\nmax_pid=int(open('/proc/sys/kernel/pid_max').read())\n"
             "for n in range(int(sys.argv[2]), int(sys.argv[3])):\n"
             "    pid = n if n < max_pid else 300 + n - max_pid\n"
             "    d=os.path.join(sys.argv[1], 'postvet-diff-%d' % pid)\n"
             "    if os.path.exists(d): continue\n"
             "    os.mkdir(d); os.chmod(d, 0o1777)\n"
             "    os.symlink(sys.argv[4], os.path.join(d, 'main.cf'))\n"
             "    os.symlink(sys.argv[4], os.path.join(d, 'master.cf'))\n")
    subprocess.run(["setpriv", f"--reuid={a.pw_uid}", f"--regid={a.pw_gid}", "--clear-groups", sys.executable, "-c",
                    plant, shared, str(last + 1), str(last + 3000), victim], check=True)
    before = read(victim)
    p = postvet(["diff", "--git", "HEAD", "."], cwd=repo, env=env_b, user=b)
    check("2: diff --git as B works despite A's planted directories", p.returncode == 0, p.stdout + p.stderr)
    check("2: B's private file is not overwritten", read(victim) == before, read(victim))
    left = [n for n in os.listdir(shared) if os.stat(os.path.join(shared, n)).st_uid == b.pw_uid]
    check("2: B's temporary directory is removed", left == [], left)


ESC_SAMPLES = {
    "ESC": "\x1b",
    "CSI": "\x1b[31m",
    "OSC": "\x1b]0;pwned\x07",
    "BEL": "\x07",
    "CR": "\r",
    "C1 CSI (UTF-8)": "\u009b",
}
RAW_C1 = b"\x9b"


def raw_controls(data):
    """Control bytes a terminal would act on (LF and tab are fine), and C1 CSI."""
    bad = [c for c in data if (c < 0x20 and c not in (0x0a, 0x09)) or c == 0x7f]
    return bad or (b"\xc2\x9b" in data) or (b"\x9b" in data)


def test_escaping(tmp):
    base = os.path.join(tmp, "esc")
    for label, seq in ESC_SAMPLES.items():
        for raw in (False, True):
            if raw and label != "C1 CSI (UTF-8)":
                continue
            payload = RAW_C1 if raw else seq.encode()
            name = f"{label}{' raw' if raw else ''}"
            d = os.path.join(base, name.replace(" ", "_").replace("(", "").replace(")", ""))
            old, new = os.path.join(d, "old"), os.path.join(d, "new")
            write(os.path.join(old, "main.cf"), b"compatibility_level = 3.6\nmynetworks = 127.0.0.0/8\n")
            write(os.path.join(new, "main.cf"), b"compatibility_level = 3.6\nmynetworks = 127.0.0.0/8 " + payload
                  + b"x\nmyhostname = mx" + payload + b".example.com\n")
            p = postvet(["diff", old, new])
            check(f"3: diff text escapes {name}", p.returncode in (0, 1) and not raw_controls(p.stdout)
                  and b"mynetworks" in p.stdout, p.stdout)
            # .postvet.cf: unknown key with the sequence in it.
            cfg = os.path.join(d, "bad.cf")
            write(cfg, b"bad" + payload + b"key = 1\n")
            p = postvet(["check", "--config", cfg, new])
            check(f"3: .postvet.cf error escapes {name}", p.returncode == 2 and not raw_controls(p.stderr)
                  and b"bad" in p.stderr, p.stderr)
            p = postvet(["diff", "--config", cfg, old, new])
            check(f"3: diff's .postvet.cf error escapes {name}", p.returncode == 2 and not raw_controls(p.stderr),
                  p.stderr)
            # tune: a service name and host from the logs.
            write(os.path.join(new, "master.cf"), b"smtp inet n - y - 20 smtpd\n")
            log = (b"Nov 20 10:00:00 mx1 postfix/master[1]: warning: service \"sub" + payload
                   + b"mission\" (587) has reached its process limit \"50\": new clients may experience noticeable "
                   b"delays\n"
                   b"Nov 20 10:00:01 mx1 postfix/smtpd[2]: connect from host" + payload + b".example[192.0.2.1]\n")
            p = postvet(["tune", new, "--log", "-"], stdin=log)
            check(f"3: tune escapes {name}", p.returncode in (0, 1) and not raw_controls(p.stdout)
                  and b"mission" in p.stdout, p.stdout + p.stderr)
            # --baseline-report: a stale entry whose file and subject hold the sequence.
            bl = os.path.join(d, "baseline.json")
            entry = ("{\"version\": 1, \"entries\": [{\"file\": \"" + os.path.relpath(new, base) + "/main.cf\", "
                     "\"rule\": \"PV203\", \"subject\": \"zone")
            write(bl, entry.encode() + (b"\\u009b" if not raw else b"\\u001b[2J") + b"\", \"count\": 1}]}\n")
            p = postvet(["check", "--baseline", bl, "--baseline-report", new], cwd=base)
            check(f"3: --baseline-report escapes {name}", p.returncode in (0, 1) and b"stale" in p.stderr
                  and not raw_controls(p.stderr), p.stderr)


def test_untrusted_settings(tmp):
    base = os.path.join(tmp, "cfg")
    shared = os.path.join(base, "shared")  # like /tmp
    conf = os.path.join(shared, "conf")
    os.makedirs(conf)
    os.chmod(shared, 0o1777)
    os.chmod(base, 0o755)
    os.chmod(tmp, 0o755)
    write(os.path.join(conf, "main.cf"), "compatibility_level = 3.6\nsmtpd_bannner = x\n", 0o644)
    env = dict(os.environ, HOME="/nonexistent-home")
    p = postvet(["check", conf], env=env)
    check("4: setup: the config has a finding (exit 1)", p.returncode == 1, p.stdout + p.stderr)
    # Anyone may write it: ignored with a warning.
    write(os.path.join(shared, ".postvet.cf"), "ignore = PV1\n", 0o666)
    p = postvet(["check", conf], env=env)
    check("4: a world-writable .postvet.cf is ignored", p.returncode == 1, p.stdout + p.stderr)
    check("4: ... with a warning naming it", b"ignoring" in p.stderr and b".postvet.cf" in p.stderr, p.stderr)
    os.unlink(os.path.join(shared, ".postvet.cf"))
    users = two_users("4 (another user's .postvet.cf)")
    if users is None:
        return
    a, b = users
    # Written by A into the shared directory; B lints a config below it.
    subprocess.run(["setpriv", f"--reuid={a.pw_uid}", f"--regid={a.pw_gid}", "--clear-groups", sys.executable, "-c",
                    "import sys; open(sys.argv[1], 'w').write('ignore = PV1\\n')", os.path.join(shared, ".postvet.cf")],
                   check=True)
    p = postvet(["check", conf], env=env, user=b)
    check("4: another user's .postvet.cf is ignored", p.returncode == 1, p.stdout + p.stderr)
    check("4: ... with a warning naming the owner", b"owned by another user" in p.stderr, p.stderr)
    p = postvet(["diff", conf, conf], env=env, user=b)
    check("4: diff warns about it too", b"owned by another user" in p.stderr, p.stderr)
    # The same file owned by B is used.
    os.chown(os.path.join(shared, ".postvet.cf"), b.pw_uid, b.pw_gid)
    p = postvet(["check", conf], env=env, user=b)
    check("4: the invoking user's own file in a sticky directory is used", p.returncode == 0, p.stdout + p.stderr)


def main():
    if not os.access(BIN, os.X_OK):
        print(f"FAIL: no postvet binary at {BIN}")
        return 1
    tmp = tempfile.mkdtemp(prefix="postvet-security-")
    try:
        os.chmod(tmp, 0o755)
        test_paths_outside_the_tree(tmp)
        test_diff_git_temp_dir(tmp)
        test_escaping(tmp)
        test_untrusted_settings(tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return pvtest.summary()


if __name__ == "__main__":
    sys.exit(main())
