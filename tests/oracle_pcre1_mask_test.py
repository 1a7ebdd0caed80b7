#!/usr/bin/env python3
"""oracle_lib.comparable_table_warnings(), which the query oracle applies to
postmap's and postvet's warnings (docs/oracles.md): against an oracle built
with PCRE1 (Postfix 3.5 and 3.6, by rules/data/postfix-source-features.tsv)
only the library's text after "error in regex at offset N: " is masked;
the map, line, offset and every other warning stay as they are. Against
PCRE2 releases (3.7, 3.10, the host) nothing changes. Needs no oracle root.
"""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import oracle_lib  # noqa: E402

LINES = [b"warning: pcre map /tmp/t, line 3: error in regex at offset 2: missing )",
         b"warning: pcre map /tmp/t, line 6: backtracking limit exceeded",
         b"warning: regexp map /tmp/r, line 1: unmatched ( or \\("]


def masked(version):
    if version is None:
        os.environ.pop("POSTVET_ORACLE_VERSION", None)
    else:
        os.environ["POSTVET_ORACLE_VERSION"] = version
    return oracle_lib.comparable_table_warnings(LINES)


def main():
    failures = []
    want = [b"warning: pcre map /tmp/t, line 3: error in regex at offset 2: <PCRE1 message>"] + LINES[1:]
    for version in ("3.5", "3.6"):
        if masked(version) != want:
            failures.append(f"{version}: {masked(version)!r}")
    for version in (None, "3.7", "3.10"):
        if masked(version) != LINES:
            failures.append(f"{version}: changed {masked(version)!r}")
    # Another offset, or another line, stays another line after masking.
    os.environ["POSTVET_ORACLE_VERSION"] = "3.5"
    a, b, c = oracle_lib.comparable_table_warnings([
        LINES[0], LINES[0].replace(b"offset 2", b"offset 3"), LINES[0].replace(b"line 3", b"line 4")])
    if a == b or a == c:
        failures.append("the offset or the line is masked too")
    for f in failures:
        print("FAIL:", f)
    print(f"{len(failures)} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
