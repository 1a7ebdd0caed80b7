#!/usr/bin/env python3
"""Writes postvet-rules(7), the manual page of every rule, from the rule docs.

Usage: gen-rules-man.py VERSION OUT.7 rules/*/PVnnn.md...

The rule docs (rules/<family>/PVnnn.md) are the only copy of the rule text:
this script turns them into roff at build time, so the page cannot drift
from `postvet explain`. It understands the Markdown the docs use and fails
(exit 1, naming file and line) on anything else rather than print it wrong:
ATX headings (# for the rule, ## for its parts), paragraphs, "- " lists
whose items continue on lines indented by two blanks, ``` code blocks, and
pipe tables, and inline `code`, **bold** and *emphasis*.
"""
import os
import re
import sys


class DocError(Exception):
    pass


def escape(text):
    """Roff-escapes plain text: backslashes, ASCII minus, non-ASCII characters."""
    out = []
    for ch in text:
        if ch == "\\":
            out.append("\\e")
        elif ch == "-":
            out.append("\\-")
        elif ord(ch) > 126:
            out.append(f"\\[u{ord(ch):04X}]")
        else:
            out.append(ch)
    return "".join(out)


INLINE = re.compile(r"`([^`]+)`|\*\*(.+?)\*\*|(?<![\w*])\*(?=\S)(.+?)(?<=\S)\*(?![\w*])")


def inline(text):
    """Converts one paragraph's Markdown inline markup to roff font changes."""
    out = []
    pos = 0
    for m in INLINE.finditer(text):
        out.append(escape(text[pos:m.start()]))
        if m.group(1) is not None:
            out.append("\\fB" + escape(m.group(1)) + "\\fR")
        elif m.group(2) is not None:
            out.append("\\fB" + inline(m.group(2)) + "\\fR")
        else:
            out.append("\\fI" + inline(m.group(3)) + "\\fR")
        pos = m.end()
    out.append(escape(text[pos:]))
    return "".join(out)


def text_line(roff):
    """A roff text line must not start with a control character."""
    return "\\&" + roff if roff[:1] in (".", "'") else roff


def convert(path, lines):
    """Returns the roff of one rule doc; raises DocError on unknown Markdown."""
    out = []
    para = []  # lines of the open paragraph or list item
    in_item = False

    def flush():
        nonlocal para, in_item
        if para:
            out.append(".IP \\(bu 2" if in_item else ".PP")
            out.append(text_line(inline(" ".join(para))))
        para = []
        in_item = False

    i = 0
    title_seen = False
    while i < len(lines):
        line = lines[i].rstrip("\n")
        where = f"{path}:{i + 1}"
        if line.startswith("```"):
            flush()
            out += [".PP", ".RS 4", ".nf"]
            i += 1
            while i < len(lines) and not lines[i].startswith("```"):
                out.append(text_line(escape(lines[i].rstrip("\n"))))
                i += 1
            if i == len(lines):
                raise DocError(f"{where}: code block not closed")
            out += [".fi", ".RE"]
        elif line.startswith("# "):
            if title_seen:
                raise DocError(f"{where}: a second level-1 heading")
            flush()
            m = re.fullmatch(r"# (PV\d{3}) ([a-z0-9-]+)", line)
            if not m:
                raise DocError(f"{where}: the title must be '# PVnnn slug'")
            out.append(f'.SH "{m.group(1)} {escape(m.group(2))}"')
            title_seen = True
        elif line.startswith("## "):
            flush()
            out.append(f'.SS "{escape(line[3:].strip())}"')
        elif line.startswith("#"):
            raise DocError(f"{where}: only # and ## headings are supported")
        elif not line.strip():
            flush()
        elif line.startswith("- "):
            flush()
            in_item = True
            para = [line[2:].strip()]
        elif in_item and line.startswith("  ") and para:
            para.append(line.strip())
        elif line.startswith("    ") or line.startswith("\t"):
            raise DocError(f"{where}: indented code; use a ``` block")
        elif line.startswith("|"):
            flush()
            i = table(path, lines, i, out)
            continue
        elif re.match(r"\d+\. |[*+] |>", line):
            raise DocError(f"{where}: numbered lists, '*'/'+' items and quotes are not supported")
        else:
            if in_item:  # an unindented line ends the item and starts a paragraph
                flush()
            para.append(line.strip())
        i += 1
    flush()
    if not title_seen:
        raise DocError(f"{path}:1: no '# PVnnn slug' title")
    return out


