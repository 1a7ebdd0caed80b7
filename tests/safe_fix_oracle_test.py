#!/usr/bin/python3
"""Oracle test of every safe fix: a safe fix changes only what its finding
names, and Postfix itself must agree.

The rules with safe fixes come from the registry (`postvet rules`, fix kind
safe or sometimes). The cases are each rule's firing fixture
(testdata/rules/*/fire, every fixable rule tried on every fixture), the
demo, the reply-map fixtures (testdata/reply_maps), the corpus (main.cf /
master.cf pairs and checks tables; skipped with one line when absent, env
POSTVET_CORPUS overrides) and, run as its own test
(safe_fix_oracle_generated_test.py), seeded generated configs
(gen_main_cf.py, gen_master_cf.py, gen_table.py and the DNS list generator
gen_dnsbl_lists.py). For each case and each rule whose safe fix
fires there, `postvet check --select ID --fix` runs on a copy, and then:

  * `postconf -c DIR` -n, -x -n, -M, -F and -P, before and after, differ
    only in the parameters and services the applied findings name (the
    parameter or service at the finding, or one its message names). When
    Postfix refuses the input and a master.cf repair (PV403-PV405) makes it
    acceptable, the input minus the lines that fix touched is compared
    instead;
  * every restriction list and postscreen_dnsbl_sites whose expanded value
    (`postconf -x`) changed behaves the same in every world of the model in
    oracle_smtpd.py: same decision, same rbl_reply_maps reply (postmap);
  * every changed regexp/pcre table answers `postmap -q` and `postmap -h -q`
    on probe header lines exactly as before;
  * a second --fix changes nothing.

All safe fixes at once (`check --fix`) run on the demo, the reply-map
fixtures and the corpus pairs with the same checks. The reply-map
fixtures must keep their own replies: a client zen answers 127.0.0.10 for
still gets the 421 of rbl_reply_maps after --fix.

The coverage (rules x cases) is printed; the test FAILS when a rule with a
safe fix has no case. Fails, never skips, without postconf/postmap.
"""
# postvet-test-parts: local shared
import json
import os
import random
import shutil
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import oracle_lib  # noqa: E402
import shared_data  # noqa: E402
import oracle_smtpd  # noqa: E402
from oracle_lib import postconf, postvet  # noqa: E402

SEED = int(os.environ.get("POSTVET_ORACLE_SEED", "1515"))
GENERATED = int(os.environ.get("POSTVET_ORACLE_CASES", "12"))
fail = oracle_lib.Failures()
coverage = {}  # rule -> {source kind: cases}
CATALOGUE = oracle_smtpd.Catalogue()

from safe_fix_views import (OPTION_REPAIRS, VIEWS, _cache, cached, list_values, named, safe_rules,  # noqa: E402
                             tables, view_key, views, without_lines)


def same_lookups(label, before, after, name, kind, rng):
    import header_group_oracle_test as hg  # probe key maker shared with PV301's own oracle
    data = open(os.path.join(before, name), "rb").read()
    plain, header = hg.make_keys(rng, data)
    for keys, h in ((plain, False), (header, True)):
        b = oracle_lib.postmap_query(before, f"{kind}:{os.path.join(before, name)}", keys, h)
        a = oracle_lib.postmap_query(after, f"{kind}:{os.path.join(after, name)}", keys, h)
        if a is None or b is None:
            print(f"NOTE: {label}: postmap cannot open {kind}:{name}; not counted")
            return None
        if a != b:
            fail(f"{label}: {name} answers differently after the fix ({'-h ' if h else ''}postmap -q)")
            return False
    return True


# ------------------------------------------------------------ one comparison

def compare(label, before, after, diags, tmp, seed):
    """True when the oracle could compare (and found nothing wrong)."""
    if oracle_lib.read_tree(before) == oracle_lib.read_tree(after):
        return False
    params, services, text = named(before, diags)
    vb, va = cached(views, before), views(after)
    base = before
    if any(vb[f] is None for f in VIEWS) and all(va[f] is not None for f in VIEWS):
        base = os.path.join(tmp, "minus")  # the fix repaired what Postfix refused
        without_lines(before, base, [d for d in diags if d["rule"] in OPTION_REPAIRS])
        vb = views(base)
        if any(vb[f] is None for f in VIEWS):
            return False
    for flags in VIEWS:
        if vb[flags] is None and va[flags] is None:
            continue
        if va[flags] is None:
            fail(f"{label}: postconf {' '.join(flags)} fails after the fix")
            return False
        if vb[flags] is None:
            return False
        bk, ak = {}, {}
        for lines, keyed in ((vb[flags], bk), (va[flags], ak)):
            for line in lines:
                keyed.setdefault(view_key(flags, line), set()).add(line)
        for key in sorted(set(bk) | set(ak)):
            if bk.get(key) == ak.get(key):
                continue
            kind, name = key
            ok = name in text or (name in params if kind == "param" else name in services)
            if not ok:
                fail(f"{label}: postconf {' '.join(flags)} changed {kind} {name}, which no applied finding "
                     f"names:\n  before {sorted(bk.get(key, []))}\n  after  {sorted(ak.get(key, []))}")
                return False
    lb, rb = cached(list_values, base)
    la, ra = list_values(after)
    if lb is not None and la is not None:
        changed = {n for n in set(lb) | set(la) if lb.get(n) != la.get(n)}
        if {d["rule"] for d in diags} & OPTION_REPAIRS:
            changed = {n for n in changed if "/" not in n}  # main.cf lists only
        if changed:
            why = oracle_smtpd.compare_lists({n: lb.get(n, "") for n in changed}, {n: la.get(n, "") for n in changed},
                                             rb, ra, CATALOGUE, seed)
            if why:
                fail(f"{label}: the fix changed what Postfix decides: {why}")
                return False
    rng = random.Random(seed)
    for name, kind in tables(before).items():
        if os.path.exists(os.path.join(after, name)) and open(os.path.join(before, name), "rb").read() != open(
                os.path.join(after, name), "rb").read():
            if not same_lookups(label, before, after, name, kind, rng):
                return False  # a difference (failed) or no answer from postmap (not counted)
    return True


