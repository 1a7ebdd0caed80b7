#!/usr/bin/python3
"""
# postvet-test-parts: local shared`postvet query` against live `postmap -q` (Postfix is the oracle).

1. Every regexp:/pcre: table of the corpus (checks/ and templated/, under
   the type(s) ORACLE.tsv ran it with) is queried with keys derived from its
   own patterns (a sample string per pattern and alternative, IF context
   prepended, case variants, words of the pattern bodies) plus fixed keys.
2. Tables from tests/gen_table.py (seeded), each under regexp and pcre.

Keys go to both tools in one process each (`postmap -q - TYPE:FILE`, `postvet
query --type TYPE FILE -`); stdout, exit status and the warnings on stderr
(prefix `postmap:`/`postvet:` removed) must be identical. A few keys per table
also go through the single-key form (`-q KEY`). postmap runs as the corpus
oracle ran it: `-c DIR` with an empty main.cf (compatibility_level 0, so no
UTF-8 checks). Fails, never skips, when postmap is missing.
"""

import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import gen_table  # noqa: E402
import oracle_lib  # noqa: E402
import shared_data  # noqa: E402

GENERATED_SEEDS = range(1, 121)  # x2 types = 240 generated tables
FIXED_KEYS = [
    b"", b"Subject: test", b"subject: TEST", b"From: a@b.example", b"To: x@example.org",
    b"Received: from mail.example.com (mail.example.com [192.0.2.1])",
    b"Content-Type: text/html", b"Content-Disposition: attachment; filename=\"a.exe\"",
    b"Content-Type: application/octet-stream; name=\"x.scr\"", b"X-Mailer: PHP/5.2",
    b"Message-ID: <x@y>", b"User-Agent: Thunderbird", b"X-Originating-IP: [10.0.0.1]",
    b"user@example.com", b"192.0.2.1", b"mail.example.com", b"localhost", b"RCPT TO:<a@b>",
    b"MAIL FROM:<>", b"viagra", b"Subject: =?utf-8?B?dGVzdA==?=", b"caf\xe9",
]

failures = []


def fail(msg):
    failures.append(msg)
    if len(failures) <= 20:
        print("FAIL: " + msg, file=sys.stderr)


# ---------------------------------------------------------------- key derivation

CLASS_PICKS = b"ax1 -.:_@/"
POSIX_CLASSES = {b"alpha": b"a", b"digit": b"1", b"alnum": b"a", b"space": b" ",
                 b"upper": b"A", b"lower": b"a", b"print": b"a", b"punct": b".",
                 b"xdigit": b"a", b"blank": b" ", b"graph": b"a", b"cntrl": b"\t"}


class Sampler:
    """Builds one string a regex probably matches (a heuristic, not a solver)."""

    def __init__(self, pat, choice):
        self.p, self.i, self.choice = pat, 0, choice

    def peek(self):
        return self.p[self.i:self.i + 1]

    def alt(self, top):
        branches = [self.seq()]
        while self.peek() == b"|":
            self.i += 1
            branches.append(self.seq())
        return branches[self.choice % len(branches)] if top else branches[0]

    def cls(self):
        end = self.i + 1
        neg = self.p[end:end + 1] == b"^"
        if neg:
            end += 1
        members = bytearray()
        if self.p[end:end + 1] == b"]":
            members += b"]"
            end += 1
        while end < len(self.p) and self.p[end:end + 1] != b"]":
            if self.p[end:end + 2] == b"[:":
                close = self.p.find(b":]", end)
                if close < 0:
                    break
                members += POSIX_CLASSES.get(self.p[end + 2:close], b"a")
                end = close + 2
                continue
            if self.p[end:end + 1] == b"\\" and end + 1 < len(self.p):
                members += self.escape_char(self.p[end + 1:end + 2])
                end += 2
                continue
            members += self.p[end:end + 1]
            end += 1
        self.i = end + 1
        if neg:
            for c in CLASS_PICKS:
                if c not in members:
                    return bytes([c])
            return b"z"
        return bytes(members[:1]) if members else b"a"

    @staticmethod
    def escape_char(c):
        return {b"d": b"1", b"w": b"a", b"s": b" ", b"S": b"x", b"D": b"x", b"W": b"-",
                b"t": b"\t", b"n": b"", b"r": b""}.get(c, c)

    def atom(self):
        c = self.peek()
        self.i += 1
        if c == b"\\":
            e = self.peek()
            self.i += 1
            if e in (b"b", b"B", b"A", b"z", b"Z", b"<", b">") or e.isdigit():
                return b""
            return self.escape_char(e)
        if c == b"[":
            self.i -= 1
            return self.cls()
        if c == b"(":
            skip = False
            if self.peek() == b"?":
                rest = self.p[self.i:self.i + 4]
                if rest[:2] in (b"?=", b"?!") or rest[:3] in (b"?<=", b"?<!"):
                    skip = True
                m = re.match(rb"\?(?:[imsxU-]*:|P?<[A-Za-z_]\w*>|'\w+'|[imsxU-]*\))", self.p[self.i:])
                if m:
                    self.i += m.end()
                    if m.group(0).endswith(b")"):
                        return b""
                elif skip:
                    self.i += 2 if rest[:2] in (b"?=", b"?!") else 3
            inner = self.alt(False)
            if self.peek() == b")":
                self.i += 1
            return b"" if skip else inner
        if c in (b"^", b"$"):
            return b""
        if c == b".":
            return b"x"
        return c

    def seq(self):
        out = bytearray()
        while self.i < len(self.p) and self.peek() not in (b"|", b")"):
            a = self.atom()
            q = self.peek()
            if q in (b"*", b"+", b"?"):
                self.i += 1
                if self.peek() in (b"?", b"+"):
                    self.i += 1
            elif q == b"{":
                m = re.match(rb"\{(\d+)(,\d*)?\}", self.p[self.i:])
                if m:
                    self.i += m.end()
                    a = a * max(1, min(int(m.group(1)), 8))
            out += a
        return bytes(out)


