#!/usr/bin/python3
"""Oracle test for the DNS list fixes (PV201-PV205) against live postconf.

For every case (the fire/ fixtures of PV201-PV205, the seed config below,
and restriction lists from a seeded generator):

  * each fixable rule on its own: the findings of `postvet check --select ID
    --format json` say which entries go (PV201 smtpd, PV202, PV203, PV204),
    which are merged (PV201 postscreen: the notes name the copies, the fix
    the merged text), and which get a filter (PV205). This test locates those
    entries itself (its own reader of main.cf/master.cf lists), computes the
    expected lists, runs `--select ID --fix`, and requires `postconf -c DIR
    -n` (and `-P` for master.cf overrides) to succeed and to show exactly the
    expected values: every parameter word for word, the changed lists
    differing only by the removed, merged or filtered entries. PV203/PV204
    remove every copy of a reported zone (later copies are reported once the
    first is gone);
  * all of PV2 at once: postconf accepts the result, no fixable PV201-PV205
    finding is left, a second --fix changes nothing, and parameters other
    than the lists are unchanged. On the seed, every list names each zone
    once and each problem is reported once.

Fails (never skips) when postconf is missing.
"""

import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import oracle_lib  # noqa: E402
from oracle_lib import OLD, POSTCONF, backdate  # noqa: E402,F401

SOURCE_DIR = oracle_lib.SRC
POSTVET = oracle_lib.BIN
FIXABLE = ["PV201", "PV202", "PV203", "PV204", "PV205"]
GENERATED_SEED = 2024
GENERATED_COUNT = 40

failures = []


def fail(msg):
    failures.append(msg)
    print("FAIL:", msg)


# ---------------------------------------------------------------------------
# Reading lists the way Postfix does, with the place of every word.

DNSBL_KEYWORDS = {"reject_rbl_client", "reject_rbl", "reject_rhsbl_client", "reject_rhsbl_reverse_client",
                  "reject_rhsbl_helo", "reject_rhsbl_sender", "reject_rhsbl_recipient", "permit_dnswl_client",
                  "permit_rhswl_client"}


def note_match(d, pattern):
    """The first match of `pattern` in the finding's notes (the detail notes
    carry the advice the message used to end with)."""
    for n in d.get("notes", []):
        m = re.search(pattern, n["message"])
        if m:
            return m
    raise AssertionError(f"no note of {d['rule']} matches {pattern}: {d.get('notes')}")


def logical_lines(data):
    """readllines(): yields lists of (byte, line, column) per logical line."""
    lines = data.split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    current = None
    for number, raw in enumerate(lines, start=1):
        stripped = raw.lstrip(b" \t\r")
        if stripped == b"" or stripped.startswith(b"#"):
            continue
        chars = [(raw[i:i + 1], number, i + 1) for i in range(len(raw))]
        if raw[:1] in (b" ", b"\t") and current is not None:
            current.extend(chars)
        else:
            if current is not None:
                yield current
            current = chars
    if current is not None:
        yield current


def split_words(chars):
    """mystrtokq(", \\t\\r\\n", "{}") over (byte, line, col) lists."""
    words, i, n = [], 0, len(chars)
    while i < n:
        while i < n and chars[i][0] in (b",", b" ", b"\t", b"\r", b"\n"):
            i += 1
        if i >= n:
            break
        start, level = i, 0
        while i < n and (level > 0 or chars[i][0] not in (b",", b" ", b"\t", b"\r", b"\n")):
            if chars[i][0] == b"{":
                level += 1
            elif chars[i][0] == b"}" and level > 0:
                level -= 1
            i += 1
        words.append((b"".join(c[0] for c in chars[start:i]).decode("latin-1"), chars[start][1], chars[start][2]))
    return words


def main_cf_values(data):
    """name -> list of (word, line, col) for the last definition of each name."""
    out = {}
    for chars in logical_lines(data):
        text = b"".join(c[0] for c in chars)
        eq = text.find(b"=")
        if eq < 0:
            continue
        name = text[:eq].strip().decode("latin-1")
        out[name] = split_words(chars[eq + 1:])
    return out


