#!/usr/bin/python3
"""Seeded generator of master.cf files for the oracle test (master_oracle_test.py).

Each file mixes well-formed entries with the corners of format spec 5:
continuation lines with comments and blank lines inside, CRLF, `-o` in every
spelling (separate, attached, combined, braced, attached brace, spaced,
without '=', trailing), `{}` groups (also across lines), odd wakeup and
maxproc values, duplicate services, `--`, lone `-`, `#` arguments, NUL, VT/FF
and non-UTF-8 bytes, long names that make postconf fold its output. About one
file in six carries a field postconf rejects, so the fatal paths are covered.

Usage as a script: gen_master_cf.py [--seed N] [--count N] OUTDIR
As a module: generate(seed, count) -> list of bytes.
"""

import argparse
import os
import random

TYPES = [b"inet", b"unix", b"unix-dgram", b"fifo", b"pass"]
BAD_TYPES = [b"INET", b"tcp", b"-", b"unix-stream", b"{unix}"]
BOOLS = [b"y", b"n", b"-"]
BAD_BOOLS = [b"yes", b"N", b"1", b"--", b"{y}"]
WAKEUPS = [b"-", b"0", b"60", b"007", b"60?", b"-?", b"?", b"1000?", b"3600"]
BAD_WAKEUPS = [b"60x", b"-1", b"60??", b"??", b"x", b"6 0"]
MAXPROCS = [b"-", b"0", b"1", b"2", b"100", b"007", b"5000"]
BAD_MAXPROCS = [b"-1", b"1k", b"x", b"--", b"1.5"]
NAMES = [b"smtp", b"submission", b"smtps", b"pickup", b"cleanup", b"qmgr", b"relay",
         b"127.0.0.1:10025", b"[::1]:10026", b"localhost:10027", b"10.0.0.1:smtp",
         b"postscreen", b"dnsblog", b"tlsproxy", b"amavis", b"dovecot", b"policy",
         b"{my svc}", b"caf\xc3\xa9", b"bad\xe9", b"x", b"a-very-long-service-name-that-goes-on-and-on-and-on-for-ever"]
COMMANDS = [b"smtpd", b"smtp", b"pipe", b"local", b"qmgr", b"cleanup", b"postscreen", b"spawn",
            b"-", b"{cmd x}", b"a-very-long-command-name-that-makes-postconf-fold-the-line-at-80"]
PARAMS = [b"smtpd_tls_security_level", b"syslog_name", b"smtpd_sasl_auth_enable", b"stress",
          b"smtpd_client_restrictions", b"content_filter", b"myhostname", b"smtpd_banner",
          b"receive_override_options", b"smtpd_recipient_restrictions", b"foo_bar", b"o"]
VALUES = [b"yes", b"no", b"", b"encrypt", b"postfix/$service_name", b"permit_mynetworks,reject",
          b"a{b c}d", b"${stress?{yes}:{no}}", b"foo", b"10s", b"mo\xe9", b"x=y", b"{}"]


def _word(rng, choices):
    return rng.choice(choices)


def _space(rng):
    return rng.choice([b" ", b" ", b"\t", b"  ", b" \t "])


def _option(rng):
    """One -o option (or a neighbouring odd argument), as bytes."""
    name = _word(rng, PARAMS)
    value = _word(rng, VALUES)
    kind = rng.randrange(17)
    if kind == 0:
        return b"-o " + name + b"=" + value
    if kind == 1:
        return b"-o" + name + b"=" + value            # attached (postconf mangles 'o')
    if kind == 2:
        return b"-vo " + name + b"=" + value          # combined
    if kind == 3:
        return b"-o { " + name + b" = " + value + b" tail }"   # braced, blanks inside
    if kind == 4:
        return b"-o{" + name + b"=" + value + b"}"    # attached brace
    if kind == 5:
        return b"-o " + name + b" = " + value         # spaced (malformed)
    if kind == 6:
        return b"-o " + name                          # no '=' (malformed)
    if kind == 7:
        return b"-o {" + name + b"=" + value          # unclosed brace
    if kind == 8:
        return b"-o {" + name + b"=" + value + b"}x"  # text after '}'
    if kind == 9:
        return b"-o {}"
    if kind == 10:
        return b"-o {\n  " + name + b" =\n # c\n\n   " + value + b" }"   # brace over lines
    if kind == 11:
        return b"-v"
    if kind == 12:
        return b"-o " + name + b"=a{b\n  c}d"         # middle brace over a line
    if kind == 13:
        return b"-o =" + value
    if kind == 14:
        return b"-" + rng.choice([b"", b"D", b"vD"])
    if kind == 15:
        return b"-o " + name + b"= " + value          # value split off
    return b"-o " + name + b"=" + value + b"\r"


