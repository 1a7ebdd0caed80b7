#!/usr/bin/env python3
"""CI and editor integrations of `postvet check`, run on a throw-away
repository of several config dirs (hosts/mx1, hosts/mx2, ...):

- many config dirs in one run (`hosts/*/`), paths relative to the current
  directory however they were spelled (./, //, absolute below the cwd), each
  dir and file linted once;
- files given one by one (what pre-commit passes): grouped with their config
  dir so cross-file rules work, reported only for the files given; files the
  config does not name still linted; --root for tables outside the dir;
- --format auto: github under GITHUB_ACTIONS=true, text otherwise;
- the github format parsed back (GitHub's %-escaping undone) and compared with
  the json report of the same run;
- the gitlab format checked against the GitLab Code Quality fields;
- baseline round trip: generate, hide, a new finding shows, lines moving do
  not matter, counts matter, stale entries listed, bad baselines exit 2;
- (the examples of docs/ci.md: integrations_ci_docs_test.py).

Fails (never skips) when the binary is missing.
"""
import glob
import json
import os
import re
import sys
import tempfile

from integrations_fixture import (EXPECTED, MX1_CHECKS, MX1_MAIN, MX2_MAIN, check, check_gitlab_report, findings,
                                  parse_github, run, run_tests, write)


def test_multi_dir_and_paths(repo):
    dirs = sorted(glob.glob("hosts/*/", root_dir=repo))
    check("glob finds both hosts", dirs == ["hosts/mx1/", "hosts/mx2/"], dirs)
    p = run(["check", "--format", "json"] + dirs, repo)
    check("multi-dir run exits 1", p.returncode == 1, p.stderr)
    check("multi-dir findings, relative paths", findings(p) == EXPECTED, p.stdout)

    # The same dirs spelled differently, some twice: the same report, each once.
    spelled = ["./hosts/mx1", os.path.join(repo, "hosts", "mx2"), "hosts//mx2/", "hosts/mx1/./",
               "hosts/mx1/main.cf"]
    p = run(["check", "--format", "json"] + spelled, repo)
    check("./, //, absolute below cwd: shown relative, once", findings(p) == EXPECTED, p.stdout)
    p = run(["check", "--format", "gcc", "./hosts/mx2/"], repo)
    check("gcc format names hosts/mx2/main.cf", p.stdout.startswith("hosts/mx2/main.cf:2:14: error:"), p.stdout)

    # From inside a config dir: "." is shown as plain names.
    p = run(["check", "--format", "json", "."], os.path.join(repo, "hosts", "mx2"))
    check("'.' shows main.cf", findings(p) == [("main.cf", 2, "PV602"), ("main.cf", 3, "PV001")], p.stdout)
    # From elsewhere: paths outside the cwd stay as given (absolute) or relative with ..
    with tempfile.TemporaryDirectory() as other:
        p = run(["check", "--format", "json", os.path.join(repo, "hosts", "mx2")], other)
        files = {f for f, _, _ in findings(p)}
        check("absolute outside cwd stays absolute", files == {os.path.join(repo, "hosts", "mx2", "main.cf")}, files)
    p = run(["check", "--format", "json", "../mx2"], os.path.join(repo, "hosts", "mx1"))
    check("../ kept", {f for f, _, _ in findings(p)} == {"../mx2/main.cf"}, p.stdout)

    p = run(["check", "hosts/mx1", "hosts/missing"], repo)
    check("a missing dir among many exits 2 naming it", p.returncode == 2 and "hosts/missing" in p.stderr, p.stderr)


