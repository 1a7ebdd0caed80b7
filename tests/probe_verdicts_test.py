#!/usr/bin/env python3
"""End-to-end tests of the live DNSBL probe's verdicts (`postvet probe`,
`check --probe`), against the local servers of tests/probe_fixture.py.

- every verdict (PV901-PV905) at the zone's place, naming the zone; healthy
  lists get nothing; error answers are never taken for listings;
- a resolver unfit to judge lists (NXDOMAIN for everything, everything
  listed, Spamhaus' public-resolver code, no answer, nothing listening, a
  known public resolver) gives one message naming it, exit 2, no verdicts
  and no fix, also through `check --probe --fix`; so does the resolver of a
  chrooted smtpd (queue_directory/etc/resolv.conf), named as such;
- zone isolation: a list server that answers over TCP and hangs up does not
  make the other zones fail;
- `--format json` carries the verdict and latency table;
- the text report's table and worst-case connection times.

The query flow is tests/probe_flow_test.py, the PV90x fixtures
tests/probe_fixtures_test.py.
"""

import json
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import probe_fixture  # noqa: E402
from probe_fixture import (SLOW_MS, check, diagnostics, expect_verdicts, fail, files_of,  # noqa: E402
                           free_port, postvet, said, start_fault_server, write_config)


def test_dnsmasq_cases(tmp, dns):
    cfg = os.path.join(tmp, "cases")
    write_config(cfg, """smtpd_client_restrictions = permit_mynetworks,
    reject_rbl_client healthy.dnsbl.test,
    reject_rbl_client dead.dnsbl.test,
    reject_rbl_client dbl.spamhaus.org,
    reject_rbl_client nowhere.invalid,
    reject_rbl_client slow.dnsbl.test,
    reject_rbl_client blackhole.dnsbl.test,
    reject_rbl_client unreach.dnsbl.test,
    reject_rbl_client bl.spamcop.net
smtpd_sender_restrictions = reject_rhsbl_sender healthy.dnsbl.test, reject_rhsbl_sender deadrhs.dnsbl.test
postscreen_dnsbl_sites = everything.dnsbl.test*2, healthy.dnsbl.test
""")
    base = ["probe", cfg, "--resolver", f"127.0.0.1:{dns}", "--timeout", "500", "--tries", "1"]
    p, _ = postvet(base + ["--format", "json"])
    check(p.returncode == 1, f"dnsmasq cases: exit {p.returncode}, want 1: {p.stderr}")
    diags = diagnostics(p)
    expect_verdicts("dnsmasq cases", diags, {
        "healthy.dnsbl.test": set(), "bl.spamcop.net": set(),
        "dead.dnsbl.test": {"PV901"}, "deadrhs.dnsbl.test": {"PV901"},
        "everything.dnsbl.test": {"PV902"},
        "dbl.spamhaus.org": {"PV903"},
        # dnsmasq has no upstream for it: REFUSED, an error, never a listing.
        "nowhere.invalid": {"PV903"},
        "slow.dnsbl.test": {"PV904"},
        "blackhole.dnsbl.test": {"PV905"}, "unreach.dnsbl.test": {"PV905"},
    })
    for d in diags:
        line = {"dead.dnsbl.test": 3, "dbl.spamhaus.org": 4, "everything.dnsbl.test": 11}.get(d["message"].split()[0])
        if line:
            check(d["line"] == line, f"{d['rule']} reported at line {d['line']}, want {line}")
    dbl = [d for d in diags if d["rule"] == "PV903" and d["message"].startswith("dbl.")]
    if dbl:
        check("127.0.1.255" in said(dbl[0]) and "wrong-query" in said(dbl[0]),
              f"PV903 finding lacks the code and its meaning: {said(dbl[0])}")
    refused = [d for d in diags if d["message"].startswith("nowhere.invalid")]
    if refused:
        check("REFUSED" in said(refused[0]), f"REFUSED not named: {said(refused[0])}")

    # The text report: the findings, then the table and the connection budget.
    p, _ = postvet(base + ["--format", "text", "--color", "never"])
    out = p.stdout
    table = out[out.find("DNS list probe:"):]
    check("ZONE" in table and "VERDICT" in table and "P95" in table, f"no table header: {table[:200]!r}")
    rows = {}
    for row in table.splitlines():
        parts = row.split()
        if len(parts) >= 3 and parts[1] in ("ip", "domain"):
            rows[(parts[0], parts[1])] = parts[2:]
    want = {("healthy.dnsbl.test", "ip"): "ok", ("dead.dnsbl.test", "ip"): "dead",
            ("dbl.spamhaus.org", "ip"): "policy-code", ("slow.dnsbl.test", "ip"): "slow",
            ("blackhole.dnsbl.test", "ip"): "timeout", ("everything.dnsbl.test", "ip"): "lists-everything",
            ("deadrhs.dnsbl.test", "domain"): "dead", ("healthy.dnsbl.test", "domain"): "ok"}
    for key, verdict in want.items():
        check(key in rows and rows[key][0] == verdict, f"table row {key}: {rows.get(key)}, want {verdict}")
    if ("slow.dnsbl.test", "ip") in rows:
        ms = [int(x) for x in re.findall(r"(\d+) ms", " ".join(rows[("slow.dnsbl.test", "ip")]))]
        check(len(ms) == 2 and all(SLOW_MS - 20 <= m <= SLOW_MS + 400 for m in ms),
              f"slow zone median/p95 not about {SLOW_MS} ms: {ms}")
    if ("blackhole.dnsbl.test", "ip") in rows:
        check(rows[("blackhole.dnsbl.test", "ip")][1:] == ["-", "-"], "a zone without answers shows no latency")
    budget = re.search(r"main\.cf: smtpd restrictions ask (\d+) zones one after another, (>= )?(\d+) ms; "
                       r"postscreen asks (\d+) zones in parallel, (\d+) ms", out)
    if check(budget is not None, f"no worst-case line: {table[-400:]!r}"):
        check(budget.group(1) == "10", f"smtpd zones: {budget.group(1)}, want 10 (8 ip + 2 domain)")
        check(budget.group(2) is not None, "unanswered zones make the smtpd sum a lower bound")
        # Two unanswered zones at 500 ms each plus the slow one.
        check(int(budget.group(3)) >= 1000 + SLOW_MS, f"smtpd worst case {budget.group(3)} ms too small")
        check(budget.group(4) == "2", f"postscreen zones: {budget.group(4)}")
        check(int(budget.group(5)) < SLOW_MS, "postscreen waits for its slowest list only")
    check(out.rstrip().endswith("ms"), "the text report ends with the table")


