#!/usr/bin/env python3
"""`check -j N` over many config dirs (issue 22): worker threads, the serial
run's output.

Each run below is made with -j 1 and with -j 2, -j 4 and the default (the
online CPUs); stdout, stderr and the exit code must be byte-identical:

- testdata/fleet (two hosts and a Jinja template dir, whose notices go to
  stderr) in text, json, sarif and --statistics;
- a generated fleet (bench/gen_fleet.py, 40 hosts, when Debian's stock
  main.cf is installed) with hosts made to differ: findings of every
  severity, a host whose .postvet.cf sets fail_on = error (so the exit code
  depends on which host a finding is in), a template host, and, in 30
  hosts, a header_checks pattern whose repetition costs 9,993 of postvet's
  100,000-copy regcomp budget (30 x 9,993 passes it within one run): each
  host has a budget of its own, so every host's findings in the fleet run
  are those it has alone, in whatever order threads take them;
- --diff (one patch) and --fix (the files written, the summary line) on
  copies;
- a host whose .postvet.cf cannot be read stops the run with exit 2 and the
  same message after the same template notices;
- -j 0 is refused (exit 2).
No timings are asserted.
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
STOCK = "/usr/share/postfix/main.cf.debian"
ENV = {k: v for k, v in os.environ.items() if not k.startswith("GIT_") and k != "GITHUB_ACTIONS"}
ENV["NO_COLOR"] = "1"


def run(args, cwd):
    p = subprocess.run([BIN, *args], capture_output=True, text=True, cwd=cwd, env=ENV, timeout=300)
    return p.returncode, p.stdout, p.stderr


def same_every_way(name, args, cwd, want_rc=None):
    """Runs `check ARGS` serially and with threads; all must agree."""
    serial = run(["check", "-j", "1", *args], cwd)
    if want_rc is not None:
        check(f"{name}: exit {want_rc}", serial[0] == want_rc, serial)
    for jobs in (["-j", "2"], ["-j", "4"], ["--jobs", "3"], []):
        got = run(["check", *jobs, *args], cwd)
        check(f"{name} {' '.join(jobs) or '(default jobs)'}: same exit, stdout and stderr as -j 1",
              got == serial, f"\nserial: {serial[0]} {serial[1][:800]!r} {serial[2][:400]!r}"
                             f"\nthreads: {got[0]} {got[1][:800]!r} {got[2][:400]!r}")
    return serial


def tree(top):
    """{relative path: bytes} of every file below `top`."""
    out = {}
    for base, _, files in os.walk(top):
        for name in files:
            path = os.path.join(base, name)
            with open(path, "rb") as f:
                out[os.path.relpath(path, top)] = f.read()
    return out


def generated_fleet(tmp):
    top = os.path.join(tmp, "gen")
    subprocess.run([sys.executable, os.path.join(SRC, "bench", "gen_fleet.py"), top, "40"], check=True)
    hosts = os.path.join(top, "hosts")
    # Findings that differ from host to host.
    for n in range(1, 41, 3):
        with open(os.path.join(hosts, f"mx{n}", "main.cf"), "a", encoding="utf-8") as f:
            f.write("mynetworks = 0.0.0.0/0\nsmtpd_tls_security_level = none\n")
    for n in range(2, 41, 5):
        with open(os.path.join(hosts, f"mx{n}", "header_checks"), "a", encoding="utf-8") as f:
            f.write("/^Subject: (a\n/^From: x/ REJEKT typo\n")
    write(os.path.join(hosts, "mx7", ".postvet.cf"), "fail_on = error\n")
    write(os.path.join(hosts, "mx9", ".postvet.cf"), "fail_on = error\nignore = PV602\n")
    # 30 hosts each charging 9,993 copies: together over the budget of a run.
    for n in range(11, 41):
        with open(os.path.join(hosts, f"mx{n}", "header_checks"), "a", encoding="utf-8") as f:
            f.write("/^X-Big: a{10000}/ REJECT big\n")
    shutil.copytree(os.path.join(FLEET, "roles"), os.path.join(top, "roles"))
    return top


def main():
    if not os.access(BIN, os.X_OK):
        print(f"FAIL: postvet binary {BIN} missing")
        return 1
    with tempfile.TemporaryDirectory() as tmp:
        tmp = os.path.realpath(tmp)
        ENV["HOME"] = tmp  # no ~/.postvet.cf
        fleet = os.path.join(tmp, "fleet")
        shutil.copytree(FLEET, fleet)
        serial = same_every_way("testdata/fleet text", ["."], fleet, want_rc=1)
        check("testdata/fleet: the template notices are on stderr", "Jinja2" in serial[2], serial[2])
        same_every_way("testdata/fleet json", ["--format", "json", "."], fleet, want_rc=1)
        same_every_way("testdata/fleet sarif", ["--format", "sarif", "."], fleet, want_rc=1)
        same_every_way("testdata/fleet statistics", ["--statistics", "hosts"], fleet, want_rc=1)
        same_every_way("testdata/fleet relative to a host", ["--format", "gcc", ".."], os.path.join(fleet, "hosts", "mx1"))

        if os.path.exists(STOCK) and os.path.exists("/usr/share/postfix/master.cf.dist"):
            gen = generated_fleet(tmp)
            serial = same_every_way("generated fleet json", ["--format", "json", "."], gen, want_rc=1)
            same_every_way("generated fleet text", ["hosts"], gen, want_rc=1)
            same_every_way("generated fleet, fail_on from the command line", ["--fail-on", "error", "hosts"], gen)
            doc = json.loads(serial[1])
            in_fleet = {}
            for d in doc["diagnostics"]:
                in_fleet.setdefault(d["file"].split("/")[1] if d["file"].startswith("hosts/") else "", []).append(d)
            for host in ("mx11", "mx25", "mx40"):
                rc, out, err = run(["check", "-j", "1", "--format", "json", f"hosts/{host}"], gen)
                alone = json.loads(out)["diagnostics"] if rc in (0, 1) else None
                check(f"{host}'s findings in the fleet are those it has alone (its own regcomp budget)",
                      alone is not None and alone == in_fleet.get(host, []),
                      (host, [d["rule"] for d in alone or []], [d["rule"] for d in in_fleet.get(host, [])]))
            check("no pattern of the 30 hosts is refused for the budget", "budget" not in serial[1], serial[1][:2000])
            # The exit code depends on which host a finding is in.
            only_mx7 = [h for h in os.listdir(os.path.join(gen, "hosts")) if h not in ("mx7", "mx9")]
            for h in only_mx7:
                shutil.rmtree(os.path.join(gen, "hosts", h))
            same_every_way("fleet of fail_on = error hosts", ["hosts"], gen)
            shutil.rmtree(os.path.join(gen, "roles"))
            same_every_way("fleet of fail_on = error hosts (no templates)", ["--format", "json", "."], gen)

        # --diff and --fix on copies.
        diff_src = os.path.join(tmp, "diff_src")
        shutil.copytree(FLEET, diff_src)
        for n in range(1, 7):
            write(os.path.join(diff_src, "more", f"h{n}", "main.cf"),
                  f"compatibility_level = 3.6\nsmtpd_client_restrictions = reject_rbl_client sbl.spamhaus.org, "
                  f"permit\nmyhostname = h{n}.example.net\n")
        same_every_way("--diff", ["--diff", "."], diff_src)
        results = []
        for jobs in ("1", "2"):
            copy = os.path.join(tmp, f"fix{jobs}")
            shutil.copytree(diff_src, copy)
            results.append((run(["check", "-j", jobs, "--fix", "."], copy), tree(copy)))
        check("--fix -j 2: the same files written and the same output as -j 1", results[0] == results[1],
              (results[0][0], results[1][0]))
        check("--fix changed something (the test means something)", results[0][1] != tree(diff_src))

        # A tool error in the middle: the run stops there, as the serial one does.
        bad = os.path.join(tmp, "bad")
        shutil.copytree(FLEET, bad)
        write(os.path.join(bad, "hosts", "mx2", ".postvet.cf"), "fail_on = sometimes\n")
        serial = same_every_way("a broken .postvet.cf in the second host", ["."], bad, want_rc=2)
        check("the broken .postvet.cf is named", "mx2/.postvet.cf" in serial[2] and serial[1] == "", serial)

        rc, out, err = run(["check", "-j", "0", "."], fleet)
        check("-j 0 is refused", rc == 2 and "jobs" in err, (rc, err))

    return pvtest.summary()


if __name__ == "__main__":
    sys.exit(main())
