#!/usr/bin/env python3
"""Writes a synthetic Postfix mail log in traditional syslog form for the
tune_log bench row (bench/rows/tune_log.sh): usage gen_mail_log.py OUT MB.

The mix is a busy postscreen + smtpd MX: per accepted message postscreen's
CONNECT/PASS, smtpd's connect, client, disconnect, cleanup, qmgr, smtp
delivery and removal; bots lost after CONNECT, DNSBL rejects, and some
lines of other programs (CRON, kernel, sshd). About 25 sessions are open at
once. Deterministic (a fixed seed), and written in blocks so 1 GB takes
seconds, not minutes."""
import random
import sys

MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()


def stamp(sec):
    day, rest = divmod(sec, 86400)
    month, day = divmod(day, 28)
    h, rest = divmod(rest, 3600)
    m, s = divmod(rest, 60)
    return f"{MONTHS[month % 12]} {day + 1:2d} {h:02d}:{m:02d}:{s:02d}"


def main():
    out, megabytes = sys.argv[1], float(sys.argv[2])
    limit = int(megabytes * 1024 * 1024)
    rng = random.Random(20)
    written = 0
    sec = 10 * 86400
    pid = 1000
    queue = 0x10000
    open_pids = []
    with open(out, "w", encoding="ascii") as f:
        while written < limit:
            block = []
            for _ in range(2000):
                sec += rng.choice((0, 0, 1))
                t = stamp(sec)
                pid = pid + 1 if pid < 4000000 else 1000
                queue += 1
                ip = f"198.51.{rng.randrange(256)}.{rng.randrange(1, 255)}"
                name = f"mail{rng.randrange(100000)}.example.net"
                qid = f"4N{queue:08X}"
                block.append(f"{t} mx1 postfix/postscreen[901]: CONNECT from [{ip}]:{rng.randrange(1024, 65535)} to [192.0.2.25]:25")
                kind = rng.random()
                if kind < 0.15:
                    block.append(f"{t} mx1 postfix/postscreen[901]: NOQUEUE: reject: RCPT from [{ip}]:{rng.randrange(1024, 65535)}: 550 5.7.1 Service unavailable; client [{ip}] blocked using zen.spamhaus.org; from=<x@{name}>, to=<user@example.org>, proto=ESMTP, helo=<{name}>")
                    continue
                block.append(f"{t} mx1 postfix/postscreen[901]: PASS OLD [{ip}]:{rng.randrange(1024, 65535)}")
                block.append(f"{t} mx1 postfix/smtpd[{pid}]: connect from {name}[{ip}]")
                open_pids.append((pid, name, ip))
                if kind < 0.25:
                    block.append(f"{t} mx1 postfix/smtpd[{pid}]: lost connection after CONNECT from {name}[{ip}]")
                else:
                    block.append(f"{t} mx1 postfix/smtpd[{pid}]: {qid}: client={name}[{ip}]")
                    block.append(f"{t} mx1 postfix/cleanup[{pid + 7}]: {qid}: message-id=<{queue}.{sec}@{name}>")
                    block.append(f"{t} mx1 postfix/qmgr[777]: {qid}: from=<sender{queue % 977}@{name}>, size={rng.randrange(900, 90000)}, nrcpt=1 (queue active)")
                    block.append(f"{t} mx1 postfix/smtp[{pid + 11}]: {qid}: to=<user{queue % 313}@example.org>, relay=mail.example.org[192.0.2.10]:25, delay=0.{rng.randrange(10, 99)}, delays=0.1/0/0.05/0.1, dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as 4M{queue:08X})")
                    block.append(f"{t} mx1 postfix/qmgr[777]: {qid}: removed")
                if len(open_pids) > 25:
                    p, n, i = open_pids.pop(rng.randrange(len(open_pids)))
                    block.append(f"{t} mx1 postfix/smtpd[{p}]: disconnect from {n}[{i}] ehlo=1 mail=1 rcpt=1 data=1 quit=1 commands=5")
                if kind > 0.97:
                    block.append(f"{t} mx1 CRON[{pid + 3}]: (root) CMD (command -v debian-sa1 > /dev/null && debian-sa1 1 1)")
                elif kind > 0.95:
                    block.append(f"{t} mx1 kernel: [{sec}.{pid % 1000:03d}] IPv4: martian source 192.0.2.1 from {ip}, on dev eth0")
            text = "\n".join(block) + "\n"
            f.write(text)
            written += len(text)


if __name__ == "__main__":
    main()
