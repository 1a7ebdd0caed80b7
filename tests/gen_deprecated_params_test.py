#!/usr/bin/env python3
"""rules/data/postfix-deprecated-params.tsv, which gen-deprecated-params.py
reads out of each release's postconf_unused.c (pcf_depr_param_info):

* shape: the generator's first line, the header row, three fields a line,
  known series, no name twice within a series;
* facts of the releases read by hand: no table before 3.9, and 3.9 and
  3.10 name smtpd_use_tls and smtpd_tls_dh1024_param_file with postconf's
  suggestion texts;
* reproducibility: with POSTFIX_GIT naming a git directory of Postfix's
  history, the generator runs again and must give the committed file byte
  for byte; otherwise that part says it is skipped.
"""
import os
import sys

from pvtest import SRC, generated_rows, regenerated_differs
DATA = os.path.join(SRC, "rules", "data")
TABLE = os.path.join(DATA, "postfix-deprecated-params.tsv")
SERIES = {"3.5", "3.6", "3.7", "3.8", "3.9", "3.10"}
ANCHORS = {
    ("3.9", "smtpd_use_tls"): 'specify "smtpd_tls_security_level"',
    ("3.10", "smtpd_use_tls"): 'specify "smtpd_tls_security_level"',
    ("3.10", "smtpd_tls_dh1024_param_file"): "do not specify (leave at default)",
    ("3.10", "disable_dns_lookups"): 'specify "smtp_dns_support_level"',
}


def main():
    failures = []
    rows = {}
    for n, line, parts in generated_rows(TABLE, "gen-deprecated-params.py", "series\tname\talternative", failures):
        if len(parts) != 3 or parts[0] not in SERIES or not parts[1] or not parts[2]:
            failures.append(f"line {n}: malformed: {line!r}")
            continue
        if (parts[0], parts[1]) in rows:
            failures.append(f"line {n}: {parts[1]} twice for {parts[0]}")
        rows[(parts[0], parts[1])] = parts[2]
    for key, alt in ANCHORS.items():
        if rows.get(key) != alt:
            failures.append(f"{key}: {rows.get(key)!r}, expected {alt!r}")
    early = sorted({s for s, _ in rows if s in ("3.5", "3.6", "3.7", "3.8")})
    if early:
        failures.append(f"rows for series without the table: {early}")
    for name in regenerated_differs("gen-deprecated-params.py", [os.path.basename(TABLE)]):
        failures.append(f"{name}: the generator's output differs from the committed file")
    for f in failures:
        print("FAIL:", f)
    print(f"{len(rows)} rows, {len(failures)} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
