"""Shared set-up of the live DNSBL probe tests (tests/probe_*_test.py).

Everything runs on 127.0.0.1: a real DNS server (dnsmasq, installed by
`make test-deps`) serves zones that behave like each case (healthy, dead,
lists everything, policy code, REFUSED, slow, black hole, unreachable),
and forwards the slow and black-holed zones to tests/dns_fault_server.py,
which also serves the fault cases (SERVFAIL, REFUSED, truncation, garbage,
undecodable records, delays, drops) directly.

Contract: run(cases) starts those servers, calls each case with an Env
(tmp directory, dnsmasq port, fault server port, fault server query log),
prints one ok/FAIL line per case, stops the servers and returns the exit
status (1 when a check failed). fail()/check() record failures; the other
helpers run postvet and read its JSON findings.
"""
import collections
import json
import os
import random
import shutil
import socket
import struct
import subprocess
import sys
import tempfile
import time

from pvtest import BIN, SRC
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


def files_of(directory):
    out = {}
    for root, _, names in os.walk(directory):
        for n in names:
            with open(os.path.join(root, n), "rb") as f:
                out[os.path.relpath(os.path.join(root, n), directory)] = f.read()
    return out


Env = collections.namedtuple("Env", "tmp dns fault log")


def run(cases):
    """Starts the servers, runs each (name, case(Env)) in order; the exit status."""
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
        env = Env(tmp, dns, fault, log)
        t0 = time.monotonic()
        for name, test in cases:
            before = len(failures)
            t = time.monotonic()
            test(env)
            print(f"{'ok  ' if len(failures) == before else 'FAIL'} {name} ({time.monotonic() - t:.1f} s)", flush=True)
        print(f"total {time.monotonic() - t0:.1f} s")
    finally:
        for p in procs:
            p.kill()
            p.wait()
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"{len(failures)} failure(s)")
    return 1 if failures else 0
