#!/usr/bin/env python3
"""The PV90x fixtures (testdata/rules/PV90x/{fire,clean,fixed}), which the
rule meta-test (tests/rule_fixtures_test.py) leaves to this test because
they need a DNS server: the local servers of tests/probe_fixture.py.

Checked: each fire/ fixture reports its rule and each clean/ one does not;
the snapshots testdata/rules/PV90x/fire.expected (format and
POSTVET_UPDATE_SNAPSHOTS=1: tests/rule_snapshot.py; the test server's port,
timestamps and measured times are replaced by placeholders) and the message
shape of docs/messages.md; a probe-derived fix is unsafe, applies only with
--unsafe-fixes, says what the probe saw and when, gives a --diff that
applies, reaches fixed/ and is idempotent.
"""

import os
import re
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import probe_fixture  # noqa: E402
import rule_snapshot  # noqa: E402
from probe_fixture import FIXTURES, check, diagnostics, files_of, postvet  # noqa: E402


def normalize_probe(text):
    """What differs between runs of the probe fixtures, as placeholders."""
    text = re.sub(r"127\.0\.0\.1:\d+", "127.0.0.1:PORT", text)
    text = re.sub(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC", "TIME", text)
    return re.sub(r"\b\d+(\.\d+)? ?(ms|s)\b(?! threshold)", "N \\2", text)


def test_fixtures(tmp, dns):
    probe = ["--probe", "--resolver", f"127.0.0.1:{dns}", "--timeout", "500"]
    listing, _ = postvet(["rules"])
    for rid in ("PV901", "PV902", "PV903", "PV904", "PV905"):
        fixture = os.path.join(FIXTURES, rid)
        for sub, want in (("fire", True), ("clean", False)):
            d = os.path.join(fixture, sub)
            if not check(os.path.isdir(d), f"{rid}: missing testdata/rules/{rid}/{sub}/"):
                continue
            p, _ = postvet(["check", sub, "--format", "json", "--fail-on", "info", "--select", rid, *probe],
                           cwd=fixture)
            every = diagnostics(p)
            got = [x for x in every if x["rule"] == rid]
            check(bool(got) == want, f"{rid}/{sub}: {'no finding' if want else got[:1]}")
            if sub == "fire":
                problem = rule_snapshot.compare(rid, fixture, rule_snapshot.render(every, fixture, normalize_probe))
                check(problem is None, problem)
                print(f"{rid} message length: {rule_snapshot.length_summary([x['message'] for x in every])}")
                for x in every:
                    problems = rule_snapshot.shape_problems(x["message"])
                    check(not problems, f"{x['rule']}: message shape (docs/messages.md): {', '.join(problems or [])}: "
                                        f"{x['message']!r}")
        fix_kind = next((l.split()[3] for l in listing.stdout.splitlines() if l.startswith(rid)), "-")
        if fix_kind == "-":
            continue
        fixed = os.path.join(fixture, "fixed")
        if not check(os.path.isdir(fixed), f"{rid}: has a fix but no fixed/"):
            continue
        check(fix_kind == "unsafe", f"{rid}: a probe-derived fix must be unsafe, `postvet rules` says {fix_kind}")
        work = os.path.join(tmp, f"fix-{rid}")
        shutil.copytree(os.path.join(fixture, "fire"), work)
        # Without --unsafe-fixes nothing is touched, and the fix says what was seen and when.
        p, _ = postvet(["check", work, "--select", rid, "--fix", *probe])
        check(files_of(work) == files_of(os.path.join(fixture, "fire")), f"{rid}: --fix alone applied a probe fix")
        p, _ = postvet(["check", work, "--select", rid, "--format", "json", *probe])
        fixes = [x["fix"] for x in diagnostics(p) if x["rule"] == rid and x["fix"]]
        check(fixes and all(f["applicability"] == "unsafe" for f in fixes), f"{rid}: fixes not unsafe: {fixes}")
        t, _ = postvet(["check", work, "--select", rid, "--color", "never", *probe])
        check(re.search(r"fix \(unsafe.*the probe at \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC through 127\.0\.0\.1:\d+ "
                        r"\(--resolver\) saw ", t.stdout) is not None,
              f"{rid}: the fix text does not say what was observed and when: {t.stdout[:600]!r}")
        unsafe = probe + ["--unsafe-fixes"]
        d, _ = postvet(["check", f"fix-{rid}", "--select", rid, "--diff", *unsafe], cwd=tmp)
        if check(d.stdout.startswith("--- a/"), f"{rid}: --diff printed no patch: {d.stdout[:200]!r}"):
            with open(os.path.join(tmp, "fix.patch"), "w") as f:
                f.write(d.stdout)
            subprocess.run(["git", "init", "-q"], cwd=tmp)
            g = subprocess.run(["git", "apply", "--check", "fix.patch"], cwd=tmp, capture_output=True, text=True)
            check(g.returncode == 0, f"{rid}: --diff does not apply: {g.stderr.strip()}")
        postvet(["check", work, "--select", rid, "--fix", *unsafe])
        got, want = files_of(work), files_of(fixed)
        for name, data in want.items():
            check(got.get(name) == data, f"{rid}: after --fix, {name} differs from fixed/:\n{got.get(name)!r}")
        before = files_of(work)
        postvet(["check", work, "--select", rid, "--fix", *unsafe])
        check(files_of(work) == before, f"{rid}: a second --fix changed the files")


def main():
    return probe_fixture.run([
        ('fixtures', lambda e: test_fixtures(e.tmp, e.dns))])


if __name__ == "__main__":
    sys.exit(main())