def test_files_given_one_by_one(repo):
    # pre-commit passes changed files: the table is linted with its config dir
    # (it knows which parameter uses it) and only its findings are reported.
    p = run(["check", "--format", "json", "hosts/mx1/header_checks"], repo)
    doc = json.loads(p.stdout)
    check("table alone: only its findings", findings(p) == [EXPECTED[0]], p.stdout)
    check("table linted with its main.cf (use known, not guessed)",
          doc["diagnostics"] and "judged by its file name" not in json.dumps(doc["diagnostics"][0]), p.stdout)
    p = run(["check", "--format", "json", "hosts/mx1/main.cf", "hosts/mx2/main.cf"], repo)
    check("main.cf files: only theirs", findings(p) == [EXPECTED[1], EXPECTED[2], EXPECTED[3]], p.stdout)

    # A table no main.cf names is still linted (on its own), never skipped.
    write(os.path.join(repo, "hosts", "mx1", "extra.pcre"), "/(unbalanced/ REJECT no\n")
    p = run(["check", "--format", "json", "hosts/mx1/extra.pcre", "hosts/mx1/header_checks"], repo)
    check("unnamed table linted alone", findings(p) == [("hosts/mx1/extra.pcre", 1, "PV302"), EXPECTED[0]],
          p.stdout)
    os.remove(os.path.join(repo, "hosts", "mx1", "extra.pcre"))

    # A table in a subdirectory of the config dir groups with the dir above.
    write(os.path.join(repo, "hosts", "mx3", "main.cf"),
          "compatibility_level = 3.6\nmynetworks = 127.0.0.0/8\nbody_checks = pcre:/etc/postfix/maps/body.pcre\n")
    write(os.path.join(repo, "hosts", "mx3", "maps", "body.pcre"), "/(unbalanced/ REJECT x\n")
    p = run(["check", "--format", "json", "hosts/mx3/maps/body.pcre"], repo)
    doc = json.loads(p.stdout)
    check("nested table reported", findings(p) == [("hosts/mx3/maps/body.pcre", 1, "PV302")], p.stdout)
    check("nested table linted with hosts/mx3 (used by body_checks)",
          any("used by body_checks" in n["message"] for d in doc["diagnostics"] for n in d.get("notes", [])),
          p.stdout)

    # A file in the current directory: "main.cf", not "./main.cf".
    p = run(["check", "--format", "json", "main.cf"], os.path.join(repo, "hosts", "mx2"))
    check("cwd file shown as main.cf", {f for f, _, _ in findings(p)} == {"main.cf"}, p.stdout)


def test_root_mapping(repo):
    # Tables outside /etc/postfix (here /srv/maps) are found under --root,
    # for every config dir of the run.
    for host in ("mx4", "mx5"):
        write(os.path.join(repo, "hosts", host, "main.cf"),
              "compatibility_level = 3.6\nmynetworks = 127.0.0.0/8\nheader_checks = regexp:/srv/maps/header_checks\n")
    write(os.path.join(repo, "srv", "maps", "header_checks"), MX1_CHECKS)
    p = run(["check", "--format", "json", "hosts/mx4", "hosts/mx5"], repo)
    check("without --root the table is not read", p.returncode == 0 and findings(p) == [], p.stdout + p.stderr)
    p = run(["check", "--format", "gitlab", "--root", ".", "hosts/mx4", "hosts/mx5"], repo)
    paths = [i["location"]["path"] for i in json.loads(p.stdout)]
    check("--root maps /srv/maps for each dir", p.returncode == 1 and paths == ["srv/maps/header_checks"] * 2,
          p.stdout + p.stderr)
    p = run(["check", "--format", "json", "--root", "../..", "."], os.path.join(repo, "hosts", "mx4"))
    check("--root relative to a config dir checked as '.'",
          findings(p) == [("../../srv/maps/header_checks", 1, "PV303")], p.stdout + p.stderr)


def test_format_auto(repo):
    p = run(["check", "hosts/mx2"], repo, {"GITHUB_ACTIONS": "true"})
    lines = p.stdout.splitlines()
    check("auto under GITHUB_ACTIONS=true is github",
          len(lines) == 2 and all(re.match(r"::error file=hosts/mx2/main\.cf,line=\d+,", l) for l in lines), p.stdout)
    for env in ({}, {"GITHUB_ACTIONS": "false"}):
        p = run(["check", "hosts/mx2"], repo, env)
        check(f"auto with {env or 'no GITHUB_ACTIONS'} is text",
              "::error" not in p.stdout and "hosts/mx2/main.cf:2:14: error:" in p.stdout, p.stdout)
    p = run(["check", "--format", "text", "hosts/mx2"], repo, {"GITHUB_ACTIONS": "true"})
    check("an explicit --format wins over GITHUB_ACTIONS", "::error" not in p.stdout, p.stdout)
    out = os.path.join(repo, "report.txt")
    p = run(["check", "--output", out, "hosts/mx2"], repo, {"GITHUB_ACTIONS": "true"})
    check("--output gets the github report, stdout nothing",
          p.returncode == 1 and p.stdout == "" and open(out).read().startswith("::error file="), p.stdout)
    os.remove(out)


