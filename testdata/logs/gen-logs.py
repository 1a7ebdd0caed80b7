#!/usr/bin/env python3
"""Writes the synthetic mail logs of testdata/logs/ (run from that directory).

The lines use the formats Postfix 3.7 writes (messages from master_avail.c,
master_spawn.c, smtpd.c, smtpd_check.c, postscreen*.c, dnsblog.c); the
traffic is made up so that the numbers the tuning advisor must find are
known by construction. README.md lists them. Deterministic: same bytes on
every run (gzip mtime 0).
"""
import gzip

MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()


def trad(month, day, sec, pad=" "):
    """Traditional syslog stamp; pad " " (syslog) or "0" (postlogd)."""
    h, m, s = sec // 3600, sec // 60 % 60, sec % 60
    d = f"{day:2d}" if pad == " " else f"{day:02d}"
    return f"{MONTHS[month - 1]} {d} {h:02d}:{m:02d}:{s:02d}"


def rfc(sec):
    h, m, s = sec // 3600, sec // 60 % 60, sec % 60
    return f"2024-11-21T{h:02d}:{m:02d}:{s:02d}.{(sec * 7919) % 1000000:06d}+01:00"


def mx_traditional():
    """mx1: postscreen in front of `smtpd pass` (limit 30), plus submission."""
    out = []
    t0 = 10 * 3600

    def log(sec, tag, pid, msg):
        out.append(f"{trad(11, 20, sec)} mx1 {tag}[{pid}]: {msg}")

    out.append(f"{trad(11, 20, t0 - 5)} mx1 kernel: [12345.678] eth0: link up")
    log(t0, "postfix/master", 900, "daemon started -- version 3.7.11, configuration /etc/postfix")
    sec = t0 + 10
    # Ramp 1: pids 2001..2030 connect one per second: 30 concurrent sessions.
    for i in range(30):
        ip = f"198.51.100.{i + 1}"
        log(sec, "postfix/postscreen", 950, f"CONNECT from [{ip}]:40{i:03d} to [192.0.2.25]:25")
        log(sec, "postfix/postscreen", 950, f"PASS OLD [{ip}]:40{i:03d}")
        log(sec, "postfix/smtpd", 2001 + i, f"connect from mail{i}.example.org[{ip}]")
        sec += 1
    # The 31st client finds all 30 busy.
    log(sec, "postfix/master", 900,
        'warning: service "smtpd" (private/smtpd) has reached its process limit "30": '
        "new clients may experience noticeable delays")
    log(sec, "postfix/master", 900,
        "warning: to avoid this condition, increase the process count in master.cf "
        "or reduce the service time per client")
    log(sec, "postfix/master", 900,
        "warning: see http://www.postfix.org/STRESS_README.html for examples of "
        "stress-adapting configuration settings")
    for j in range(5):
        ip = f"203.0.113.{j + 1}"
        log(sec, "postfix/postscreen", 950, f"CONNECT from [{ip}]:5000{j} to [192.0.2.25]:25")
        log(sec, "postfix/postscreen", 950, f"NOQUEUE: reject: CONNECT from [{ip}]:5000{j}: all server ports busy")
    sec += 1
    log(sec, "postfix/postscreen", 950, "entering STRESS mode with 90 connections")
    # Ramp 1 ends: 10 clients leave silently, the rest talk and leave.
    for i in range(30):
        pid, ip = 2001 + i, f"198.51.100.{i + 1}"
        if i < 10:
            log(sec, "postfix/smtpd", pid, f"lost connection after CONNECT from mail{i}.example.org[{ip}]")
            log(sec, "postfix/smtpd", pid, f"disconnect from mail{i}.example.org[{ip}] commands=0/0")
        elif i == 29:
            # This one never logs its disconnect: the master reports the exit.
            log(sec, "postfix/master", 900, f"warning: process /usr/lib/postfix/sbin/smtpd pid {pid} killed by signal 9")
        else:
            log(sec, "postfix/smtpd", pid, f"{1000 + i:X}A: client=mail{i}.example.org[{ip}]")
            log(sec, "postfix/cleanup", 3000, f"{1000 + i:X}A: message-id=<{i}@example.org>")
            log(sec, "postfix/smtpd", pid,
                f"disconnect from mail{i}.example.org[{ip}] ehlo=1 mail=1 rcpt=1 data=1 quit=1 commands=5")
        sec += 1
    log(sec, "postfix/postscreen", 950, "leaving STRESS mode with 70 connections")
    # DNS list trouble.
    for k in range(3):
        log(sec, "postfix/dnsblog", 960 + k,
            "warning: dnsblog_query: lookup error for DNS query 2.0.0.127.dnsbl.sorbs.net: Host or domain name "
            "not found. Name service error for name=2.0.0.127.dnsbl.sorbs.net type=A: Host not found, try again")
    for k in range(2):
        log(sec, "postfix/postscreen", 950, "warning: dnsblog reply timeout 10s for dnsbl.sorbs.net")
    # Ramp 2: 20 clients (pids 2101..2120), of which 2 leave after CONNECT; a
    # pid is reused (2001 again) after its earlier session ended.
    sec += 60
    pids = list(range(2101, 2119)) + [2001, 2120]
    for n, pid in enumerate(pids):
        ip = f"198.51.100.{100 + n}"
        log(sec, "postfix/smtpd", pid, f"connect from unknown[{ip}]")
        sec += 1
    log(sec, "postfix/smtpd", 2101,
        "warning: 1.113.0.203.zen.spamhaus.org: RBL lookup error: Host or domain name not found. "
        "Name service error for name=1.113.0.203.zen.spamhaus.org type=A: Host not found, try again")
    for n, pid in enumerate(pids):
        ip = f"198.51.100.{100 + n}"
        if n < 2:
            log(sec, "postfix/smtpd", pid, f"lost connection after CONNECT from unknown[{ip}]")
        log(sec, "postfix/smtpd", pid, f"disconnect from unknown[{ip}] commands=0/0")
    # Submission: 3 overlapping sessions under its own syslog_name.
    for n in range(3):
        log(sec, "postfix/submission/smtpd", 4001 + n, f"connect from laptop{n}.example.net[192.0.2.{50 + n}]")
        sec += 1
    for n in range(3):
        log(sec, "postfix/submission/smtpd", 4001 + n,
            f"disconnect from laptop{n}.example.net[192.0.2.{50 + n}] ehlo=1 auth=1 quit=1 commands=3")
    out.append(f"{trad(11, 20, sec + 1)} mx1 CRON[5000]: (root) CMD (run-parts /etc/cron.hourly)")
    out.append("this line is not syslog at all")
    log(t0 + 4 * 3600, "postfix/qmgr", 940, "ABCDEF: removed")
    return out


