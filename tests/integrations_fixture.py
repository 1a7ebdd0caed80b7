"""Shared by the integration tests (integrations_test.py,
integrations_ci_docs_test.py): the throw-away repository of config dirs
(hosts/mx1, hosts/mx2) with its expected findings, running postvet, the
check counter, and GitHub workflow commands parsed back as the runner reads
them."""
import json
import os
import re
import subprocess

from pvtest import BIN, SRC, write
counts = {"passed": 0, "failed": 0}


def check(name, cond, detail=""):
    if cond:
        counts["passed"] += 1
    else:
        counts["failed"] += 1
        print(f"FAIL: {name} {str(detail)[:2000]}")


def run(args, cwd, env=None):
    e = dict(os.environ)
    e.pop("GITHUB_ACTIONS", None)
    e.pop("NO_COLOR", None)
    e.update(env or {})
    return subprocess.run([BIN] + args, cwd=cwd, capture_output=True, text=True, env=e, timeout=120)


def findings(proc):
    """(file, line, rule) of a json report."""
    doc = json.loads(proc.stdout)
    return sorted((d["file"], d["line"], d["rule"]) for d in doc["diagnostics"])


MX1_MAIN = ("compatibility_level = 3.6\nmynetworks = 127.0.0.0/8\n"
            "postscreen_dnsbl_sites = dnsbl.sorbs.net\n"
            "header_checks = regexp:/etc/postfix/header_checks\n")
MX1_CHECKS = "/^Subject: x/ REJEKT no\n"
# PV001 quotes the line: % , : in the message test GitHub's escaping.
MX2_MAIN = "compatibility_level = 3.6\nmynetworks = 0.0.0.0/0\nsmtpd_banner 100% $myhostname, ok: yes\n"
EXPECTED = [("hosts/mx1/header_checks", 1, "PV303"), ("hosts/mx1/main.cf", 3, "PV203"),
            ("hosts/mx2/main.cf", 2, "PV602"), ("hosts/mx2/main.cf", 3, "PV001")]


def make_repo(root):
    write(os.path.join(root, ".git", "HEAD"), "ref: refs/heads/main\n")  # ends the .postvet.cf walk
    write(os.path.join(root, "hosts", "mx1", "main.cf"), MX1_MAIN)
    write(os.path.join(root, "hosts", "mx1", "header_checks"), MX1_CHECKS)
    write(os.path.join(root, "hosts", "mx2", "main.cf"), MX2_MAIN)


def gh_unescape(text, prop):
    if prop:
        text = text.replace("%3A", ":").replace("%2C", ",")
    return text.replace("%0D", "\r").replace("%0A", "\n").replace("%25", "%")


def parse_github(output):
    """Workflow commands -> dicts, as the Actions runner reads them."""
    out = []
    for line in output.splitlines():
        m = re.fullmatch(r"::(error|warning|notice) ([^:]*)::(.*)", line)
        if not m:
            out.append(None)
            continue
        props = {}
        for item in m.group(2).split(","):
            key, _, value = item.partition("=")
            props[key] = gh_unescape(value, True)
        out.append({"level": m.group(1), "props": props, "message": gh_unescape(m.group(3), False)})
    return out


def check_gitlab_report(issues, repo):
    """The fields GitLab's Code Quality report requires, with their types."""
    fingerprints = set()
    check("gitlab: a JSON array", isinstance(issues, list), issues)
    for i in issues:
        check("gitlab description", isinstance(i.get("description"), str) and i["description"], i)
        check("gitlab check_name", re.fullmatch(r"PV\d{3}", i.get("check_name", "")), i)
        check("gitlab fingerprint", isinstance(i.get("fingerprint"), str) and i["fingerprint"], i)
        check("gitlab severity", i.get("severity") in {"info", "minor", "major", "critical", "blocker"}, i)
        loc = i.get("location", {})
        path = loc.get("path", "")
        check("gitlab path relative to the repo, no ./",
              path and not path.startswith(("/", "./")) and os.path.isfile(os.path.join(repo, path)), path)
        begin = loc.get("lines", {}).get("begin")
        check("gitlab lines.begin is a line number", isinstance(begin, int) and begin >= 1, loc)
        fingerprints.add(i.get("fingerprint"))
    check("gitlab fingerprints unique", len(fingerprints) == len(issues), fingerprints)
    return fingerprints


def run_tests(tests):
    """Each test on a fresh repository; the exit status of the script."""
    import tempfile
    if not os.access(BIN, os.X_OK):
        print(f"FAIL: postvet binary {BIN} missing")
        return 1
    for test in tests:
        with tempfile.TemporaryDirectory() as tmp:
            repo = os.path.join(tmp, "repo")
            make_repo(repo)
            test(repo)
    print(f"{counts['passed']} passed, {counts['failed']} failed")
    return 1 if counts["failed"] or not counts["passed"] else 0
