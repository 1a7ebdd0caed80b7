#!/usr/bin/env python3
"""Regenerate rules/data/postfix-actions.tsv: the words Postfix acts on in
access tables (access(5)) and header/body check tables (header_checks(5)).
The SMTP server restriction names an access table result may name are in
each release's restriction table (gen-restrictions.py), not here.

Usage:  gen-actions.py --repo GITDIR [--tag v3.7.22] [--out rules/data/postfix-actions.tsv]

GITDIR is a git directory of the Postfix history (github vdukhovni/postfix,
with its release tags). Nothing from that tree is copied into postvet: the
script only reads which words the C code compares a result against.

How the facts are found (all in the release TAG):
  * access actions: every STREQUAL(value, X, cmd_len) in check_table_result()
    (src/smtpd/smtpd_check.c). X is a string literal or a macro that
    src/global/mail_params.h defines. A test inside `#ifdef DELAY_ACTION` is
    compiled out of Postfix: its word gets the program list `-`.
  * header/body actions: STREQUAL(..., "X", ...) in cleanup_act()
    (src/cleanup/cleanup_message.c: cleanup(8) for header_checks,
    mime_header_checks, nested_header_checks, body_checks), hbc_action()
    (src/global/header_body_checks.c: smtp(8)/lmtp(8) *_checks), and
    cleanup_milter_hbc_extend() (src/cleanup/cleanup_milter.c), which adds
    its words to hbc_action() for milter_header_checks. Milter's PREPEND is
    left out when cleanup_milter.c says "prepend action is not implemented".
"""

import argparse
import re
import subprocess
import sys


def git_show(repo, tag, path):
    return subprocess.run(["git", "--git-dir", repo, "show", f"{tag}:{path}"], check=True,
                          stdout=subprocess.PIPE).stdout.decode("latin-1")


def latest_tag(repo, series):
    tags = subprocess.run(["git", "--git-dir", repo, "tag"], check=True,
                          stdout=subprocess.PIPE).stdout.decode().split()
    patch = [t for t in tags if re.fullmatch(rf"v{re.escape(series)}\.\d+", t)]
    return max(patch, key=lambda t: int(t.rsplit(".", 1)[1]))


def function_body(text, name):
    """The text of C function `name` (from its definition line to the closing brace in column 0)."""
    for m in re.finditer(rf"^(?:static\s+)?[A-Za-z_][\w\s\*]*\b{name}\(", text, re.M):
        brace, semi = text.find("{", m.start()), text.find(";", m.start())
        if brace != -1 and (semi == -1 or brace < semi):  # a definition, not a prototype
            return text[m.start():text.find("\n}\n", m.start())]
    sys.exit(f"gen-actions: function {name} not found")


def macros(text):
    text = text.replace("\\\n", " ")  # join continued #define lines
    return dict(re.findall(r'^#define\s+([A-Z_0-9]+)\s+"([^"]*)"', text, re.M))


def streq_words(body, defines):
    """(word, compiled_in) for each STREQUAL(var, X, len) test in `body`, in order."""
    out = []
    disabled = 0
    for line in body.splitlines():
        s = line.strip()
        if s.startswith("#ifdef DELAY_ACTION"):
            disabled += 1
        elif s.startswith("#endif") and disabled:
            disabled -= 1
        for x in re.findall(r'STREQUAL\(\s*\w+\s*,\s*("[^"]*"|[A-Z_0-9]+)\s*,', line):
            word = x[1:-1] if x.startswith('"') else defines.get(x)
            if word is None:
                sys.exit(f"gen-actions: cannot resolve {x}")
            out.append((word.upper(), disabled == 0))
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--repo", required=True)
    ap.add_argument("--tag")
    ap.add_argument("--out", default="rules/data/postfix-actions.tsv")
    args = ap.parse_args()
    tag = args.tag or latest_tag(args.repo, "3.7")
    defines = macros(git_show(args.repo, tag, "postfix/src/global/mail_params.h"))
    smtpd = git_show(args.repo, tag, "postfix/src/smtpd/smtpd_check.c")
    cleanup = git_show(args.repo, tag, "postfix/src/cleanup/cleanup_message.c")
    hbc = git_show(args.repo, tag, "postfix/src/global/header_body_checks.c")
    milter = git_show(args.repo, tag, "postfix/src/cleanup/cleanup_milter.c")

    rows = []  # (kind, word, programs)

    access = []
    for word, live in streq_words(function_body(smtpd, "check_table_result"), defines):
        if word not in [w for w, _ in access]:
            access.append((word, live))
    for word, live in access:
        rows.append(("access", word, "smtpd" if live else "-"))

    programs = {}  # word -> set of programs; order of first appearance kept
    order = []

    def add(word, program):
        if word not in programs:
            programs[word] = set()
            order.append(word)
        if program:
            programs[word].add(program)

    for word, live in streq_words(function_body(cleanup, "cleanup_act"), defines):
        add(word, "cleanup" if live else None)
    hbc_words = [w for w, live in streq_words(function_body(hbc, "hbc_action"), defines) if live]
    for word in hbc_words:
        add(word, "smtp")
    milter_words = hbc_words + [w for w, live in
                                streq_words(function_body(milter, "cleanup_milter_hbc_extend"), defines) if live]
    prepend_missing = "prepend action is not implemented" in milter
    for word in milter_words:
        if word == "PREPEND" and prepend_missing:
            continue
        add(word, "milter")
    for word in order:
        progs = [p for p in ("cleanup", "smtp", "milter") if p in programs[word]]
        rows.append(("header", word, ",".join(progs) if progs else "-"))

    with open(args.out, "w", encoding="utf-8", newline="\n") as f:
        f.write(f"# Generated by rules/data/gen-actions.py from Postfix {tag}; do not edit.\n")
        f.write("# See rules/data/README.md (postfix-actions.tsv) for the columns.\n")
        f.write("kind\tword\tprograms\n")
        for kind, word, progs in rows:
            f.write(f"{kind}\t{word}\t{progs}\n")


if __name__ == "__main__":
    main()
