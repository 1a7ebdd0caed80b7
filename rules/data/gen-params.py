#!/usr/bin/env python3
"""Regenerate rules/data/postfix-params.tsv: what each Postfix parameter is.

Usage:  gen-params.py --repo GITDIR [--out rules/data/postfix-params.tsv]

GITDIR is a git directory of Wietse Venema's Postfix history (github
vdukhovni/postfix, with its release tags). Nothing from that tree is copied
into postvet: this script only reads facts out of it (parameter names, the
kind of conversion table a daemon declares each parameter in, the min/max
bounds, and in which release a name first/last appears).

How the facts are found, release by release (the latest patch of each
major.minor series, so stable backports count for their series):
  * Postfix daemons declare the parameters they read in CONFIG_<KIND>_TABLE
    arrays (KIND = INT, LONG, BOOL, TIME, STR, RAW, NINT, NBOOL, STR_FN ...);
    postconf(1) builds its list of known names by scanning exactly those
    arrays (src/postconf/extract.awk). We do the same scan, resolve the
    VAR_x / DEF_x macros and the numeric bounds.
  * postconf also knows install-time names (postconf/install_table.h), a
    few ad-hoc names (process_name, service_name, process_id) and, since
    3.x, a table of legacy names it still accepts.
  * The installed Postfix (3.7) gives the 3.7 defaults (`postconf -d`), the
    default unit of time parameters (`postconf -dx`). (The "available in
    Postfix X.Y" sentences of postconf(5) were checked too, but they often
    date a later feature of a parameter, so the release scan wins.)
The refinements the daemons do not declare (list, maps, enum, size) and the
renames come from the curated tables of param_curated.py; the release scan
is postfix_history.py.
"""

import argparse
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from param_curated import (DEPRECATIONS, ENUMS, RENAMES, RESTRICTIONS,  # noqa: E402
                           STRESS_EXTRA, classify_string)
from postfix_history import (SERIES, collect_defines, extract, extract_at,  # noqa: E402
                             first_patch_release, latest_tag, postconf_defaults,
                             read_sources, referenced_names, resolve_string,
                             scan_usage, vkey)


