#!/usr/bin/env python3
"""Writes the benchmarks' 100,000-rule header_checks table to OUT:
/^Header:.*wordN\\b/ REJECT rule N, seeded so every run gets the same table.
Used by bench/rows/table_lib.bash and bench/compare.sh.
usage: bench/gen_header_checks.py OUT"""
import random
import sys

rng = random.Random(1)
words = ["viagra", "casino", "lottery", "invoice", "bitcoin", "prize", "urgent", "winner", "loan", "pharmacy"]
with open(sys.argv[1], "w") as f:
    for i in range(100000):
        hdr = rng.choice(["Subject", "From", "To", "X-Mailer", "Received"])
        f.write(f"/^{hdr}:.*{rng.choice(words)}[0-9]*{i}\\b/ REJECT rule {i}\n")
