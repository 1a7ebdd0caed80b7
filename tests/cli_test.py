#!/usr/bin/env python3
"""The command line as a user meets it: exit codes, the default command,
config discovery, --select/--ignore/--fail-on, --output, --diff/--fix on a
real directory, and clear errors for bad input (exit 2, never a crash)."""
import json
import os
import stat
import subprocess
import sys
import tempfile

import pvtest
from pvtest import BIN, check, write


def run(args, cwd=None, env=None):
    e = dict(os.environ)
    e.pop("GITHUB_ACTIONS", None)
    e.update(env or {})
    return subprocess.run([BIN] + args, cwd=cwd, capture_output=True, text=True, env=e, timeout=60)


with tempfile.TemporaryDirectory() as tmp:
    clean = os.path.join(tmp, "clean")
    OK = "compatibility_level = 3.6\nmynetworks = 127.0.0.0/8\n"
    write(os.path.join(clean, "main.cf"), OK + "myhostname = mx.example.net\n")
    dirty = os.path.join(tmp, "dirty")
    write(os.path.join(dirty, "main.cf"), "compatibility_level = 3.6\nsmtpd_banner $myhostname\nmynetworks = 0.0.0.0/0\n")

    p = run(["check", clean])
    check("clean config exits 0", p.returncode == 0, p.stdout + p.stderr)
    p = run([clean])
    check("check is the default command", p.returncode == 0, p.stdout + p.stderr)
    p = run(["check", dirty])
    check("findings exit 1", p.returncode == 1, p.stdout + p.stderr)
    check("text names file:line:col and rule", "dirty/main.cf:2:1: error:" in p.stdout and "[PV001]" in p.stdout, p.stdout)
    p = run(["check", "--select", "PV602", "--format", "json", dirty])
    doc = json.loads(p.stdout)
    check("json shape", doc["version"] == 1 and doc["tool"]["name"] == "postvet", p.stdout[:200])
    check("--select limits rules", {d["rule"] for d in doc["diagnostics"]} == {"PV602"}, p.stdout[:300])
    d = doc["diagnostics"][0]
    check("json location", (d["line"], d["column"], d["end_column"]) == (3, 14, 23), str(d))
    p = run(["check", "--ignore", "PV0,PV6", dirty])
    check("--ignore by family prefix", p.returncode == 0, p.stdout)
    p = run(["check", "--select", "PV602", "--fail-on", "error", dirty])
    check("--fail-on error with an error exits 1", p.returncode == 1)
    out = os.path.join(tmp, "report.json")
    p = run(["check", "--format", "json", "--output", out, dirty])
    check("--output writes the file", p.returncode == 1 and json.load(open(out))["diagnostics"], p.stderr)

    # Tool errors: exit 2 with a message naming the path.
    p = run(["check", os.path.join(tmp, "missing")])
    check("missing path exits 2", p.returncode == 2 and "missing" in p.stderr, p.stderr)
    write(os.path.join(tmp, "repo", ".git", "HEAD"), "")
    cfgdir = os.path.join(tmp, "repo", "hosts", "mx1")
    write(os.path.join(cfgdir, "main.cf"), "myhostname = mx.example.net\n")
    write(os.path.join(tmp, "repo", ".postvet.cf"), "fail_onn = error\n")
    p = run(["check", cfgdir])
    check("bad .postvet.cf exits 2 naming key and file", p.returncode == 2 and "fail_onn" in p.stderr and ".postvet.cf" in p.stderr, p.stderr)
    write(os.path.join(tmp, "repo", ".postvet.cf"), "ignore = PV001\n")
    write(os.path.join(cfgdir, "main.cf"), OK + "smtpd_banner $myhostname\n")
    p = run(["check", cfgdir])
    check(".postvet.cf found by walking up", p.returncode == 0, p.stdout + p.stderr)
    p = run(["check", "--config", os.path.join(tmp, "nonexistent.cf"), cfgdir])
    check("--config missing file exits 2", p.returncode == 2, p.stderr)
    p = run(["check", "--format", "nonsense", clean])
    check("bad option exits 2", p.returncode == 2)
    p = run(["explain", "PV999"])
    check("explain unknown rule exits 2", p.returncode == 2)
    p = run(["show", os.path.join(tmp, "missing.cf")])
    check("show missing file exits 2", p.returncode == 2)
    p = run(["parse", "--echo", tmp, "--type", "main"])
    check("parse a directory exits 2", p.returncode == 2 and "directory" in p.stderr.lower(), p.stderr)
    unreadable = os.path.join(tmp, "unreadable", "main.cf")
    write(unreadable, "a = b\n")
    if os.geteuid() != 0:  # root reads everything
        os.chmod(unreadable, 0)
        p = run(["check", os.path.dirname(unreadable)])
        check("unreadable main.cf exits 2", p.returncode == 2, p.stderr)

    # Binary input: a finding, never a crash.
    binary = os.path.join(tmp, "binary")
    os.makedirs(binary)
    with open(os.path.join(binary, "main.cf"), "wb") as f:
        f.write(bytes(range(256)) * 64)
    p = run(["check", binary])
    check("binary main.cf is a finding, no crash", p.returncode in (0, 1) and "PV002" in p.stdout, p.stdout[:300] + p.stderr)

    # --diff prints a patch and changes nothing; --fix applies it atomically, keeping the mode.
    fixdir = os.path.join(tmp, "fix")
    write(os.path.join(fixdir, "main.cf"), "myhostname = old.example.net\nmyhostname = mx.example.net\n" + OK)
    os.chmod(os.path.join(fixdir, "main.cf"), 0o640)
    before = open(os.path.join(fixdir, "main.cf")).read()
    p = run(["check", "--diff", "fix"], cwd=tmp)
    check("--diff prints a patch", p.stdout.startswith("--- a/fix/main.cf\n+++ b/fix/main.cf\n"), p.stdout)
    check("--diff writes nothing", open(os.path.join(fixdir, "main.cf")).read() == before)
    p = run(["check", "--fix", fixdir])
    after = open(os.path.join(fixdir, "main.cf")).read()
    check("--fix applies the safe fix", after == "myhostname = mx.example.net\n" + OK, repr(after))
    check("--fix keeps the mode", stat.S_IMODE(os.stat(os.path.join(fixdir, "main.cf")).st_mode) == 0o640)
    check("--fix exits 0 when nothing remains", p.returncode == 0, p.stdout)
    check("no temporary files left", os.listdir(fixdir) == ["main.cf"], str(os.listdir(fixdir)))

sys.exit(pvtest.summary())