def safe_findings(directory, select=None):
    args = ["check", "--format", "json", "--fail-on", "info"] + (["--select", select] if select else [])
    p = postvet(args + ["--", directory])
    if p.returncode == 2:
        fail(f"postvet check {directory}: {p.stderr.strip()[:500]}")
        return []
    return [d for d in json.loads(p.stdout)["diagnostics"] if d["fix"] and d["fix"]["applicability"] == "safe"]


def run_case(kind, label, src, rules, seed):
    """Each rule's safe fixes alone, then (for `all_at_once` kinds) all of them."""
    _cache.clear()
    with tempfile.TemporaryDirectory() as tmp:
        base = os.path.join(tmp, "before")
        shutil.copytree(src, base)
        firing = sorted({d["rule"] for d in safe_findings(base)} & set(rules))
        for rule in firing:
            work = os.path.join(tmp, rule)
            shutil.copytree(base, work)
            diags = [d for d in safe_findings(work, rule) if d["rule"] == rule]
            postvet(["check", "--select", rule, "--fix", "--", work])
            fixed = oracle_lib.read_tree(work)
            if compare(f"{label} [{rule}]", base, work, diags, os.path.join(tmp, rule + "-x"), seed):
                coverage.setdefault(rule, {}).setdefault(kind, 0)
                coverage[rule][kind] += 1
            postvet(["check", "--select", rule, "--fix", "--", work])
            if oracle_lib.read_tree(work) != fixed:
                fail(f"{label} [{rule}]: a second --fix changed the files again")
        return firing


def run_all_at_once(label, src, seed, check=None):
    """`check --fix` with every rule; then check(lists, replies) on the
    fixed directory's restriction lists and rbl_reply_maps."""
    _cache.clear()
    with tempfile.TemporaryDirectory() as tmp:
        base, work = os.path.join(tmp, "before"), os.path.join(tmp, "after")
        shutil.copytree(src, base)
        shutil.copytree(src, work)
        diags = safe_findings(base)
        postvet(["check", "--fix", "--", work])
        compare(f"{label} [all]", base, work, diags, os.path.join(tmp, "x"), seed)
        if check:
            check(*list_values(work))


# ------------------------------------------------------------ the cases

def reply_fixtures(rules):
    root = os.path.join(oracle_lib.SRC, "testdata", "reply_maps")
    for name in sorted(os.listdir(root)):
        d = os.path.join(root, name)
        if not os.path.isdir(d):
            continue
        run_case("fixtures", f"reply_maps/{name}", d, rules, SEED)

        def check(lists, replies, name=name):
            entries = oracle_smtpd.split_list((lists or {}).get("smtpd_recipient_restrictions", ""))
            if name in ("texthash", "regexp", "hash"):
                # The 421 for zen=127.0.0.10 must survive every safe fix.
                if "zen.spamhaus.org=127.0.0.10" not in entries:
                    fail(f"reply_maps/{name}: check --fix deleted zen.spamhaus.org=127.0.0.10 and its own reply")
                elif name != "hash" and not replies("zen.spamhaus.org=127.0.0.10").startswith("421"):
                    fail(f"reply_maps/{name}: postmap does not give zen.spamhaus.org=127.0.0.10 its 421")
            if name == "inline" and "zen.spamhaus.org" not in entries:
                fail("reply_maps/inline: check --fix rewrote the bare zen entry that has its own reply")
            if name == "unrelated" and "zen.spamhaus.org=127.0.0.10" in entries:
                fail("reply_maps/unrelated: the safe deletion was not applied (the map does not name the entry)")
        run_all_at_once(f"reply_maps/{name}", d, SEED, check)


