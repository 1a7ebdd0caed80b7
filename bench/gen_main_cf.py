#!/usr/bin/env python3
"""Writes a large, realistic main.cf for throughput benchmarks.

usage: gen_main_cf.py OUT SIZE_MB [SEED]
Parameters are real Postfix names with numeric suffixes (so most are
"unknown" to postconf, like a huge generated config), long restriction
lists with continuation lines and comments in between, and `$` references.
"""
import random
import sys

out, size_mb = sys.argv[1], float(sys.argv[2])
rng = random.Random(int(sys.argv[3]) if len(sys.argv) > 3 else 1)
target = int(size_mb * 1024 * 1024)
names = ["smtpd_client_restrictions", "header_checks", "mydestination", "relay_domains",
         "smtpd_recipient_restrictions", "virtual_alias_maps", "transport_maps"]
written = 0
i = 0
with open(out, "w") as f:
    while written < target:
        i += 1
        kind = rng.random()
        if kind < 0.1:
            line = f"# comment line {i}: nothing to see here\n"
        elif kind < 0.4:
            entries = ",\n    ".join(f"reject_rbl_client bl{rng.randrange(1000)}.example.net" for _ in range(rng.randrange(2, 8)))
            line = f"{rng.choice(names)}_{i} =\n    permit_mynetworks,\n    # note\n    {entries}\n"
        else:
            line = f"{rng.choice(names)}_{i} = hash:/etc/postfix/map{i} $myhostname ${{mydomain}} value{i}\n"
        f.write(line)
        written += len(line)
