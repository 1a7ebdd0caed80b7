#!/usr/bin/env python3
"""Move rule registrations from the old two-list rules/registry.cpp format
into rules/rule_list.inc (one POSTVET_RULE line per rule, sorted by ID).

Usage: scripts/registry-to-list.py [SOURCE_DIR]

For merging a branch that still adds a rule the old way (a declaration
`std::unique_ptr<Rule> NewXRule();  // PVnnn rules/<family>/<file>.cpp` and
a factory line `NewXRule,` in rules/registry.cpp): run this after the merge;
each such declaration becomes a line of rules/rule_list.inc and both old
lines are removed. Lines already in the list stay. Idempotent.
"""
import re
import sys

root = sys.argv[1] if len(sys.argv) > 1 else "."
reg_path = f"{root}/rules/registry.cpp"
list_path = f"{root}/rules/rule_list.inc"
DECL = re.compile(r"^std::unique_ptr<Rule> (New\w+)\(\);\s*// (PV\d+) (\S+)\n", re.M)
LINE = re.compile(r"^POSTVET_RULE\((PV\d+), (New\w+)\)\s*// (\S+)$", re.M)

reg = open(reg_path).read()
text = open(list_path).read()
entries = {m.group(1): (m.group(2), m.group(3)) for m in LINE.finditer(text)}
for factory, rule_id, path in DECL.findall(reg):
    entries[rule_id] = (factory, path)
    reg = re.sub(rf"^\s*{factory},\n", "", reg, flags=re.M)
reg = DECL.sub("", reg)
header = text[:LINE.search(text).start()] if LINE.search(text) else text
width = max(len(f"POSTVET_RULE({i}, {f})") for i, (f, _) in entries.items())
lines = [f"POSTVET_RULE({i}, {f})".ljust(width) + f"  // {p}" for i, (f, p) in sorted(entries.items())]
open(list_path, "w").write(header + "\n".join(lines) + "\n")
open(reg_path, "w").write(reg)
