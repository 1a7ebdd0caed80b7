#!/usr/bin/env python3
"""End-to-end tests of the live DNSBL probe (`postvet probe`, `check --probe`).

Everything runs on 127.0.0.1: a real DNS server (dnsmasq, installed by
`make test-deps`) serves zones that behave like each case (healthy, dead,
lists everything, policy code, REFUSED, slow, black hole, unreachable),
and forwards the slow and black-holed zones to tests/dns_fault_server.py,
which also serves the fault cases (SERVFAIL, REFUSED, truncation, garbage,
undecodable records, delays, drops) directly. Checked here:

- every verdict (PV901-PV905) at the zone's place, naming the zone; healthy
  lists get nothing; error answers are never taken for listings;
- a resolver unfit to judge lists (NXDOMAIN for everything, everything
  listed, Spamhaus' public-resolver code, no answer, nothing listening, a
  known public resolver) gives one message naming it, exit 2, no verdicts
  and no fix, also through `check --probe --fix`;
- zone isolation: a list server that answers over TCP and hangs up does not
  make the other zones fail; probe-derived fixes need --unsafe-fixes;
- `--format json` carries the verdict and latency table;
- the text report's table and worst-case connection times;
- flow control: 200 zones in a few round trips (the window starts at 128 and widens), the
  concurrency cap, and the global deadline with every server black-holed;
- the PV90x fixtures (testdata/rules/PV90x/{fire,clean,fixed}), which the
  rule meta-test leaves to this test because they need the DNS server,
  with their snapshots testdata/rules/PV90x/fire.expected (format and
  POSTVET_UPDATE_SNAPSHOTS=1: tests/rule_snapshot.py; the test server's
  port, timestamps and measured times are replaced by placeholders) and
  the message shape of docs/messages.md;
- without --probe nothing is sent.
"""
import json
import os
import random
import re
import shutil
import socket
import struct
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rule_snapshot  # noqa: E402

SRC = os.environ.get("POSTVET_SOURCE_DIR", os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN = os.environ.get("POSTVET_BIN", os.path.join(SRC, "build", "postvet"))
FAULT = os.path.join(SRC, "tests", "dns_fault_server.py")
FIXTURES = os.path.join(SRC, "testdata", "rules")
SLOW_MS = 350

failures = []
procs = []


def fail(msg):
    failures.append(msg)
    print("FAIL:", msg, flush=True)


def check(cond, msg):
    if not cond:
        fail(msg)
    return cond


def start_fault_server(*args, log=None):
    cmd = [sys.executable, FAULT, *args] + (["--log", log] if log else [])
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True)
    procs.append(p)
    port = int(p.stdout.readline())
    return port


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as u:
        u.bind(("127.0.0.1", 0))
        return u.getsockname()[1]


def dns_query(port, name, timeout=0.5):
    """Rcode of an A query, or None without an answer."""
    qid = random.randint(0, 0xFFFF)
    pkt = struct.pack("!HHHHHH", qid, 0x0100, 1, 0, 0, 0)
    pkt += b"".join(bytes([len(l)]) + l.encode() for l in name.split(".")) + b"\0" + struct.pack("!HH", 1, 1)
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.settimeout(timeout)
        s.sendto(pkt, ("127.0.0.1", port))
        try:
            data = s.recv(4096)
        except OSError:
            return None
    return struct.unpack("!H", data[2:4])[0] & 0xF


def start_dnsmasq(fault_port, slow_port, drop_port):
    exe = shutil.which("dnsmasq") or "/usr/sbin/dnsmasq"
    if not os.path.exists(exe):
        fail("dnsmasq is not installed (make test-deps installs it)")
        return None
    for _ in range(10):
        port = free_port()
        cmd = [exe, "--no-daemon", f"--port={port}", "--listen-address=127.0.0.1", "--bind-interfaces",
               "--no-resolv", "--no-hosts", "--conf-file=/dev/null", "--pid-file=", "--cache-size=0",
               "--local=/dnsbl.test/",
               "--host-record=2.0.0.127.healthy.dnsbl.test,127.0.0.2",
               "--host-record=test.healthy.dnsbl.test,127.0.0.2",
               # The probe's "must exist" control name.
               "--host-record=a.root-servers.net,198.41.0.4",
               "--txt-record=2.0.0.127.healthy.dnsbl.test,listed for testing",
               "--address=/everything.dnsbl.test/127.0.0.2",
               # Spamhaus' answer to queries through a public resolver.
               "--address=/zen.spamhaus.org/127.255.255.254",
               # Spamhaus DBL's answer to an IP query (a per-zone error code).
               "--address=/dbl.spamhaus.org/127.0.1.255",
               # A catalogue zone with IPv6 test points (ipv6=yes), working,
               # answered by the logging responder.
               f"--server=/bl.spamcop.net/127.0.0.1#{fault_port}",
               f"--server=/slow.dnsbl.test/127.0.0.1#{slow_port}",
               f"--server=/blackhole.dnsbl.test/127.0.0.1#{drop_port}",
               # Nothing listens on port 9 (discard): the list is unreachable.
               "--server=/unreach.dnsbl.test/127.0.0.1#9"]
        p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline and p.poll() is None:
            if dns_query(port, "2.0.0.127.healthy.dnsbl.test", 0.2) == 0:
                procs.append(p)
                return port
            time.sleep(0.05)
        p.kill()
        p.wait()
    fail("dnsmasq did not start")
    return None