def cells(line):
    return [c.strip() for c in line.strip().strip("|").split("|")]


def table(path, lines, i, out):
    """A pipe table becomes one paragraph per row, a "heading: cell" line per
    column (terminals are too narrow for wide tables). Returns the index of
    the first line after the table."""
    head = cells(lines[i])
    if i + 1 >= len(lines) or not re.fullmatch(r"\|?(\s*:?-+:?\s*\|)*\s*:?-+:?\s*\|?\s*", lines[i + 1]):
        raise DocError(f"{path}:{i + 2}: a table needs a |---| line under its heading")
    i += 2
    while i < len(lines) and lines[i].startswith("|"):
        row = cells(lines[i])
        if len(row) != len(head):
            raise DocError(f"{path}:{i + 1}: {len(row)} cells, the heading has {len(head)}")
        out.append(".PP")
        for n, (name, cell) in enumerate(zip(head, row)):
            if n:
                out.append(".br")
            out.append(text_line("\\fI" + inline(name) + "\\fR: " + inline(cell)))
        i += 1
    return i


def rule_number(path):
    m = re.fullmatch(r"PV(\d{3})\.md", os.path.basename(path))
    if not m:
        raise DocError(f"{path}: not a PVnnn.md rule doc")
    return int(m.group(1))


HEAD = r""".TH POSTVET\-RULES 7 "" "postvet {version}" "postvet"
.SH NAME
postvet\-rules \- what each postvet rule finds, why, and how it is fixed
.SH DESCRIPTION
Every finding of
.BR postvet (1)
names a rule by its ID (PV\fInnn\fR).
The hundreds say what a rule looks at:
PV0 the input files themselves, PV1 main.cf parameters, PV2 DNS blocklists,
PV3 regexp and pcre tables, PV4 master.cf, PV5 process limits and memory,
PV6 security, PV9 live DNS probes.
.PP
Each section below is one rule, in ID order; it is the same text that
\fBpostvet explain\fR \fIID\fR prints.
\fBpostvet rules\fR lists the rules with their severity and fix safety.
.PP
A fix marked \fBsafe\fR is applied by \fBpostvet check \-\-fix\fR;
\fBunsafe\fR fixes change what Postfix does and need \fB\-\-unsafe\-fixes\fR.
Rules are selected with \fB\-\-select\fR and \fB\-\-ignore\fR or in
\fI.postvet.cf\fR, and silenced in a file with \fB# postvet: disable=\fR\fIID\fR.
"""

TAIL = r""".SH "SEE ALSO"
.BR postvet (1),
.BR postconf (5),
.BR master (5),
.BR regexp_table (5),
.BR pcre_table (5),
.BR postscreen (8)
"""


def main(argv):
    if len(argv) < 4:
        print("usage: gen-rules-man.py VERSION OUT.7 PVnnn.md...", file=sys.stderr)
        return 2
    version, out_path, docs = argv[1], argv[2], argv[3:]
    try:
        docs = sorted(docs, key=rule_number)
        body = [HEAD.format(version=escape(version)).rstrip("\n")]
        for doc in docs:
            with open(doc, encoding="utf-8") as f:
                body += convert(doc, f.readlines())
        body.append(TAIL.rstrip("\n"))
    except (DocError, OSError, UnicodeDecodeError) as e:
        print(f"gen-rules-man.py: {e}", file=sys.stderr)
        return 1
    tmp = out_path + ".tmp"
    with open(tmp, "w", encoding="ascii") as f:
        f.write("\n".join(body) + "\n")
    os.replace(tmp, out_path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
