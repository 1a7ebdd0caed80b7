#!/usr/bin/env python3
"""End-to-end tests of the live DNSBL probe's query flow (`postvet probe`),
against the local servers of tests/probe_fixture.py:

- flow control: 200 zones in a few round trips (the window starts at 128 and
  widens), the concurrency cap, and the global deadline with every server
  black-holed;
- which names are asked: the fixed test points first (IPv6 ones only for
  zones the catalogue knows to answer them), random TEST-NET samples only
  for a zone that looks slow, TXT only after a policy answer;
- without --probe nothing is sent, nor for a config without lists;
- bad probe options are tool errors (exit 2).

The verdicts are tests/probe_verdicts_test.py, the PV90x fixtures
tests/probe_fixtures_test.py.
"""

import json
import os
import re
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import probe_fixture  # noqa: E402
from probe_fixture import (FIXTURES, check, diagnostics, postvet, start_fault_server,  # noqa: E402
                           write_config)


def test_deadline(tmp):
    """Every server black-holed: the probe ends at its deadline, not at timeout x tries, with one message."""
    a = start_fault_server("--mode", "drop")
    b = start_fault_server("--mode", "drop")
    cfg = os.path.join(tmp, "deadline")
    write_config(cfg, "postscreen_dnsbl_sites =\n" + "".join(f"    list{i}.dnsbl.test\n" for i in range(50)))
    p, elapsed = postvet(["probe", cfg, "--resolver", f"127.0.0.1:{a},127.0.0.1:{b}", "--timeout", "5000",
                          "--tries", "3", "--deadline", "1200", "--format", "json"])
    check(elapsed < 1.2 + 0.8, f"deadline 1200 ms, but the probe took {elapsed * 1000:.0f} ms")
    check(elapsed >= 1.15, f"the probe returned before its deadline ({elapsed * 1000:.0f} ms) without answers")
    # No answer at all is the resolver's fault, not 50 lists': one tool error.
    check(p.returncode == 2 and p.stdout == "", f"black-holed resolver: exit {p.returncode}, stdout {p.stdout[:200]!r}")
    check(p.stderr.count("postvet:") == 1 and f"127.0.0.1:{a}" in p.stderr and "did not answer" in p.stderr,
          f"want one message naming the resolver: {p.stderr!r}")


def probe_ms(text):
    m = re.search(r"DNS list probe: (\d+) zones?, (\d+) queries, (\d+) ms", text)
    return (int(m.group(1)), int(m.group(2)), int(m.group(3))) if m else (0, 0, 10 ** 9)


def test_concurrency(tmp, fault):
    """200 zones answer in a few round trips (the window widens fast); a low cap makes it take more."""
    cfg = os.path.join(tmp, "many")
    write_config(cfg, "postscreen_dnsbl_sites =\n" +
                 "".join(f"    z{i}.delay300.fault.test\n" for i in range(200)))
    # 300 ms is over half of --slow 500: every zone gets its sample as a follow-up.
    p, _ = postvet(["probe", cfg, "--resolver", f"127.0.0.1:{fault}", "--samples", "1", "--slow", "500",
                    "--color", "never"])
    zones, queries, ms = probe_ms(p.stdout)
    check(zones == 200 and queries == 600, f"200 zones x 3 names: got {zones} zones, {queries} queries")
    check(p.returncode == 0, f"200 healthy zones: exit {p.returncode}: {p.stdout[:300]}")
    check(600 <= ms < 2000, f"600 queries with 300 ms delay, samples after the points, took {ms} ms")

    cfg = os.path.join(tmp, "capped")
    write_config(cfg, "postscreen_dnsbl_sites =\n" + "".join(f"    c{i}.delay300.fault.test\n" for i in range(20)))
    p, _ = postvet(["probe", cfg, "--resolver", f"127.0.0.1:{fault}", "--samples", "1", "--slow", "5000",
                    "--concurrency", "20", "--color", "never"])
    # 20 zones x 2 fixed points = 40 queries (no samples: 300 ms is far from 5000), 20 at a time: 2 rounds.
    zones, queries, ms = probe_ms(p.stdout)
    check(zones == 20 and queries == 40, f"capped probe: {zones} zones, {queries} queries")
    check(2 * 300 - 50 <= ms < 2 * 300 + 1500, f"capped probe: {zones} zones in {ms} ms")