def mx_rfc3339():
    """mx2: smtpd directly on port 25 with limit 100; RFC 3339 stamps."""
    out = []
    t0 = 9 * 3600

    def log(sec, tag, pid, msg):
        out.append(f"{rfc(sec)} mx2 {tag}[{pid}]: {msg}")

    log(t0, "postfix/master", 800, "daemon started -- version 3.7.11, configuration /etc/postfix")
    sec = t0 + 1
    # 100 sessions open at once, then 100 more after they close: 200
    # connections, of which every fifth is lost after CONNECT (40).
    for wave in range(2):
        base = 10000 + wave * 1000
        for i in range(100):
            log(sec, "postfix/smtpd", base + i, f"connect from unknown[192.0.2.{i + 1}]")
        log(sec, "postfix/master", 800,
            'warning: service "smtp" (25) has reached its process limit "100": '
            "new clients may experience noticeable delays")
        sec += 30
        for i in range(100):
            if i % 5 == 0:
                log(sec, "postfix/smtpd", base + i, f"lost connection after CONNECT from unknown[192.0.2.{i + 1}]")
            log(sec, "postfix/smtpd", base + i, f"disconnect from unknown[192.0.2.{i + 1}] commands=0/0")
        sec += 1770  # one wave every half hour
    log(t0 + 3600, "postfix/anvil", 810, "statistics: max connection count 3 for (smtp:192.0.2.1) at Nov 21 09:10:00")
    return out