def master_cf_values(data):
    """service/type/name -> words of each `-o name=value` (separate form only)."""
    out = {}
    for chars in logical_lines(data):
        fields = split_fields(chars)
        if len(fields) < 8:
            continue
        key = fields[0][0] + "/" + fields[1][0]
        args = fields[8:]
        for k, (word, wchars) in enumerate(args):
            if word == "-o" and k + 1 < len(args):
                value_word, vchars = args[k + 1]
                if "=" not in value_word:
                    continue
                name = value_word.split("=", 1)[0]
                out[key + "/" + name] = split_words(vchars[len(name) + 1:])
    return out


def split_fields(chars):
    fields, i, n = [], 0, len(chars)
    while i < n:
        while i < n and chars[i][0] in (b" ", b"\t", b"\r"):
            i += 1
        if i >= n:
            break
        start = i
        while i < n and chars[i][0] not in (b" ", b"\t", b"\r"):
            i += 1
        fields.append((b"".join(c[0] for c in chars[start:i]).decode("latin-1"), chars[start:i]))
    return fields


def entries(words, postscreen):
    """Groups words as smtpd reads a restriction list: [warn_if_reject] name zone."""
    if postscreen:
        return [[w] for w in words]
    out, i = [], 0
    while i < len(words):
        start = i
        while i < len(words) and words[i][0].lower() == "warn_if_reject":
            i += 1
        if i >= len(words):
            out.append(words[start:i])
            break
        low = words[i][0].lower()
        takes = low in DNSBL_KEYWORDS or (low.startswith("check_") and (
            low.endswith("_access") or low in ("check_policy_service", "check_address_map")))
        end = i + 2 if takes and i + 1 < len(words) else i + 1
        out.append(words[start:end])
        i = end
    return out


# ---------------------------------------------------------------------------
# postconf.


def postconf_values(directory, flag):
    backdate(directory)
    p = subprocess.run([POSTCONF, "-c", directory, flag], capture_output=True, text=True)
    if p.returncode != 0:
        return None, p.stderr
    values = {}
    for line in p.stdout.splitlines():
        name, _, value = line.partition(" =")
        values[name] = value[1:] if value.startswith(" ") else value
    return values, p.stderr


def words_of(value):
    chars = [(value.encode("latin-1")[i:i + 1], 0, 0) for i in range(len(value.encode("latin-1")))]
    return [w[0] for w in split_words(chars)]


# ---------------------------------------------------------------------------
# postvet.

def postvet(args):
    return subprocess.run([POSTVET] + args, capture_output=True, text=True)


def findings(directory, rules):
    p = postvet(["check", "--format", "json", "--fail-on", "info", "--select", ",".join(rules), "--", directory])
    if p.returncode == 2:
        fail(f"postvet check {directory}: {p.stderr.strip()}")
        return []
    return json.loads(p.stdout)["diagnostics"]


def read_files(directory):
    out = {}
    for name in ("main.cf", "master.cf"):
        path = os.path.join(directory, name)
        if os.path.exists(path):
            with open(path, "rb") as f:
                out[name] = f.read()
    return out


# ---------------------------------------------------------------------------
# Expected values after one rule's fix.

class Lists:
    """Every parameter's entries, from main.cf and master.cf, with places."""

    def __init__(self, files):
        self.params = {}  # (file, key) -> list of entries (lists of (word, line, col))
        for fname, reader in (("main.cf", main_cf_values), ("master.cf", master_cf_values)):
            if fname not in files:
                continue
            for key, words in reader(files[fname]).items():
                postscreen = key.endswith("postscreen_dnsbl_sites")
                self.params[(fname, key)] = entries(words, postscreen)

    def locate(self, fname, line, col):
        for key, ents in self.params.items():
            if key[0] != fname:
                continue
            for k, ent in enumerate(ents):
                if ent and ent[-1][1] == line and ent[-1][2] == col:
                    return key, k
        return None, None

    def words(self, key):
        return [w[0] for ent in self.params[key] for w in ent]


def zone_of(word):
    return word.split("*", 1)[0].split("=", 1)[0].lower().rstrip(".")


