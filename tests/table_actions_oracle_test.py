#!/usr/bin/env python3
"""Postfix as the oracle for the table action rules (PV303, PV304's ignored
if/endif text, PV308's access part, PV312, PV313, and PV003's indented table
rules).

Local part:
1. Text after an `if` pattern or `endif` (PV304): for hand-written and
   seeded random tables, each read as regexp: and pcre:, the "ignoring extra
   text after IF statement" / "... after ENDIF" warnings of
   `postmap -c DIR -q KEY TYPE:FILE` must be exactly the "Postfix: ..." notes
   of PV304's findings, and each such finding must sit on the line that holds
   the ignored text.
2. Access and header check results (PV303, PV308, PV312, PV313 fire
   fixtures): for
   every finding, `postmap -q` with a key that the finding's rule matches must
   return that rule's result, and the word or code the finding points at must
   be in it where the finding says: what the rules judge is what Postfix's
   lookup returns.

3. PV003's indented table rule: postmap joins it to the rule above (its own
   key finds nothing), and after the unsafe fix it matches.

Shared part (the corpus): the five rules over every regexp/pcre table of the
corpus, each in the role its own configuration gives it (a corpus main.cf of
the same repository naming it) or, lone, the role its file name suggests.
Every finding must be in JUSTIFIED (reviewed by hand); PV304's ignored-text
notes must match postmap's warnings there too.

postmap runs with `-c DIR` and an empty main.cf. Fails, never skips, when
postmap is missing.
"""
# postvet-test-parts: local shared
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import shared_data  # noqa: E402

SRC = os.environ.get("POSTVET_SOURCE_DIR", os.path.dirname(HERE))
BIN = os.path.abspath(os.environ.get("POSTVET_BIN", os.path.join(SRC, "build", "postvet")))
CORPUS = shared_data.corpus_dir()
RULES = "PV303,PV304,PV308,PV312,PV313"

# Corpus findings reviewed and found right: (file, line, rule). None so far:
# the corpus tables use their actions as Postfix documents them.
JUSTIFIED = set()

failures = []


def fail(msg):
    failures.append(msg)
    if len(failures) <= 30:
        print("FAIL: " + msg, file=sys.stderr)


def postmap(conf, typ, path, key):
    p = subprocess.run(["postmap", "-c", conf, "-q", key, f"{typ}:{path}"], capture_output=True)
    return p.stdout.decode("latin-1").rstrip("\n"), p.stderr.decode("latin-1")


def extra_text_warnings(stderr):
    out = []
    for line in stderr.splitlines():
        line = re.sub(r"^postmap: warning: ", "", line)
        if "ignoring extra text after" in line:
            out.append(re.sub(r"^(regexp|pcre) map [^,]*, line", r"\1 map MAP, line", line))
    return sorted(out)


def lint(directory):
    p = subprocess.run([BIN, "check", "--select", RULES, "--format", "json", directory], capture_output=True,
                       text=True)
    if p.returncode not in (0, 1):
        fail(f"postvet check {directory}: exit {p.returncode}: {p.stderr.strip()}")
        return []
    return json.loads(p.stdout)["diagnostics"]


def extra_text_notes(diagnostics):
    out = []
    for d in diagnostics:
        if d["rule"] != "PV304":
            continue
        for n in d["notes"]:
            m = n["message"]
            if m.startswith("Postfix: ") and "ignoring extra text after" in m:
                out.append(re.sub(r"^(regexp|pcre) map [^,]*, line", r"\1 map MAP, line", m[len("Postfix: "):]))
    return sorted(out)


def config_dir(tmp, name, typ, text, param="header_checks"):
    d = os.path.join(tmp, name)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "main.cf"), "w") as f:
        f.write(f"{param} = {typ}:/etc/postfix/t\n")
    with open(os.path.join(d, "t"), "wb") as f:
        f.write(text)
    return d


def compare_extra_text(conf, d, typ, label):
    path = os.path.join(d, "t")
    _, stderr = postmap(conf, typ, path, "Subject: x")
    want = extra_text_warnings(stderr)
    diags = lint(d)
    got = extra_text_notes(diags)
    if want != got:
        fail(f"{label} ({typ}): postmap warns {want}, PV304 notes {got}")
    with open(path, "rb") as f:
        lines = f.read().split(b"\n")
    for diag in diags:
        if diag["rule"] != "PV304" or not any("ignoring extra text" in n["message"] for n in diag["notes"]):
            continue
        line = lines[diag["line"] - 1]
        seg = line[diag["column"] - 1:diag["end_column"] - 1]
        if not seg.strip():
            fail(f"{label} ({typ}): PV304 points at blank text on line {diag['line']}")
    return len(want)