def main():
    ap = argparse.ArgumentParser()
    here = os.path.dirname(os.path.abspath(__file__))
    ap.add_argument("--repo", required=True)
    ap.add_argument("--out", default=os.path.join(here, "postfix-params.tsv"))
    ap.add_argument("--obsolete-out",
                    default=os.path.join(here, "postfix-obsolete.tsv"))
    args = ap.parse_args()

    per_series, legacy_by_series, refs_by_series = {}, {}, {}
    src37 = defines37 = None
    for series in SERIES:
        tag = latest_tag(args.repo, series)
        files = read_sources(args.repo, tag)
        defines = collect_defines(files)
        params, legacy = extract(files, defines)
        per_series[series] = params
        legacy_by_series[series] = legacy
        refs_by_series[series] = referenced_names(params) - set(params)
        if series == "3.7":
            src37, defines37 = files, defines
        print("%s (%s): %d parameters, %d legacy" %
              (series, tag, len(params), len(legacy)), file=sys.stderr)

    defaults, expanded = postconf_defaults()

    var_to_name = {}
    for text in src37.values():
        for m in re.finditer(r"^\s*\{?\s*(VAR_\w+)\s*,[^,\n]*,\s*&(var_\w+)",
                             text, re.M):
            name = resolve_string(m.group(1), defines37)
            if name:
                var_to_name[m.group(2)] = name
    maps_names, list_names = scan_usage(src37, defines37, var_to_name)

    names = set(defaults)
    for series in SERIES:
        names |= set(per_series[series]) | legacy_by_series[series]
    names |= set(RENAMES) | set(DEPRECATIONS)

    rows = []
    for name in sorted(names):
        declared = [s for s in SERIES if name in per_series[s]]
        known = [s for s in SERIES if name in per_series[s]
                 or name in legacy_by_series[s] or name in refs_by_series[s]]
        notes = []
        # Type: the newest series at or before 3.7 that declares it, else
        # the oldest series after 3.7.
        ref = None
        for s in reversed(SERIES):
            if name in per_series[s] and vkey(s) <= (3, 7):
                ref = s
                break
        if ref is None and declared:
            ref = declared[0]
        lo = hi = None
        if ref:
            entry = per_series[ref][name]
            ptype = sorted(entry["types"])[0]
            if len(entry["types"]) > 1:
                notes.append("declared as %s in different daemons" %
                             "/".join(sorted(entry["types"])))
            mins = [v for v in entry["mins"] if v]
            maxs = [v for v in entry["maxs"] if v]
            lo = max(mins) if mins else None
            hi = min(maxs) if maxs else None
            if len(set(entry["mins"])) > 1 or len(set(entry["maxs"])) > 1:
                notes.append("bounds differ between daemons; the strictest "
                             "is listed")
            history = []
            for s in declared:
                t = sorted(per_series[s][name]["types"])[0]
                if not history or history[-1][1] != t:
                    history.append((s, t))
            if len(history) > 1:
                notes.append("type history: " + ", ".join(
                    "%s from %s" % (t, s) for s, t in history))
        else:
            ptype = "string"
            if name not in known:
                notes.append("not seen in any release table")
        if ptype == "string":
            ptype = classify_string(name, maps_names, list_names)
        if ptype == "long":
            ptype = "size"  # every long parameter is a byte count

        unit = "-"
        if ptype == "time":
            source = expanded.get(name)
            if source is None and ref:
                source = per_series[ref][name]["default"] or ""
            m = re.search(r"[A-Za-z]", source or "")
            unit = m.group(0) if m else "s"

        if known:
            since = known[0]
            if vkey(since) >= (2, 0):
                zero = extract_at(args.repo, "v%s.0" % since)
                if name not in zero and name in per_series[since]:
                    first = first_patch_release(args.repo, since, name)
                    if first:
                        notes.append("first in %s" % first)
            last = known[-1]
            removed = "-" if last == SERIES[-1] else \
                SERIES[SERIES.index(last) + 1]
            gaps = [s for s in SERIES[SERIES.index(known[0]):
                                      SERIES.index(last) + 1]
                    if s not in known]
            if gaps:
                notes.append("unknown to postconf in " + ",".join(gaps))
        else:
            since, removed = "-", "-"
        legacy_in = [s for s in SERIES if name in legacy_by_series[s]]
        if legacy_in:
            notes.append("postconf %s+ lists it as a legacy name" %
                         legacy_in[0])
        ref_only = [s for s in SERIES if name in refs_by_series[s]
                    and name not in per_series[s]
                    and name not in legacy_by_series[s]]
        if ref_only:
            notes.append("known only through another default in %s-%s" %
                         (ref_only[0], ref_only[-1]))

        deprecated, renamed = "-", "-"
        if name in RENAMES:
            renamed, deprecated = RENAMES[name]
        elif name in DEPRECATIONS:
            deprecated = DEPRECATIONS[name][0]

        stress = "-"
        if "stress" in defaults.get(name, "") and name != "stress":
            stress = "yes"
        elif name in STRESS_EXTRA:
            stress = "yes"
            notes.append("default depended on ${stress} in 2.9-3.6")

        def num(v):
            return "-" if v is None else str(v)

        enum = "level" if ptype == "level" else ENUMS.get(name, "-")
        rows.append([name, ptype, unit, num(lo), num(hi), enum, since,
                     removed, deprecated, renamed, stress,
                     "; ".join(notes) or "-"])

    with open(args.out, "w") as out:
        out.write("name\ttype\tunit\tmin\tmax\tenum\tsince\tremoved\t"
                  "deprecated\trenamed_to\tstress_default\tnotes\n")
        for row in rows:
            out.write("\t".join(row) + "\n")
    print("wrote %d rows to %s" % (len(rows), args.out), file=sys.stderr)

    by_name = {row[0]: row for row in rows}
    with open(args.obsolete_out, "w") as out:
        out.write("name\tkind\tdeprecated\tremoved\treplacement\tfix\tnotes\n")
        obsolete = []
        for name, (new, when) in RENAMES.items():
            obsolete.append([name, "parameter", when, by_name[name][7], new,
                             "rename", "renamed"])
        for name, (when, repl, note) in DEPRECATIONS.items():
            obsolete.append([name, "parameter", when, by_name[name][7], repl,
                             "none", note])
        for name, (when, gone, repl, fix, note) in RESTRICTIONS.items():
            obsolete.append([name, "restriction", when, gone, repl, fix,
                             note])
        for row in sorted(obsolete, key=lambda r: (r[1], r[0])):
            out.write("\t".join(row) + "\n")
    print("wrote %d rows to %s" % (len(obsolete), args.obsolete_out),
          file=sys.stderr)


if __name__ == "__main__":
    main()