def sample(pattern, choice):
    try:
        s = Sampler(pattern, choice)
        out = s.alt(True)
        while s.i < len(pattern):  # stray ')' : keep going
            s.i += 1
            out += s.alt(True)
        return out
    except (IndexError, RecursionError):
        return b""


def extract_pattern(line):
    """(body, rest) of the first pattern of a rule or IF line, or None."""
    i = 0
    while i < len(line) and line[i:i + 1] in (b"!", b" ", b"\t"):
        i += 1
    if i >= len(line):
        return None
    d = line[i:i + 1]
    j = i + 1
    while j < len(line):
        if line[j:j + 1] == b"\\":
            j += 2
            continue
        if line[j:j + 1] == d:
            return line[i + 1:j], line[j + 1:]
        j += 1
    return None


def corpus_keys(data):
    keys = list(FIXED_KEYS)
    if_context = []
    for raw in data.split(b"\n"):
        line = raw.rstrip(b"\r")
        if not line.strip() or line.lstrip().startswith(b"#") or line[:1] in (b" ", b"\t"):
            continue
        low = line.lower()
        if low.startswith(b"endif"):
            if if_context:
                if_context.pop()
            continue
        is_if = low.startswith(b"if") and not line[2:3].isalnum()
        got = extract_pattern(line[2:] if is_if else line)
        if got is None:
            continue
        body, _ = got
        prefix = b" ".join(if_context)
        samples = {sample(body, c) for c in range(3)}
        for s in sorted(samples):
            for variant in (s, s.upper(), s.lower()):
                keys.append(variant)
                if prefix:
                    keys.append(prefix + b" " + variant)
        for word in re.findall(rb"[A-Za-z][A-Za-z-]{2,}", body)[:4]:
            keys.append(word)
            keys.append(b"Subject: " + word)
        if is_if:
            if_context.append(sample(body, 0))
    seen, out = set(), []
    for k in keys:
        k = k.replace(b"\n", b"").replace(b"\x00", b"")
        if k not in seen:
            seen.add(k)
            out.append(k)
    return out


# ---------------------------------------------------------------- running both tools

def run(cmd, stdin):
    p = subprocess.run(cmd, input=stdin, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       timeout=120)
    return p.returncode, p.stdout, p.stderr


def normalise_stderr(err, tool):
    prefix = tool.encode() + b": "
    return oracle_lib.comparable_table_warnings([line[len(prefix):] if line.startswith(prefix) else line
                                                 for line in err.split(b"\n") if line])


def compare(postmap, postvet, empty_dir, table_type, path, keys, label):
    table = table_type + ":" + path
    stdin = b"".join(k + b"\n" for k in keys)
    want = run([postmap, "-c", empty_dir, "-q", "-", table], stdin)
    got = run([postvet, "query", "--type", table_type] + oracle_lib.version_args() + [path, "-"], stdin)
    if want[0] != got[0] or want[1] != got[1]:
        want_lines, got_lines = want[1].split(b"\n"), got[1].split(b"\n")
        diff = [(w, g) for w, g in zip(want_lines, got_lines) if w != g][:3]
        fail(f"{label} ({table_type}): -q - rc {want[0]} vs {got[0]}; "
             f"first differences (postmap, postvet): {diff or (len(want_lines), len(got_lines))}")
        return 0
    w_err, g_err = normalise_stderr(want[2], "postmap"), normalise_stderr(got[2], "postvet")
    if w_err != g_err:
        extra = [x for x in w_err if x not in g_err][:2] + [b"<>"] + [x for x in g_err if x not in w_err][:2]
        fail(f"{label} ({table_type}): warnings differ: {extra}")
        return 0
    hits = {line.split(b"\t", 1)[0] for line in want[1].split(b"\n") if line}
    # The single-key form: one hit and one miss, when there are any.
    singles = [k for k in keys if k in hits and b"\x00" not in k][:1]
    singles += [k for k in keys if k not in hits and b"\x00" not in k and k[:1] != b"-"][:1]
    for key in singles:
        w = run([postmap, "-c", empty_dir, "-q", key, table], None)
        g = run([postvet, "query", "--type", table_type] + oracle_lib.version_args() + [path, "--", key], None)
        if (w[0], w[1]) != (g[0], g[1]) or \
                normalise_stderr(w[2], "postmap") != normalise_stderr(g[2], "postvet"):
            fail(f"{label} ({table_type}): -q {key!r}: postmap rc={w[0]} out={w[1]!r} "
                 f"err={w[2][:200]!r}; postvet rc={g[0]} out={g[1]!r} err={g[2][:200]!r}")
    return len(hits)