def _argument(rng):
    kind = rng.randrange(9)
    if kind == 0:
        return b"--"
    if kind == 1:
        return b"{a  b }"
    if kind == 2:
        return b"{}"
    if kind == 3:
        return b"{ }"
    if kind == 4:
        return b"#comment"
    if kind == 5:
        return b"}x{"
    if kind == 6:
        return b"flags=Rq user=vmail argv=/usr/bin/x ${recipient}"
    if kind == 7:
        return b"{unclosed  x"
    return b"arg" + str(rng.randrange(10)).encode()


def _join(rng, fields=False):
    """Blank between words: space, or a continuation (maybe with dropped lines).
    Between fields no VT-led continuation, which would glue two fields."""
    kind = rng.randrange(9 if fields else 10)
    if kind < 6:
        return _space(rng)
    if kind == 6:
        return b"\n  "
    if kind == 7:
        return b"\n# comment inside\n\n\t"
    if kind == 8:
        return b"\n   #indented comment\n \n  "
    return b"\n\v"       # VT-led continuation: VT is not a word separator


def _entry(rng, bad):
    fields = [_word(rng, NAMES), _word(rng, TYPES), _word(rng, BOOLS), _word(rng, BOOLS),
              _word(rng, BOOLS), _word(rng, WAKEUPS), _word(rng, MAXPROCS), _word(rng, COMMANDS)]
    if bad:
        slot = rng.randrange(6)
        if slot == 0:
            fields[1] = _word(rng, BAD_TYPES)
        elif slot == 1:
            fields[2 + rng.randrange(3)] = _word(rng, BAD_BOOLS)
        elif slot == 2:
            fields[5] = _word(rng, BAD_WAKEUPS)
        elif slot == 3:
            fields[6] = _word(rng, BAD_MAXPROCS)
        elif slot == 4:
            fields = fields[:rng.randrange(1, 8)]     # bad field count
        else:
            fields[rng.randrange(8)] += b"\0tail"      # NUL cuts the line
    out = fields[0]
    for f in fields[1:]:
        out += (_space(rng) if rng.random() < 0.8 else _join(rng, fields=True)) + f
    for _ in range(rng.randrange(6)):
        item = _option(rng) if rng.random() < 0.75 else _argument(rng)
        out += _join(rng) + item
    if rng.random() < 0.05:
        out += b"\0 -o after_nul=1"
    if rng.random() < 0.2:
        out += rng.choice([b" ", b"\t", b" \r"])
    return out


def generate_one(rng):
    lines = []
    if rng.random() < 0.05:
        lines.append(b"  leading continuation text that postconf warns about and skips")
    bad_file = rng.random() < 1 / 6
    entries = []
    for _ in range(rng.randrange(1, 9)):
        entries.append(_entry(rng, False))
    if rng.random() < 0.3 and entries:
        entries.append(rng.choice(entries))      # duplicate service
    if bad_file:
        entries.insert(rng.randrange(len(entries) + 1), _entry(rng, True))
    for e in entries:
        if rng.random() < 0.3:
            lines.append(rng.choice([b"# a comment", b"", b"   ", b"  # indented comment"]))
        lines.append(e)
    eol = b"\r\n" if rng.random() < 0.15 else b"\n"
    text = eol.join(lines)
    if rng.random() < 0.9:
        text += eol
    return text


def generate(seed, count):
    rng = random.Random(seed)
    return [generate_one(rng) for _ in range(count)]


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--count", type=int, default=250)
    ap.add_argument("outdir")
    args = ap.parse_args()
    os.makedirs(args.outdir, exist_ok=True)
    for i, data in enumerate(generate(args.seed, args.count)):
        with open(os.path.join(args.outdir, "gen%04d.master.cf" % i), "wb") as f:
            f.write(data)


if __name__ == "__main__":
    main()