HAND_TABLES = [
    b"if /^Subject:/\n    /viagra/ REJECT spam\n    /cialis/ REJECT spam\nendif\n",
    b"if /^Subject:/ /viagra/ REJECT\nendif\n",
    b"if /^From:/\n/a/ OK\nendif # From\n",
    b"if /^From:/\n\t/a/ DISCARD\n# comment\n\t/b/ DISCARD\nendif\n",
    b"if /^From:/\n/a/ OK\nendif\n",
    b"if /^X:/\r\n  /a/ HOLD\r\nendif\r\n",
    b"endif extra\n",
    b"if /(/ trailing\n/a/ OK\nendif\n",
]


def random_table(rng):
    out = []
    depth = 0
    for _ in range(rng.randint(3, 12)):
        r = rng.random()
        if r < 0.25:
            out.append(b"if /^H%d:/" % rng.randint(0, 9) + (b" /x/ OK" if rng.random() < 0.3 else b""))
            depth += 1
        elif r < 0.4 and depth:
            out.append(b"endif" + (b" # done" if rng.random() < 0.3 else b""))
            depth -= 1
        elif r < 0.6:
            out.append(rng.choice([b"    ", b"\t", b" "]) + b"/y%d/ REJECT" % rng.randint(0, 9))
        elif r < 0.7:
            out.append(b"# note")
        else:
            out.append(b"/z%d/ WARN w" % rng.randint(0, 9))
    out += [b"endif"] * depth
    return b"\n".join(out) + b"\n"


# Keys for the fire fixtures' access and header tables: fixture file -> key per line.
FIXTURE_KEYS = {
    ("PV303", "sender_access", "pcre"): ["spammer@x", "later@x", "other@x", "grey@x"],
    ("PV312", "client_access", "pcre"): ["a.dynamic.example", "unknown", "bot.x", "a.example.net", "pop.x"],
    ("PV312", "sender_access", "regexp"): ["relay@x", "later@x", "maybe@x"],
    ("PV313", "client_access", "pcre"): ["a.example.invalid", "mail.x", "x"],
    ("PV313", "header_checks", "regexp"): ["Subject: viagra", "Subject: later", "Received: trusted"],
    ("PV308", "sender_access", "pcre"): ["a@x", "b@x", "c@x", "d@x", "e@x"],
}


def check_fixture_results(conf):
    checked = 0
    for (rule, name, typ), keys in FIXTURE_KEYS.items():
        fire = os.path.join(SRC, "testdata", "rules", rule, "fire")
        path = os.path.join(fire, name)
        with open(path, "rb") as f:
            lines = f.read().decode("latin-1").split("\n")
        diags = [d for d in lint(fire) if d["rule"] == rule and d["file"].endswith("/" + name)]
        if not diags:
            fail(f"{rule}/fire/{name}: no findings")
        for d in diags:
            n = d["line"]
            result, stderr = postmap(conf, typ, path, keys[n - 1])
            rule_text = lines[n - 1]
            written = re.sub(r"^\S+\s+", "", rule_text, count=1).rstrip()
            if result != written:
                fail(f"{rule}/fire/{name}:{n}: postmap returns {result!r} for {keys[n - 1]!r}, the rule says "
                     f"{written!r}")
                continue
            flagged = rule_text[d["column"] - 1:d["end_column"] - 1]
            if not flagged or flagged not in result:
                fail(f"{rule}/fire/{name}:{n}: finding points at {flagged!r}, not part of the result {result!r}")
            if d["rule"] in ("PV303", "PV313") and not result.startswith(flagged):
                fail(f"{rule}/fire/{name}:{n}: {flagged!r} is not the first word of {result!r}")
            checked += 1
    return checked


def check_indented_rules(conf):
    """PV003 in tables: the indented rule it reports is part of the rule above
    for postmap (its own key finds nothing), and after the fix it matches."""
    base = os.path.join(SRC, "testdata", "rules", "PV003")
    fire = os.path.join(base, "fire", "header_checks")
    diags = [d for d in json.loads(subprocess.run([BIN, "check", "--select", "PV003", "--format", "json",
                                                   os.path.join(base, "fire")], capture_output=True,
                                                  text=True).stdout)["diagnostics"]
             if d["file"].endswith("header_checks")]
    if [d["line"] for d in diags] != [2]:
        fail(f"PV003/fire/header_checks: findings on lines {[d['line'] for d in diags]}, expected [2]")
    joined, _ = postmap(conf, "regexp", fire, "Subject: viagra")
    alone, _ = postmap(conf, "regexp", fire, "Subject: cialis")
    fixed, _ = postmap(conf, "regexp", os.path.join(base, "fixed", "header_checks"), "Subject: cialis")
    if "/^Subject:.*cialis/" not in joined or alone != "" or fixed != "REJECT spam":
        fail(f"PV003 indented rule: postmap gives {joined!r}, {alone!r}, after the fix {fixed!r}")