def postvet(args, cwd=None):
    t0 = time.monotonic()
    p = subprocess.run([BIN, *args], capture_output=True, text=True, cwd=cwd)
    return p, time.monotonic() - t0


def write_config(directory, text):
    os.makedirs(directory, exist_ok=True)
    with open(os.path.join(directory, "main.cf"), "w") as f:
        f.write(text)


def diagnostics(p):
    try:
        return json.loads(p.stdout)["diagnostics"]
    except (ValueError, KeyError):
        fail(f"not JSON (rc {p.returncode}): {p.stdout[:300]!r} {p.stderr[:300]!r}")
        return []


def said(d):
    """A finding's message with its notes: what it tells in all (docs/messages.md
    puts the evidence and the consequences in detail notes)."""
    return " ".join([d["message"]] + [n["message"] for n in d["notes"]])


def by_zone(diags, zones):
    """zone -> rules reported on it (the zone must be named in the message)."""
    out = {z: set() for z in zones}
    for d in diags:
        for z in zones:
            if d["message"].startswith(z + " "):
                out[z].add(d["rule"])
    return out


def expect_verdicts(name, diags, expected):
    got = by_zone(diags, expected)
    for zone, rules in expected.items():
        check(got[zone] == rules, f"{name}: {zone}: expected {sorted(rules) or 'no finding'}, got {sorted(got[zone])}")


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


def files_of(directory):
    out = {}
    for root, _, names in os.walk(directory):
        for n in names:
            with open(os.path.join(root, n), "rb") as f:
                out[os.path.relpath(os.path.join(root, n), directory)] = f.read()
    return out


