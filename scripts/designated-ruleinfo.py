#!/usr/bin/env python3
"""Rewrite each rule's `RuleInfo info()` from a positional brace list to
C++20 designated initialisers (.id, .slug, .severity, .fix, .summary, .doc).

Usage: scripts/designated-ruleinfo.py FILE...   (e.g. rules/*/*.cpp)

Mechanical and idempotent: a `return {...};` in `RuleInfo info() const
override` whose first element is not already designated is split at its
top-level commas (string literals and nested braces respected) and each
element gets the name of its position in src/engine/rule_info.hpp. The
text of every element is kept as it was (continued string literals too).
"""
import re
import sys

FIELDS = ["id", "slug", "severity", "fix", "summary", "doc", "family", "security_severity"]
START = re.compile(r"RuleInfo info\(\) const override \{\s*return \{")


def split_top(text):
    parts, depth, cur, i = [], 0, "", 0
    while i < len(text):
        c = text[i]
        if c == '"':
            j = i + 1
            while text[j] != '"':
                j += 2 if text[j] == "\\" else 1
            cur += text[i:j + 1]
            i = j + 1
            continue
        if c in "{(":
            depth += 1
        elif c in "})":
            depth -= 1
        if c == "," and depth == 0:
            parts.append(cur)
            cur = ""
        else:
            cur += c
        i += 1
    parts.append(cur)
    return parts


def rewrite(src):
    out, pos = "", 0
    for m in START.finditer(src):
        body_start = m.end()
        depth, i = 1, body_start
        while depth:
            c = src[i]
            if c == '"':
                i += 1
                while src[i] != '"':
                    i += 2 if src[i] == "\\" else 1
            elif c == "{":
                depth += 1
            elif c == "}":
                depth -= 1
            i += 1
        body = src[body_start:i - 1]
        if body.lstrip().startswith("."):
            continue
        indent = " " * (m.group(0).rfind("return {") - m.group(0).rfind("\n") - 1 + len("return {"))
        items = [p.strip() for p in split_top(body)]
        lines = []
        for name, item in zip(FIELDS, items):
            prefix = f".{name} = "
            item = re.sub(r"\n\s*", "\n" + indent + " " * len(prefix), item)
            lines.append(prefix + item)
        out += src[pos:body_start] + (",\n" + indent).join(lines) + "}"
        pos = i
    return out + src[pos:]


for path in sys.argv[1:]:
    text = open(path).read()
    new = rewrite(text)
    if new != text:
        open(path, "w").write(new)