def local_part(conf, tmp):
    check_indented_rules(conf)
    n = 0
    tables = [(f"hand{i}", t) for i, t in enumerate(HAND_TABLES)]
    with open(os.path.join(SRC, "testdata", "rules", "PV304", "fire", "body_checks"), "rb") as f:
        tables.append(("PV304/fire/body_checks", f.read()))
    rng = random.Random(int(os.environ.get("POSTVET_ORACLE_SEED", "20261206")))
    tables += [(f"random{i}", random_table(rng)) for i in range(40)]
    for label, text in tables:
        for typ in ("regexp", "pcre"):
            d = config_dir(tmp, f"{label.replace('/', '_')}-{typ}", typ, text)
            n += compare_extra_text(conf, d, typ, label)
    if n < 40:
        fail(f"only {n} ignored-text warnings compared; the tables should give more")
    print(f"local: {n} ignored-text warnings agree with postmap; {check_fixture_results(conf)} fixture results "
          "agree with postmap")


def corpus_roles():
    """(label, table path, type, parameter, restriction or None) for every corpus table."""
    checks = os.path.join(CORPUS, "checks")
    by_repo = {}
    for name in sorted(os.listdir(checks)):
        by_repo.setdefault("__".join(name.split("__")[:2]), []).append(name)
    roles = {}
    for main in sorted(os.listdir(os.path.join(CORPUS, "main.cf"))):
        repo = "__".join(main.split("__")[:2])
        with open(os.path.join(CORPUS, "main.cf", main), encoding="latin-1") as f:
            text = f.read()
        for m in re.finditer(r"^(\w+)\s*=((?:.*\n?)(?:[ \t].*\n?)*)", text, re.M):
            param, value = m.group(1), m.group(2)
            prev = ""
            for tok in re.split(r"[\s,]+", value):
                t = re.match(r"(?:proxy:)?(regexp|pcre):(\S+)", tok)
                if t:
                    base = os.path.basename(t.group(2))
                    for name in by_repo.get(repo, []):
                        if name.endswith("__" + base):
                            restriction = prev if re.fullmatch(r"check_\w+_access", prev) else None
                            roles.setdefault(name, (t.group(1), param, restriction))
                prev = tok
    out = []
    for name in sorted(os.listdir(checks)):
        if name.endswith(".cidr") or name.endswith("dsn_filter"):
            continue
        role = roles.get(name)
        out.append((name, os.path.join(checks, name), role))
    return out


def shared_part(conf, tmp):
    seen = set()
    compared = 0
    for name, path, role in corpus_roles():
        with open(path, "rb") as f:
            text = f.read()
        types = [role[0]] if role else ["regexp", "pcre"]
        for typ in types:
            if role:
                value = f"{role[2]} {typ}:/etc/postfix/t" if role[2] else f"{typ}:/etc/postfix/t"
                d = config_dir(tmp, f"corpus-{name}-{typ}", typ, text, role[1])
                with open(os.path.join(d, "main.cf"), "w") as f:
                    f.write(f"{role[1]} = {value}\n")
                diags = lint(d)
            else:
                d = os.path.join(tmp, f"lone-{typ}")
                os.makedirs(d, exist_ok=True)
                lone = os.path.join(d, name)
                shutil.copy(path, lone)
                p = subprocess.run([BIN, "check", "--select", RULES, "--type", typ, "--format", "json", lone],
                                   capture_output=True, text=True)
                diags = json.loads(p.stdout)["diagnostics"] if p.returncode in (0, 1) else []
                if p.returncode not in (0, 1):
                    fail(f"postvet check {name}: exit {p.returncode}")
            for diag in diags:
                key = (name, diag["line"], diag["rule"])
                if key not in JUSTIFIED:
                    fail(f"corpus {name}:{diag['line']}: unreviewed {diag['rule']} finding: {diag['message']}")
                seen.add(key)
            if role:
                compared += compare_extra_text(conf, d, typ, f"corpus {name}")
    for key in sorted(JUSTIFIED - seen):
        fail(f"justified finding no longer reported: {key}")
    print(f"shared: {len(seen)} corpus findings, all reviewed; {compared} ignored-text warnings agree")


def main():
    if shutil.which("postmap") is None:
        print("FAIL: postmap not found", file=sys.stderr)
        return 1
    shared_data.start(CORPUS)
    tmp = tempfile.mkdtemp(prefix="postvet-actions-oracle-")
    try:
        conf = os.path.join(tmp, "conf")
        os.makedirs(conf)
        open(os.path.join(conf, "main.cf"), "w").close()
        if shared_data.run_local():
            local_part(conf, tmp)
        if shared_data.run_shared(CORPUS):
            shared_part(conf, tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    if failures:
        print(f"{len(failures)} failure(s)", file=sys.stderr)
        return 1
    print("ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
