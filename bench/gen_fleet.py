#!/usr/bin/env python3
"""Writes a fleet of host config dirs for the many-dirs benchmark.

usage: gen_fleet.py OUT COUNT
OUT/hosts/mxN/ (N = 1..COUNT) each get Debian's stock main.cf with a few
host-specific parameters, the stock master.cf and a 20-line regexp
header_checks that main.cf names: what a repository of MX hosts holds.
"""
import os
import sys

out, count = sys.argv[1], int(sys.argv[2])
with open("/usr/share/postfix/main.cf.debian") as f:
    stock_main = f.read()
with open("/usr/share/postfix/master.cf.dist") as f:
    stock_master = f.read()
checks = "".join(f"/^Subject: .*offer {i}/ REJECT no offers, please\n" for i in range(20))
for n in range(1, count + 1):
    d = os.path.join(out, "hosts", f"mx{n}")
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "main.cf"), "w") as f:
        f.write(stock_main)
        f.write(f"\nmyhostname = mx{n}.example.net\nmynetworks = 127.0.0.0/8 192.0.2.{n % 250}/32\n"
                "header_checks = regexp:/etc/postfix/header_checks\n"
                "smtpd_recipient_restrictions = permit_mynetworks, reject_unauth_destination,\n"
                "    reject_rbl_client zen.spamhaus.org\n")
    with open(os.path.join(d, "master.cf"), "w") as f:
        f.write(stock_master)
    with open(os.path.join(d, "header_checks"), "w") as f:
        f.write(checks)
