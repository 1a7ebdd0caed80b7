"""Seeded random DNS list configs for the DNS list fix oracle tests
(tests/dnsbl_fix_oracle_test.py) and tests/safe_fix_oracle_test.py.

generate(rng) returns (main.cf bytes, master.cf bytes or None): smtpd
restriction lists and postscreen_dnsbl_sites mixing zen and its members,
dead lists, filters, weights, warn_if_reject, other restrictions, and every
separator and continuation-line layout; sometimes a master.cf -o override.
"""

ZONES = ["zen.spamhaus.org", "zen.spamhaus.org", "sbl.spamhaus.org", "xbl.spamhaus.org", "pbl.spamhaus.org",
         "bl.spamcop.net", "dnsbl.njabl.org", "dnsbl.ahbl.org", "dnsbl.sorbs.net", "list.dsbl.org",
         "cbl.abuseat.org", "psbl.surriel.com", "b.barracudacentral.org", "ZEN.Spamhaus.org"]


FILTERS = ["", "", "", "=127.0.0.[2..11]", "=127.0.0.2", "=127.0.0.[2;4;10..11]", "=127.0.0.[4..7]"]


OTHERS = ["permit_mynetworks", "permit_sasl_authenticated", "reject_unauth_destination",
          "check_client_access hash:/etc/postfix/client_access", "reject_unknown_client_hostname",
          "warn_if_reject reject_unknown_helo_hostname"]


def generate(rng):
    def smtpd_entry():
        if rng.random() < 0.25:
            return rng.choice(OTHERS)
        kw = rng.choice(["reject_rbl_client"] * 5 + ["permit_dnswl_client", "reject_rbl"])
        prefix = "warn_if_reject " if rng.random() < 0.1 else ""
        return f"{prefix}{kw} {rng.choice(ZONES)}{rng.choice(FILTERS)}"

    def postscreen_entry():
        weight = rng.choice(["", "*2", "*3", "*-1", "*2"])
        return f"{rng.choice(ZONES[:8])}{rng.choice(FILTERS[:5])}{weight}"

    def layout(items):
        out = ""
        for k, item in enumerate(items):
            if k == 0:
                out += rng.choice([" ", "\n    "]) + item
                continue
            sep = rng.choice([", ", ",", " ", ",\n    ", "\n    ", ",\n\t", ",\n# a comment\n    ",
                              ",\n\n    "])
            out += sep + item
        if rng.random() < 0.2:
            out += ","
        return out

    text = "# generated\nmynetworks = 127.0.0.0/8\n"
    for name in ("smtpd_client_restrictions", "smtpd_helo_restrictions", "smtpd_recipient_restrictions"):
        n = rng.randint(1, 9)
        text += f"{name} ={layout([smtpd_entry() for _ in range(n)])}\n"
        if rng.random() < 0.3:
            text += "# between parameters\n"
    n = rng.randint(1, 7)
    text += f"postscreen_dnsbl_sites ={layout([postscreen_entry() for _ in range(n)])}\n"
    text += "smtpd_banner = $myhostname ESMTP\n"
    master = None
    if rng.random() < 0.4:
        # An -o override: one word, so the entries are joined by commas.
        items = [smtpd_entry().replace(" ", ",") for _ in range(rng.randint(1, 6))]
        master = ("smtp      inet  n       -       y       -       -       smtpd\n"
                  "submission inet n       -       y       -       -       smtpd\n"
                  f"  -o smtpd_client_restrictions={','.join(items)}\n").encode()
    return text.encode(), master
