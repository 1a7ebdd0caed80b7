#!/usr/bin/env python3
"""The manual pages cannot go stale.

postvet(1) (man/postvet.1.in, configured into BUILD/man/postvet.1): its
COMMANDS section has one subsection per command `postvet --help` lists, and
no other; each subsection names every option `postvet CMD --help` lists, and
every option it describes (a .TP tag) exists. The OPTIONS section names
--help and --version.

postvet-rules(7) (BUILD/man/postvet-rules.7, generated from the rule docs):
one section per rule `postvet rules` lists, titled "ID slug", and no other;
rendered by groff, each section holds every word of `postvet explain ID` in
order (the generator drops no text). Both pages format without groff
warnings, and the installed .gz copies match.

BUILD is the directory of $POSTVET_BIN. The groff checks are skipped, with
one line, when groff is not installed.
"""
import gzip
import os
import re
import shutil
import subprocess
import sys

import pvtest
from pvtest import BIN, check
MAN = os.path.join(os.path.dirname(os.path.abspath(BIN)), "man")


def run(args):
    return subprocess.run([BIN] + args, capture_output=True, text=True, timeout=60)


def help_options(text):
    """Options of a CLI11 --help text: the '-x,--long' words of its Options block."""
    opts = set()
    in_options = False
    for line in text.splitlines():
        if re.match(r"^[A-Z][A-Za-z ]*:\s*$", line):
            in_options = line.strip().rstrip(":").lower() == "options"
            continue
        m = re.match(r"^\s+(-[^\s]+)", line)
        if in_options and m:
            opts.update(o for o in m.group(1).split(",") if o.startswith("-"))
    return opts


def help_commands(text):
    cmds = []
    in_subs = False
    for line in text.splitlines():
        if re.match(r"^[A-Z][A-Za-z ]*:\s*$", line):
            in_subs = line.strip().lower().startswith("subcommands")
            continue
        m = re.match(r"^\s+([a-z][a-z-]*)\s", line)
        if in_subs and m:
            cmds.append(m.group(1))
    return cmds


def unroff(text):
    """Roff source to plain words: escapes and font changes removed."""
    text = text.replace("\\-", "-").replace("\\&", "").replace("\\e", "\\")
    return re.sub(r"\\f[BIRP]", "", text)


def sections(roff, macro):
    """{title: body} for each `.SH`/`.SS` title of a roff page."""
    out = {}
    parts = re.split(r"^\.%s +(.*)$" % macro, roff, flags=re.M)
    for title, body in zip(parts[1::2], parts[2::2]):
        out[unroff(title).strip().strip('"')] = body
    return out


def words(text):
    return re.findall(r"[A-Za-z0-9]+", text)


def is_subsequence(needle, hay):
    it = iter(hay)
    return all(any(w == h for h in it) for w in needle)


def read(path):
    with open(path, encoding="ascii") as f:
        return f.read()


page1 = read(os.path.join(MAN, "postvet.1"))
page7 = read(os.path.join(MAN, "postvet-rules.7"))

# --- postvet(1) against the CLI --------------------------------------------
top = run(["--help"])
commands = help_commands(top.stdout)
check("postvet --help lists commands", len(commands) >= 9, top.stdout)
top_sections = sections(page1, "SH")
check("postvet(1) has COMMANDS and OPTIONS", "COMMANDS" in top_sections and "OPTIONS" in top_sections,
      list(top_sections))
per_command = sections(top_sections.get("COMMANDS", ""), "SS")
check("postvet(1) documents exactly the commands", sorted(per_command) == sorted(commands),
      f"page {sorted(per_command)} cli {sorted(commands)}")
check("SYNOPSIS names every command",
      all(re.search(r"^\.B postvet %s\b" % c, page1, re.M) or c == "check" for c in commands))
for cmd in commands:
    h = run([cmd, "--help"])
    opts = help_options(h.stdout)
    check(f"postvet {cmd} --help lists options", h.returncode == 0 and "--help" in opts, h.stdout + h.stderr)
    body = unroff(per_command.get(cmd, ""))
    for opt in sorted(opts - {"-h", "--help"}):  # -h/--help: OPTIONS section
        check(f"postvet(1) {cmd} documents {opt}", re.search(r"(?<![\w-])%s(?![\w-])" % re.escape(opt), body),
              body[:300])
    tags = re.findall(r"^\.TP\n(.*)$", per_command.get(cmd, ""), re.M)
    described = {o for t in tags for o in re.findall(r"(?<![\w-])--?[a-z][a-z-]*", unroff(t))}
    check(f"postvet(1) {cmd}: every option it describes exists", described <= opts,
          f"not in --help: {sorted(described - opts)}")
options = unroff(top_sections.get("OPTIONS", ""))
for opt in sorted(help_options(top.stdout)):
    check(f"postvet(1) OPTIONS documents {opt}", re.search(r"(?<![\w-])%s(?![\w-])" % re.escape(opt), options))

# --- postvet-rules(7) against the registry ----------------------------------
rules = run(["rules"])
registered = [line.split()[:2] for line in rules.stdout.splitlines()[1:] if line.startswith("PV")]
check("postvet rules lists rules", rules.returncode == 0 and len(registered) >= 40, rules.stdout[:300])
rule_sections = {t: b for t, b in sections(page7, "SH").items() if t.startswith("PV")}
expected = [f"{rid} {slug}" for rid, slug in registered]
check("postvet-rules(7) has one section per registered rule, in ID order",
      list(rule_sections) == sorted(expected, key=lambda t: t.split()[0]),
      f"missing {sorted(set(expected) - set(rule_sections))} extra {sorted(set(rule_sections) - set(expected))}")
for rid, _ in registered:
    check(f"postvet-rules(7) documents {rid}", any(t.startswith(rid + " ") for t in rule_sections))

# --- formatting, and the rendered text against `postvet explain` -------------
for name, text in (("postvet.1", page1), ("postvet-rules.7", page7)):
    with gzip.open(os.path.join(MAN, name + ".gz"), "rt", encoding="ascii") as f:
        check(f"{name}.gz is {name}", f.read() == text)
if shutil.which("groff") is None:
    print("SKIP: groff is not installed; the rendering checks did not run")
else:
    for name in ("postvet.1", "postvet-rules.7"):
        g = subprocess.run(["groff", "-man", "-Tutf8", "-ww", "-z", os.path.join(MAN, name)],
                           capture_output=True, text=True, timeout=60)
        check(f"groff formats {name} without warnings", g.returncode == 0 and not g.stderr.strip(), g.stderr)
    g = subprocess.run(["groff", "-man", "-Tascii", "-rHY=0", "-rLL=200n", "-P-cbou",
                        os.path.join(MAN, "postvet-rules.7")], capture_output=True, text=True, timeout=60)
    rendered = re.split(r"^(PV\d{3}) ", g.stdout, flags=re.M)
    by_id = {rid: rid + " " + body for rid, body in zip(rendered[1::2], rendered[2::2])}
    for rid, _ in registered:
        doc = run(["explain", rid]).stdout
        # A table's heading row (and its |---| line) is left out: the page
        # repeats the headings as labels inside each row, out of the doc's order.
        doc_words = words(re.sub(r"^\|.*\n\|[-| :]+\|$", "", doc, flags=re.M))
        got = words(by_id.get(rid, ""))
        check(f"postvet-rules(7) {rid} holds all of `postvet explain {rid}`",
              doc_words and is_subsequence(doc_words, got),
              f"first missing word near: {next((w for w in doc_words if w not in got), '?')}")

sys.exit(pvtest.summary())