def test_github_round_trip(repo):
    # A dir name with , and : (property separators) and a message with % , :
    weird = os.path.join("hosts", "mx,9:odd")
    write(os.path.join(repo, weird, "main.cf"), MX2_MAIN)
    write(os.path.join(repo, "hosts", "mx1", "master.cf"),
          "smtp      inet  n       -       y       -       -       smtpd\n  -o stress=yes\n")
    args = ["hosts/mx1", weird]
    gh = run(["check", "--format", "github"] + args, repo)
    js = run(["check", "--format", "json"] + args, repo)
    diags = json.loads(js.stdout)["diagnostics"]
    parsed = parse_github(gh.stdout)
    check("every github line is a workflow command", parsed and None not in parsed, gh.stdout)
    check("one github line per json finding", len(parsed) == len(diags), (len(parsed), len(diags)))
    level = {"error": "error", "warning": "warning", "info": "notice"}
    for cmd, d in zip(parsed, diags):
        if cmd is None:
            continue
        p = cmd["props"]
        check("github file", p.get("file") == d["file"], (p, d["file"]))
        check("github line/col", (int(p["line"]), int(p.get("col", d["column"]))) == (d["line"], d["column"]), p)
        check("github endLine", int(p["endLine"]) == d["end_line"], p)
        check("github level", cmd["level"] == level[d["severity"]], cmd)
        check("github title is the rule", p["title"].split(" ")[0] == d["rule"], p)
        msg = cmd["message"]
        # The message, its detail notes (notes without a place) as further
        # sentences, then the located notes and the fix on lines of their own.
        details = [n["message"] for n in d["notes"] if "file" not in n]
        check("github message decodes to the json message and its detail notes",
              msg.startswith(d["message"]) and all(t in msg for t in details), (msg, d["message"]))
        for note in d["notes"]:
            check("github message carries the notes", note["message"] in msg, msg)
    check("the odd dir name round-trips", any(c and c["props"]["file"] == weird + "/main.cf" for c in parsed),
          gh.stdout)
    check("the % message round-trips", any(c and "100% $myhostname, ok: yes" in c["message"] for c in parsed),
          gh.stdout)
    os.remove(os.path.join(repo, "hosts", "mx1", "master.cf"))


def test_gitlab_fields(repo):
    p = run(["check", "--format", "gitlab", "./hosts/mx1/", os.path.join(repo, "hosts", "mx2")], repo)
    issues = json.loads(p.stdout)
    check("gitlab: one issue per finding", len(issues) == 4, p.stdout)
    fingerprints = check_gitlab_report(issues, repo)
    # Fingerprints ignore line numbers: a comment on top changes none.
    main = os.path.join(repo, "hosts", "mx2", "main.cf")
    write(main, "# moved\n\n" + MX2_MAIN)
    q = run(["check", "--format", "gitlab", "./hosts/mx1/", os.path.join(repo, "hosts", "mx2")], repo)
    check("gitlab fingerprints survive moved lines", {i["fingerprint"] for i in json.loads(q.stdout)} == fingerprints,
          q.stdout)
    write(main, MX2_MAIN)