def rotated():
    """mx1, the log before: across the turn of the year, peak 7."""
    out = []

    def log(month, day, sec, tag, pid, msg):
        out.append(f"{trad(month, day, sec)} mx1 {tag}[{pid}]: {msg}")

    end = 24 * 3600 - 10
    for i in range(7):
        log(12, 31, end + i, "postfix/smtpd", 700 + i, f"connect from unknown[192.0.2.{i + 1}]")
    for i in range(7):
        log(1, 1, 5 + i, "postfix/smtpd", 700 + i, f"disconnect from unknown[192.0.2.{i + 1}] commands=0/0")
    return out


def postlog():
    """A maillog_file written by postlogd: zero-padded day."""
    out = []

    def log(sec, tag, pid, msg):
        out.append(f"{trad(11, 5, sec, pad='0')} mx1 {tag}[{pid}]: {msg}")

    t0 = 8 * 3600
    log(t0, "postfix/postlog", 600, "daemon started")
    for i in range(4):
        log(t0 + i, "postfix/smtpd", 610 + i, f"connect from unknown[192.0.2.{i + 1}]")
    log(t0 + 10, "postfix/smtpd", 610, "lost connection after CONNECT from unknown[192.0.2.1]")
    for i in range(4):
        log(t0 + 10 + i, "postfix/smtpd", 610 + i, f"disconnect from unknown[192.0.2.{i + 1}] commands=0/0")
    return out


def small_traffic():
    """The same small traffic in every form: 4 sessions (peak 4), 1 lost
    after CONNECT, 2024-11-20 08:00:00 .. 08:00:13 UTC (13 s)."""
    ev = [(0, "postfix/master", 600, "daemon started -- version 3.7.11, configuration /etc/postfix")]
    for i in range(4):
        ev.append((i, "postfix/smtpd", 610 + i, f"connect from unknown[192.0.2.{i + 1}]"))
    ev.append((10, "postfix/smtpd", 610, "lost connection after CONNECT from unknown[192.0.2.1]"))
    for i in range(4):
        ev.append((10 + i, "postfix/smtpd", 610 + i, f"disconnect from unknown[192.0.2.{i + 1}] commands=0/0"))
    return ev


def at(sec):
    """Seconds after 2024-11-20 08:00:00 UTC, as (epoch, h, m, s) in UTC."""
    epoch = 1732089600 + sec
    return epoch, 8 + sec // 3600, sec // 60 % 60, sec % 60


def journal_short_iso():
    """journalctl -o short-iso: local time +0100, offset without colon."""
    out = ["-- Logs begin at Wed 2024-11-20 08:00:00 UTC, end at Wed 2024-11-20 08:00:13 UTC. --"]
    for sec, tag, pid, msg in small_traffic():
        _, h, m, s = at(sec)
        out.append(f"2024-11-20T{h + 1:02d}:{m:02d}:{s:02d}+0100 mx1 {tag}[{pid}]: {msg}")
    return out


def journal_short_precise():
    """journalctl -o short-precise: traditional stamp with microseconds."""
    out = []
    for sec, tag, pid, msg in small_traffic():
        _, h, m, s = at(sec)
        out.append(f"Nov 20 {h:02d}:{m:02d}:{s:02d}.{sec * 1111:06d} mx1 {tag}[{pid}]: {msg}")
    return out


