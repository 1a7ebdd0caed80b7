#!/usr/bin/env python3
"""Layer check: no source file may include a header of a layer above its own.

postvet's code is stacked in layers (docs/architecture.md); each directory
belongs to exactly one. A file may include headers of its own layer and of the
layers below it, never of a layer above. This script reads every .cpp/.hpp of
the product (src/, grammar/, rules/), looks at each `#include "..."`, and
prints `file:line: layer X may not include layer Y (header)` for every include
that goes up. It exits 1 when there is one, 0 otherwise.

The build runs it (CMakeLists.txt, target postvet_layers): a wrong include is
a build error. tests/layering_test.py shows that it catches one.

Usage: check-layers.py [--root DIR] [--stamp FILE]
  --root   the source tree (default: the directory above this script)
  --stamp  written (empty) when the check passes, for the build's dependency
"""

import argparse
import os
import re
import sys

# Bottom to top. A path belongs to the layer of its longest matching prefix.
LAYERS = [
    ("base", ["src/base/"]),
    ("template", ["src/template/"]),
    ("grammar", ["grammar/"]),
    ("match", ["src/match/"]),
    ("model", ["src/model/"]),
    ("config", ["src/config/"]),
    ("facts", ["src/facts/"]),
    ("probe", ["src/probe/"]),
    ("engine", ["src/engine/"]),
    ("fix", ["src/fix/"]),
    ("rules", ["rules/"]),
    ("report", ["src/report/"]),
    ("tune", ["src/tune/"]),
    ("diff", ["src/diff/"]),
    ("run", ["src/run/"]),
    ("cli", ["src/cli/", "src/main.cpp"]),
]

# Trees above every layer: the product may never include them.
OUTSIDE = ["tests/", "fuzz/", "bench/"]

# The product's trees: every source file in them must belong to a layer.
CHECKED = ["src/", "grammar/", "rules/"]

# Upward includes tolerated for now, each as (file, header): none. Should one
# ever be needed during a move, it goes here with its reason; the check also
# fails on an entry that no longer occurs, so the list can only shrink.
KNOWN = set()

INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"')
SOURCE = re.compile(r"\.(cpp|hpp|h)$")


def layer_of(path):
    """(index, name) of the layer `path` belongs to, or None."""
    best = None
    for index, (name, prefixes) in enumerate(LAYERS):
        for prefix in prefixes:
            match = path == prefix if not prefix.endswith("/") else path.startswith(prefix)
            if match and (best is None or len(prefix) > best[2]):
                best = (index, name, len(prefix))
    return None if best is None else best[:2]


def check(root):
    """The problems found under `root`, as printable lines."""
    problems = []
    seen_known = set()
    for top in CHECKED:
        for dirpath, dirnames, filenames in os.walk(os.path.join(root, top)):
            dirnames.sort()
            for filename in sorted(filenames):
                if not SOURCE.search(filename):
                    continue
                full = os.path.join(dirpath, filename)
                rel = os.path.relpath(full, root).replace(os.sep, "/")
                if rel.endswith("_test.cpp"):
                    continue
                own = layer_of(rel)
                if own is None:
                    problems.append(f"{rel}:1: file is in no layer (scripts/check-layers.py LAYERS)")
                    continue
                with open(full, encoding="utf-8", errors="replace") as f:
                    for number, line in enumerate(f, 1):
                        m = INCLUDE.match(line)
                        if not m:
                            continue
                        header = m.group(1)
                        if any(header.startswith(o) for o in OUTSIDE):
                            problems.append(f"{rel}:{number}: layer {own[1]} may not include {header}"
                                            " (test and tool code)")
                            continue
                        target = layer_of(header)
                        if target is None or target[0] <= own[0]:
                            continue
                        if (rel, header) in KNOWN:
                            seen_known.add((rel, header))
                            continue
                        problems.append(f"{rel}:{number}: layer {own[1]} may not include layer "
                                        f"{target[1]} ({header})")
    for rel, header in sorted(KNOWN - seen_known):
        if os.path.exists(os.path.join(root, rel)):
            problems.append(f"{rel}:1: no longer includes {header}: remove the entry from KNOWN "
                            "in scripts/check-layers.py")
    return problems


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--root", default=os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    parser.add_argument("--stamp")
    args = parser.parse_args()
    problems = check(args.root)
    for p in problems:
        print(p, file=sys.stderr)
    if problems:
        print(f"layer check: {len(problems)} problem(s); the layers are in docs/architecture.md",
              file=sys.stderr)
        return 1
    if args.stamp:
        with open(args.stamp, "w", encoding="utf-8"):
            pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
