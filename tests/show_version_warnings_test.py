#!/usr/bin/env python3
"""`postvet show DIR` prints the warnings of the target release's postconf
that 3.7's does not have: for 3.10, "support for parameter ... will be
removed" (a known deprecated name, main.cf and master.cf -o), "... has been
removed" in place of "unused parameter" (an unknown one), and "#comment
after other text is not allowed" from the database-name scan, which stops
there (so ldap:myldap after it no longer validates myldap_server_host).
For 3.7 none of them, and myldap_server_host stays in use. From 3.9 on,
readllines() also warns about a logical line holding a NUL: in master.cf
(main.cf and master.cf with show, master.cf with show --entries) and in a regexp table (query --postfix-version).
"""
import os
import subprocess
import sys
import tempfile

BIN = os.environ.get("POSTVET_BIN", "postvet")

MAIN_CF = """smtpd_use_tls = yes
smtpd_tls_eecdh_grade = strong
virtual_alias_maps = hash:/etc/x #c ldap:myldap
myldap_server_host = h
# a NUL\0 here too
"""
MASTER_CF = """smtp      unix  -       -       n       -       -       smtp
  -o smtp_enforce_tls=yes
# a NUL\0 in a comment the logical line absorbs
"""
TABLE = b"/a\0b/ x\n/c/ d\nif /e/\n/f\0/ g\n"


def warnings(d, version):
    p = subprocess.run([BIN, "show", "--postfix-version", version, d], capture_output=True, text=True)
    if p.returncode != 0:
        print(f"FAIL: postvet show --postfix-version {version} exit {p.returncode}: {p.stderr}")
        sys.exit(1)
    prefix = "postvet: warning: "
    return {l[len(prefix):] for l in p.stderr.splitlines() if l.startswith(prefix)}, p.stdout


def main():
    with tempfile.TemporaryDirectory() as d:
        with open(os.path.join(d, "main.cf"), "w") as f:
            f.write(MAIN_CF)
        with open(os.path.join(d, "master.cf"), "w") as f:
            f.write(MASTER_CF)
        main, master = d + "/main.cf", d + "/master.cf"
        want = {
            "3.10": {
                f'{main}: support for parameter "smtpd_use_tls" will be removed; instead, '
                'specify "smtpd_tls_security_level"',
                f'{main}: support for parameter "smtpd_tls_eecdh_grade" will be removed; instead, '
                'do not specify (leave at default)',
                f'{master}: support for parameter "smtp_enforce_tls" will be removed; instead, '
                'specify "smtp_tls_security_level"',
                f"{main}: #comment after other text is not allowed: #c ldap:myldap...",
                f"{main}: unused parameter: myldap_server_host=h",
                f"{master}, line 1-3: text after null byte may be ignored",
                f"{main}, line 4-5: text after null byte may be ignored",
            },
            "3.7": set(),
        }
        failures = 0
        for version, expected in want.items():
            got, out = warnings(d, version)
            if got != expected:
                failures += 1
                print(f"FAIL: {version}: postvet-only {sorted(got - expected)} missing {sorted(expected - got)}")
            shown = "myldap_server_host = h" in out.splitlines()
            if shown != (version == "3.7"):
                failures += 1
                print(f"FAIL: {version}: myldap_server_host shown: {shown}")
        # show --entries (postconf -M) reads master.cf the same way.
        for version, expected in {"3.10": [f"{master}, line 1-3: text after null byte may be ignored"],
                                  "3.7": []}.items():
            p = subprocess.run([BIN, "show", "--entries", "--postfix-version", version, master],
                               capture_output=True, text=True)
            got = [l for l in p.stderr.splitlines() if "null byte" in l]
            if got != ["postvet: warning: " + w for w in expected] or p.returncode != 0:
                failures += 1
                print(f"FAIL: show --entries {version}: {got} (exit {p.returncode})")
        table = os.path.join(d, "t.regexp")
        with open(table, "wb") as f:
            f.write(TABLE)
        nul = "text after null byte may be ignored"
        close = 'no closing regexp delimiter "/": skipping this rule'
        common = [f"regexp map {table}, line 1: {close}", f"regexp map {table}, line 4: {close}",
                  f"regexp map {table}, line 3: IF has no matching ENDIF"]
        # As postmap 3.10.13 and 3.7.11 print them (-q c regexp:TABLE): each
        # NUL warning before its line's own, the end-of-file IF warning last.
        for version, expected in {"3.10": [f"{table}, line 1: {nul}", common[0], f"{table}, line 4: {nul}",
                                           common[1], common[2]],
                                  "3.7": common}.items():
            p = subprocess.run([BIN, "query", "--type", "regexp", "--postfix-version", version, table, "c"],
                               capture_output=True, text=True)
            got = [l[len("postvet: warning: "):] for l in p.stderr.splitlines()
                   if l.startswith("postvet: warning: ")]
            if got != expected or p.stdout != "d\n":
                failures += 1
                print(f"FAIL: query {version}: warnings {got} stdout {p.stdout!r}")
        if failures:
            return 1
        print("ok: 3.10 deprecation, #comment and null byte warnings; none for 3.7")
        return 0


if __name__ == "__main__":
    sys.exit(main())
