#!/usr/bin/env python3
"""`postvet probe DIR` on a directory of host config dirs (issue 22): each
config dir below DIR is probed with its own .postvet.cf, against the local
fault server of tests/probe_fixture.py (no network).

- text: one "== DIR ==" section per host, each with its zone table;
- json: {"version": 1, "dirs": [{"path", "report"}]}, each report the
  one-dir document with its "probe" member;
- a host's dead list makes the exit code 1, naming that host's main.cf;
- a directory with no config dir below it is exit 2.
"""
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import probe_fixture  # noqa: E402
from probe_fixture import check, postvet, write_config  # noqa: E402


def test_fleet(env):
    fleet = os.path.join(env.tmp, "fleet")
    write_config(os.path.join(fleet, "hosts", "mx1"),
                 "smtpd_client_restrictions = reject_rbl_client healthy.fault.test\n")
    write_config(os.path.join(fleet, "hosts", "mx2"),
                 "smtpd_client_restrictions = reject_rbl_client dead.fault.test\n")
    base = ["--resolver", f"127.0.0.1:{env.fault}", "--timeout", "400", "--tries", "1", "--color", "never"]
    p, _ = postvet(["probe", "hosts", *base], cwd=fleet)
    out = p.stdout
    check(p.returncode == 1, f"a dead list in mx2: want exit 1, got {p.returncode}: {p.stderr[:500]}")
    check("== hosts/mx1 ==" in out and "== hosts/mx2 ==" in out and out.index("== hosts/mx1 ==") <
          out.index("healthy.fault.test") < out.index("== hosts/mx2 ==") < out.index("dead.fault.test"),
          f"want a section per host, each with its zone: {out[:2000]}")
    check("hosts/mx2/main.cf:1:" in out and "hosts/mx1/main.cf:1:" not in out,
          f"the finding names mx2's main.cf only: {out[:2000]}")
    p, _ = postvet(["probe", "hosts", *base, "--format", "json"], cwd=fleet)
    try:
        doc = json.loads(p.stdout)
    except ValueError:
        doc = {}
    dirs = {d["path"]: d["report"] for d in doc.get("dirs", [])}
    check(set(dirs) == {"hosts/mx1", "hosts/mx2"} and all("probe" in r for r in dirs.values()) and
          not dirs["hosts/mx1"]["diagnostics"] and dirs["hosts/mx2"]["diagnostics"],
          f"json: one report per host: {p.stdout[:2000]} {p.stderr[:300]}")
    os.makedirs(os.path.join(env.tmp, "nothing", "here"), exist_ok=True)
    p, _ = postvet(["probe", "nothing", *base], cwd=env.tmp)
    check(p.returncode == 2 and "neither main.cf nor master.cf found" in p.stderr,
          f"no config dir below: exit 2, got {p.returncode}: {p.stderr[:300]}")


if __name__ == "__main__":
    sys.exit(probe_fixture.run([("probe on a directory of host dirs", test_fleet)]))
