#!/usr/bin/env python3
"""Command-line conventions: unknown rule selectors (--select, --ignore,
.postvet.cf select/ignore/severity_*/per_path_ignores) are errors that name
the selector and suggest the closest rule; a mistyped command suggests the
real one; usage and errors name the program; --postfix-version must be a
version; `show` prints a master.cf as `postconf -M` and accepts a config
dir; `rules --format json`; check's --statistics and --show-settings."""
import json
import os
import subprocess
import sys
import tempfile

import pvtest
from pvtest import BIN, SRC, check, write
DEMO = os.path.join(SRC, "testdata", "demo")


def run(args, cwd=None):
    env = dict(os.environ)
    env.pop("GITHUB_ACTIONS", None)
    return subprocess.run([BIN] + args, cwd=cwd, capture_output=True, text=True, env=env, timeout=60)


def postconf(directory, flag):
    """postconf's own listing of DIRECTORY (an empty main.cf beside it is enough)."""
    return subprocess.run(["postconf", "-c", directory, flag], capture_output=True, text=True)


with tempfile.TemporaryDirectory() as tmp:
    cfg = os.path.join(tmp, "cfg")
    write(os.path.join(cfg, "main.cf"), "compatibility_level = 3.6\nmynetworks = 0.0.0.0/0\n")

    # 1. Unknown selectors on the command line.
    for opt in ("--select", "--ignore"):
        p = run(["check", opt, "PV999", cfg])
        check(f"{opt} PV999 exits 2", p.returncode == 2, f"{p.returncode} {p.stderr}")
        check(f"{opt} PV999 names it and suggests an ID",
              "PV999" in p.stderr and "did you mean PV9" in p.stderr and p.stderr.startswith("postvet: "), p.stderr)
    p = run(["check", "--select", "PV1,PV9999", cfg])
    check("an unknown one in a list is found", p.returncode == 2 and '"PV9999"' in p.stderr, p.stderr)
    p = run(["check", "--select", "dangerous-dnsbI", cfg])
    check("a mistyped slug suggests the slug", p.returncode == 2 and "did you mean dangerous-dnsbl?" in p.stderr,
          p.stderr)
    p = run(["check", "--select", "PV8", cfg])
    check("an empty family is unknown", p.returncode == 2 and '"PV8"' in p.stderr, p.stderr)
    p = run(["check", "--select", "pv1,PV20,PV204,dangerous-dnsbl,ALL", "--format", "json", cfg])
    check("known selectors of every kind are accepted", p.returncode in (0, 1), p.stderr)
    p = run(["check", "--ignore", "nonsense-rule-name", cfg])
    check("an unknown slug far from any exits 2 and points to `postvet rules`",
          p.returncode == 2 and "postvet rules" in p.stderr, p.stderr)

    # ... and in .postvet.cf, with file and line.
    for key, value in (("select", "PV1, PV999"), ("ignore", "PV2O3"), ("severity_PV999", "error"),
                       ("per_path_ignores", "*.cf:PV101:PV999")):
        proj = os.path.join(tmp, "proj-" + key)
        write(os.path.join(proj, "main.cf"), "compatibility_level = 3.6\n")
        write(os.path.join(proj, ".postvet.cf"), f"# settings\n{key} = {value}\n")
        p = run(["check", proj])
        check(f".postvet.cf {key} with an unknown rule exits 2", p.returncode == 2, f"{p.returncode} {p.stderr}")
        check(f".postvet.cf {key}: the error names file, line, key and suggests",
              ".postvet.cf, line 2" in p.stderr and key in p.stderr and "did you mean PV" in p.stderr, p.stderr)
    proj = os.path.join(tmp, "proj-ok")
    write(os.path.join(proj, "main.cf"), "compatibility_level = 3.6\nmynetworks = 0.0.0.0/0\n")
    write(os.path.join(proj, ".postvet.cf"), "select = PV1, PV2, PV4, PV6\nignore = PV207\nseverity_PV2 = error\n"
          "per_path_ignores = *.cf:PV101:unknown-parameter\n")
    p = run(["check", proj])
    check("a .postvet.cf with known selectors works", p.returncode in (0, 1), p.stderr)

    # 2. Mistyped commands, program name, --postfix-version.
    p = run(["chek", cfg])
    check("`postvet chek` suggests check", p.returncode == 2 and 'did you mean "check"' in p.stderr, p.stderr)
    p = run(["shwo", os.path.join(cfg, "main.cf")])
    check("`postvet shwo` suggests show", p.returncode == 2 and 'did you mean "show"' in p.stderr, p.stderr)
    p = run(["main.cf"], cwd=cfg)
    check("a file name close to no command is still a path to check", p.returncode in (0, 1), p.stderr)
    p = run(["--help"])
    check("usage names the program", "Usage: postvet" in p.stdout, p.stdout[:300])
    p = run(["check", "--help"])
    check("check's usage names the program", "postvet" in p.stdout.split("\n", 2)[1] if p.stdout.count("\n") > 1
          else False, p.stdout[:300])
    p = run(["check", "--format", "nonsense", cfg])
    check("option errors name the program", p.returncode == 2 and p.stderr.startswith("postvet: "), p.stderr)
    for cmd in ("check", "tune"):
        p = run([cmd, "--postfix-version", "banana", cfg])
        check(f"{cmd} --postfix-version banana exits 2", p.returncode == 2 and "banana" in p.stderr, p.stderr)
    p = run(["check", "--postfix-version", "3.10", cfg])
    check("--postfix-version 3.10 is accepted", p.returncode in (0, 1), p.stderr)
    proj = os.path.join(tmp, "proj-version")
    write(os.path.join(proj, "main.cf"), "compatibility_level = 3.6\n")
    write(os.path.join(proj, ".postvet.cf"), "postfix_version = three\n")
    p = run(["check", proj])
    check(".postvet.cf postfix_version = three exits 2", p.returncode == 2 and "three" in p.stderr, p.stderr)

    # 3. show: master.cf as postconf -M (tests/master_oracle_test.py compares
    # --entries with postconf -M on many files), a directory.
    stock = os.path.join(tmp, "stock")
    write(os.path.join(stock, "main.cf"), "compatibility_level = 3.6\nmyhostname = mx.example.net\n")
    with open("/usr/share/postfix/master.cf.dist") as f:
        write(os.path.join(stock, "master.cf"), f.read())
    for n in ("main.cf", "master.cf"):
        os.utime(os.path.join(stock, n), (946684800, 946684800))
    stock_master = os.path.join(stock, "master.cf")
    want = postconf(stock, "-M")
    p = run(["show", stock_master])
    check("show master.cf exits 0", p.returncode == 0, p.stderr)
    check("show master.cf prints postconf -M", p.stdout == want.stdout and want.stdout,
          f"\n--- postconf -M\n{want.stdout}\n--- postvet\n{p.stdout}")
    p = run(["show", "--entries", stock_master])
    check("show --entries is the same", p.stdout == want.stdout, p.stdout)
    p = run(["show", os.path.join(DEMO, "master.cf")])
    check("show master.cf stops where postconf -M does",
          p.returncode == 2 and "line 11: bad field count" in p.stderr and not p.stdout, p.stderr)
    p = run(["show", stock])
    q = run(["show", os.path.join(stock, "main.cf")])
    check("show DIR prints its main.cf", p.returncode == q.returncode == 0 and p.stdout == q.stdout and p.stdout,
          p.stderr)
    p = run(["show", "--fields", stock])
    check("show --fields DIR prints its master.cf", p.returncode == 0 and p.stdout == postconf(stock, "-F").stdout,
          p.stderr)
    p = run(["show", "--fields", "--params", stock_master])
    check("show --fields --params is an error", p.returncode == 2, p.stderr)

    # 4. rules --format json.
    p = run(["rules", "--format", "json"])
    check("rules --format json exits 0", p.returncode == 0, p.stderr)
    try:
        doc = json.loads(p.stdout)
    except ValueError as e:
        doc = {}
        check("rules --format json is JSON", False, str(e))
    text = run(["rules"]).stdout.splitlines()[1:]
    rules = doc.get("rules", [])
    check("rules json has version 1", doc.get("version") == 1, str(doc)[:200])
    check("rules json lists what the text lists",
          [r["id"] for r in rules] == [line.split()[0] for line in text] and len(rules) > 40, str(len(rules)))
    check("rules json members", all(set(r) == {"id", "slug", "severity", "fix", "summary"} for r in rules))
    check("rules json fix values", {r["fix"] for r in rules} <= {"none", "safe", "unsafe", "sometimes"},
          str({r["fix"] for r in rules}))
    by_id = {r["id"]: r for r in rules}
    check("rules json agrees with the text",
          all(by_id[line.split()[0]]["slug"] == line.split()[1] and by_id[line.split()[0]]["severity"] ==
              line.split()[2] for line in text))
    p = run(["rules", "--format", "yaml"])
    check("rules --format yaml exits 2", p.returncode == 2, p.stderr)

    # 5. check --statistics and --show-settings.
    report = json.loads(run(["check", "--format", "json", DEMO]).stdout)["diagnostics"]
    counts = {}
    for d in report:
        counts[d["rule"]] = counts.get(d["rule"], 0) + 1
    p = run(["check", "--statistics", DEMO])
    q = run(["check", DEMO])
    check("--statistics keeps the exit code", p.returncode == q.returncode == 1, f"{p.returncode} {p.stderr}")
    rows = [line.split() for line in p.stdout.splitlines()]
    check("--statistics: one line per rule with its count",
          {r[1]: int(r[0]) for r in rows} == counts and len(rows) == len(counts), p.stdout)
    check("--statistics: most frequent first", [int(r[0]) for r in rows] == sorted((int(r[0]) for r in rows),
                                                                                  reverse=True), p.stdout)
    fixable = {d["rule"] for d in report if d["fix"] and d["fix"]["applicability"] == "safe"}
    check("--statistics: [*] marks the rules --fix fixes",
          all((r[3] == "[*]") == (r[1] in fixable) for r in rows), p.stdout)
    p = run(["check", "--statistics", "--format", "json", DEMO])
    stats = json.loads(p.stdout)["statistics"] if p.returncode == 1 else []
    check("--statistics --format json", {s["rule"]: s["count"] for s in stats} == counts, p.stdout[:300])
    p = run(["check", "--statistics", "--select", "PV204", DEMO])
    check("--statistics follows --select", [r[1] for r in (line.split() for line in p.stdout.splitlines())]
          == ["PV204"], p.stdout)

    proj = os.path.join(tmp, "settings")
    write(os.path.join(proj, ".postvet.cf"), "# team settings\nselect = PV1, PV2\nseverity_PV203 = error\n"
          "min_smtpd_processes = 150\n")
    write(os.path.join(proj, "mx", "main.cf"), "compatibility_level = 3.6\n")
    p = run(["check", "--show-settings", "mx"], cwd=proj)
    lines = {line.split(" =")[0]: line for line in p.stdout.splitlines() if not line.startswith("#")}
    check("--show-settings exits 0 and lints nothing", p.returncode == 0 and "PV" not in p.stderr, p.stderr)
    check("--show-settings names the config file", "# settings for mx (.postvet.cf)" in p.stdout, p.stdout)
    check("--show-settings: a set key and its line",
          lines.get("select", "").startswith("select = PV1, PV2 ") and
          lines["select"].endswith("# .postvet.cf, line 2"), p.stdout)
    check("--show-settings: severity_ and thresholds",
          lines.get("severity_PV203", "").endswith("# .postvet.cf, line 3") and
          "= 150" in lines.get("min_smtpd_processes", ""), p.stdout)
    check("--show-settings: defaults say so", lines.get("header_group_threshold", "").endswith("# default") and
          lines.get("postfix_version", "").startswith("postfix_version = 3.7 "), p.stdout)
    p = run(["check", "--show-settings", "--postfix-version", "3.9", "--ignore", "PV207", "--fail-on", "error",
             "mx"], cwd=proj)
    lines = {line.split(" =")[0]: line for line in p.stdout.splitlines() if not line.startswith("#")}
    check("--show-settings: command-line options win and say so",
          lines.get("postfix_version", "").endswith("# --postfix-version") and "3.9" in lines["postfix_version"]
          and lines.get("ignore", "").endswith("# --ignore") and lines.get("fail_on", "").endswith("# --fail-on"),
          p.stdout)
    p = run(["check", "--show-settings", cfg])
    check("--show-settings without a .postvet.cf", "built-in defaults" in p.stdout, p.stdout)

sys.exit(pvtest.summary())