def corpus_cases(rules, tmp):
    corpus = oracle_lib.corpus_dir()
    if corpus is None:
        return
    manifest = os.path.join(corpus, "ORACLE.tsv")
    pairs = {}
    for line in open(manifest, encoding="utf-8"):
        f = line.rstrip("\n").split("\t")
        if len(f) > 10 and f[1] == "n" and f[0].startswith("main.cf/"):
            pairs[f[0]] = os.path.join(corpus, f[10]) if f[10].startswith("master.cf/") else None
    for n, (main_rel, master) in enumerate(sorted(pairs.items())):
        d = os.path.join(tmp, f"corpus{n}")
        os.makedirs(d)
        # copyfile, not copy: the shared corpus is read-only, and --fix
        # rightly refuses to rewrite a file without write permission.
        shutil.copyfile(os.path.join(corpus, main_rel), os.path.join(d, "main.cf"))
        master = master or (shared_data.STOCK_MASTER_CF if os.path.exists(shared_data.STOCK_MASTER_CF) else None)
        if master:
            shutil.copyfile(master, os.path.join(d, "master.cf"))
        run_case("corpus", main_rel, d, rules, SEED + n)
        run_all_at_once(main_rel, d, SEED + n)
    checks = os.path.join(corpus, "checks")
    for n, name in enumerate(sorted(os.listdir(checks))):
        if name.endswith(".cidr"):
            continue
        d = os.path.join(tmp, f"checks{n}")
        os.makedirs(d)
        shutil.copyfile(os.path.join(checks, name), os.path.join(d, "header_checks"))
        kind = "pcre" if "pcre" in name else "regexp"
        with open(os.path.join(d, "main.cf"), "w") as f:
            f.write(f"header_checks = {kind}:/etc/postfix/header_checks\n")
        run_case("corpus", f"checks/{name}", d, rules, SEED + n)


def generated_cases(rules, tmp):
    import gen_dnsbl_lists as dnsbl_gen
    import gen_main_cf
    import gen_master_cf
    import gen_table
    rng = random.Random(SEED)
    masters = gen_master_cf.generate(SEED, GENERATED)
    for n in range(GENERATED):
        d = os.path.join(tmp, f"gen{n}")
        os.makedirs(d)
        main_cf, master_cf = dnsbl_gen.generate(rng)
        main_cf += gen_main_cf.generate(rng)
        open(os.path.join(d, "main.cf"), "wb").write(main_cf)
        open(os.path.join(d, "master.cf"), "wb").write(master_cf or masters[n])
        kind = "pcre" if n % 2 else "regexp"
        table, _ = gen_table.generate(SEED + n, kind)
        open(os.path.join(d, "header_checks"), "wb").write(table)
        with open(os.path.join(d, "main.cf"), "ab") as f:
            f.write(f"\nheader_checks = {kind}:/etc/postfix/header_checks\n".encode())
        run_case("generated", f"generated #{n}", d, rules, SEED + n)


def main():
    shared_data.start(shared_data.corpus_dir())
    if oracle_lib.POSTCONF is None or oracle_lib.POSTMAP is None:
        print("FAIL: postconf/postmap not found; this oracle test needs Postfix installed")
        return 1
    rules = safe_rules()
    if not rules:
        print("FAIL: `postvet rules` lists no rule with a safe fix")
        return 1
    local = shared_data.run_local()
    if local:
        fixtures = os.path.join(oracle_lib.SRC, "testdata", "rules")
        for rule in sorted(os.listdir(fixtures)):
            fire = os.path.join(fixtures, rule, "fire")
            if os.path.isdir(fire):
                run_case("fixtures", f"{rule}/fire", fire, rules, SEED)
        run_case("fixtures", "demo", os.path.join(oracle_lib.SRC, "testdata", "demo"), rules, SEED)
        run_all_at_once("demo", os.path.join(oracle_lib.SRC, "testdata", "demo"), SEED)
        reply_fixtures(rules)
    with tempfile.TemporaryDirectory() as tmp:
        if shared_data.run_shared(shared_data.corpus_dir()):
            corpus_cases(rules, tmp)
    # The generated configs are tests/safe_fix_oracle_generated_test.py.
    kinds = ["fixtures", "corpus", "generated"]
    print(f"\ncoverage of the safe fixes (cases the oracle compared):\n{'rule':<7}" +
          "".join(f"{k:>11}" for k in kinds) + f"{'total':>8}")
    for rule in rules:
        c = coverage.get(rule, {})
        print(f"{rule:<7}" + "".join(f"{c.get(k, 0):>11}" for k in kinds) + f"{sum(c.values()):>8}")
        # The local part (the fixtures) must reach every rule with a safe
        # fix; the corpus alone need not.
        if not c and local:
            fail(f"{rule} has a safe fix but no oracle case")
    print(f"{len(fail.items)} failures")
    return 1 if fail else 0


if __name__ == "__main__":
    sys.exit(main())
