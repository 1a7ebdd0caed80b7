#!/usr/bin/env python3
"""The pre-commit hook, run by the real `pre-commit` tool (Debian package).

The hook definition tested is this repository's .pre-commit-hooks.yaml: it
is committed into a scratch hook repository, which a scratch config
repository names as `repo: <local path>` (pre-commit clones local paths, so
nothing touches the network; PRE_COMMIT_HOME is a temporary directory). The
built postvet ($POSTVET_BIN) is put first on PATH for `language: system`.
Then real `git commit`s go through the installed hook:

- a good configuration commits; a bad table does not, and the hook output
  names the file and rule, knowing the table's use from its main.cf;
- only the changed files are reported: a commit touching master.cf passes
  although main.cf (unchanged) has a known problem;
- the files pattern: a README change does not run the hook; *.pcre does;
- a fleet (hosts/mx1, hosts/mx2) with both hooks and no per-host `args:`:
  postvet-diff, run at the root, reviews every host dir: a cosmetic edit
  passes, a risky edit in mx2 fails until acknowledged, and an untracked
  host dir (not part of the commit) does not count.

Fails (never skips) when pre-commit, git or the binary is missing.
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

import pvtest
from pvtest import BIN, SRC, check, write
HOOKS = os.path.join(SRC, ".pre-commit-hooks.yaml")


GOOD_MAIN = ("compatibility_level = 3.6\nmynetworks = 127.0.0.0/8\n"
             "header_checks = regexp:/etc/postfix/header_checks\n"
             "body_checks = pcre:/etc/postfix/body.pcre\n")
GOOD_CHECKS = "/^Subject: x/ REJECT no\n"
BAD_CHECKS = "/^Subject: x/ REJEKT no\n"
GOOD_PCRE = "/viagra/ REJECT no\n"
BAD_PCRE = "/(unbalanced/ REJECT no\n"
MASTER = "smtp      inet  n       -       y       -       -       smtpd\n"


def main():
    for tool, what in ((shutil.which("pre-commit"), "pre-commit (apt-get install pre-commit)"),
                       (shutil.which("git"), "git"), (os.access(BIN, os.X_OK) or None, f"postvet binary {BIN}"),
                       (os.path.isfile(HOOKS) or None, HOOKS)):
        if not tool:
            print(f"FAIL: {what} missing")
            return 1

    with tempfile.TemporaryDirectory() as tmp:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "PRE_COMMIT"))}
        env.pop("GITHUB_ACTIONS", None)
        env.update({
            "PATH": os.path.dirname(os.path.abspath(BIN)) + os.pathsep + env.get("PATH", "/usr/bin:/bin"),
            "PRE_COMMIT_HOME": os.path.join(tmp, "cache"),
            "HOME": tmp,  # no user git config (signing, hooksPath) interferes
            "GIT_CONFIG_NOSYSTEM": "1",
            "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.invalid",
            "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.invalid",
            "NO_COLOR": "1",
        })

        def git(args, cwd):
            return subprocess.run(["git"] + args, cwd=cwd, env=env, capture_output=True, text=True, timeout=120)

        # The hook repository: this repository's hook definition, committed.
        hookrepo = os.path.join(tmp, "hookrepo")
        os.makedirs(hookrepo)
        shutil.copy(HOOKS, hookrepo)
        git(["init", "-q", "-b", "main"], hookrepo)
        git(["add", ".pre-commit-hooks.yaml"], hookrepo)
        p = git(["commit", "-q", "-m", "hooks"], hookrepo)
        check("hook repo commit", p.returncode == 0, p.stderr)
        rev = git(["rev-parse", "HEAD"], hookrepo).stdout.strip()

        # The configuration repository, with the hook installed.
        work = os.path.join(tmp, "work")
        os.makedirs(work)
        git(["init", "-q", "-b", "main"], work)
        write(os.path.join(work, ".pre-commit-config.yaml"),
              f"repos:\n- repo: {hookrepo}\n  rev: {rev}\n  hooks:\n  - id: postvet\n")
        p = subprocess.run(["pre-commit", "install"], cwd=work, env=env, capture_output=True, text=True, timeout=120)
        check("pre-commit install", p.returncode == 0, p.stdout + p.stderr)

        def commit(message, files):
            git(["add"] + files, work)
            p = git(["commit", "-m", message], work)
            return p.returncode, p.stdout + p.stderr

        def head_count():
            return int(git(["rev-list", "--count", "--all"], work).stdout.strip() or 0)

        mx1 = os.path.join(work, "hosts", "mx1")
        write(os.path.join(mx1, "main.cf"), GOOD_MAIN)
        write(os.path.join(mx1, "master.cf"), MASTER)
        write(os.path.join(mx1, "header_checks"), GOOD_CHECKS)
        write(os.path.join(mx1, "body.pcre"), GOOD_PCRE)
        rc, out = commit("good config", [".pre-commit-config.yaml", "hosts"])
        check("a good config commits", rc == 0 and head_count() == 1, out)
        check("the hook ran and passed", re.search(r"postvet \(Postfix configuration\)\.+Passed", out), out)

        write(os.path.join(mx1, "header_checks"), BAD_CHECKS)
        rc, out = commit("bad table", ["hosts"])
        check("a bad table is refused", rc != 0 and head_count() == 1, out)
        check("the hook failed", re.search(r"postvet \(Postfix configuration\)\.+Failed", out), out)
        check("output names file, line and rule", "hosts/mx1/header_checks:1:15: error:" in out and "[PV303]" in out,
              out)
        check("the table was linted with its main.cf (its use known, not guessed)",
              "judged by its file name" not in out and "header_checks" in out, out)
        write(os.path.join(mx1, "header_checks"), GOOD_CHECKS + "/^From: z@example\\.invalid/ REJECT no\n")
        rc, out = commit("fixed table", ["hosts"])
        check("fixed table commits", rc == 0 and head_count() == 2, out)

        write(os.path.join(mx1, "body.pcre"), BAD_PCRE)
        rc, out = commit("bad pcre", ["hosts"])
        check("*.pcre is checked", rc != 0 and "hosts/mx1/body.pcre:1:1:" in out and "[PV302]" in out, out)
        write(os.path.join(mx1, "body.pcre"), GOOD_PCRE)
        git(["add", "hosts"], work)

        # A known problem in main.cf, committed past the hook; then a change
        # to master.cf alone passes: only the changed files are reported.
        write(os.path.join(mx1, "main.cf"), GOOD_MAIN + "mynetworks = 0.0.0.0/0\n")
        git(["add", "hosts"], work)
        p = git(["commit", "-q", "--no-verify", "-m", "known problem"], work)
        check("commit with --no-verify", p.returncode == 0, p.stderr)
        write(os.path.join(mx1, "master.cf"), MASTER + "pickup    unix  n       -       y       60      1       pickup\n")
        rc, out = commit("master.cf only", ["hosts"])
        check("only changed files are reported: master.cf change passes", rc == 0 and "PV602" not in out, out)
        write(os.path.join(mx1, "main.cf"), GOOD_MAIN + "mynetworks = 0.0.0.0/0\nmyhostname = mx1.example.net\n")
        rc, out = commit("main.cf touched", ["hosts"])
        check("changing main.cf reports its problem", rc != 0 and "hosts/mx1/main.cf:" in out and "[PV602]" in out,
              out)
        write(os.path.join(mx1, "main.cf"), GOOD_MAIN)
        rc, out = commit("main.cf fixed", ["hosts"])
        check("fixed main.cf commits", rc == 0, out)

        # Files outside the pattern do not run the hook at all.
        write(os.path.join(work, "README.txt"), "notes\n")
        write(os.path.join(mx1, "main.cf.orig"), "this is = not checked\nbroken line\n")
        rc, out = commit("docs", ["README.txt", "hosts"])
        check("non-config files skip the hook", rc == 0 and re.search(r"\(no files to check\)Skipped", out), out)

        # `pre-commit run --all-files` lints every config dir of the repository.
        write(os.path.join(work, "hosts", "mx2", "main.cf"), "compatibility_level = 3.6\nsmtpd_banner $myhostname\n")
        git(["add", "hosts"], work)
        p = subprocess.run(["pre-commit", "run", "--all-files"], cwd=work, env=env, capture_output=True, text=True,
                           timeout=300)
        out = p.stdout + p.stderr
        check("run --all-files finds mx2's error, not mx1",
              p.returncode != 0 and "hosts/mx2/main.cf:2:1: error:" in out and "hosts/mx1" not in out, out)

        # The postvet-diff hook on the demo: a commit of `check --fix`'s safe
        # fixes is postvet's own work, not a risky unacknowledged change.
        demo = os.path.join(tmp, "demo")
        shutil.copytree(os.path.join(SRC, "testdata", "demo"), demo)
        git(["init", "-q", "-b", "main"], demo)
        write(os.path.join(demo, ".pre-commit-config.yaml"),
              f"repos:\n- repo: {hookrepo}\n  rev: {rev}\n  hooks:\n  - id: postvet-diff\n")
        git(["add", "-A"], demo)
        p = git(["commit", "-q", "-m", "demo as it was"], demo)
        check("demo commit", p.returncode == 0, p.stderr)
        p = subprocess.run(["pre-commit", "install"], cwd=demo, env=env, capture_output=True, text=True, timeout=120)
        check("pre-commit install (demo)", p.returncode == 0, p.stdout + p.stderr)
        p = subprocess.run([BIN, "check", "--fix", "."], cwd=demo, env=env, capture_output=True, text=True, timeout=120)
        check("check --fix on the demo", p.returncode in (0, 1), p.stderr)
        git(["add", "-A"], demo)
        p = git(["commit", "-m", "postvet check --fix"], demo)
        out = p.stdout + p.stderr
        check("postvet-diff accepts a commit of postvet's safe fixes",
              p.returncode == 0 and re.search(r"postvet diff \(risky Postfix configuration changes\)\.+Passed", out), out)
        with open(os.path.join(demo, "main.cf"), "a") as f:
            f.write("mynetworks = 0.0.0.0/0\n")
        git(["add", "-A"], demo)
        p = git(["commit", "-m", "open relay"], demo)
        check("postvet-diff still refuses a risky edit", p.returncode != 0 and "mynetworks" in p.stdout + p.stderr,
              p.stdout + p.stderr)

        # A fleet with both hooks and no per-host args: postvet-diff at the
        # root reviews every host dir.
        fleet = os.path.join(tmp, "fleet")
        for host in ("mx1", "mx2"):
            write(os.path.join(fleet, "hosts", host, "main.cf"), GOOD_MAIN)
            write(os.path.join(fleet, "hosts", host, "master.cf"), MASTER)
            write(os.path.join(fleet, "hosts", host, "header_checks"), GOOD_CHECKS)
            write(os.path.join(fleet, "hosts", host, "body.pcre"), GOOD_PCRE)
        write(os.path.join(fleet, ".pre-commit-config.yaml"),
              f"repos:\n- repo: {hookrepo}\n  rev: {rev}\n  hooks:\n  - id: postvet\n  - id: postvet-diff\n")
        git(["init", "-q", "-b", "main"], fleet)
        git(["add", "-A"], fleet)
        p = git(["commit", "-q", "-m", "fleet"], fleet)
        check("fleet commit", p.returncode == 0, p.stderr)
        p = subprocess.run(["pre-commit", "install"], cwd=fleet, env=env, capture_output=True, text=True, timeout=120)
        check("pre-commit install (fleet)", p.returncode == 0, p.stdout + p.stderr)
        # Work in progress nobody has added yet: not part of any commit.
        write(os.path.join(fleet, "hosts", "mx9", "main.cf"), "mynetworks = 0.0.0.0/0\n")
        mx2_main = os.path.join(fleet, "hosts", "mx2", "main.cf")
        write(mx2_main, "# mx2\n" + GOOD_MAIN)
        git(["add", "hosts/mx2"], fleet)
        p = git(["commit", "-m", "comment"], fleet)
        out = p.stdout + p.stderr
        check("fleet: a cosmetic edit passes both hooks (no per-host args; untracked mx9 ignored)",
              p.returncode == 0 and re.search(r"postvet diff \(risky Postfix configuration changes\)\.+Passed", out),
              out)
        write(mx2_main, "# mx2\n" + GOOD_MAIN + "smtpd_tls_security_level = none\n")
        git(["add", "hosts/mx2"], fleet)
        p = git(["commit", "-m", "tls off"], fleet)
        out = p.stdout + p.stderr
        check("fleet: a risky edit in hosts/mx2 fails postvet-diff, naming the host",
              p.returncode != 0 and re.search(r"postvet diff \(risky Postfix configuration changes\)\.+Failed", out)
              and "hosts/mx2" in out and "smtpd_tls_security_level" in out, out)
        write(mx2_main, "# mx2\n" + GOOD_MAIN +
              "# postvet: expect-change=smtpd_tls_security_level\nsmtpd_tls_security_level = none\n")
        git(["add", "hosts/mx2"], fleet)
        p = git(["commit", "-m", "tls off, acknowledged"], fleet)
        out = p.stdout + p.stderr
        check("fleet: the acknowledged edit passes postvet-diff",
              re.search(r"postvet diff \(risky Postfix configuration changes\)\.+Passed", out), out)

    return pvtest.summary()


if __name__ == "__main__":
    sys.exit(main())