def normalized(ent):
    words = [w[0] for w in ent]
    kw = ["reject_rbl_client" if w.lower() == "reject_rbl" else w.lower() for w in words[:-1]]
    rest, _, weight = words[-1].partition("*")
    _, _, filt = rest.partition("=")
    return kw, zone_of(rest), filt, weight


def expected_after(files, rule, diags):
    lists = Lists(files)
    delete = set()      # (key, index)
    replace = {}        # (key, index) -> new zone word
    dead_zones = set()
    kept = set()        # (key, zone, restriction) of dead entries whose fix is unsafe
    merge_lists = set()
    for d in diags:
        if (d["rule"] == rule and rule in ("PV203", "PV204") and d.get("fix") is not None
                and d["fix"]["applicability"] != "safe"):
            # An allowlist check on a list that times out defers (PV203), a
            # postscreen weight moves scores (PV204): such entries stay.
            key, k = lists.locate(os.path.basename(d["file"]), d["line"], d["column"])
            if key is not None:
                ent = lists.params[key][k]
                kept.add((key, zone_of(ent[-1][0]), ent[-2][0].lower() if len(ent) >= 2 else ""))
        if d["rule"] != rule or d.get("fix") is None or d["fix"]["applicability"] != "safe":
            continue  # unsafe fixes (a reply map, a postscreen score at stake) are not applied
        fname = os.path.basename(d["file"])
        key, k = lists.locate(fname, d["line"], d["column"])
        if key is None:
            fail(f"{rule}: no list entry at {d['file']}:{d['line']}:{d['column']}")
            continue
        zone_word = lists.params[key][k][-1][0]
        if rule in ("PV203", "PV204"):
            dead_zones.add((key, zone_of(zone_word)))
        elif rule == "PV205":
            # A detail note says "use ZONE=FILTER": the filter the fix adds.
            filt = note_match(d, r"^use (\S+)$").group(1).split("=", 1)[1]
            for kk, ent in enumerate(lists.params[key]):
                same = kk == k or (key[1].endswith("postscreen_dnsbl_sites") and kk > k and
                                   normalized(ent) == normalized(lists.params[key][k]))
                if same:
                    # postscreen copies are PV201's to merge; once the first
                    # has its filter the next is no copy and gets one too.
                    z, star, weight = ent[-1][0].partition("*")
                    replace[(key, kk)] = z + "=" + filt + star + weight
        elif rule == "PV201" and key[1].endswith("postscreen_dnsbl_sites"):
            # A merge can make new exact copies (zen zen zen*2 -> zen*2 zen*2
            # -> zen*4), and which pass merges what depends on which edits
            # touch; so postscreen lists are checked by meaning (MergeCheck).
            merged = note_match(d, r"write (\S+) once$").group(1)
            first = [n for n in d["notes"] if n["message"] == "first listed here"]
            fkey, fk = lists.locate(os.path.basename(first[0]["file"]), first[0]["line"], first[0]["column"])
            if fkey is None or site(lists.params[fkey][fk][-1][0])[:2] != site(merged)[:2]:
                fail(f"{rule}: merge text {merged} does not fit the first copy")
            merge_lists.add(key)
        else:
            delete.add((key, k))
            if rule == "PV202":
                # Later copies are PV201's; once this one is gone they are
                # the covered entry and go too.
                for kk in range(k + 1, len(lists.params[key])):
                    if normalized(lists.params[key][kk]) == normalized(lists.params[key][k]):
                        delete.add((key, kk))
    expected = {}
    for key, ents in lists.params.items():
        out = []
        for k, ent in enumerate(ents):
            if (key, k) in delete:
                continue
            is_dnsbl = key[1].endswith("postscreen_dnsbl_sites") or (
                len(ent) >= 2 and ent[-2][0].lower() in DNSBL_KEYWORDS)
            restriction = ent[-2][0].lower() if len(ent) >= 2 else ""
            if (is_dnsbl and (key, zone_of(ent[-1][0])) in dead_zones
                    and (key, zone_of(ent[-1][0]), restriction) not in kept):
                continue
            words = [w[0] for w in ent]
            if (key, k) in replace:
                words[-1] = replace[(key, k)]
            out.extend(words)
        expected[key] = MergeCheck(lists.words(key)) if key in merge_lists else out
    return expected