def test_ipv6_points(tmp, dns, log):
    cfg = os.path.join(tmp, "ipv6")
    write_config(cfg, "smtpd_client_restrictions = reject_rbl_client bl.spamcop.net,"
                      " reject_rbl_client slow.dnsbl.test\n")
    open(log, "w").close()
    p, _ = postvet(["probe", cfg, "--resolver", f"127.0.0.1:{dns}", "--format", "json", "--slow", "600"])
    check(diagnostics(p) == [], f"bl.spamcop.net and slow.dnsbl.test are healthy: {p.stdout[:400]}")
    time.sleep(0.1)
    asked = {tuple(line.split()[:2]) for line in open(log).read().splitlines()}
    names = {name for name, qtype in asked if qtype == "1"}
    nibbles = "0.0.f.7.f.f.f.f." + "0." * 20
    # bl.spamcop.net answers IPv6 queries (catalogue ipv6=yes): ::FFFF:7F00:2 and :1.
    for point in ("2.0.0.0." + nibbles, "1.0.0.0." + nibbles, "2.0.0.127.", "1.0.0.127."):
        check(point + "bl.spamcop.net" in names, f"test point {point}bl.spamcop.net not asked")
    check(not any(qtype == "16" for _, qtype in asked), "a TXT query for a list that answered no policy code")
    # slow.dnsbl.test is in no catalogue: IPv4 points and, as it answers in
    # 350 ms (over half of --slow 600), 3 random TEST-NET samples.
    slow = {n for n in names if n.endswith(".slow.dnsbl.test")}
    check("2.0.0.127.slow.dnsbl.test" in slow and "1.0.0.127.slow.dnsbl.test" in slow,
          f"IPv4 test points not asked: {sorted(slow)}")
    check(not any("f.f.f.f" in n for n in slow), "IPv6 points asked of a zone not known to answer them")
    samples = [n for n in slow if re.match(r"^\d+\.(2\.0\.192|100\.51\.198|113\.0\.203)\.slow", n)]
    check(len(samples) == 3 and len(slow) == 5, f"want 2 fixed points and 3 TEST-NET samples: {sorted(slow)}")


def test_follow_ups(tmp, fault, log):
    """Fixed points first; samples only for a zone that looks slow, TXT only for a policy answer."""
    cfg = os.path.join(tmp, "follow")
    write_config(cfg, "smtpd_client_restrictions = reject_rbl_client healthy.fault.test,"
                      " reject_rbl_client hijack.fault.test, reject_rbl_client delay300.fault.test\n")
    open(log, "w").close()
    p, _ = postvet(["probe", cfg, "--resolver", f"127.0.0.1:{fault}", "--format", "json", "--slow", "500"])
    time.sleep(0.1)
    asked = [tuple(line.split()[:2]) for line in open(log).read().splitlines()]
    asked = [(name, qtype) for name, qtype in asked if name.endswith(".fault.test")]
    by_zone = {z: [a for a in asked if a[0].endswith("." + z)]
               for z in ("healthy.fault.test", "hijack.fault.test", "delay300.fault.test")}
    check(sorted(n for n, _ in by_zone["healthy.fault.test"]) ==
          ["1.0.0.127.healthy.fault.test", "2.0.0.127.healthy.fault.test"],
          f"a fast healthy zone is asked its 2 fixed points only: {by_zone['healthy.fault.test']}")
    check(("2.0.0.127.hijack.fault.test", "16") in by_zone["hijack.fault.test"]
          and len(by_zone["hijack.fault.test"]) == 3,
          f"a zone answering a foreign address gets the TXT query: {by_zone['hijack.fault.test']}")
    slow = by_zone["delay300.fault.test"]
    samples = [n for n, _ in slow if re.match(r"^\d+\.(2\.0\.192|100\.51\.198|113\.0\.203)\.delay300", n)]
    check(len(samples) == 3 and len(slow) == 5, f"a slow-looking zone gets 3 samples: {slow}")
    # Every fixed point leaves before any follow-up.
    fixed = [i for i, (n, t) in enumerate(asked) if t == "1" and re.match(r"^[12]\.0\.0\.127\.", n)]
    follow = [i for i, (n, t) in enumerate(asked) if not (t == "1" and re.match(r"^[12]\.0\.0\.127\.", n))]
    check(fixed and follow and max(fixed) < min(follow), f"follow-ups before fixed points: {asked}")
    doc = json.loads(p.stdout)
    rows = {z["zone"]: z for z in doc["probe"]["zones"]}
    check(rows["delay300.fault.test"]["queries"] == 5 and rows["delay300.fault.test"]["answers"] == 5,
          f"samples join the latency: {rows['delay300.fault.test']}")
    check(rows["healthy.fault.test"]["queries"] == 2, f"healthy zone: {rows['healthy.fault.test']}")

    # Follow-ups wait for every zone's fixed points. bl.spamcop.net has 4
    # (IPv6 too, per the catalogue), o.healthy.fault.test 2; one query at a
    # time (--concurrency 1) and --slow 0 (every answer calls for a sample).
    # Round-robin alone would send o's sample before spamcop's fourth point.
    order_log = log + ".order"
    port = start_fault_server("--zone", "bl.spamcop.net=healthy", log=order_log)
    cfg = os.path.join(tmp, "order")
    write_config(cfg, "smtpd_client_restrictions = reject_rbl_client bl.spamcop.net,"
                      " reject_rbl_client o.healthy.fault.test\n")
    p, _ = postvet(["probe", cfg, "--resolver", f"127.0.0.1:{port}", "--samples", "1", "--slow", "0",
                    "--concurrency", "1", "--format", "json"])
    time.sleep(0.1)
    asked = [line.split()[0] for line in open(order_log).read().splitlines()]
    fixed = [i for i, n in enumerate(asked) if re.match(r"^[12]\.0\.0\.(127|0\.)", n)]
    follow = [i for i, n in enumerate(asked) if re.match(r"^\d+\.(2\.0\.192|100\.51\.198|113\.0\.203)\.", n)]
    check(len(fixed) == 6 and len(follow) == 2, f"want 6 fixed points and 2 samples: {asked}")
    check(fixed and follow and max(fixed) < min(follow), f"a sample left before a fixed point: {asked}")