def normalize_probe(text):
    """What differs between runs of the probe fixtures, as placeholders."""
    text = re.sub(r"127\.0\.0\.1:\d+", "127.0.0.1:PORT", text)
    text = re.sub(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC", "TIME", text)
    return re.sub(r"\b\d+(\.\d+)? ?(ms|s)\b(?! threshold)", "N \\2", text)


def test_fixtures(tmp, dns):
    probe = ["--probe", "--resolver", f"127.0.0.1:{dns}", "--timeout", "500"]
    listing, _ = postvet(["rules"])
    for rid in ("PV901", "PV902", "PV903", "PV904", "PV905"):
        fixture = os.path.join(FIXTURES, rid)
        for sub, want in (("fire", True), ("clean", False)):
            d = os.path.join(fixture, sub)
            if not check(os.path.isdir(d), f"{rid}: missing testdata/rules/{rid}/{sub}/"):
                continue
            p, _ = postvet(["check", sub, "--format", "json", "--fail-on", "info", "--select", rid, *probe],
                           cwd=fixture)
            every = diagnostics(p)
            got = [x for x in every if x["rule"] == rid]
            check(bool(got) == want, f"{rid}/{sub}: {'no finding' if want else got[:1]}")
            if sub == "fire":
                problem = rule_snapshot.compare(rid, fixture, rule_snapshot.render(every, fixture, normalize_probe))
                check(problem is None, problem)
                print(f"{rid} message length: {rule_snapshot.length_summary([x['message'] for x in every])}")
                for x in every:
                    problems = rule_snapshot.shape_problems(x["message"])
                    check(not problems, f"{x['rule']}: message shape (docs/messages.md): {', '.join(problems or [])}: "
                                        f"{x['message']!r}")
        fix_kind = next((l.split()[3] for l in listing.stdout.splitlines() if l.startswith(rid)), "-")
        if fix_kind == "-":
            continue
        fixed = os.path.join(fixture, "fixed")
        if not check(os.path.isdir(fixed), f"{rid}: has a fix but no fixed/"):
            continue
        check(fix_kind == "unsafe", f"{rid}: a probe-derived fix must be unsafe, `postvet rules` says {fix_kind}")
        work = os.path.join(tmp, f"fix-{rid}")
        shutil.copytree(os.path.join(fixture, "fire"), work)
        # Without --unsafe-fixes nothing is touched, and the fix says what was seen and when.
        p, _ = postvet(["check", work, "--select", rid, "--fix", *probe])
        check(files_of(work) == files_of(os.path.join(fixture, "fire")), f"{rid}: --fix alone applied a probe fix")
        p, _ = postvet(["check", work, "--select", rid, "--format", "json", *probe])
        fixes = [x["fix"] for x in diagnostics(p) if x["rule"] == rid and x["fix"]]
        check(fixes and all(f["applicability"] == "unsafe" for f in fixes), f"{rid}: fixes not unsafe: {fixes}")
        t, _ = postvet(["check", work, "--select", rid, "--color", "never", *probe])
        check(re.search(r"fix \(unsafe.*the probe at \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC through 127\.0\.0\.1:\d+ "
                        r"\(--resolver\) saw ", t.stdout) is not None,
              f"{rid}: the fix text does not say what was observed and when: {t.stdout[:600]!r}")
        unsafe = probe + ["--unsafe-fixes"]
        d, _ = postvet(["check", f"fix-{rid}", "--select", rid, "--diff", *unsafe], cwd=tmp)
        if check(d.stdout.startswith("--- a/"), f"{rid}: --diff printed no patch: {d.stdout[:200]!r}"):
            with open(os.path.join(tmp, "fix.patch"), "w") as f:
                f.write(d.stdout)
            subprocess.run(["git", "init", "-q"], cwd=tmp)
            g = subprocess.run(["git", "apply", "--check", "fix.patch"], cwd=tmp, capture_output=True, text=True)
            check(g.returncode == 0, f"{rid}: --diff does not apply: {g.stderr.strip()}")
        postvet(["check", work, "--select", rid, "--fix", *unsafe])
        got, want = files_of(work), files_of(fixed)
        for name, data in want.items():
            check(got.get(name) == data, f"{rid}: after --fix, {name} differs from fixed/:\n{got.get(name)!r}")
        before = files_of(work)
        postvet(["check", work, "--select", rid, "--fix", *unsafe])
        check(files_of(work) == before, f"{rid}: a second --fix changed the files")


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


def main():
    if not os.path.exists(BIN):
        print(f"FAIL: {BIN} not built")
        return 1
    tmp = tempfile.mkdtemp(prefix="postvet-probe-")
    log = os.path.join(tmp, "fault.log")
    try:
        fault = start_fault_server(log=log)
        drop = start_fault_server("--mode", "drop")
        slow = start_fault_server("--mode", "delay", "--delay-ms", str(SLOW_MS), log=log)
        dns = start_dnsmasq(fault, slow, drop)
        if dns is None:
            return 1
        t0 = time.monotonic()
        for name, test in (("dnsmasq cases", lambda: test_dnsmasq_cases(tmp, dns)),
                           ("fault server", lambda: test_fault_server(tmp, fault)),
                           ("deadline", lambda: test_deadline(tmp)),
                           ("unfit resolvers", lambda: test_unfit_resolvers(tmp)),
                           ("zone isolation", lambda: test_zone_isolation(tmp)),
                           ("chroot resolver", lambda: test_chroot_resolver(tmp)),
                           ("json table", lambda: test_json_table(tmp, fault)),
                           ("concurrency", lambda: test_concurrency(tmp, fault)),
                           ("ipv6 and samples", lambda: test_ipv6_points(tmp, dns, log)),
                           ("follow-up queries", lambda: test_follow_ups(tmp, fault, log)),
                           ("no network without --probe", lambda: test_no_network_without_probe(tmp, log + "2")),
                           ("bad options", lambda: test_bad_options(tmp)),
                           ("fixtures", lambda: test_fixtures(tmp, dns))):
            before = len(failures)
            t = time.monotonic()
            test()
            print(f"{'ok  ' if len(failures) == before else 'FAIL'} {name} ({time.monotonic() - t:.1f} s)", flush=True)
        print(f"total {time.monotonic() - t0:.1f} s")
    finally:
        for p in procs:
            p.kill()
            p.wait()
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"{len(failures)} failure(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