def rfc5424():
    """RFC 5424 (rsyslog RSYSLOG_SyslogProtocol23Format), with and without SD."""
    out = []
    for n, (sec, tag, pid, msg) in enumerate(small_traffic()):
        _, h, m, s = at(sec)
        sd = '[meta sequenceId="%d"]' % n if n % 2 else "-"
        out.append(f"<22>1 2024-11-20T{h:02d}:{m:02d}:{s:02d}.000000+00:00 mx1 {tag} {pid} - {sd} {msg}")
    return out


def journal_json():
    """journalctl -o json: one object per line. The first entry's MESSAGE
    is in journald's binary form (an array of byte values, as journalctl
    writes a value that is not printable UTF-8): the reader must decode it,
    or that session's connect is missing from the evidence."""
    import json
    out = []
    for n, (sec, tag, pid, msg) in enumerate(small_traffic()):
        epoch = at(sec)[0]
        message = list(msg.encode()) if n == 0 else msg
        out.append(json.dumps({"__CURSOR": f"s=1;i={sec}", "__REALTIME_TIMESTAMP": str(epoch * 1000000 + 250),
                               "_HOSTNAME": "mx1", "SYSLOG_IDENTIFIER": tag, "SYSLOG_PID": str(pid),
                               "_PID": "1", "MESSAGE": message}, ensure_ascii=True))
    # JSON escapes must be read: "lost" is written as "\u006cost".
    out = [line.replace('"MESSAGE": "lost', '"MESSAGE": "\\u006cost') for line in out]
    return out


def journal_export():
    """journalctl -o export: KEY=value lines, blank line between entries."""
    out = []
    for sec, tag, pid, msg in small_traffic():
        epoch = at(sec)[0]
        out += [f"__CURSOR=s=1;i={sec}", f"__REALTIME_TIMESTAMP={epoch * 1000000}",
                "__MONOTONIC_TIMESTAMP=1234", "_HOSTNAME=mx1", f"SYSLOG_IDENTIFIER={tag}",
                f"_PID={pid}", f"MESSAGE={msg}", ""]
    return out[:-1]  # the last entry ends at the end of the file


def waves(days, every, per_wave, month=11, day0=1, host="mx3"):
    """smtpd directly on port 25: every `every` seconds `per_wave` clients
    connect one second apart and all leave 20 s later (peak = per_wave)."""
    out = []
    pid = 20000
    sec = 0
    while sec < days * 86400:
        day, rest = day0 + sec // 86400, sec % 86400
        pids = []
        for i in range(per_wave):
            pid += 1
            pids.append(pid)
            out.append(f"{trad(month, day, rest + i)} {host} postfix/smtpd[{pid}]: connect from unknown[192.0.2.{i + 1}]")
        for i, p in enumerate(pids):
            out.append(f"{trad(month, day, rest + 20 + i)} {host} postfix/smtpd[{p}]: "
                       f"disconnect from unknown[192.0.2.{i + 1}] ehlo=1 quit=1 commands=2")
        sec += every
    return out


def demo_warning():
    """For the demo config (postscreen on smtp/inet, smtpd pass limit 30):
    25 h, smtpd pass at its limit of 30, and a master warning that names the
    postscreen service "smtp" (25) with a limit of 30."""
    out = []
    for h in (0, 25):
        out.append(f"{trad(11, 20 + h // 24, (h % 24) * 3600)} mx1 postfix/master[900]: daemon started -- version 3.7.11")
    for i in range(30):
        out.append(f"{trad(11, 20, 3600 + i)} mx1 postfix/smtpd[{3000 + i}]: connect from unknown[198.51.100.{i + 1}]")
    out.append(f"{trad(11, 20, 3631)} mx1 postfix/master[900]: warning: service \"smtpd\" (private/smtpd) has "
               "reached its process limit \"30\": new clients may experience noticeable delays")
    out.append(f"{trad(11, 20, 3632)} mx1 postfix/master[900]: warning: service \"smtp\" (25) has "
               "reached its process limit \"30\": new clients may experience noticeable delays")
    for i in range(30):
        out.append(f"{trad(11, 20, 3640 + i)} mx1 postfix/smtpd[{3000 + i}]: disconnect from unknown[198.51.100.{i + 1}]")
    out.sort(key=lambda line: (int(line[4:6]), line[7:15]))
    return out


