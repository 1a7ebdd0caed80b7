#!/usr/bin/env python3
"""Oracle test for PV301's fix (group same-header rules under `if /^Name:/`).

The fix claims that every lookup gives the same answer after it. This test
checks that claim with Postfix's own postmap, for both table types:

* tables: the demo header_checks, every regexp/pcre checks file of the
  corpus, a few hand-written tricky tables, and seeded random tables full
  of same-header runs mixed with rules that must not be grouped (negated,
  top-level alternation, `m`/`x` flags, inline options, if blocks, $n
  results, continuation lines, other delimiters);
* the fix: `postvet check --select PV301 --fix` on a config dir whose
  main.cf names the table as header_checks;
* the check: `postmap -q - TYPE:FILE` (one key per line) and
  `postmap -h -q - TYPE:FILE` (a header block with folded lines) on many
  generated header lines (the table's header names in several cases, other
  headers, near misses such as `X-Subject:` and `Subject :`, words taken
  from the patterns) must print the same before and after the fix;
* the fixed file must be the original plus inserted `if /^Name:/` and
  `endif` lines only, and enough tables must actually have been changed.

Fails (does not skip) when postmap or its pcre support is missing. The
corpus tables are the shared part, skipped without the corpus.
"""
# postvet-test-parts: local shared
import difflib
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile

import shared_data

