#!/usr/bin/env python3
"""A small fault-injecting DNS responder for the probe tests (127.0.0.1 only).

It answers A and TXT queries like a DNS list would, or misbehaves on purpose.
The behaviour comes from the query name: the rightmost label that names a
mode decides, so zone `servfail.fault.test` makes every query under it fail.
`--zone SUFFIX=MODE` gives names under SUFFIX a mode (so zones need not be
named after modes), and `--mode MODE` forces one mode for every name (the
deadline test black-holes everything with `--mode drop`). Modes:

  healthy    RFC 5782 test points: 127.0.0.2 / TEST listed (A 127.0.0.2, a TXT
             record), everything else NXDOMAIN
  everything every name listed (A 127.0.0.2)
  hijack     every name answered with 198.51.100.99, as an NXDOMAIN-rewriting
             resolver does (an address outside 127/8)
  dead       every name NXDOMAIN
  servfail   SERVFAIL           refused   REFUSED
  drop       never answers (black hole)
  garbage    random bytes (wrong id: a resolver must ignore them)
  badrecord  right id and question, but the answer record runs past the end
  trunc      UDP answers have the TC bit and no records; TCP answers as healthy
  delayN     healthy, after N milliseconds (e.g. delay300)
  public     every name answered 127.255.255.254, Spamhaus' code for queries
             through a public resolver
  tcpclose   UDP answers have the TC bit; over TCP the server answers one
             query as healthy, then closes the connection (a misbehaving
             list server behind a forwarder)

In the healthy modes, a.root-servers.net (the probe's "must exist" control
name) has an address, as on the Internet.

Responses are built by hand (no external libraries). The server listens on
UDP and TCP on the same port and prints that port on stdout, then serves
until killed. With `--log FILE` it appends every query it sees to FILE.
Answers have TTL 0 so a caching resolver in front of it (dnsmasq in the
tests) asks again every time.
"""
import argparse
import heapq
import os
import random
import selectors
import socket
import struct
import sys
import time

MODES = ("healthy", "everything", "hijack", "dead", "servfail", "refused", "drop", "garbage", "badrecord", "trunc",
         "public", "tcpclose")
ROOT_SERVER = ("a", "root-servers", "net")
TYPE_A, TYPE_TXT, CLASS_IN = 1, 16, 1
RCODE_OK, RCODE_SERVFAIL, RCODE_NXDOMAIN, RCODE_REFUSED = 0, 2, 3, 5
# RFC 5782 positive test points: the first labels of a listed query.
LISTED_PREFIXES = (
    ("2", "0", "0", "127"),
    ("test",),
    tuple("2.0.0.0.0.0.f.7.f.f.f.f".split(".")) + ("0",) * 20,
)


def parse_query(data):
    """(id, flags, labels, qtype, question bytes) or None for a broken query."""
    if len(data) < 12:
        return None
    qid, flags, qdcount = struct.unpack("!HHH", data[:6])
    if qdcount != 1:
        return None
    pos, labels = 12, []
    while True:
        if pos >= len(data):
            return None
        n = data[pos]
        pos += 1
        if n == 0:
            break
        if n > 63 or pos + n > len(data):
            return None
        labels.append(data[pos:pos + n].decode("ascii", "replace").lower())
        pos += n
    if pos + 4 > len(data):
        return None
    qtype, _ = struct.unpack("!HH", data[pos:pos + 4])
    return qid, flags, labels, qtype, data[12:pos + 4]


def mode_of(labels, forced, zones):
    if forced:
        return forced
    name = ".".join(labels)
    for suffix, mode in zones:
        if name == suffix or name.endswith("." + suffix):
            return mode
    for label in reversed(labels):
        if label in MODES or (label.startswith("delay") and label[5:].isdigit()):
            return label
    return "healthy"


def response(qid, flags, question, rcode=RCODE_OK, answers=(), tc=False):
    # QR, the query's opcode and RD, RA; TC when asked.
    out_flags = 0x8000 | (flags & 0x7900) | 0x0080 | rcode | (0x0200 if tc else 0)
    header = struct.pack("!HHHHHH", qid, out_flags, 1, len(answers), 0, 0)
    body = b""
    for rtype, rdata in answers:
        body += struct.pack("!HHHIH", 0xC00C, rtype, CLASS_IN, 0, len(rdata)) + rdata
    return header + question + body


def is_listed_point(labels):
    return any(tuple(labels[:len(p)]) == p for p in LISTED_PREFIXES)


LOG = None