def dnsbl_three():
    """postscreen with three DNS lists over 2 days: zen.spamhaus.org lists
    clients 1..40 (postscreen rejects them) and smtpd rejects 2 more with it;
    bl.spamcop.net lists only clients 1..15, all also on zen;
    b.barracudacentral.org lists nobody. One spamcop lookup times out."""
    out = []

    def log(sec, tag, pid, msg):
        out.append(f"{trad(11, 10 + sec // 86400, sec % 86400)} mx4 {tag}[{pid}]: {msg}")

    for n in range(60):
        sec = 600 + n * 2800
        ip = f"203.0.113.{n + 1}"
        log(sec, "postfix/postscreen", 500, f"CONNECT from [{ip}]:4{n:04d} to [192.0.2.25]:25")
        if n < 40:
            log(sec, "postfix/dnsblog", 510, f"addr {ip} listed by domain zen.spamhaus.org as 127.0.0.2")
        if n < 15:
            log(sec, "postfix/dnsblog", 511, f"addr {ip} listed by domain bl.spamcop.net as 127.0.0.2")
        if n < 40:
            rank = 5 if n < 15 else 3
            log(sec + 1, "postfix/postscreen", 500, f"DNSBL rank {rank} for [{ip}]:4{n:04d}")
            log(sec + 2, "postfix/postscreen", 500,
                f"NOQUEUE: reject: RCPT from [{ip}]:4{n:04d}: 550 5.7.1 Service unavailable; client [{ip}] "
                f"blocked using zen.spamhaus.org; from=<x@example.com>, to=<u@example.org>, proto=ESMTP, helo=<x>")
            log(sec + 3, "postfix/postscreen", 500, f"DISCONNECT [{ip}]:4{n:04d}")
        else:
            log(sec + 1, "postfix/postscreen", 500, f"PASS NEW [{ip}]:4{n:04d}")
            log(sec + 1, "postfix/smtpd", 600 + n, f"connect from unknown[{ip}]")
            if n < 42:
                log(sec + 2, "postfix/smtpd", 600 + n,
                    f"NOQUEUE: reject: RCPT from unknown[{ip}]: 554 5.7.1 Service unavailable; Client host [{ip}] "
                    f"blocked using zen.spamhaus.org; from=<x@example.com> to=<u@example.org> proto=ESMTP helo=<x>")
            log(sec + 3, "postfix/smtpd", 600 + n, f"disconnect from unknown[{ip}] ehlo=1 mail=1 rcpt=0/1 commands=2/3")
    log(100, "postfix/postscreen", 500, "warning: dnsblog reply timeout 10s for bl.spamcop.net")
    out.sort(key=lambda line: (int(line[4:6]), line[7:15]))
    return out


def write(name, lines):
    with open(name, "w", encoding="ascii", newline="\n") as f:
        f.write("\n".join(lines) + "\n")


write("mx-traditional.log", mx_traditional())
write("mx-rfc3339.log", mx_rfc3339())
write("postlog.log", postlog())
data = ("\n".join(rotated()) + "\n").encode("ascii")
with open("mx-rotated.log.1.gz", "wb") as raw:
    with gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0) as gz:
        gz.write(data)
write("journal-short-iso.log", journal_short_iso())
write("journal-short-precise.log", journal_short_precise())
write("rfc5424.log", rfc5424())
write("journal.json", journal_json())
write("journal.export", journal_export())
write("unknown-format.log", ["2024/11/20 08:00:00 mx1 smtpd: connect from unknown[192.0.2.1]",
                             "also not a mail log line"])
write("oversized.log", waves(8, 3600, 5))
write("short.log", waves(0.0834, 600, 5))
write("demo-warning.log", demo_warning())
write("dnsbl-three.log", dnsbl_three())