def test_fault_server(tmp, fault):
    cfg = os.path.join(tmp, "faults")
    zones = ["healthy", "everything", "hijack", "dead", "servfail", "refused", "garbage", "badrecord", "trunc",
             "delay300", "drop"]
    write_config(cfg, "smtpd_client_restrictions =\n" +
                 ",\n".join(f"    reject_rbl_client {z}.fault.test" for z in zones) +
                 "\nsmtpd_helo_restrictions = reject_rhsbl_helo healthy.fault.test, reject_rhsbl_helo servfail.fault.test\n")
    p, elapsed = postvet(["probe", cfg, "--resolver", f"127.0.0.1:{fault}", "--timeout", "400", "--format", "json"])
    diags = diagnostics(p)
    expect_verdicts("fault server", diags, {
        "healthy.fault.test": set(),
        "everything.fault.test": {"PV902"},
        "hijack.fault.test": {"PV903"},    # an address outside 127/8 is no listing
        "dead.fault.test": {"PV901"},
        "servfail.fault.test": {"PV901"},  # the listed test point fails: the list does not work
        "refused.fault.test": {"PV903"},
        "garbage.fault.test": {"PV905"},   # unattributable bytes are ignored: no answer
        "badrecord.fault.test": {"PV903"},
        "trunc.fault.test": set(),         # TC over UDP, then the full answer over TCP
        "delay300.fault.test": {"PV904"},
        "drop.fault.test": {"PV905"},
    })
    words = {"servfail.": "SERVFAIL", "refused.": "REFUSED", "badrecord.": "malformed", "hijack.": "outside 127"}
    for d in diags:
        for prefix, word in words.items():
            if d["message"].startswith(prefix):
                check(word in said(d), f"{prefix}: finding does not say {word}: {said(d)}")
        check(not (d["rule"] == "PV902" and not d["message"].startswith("everything.")),
              f"an error answer taken for a listing: {d['message']}")
    # 400 ms, then 800 ms for the second try: the drops end the run.
    check(elapsed < 1.2 + 1.5, f"fault server probe took {elapsed:.1f} s")


