#!/usr/bin/env python3
"""`postvet tune DIR` on a directory of config dirs (issue 22).

A scratch tree (outside git, so discovery walks it) holds hosts/a (a copy of
testdata/demo, whose tuning rules fire and have fixes), hosts/b (a copy of
testdata/fleet/hosts/mx2) and roles/postfix/templates (the Jinja templates
of testdata/fleet). Then, each compared with `tune` run on one host alone:

- text: one "== DIR ==" section per config dir, in sorted order, each
  byte-identical to that dir's own report; the exit code is the worst one;
- json: {"version": 1, "dirs": [{"path", "report"}]}, each report equal to
  the dir's own document;
- --diff: one patch, the hosts' own patches one after the other;
- --log with several config dirs: exit 2 naming them (a log is one
  server's); with a directory holding one config dir, that dir is tuned
  with the log; the same log on the host dir gives the same report;
- `exclude` in the .postvet.cf of the directory given applies;
- a directory without any config dir is still exit 2.
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile

import pvtest
from pvtest import BIN, SRC, check
LOG = os.path.join(SRC, "testdata", "logs", "mx-rfc3339.log")
ENV = {k: v for k, v in os.environ.items() if k != "GITHUB_ACTIONS"}
ENV["NO_COLOR"] = "1"


def tune(args, cwd):
    return subprocess.run([BIN, "tune", *args], capture_output=True, text=True, cwd=cwd, env=ENV, timeout=120)


def main():
    if not os.access(BIN, os.X_OK):
        print(f"FAIL: postvet binary {BIN} missing")
        return 1
    with tempfile.TemporaryDirectory() as tmp:
        tmp = os.path.realpath(tmp)
        ENV["HOME"] = tmp  # no ~/.postvet.cf
        top = os.path.join(tmp, "fleet")
        shutil.copytree(os.path.join(SRC, "testdata", "demo"), os.path.join(top, "hosts", "a"))
        shutil.copytree(os.path.join(SRC, "testdata", "fleet", "hosts", "mx2"), os.path.join(top, "hosts", "b"))
        shutil.copytree(os.path.join(SRC, "testdata", "fleet", "roles"), os.path.join(top, "roles"))
        dirs = ["hosts/a", "hosts/b", "roles/postfix/templates"]
        alone = {d: tune([d], top) for d in dirs}
        for d, p in alone.items():
            check(f"tune {d} alone works", p.returncode in (0, 1), p.stderr)
        check("the demo host has tuning findings (exit 1)", alone["hosts/a"].returncode == 1, alone["hosts/a"].stdout)

        # Text: a section per config dir, each the dir's own report.
        p = tune(["."], top)
        want = "\n".join(f"== {d} ==\n" + alone[d].stdout for d in dirs)
        check("tune .: exit 1, the worst of the hosts'", p.returncode == 1, (p.returncode, p.stderr))
        check("tune .: one section per config dir, each the dir's own report", p.stdout == want,
              p.stdout[:1500] + "\n---\n" + want[:1500])
        p = tune(["hosts"], top)
        check("tune hosts: the two hosts only",
              p.returncode == 1 and p.stdout == "\n".join(f"== {d} ==\n" + alone[d].stdout for d in dirs[:2]),
              p.stdout[:1500] + p.stderr)
        p = tune(["fleet/hosts"], tmp)
        check("paths relative to the current directory", "== fleet/hosts/a ==" in p.stdout and
              "== fleet/hosts/b ==" in p.stdout, p.stdout[:500] + p.stderr)

        # JSON: one entry per config dir.
        p = tune(["--format", "json", "."], top)
        doc = json.loads(p.stdout) if p.returncode in (0, 1) else {}
        check("json: version 1, an entry per dir in order", doc.get("version") == 1 and
              [e["path"] for e in doc.get("dirs", [])] == dirs, p.stdout[:1500] + p.stderr)
        for e in doc.get("dirs", []):
            own = tune(["--format", "json", e["path"]], top)
            check(f"json: {e['path']}'s report is its own document", e["report"] == json.loads(own.stdout),
                  e["path"])

        # --diff: one patch.
        p = tune(["--diff", "."], top)
        patches = [tune(["--diff", d], top).stdout for d in dirs]
        check("--diff: the hosts' patches one after the other", p.returncode == 1 and p.stdout == "".join(patches)
              and patches[0] != "", p.stdout[:1500])

        # --log: one server's log.
        p = tune([".", "--log", LOG], top)
        check("--log with several config dirs: exit 2 naming them",
              p.returncode == 2 and "holds 3 config dirs (hosts/a, hosts/b, roles/postfix/templates)" in p.stderr
              and "--log" in p.stderr and p.stdout == "", p.stderr)
        os.makedirs(os.path.join(tmp, "one", "srv"))
        shutil.copytree(os.path.join(SRC, "testdata", "demo"), os.path.join(tmp, "one", "srv", "mx"))
        p = tune(["one", "--log", LOG], tmp)
        own = tune(["one/srv/mx", "--log", LOG], tmp)
        check("--log with a directory holding one config dir tunes that dir with the log",
              p.returncode == own.returncode and p.returncode in (0, 1) and p.stdout == own.stdout and
              "Log evidence (1 file" in own.stdout, p.stdout[:800] + p.stderr)

        # exclude in the .postvet.cf of the directory given.
        with open(os.path.join(top, ".postvet.cf"), "w", encoding="utf-8") as f:
            f.write("exclude = roles/\n")
        p = tune(["."], top)
        check("exclude leaves roles/ out", "== hosts/a ==" in p.stdout and "roles/" not in p.stdout.split("\n")[0] and
              "== roles/postfix/templates ==" not in p.stdout, p.stdout[:500] + p.stderr)

        os.makedirs(os.path.join(tmp, "empty", "sub"))
        p = tune(["empty"], tmp)
        check("no config dir below: exit 2", p.returncode == 2 and "neither main.cf nor master.cf found" in p.stderr,
              p.stderr)

    return pvtest.summary()


if __name__ == "__main__":
    sys.exit(main())
