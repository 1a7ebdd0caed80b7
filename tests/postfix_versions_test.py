#!/usr/bin/env python3
"""One configuration judged for Postfix 3.5, 3.7 and 3.10 (issue 22), and
the target guessed from compatibility_level.

The configuration (written below into a scratch directory) has:
  * smtpd_hide_client_session, a parameter only 3.10 has, in main.cf and
    as a master.cf -o: PV101 and PV406 say "needs Postfix ≥ 3.10" for 3.5
    and 3.7 (not "no such parameter"), nothing for 3.10;
  * tls_dane_digest_agility, removed in 3.4: "was removed" for every target;
  * permit_naked_ip_address in smtpd_helo_restrictions: deprecated (and
    removed in 3.9) for 3.5 and 3.7, removed for 3.10;
  * a value that expands two defaults that differ between the releases
    (milter_default_action: tempfail until 3.7, shutdown from 3.8 on in
    the sources; smtpd_forbid_bare_newline: no, then normalize from 3.9):
    `postvet show -x` prints each release's defaults.
Without a version, compatibility_level = 3.10 makes the target 3.10 with a
PV114 note (check) and a stderr note (show); a level of 3.6 keeps 3.7.
"""
import json
import os
import subprocess
import sys
import tempfile

BIN = os.environ.get("POSTVET_BIN", "postvet")

MAIN_CF = """compatibility_level = {level}
smtpd_hide_client_session = yes
tls_dane_digest_agility = on
default_filter_nexthop = $milter_default_action $smtpd_forbid_bare_newline
smtpd_relay_restrictions = permit_mynetworks, reject_unauth_destination
smtpd_helo_restrictions = permit_naked_ip_address
"""
MASTER_CF = """smtp      inet  n       -       y       -       -       smtpd
submission inet n       -       y       -       -       smtpd
  -o smtpd_hide_client_session=yes
"""

HIDE_NEEDS = "\"smtpd_hide_client_session\" needs Postfix ≥ 3.10 (the target is Postfix {v})"
HIDE_O_NEEDS = "`-o smtpd_hide_client_session` in service submission/inet needs Postfix ≥ 3.10 (the target is Postfix {v})"
DANE_REMOVED = "\"tls_dane_digest_agility\" was removed in Postfix 3.4"
NAKED_DEPRECATED = ("restriction \"permit_naked_ip_address\" in smtpd_helo_restrictions is deprecated since "
                    "Postfix 2.0 and removed in 3.9")
NAKED_REMOVED = "restriction \"permit_naked_ip_address\" in smtpd_helo_restrictions was removed in Postfix 3.9"

EXPECTED = {
    "3.5": {("PV101", 2, HIDE_NEEDS.format(v="3.5")), ("PV101", 3, DANE_REMOVED), ("PV105", 6, NAKED_DEPRECATED),
            ("PV406", 3, HIDE_O_NEEDS.format(v="3.5"))},
    "3.7": {("PV101", 2, HIDE_NEEDS.format(v="3.7")), ("PV101", 3, DANE_REMOVED), ("PV105", 6, NAKED_DEPRECATED),
            ("PV406", 3, HIDE_O_NEEDS.format(v="3.7"))},
    "3.10": {("PV101", 3, DANE_REMOVED), ("PV105", 6, NAKED_REMOVED)},
}
SHOWN = {"3.5": "tempfail no", "3.7": "tempfail no", "3.10": "shutdown normalize"}

failures = []


def fail(msg):
    failures.append(msg)
    print("FAIL:", msg)


def run(args, cwd):
    return subprocess.run([BIN] + args, cwd=cwd, capture_output=True, text=True, encoding="utf-8")


def findings(cwd, extra):
    p = run(["check", "--format", "json", "--fail-on", "info"] + extra + ["."], cwd)
    if p.returncode not in (0, 1):
        fail(f"check {extra}: exit {p.returncode}: {p.stderr}")
        return set()
    return {(d["rule"], d["line"], d["message"]) for d in json.loads(p.stdout)["diagnostics"]}


def write(d, level):
    with open(os.path.join(d, "main.cf"), "w", encoding="utf-8") as fh:
        fh.write(MAIN_CF.format(level=level))
    with open(os.path.join(d, "master.cf"), "w", encoding="utf-8") as fh:
        fh.write(MASTER_CF)
    # An empty settings file stops the search for one above the scratch dir.
    open(os.path.join(d, ".postvet.cf"), "w").close()


def main():
    with tempfile.TemporaryDirectory() as d:
        write(d, "3.6")
        for version, want in EXPECTED.items():
            got = findings(d, ["--postfix-version", version])
            for item in sorted(want - got):
                fail(f"{version}: missing {item}")
            for item in sorted(got - want):
                fail(f"{version}: unexpected {item}")
            p = run(["show", "-x", "--postfix-version", version, "."], d)
            line = f"default_filter_nexthop = {SHOWN[version]}"
            if line not in p.stdout.split("\n"):
                fail(f"show -x {version}: no line {line!r} in {p.stdout!r}")
        # No version: level 3.6 keeps the default target 3.7.
        if findings(d, []) != EXPECTED["3.7"]:
            fail(f"no version, level 3.6: {sorted(findings(d, []))}")

        # No version, level 3.10: the target is 3.10, with a note.
        write(d, "3.10")
        note = ("PV114", 1, "judged against Postfix 3.10, as compatibility_level = 3.10 implies Postfix 3.10 or "
                "later (no --postfix-version or postfix_version was given)")
        got = findings(d, [])
        if got != EXPECTED["3.10"] | {note}:
            fail(f"guessed 3.10: {sorted(got)}")
        if findings(d, ["--postfix-version", "3.7"]) != EXPECTED["3.7"]:
            fail("--postfix-version 3.7 must override the level's guess")
        with open(os.path.join(d, ".postvet.cf"), "w", encoding="utf-8") as fh:
            fh.write("postfix_version = 3.5\n")
        if findings(d, []) != EXPECTED["3.5"]:
            fail(f"postfix_version = 3.5 in .postvet.cf must override the guess: {sorted(findings(d, []))}")
        p = run(["show", "-x", "."], d)
        if "postvet: note: judged against Postfix 3.10" not in p.stderr or SHOWN["3.10"] not in p.stdout:
            fail(f"show without a version: {p.stdout!r} {p.stderr!r}")

    if failures:
        print(f"{len(failures)} failure(s)")
        return 1
    print("ok: one configuration judged for Postfix 3.5, 3.7 and 3.10, and the guess from compatibility_level")
    return 0


if __name__ == "__main__":
    sys.exit(main())