def test_json_table(tmp, fault):
    cfg = os.path.join(tmp, "jsontable")
    write_config(cfg, "smtpd_client_restrictions = reject_rbl_client healthy.fault.test, "
                      "reject_rbl_client dead.fault.test\n")
    p, _ = postvet(["probe", cfg, "--resolver", f"127.0.0.1:{fault}", "--format", "json"])
    try:
        doc = json.loads(p.stdout)
    except ValueError:
        fail(f"probe --format json is not JSON: {p.stdout[:300]!r}")
        return
    probe = doc.get("probe", {})
    zones = {(z["zone"], z["kind"]): z for z in probe.get("zones", [])}
    check(zones.get(("healthy.fault.test", "ip"), {}).get("verdict") == "ok", f"json table: {probe}")
    check(zones.get(("dead.fault.test", "ip"), {}).get("verdict") == "dead", f"json table: {probe}")
    z = zones.get(("healthy.fault.test", "ip"), {})
    check(isinstance(z.get("median_ms"), (int, float)) and isinstance(z.get("p95_ms"), (int, float)),
          f"json table lacks latency: {z}")
    check(re.match(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC$", probe.get("started", "")) is not None,
          f"json table lacks the probe's time: {probe.get('started')}")
    check(f"127.0.0.1:{fault}" in probe.get("resolver", ""), f"json table lacks the resolver: {probe.get('resolver')}")


def run_both(cfg, resolver, extra=()):
    """`probe` and `check --probe --fix --unsafe-fixes` of cfg through resolver; (probe, check, files before, after)."""
    args = ["--resolver", resolver, "--timeout", "300", "--tries", "1", "--deadline", "3000", *extra]
    p, _ = postvet(["probe", cfg, "--format", "json", *args])
    before = files_of(cfg)
    c, _ = postvet(["check", cfg, "--probe", "--fix", "--unsafe-fixes", *args[:6]])
    return p, c, before, files_of(cfg)


UNFIT_CONFIG = """smtpd_client_restrictions = permit_mynetworks,
    reject_rbl_client zen.spamhaus.org,
    reject_rbl_client bl.example.net,
    reject_rhsbl_sender dbl.example.net
postscreen_dnsbl_sites = zen.spamhaus.org*3, list.example.org
"""


def expect_unfit(name, p, c, before, after, resolver, words):
    check(p.returncode == 2, f"{name}: probe exit {p.returncode}, want 2 ({p.stderr.strip()[:300]})")
    check(p.stdout == "", f"{name}: verdicts printed despite an unfit resolver: {p.stdout[:300]!r}")
    lines = [l for l in p.stderr.splitlines() if l.strip()]
    check(len(lines) == 1 and lines[0].startswith("postvet: "), f"{name}: want one message, got {lines}")
    check(resolver in p.stderr, f"{name}: the message does not name the resolver {resolver}: {p.stderr!r}")
    for w in words:
        check(w in p.stderr, f"{name}: the message does not say {w!r}: {p.stderr!r}")
    check(c.returncode == 2, f"{name}: check --probe --fix exit {c.returncode}, want 2")
    check(before == after, f"{name}: check --probe --fix changed files through an unfit resolver")


def test_unfit_resolvers(tmp):
    """NXDOMAIN for all, all listed, the public-resolver code, no answer, nothing listening: exit 2, no fix."""
    for mode, words in (("dead", ["NXDOMAIN", "a.root-servers.net", "look dead"]),
                        ("everything", ["cannot exist", "listed"]),
                        ("public", ["127.255.255.254", "public-resolver", "zen.spamhaus.org"]),
                        ("drop", ["did not answer"])):
        port = start_fault_server("--mode", mode)
        cfg = os.path.join(tmp, f"unfit-{mode}")
        write_config(cfg, UNFIT_CONFIG)
        p, c, before, after = run_both(cfg, f"127.0.0.1:{port}")
        expect_unfit(mode, p, c, before, after, f"127.0.0.1:{port}", words)
    # Nothing listens: connection refused everywhere.
    port = free_port()
    cfg = os.path.join(tmp, "unfit-closed")
    write_config(cfg, UNFIT_CONFIG)
    p, c, before, after = run_both(cfg, f"127.0.0.1:{port}")
    expect_unfit("nothing listening", p, c, before, after, f"127.0.0.1:{port}", ["did not answer"])
    # A known public resolver: refused before any query, naming the lists that refuse it.
    p, c, before, after = run_both(cfg, "8.8.8.8")
    expect_unfit("public address", p, c, before, after, "8.8.8.8:53",
                 ["Google Public DNS", "zen.spamhaus.org"])


def test_chroot_resolver(tmp):
    """smtpd chrooted: the probe asks the resolver of queue_directory/etc/resolv.conf and says so."""
    queue = os.path.join(tmp, "queue")
    os.makedirs(os.path.join(queue, "etc"), exist_ok=True)
    with open(os.path.join(queue, "etc", "resolv.conf"), "w") as f:
        f.write("nameserver 127.0.0.9\n")  # loopback, nothing listens: refused at once
    cfg = os.path.join(tmp, "chrooted")
    write_config(cfg, f"queue_directory = {queue}\nsmtpd_client_restrictions = reject_rbl_client bl.example.net\n")
    with open(os.path.join(cfg, "master.cf"), "w") as f:
        f.write("smtp      inet  n       -       y       -       -       smtpd\n")
    p, _ = postvet(["probe", cfg, "--timeout", "300", "--tries", "1", "--deadline", "2000"])
    inside = os.path.join(queue, "etc", "resolv.conf")
    check(p.returncode == 2 and "127.0.0.9:53" in p.stderr and f"from {inside}" in p.stderr
          and "chrooted" in p.stderr, f"chroot resolver not used or not named: {p.returncode} {p.stderr!r}")


def test_zone_isolation(tmp):
    """List servers that answer over TCP and hang up, among healthy ones: those stay healthy.

    With one try per query, a failure charged to the wrong query shows at once:
    c-ares resets a server for a whole channel when a TCP connection to it closes."""
    port = start_fault_server()
    names = []
    for i in range(40):
        names.append(f"z{i}.healthy.fault.test")
        if i % 8 == 3:
            names.append(f"c{i}.tcpclose.fault.test")
    cfg = os.path.join(tmp, "isolation")
    write_config(cfg, "smtpd_client_restrictions =\n" + ",\n".join(f"    reject_rbl_client {z}" for z in names) + "\n")
    for attempt in range(3):
        p, _ = postvet(["probe", cfg, "--resolver", f"127.0.0.1:{port}", "--timeout", "1000", "--tries", "1",
                        "--format", "json", "--slow", "5000"])
        diags = diagnostics(p)
        bad = [d["message"] for d in diags if ".tcpclose." not in d["message"].split()[0]]
        check(bad == [], f"healthy zones got verdicts because of misbehaving ones: {bad[:3]}")
        check(p.returncode in (0, 1), f"isolation: exit {p.returncode}: {p.stderr[:300]}")


def main():
    return probe_fixture.run([
        ('dnsmasq cases', lambda e: test_dnsmasq_cases(e.tmp, e.dns)),
        ('fault server', lambda e: test_fault_server(e.tmp, e.fault)),
        ('unfit resolvers', lambda e: test_unfit_resolvers(e.tmp)),
        ('zone isolation', lambda e: test_zone_isolation(e.tmp)),
        ('chroot resolver', lambda e: test_chroot_resolver(e.tmp)),
        ('json table', lambda e: test_json_table(e.tmp, e.fault))])


if __name__ == "__main__":
    sys.exit(main())
