#!/usr/bin/env python3
"""Regenerate rules/data/dbms-settings.tsv: the settings of database client
configuration files (ldap:, mysql:, pgsql:, sqlite:, memcache: tables).

Usage:  gen-dbms.py --repo GITDIR [--tag v3.7.11] [--out rules/data/dbms-settings.tsv]

GITDIR is a git directory of the Postfix history (github vdukhovni/postfix,
with release tags). Nothing is copied from it; the script reads facts:

  * Which names postconf knows. postconf's "unused parameter" warning for a
    client configuration file (postconf_dbms.c, pcf_check_dbms_client())
    deletes the names in pcf_<type>_suffixes.h and reports the rest. Those
    headers are built by postconf/extract_cfg.sh from the cfg_get_str(),
    cfg_get_int() and cfg_get_bool() calls of global/dict_<type>.c, with
    "domain" added (-d) and, for the SQL types, the legacy query names
    table, select_field, where_field, additional_conditions (-s); the flags
    of each type are read from postconf/Makefile.in. This script does the
    same extraction (second argument of each call, a string literal or a
    #define'd one).
  * Which names are required. "yes": the client dies without them, i.e.
    cfg_get_str() with an empty or null default and a minimum length of 1
    (mysql/pgsql dbname, sqlite dbpath), or the manual page says "you must
    configure this" (ldap search_base). "query": the SQL clients need a
    query; `query` itself, or its legacy forms (select_function for pgsql;
    table + select_field + where_field, db_common.c) stand in for it.
  * The manual pages (proto/<type>_table) are read to check that every
    setting they document is known (a mismatch is printed on stderr).

Columns: type, name, required (yes | query | -). Sorted by type, then name.
"""

import argparse
import re
import subprocess
import sys

TYPES = ["ldap", "memcache", "mysql", "pgsql", "sqlite"]
LEGACY_SQL = ["table", "select_field", "where_field", "additional_conditions"]
QUERY_FORMS = {"query", "select_function", "table", "select_field", "where_field"}


def show(repo, tag, path):
    return subprocess.run(["git", "--git-dir", repo, "show", f"{tag}:{path}"], check=True,
                          capture_output=True).stdout.decode("utf-8", "replace")


def strip_comments(text):
    return re.sub(r"/\*.*?\*/", " ", text, flags=re.S)


def split_args(text, start):
    """The top-level comma-separated arguments of the call whose '(' is at start."""
    depth, args, cur, i = 0, [], [], start
    in_str = False
    while i < len(text):
        c = text[i]
        if in_str:
            cur.append(c)
            if c == "\\":
                cur.append(text[i + 1])
                i += 1
            elif c == '"':
                in_str = False
        elif c == '"':
            in_str = True
            cur.append(c)
        elif c == "(":
            depth += 1
            if depth > 1:
                cur.append(c)
        elif c == ")":
            depth -= 1
            if depth == 0:
                args.append("".join(cur).strip())
                return args
            cur.append(c)
        elif c == "," and depth == 1:
            args.append("".join(cur).strip())
            cur = []
        else:
            cur.append(c)
        i += 1
    raise ValueError("unterminated call")


def string_value(arg, macros):
    arg = arg.strip()
    m = re.fullmatch(r'"([^"]*)"', arg)
    if m:
        return m.group(1)
    if arg in macros:
        return macros[arg]
    return None


def cfg_calls(source):
    """(function, name, default, min) of every cfg_get_xxx() call."""
    text = strip_comments(source)
    macros = dict(re.findall(r'^#define[ \t]+(\w+)[ \t]+"([^"]*)"', text, flags=re.M))
    for m in re.finditer(r"\bcfg_get_(str|int|bool)\s*\(", text):
        args = split_args(text, m.end() - 1)
        name = string_value(args[1], macros)
        if name is None:
            raise ValueError(f"cannot resolve setting name {args[1]!r}")
        yield m.group(1), name, args[2] if len(args) > 2 else None, args[3] if len(args) > 3 else None


def makefile_flags(makefile):
    """type -> extract_cfg.sh flags, from the pcf_<type>_suffixes.h rules."""
    flags = {}
    for m in re.finditer(r"sh extract_cfg\.sh((?: -[ds])*) \.\./global/dict_(\w+)\.c", makefile):
        flags[m.group(2)] = set(m.group(1).split())
    return flags


def man_settings(page):
    """Setting names the manual page documents (.IP "\\fBname ...\\fR" lines)."""
    names, must = set(), set()
    for m in re.finditer(r'^# \.IP "\\fB([a-z_A-Z, ]+?)(?: \((.*?)\))?\\f[RB]', page, flags=re.M):
        for n in m.group(1).split(","):
            n = n.strip()
            if re.fullmatch(r"[a-z][a-zA-Z_]*", n):
                names.add(n)
                if m.group(2) and "you must configure this" in m.group(2):
                    must.add(n)
    return names, must


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--repo", required=True)
    ap.add_argument("--tag", default="v3.7.11")
    ap.add_argument("--out", default="-")
    a = ap.parse_args()
    flags = makefile_flags(show(a.repo, a.tag, "postfix/src/postconf/Makefile.in"))
    rows = []
    for t in TYPES:
        calls = list(cfg_calls(show(a.repo, a.tag, f"postfix/src/global/dict_{t}.c")))
        names = {c[1] for c in calls}
        if "-d" in flags[t]:
            names.add("domain")
        if "-s" in flags[t]:
            names.update(LEGACY_SQL)
        required = {c[1] for c in calls
                    if c[0] == "str" and c[2] in ('""', "NULL", "0") and c[3] not in (None, "0")}
        documented, must = man_settings(show(a.repo, a.tag, f"postfix/proto/{t}_table"))
        required |= must
        for n in sorted(documented - names):
            print(f"gen-dbms: {t}_table(5) documents {n}, which postconf does not know", file=sys.stderr)
        has_query = "query" in names
        for n in sorted(names):
            req = "yes" if n in required else "query" if has_query and n in QUERY_FORMS else "-"
            rows.append((t, n, req))
    out = [f"# Generated by rules/data/gen-dbms.py from Postfix {a.tag}; do not edit.",
           "type\tname\trequired"] + ["\t".join(r) for r in rows]
    text = "\n".join(out) + "\n"
    if a.out == "-":
        sys.stdout.write(text)
    else:
        with open(a.out, "w") as fh:
            fh.write(text)


if __name__ == "__main__":
    main()
