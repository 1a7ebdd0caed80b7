#!/usr/bin/env python3
"""rules/data/postfix-source-features.tsv, which gen-source-features.py
reads out of each release's sources (docs in rules/data/README.md):

* shape: the generator's first line, the header row, four fields a line,
  known series and features, every series 3.5 to 3.10 present;
* facts of the releases read by hand: postconf registers the "level"
  operator suffix from 3.6 on (compat_level_relop_register()), not in
  3.5; dict_pcre.c knows PCRE2 from 3.7 on; 3.5's dict_pcre_exec_error()
  calls PCRE_ERROR_MATCHLIMIT "backtracking limit exceeded";
* reproducibility: with POSTFIX_GIT naming a git directory of Postfix's
  history, the generator runs again and must give the committed file byte
  for byte; otherwise that part says it is skipped.
"""
import os
import sys

from pvtest import SRC, generated_rows, regenerated_differs
DATA = os.path.join(SRC, "rules", "data")
TABLE = os.path.join(DATA, "postfix-source-features.tsv")
SERIES = ["3.5", "3.6", "3.7", "3.8", "3.9", "3.10"]
FEATURES = {"relop_suffix", "pcre_library", "pcre1_exec_error"}
ANCHORS = {
    ("3.5", "relop_suffix", "-"): "-",
    ("3.6", "relop_suffix", "-"): "level",
    ("3.10", "relop_suffix", "-"): "level",
    ("3.5", "pcre_library", "-"): "pcre1",
    ("3.6", "pcre_library", "-"): "pcre1",
    ("3.7", "pcre_library", "-"): "pcre2",
    ("3.10", "pcre_library", "-"): "pcre2",
    ("3.5", "pcre1_exec_error", "PCRE_ERROR_MATCHLIMIT"): "backtracking limit exceeded",
    ("3.5", "pcre1_exec_error", "*"): "unknown pcre_exec error: %d",
}


def main():
    failures = []
    rows = {}
    for n, line, parts in generated_rows(TABLE, "gen-source-features.py from Postfix ",
                                         "series\tfeature\tkey\tvalue", failures):
        if len(parts) != 4 or parts[0] not in SERIES or parts[1] not in FEATURES or not parts[2] or not parts[3]:
            failures.append(f"line {n}: malformed: {line!r}")
            continue
        rows[tuple(parts[:3])] = parts[3]
    for series in SERIES:
        if (series, "pcre_library", "-") not in rows:
            failures.append(f"{series}: no pcre_library row")
    for key, value in ANCHORS.items():
        if rows.get(key) != value:
            failures.append(f"{key}: {rows.get(key)!r}, expected {value!r}")
    if any(k[1] == "pcre1_exec_error" and rows.get((k[0], "pcre_library", "-")) != "pcre1" for k in rows):
        failures.append("pcre1_exec_error rows for a release that uses PCRE2")
    for name in regenerated_differs("gen-source-features.py", [os.path.basename(TABLE)]):
        failures.append(f"{name}: the generator's output differs from the committed file")
    for f in failures:
        print("FAIL:", f)
    print(f"{len(rows)} rows, {len(failures)} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
