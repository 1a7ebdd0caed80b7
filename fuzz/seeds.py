#!/usr/bin/env python3
"""Writes the seed corpora of the fuzz targets from testdata/ and the shared
corpus (../shared/corpus): one directory per target under OUT.

usage: fuzz/seeds.py OUT
main_cf / master_cf: every main.cf / master.cf file; table: every table file,
prefixed with the type byte the target reads ("\\0" regexp, "\\1" pcre);
expand: each `$`-using main.cf value followed by that file's definitions as
name=value lines; check: every config dir of testdata/ joined with the
"\\n====\\n" markers check_fuzz.cpp splits at, plus generated `$` list
fan-out chains (aN = $aN-1,$aN-1) feeding smtpd_client_restrictions;
fix_convergence: the same dirs joined with 0x1E bytes; baseline: generated
baseline files ("\\0" + JSON) and finding lists ("\\1" + FILE TAB RULE TAB
SUBJECT lines); project_config: the .postvet.cf files of testdata/ and one
per key, good and bad; log_line: slices of testdata/logs/ and generated
lines in every timestamp form, prefixed with the read-mode byte (0 lines,
1 plain file, 2 gzip file); dns_reply: DNS replies a list or a resolver
gives (listings, policy codes, NXDOMAIN, TXT, truncated), after the
control byte dns_reply_fuzz.cpp reads; template_vars: the vars fixtures of
testdata/templates/vars with each template fixture, after the kind byte."""
import gzip
import struct
import hashlib
import json
import os
import sys

SRC = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# $POSTVET_CORPUS overrides; without a corpus the seeds come from testdata/ only.
CORPUS = os.environ.get("POSTVET_CORPUS") or os.path.join(os.path.dirname(SRC), "shared", "corpus")
out = sys.argv[1]
MAX = 64 * 1024  # libFuzzer's default -max_len is smaller anyway


def put(target, data):
    if not data or len(data) > MAX:
        return
    d = os.path.join(out, target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, hashlib.sha1(data).hexdigest()), "wb") as f:
        f.write(data)


def read(path):
    with open(path, "rb") as f:
        return f.read()


def kind_of(path):
    name = os.path.basename(path)
    if name == "main.cf" or name.endswith("main.cf"):
        return "main"
    if name == "master.cf" or name.endswith("master.cf"):
        return "master"
    return "table"


def definitions(data):
    defs = []
    for line in data.split(b"\n"):
        if b"=" in line and not line.lstrip().startswith(b"#") and not line[:1].isspace():
            name, value = line.split(b"=", 1)
            defs.append(name.strip() + b"=" + value.strip())
    return defs


files = []
for base in (os.path.join(SRC, "testdata"), CORPUS):
    for root, _, names in os.walk(base):
        if "/oracle" in root or "/tools" in root:
            continue
        for n in names:
            if n.endswith((".md", ".tsv", ".py", ".json", ".sarif", ".txt", ".stdout", ".stderr")):
                continue
            files.append(os.path.join(root, n))

for path in sorted(files):
    data = read(path)
    parent = os.path.basename(os.path.dirname(path))
    kind = {"main.cf": "main", "master.cf": "master", "checks": "table"}.get(parent, kind_of(path))
    if kind == "main":
        put("main_cf", data)
        defs = definitions(data)
        for d in defs:
            if b"$" in d:
                put("expand", b"\n".join([d] + defs))
    elif kind == "master":
        put("master_cf", data)
    else:
        put("table", b"\0" + data)
        put("table", b"\1" + data)

# Config dirs for the whole pipeline.
# testdata/rules/PV108/fire multiplies a list to postvet's bound (20,000
# entries): half a second for postvet, past the smoke's 10 s per input under
# the fuzzing instrumentation, like the fan-out chains below (kept at 10
# levels of 2 copies for that reason).
SLOW_SEED_DIRS = (os.path.join("rules", "PV108", "fire"),)
for root, dirs, names in os.walk(os.path.join(SRC, "testdata")):
    if "main.cf" not in names and "master.cf" not in names:
        continue
    if root.endswith(SLOW_SEED_DIRS):
        continue
    main = read(os.path.join(root, "main.cf")) if "main.cf" in names else b""
    master = read(os.path.join(root, "master.cf")) if "master.cf" in names else b""
    tables = [read(os.path.join(root, n)) for n in sorted(names) if n not in ("main.cf", "master.cf")]
    regexp = tables[0] if tables else b""
    pcre = tables[1] if len(tables) > 1 else regexp
    put("check", b"\n====\n".join([main, master, regexp, pcre]))
    tables_by_name = {n: read(os.path.join(root, n)) for n in names if n not in ("main.cf", "master.cf")}
    header = tables_by_name.get("header_checks", regexp)
    body = tables_by_name.get("body_checks", pcre if len(tables) > 1 else b"")
    put("fix_convergence", b"\x1e".join([main, master, header, body]))