def test_baseline(repo):
    base = os.path.join(repo, "baseline.json")
    dirs = ["hosts/mx1/", "hosts/mx2/"]
    p = run(["check", "--generate-baseline", base] + dirs, repo)
    check("--generate-baseline exits 0 and says so", p.returncode == 0 and "4 findings" in p.stderr, p.stderr)
    doc = json.load(open(base))
    entries = doc.get("entries", [])
    check("baseline file: version 1, keyed on file/rule/subject with counts",
          doc.get("version") == 1 and all(set(e) == {"file", "rule", "subject", "count"} for e in entries), doc)
    check("baseline entries: the four findings, relative paths",
          sorted((e["file"], e["rule"]) for e in entries) == sorted((f, r) for f, _, r in EXPECTED), entries)
    check("baseline subjects name what is wrong",
          {"dnsbl.sorbs.net", "REJEKT", "0.0.0.0/0"} <= {e["subject"] for e in entries}, entries)

    p = run(["check", "--format", "json", "--baseline", base] + dirs, repo)
    check("baseline hides every known finding, exit 0", p.returncode == 0 and findings(p) == [], p.stdout)
    p = run(["check", "--format", "json", "--baseline", base, os.path.join(repo, "hosts", "mx1"), "./hosts/mx2"], repo)
    check("baseline matches however the paths are spelled", p.returncode == 0 and findings(p) == [], p.stdout)

    # Lines move, a finding is fixed, a new one and a second copy of a known one appear.
    write(os.path.join(repo, "hosts", "mx1", "main.cf"),
          "# a new header\n#\n\n" + MX1_MAIN.replace("dnsbl.sorbs.net", "zen.spamhaus.org=127.0.0.[2..11]")
          + "smtpd_client_restrictions = permit_mynetworks, reject_rbl_client dnsbl.sorbs.net\n")
    write(os.path.join(repo, "hosts", "mx2", "main.cf"),
          "# moved\n" + MX2_MAIN + "smtpd_client_restrictions = permit_mynetworks, reject_rbl_client dnsbl.ahbl.org\n")
    plain = run(["check", "--format", "json"] + dirs, repo)
    p = run(["check", "--format", "json", "--baseline", base, "--baseline-report"] + dirs, repo)
    new = findings(p)
    check("only the new finding shows", [(f, r) for f, _, r in new] == [("hosts/mx2/main.cf", "PV204")],
          (new, findings(plain)))
    check("moved known findings stay hidden", ("hosts/mx2/main.cf", 4, "PV001") in findings(plain)
          and ("hosts/mx2/main.cf", 4, "PV001") not in new, findings(plain))
    check("a new finding exits 1", p.returncode == 1, p.stderr)
    check("moved PV203 (same zone, same file) still hidden",
          [(f, r) for f, _, r in findings(plain) if r == "PV203"] == [("hosts/mx1/main.cf", "PV203")]
          and all(r != "PV203" for _, _, r in new),
          findings(plain))
    check("--baseline-report: no stale entries", "no stale entries" in p.stderr, p.stderr)

    # Count-aware: two uses of the known zone, one baselined: one shows.
    write(os.path.join(repo, "hosts", "mx1", "main.cf"),
          MX1_MAIN + "smtpd_client_restrictions = permit_mynetworks, reject_rbl_client dnsbl.sorbs.net\n")
    p = run(["check", "--format", "json", "--baseline", base] + dirs, repo)
    check("a second copy of a known key is new",
          [(f, r) for f, _, r in findings(p) if f.startswith("hosts/mx1")] == [("hosts/mx1/main.cf", "PV203")],
          p.stdout)

    # Stale: the REJEKT fixed; listed on stderr, stdout as usual.
    write(os.path.join(repo, "hosts", "mx1", "header_checks"), "/^Subject: x/ REJECT no\n")
    p = run(["check", "--format", "json", "--baseline", base, "--baseline-report"] + dirs, repo)
    check("stale entry listed", "1 stale" in p.stderr and 'hosts/mx1/header_checks: PV303 "REJEKT"' in p.stderr,
          p.stderr)
    check("stale report leaves stdout a valid report", isinstance(json.loads(p.stdout), dict), p.stdout)
    p = run(["check", "--format", "json", "--baseline", base] + dirs, repo)
    check("no stale list without --baseline-report", "stale" not in p.stderr, p.stderr)
    # Only the files checked can have stale entries (a pre-commit run on mx2).
    p = run(["check", "--baseline", base, "--baseline-report", "hosts/mx2/main.cf"], repo)
    check("files not checked are not stale", "no stale entries" in p.stderr, p.stderr)

    # Errors: unreadable or malformed baselines, contradictory options.
    for name, text in (("missing.json", None), ("bad.json", "{\"version\": 1, \"entries\": [}"),
                       ("v2.json", "{\"version\": 2, \"entries\": []}")):
        path = os.path.join(repo, name)
        if text is not None:
            write(path, text)
        p = run(["check", "--baseline", path] + dirs, repo)
        check(f"baseline {name} exits 2 naming it", p.returncode == 2 and name in p.stderr, p.stderr)
    p = run(["check", "--baseline-report"] + dirs, repo)
    check("--baseline-report needs --baseline", p.returncode == 2, p.stderr)
    p = run(["check", "--baseline", base, "--generate-baseline", base] + dirs, repo)
    check("--baseline and --generate-baseline exclude each other", p.returncode == 2, p.stderr)
    write(os.path.join(repo, "hosts", "mx1", "main.cf"), MX1_MAIN)
    write(os.path.join(repo, "hosts", "mx1", "header_checks"), MX1_CHECKS)
    write(os.path.join(repo, "hosts", "mx2", "main.cf"), MX2_MAIN)


def main():
    return run_tests((test_multi_dir_and_paths, test_files_given_one_by_one, test_root_mapping, test_format_auto,
                      test_github_round_trip, test_gitlab_fields, test_baseline))


if __name__ == "__main__":
    sys.exit(main())
