#!/usr/bin/env python3
"""Fleets: config dir discovery in a repository of host dirs (issue 22).

testdata/fleet (hosts/mx1, hosts/mx2, roles/postfix/templates with Jinja
templates, a .postvet.cf in hosts/mx1) is copied into a scratch git
repository, with an ignored backup/ holding a broken main.cf. Then:

- discovery: `check --show-settings` with no path, from the top and from
  inside hosts/mx1, lists the same config dirs (the template dir included,
  backup/ not: .gitignore), each with its closest .postvet.cf;
- `check` with no path, from the top and from inside hosts/mx1, gives the
  same findings, named relative to the current directory; mx1's own
  .postvet.cf silences its table's PV303 (its glob relative to that file),
  mx2's PV303 and PV602 are reported; a top .postvet.cf glob
  `hosts/mx2/header_checks` works from hosts/mx2 too;
- `check hosts` (a folder of host folders) lints both hosts (was exit 2);
- `exclude` in .postvet.cf leaves dirs out, inside git and outside it;
  outside git every directory is walked; a dir with no config dir below it
  is still exit 2;
- `diff --git HEAD` at the top: no change, exit 0; a risky edit in mx2 and
  a new, staged host mx3: exit 1, sections for both, JSON with one entry
  per dir; an untracked host mx4 (not part of a commit) is left out;
- a host dir deleted since the revision (removed, then `git rm`), from the
  top, on `hosts` and inside it: a "deleted since" section listing its
  findings at the revision as resolved (JSON: deleted_dir,
  resolved_findings), exit 0 for the deletion alone; next to a new host;
- each host dir has its own regcomp budget in `diff --git`: 12 hosts each
  gaining a costly pattern get no "budget" refusal.

roles/postfix/templates holds only main.cf.j2 and master.cf.j2: it is linted
as a config dir like the hosts (src/template/ reads the templates), and it
is part of every comparison.
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile

import pvtest
from pvtest import BIN, SRC, check, write
FLEET = os.path.join(SRC, "testdata", "fleet")


ENV = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
ENV.update({"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.invalid", "GIT_COMMITTER_NAME": "t",
            "GIT_COMMITTER_EMAIL": "t@example.invalid", "GIT_CONFIG_NOSYSTEM": "1", "NO_COLOR": "1"})
ENV.pop("GITHUB_ACTIONS", None)


def git(repo, *args):
    p = subprocess.run(["git", "-C", repo, *args], capture_output=True, text=True, env=ENV)
    if p.returncode != 0:
        raise RuntimeError(f"git {args}: {p.stderr}")
    return p.stdout


def postvet(args, cwd):
    return subprocess.run([BIN, *args], capture_output=True, text=True, cwd=cwd, env=ENV, timeout=120)


def findings(p, cwd):
    """{(rule, absolute file, line, column)} of a --format json run."""
    doc = json.loads(p.stdout)
    return {(d["rule"], os.path.normpath(os.path.join(cwd, d["file"])), d["line"], d["column"])
            for d in doc["diagnostics"]}, [d["file"] for d in doc["diagnostics"]]


def targets(p):
    """The config dirs of a --show-settings run, with their settings file."""
    return [line[len("# settings for "):] for line in p.stdout.splitlines() if line.startswith("# settings for ")]


def main():
    if not os.access(BIN, os.X_OK) or shutil.which("git") is None:
        print(f"FAIL: postvet binary {BIN} or git missing")
        return 1
    with tempfile.TemporaryDirectory() as tmp:
        tmp = os.path.realpath(tmp)
        env_home = os.path.join(tmp, "home")
        os.makedirs(env_home)
        ENV["HOME"] = env_home  # no user git config, no ~/.postvet.cf
        repo = os.path.join(tmp, "repo")
        shutil.copytree(FLEET, repo)
        write(os.path.join(repo, ".gitignore"), "backup/\n")
        write(os.path.join(repo, "backup", "main.cf"), "this is broken\n")
        git(repo, "init", "-q")
        git(repo, "add", "-A")
        git(repo, "commit", "-q", "-m", "fleet")
        mx1 = os.path.join(repo, "hosts", "mx1")
        mx2 = os.path.join(repo, "hosts", "mx2")

        # Discovery, independent of what the template dir's lint says.
        top = postvet(["check", "--show-settings"], repo)
        inner = postvet(["check", "--show-settings"], mx1)
        check("show-settings at the top", top.returncode == 0, top.stderr)
        check("discovery at the top: both hosts and the template dir, not the ignored backup/",
              targets(top) == ["hosts/mx1 (hosts/mx1/.postvet.cf)", "hosts/mx2 (no .postvet.cf: built-in defaults)",
                               "roles/postfix/templates (no .postvet.cf: built-in defaults)"], top.stdout)
        check("discovery from hosts/mx1: the same dirs, relative to it",
              targets(inner) == [". (.postvet.cf)", "../mx2 (no .postvet.cf: built-in defaults)",
                                 "../../roles/postfix/templates (no .postvet.cf: built-in defaults)"], inner.stdout)

        p = postvet(["check", "roles/postfix/templates"], repo)
        check("the template-only dir is linted (exit 0 or 1, no tool error)", p.returncode in (0, 1),
              p.stdout + p.stderr)

        # The same findings from the top and from inside a host.
        top = postvet(["check", "--format", "json"], repo)
        inner = postvet(["check", "--format", "json"], mx1)
        check("check at the top: findings, exit 1", top.returncode == 1, top.stderr)
        check("check in hosts/mx1: findings, exit 1", inner.returncode == 1, inner.stderr)
        (top_set, top_files), (inner_set, inner_files) = findings(top, repo), findings(inner, mx1)
        hosts_only = lambda s: {f for f in s if f[1].startswith(os.path.join(repo, "hosts") + os.sep)}
        check("same host findings from the top and from hosts/mx1", hosts_only(top_set) == hosts_only(inner_set),
              (sorted(top_set), sorted(inner_set)))
        check("mx2's PV303 and PV602 are reported",
              ("PV303", os.path.join(mx2, "header_checks"), 1, 15) in top_set and
              ("PV602", os.path.join(mx2, "main.cf"), 3, 14) in top_set, sorted(top_set))
        check("mx1's .postvet.cf silences its header_checks PV303 (glob relative to that file)",
              not any(f[0] == "PV303" and f[1].startswith(mx1 + os.sep) for f in top_set | inner_set), sorted(top_set))
        check("nothing from the ignored backup/", not any("backup" in f[1] for f in top_set | inner_set), sorted(top_set))
        check("paths relative to the current directory (top)",
              "hosts/mx2/header_checks" in top_files and not any(f.startswith("/") for f in top_files), top_files)
        check("paths relative to the current directory (hosts/mx1)",
              "../mx2/header_checks" in inner_files and not any(f.startswith(("/", "hosts/")) for f in inner_files),
              inner_files)

        # A glob in the top .postvet.cf means the same from inside a host.
        with open(os.path.join(repo, ".postvet.cf"), "a", encoding="utf-8") as f:
            f.write("per_path_ignores = hosts/mx2/header_checks:PV303\n")
        for cwd in (repo, mx2):
            p = postvet(["check", "--format", "json"], cwd)
            got, _ = findings(p, cwd)
            check(f"top per_path_ignores applies from {os.path.relpath(cwd, repo)}",
                  not any(f[0] == "PV303" for f in got) and any(f[0] == "PV602" for f in got), sorted(got))

        # A folder of host folders.
        p = postvet(["check", "--format", "json", "hosts"], repo)
        got, files = findings(p, repo)
        check("check hosts: both hosts linted, exit 1", p.returncode == 1 and
              any(f.startswith("hosts/mx2/") for f in files), (p.returncode, p.stderr, files))

        # exclude, inside git.
        write(os.path.join(repo, "hosts", ".postvet.cf"), "exclude = mx2\n")
        p = postvet(["check", "--show-settings", "hosts"], repo)
        check("exclude (relative to its .postvet.cf) leaves hosts/mx2 out",
              [t.split(" ")[0] for t in targets(p)] == ["hosts/mx1"], p.stdout + p.stderr)
        os.remove(os.path.join(repo, "hosts", ".postvet.cf"))

        # Outside git: a plain walk, exclude applies, nothing found is exit 2.
        plain = os.path.join(tmp, "plain")
        shutil.copytree(FLEET, plain)
        write(os.path.join(plain, "backup", "main.cf"), "compatibility_level = 3.6\n")
        p = postvet(["check", "--show-settings", "plain"], tmp)
        check("outside git every directory is walked",
              [t.split(" ")[0] for t in targets(p)] == ["plain/backup", "plain/hosts/mx1", "plain/hosts/mx2",
                                                        "plain/roles/postfix/templates"], p.stdout + p.stderr)
        write(os.path.join(plain, ".postvet.cf"), "exclude = backup, roles/\n")
        p = postvet(["check", "--show-settings", "plain"], tmp)
        check("exclude outside git",
              [t.split(" ")[0] for t in targets(p)] == ["plain/hosts/mx1", "plain/hosts/mx2"], p.stdout + p.stderr)
        os.makedirs(os.path.join(tmp, "empty", "sub"))
        p = postvet(["check", "empty"], tmp)
        check("no config dir below: exit 2 naming the dir",
              p.returncode == 2 and "empty: neither main.cf nor master.cf found" in p.stderr, p.stderr)

        # diff --git HEAD at the top of the repository.
        git(repo, "add", "-A")
        git(repo, "commit", "-q", "-m", "top settings")
        p = postvet(["diff", "--git", "HEAD"], repo)
        check("diff --git HEAD at the top, nothing changed: exit 0", p.returncode == 0 and
              "config dirs compared with HEAD, 0 with changes" in p.stdout, p.stdout + p.stderr)
        with open(os.path.join(mx2, "main.cf"), "a", encoding="utf-8") as f:
            f.write("smtpd_tls_security_level = none\n")
        write(os.path.join(repo, "hosts", "mx3", "main.cf"), "compatibility_level = 3.6\nmynetworks = 0.0.0.0/0\n")
        git(repo, "add", "hosts/mx3")  # staged: part of the commit
        write(os.path.join(repo, "hosts", "mx4", "main.cf"), "mynetworks = 0.0.0.0/0\n")  # untracked: not
        p = postvet(["diff", "--git", "HEAD"], repo)
        check("diff --git HEAD: a risky edit in mx2 and a new host: exit 1 with a section each",
              p.returncode == 1 and "== hosts/mx2 ==" in p.stdout and "smtpd_tls_security_level" in p.stdout and
              "== hosts/mx3 (new since HEAD) ==" in p.stdout and "[PV602]" in p.stdout and
              "== hosts/mx1 ==" not in p.stdout and "mx4" not in p.stdout, p.stdout + p.stderr)
        p = postvet(["diff", "--git", "HEAD", "--format", "json"], repo)
        doc = json.loads(p.stdout) if p.returncode in (0, 1) else {}
        dirs = {d["path"]: d for d in doc.get("dirs", [])}
        check("diff json: one entry per config dir, the template dir included",
              set(dirs) == {"hosts/mx1", "hosts/mx2", "hosts/mx3", "roles/postfix/templates"} and
              not dirs["roles/postfix/templates"]["diff"]["changes"] and dirs["hosts/mx3"]["new_dir"] and
              not dirs["hosts/mx2"]["new_dir"] and dirs["hosts/mx2"]["diff"]["changes"] and
              not dirs["hosts/mx1"]["diff"]["changes"], p.stdout + p.stderr)
        p = postvet(["diff", "--git", "HEAD"], mx1)
        check("diff --git HEAD inside a host dir compares that dir alone", p.returncode == 0 and
              "no changes in the effective configuration" in p.stdout and "==" not in p.stdout, p.stdout + p.stderr)
        p = postvet(["diff", "--git", "no-such-rev"], repo)
        check("diff --git with a bad revision: exit 2", p.returncode == 2 and "no such revision" in p.stderr,
              p.stdout + p.stderr)

        # A host dir deleted since the revision, and one new since it.
        fresh = os.path.join(tmp, "fresh")
        shutil.copytree(FLEET, fresh)
        git(fresh, "init", "-q")
        git(fresh, "add", "-A")
        git(fresh, "commit", "-q", "-m", "fleet")
        shutil.rmtree(os.path.join(fresh, "hosts", "mx2"))  # deleted, not yet staged
        p = postvet(["diff", "--git", "HEAD"], fresh)
        check("a deleted host: a section listing its findings at HEAD as resolved, exit 0",
              p.returncode == 0 and "== hosts/mx2 (deleted since HEAD) ==" in p.stdout and
              "config dir deleted: 2 finding(s) it had at HEAD are resolved" in p.stdout and
              "HEAD:hosts/mx2/main.cf:3:14: error: mynetworks contains 0.0.0.0/0 [PV602]" in p.stdout and
              "1 deleted since HEAD" in p.stdout, p.stdout + p.stderr)
        git(fresh, "rm", "-rq", "hosts/mx2")  # staged
        write(os.path.join(fresh, "hosts", "mx9", "main.cf"), "compatibility_level = 3.6\nmynetworks = 0.0.0.0/0\n")
        git(fresh, "add", "hosts/mx9")
        for cwd, args, prefix in ((fresh, [], "hosts/"), (fresh, ["hosts"], "hosts/"),
                                  (os.path.join(fresh, "hosts"), [], "")):
            where = f"diff --git HEAD {' '.join(args)} in {os.path.relpath(cwd, fresh)}"
            p = postvet(["diff", "--git", "HEAD", *args], cwd)
            check(f"{where}: the deleted and the new host, exit 1 for the new host's findings",
                  p.returncode == 1 and f"== {prefix}mx2 (deleted since HEAD) ==" in p.stdout and
                  f"== {prefix}mx9 (new since HEAD) ==" in p.stdout and f"== {prefix}mx1" not in p.stdout,
                  p.stdout + p.stderr)
            p = postvet(["diff", "--git", "HEAD", "--format", "json", *args], cwd)
            doc = json.loads(p.stdout) if p.returncode in (0, 1) else {}
            dirs = {d["path"]: d for d in doc.get("dirs", [])}
            mx2, mx9, mx1 = dirs.get(prefix + "mx2", {}), dirs.get(prefix + "mx9", {}), dirs.get(prefix + "mx1", {})
            check(f"{where} json: deleted_dir with its resolved findings, new_dir with its new ones",
                  mx2.get("deleted_dir") is True and mx2.get("new_dir") is False and
                  sorted(f["rule"] for f in mx2.get("resolved_findings", [])) == ["PV303", "PV602"] and
                  not mx2["diff"]["new_findings"] and mx9.get("new_dir") is True and
                  mx9.get("deleted_dir") is False and any(f["rule"] == "PV602" for f in mx9["diff"]["new_findings"])
                  and mx1.get("deleted_dir") is False and mx1.get("resolved_findings") == [],
                  p.stdout[:3000] + p.stderr)
        git(fresh, "commit", "-q", "-m", "mx2 gone, mx9 new")
        p = postvet(["diff", "--git", "HEAD~1", "hosts"], fresh)
        check("diff --git HEAD~1 after the commit: the same report against the older revision",
              p.returncode == 1 and "== hosts/mx2 (deleted since HEAD~1) ==" in p.stdout and
              "== hosts/mx9 (new since HEAD~1) ==" in p.stdout, p.stdout + p.stderr)
        p = postvet(["diff", "--git", "HEAD", "hosts"], fresh)
        check("diff --git HEAD after the commit: nothing deleted, nothing new",
              p.returncode == 0 and "deleted since" not in p.stdout and "new since" not in p.stdout,
              p.stdout + p.stderr)

        # Each host dir has its own regcomp budget: 12 hosts gaining a pattern
        # that costs 9,993 of the 100,000 copies do not exhaust one budget.
        big = os.path.join(tmp, "big")
        for n in range(12):
            write(os.path.join(big, "hosts", f"h{n:02d}", "main.cf"),
                  "compatibility_level = 3.6\nheader_checks = regexp:/etc/postfix/header_checks\n")
            write(os.path.join(big, "hosts", f"h{n:02d}", "header_checks"), "/^Subject: offer/ REJECT no\n")
        git(big, "init", "-q")
        git(big, "add", "-A")
        git(big, "commit", "-q", "-m", "hosts")
        for n in range(12):
            with open(os.path.join(big, "hosts", f"h{n:02d}", "header_checks"), "a", encoding="utf-8") as f:
                f.write("/^X-Big: a{10000}/ REJECT big\n")
        p = postvet(["diff", "--git", "HEAD", "--format", "json"], big)
        doc = json.loads(p.stdout) if p.returncode in (0, 1) else {}
        refused = [d["path"] for d in doc.get("dirs", []) if "budget" in json.dumps(d["diff"]["new_findings"])]
        check("diff --git: each host dir has its own regcomp budget (no pattern refused for the run's)",
              len(doc.get("dirs", [])) == 12 and not refused, (refused, p.stderr))

    return pvtest.summary()


if __name__ == "__main__":
    sys.exit(main())