# check: `$` list fan-out. Each level doubles the list, so level N names
# the first one 2^N times; postvet must neither blow up nor slow down.
def fan_out(levels, first):
    lines = [b"a1 = " + first]
    for i in range(2, levels + 1):
        lines.append(b"a%d = $a%d,$a%d" % (i, i - 1, i - 1))
    lines.append(b"smtpd_client_restrictions = permit_mynetworks, $a%d, reject_unauth_destination" % levels)
    return b"\n".join(lines) + b"\n"


# Deeper chains are slow today (quadratic in the expanded list: 2^12 copies
# take 4 s under ASan); fuzz/regressions/fix_convergence/ keeps a 2^16 one.
for levels in (4, 8, 10):
    for first in (b"reject_rbl_client zen.spamhaus.org", b"reject_rbl_client dnsbl.njabl.org,permit",
                  b"check_client_access pcre:/etc/postfix/bc.pcre", b"${x?{reject_rbl_client bl.spamcop.net}}"):
        put("check", b"\n====\n".join([fan_out(levels, first), b"", b"/^Subject: x/ REJECT\n", b"/x/ OK\n"]))
put("check", b"\n====\n".join([b"a = $b,$b\nb = $a,$a\nsmtpd_client_restrictions = $a\n", b"", b"", b""]))
put("fix_convergence", b"\x1e".join([fan_out(8, b"reject_rbl_client dnsbl.njabl.org"), b"", b"", b""]))
put("fix_convergence", b"\x1e".join([
    b"a = 1\na = 2\na = 3\n  b = 4\n# postvet: disable=PV101\nsmtpd_client_restrictions = "
    b"reject_rbl_client dnsbl.njabl.org, reject_rbl_client dnsbl.njabl.org, permit\n",
    b"smtp inet n - y - - smtpd\n  -o smtpd_client_restrictions = permit\n  -o a = b\n",
    b"/^Subject: a/ REJECT\n/^Subject: b/ REJECT\n/^Subject: c/ REJECT\n/^Subject: d/ REJECT\n",
    b"/^Subject: a/ REJECT\n/^Subject: a/ REJECT\n"]))


# baseline: "\0" + a baseline file; "\1" + findings.
def baseline(entries):
    return b"\0" + json.dumps({"version": 1, "entries": entries}, ensure_ascii=False).encode()


e = {"file": "hosts/mx1/main.cf", "rule": "PV203", "subject": "dnsbl.sorbs.net", "count": 1}
put("baseline", baseline([e]))
put("baseline", baseline([]))
put("baseline", baseline([e, dict(e, count=3), dict(e, rule="PV102", subject="mynetworks")]))
put("baseline", baseline([dict(e, subject="\u00e9\ufffd\U0001F600 \"\\ \n\t")]))
put("baseline", b"\0" + json.dumps({"version": 1, "entries": [e]}, ensure_ascii=True).encode())
for bad in (b'{"version": 2, "entries": []}', b'{"version": 1, "entries": {}}', b'{"version": 1}',
            b'{"version": 1, "entries": [{"file": "a", "rule": "PV1"}]}',
            b'{"version": 1, "entries": [{"file": "a", "rule": "PV1", "subject": "s", "count": 0}]}',
            b'{"version": 1.0e0, "entries": [{"file": "a", "rule": "PV1", "subject": "s", "count": 4294967296}]}',
            b'{"version": 1, "entries": [], "version": 1}', b'{"a": "\\ud800\\udc00\\ud800x\\u0000"}',
            b"[" * 70 + b"]" * 70, b'{"version": -0.5e-3, "x": [true, false, null, "\\/"]}', b'"unterminated',
            b"{\"version\": 1, \"entries\": [{\"file\": \"\xff\xfe\", \"rule\": \"R\", \"subject\": \"\xc3\"}]}"):
    put("baseline", b"\0" + bad)