def site(word):
    """(zone, filter, weight) of a postscreen_dnsbl_sites item."""
    rest, _, weight = word.partition("*")
    zone, _, filt = rest.partition("=")
    return zone.lower().rstrip("."), filt, int(weight) if weight else 1


class MergeCheck:
    """What merging exact copies of postscreen sites must keep: each zone and
    filter's total weight, the order of the rest, and no exact copies left."""

    def __init__(self, before):
        self.before = before

    def problem(self, after):
        b = [site(w) for w in self.before]
        a = [site(w) for w in after]
        totals = {}
        for z, f, w in b:
            totals[(z, f)] = totals.get((z, f), 0) + w
        for z, f, w in a:
            totals[(z, f)] = totals.get((z, f), 0) - w
        if any(totals.values()):
            return f"total weights changed: {totals}"
        if len(set(a)) != len(a):
            return "exact copies are left"
        keys, i = [(z, f) for z, f, _ in b], 0
        for z, f, _ in a:
            while i < len(keys) and keys[i] != (z, f):
                i += 1
            if i == len(keys):
                return "entries were reordered"
            i += 1
        for w in self.before:
            if [site(x)[:2] for x in self.before].count(site(w)[:2]) == 1 and w not in after:
                return f"{w} changed though it has no copy"
        return None


def compare(case, label, directory, expected, before_files):
    got_main, err = postconf_values(directory, "-n")
    if got_main is None:
        fail(f"{case} {label}: postconf -n fails after the fix: {err.strip()}")
        return
    got = {("main.cf", k): words_of(v) for k, v in got_main.items()}
    if "master.cf" in before_files:
        got_master, err = postconf_values(directory, "-P")
        if got_master is None:
            fail(f"{case} {label}: postconf -P fails after the fix: {err.strip()}")
            return
        got.update({("master.cf", k): words_of(v) for k, v in got_master.items()})
    for key, words in expected.items():
        if key not in got:
            if words:
                fail(f"{case} {label}: {key} missing after the fix")
            continue
        if isinstance(words, MergeCheck):
            problem = words.problem(got[key])
            if problem:
                fail(f"{case} {label}: {key[1]} {words.before} -> {got[key]}: {problem}")
        elif got[key] != words:
            fail(f"{case} {label}: {key[1]} is\n   {got[key]}\n expected\n   {words}")


def check_reader(case, directory, files):
    """This test's reader must agree with postconf before anything is fixed."""
    lists = Lists(files)
    got_main, err = postconf_values(directory, "-n")
    if got_main is None:
        fail(f"{case}: postconf -n fails on the input: {err.strip()}")
        return False
    for (fname, key) in lists.params:
        if fname == "main.cf" and words_of(got_main.get(key, "")) != lists.words((fname, key)):
            fail(f"{case}: test reader disagrees with postconf on {key}")
            return False
    return True


def run_case(case, src_dir):
    with tempfile.TemporaryDirectory() as tmp:
        work = os.path.join(tmp, "cfg")
        shutil.copytree(src_dir, work)
        files = read_files(work)
        if not check_reader(case, work, files):
            return
        for rule in FIXABLE:
            one = os.path.join(tmp, rule)
            shutil.copytree(src_dir, one)
            diags = findings(one, [rule])
            expected = expected_after(files, rule, diags)
            postvet(["check", "--select", rule, "--fix", "--", one])
            compare(case, rule, one, expected, files)
        whole = os.path.join(tmp, "all")
        shutil.copytree(src_dir, whole)
        before_main, _ = postconf_values(whole, "-n")
        postvet(["check", "--select", "PV2", "--fix", "--", whole])
        after_main, err = postconf_values(whole, "-n")
        if after_main is None:
            fail(f"{case} PV2: postconf -n fails after --fix: {err.strip()}")
            return
        for name, value in before_main.items():
            if not is_list_param(name) and after_main.get(name) != value:
                fail(f"{case} PV2: {name} changed: {value!r} -> {after_main.get(name)!r}")
        left = [d for d in findings(whole, FIXABLE) if d.get("fix") and d["fix"]["applicability"] == "safe"]
        if left:
            fail(f"{case} PV2: safely fixable findings left after --fix: {[d['message'][:80] for d in left]}")
        snapshot = read_files(whole)
        postvet(["check", "--select", "PV2", "--fix", "--", whole])
        if read_files(whole) != snapshot:
            fail(f"{case} PV2: a second --fix changed the files")