def answer(data, forced, zones, transport):
    """(bytes to send or None, delay in seconds)."""
    q = parse_query(data)
    if q is None:
        return None, 0
    qid, flags, labels, qtype, question = q
    if LOG is not None:
        LOG.write(f"{'.'.join(labels)} {qtype} {transport}\n")
        LOG.flush()
    mode = mode_of(labels, forced, zones)
    delay = 0.0
    if mode.startswith("delay"):
        delay, mode = int(mode[5:]) / 1000.0, "healthy"
    if mode == "drop":
        return None, 0
    if mode == "garbage":
        junk = bytearray(os.urandom(random.randint(1, 40)))
        if len(junk) >= 2 and struct.unpack("!H", junk[:2])[0] == qid:
            junk[0] ^= 0xFF
        return bytes(junk), delay
    if mode == "servfail":
        return response(qid, flags, question, RCODE_SERVFAIL), delay
    if mode == "refused":
        return response(qid, flags, question, RCODE_REFUSED), delay
    if mode in ("trunc", "tcpclose") and transport == "udp":
        return response(qid, flags, question, tc=True), delay
    if mode == "public":
        if qtype != TYPE_A:
            return response(qid, flags, question), delay
        return response(qid, flags, question, answers=[(TYPE_A, bytes([127, 255, 255, 254]))]), delay
    if tuple(labels) == ROOT_SERVER and mode in ("healthy", "trunc", "tcpclose") and qtype == TYPE_A:
        return response(qid, flags, question, answers=[(TYPE_A, bytes([198, 41, 0, 4]))]), delay
    if mode == "badrecord":
        good = response(qid, flags, question, answers=[(TYPE_A, bytes([127, 0, 0, 2]))])
        return good[:-3], delay  # rdlength says 4 but only 1 byte of the address is there
    listed = {"everything": True, "hijack": True, "dead": False}.get(mode, is_listed_point(labels))
    if not listed:
        return response(qid, flags, question, RCODE_NXDOMAIN), delay
    if qtype == TYPE_A:
        addr = bytes([198, 51, 100, 99]) if mode == "hijack" else bytes([127, 0, 0, 2])
        return response(qid, flags, question, answers=[(TYPE_A, addr)]), delay
    if qtype == TYPE_TXT:
        text = b"listed for testing by dns_fault_server"
        return response(qid, flags, question, answers=[(TYPE_TXT, bytes([len(text)]) + text)]), delay
    return response(qid, flags, question), delay  # NODATA for other types


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--mode", choices=MODES + ("delay",), default=None)
    ap.add_argument("--delay-ms", type=int, default=0, help="with --mode delay")
    ap.add_argument("--zone", action="append", default=[], metavar="SUFFIX=MODE")
    ap.add_argument("--log", help="append each query (name type transport) to this file")
    ap.add_argument("--stock-rcvbuf", action="store_true",
                    help="keep the kernel's default UDP receive buffer (the benchmark's stock resolver)")
    args = ap.parse_args()
    global LOG
    if args.log:
        LOG = open(args.log, "a", encoding="utf-8")
    zones = []
    for item in args.zone:
        suffix, _, mode = item.partition("=")
        if mode not in MODES and not (mode.startswith("delay") and mode[5:].isdigit()):
            ap.error(f"--zone {item}: unknown mode")
        zones.append((suffix.lower().rstrip("."), mode))
    forced = args.mode
    if forced == "delay":
        forced = f"delay{args.delay_ms}"

    for _ in range(20):
        udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        udp.bind(("127.0.0.1", args.port))
        port = udp.getsockname()[1]
        tcp = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        tcp.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            tcp.bind(("127.0.0.1", port))
            break
        except OSError:
            udp.close()
            tcp.close()
            if args.port:
                raise
    tcp.listen(64)
    # Hundreds of queries arrive at once in the concurrency test.
    if not args.stock_rcvbuf:
        udp.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
    udp.setblocking(False)
    tcp.setblocking(False)
    print(port, flush=True)

    sel = selectors.DefaultSelector()
    sel.register(udp, selectors.EVENT_READ, "udp")
    sel.register(tcp, selectors.EVENT_READ, "listen")
    pending = []  # (when, seq, sender)
    seq = 0
    buffers = {}

    while True:
        timeout = None
        if pending:
            timeout = max(0.0, pending[0][0] - time.monotonic())
        for key, _ in sel.select(timeout):
            if key.data == "udp":
                while True:  # drain the socket: a burst must not wait for select
                    try:
                        data, peer = udp.recvfrom(4096)
                    except (BlockingIOError, ConnectionError):
                        break
                    reply, delay = answer(data, forced, zones, "udp")
                    if reply is not None:
                        seq += 1
                        heapq.heappush(pending, (time.monotonic() + delay, seq,
                                                 lambda r=reply, p=peer: udp.sendto(r, p)))
            elif key.data == "listen":
                try:
                    conn, _ = tcp.accept()
                except BlockingIOError:
                    continue
                conn.setblocking(False)
                buffers[conn] = b""
                sel.register(conn, selectors.EVENT_READ, "conn")
            else:
                conn = key.fileobj
                try:
                    chunk = conn.recv(4096)
                except (BlockingIOError, ConnectionError):
                    chunk = b""
                if not chunk:
                    sel.unregister(conn)
                    buffers.pop(conn, None)
                    conn.close()
                    continue
                buf = buffers[conn] + chunk
                while len(buf) >= 2:
                    n = struct.unpack("!H", buf[:2])[0]
                    if len(buf) < 2 + n:
                        break
                    q = parse_query(buf[2:2 + n])
                    close_after = q is not None and mode_of(q[2], forced, zones) == "tcpclose"
                    reply, delay = answer(buf[2:2 + n], forced, zones, "tcp")
                    buf = buf[2 + n:]
                    if reply is not None:
                        framed = struct.pack("!H", len(reply)) + reply
                        seq += 1

                        def send(c=conn, f=framed, close=close_after):
                            try:
                                c.setblocking(True)
                                c.sendall(f)
                                c.setblocking(False)
                                if close:  # hang up on whatever else the client sent
                                    sel.unregister(c)
                                    buffers.pop(c, None)
                                    c.close()
                            except (OSError, KeyError, ValueError):
                                pass
                        heapq.heappush(pending, (time.monotonic() + delay, seq, send))
                buffers[conn] = buf
        now = time.monotonic()
        while pending and pending[0][0] <= now:
            _, _, send = heapq.heappop(pending)
            try:
                send()
            except OSError:
                pass


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        sys.exit(0)