put("baseline", b"\1" + b"\n".join([
    b"hosts/mx1/main.cf\tPV203\tdnsbl.sorbs.net", b"hosts/mx1/main.cf\tPV203\tdnsbl.sorbs.net",
    b"/srv/config/main.cf\tPV102\tmynetworks", b"../other/master.cf\tPV404\t", b"main.cf\tPV301\t\xff\xc3(",
    b"./a//b/../header_checks\tPV302\t/^Subject:/"]))

# project_config: the fixtures' files, the README example, each key.
for root, _, names in os.walk(os.path.join(SRC, "testdata")):
    if ".postvet.cf" in names:
        put("project_config", read(os.path.join(root, ".postvet.cf")))
put("project_config", b"""postfix_version = 3.7
select = PV1, PV2, PV4
ignore = PV207
fail_on = error
severity_PV203 = error
per_path_ignores = hosts/legacy/*:PV101:PV105
min_smtpd_processes = 150
header_group_threshold = 3
memory = 8G
""")
for line in (b"select = obsolete-dnsbl,PV30", b"ignore = PV1\n  PV2", b"fail_on = info", b"fail_on = fatal",
             b"severity_PV102 = info", b"severity_nonsense = warning", b"severity_PV1 = loud",
             b"per_path_ignores = *:PV1 hosts/[a-c]*/main.cf:PV2:unknown-parameter",
             b"per_path_ignores = :PV1", b"per_path_ignores = x:", b"min_smtpd_processes = -1",
             b"header_group_threshold = 99999999999999999999", b"dnsbl_latency_budget = 3s",
             b"probe_slow_ms = 200", b"memory = 512k", b"memory = 18446744073709551615T", b"memory = G",
             b"colour = red", b"  indented = 1", b"no equals sign", b"# comment only", b"memory = $other",
             b"select = PV1\nselect = PV2", b"postfix_version = 2.11", b"vars = missing.yml", b"vars =",
             b"template = erb\nvars = /dev/null"):
    put("project_config", line + b"\n")


# log_line: mode byte + log text.
def log_seed(text):
    for mode in (b"\0", b"\1", b"\2"):
        put("log_line", mode + text)


for name in ("mx-traditional.log", "mx-rfc3339.log", "postlog.log"):
    lines = read(os.path.join(SRC, "testdata", "logs", name)).split(b"\n")
    for start in range(0, len(lines), 120):
        log_seed(b"\n".join(lines[start:start + 120]))
log_seed(gzip.decompress(read(os.path.join(SRC, "testdata", "logs", "mx-rotated.log.1.gz"))))
messages = [
    b"postfix/master[900]: warning: service \"smtp\" (25) has reached its process limit \"100\": "
    b"new clients may experience noticeable delays",
    b"postfix/master[900]: warning: process /usr/lib/postfix/sbin/smtpd pid 2001 exit status 1",
    b"postfix/master[900]: warning: process /usr/lib/postfix/sbin/smtpd pid 2002 killed by signal 9",
    b"postfix/smtpd[2001]: connect from mail.example.org[198.51.100.1]",
    b"postfix/smtpd[2002]: connect from unknown[198.51.100.2]",
    b"postfix/submission/smtpd[3001]: connect from client.example.net[203.0.113.9]",
    b"postfix/smtpd[2001]: disconnect from mail.example.org[198.51.100.1] ehlo=1 mail=1 rcpt=1 data=1 quit=1 commands=5",
    b"postfix/smtpd[2002]: lost connection after CONNECT from unknown[198.51.100.2]",
    b"postfix/smtpd[2003]: warning: 2.100.51.198.zen.spamhaus.org: RBL lookup error: Host or domain name not found. "
    b"Name service error for name=2.100.51.198.zen.spamhaus.org type=A: Host not found, try again",
    b"postfix/postscreen[950]: CONNECT from [198.51.100.1]:40000 to [192.0.2.25]:25",
    b"postfix/postscreen[950]: NOQUEUE: reject: CONNECT from [198.51.100.3]:40002: all server ports busy",
    b"postfix/postscreen[950]: reject: connect from [198.51.100.4]:40003: all screening ports busy",
    b"postfix/postscreen[950]: entering STRESS mode with 70 connections",
    b"postfix/postscreen[950]: leaving STRESS mode with 20 connections",
    b"postfix/postscreen[950]: warning: dnsblog reply timeout 10s for b.barracudacentral.org",
    b"postfix/dnsblog[960]: warning: dnsblog_query: lookup error for DNS query "
    b"1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.bl.spamcop.net: Host not found, try again",
    b"kernel: [12345.678] eth0: link up",
]
stamps = [b"Nov 20 10:00:01", b"Nov  5 10:00:01", b"Nov 05 10:00:01", b"Dec 31 23:59:59.123456",
          b"2024-11-20T10:00:01.123456+01:00", b"2024-11-20T10:00:01Z", b"2024-11-20 10:00:01+01:00",
          b"2024-11-20T10:00:01+0100", b"2024-11-20T10:00:01.123456+0100", b"2024-02-29T23:59:60-12:00"]