def test_no_network_without_probe(tmp, log):
    """Only --probe sends queries; a config without DNS lists sends none either."""
    port = start_fault_server(log=log)
    open(log, "w").close()
    for rid in ("PV901", "PV902", "PV903", "PV904", "PV905"):
        p, _ = postvet(["check", os.path.join(FIXTURES, rid, "fire"), "--format", "json", "--select", "PV9",
                        "--resolver", f"127.0.0.1:{port}"])
        check(p.returncode in (0, 1) and diagnostics(p) == [], f"{rid}: PV9xx reported without --probe")
    cfg = os.path.join(tmp, "nolists")
    write_config(cfg, "smtpd_client_restrictions = permit_mynetworks, reject_unauth_destination\n")
    p, _ = postvet(["probe", cfg, "--resolver", f"127.0.0.1:{port}", "--color", "never"])
    check(p.returncode == 0 and "0 zones" in p.stdout, f"probe without lists: {p.returncode} {p.stdout!r}")
    time.sleep(0.2)
    check(open(log).read() == "", "queries were sent without --probe or without lists")


def test_bad_options(tmp):
    cfg = os.path.join(FIXTURES, "PV901", "fire")
    for args in (["--resolver", "not-an-ip"], ["--resolver", "127.0.0.1:99999"], ["--timeout", "0"],
                 ["--deadline", "-5"], ["--tries", "0"]):
        p, _ = postvet(["probe", cfg, *args])
        check(p.returncode == 2 and "postvet:" in p.stderr, f"probe {args}: exit {p.returncode}, want 2")
    p, _ = postvet(["check", cfg, "--probe", "--resolver", "::1::2"])
    check(p.returncode == 2, f"check --probe with a bad resolver: exit {p.returncode}")
    p, _ = postvet(["probe", os.path.join(tmp, "does-not-exist")])
    check(p.returncode == 2, "probe of a missing path must fail with 2")


def main():
    return probe_fixture.run([
        ('deadline', lambda e: test_deadline(e.tmp)),
        ('concurrency', lambda e: test_concurrency(e.tmp, e.fault)),
        ('ipv6 and samples', lambda e: test_ipv6_points(e.tmp, e.dns, e.log)),
        ('follow-up queries', lambda e: test_follow_ups(e.tmp, e.fault, e.log)),
        ('no network without --probe', lambda e: test_no_network_without_probe(e.tmp, e.log + "2")),
        ('bad options', lambda e: test_bad_options(e.tmp))])


if __name__ == "__main__":
    sys.exit(main())
