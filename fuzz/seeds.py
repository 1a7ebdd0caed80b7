#!/usr/bin/env python3
"""Writes the seed corpora of the fuzz targets from testdata/ and the shared
corpus (../shared/corpus): one directory per target under OUT.

usage: fuzz/seeds.py OUT
main_cf / master_cf: every main.cf / master.cf file; table: every table file,
prefixed with the type byte the target reads ("\\0" regexp, "\\1" pcre);
expand: each `$`-using main.cf value followed by that file's definitions as
name=value lines; check: every config dir of testdata/ joined with the
"\\n====\\n" markers check_fuzz.cpp splits at; dns_reply: DNS replies a
list or a resolver gives (listings, policy codes, NXDOMAIN, TXT, truncated),
after the control byte dns_reply_fuzz.cpp reads."""
import struct
import hashlib
import os
import sys

SRC = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CORPUS = os.path.join(os.path.dirname(SRC), "shared", "corpus")
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
for root, dirs, names in os.walk(os.path.join(SRC, "testdata")):
    if "main.cf" not in names and "master.cf" not in names:
        continue
    main = read(os.path.join(root, "main.cf")) if "main.cf" in names else b""
    master = read(os.path.join(root, "master.cf")) if "master.cf" in names else b""
    tables = [read(os.path.join(root, n)) for n in sorted(names) if n not in ("main.cf", "master.cf")]
    regexp = tables[0] if tables else b""
    pcre = tables[1] if len(tables) > 1 else regexp
    put("check", b"\n====\n".join([main, master, regexp, pcre]))


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

for target in ("main_cf", "master_cf", "table", "expand", "check", "dns_reply"):
    d = os.path.join(out, target)
    print(f"{target}: {len(os.listdir(d)) if os.path.isdir(d) else 0} seeds")
