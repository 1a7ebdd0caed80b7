#!/usr/bin/python3
"""Seeded generator of regexp:/pcre: tables and lookup keys for oracle tests.

generate(seed, table_type) returns (table_bytes, keys). The same seed and
type always give the same bytes. Tables mix well-formed rules with the
cases Postfix treats specially (format spec section 6): any delimiter, flag
toggles (`ii`), unknown and obsolete flags, `!` negation runs, the regexp
`/a/!/b/` form, IF/ENDIF nesting including broken nesting (an IF that fails
to compile, a bare `if`, stray and missing ENDIFs, indented lines inside an
IF), `$n` / `${n}` / `$(n)` / `$$` results and their errors, continuation
lines with comments and blank lines inside, CRLF endings, NUL and non-ASCII
bytes. Keys are built from sample strings each pattern is meant to match,
their case and edge variants, and random strings.

Run directly to print one table: gen_table.py SEED regexp|pcre [--keys]
"""

import random
import sys

ALPHABET = b"abcABC01 :-."
DELIMITERS = b"/////%|_@,\"'~;#"


class Gen:
    def __init__(self, seed, table_type):
        self.r = random.Random(seed * 7919 + (1 if table_type == "pcre" else 0))
        self.type = table_type
        self.samples = []  # strings some pattern should match

    # ---- patterns: (regex text, a string it matches) ----

    def atom(self, depth):
        r = self.r
        k = r.random()
        if k < 0.45:
            c = bytes([r.choice(b"abcABC01")])
            return c, c
        if k < 0.55:
            return b".", bytes([r.choice(b"abc")])
        if k < 0.65:
            cls = bytes(r.sample(list(b"abcx01"), 2))
            if r.random() < 0.2:
                return b"[^" + cls + b"]", b"z"
            return b"[" + cls + b"]", cls[:1]
        if k < 0.72:
            esc = r.choice([(b"\\.", b"."), (b"\\-", b"-"), (b"[[:digit:]]", b"7"),
                            (b" ", b" "), (b":", b":"), (b"\xe9", b"\xe9")])
            return esc
        if k < 0.9 and depth < 2:
            a, sa = self.seq(depth + 1)
            if r.random() < 0.4:
                b, sb = self.seq(depth + 1)
                self.samples.append(sb)
                return b"(" + a + b"|" + b + b")", sa
            return b"(" + a + b")", sa
        return bytes([r.choice(b"abc")]), None

    def seq(self, depth=0):
        r = self.r
        parts, sample = [], []
        for _ in range(r.randint(1, 4)):
            a, s = self.atom(depth)
            if s is None:
                s = a
            q = r.random()
            if q < 0.1:
                a, s = a + b"*", b""
            elif q < 0.2:
                a += b"+"
            elif q < 0.27:
                a, s = a + b"?", s if r.random() < 0.5 else b""
            elif q < 0.3:
                a, s = a + b"{2}", s + s
            parts.append(a)
            sample.append(s)
        return b"".join(parts), b"".join(sample)

    def pattern_body(self):
        r = self.r
        k = r.random()
        if k < 0.04:
            return b"", b"anything"
        if k < 0.08:  # does not compile in either library
            return r.choice([b"(a", b"a)", b"[a", b"*a", b"a{2,1}", b"(?<x"]), b"a"
        if k < 0.10:  # catastrophic backtracking for PCRE
            return b"^(a+)+$", b"a" * 28 + b"b"
        if k < 0.14:  # header style
            name = r.choice([b"Subject", b"From", b"X-Spam", b"Content-Type"])
            return b"^" + name + b":.*" + bytes([r.choice(b"abc")]), name + b": xx" + b"a"
        body, sample = self.seq()
        if r.random() < 0.2:
            body, sample = b"^" + body, sample
        if r.random() < 0.15:
            body += b"$"
        return body, sample

    def flags(self):
        r = self.r
        if r.random() < 0.55:
            return b""
        pool = b"imx" if self.type == "regexp" else b"imsxAEU"
        k = r.random()
        if k < 0.1:
            return bytes([r.choice(b"qXOs!")])  # unknown or obsolete somewhere
        if k < 0.2:
            f = bytes([r.choice(pool)])
            return f + f  # toggles back
        return bytes(r.choice(pool) for _ in range(r.randint(1, 2)))

    def delimited(self, body):
        r = self.r
        d = bytes([r.choice(DELIMITERS)])
        if r.random() < 0.05:
            d = bytes([r.choice(b"\xa7+=")])
        # The delimiter must be escaped inside the body.
        escaped = body.replace(d, b"\\" + d)
        if r.random() < 0.03:
            return d + escaped  # unterminated
        if r.random() < 0.02:
            return d + escaped + b"\\"  # trailing backslash (regexp quirk)
        return d + escaped + d

    def negation(self):
        r = self.r
        k = r.random()
        if k < 0.8:
            return b""
        return r.choice([b"!", b"!!", b"! ", b" !", b"!\t!"])

    # ---- results ----

    def result(self):
        r = self.r
        k = r.random()
        word = r.choice([b"OK", b"REJECT", b"DUNNO", b"WARN", b"PREPEND X-Tag: v"])
        if k < 0.08:
            return b""
        if k < 0.35:
            return word + b" " + r.choice([b"$1", b"${1}", b"$(1)", b"[$1][$2]", b"${2}x", b"$1$2"])
        if k < 0.45:
            return word + b" " + r.choice([b"$1x", b"$x", b"$0", b"${1", b"cost 5$", b"$ a",
                                           b"${}", b"$(1}", b"$00", b"$99", b"$x ${1}",
                                           b"$4294967297"])
        if k < 0.5:
            return word + b" $$HOME $${x} $$"
        if k < 0.55:
            return word + b" caf\xe9 #not-a-comment"
        if k < 0.58:
            return word + b" before\x00after"
        return word + b" " + bytes(r.choice(b"abcdef ") for _ in range(r.randint(0, 6)))

    # ---- lines ----

    def rule_line(self):
        r = self.r
        body, sample = self.pattern_body()
        if sample is not None:
            self.samples.append(sample)
        line = self.negation() + self.delimited(body) + self.flags()
        if r.random() < 0.1:  # /a/!/b/ (regexp); unknown option "!" for pcre
            body2, _ = self.pattern_body()
            line += r.choice([b"!", b"!!", b"! "]) + self.delimited(body2) + self.flags()
        res = self.result()
        if res or r.random() < 0.5:
            line += r.choice([b" ", b"\t", b"  "]) + res
        if r.random() < 0.1:
            line += r.choice([b" ", b"\t", b" \r"])
        return line

    def if_line(self):
        r = self.r
        kw = r.choice([b"if", b"if", b"IF", b"If"])
        k = r.random()
        if k < 0.05:
            return kw  # bare if: no regexp
        body, sample = self.pattern_body()
        if sample is not None:
            self.samples.append(sample)
        line = kw + r.choice([b" ", b" ", b"\t", b""]) + self.negation() + self.delimited(body)
        line += self.flags()
        if r.random() < 0.05:
            line += b" extra text"
        return line

    def block(self, depth, out):
        """Appends lines of a block; IF nesting up to depth 3."""
        r = self.r
        for _ in range(r.randint(1, 5)):
            k = r.random()
            if k < 0.18 and depth < 3:
                out.append(self.if_line())
                self.block(depth + 1, out)
                if r.random() < 0.9:
                    out.append(r.choice([b"endif", b"endif", b"ENDIF", b"endif extra", b"Endif"]))
            elif k < 0.22:
                out.append(r.choice([b"endif", b"foo bar", b"1/x/ OK", b"ifx /a/", b"\x00/a/ OK",
                                     b"endifx", b"if/a/"]))
            elif k < 0.26:
                out.append(b"  " + self.rule_line())  # indented: continues the previous line
            else:
                out.append(self.rule_line())

    def table(self):
        r = self.r
        lines = []
        if r.random() < 0.05:
            lines.append(b"  " + self.rule_line())  # leading whitespace
        self.block(0, lines)
        while len(lines) < 4:
            self.block(0, lines)
        eol = b"\r\n" if r.random() < 0.15 else b"\n"
        out = []
        for i, line in enumerate(lines):
            k = r.random()
            if k < 0.08:
                out.append(b"# comment " + str(i).encode() + eol)
            elif k < 0.12:
                out.append(r.choice([b"", b"   ", b"\t"]) + eol)
            if r.random() < 0.08 and b" " in line:
                # Split at a space into a continuation, maybe with dropped
                # lines between the two halves.
                cut = line.index(b" ", 1) if b" " in line[1:] else line.index(b" ")
                head, tail = line[:cut], line[cut:]
                out.append(head + eol)
                if r.random() < 0.5:
                    out.append(r.choice([b"# inner comment", b"", b"  #indented"]) + eol)
                out.append(b" " + tail.lstrip(b" ") + eol if tail.strip() else b"\t x" + eol)
            else:
                out.append(line + eol)
        data = b"".join(out)
        if r.random() < 0.1:
            data = data.rstrip(b"\r\n")  # no final newline
        return data

    def keys(self):
        r = self.r
        keys = [b"", b"a", b"Subject: test", b"abc"]
        for s in self.samples:
            if b"\n" in s:
                continue
            keys.append(s)
            if r.random() < 0.5:
                keys.append(s.swapcase())
            if r.random() < 0.3:
                keys.append(bytes(r.choice(ALPHABET) for _ in range(2)) + s)
            if r.random() < 0.3:
                keys.append(s + bytes(r.choice(ALPHABET) for _ in range(2)))
        for _ in range(6):
            keys.append(bytes(r.choice(ALPHABET) for _ in range(r.randint(0, 8))))
        if r.random() < 0.1:
            keys.append(b"caf\xe9")
        if r.random() < 0.05:
            keys.append(b"a\x00b")
        seen, uniq = set(), []
        for k in keys:
            if k not in seen:
                seen.add(k)
                uniq.append(k)
        return uniq


def generate(seed, table_type):
    """(table bytes, list of key bytes) for `seed` and "regexp" or "pcre"."""
    g = Gen(seed, table_type)
    data = g.table()
    return data, g.keys()


if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit("usage: gen_table.py SEED regexp|pcre [--keys]")
    table, keys = generate(int(sys.argv[1]), sys.argv[2])
    if "--keys" in sys.argv:
        sys.stdout.buffer.write(b"\n".join(keys) + b"\n")
    else:
        sys.stdout.buffer.write(table)
