#!/usr/bin/env python3
"""Write a configuration directory with many smtpd restriction entries and
master.cf -o overrides, for timing the restriction rules (PV109-PV111,
PV601, PV604) and the restriction model they share.

Usage:  gen_restrictions.py OUTDIR [ENTRIES [OVERRIDES]]   (defaults 1000 1000)

main.cf gets smtpd_client_restrictions with ENTRIES entries (known
restrictions, DNS list zones, tables, and one misspelt name in every
hundred), a restriction class, and the relay lists. master.cf gets smtpd
services with OVERRIDES `-o` options in total (10 per service): restriction
lists other than the client list (so every service also walks main.cf's
long one), some with a misspelt name, and SASL settings. The output is a
pure function of the arguments.
"""
import os
import sys

KNOWN = ["permit_mynetworks", "reject_unknown_client_hostname", "reject_rbl_client zen{i}.example.net",
         "check_client_access hash:/etc/postfix/client{i}", "reject_rhsbl_sender dbl{i}.example.net",
         "check_sender_access hash:/etc/postfix/sender{i}", "reject_non_fqdn_helo_hostname",
         "warn_if_reject reject_unknown_helo_hostname", "myclass", "sleep 1"]
# Not smtpd_client_restrictions: every service sees main.cf's long list.
LISTS = ["smtpd_data_restrictions", "smtpd_helo_restrictions", "smtpd_sender_restrictions",
         "smtpd_recipient_restrictions", "smtpd_relay_restrictions"]


def main():
    out = sys.argv[1]
    entries = int(sys.argv[2]) if len(sys.argv) > 2 else 1000
    overrides = int(sys.argv[3]) if len(sys.argv) > 3 else 1000
    os.makedirs(out, exist_ok=True)
    items = []
    for i in range(entries):
        items.append("permit_mynetwork" if i % 100 == 99 else KNOWN[i % len(KNOWN)].format(i=i))
    with open(os.path.join(out, "main.cf"), "w") as f:
        f.write("compatibility_level = 3.6\n")
        f.write("smtpd_restriction_classes = myclass\nmyclass = reject_unauth_pipelining\n")
        f.write("smtpd_client_restrictions =\n    " + ",\n    ".join(items) + "\n")
        f.write("smtpd_relay_restrictions = permit_mynetworks, permit_sasl_authenticated, reject_unauth_destination\n")
    with open(os.path.join(out, "master.cf"), "w") as f:
        for s in range(max(1, overrides // 10)):
            f.write(f"{2000 + s} inet n - y - - smtpd\n")
            for k in range(10):
                if s * 10 + k >= overrides:
                    break
                value = "permit_sasl_authenticted,reject" if (s + k) % 50 == 0 else \
                    f"permit_mynetworks,check_client_access,hash:/etc/postfix/o{s}_{k},reject_unauth_pipelining"
                name = LISTS[k % len(LISTS)] if k < len(LISTS) else f"smtpd_x{k}"
                if name.startswith("smtpd_x"):
                    f.write(f"  -o smtpd_sasl_auth_enable=yes\n" if k == 5 else f"  -o {name}={value}\n")
                else:
                    if name == "smtpd_relay_restrictions":
                        value = "permit_mynetworks,permit_sasl_authenticated,reject_unauth_destination"
                    f.write(f"  -o {name}={value}\n")


if __name__ == "__main__":
    main()