def backdate(path):
    # Postfix re-reads files modified within the last second and repeats
    # their warnings (format spec, "testing artifact").
    t = time.time() - 3600
    os.utime(path, (t, t))


def main():
    shared_data.start(shared_data.corpus_dir())
    postvet = os.environ.get("POSTVET_BIN", "")
    source_dir = os.environ.get("POSTVET_SOURCE_DIR", os.path.dirname(HERE))
    postmap = shutil.which("postmap") or ("/usr/sbin/postmap" if os.path.exists("/usr/sbin/postmap") else None)
    if not postmap:
        print("FAIL: postmap not found: this oracle test needs Postfix installed", file=sys.stderr)
        return 1
    if not postvet or not os.access(postvet, os.X_OK):
        print(f"FAIL: POSTVET_BIN not executable: {postvet!r}", file=sys.stderr)
        return 1
    corpus = shared_data.corpus_dir()
    oracle = os.path.join(corpus, "ORACLE.tsv")

    start = time.time()
    with tempfile.TemporaryDirectory(prefix="postvet-query-") as tmp:
        empty_dir = os.path.join(tmp, "empty")
        os.mkdir(empty_dir)
        open(os.path.join(empty_dir, "main.cf"), "w").close()

        corpus_tables = corpus_hits = gen_tables = gen_hits = 0
        if shared_data.run_local():
            # Tool errors: a missing table is exit 2 with a message naming it.
            missing = os.path.join(tmp, "no-such-table")
            rc, out, err = run([postvet, "query", "--type", "regexp", missing, "x"], None)
            if rc != 2 or out or missing.encode() not in err:
                fail(f"missing table: rc={rc} out={out!r} err={err!r}")
            # 2. Generated tables, each under both types.
            gen_tables = 0
            gen_hits = 0
            for seed in GENERATED_SEEDS:
                for table_type in ("regexp", "pcre"):
                    data, keys = gen_table.generate(seed, table_type)
                    path = os.path.join(tmp, f"gen-{seed}-{table_type}")
                    with open(path, "wb") as fh:
                        fh.write(data)
                    backdate(path)
                    gen_hits += compare(postmap, postvet, empty_dir, table_type, path, keys,
                                        f"gen_table.py {seed} {table_type}")
                    gen_tables += 1
            if gen_hits < gen_tables:
                fail(f"generated keys hit too rarely ({gen_hits} hits in {gen_tables} tables)")
        if shared_data.run_shared(corpus):
            # 1. Corpus tables under their intended types.
            corpus_tables = 0
            corpus_hits = 0
            with open(oracle, encoding="utf-8") as f:
                rows = [line.rstrip("\n").split("\t") for line in f][1:]
            for row in rows:
                name, mode = row[0], row[1]
                if mode not in ("regexp", "pcre") or not name.startswith(("checks/", "templated/")):
                    continue
                with open(os.path.join(corpus, name), "rb") as fh:
                    data = fh.read()
                path = os.path.join(tmp, mode + "-" + os.path.basename(name))
                with open(path, "wb") as fh:
                    fh.write(data)
                backdate(path)
                keys = corpus_keys(data)
                corpus_hits += compare(postmap, postvet, empty_dir, mode, path, keys, name)
                corpus_tables += 1
            if corpus_tables < 30:
                fail(f"only {corpus_tables} corpus tables found")
            if corpus_hits < corpus_tables:
                fail(f"derived keys hit too rarely ({corpus_hits} hits in {corpus_tables} tables)")
        if corpus_tables + gen_tables == 0:
            return 0  # the shared part was skipped

    print(f"corpus: {corpus_tables} tables, {corpus_hits} hits; generated: {gen_tables} tables, "
          f"{gen_hits} hits; {time.time() - start:.1f}s")
    if failures:
        print(f"{len(failures)} failure(s)", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
