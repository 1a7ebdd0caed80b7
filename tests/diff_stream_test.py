#!/usr/bin/env python3
"""`postvet diff` streams its report (issue 20): the json document splices
the reporter's diagnostics array in as it streams by, so a report spanning
many 64 KiB chunks must still be one valid document whose new_findings are
check's diagnostics, and the text and CI formats must carry the findings
whole."""
import json
import os
import subprocess
import sys
import tempfile

import pvtest
from pvtest import BIN, check, write


def run(args):
    env = dict(os.environ)
    env.pop("GITHUB_ACTIONS", None)
    return subprocess.run([BIN] + args, capture_output=True, text=True, env=env, timeout=120)


with tempfile.TemporaryDirectory() as tmp:
    main_cf = "header_checks = regexp:/etc/postfix/header_checks\n"
    old, new = os.path.join(tmp, "old"), os.path.join(tmp, "new")
    for d, table in ((old, "/^Subject: .*win/ REJECT spam\n"), (new, "/^Subject: .*win/ REJECT spam\n" * 3000)):
        write(os.path.join(d, "main.cf"), main_cf)
        write(os.path.join(d, "master.cf"), "")
        write(os.path.join(d, "header_checks"), table)

    p = run(["diff", "--format", "json", old, new])
    try:
        doc = json.loads(p.stdout)
    except ValueError as e:
        doc = {"error": str(e)}
    check("diff json is one document", sorted(doc) == ["changes", "new_findings", "version"], (sorted(doc), p.stderr))
    found = doc.get("new_findings", [])
    check("the new table brings thousands of findings", len(found) >= 2999, len(found))
    check("diff json spans many chunks and ends its document", len(p.stdout) > 3 * 65536 and p.stdout.endswith("\n}\n"),
          len(p.stdout))

    # The same findings, in the same order, as the gcc format prints them
    # (the finding lines; notes follow each as "note:" lines).
    gcc = run(["diff", "--format", "gcc", old, new])
    lines = [l for l in gcc.stdout.splitlines() if ": note: " not in l]
    expected = [f"{d['file']}:{d['line']}:{d['column']}: {d['severity']}: {d['message']} [{d['rule']}]" for d in found]
    check("diff json's new findings are the gcc format's, in order", lines == expected,
          (len(lines), len(expected), lines[:1], expected[:1]))

    text = run(["diff", "--format", "text", old, new])
    check("diff text reports them all, with the summary line last",
          f"{len(found)} new finding(s)" in text.stdout and text.stdout.count(" [PV") == len(found)
          and text.stdout.rstrip("\n").rsplit("\n", 1)[-1].startswith("0 errors, "),
          (text.stdout[:300], text.stdout[-300:]))

    none = run(["diff", "--format", "json", old, old])
    check("diff json without new findings has an empty array",
          json.loads(none.stdout)["new_findings"] == [] and none.stdout.endswith("\n}\n"), none.stdout[-200:])

    bad = run(["diff", "--format", "yaml", old, new])
    check("an unknown format is a tool error with nothing on stdout", bad.returncode == 2 and bad.stdout == "",
          (bad.returncode, bad.stdout[:100], bad.stderr))

sys.exit(pvtest.summary())
