#!/usr/bin/env python3
"""The examples of docs/ci.md, run on the throw-away repository of
integrations_fixture.py: the GitHub workflow's and the GitLab job's postvet
commands run in a shell as the runners would (exit codes, the annotations,
the SARIF and Code Quality files they upload), the documented baseline and
pre-commit configs checked against the shipped hook.

Fails (never skips) when the binary is missing.
"""
import json
import os
import re
import subprocess
import sys

from integrations_fixture import (BIN, EXPECTED, MX1_MAIN, SRC, check, check_gitlab_report, findings,
                                  parse_github, run, run_tests, write)


def doc_blocks():
    """The ```yaml / ```json blocks of docs/ci.md, by their first line."""
    text = open(os.path.join(SRC, "docs", "ci.md")).read()
    blocks = {}
    for lang, body in re.findall(r"```(yaml|json)\n(.*?)```", text, re.S):
        blocks[body.splitlines()[0] if lang == "yaml" else "json"] = body
    return blocks


def shell(script, repo, env=None):
    e = dict(os.environ)
    e.pop("GITHUB_ACTIONS", None)
    e["PATH"] = os.path.dirname(os.path.abspath(BIN)) + os.pathsep + e.get("PATH", "/usr/bin:/bin")
    e.update(env or {})
    return subprocess.run(["bash", "-e", "-c", script], cwd=repo, capture_output=True, text=True, env=e, timeout=120)


def make_clean(repo):
    write(os.path.join(repo, "hosts", "mx1", "main.cf"),
          MX1_MAIN.replace("dnsbl.sorbs.net", "zen.spamhaus.org=127.0.0.[2..11]"))
    write(os.path.join(repo, "hosts", "mx1", "header_checks"), "/^Subject: x/ REJECT no\n")
    write(os.path.join(repo, "hosts", "mx2", "main.cf"), "compatibility_level = 3.6\nmynetworks = 127.0.0.0/8\n")


def test_ci_docs(repo):
    """The workflow examples of docs/ci.md, run as far as possible offline."""
    try:
        import yaml  # python3-yaml, a dependency of pre-commit (TEST_DEPS)
    except ImportError:
        check("python3-yaml installed", False)
        return
    blocks = doc_blocks()
    names = ["# .github/workflows/postfix.yml", "# .gitlab-ci.yml", "# .pre-commit-config.yaml",
             "# .pre-commit-config.yaml (local hook)", "json"]
    check("docs/ci.md has every example", all(n in blocks for n in names), list(blocks))
    if not all(n in blocks for n in names):
        return

    # GitHub: the steps that run postvet, in order, as the runner would (bash -e).
    wf = yaml.safe_load(blocks[names[0]])
    check("workflow triggers", set(wf.get("on", wf.get(True)) or {}) >= {"push", "pull_request"}, wf)
    steps = list(wf["jobs"].values())[0]["steps"]
    runs = [s for s in steps if "postvet check" in s.get("run", "")]
    check("workflow has a lint and a SARIF step", len(runs) == 2, runs)
    upload = [s for s in steps if s.get("uses", "").startswith("github/codeql-action/upload-sarif")]
    check("workflow uploads SARIF, even after failing lint",
          len(upload) == 1 and upload[0].get("if") == "always()" and runs[-1].get("if") == "always()", upload)
    gha = {"GITHUB_ACTIONS": "true"}
    lint = shell(runs[0]["run"], repo, gha)
    check("workflow lint step fails on findings", lint.returncode == 1, lint.stderr)
    commands = parse_github(lint.stdout)
    check("workflow lint step prints one annotation per finding",
          len(commands) == len(EXPECTED) and None not in commands, lint.stdout)
    sarif = shell(runs[1]["run"], repo, gha)
    sarif_file = os.path.join(repo, upload[0]["with"]["sarif_file"]) if upload else ""
    check("workflow SARIF step passes with findings", sarif.returncode == 0, sarif.stderr)
    doc = json.load(open(sarif_file)) if os.path.isfile(sarif_file) else {}
    check("workflow SARIF file is what the upload names",
          doc.get("version") == "2.1.0" and len(doc["runs"][0]["results"]) == len(EXPECTED), sarif_file)
    broken = shell(runs[1]["run"].replace("hosts/*/", "hosts/missing/"), repo, gha)
    check("workflow SARIF step still fails when postvet cannot run", broken.returncode != 0, broken.stderr)

    # GitLab: the job's script lines in one shell; the report artifact.
    job = yaml.safe_load(blocks[names[1]])["postvet"]
    report = os.path.join(repo, job["artifacts"]["reports"]["codequality"])
    check("gitlab artifacts uploaded even when the job fails", job["artifacts"].get("when") == "always", job)
    script = "\n".join(job["script"])
    p = shell(script, repo)
    check("gitlab job fails on findings, log in text",
          p.returncode == 1 and "hosts/mx2/main.cf:2:14: error:" in p.stdout, p.stdout + p.stderr)
    issues = json.load(open(report)) if os.path.isfile(report) else None
    check("gitlab job writes the Code Quality report",
          isinstance(issues, list) and len(issues) == len(EXPECTED), issues)
    check_gitlab_report(issues or [], repo)

    # The documented baseline hides exactly mx1's dnsbl.sorbs.net.
    base = os.path.join(repo, "doc-baseline.json")
    write(base, blocks["json"])
    p = run(["check", "--format", "json", "--baseline", base, "hosts/mx1/"], repo)
    check("the documented baseline hides its entry", p.returncode == 1 and findings(p) == [EXPECTED[0]],
          p.stdout + p.stderr)

    # pre-commit: both configs name the hook; the local one matches the shipped hook.
    hooks = yaml.safe_load(open(os.path.join(SRC, ".pre-commit-hooks.yaml")))
    remote = yaml.safe_load(blocks[names[2]])["repos"][0]["hooks"][0]
    local = yaml.safe_load(blocks[names[3]])["repos"][0]
    check("pre-commit config uses the shipped hook id", remote["id"] == hooks[0]["id"] == "postvet", remote)
    check("local hook is the shipped hook",
          local["repo"] == "local" and all(local["hooks"][0][k] == hooks[0][k]
                                           for k in ("id", "entry", "language", "files", "require_serial")),
          (local, hooks))

    # On a clean configuration both jobs pass.
    make_clean(repo)
    check("clean config: workflow lint passes", shell(runs[0]["run"], repo, gha).returncode == 0)
    p = shell(script, repo)
    check("clean config: gitlab job passes with an empty report",
          p.returncode == 0 and json.load(open(report)) == [], p.stdout + p.stderr)


if __name__ == "__main__":
    sys.exit(run_tests((test_ci_docs,)))