def is_list_param(name):
    return name.endswith("_restrictions") or name in ("postscreen_dnsbl_sites", "rbl_checks", "strict_rbl")


# ---------------------------------------------------------------------------
# The seed config and generated lists.

SEED_MAIN = b"""\
# The seed: zen three times (unfiltered, as a public resolver would break it),
# its members beside it, dead lists, a doubled postscreen weight.
mynetworks = 127.0.0.0/8 192.0.2.0/24
smtpd_client_restrictions =
    permit_mynetworks,
    reject_rbl_client zen.spamhaus.org,
    reject_rbl_client sbl.spamhaus.org,
    reject_rbl_client xbl.spamhaus.org,
    reject_rbl_client pbl.spamhaus.org,
    reject_rbl_client zen.spamhaus.org,
    reject_rbl_client dnsbl.njabl.org,
    reject_rbl_client dnsbl.sorbs.net,
    reject_rbl_client zen.spamhaus.org
smtpd_recipient_restrictions =
    permit_mynetworks,
    permit_sasl_authenticated,
    reject_unauth_destination,
    reject_rbl_client dnsbl.ahbl.org
postscreen_dnsbl_sites = zen.spamhaus.org*3 bl.spamcop.net=127.0.0.2*2
    dnsbl.sorbs.net zen.spamhaus.org*3
"""

ZONES = ["zen.spamhaus.org", "zen.spamhaus.org", "sbl.spamhaus.org", "xbl.spamhaus.org", "pbl.spamhaus.org",
         "bl.spamcop.net", "dnsbl.njabl.org", "dnsbl.ahbl.org", "dnsbl.sorbs.net", "list.dsbl.org",
         "cbl.abuseat.org", "psbl.surriel.com", "b.barracudacentral.org", "ZEN.Spamhaus.org"]
FILTERS = ["", "", "", "=127.0.0.[2..11]", "=127.0.0.2", "=127.0.0.[2;4;10..11]", "=127.0.0.[4..7]"]
OTHERS = ["permit_mynetworks", "permit_sasl_authenticated", "reject_unauth_destination",
          "check_client_access hash:/etc/postfix/client_access", "reject_unknown_client_hostname",
          "warn_if_reject reject_unknown_helo_hostname"]


def generate(rng):
    def smtpd_entry():
        if rng.random() < 0.25:
            return rng.choice(OTHERS)
        kw = rng.choice(["reject_rbl_client"] * 5 + ["permit_dnswl_client", "reject_rbl"])
        prefix = "warn_if_reject " if rng.random() < 0.1 else ""
        return f"{prefix}{kw} {rng.choice(ZONES)}{rng.choice(FILTERS)}"

    def postscreen_entry():
        weight = rng.choice(["", "*2", "*3", "*-1", "*2"])
        return f"{rng.choice(ZONES[:8])}{rng.choice(FILTERS[:5])}{weight}"

    def layout(items):
        out = ""
        for k, item in enumerate(items):
            if k == 0:
                out += rng.choice([" ", "\n    "]) + item
                continue
            sep = rng.choice([", ", ",", " ", ",\n    ", "\n    ", ",\n\t", ",\n# a comment\n    ",
                              ",\n\n    "])
            out += sep + item
        if rng.random() < 0.2:
            out += ","
        return out

    text = "# generated\nmynetworks = 127.0.0.0/8\n"
    for name in ("smtpd_client_restrictions", "smtpd_helo_restrictions", "smtpd_recipient_restrictions"):
        n = rng.randint(1, 9)
        text += f"{name} ={layout([smtpd_entry() for _ in range(n)])}\n"
        if rng.random() < 0.3:
            text += "# between parameters\n"
    n = rng.randint(1, 7)
    text += f"postscreen_dnsbl_sites ={layout([postscreen_entry() for _ in range(n)])}\n"
    text += "smtpd_banner = $myhostname ESMTP\n"
    master = None
    if rng.random() < 0.4:
        # An -o override: one word, so the entries are joined by commas.
        items = [smtpd_entry().replace(" ", ",") for _ in range(rng.randint(1, 6))]
        master = ("smtp      inet  n       -       y       -       -       smtpd\n"
                  "submission inet n       -       y       -       -       smtpd\n"
                  f"  -o smtpd_client_restrictions={','.join(items)}\n").encode()
    return text.encode(), master