for stamp in stamps:
    log_seed(b"\n".join(stamp + b" mx1 " + m for m in messages) + b"\n")
log_seed(b"Jan  1 00:00:00 mx1 postfix/smtpd[1]: connect from a[192.0.2.1]\r\n"
         b"Dec 31 23:59:59 mx1 postfix/smtpd[2]: connect from b[192.0.2.2]\r\n"
         b"Jan  1 00:00:01 mx1 postfix/smtpd[1]: disconnect from a[192.0.2.1]\n"
         b"Nov 20 10:00:01 mx1 postfix/smtpd: connect from nopid[192.0.2.3]\n"
         b"Nov 20 10:00:01 mx1 postfix/smtpd[99999999999]: connect from bigpid[192.0.2.3]\n\n")



# DNS replies for dns_reply: header, the question, answers (name pointer to it).
def dns_reply(name, qtype, rcode=0, answers=(), tc=False):
    flags = 0x8180 | rcode | (0x0200 if tc else 0)
    q = b"".join(bytes([len(l)]) + l.encode() for l in name.split(".")) + b"\0" + struct.pack("!HH", qtype, 1)
    body = b"".join(struct.pack("!HHHIH", 0xC00C, t, 1, 60, len(r)) + r for t, r in answers)
    return struct.pack("!HHHHHH", 0x1234, flags, 1, len(answers), 0, 0) + q + body


point = "2.0.0.127.zen.spamhaus.org"
for control, reply in (
        (0, dns_reply(point, 1, answers=[(1, bytes([127, 0, 0, 2]))])),
        (0, dns_reply(point, 1, answers=[(1, bytes([127, 255, 255, 254]))])),
        (0, dns_reply(point, 1, answers=[(1, bytes([198, 51, 100, 99])), (1, bytes([127, 0, 0, 4]))])),
        (0, dns_reply(point, 1, answers=[(5, b"\3foo\0"), (1, bytes([127, 0, 0, 10]))])),
        (4, dns_reply(point, 1, rcode=3)),
        (0, dns_reply(point, 1, tc=True)),
        (1, dns_reply(point, 16, answers=[(16, b"\x0blisted test\x03abc")])),
        (12, dns_reply(point, 1, rcode=2))):
    put("dns_reply", bytes([control]) + reply)

# template_vars: the vars fixtures (JSON and YAML, good and broken) with each
# template fixture, under every kind byte (bit 2: YAML).
VARS = os.path.join(SRC, "testdata", "templates", "vars")
TEMPLATES = [os.path.join(root, f) for root, _, files in os.walk(os.path.join(SRC, "testdata", "templates"))
             for f in files if not f.startswith(("vars.", "broken."))]
for name in ("vars.json", "vars.yml", "broken.json", "broken.yml"):
    yaml_bit = 4 if name.endswith(".yml") else 0
    for path in TEMPLATES:
        for kind in range(3):
            put("template_vars", bytes([kind | yaml_bit]) + read(os.path.join(VARS, name)) + b"\n====\n" + read(path))

for target in ("main_cf", "master_cf", "table", "expand", "check", "baseline", "project_config", "log_line",
               "fix_convergence", "dns_reply", "template_vars"):
    d = os.path.join(out, target)
    print(f"{target}: {len(os.listdir(d)) if os.path.isdir(d) else 0} seeds")