SRC = os.environ.get("POSTVET_SOURCE_DIR", os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN = os.environ.get("POSTVET_BIN", os.path.join(SRC, "build", "postvet"))
CORPUS = shared_data.corpus_dir()
SEED = int(os.environ.get("POSTVET_ORACLE_SEED", "20240601"))
GENERATED_PER_TYPE = 40

failures = []


def fail(msg):
    failures.append(msg)
    print("FAIL:", msg[:4000])


def find_postmap():
    for cand in (shutil.which("postmap"), "/usr/sbin/postmap"):
        if cand and os.path.exists(cand):
            return cand
    return None


def backdate(path):
    # Postfix re-reads files modified within the last second (spec, "hot" files).
    os.utime(path, (946684800, 946684800))


# ---------------------------------------------------------------- tables

HEADERS = ["Subject", "From", "To", "X-Mailer", "Received", "Content-Type", "X-Spam-Flag", "Reply-To"]
WORDS = ["viagra", "casino", "lotto", "invoice", "bulk", "hello", "phpmailer", "example", "yes", "zip"]


def case_variant(rng, name):
    return rng.choice([name, name.lower(), name.upper(), "".join(
        c.upper() if rng.random() < 0.5 else c.lower() for c in name)])


def gen_table(rng, kind):
    """A random table of `kind` ("regexp" or "pcre") with many same-header runs."""
    flags_pool = ["", "", "", "i", "ii", "m", "x"] if kind == "regexp" else ["", "", "", "i", "ii", "m", "s", "x", "A", "U", "E"]
    mids = [".*", " ", ".*\\b" if kind == "pcre" else ".*", "[[:space:]]*", "(.*)", ".*(a|e)", ".*[|]", "\\|?"]
    lines = []
    counter = [0]

    def result(has_group=False):
        counter[0] += 1
        act = rng.choice(["REJECT", "WARN", "DUNNO", "OK", "reject", "INFO"])
        if has_group and rng.random() < 0.5:
            return f"{act} r{counter[0]} [$1]"
        r = rng.random()
        if r < 0.05:
            return f"{act} r{counter[0]} multi\n   line"
        if r < 0.08:
            return f"{act} r{counter[0]} multi\n\n   after a blank line"
        if r < 0.11:
            return f"{act} r{counter[0]} multi\n# a comment\n   after a comment"
        return f"{act} r{counter[0]}"

    def delim(body, flags, neg=""):
        d = rng.choice(["/", "/", "/", "%", "@"])
        body = body.replace(d, "\\" + d)
        return f"{neg}{d}{body}{d}{flags}"

    def same_header_rule(name):
        mid = rng.choice(mids)
        word = rng.choice(WORDS)
        body = f"^{case_variant(rng, name)}:{mid}{word}"
        flags = rng.choice(flags_pool)
        return f"{delim(body, flags)} {result('(' in mid)}"

    def odd_rule(name):
        word = rng.choice(WORDS)
        w2 = rng.choice(WORDS)
        choices = [
            f"{delim(f'^{name}:.*{word}', '', '!')} {result()}",
            f"{delim(f'^{name}:.*{word}|{w2}', '')} {result()}",
            f"{delim(f'^{name}:.*{word}', 'm')} {result()}",
            f"{delim(f'{word}', '')} {result()}",
            f"{delim(f'^{name}:?{word}', '')} {result()}",
            f"{delim(f'^{name}', '')} {result()}",
            f"{delim(f'^X-{name}:.*{word}', '')} {result()}",
        ]
        if kind == "pcre":
            choices += [
                f"{delim(f'^{name}:(?x) {word} # c|x', '')} {result()}",
                delim('^' + name + ':\\Q|\\E' + word, '') + ' ' + result(),
                f"{delim(f'^{name}:(?i:{word}|{w2})', '')} {result()}",
                f"{delim(f'^{name}:.*{word}', 'A')} {result()}",
            ]
        else:
            choices += [f"/^{name}:.*{word}/!/{w2}/ {result()}"]
        return rng.choice(choices)

    depth = 0
    for _ in range(rng.randint(8, 30)):
        r = rng.random()
        if r < 0.45:
            name = rng.choice(HEADERS)
            for _ in range(rng.randint(2, 6)):
                lines.append(same_header_rule(name))
                if rng.random() < 0.15:
                    lines.append(rng.choice(["# a comment", "", odd_rule(name)]))
        elif r < 0.7:
            lines.append(odd_rule(rng.choice(HEADERS)))
        elif r < 0.8 and depth < 2:
            depth += 1
            name = rng.choice(HEADERS)
            lines.append(rng.choice([f"if /^{name}:/", f"if !/^{name}:/", f"if /{rng.choice(WORDS)}/", "IF /^./"]))
        elif r < 0.88 and depth > 0:
            depth -= 1
            lines.append("endif")
        else:
            lines.append(f"/^{rng.choice(HEADERS)}:/ {result()}")
    lines += ["endif"] * depth
    return "\n".join(lines) + ("\n" if rng.random() < 0.9 else "")


HANDWRITTEN = {
    "regexp": [
        "/^Subject: a/ OK 1\n/^Subject: b|c/ OK 2\n/^Subject: d/ OK 3\n/^Subject: e/ OK 4\n/^Subject: f/ OK 5\n/^Subject: g/ OK 6\n",
        "/^Subject:.*[|]x/ OK 1\n/^subject:.*\\(y/ OK 2\n/^SUBJECT:(a|b)c/ OK 3\n/^Subject:[[:alpha:]|]z/ OK 4\n",
        "/^From: a/ OK 1\n/^From: b/x OK 2\n/^From: c/ OK 3\n/^From: d/ OK 4\n/^From: e/m OK 5\n/^From: f/ OK 6\n/^From: g/ OK 7\n/^From: h/ OK 8\n",
        "if /^Subject:/\n/^Subject: a/ OK 1\n/^Subject: b/ OK 2\n/^Subject: c/ OK 3\nendif\n/^To: a/ OK 4\n/^To: b/ OK 5\n/^To: c/ OK 6",
    ],
    "pcre": [
        "/^Subject: a/ OK 1\n/^Subject:(?x) b # |c/ OK 2\n/^Subject: d/ OK 3\n/^Subject: e/ OK 4\n/^Subject:\\Q|\\E f/ OK 5\n/^Subject: g/ OK 6\n/^Subject: h/ OK 7\n",
        "/^Subject:.*[\\]|]x/ OK 1\n/^subject:.*\\(y/i OK 2\n/^SUBJECT:(?:a|b)c/ OK 3\n/^Subject:(?#|)z/ OK 4\n",
        "/^From: (a)/ OK [$1]\n/^From: b/s OK 2\n/^From: c/U OK 3\n/^From: d/E OK 4\n/^From: e/m OK 5\n/^From: f/ OK 6\n/^From: g/ OK 7\n/^From: h/ OK 8\n",
    ],
}


def corpus_tables():
    out = []
    checks = os.path.join(CORPUS, "checks")
    if not os.path.isdir(checks):
        fail(f"corpus not found at {checks}")
        return out
    for name in sorted(os.listdir(checks)):
        if name.endswith(".cidr"):
            continue
        with open(os.path.join(checks, name), "rb") as f:
            out.append((name, f.read()))
    return out


# ------------------------------------------------------------------ keys

NAME_RE = re.compile(rb"\^\(?([A-Za-z][A-Za-z0-9_-]*)")
WORD_RE = re.compile(rb"[A-Za-z][A-Za-z0-9]{2,}")


def make_keys(rng, table_bytes):
    names = set(HEADERS)
    words = set(WORDS)
    for m in NAME_RE.finditer(table_bytes):
        names.add(m.group(1).decode("ascii"))
    for m in WORD_RE.finditer(table_bytes):
        words.add(m.group(0).decode("ascii"))
    names = sorted(names)[:60]
    words = sorted(words)
    rng.shuffle(words)
    words = words[:80]
    plain = []
    for name in names:
        for _ in range(3):
            variant = case_variant(rng, name)
            w = rng.choice(words)
            plain += [f"{variant}: {w}", f"{variant}:{w} and {rng.choice(words)}", f"{variant}: (a) {w} c",
                      f"{variant} : {w}", f"X-{variant}: {w}", f"{variant}x: {w}", f" {variant}: {w}",
                      f"{variant}: |{w}", f"{variant}: f", f"{variant}:"]
    for w in words:
        plain += [f"Other: {w}", w, f"Subject: {w} {w.upper()}"]
    plain = [k for k in plain if k.strip()]
    # -h mode: a header block; folded lines become one key joined with "\n".
    header = []
    for name in names:
        variant = case_variant(rng, name)
        w = rng.choice(words)
        if rng.random() < 0.5:
            header.append(f"{variant}: first\n\t{w} second\n {rng.choice(words)}")
        else:
            header.append(f"{variant}: {w}")
    return "\n".join(plain) + "\n", "\n".join(header) + "\n\nbody\n"


# ---------------------------------------------------------------- running

def postmap(pm, cfg, kind, path, keys, header_mode):
    args = [pm, "-c", cfg] + (["-h"] if header_mode else []) + ["-q", "-", f"{kind}:{path}"]
    p = subprocess.run(args, input=keys.encode("latin-1"), capture_output=True)
    return p.returncode, p.stdout


def check_table(pm, cfg, tmp, label, kind, data, rng):
    work = os.path.join(tmp, "cfg")
    if os.path.exists(work):
        shutil.rmtree(work)
    os.makedirs(work)
    with open(os.path.join(work, "main.cf"), "w") as f:
        f.write(f"header_checks = {kind}:/etc/postfix/header_checks\n")
    table = os.path.join(work, "header_checks")
    with open(table, "wb") as f:
        f.write(data)
    before = os.path.join(tmp, "before")
    shutil.copyfile(table, before)
    p = subprocess.run([BIN, "check", "--select", "PV301", "--fix", "--fail-on", "info", work], capture_output=True)
    if p.returncode == 2:
        fail(f"{label} [{kind}]: postvet failed: {p.stderr.decode(errors='replace')}")
        return False
    with open(table, "rb") as f:
        after = f.read()
    changed = after != data
    if changed:
        # Only whole `if /^Name:/` and `endif` lines may have been added.
        sm = difflib.SequenceMatcher(a=data.split(b"\n"), b=after.split(b"\n"), autojunk=False)
        for op, a1, a2, b1, b2 in sm.get_opcodes():
            if op == "equal":
                continue
            added = after.split(b"\n")[b1:b2]
            if b2 == len(after.split(b"\n")) and added and added[-1] == b"":
                added = added[:-1]  # a final LF added after an unterminated last line
            if op != "insert" or not all(re.fullmatch(rb"(if /\^[A-Za-z0-9_-]+:/|endif)\r?", l) for l in added):
                removed = data.split(b"\n")[a1:a2]
                fail(f"{label} [{kind}]: the fix changed more than if/endif lines: {op} {removed!r} -> {added!r}")
                break
    backdate(before)
    backdate(table)
    keys, header_block = make_keys(rng, data)
    for header_mode, text in ((False, keys), (True, header_block)):
        rc1, out1 = postmap(pm, cfg, kind, before, text, header_mode)
        rc2, out2 = postmap(pm, cfg, kind, table, text, header_mode)
        if (rc1, out1) != (rc2, out2):
            diff = "\n".join(difflib.unified_diff(out1.decode("latin-1").splitlines(),
                                                  out2.decode("latin-1").splitlines(), lineterm="", n=1))
            fail(f"{label} [{kind}] {'-h ' if header_mode else ''}lookups differ after the fix "
                 f"(rc {rc1} vs {rc2}):\n--- table before:\n{data.decode('latin-1')}\n--- after:\n"
                 f"{after.decode('latin-1')}\n--- postmap diff:\n{diff}")
        check_table.hits += out1.count(b"\n")
    return changed


check_table.hits = 0


def main():
    shared_data.start(CORPUS)
    pm = find_postmap()
    if pm is None:
        fail("postmap not found: this oracle test needs Postfix (postfix and postfix-pcre packages)")
        return 1
    rng = random.Random(SEED)
    changed = {"regexp": 0, "pcre": 0}
    total = 0
    local, shared = shared_data.run_local(), shared_data.run_shared(CORPUS)
    if not local and not shared:
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        cfg = os.path.join(tmp, "postfix-config")
        os.makedirs(cfg)
        open(os.path.join(cfg, "main.cf"), "w").close()
        backdate(os.path.join(cfg, "main.cf"))
        m = subprocess.run([shutil.which("postconf") or "/usr/sbin/postconf", "-c", cfg, "-m"],
                           capture_output=True, text=True)
        if "pcre" not in m.stdout.split():
            fail("postmap has no pcre: support (install postfix-pcre)")
            return 1

        tables = []
        if local:
            with open(os.path.join(SRC, "testdata", "demo", "header_checks"), "rb") as f:
                tables.append(("demo/header_checks", f.read()))
            for kind in ("regexp", "pcre"):
                for i, text in enumerate(HANDWRITTEN[kind]):
                    tables.append((f"handwritten-{i}", text.encode(), kind))
            for kind in ("regexp", "pcre"):
                for i in range(GENERATED_PER_TYPE):
                    tables.append((f"generated-{kind}-{i}", gen_table(rng, kind).encode(), kind))
        if shared:
            tables += corpus_tables()

        for entry in tables:
            kinds = ("regexp", "pcre") if len(entry) == 2 else (entry[2],)
            for kind in kinds:
                total += 1
                if check_table(pm, cfg, tmp, entry[0], kind, entry[1], rng):
                    changed[kind] += 1
                    if entry[0] == "demo/header_checks":
                        changed["demo"] = changed.get("demo", 0) + 1

    print(f"{total} table runs, fixed regexp={changed['regexp']} pcre={changed['pcre']}, "
          f"{check_table.hits} postmap hits compared")
    if local and changed.get("demo", 0) != 2:
        fail("the fix did not change testdata/demo/header_checks under both table types")
    # The local tables alone must exercise the fix; the corpus adds real ones.
    least_changed, least_hits = (15, 2000) if local else (1, 100)
    for kind in ("regexp", "pcre"):
        if changed[kind] < least_changed:
            fail(f"only {changed[kind]} {kind} tables were changed by the fix: the test proves too little")
    if check_table.hits < least_hits:
        fail(f"only {check_table.hits} postmap hits: the keys do not exercise the tables")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