def check_seed(tmp):
    seed = os.path.join(tmp, "seed")
    os.makedirs(seed)
    with open(os.path.join(seed, "main.cf"), "wb") as f:
        f.write(SEED_MAIN)
    diags = findings(seed, ["PV2"])
    places = [(d["rule"], d["line"], d["column"]) for d in diags]
    if len(places) != len(set(places)):
        fail(f"seed: a problem is reported twice: {places}")
    want = {("PV205", 6), ("PV202", 7), ("PV202", 8), ("PV202", 9), ("PV201", 10), ("PV204", 11),
            ("PV203", 12), ("PV201", 13), ("PV204", 18), ("PV205", 19), ("PV203", 20), ("PV201", 20)}
    got = {(d["rule"], d["line"]) for d in diags}
    for w in sorted(want - got):
        fail(f"seed: expected {w[0]} on line {w[1]}, got {sorted(got)}")
    run_case("seed", seed)
    fixed = os.path.join(tmp, "seed-fixed")
    shutil.copytree(seed, fixed)
    postvet(["check", "--select", "PV2", "--fix", "--", fixed])
    values, err = postconf_values(fixed, "-n")
    if values is None:
        fail(f"seed: postconf rejects the fixed config: {err}")
        return
    for name in ("smtpd_client_restrictions", "smtpd_recipient_restrictions", "postscreen_dnsbl_sites"):
        words = words_of(values.get(name, ""))
        zones = [zone_of(w) for w in words if "." in w]
        if len(zones) != len(set(zones)):
            fail(f"seed: {name} still names a zone twice: {words}")
    client = words_of(values["smtpd_client_restrictions"])
    if client != ["permit_mynetworks", "reject_rbl_client", "zen.spamhaus.org=127.0.0.[2..11]"]:
        fail(f"seed: smtpd_client_restrictions after --fix: {client}")
    sites = words_of(values["postscreen_dnsbl_sites"])
    if sites != ["zen.spamhaus.org=127.0.0.[2..11]*6", "bl.spamcop.net=127.0.0.2*2"]:
        fail(f"seed: postscreen_dnsbl_sites after --fix: {sites}")


def main():
    if POSTCONF is None:
        print("FAIL: postconf not found; this oracle test needs Postfix installed")
        return 1
    if not os.access(POSTVET, os.X_OK):
        print(f"FAIL: postvet binary {POSTVET} not found")
        return 1
    with tempfile.TemporaryDirectory() as tmp:
        cases = 0
        for rule in FIXABLE:
            fire = os.path.join(SOURCE_DIR, "testdata", "rules", rule, "fire")
            if not os.path.isdir(fire):
                fail(f"missing fixture {fire}")
                continue
            run_case(f"{rule}/fire", fire)
            cases += 1
        check_seed(tmp)
        cases += 1
        rng = random.Random(GENERATED_SEED)
        for n in range(GENERATED_COUNT):
            d = os.path.join(tmp, f"gen{n}")
            os.makedirs(d)
            main_cf, master_cf = generate(rng)
            with open(os.path.join(d, "main.cf"), "wb") as f:
                f.write(main_cf)
            if master_cf is not None:
                with open(os.path.join(d, "master.cf"), "wb") as f:
                    f.write(master_cf)
            before = len(failures)
            run_case(f"generated #{n}", d)
            if len(failures) > before:
                for name in ("main.cf", "master.cf"):
                    if os.path.exists(os.path.join(d, name)):
                        with open(os.path.join(d, name), "rb") as f:
                            print(f"--- {name}\n" + f.read().decode("latin-1"))
            cases += 1
    print(f"{cases} cases, {len(failures)} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
