#!/usr/bin/python3
"""Oracle test of the DNS list fixes (PV201-PV205) on a hand-made seed config
against live postconf: zen three times (unfiltered), its member lists beside
it, dead lists, a doubled postscreen weight, in smtpd lists and
postscreen_dnsbl_sites.

Checked: each problem is reported once, at its line; the per-rule and
all-of-PV2 fix checks of tests/dnsbl_fix_expect.py pass; after --fix every
list names each zone once, smtpd keeps one filtered zen and postscreen one
filtered zen with the summed weight. Fails (never skips) when postconf is
missing.
"""

import os
import shutil
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from dnsbl_fix_expect import (fail, failures, findings, postconf_values, postvet, preflight,  # noqa: E402
                              run_case)
from dnsbl_list_reader import words_of, zone_of  # noqa: E402

SEED_MAIN = b"""\
# The seed: zen three times (unfiltered, as a public resolver would break it),
# its members beside it, dead lists, a doubled postscreen weight.
mynetworks = 127.0.0.0/8 192.0.2.0/24
smtpd_client_restrictions =
    permit_mynetworks,
    reject_rbl_client zen.spamhaus.org,
    reject_rbl_client sbl.spamhaus.org,
    reject_rbl_client xbl.spamhaus.org,
    reject_rbl_client pbl.spamhaus.org,
    reject_rbl_client zen.spamhaus.org,
    reject_rbl_client dnsbl.njabl.org,
    reject_rbl_client dnsbl.sorbs.net,
    reject_rbl_client zen.spamhaus.org
smtpd_recipient_restrictions =
    permit_mynetworks,
    permit_sasl_authenticated,
    reject_unauth_destination,
    reject_rbl_client dnsbl.ahbl.org
postscreen_dnsbl_sites = zen.spamhaus.org*3 bl.spamcop.net=127.0.0.2*2
    dnsbl.sorbs.net zen.spamhaus.org*3
"""


def check_seed(tmp):
    seed = os.path.join(tmp, "seed")
    os.makedirs(seed)
    with open(os.path.join(seed, "main.cf"), "wb") as f:
        f.write(SEED_MAIN)
    diags = findings(seed, ["PV2"])
    places = [(d["rule"], d["line"], d["column"]) for d in diags]
    if len(places) != len(set(places)):
        fail(f"seed: a problem is reported twice: {places}")
    want = {("PV205", 6), ("PV202", 7), ("PV202", 8), ("PV202", 9), ("PV201", 10), ("PV204", 11),
            ("PV203", 12), ("PV201", 13), ("PV204", 18), ("PV205", 19), ("PV203", 20), ("PV201", 20)}
    got = {(d["rule"], d["line"]) for d in diags}
    for w in sorted(want - got):
        fail(f"seed: expected {w[0]} on line {w[1]}, got {sorted(got)}")
    run_case("seed", seed)
    fixed = os.path.join(tmp, "seed-fixed")
    shutil.copytree(seed, fixed)
    postvet(["check", "--select", "PV2", "--fix", "--", fixed])
    values, err = postconf_values(fixed, "-n")
    if values is None:
        fail(f"seed: postconf rejects the fixed config: {err}")
        return
    for name in ("smtpd_client_restrictions", "smtpd_recipient_restrictions", "postscreen_dnsbl_sites"):
        words = words_of(values.get(name, ""))
        zones = [zone_of(w) for w in words if "." in w]
        if len(zones) != len(set(zones)):
            fail(f"seed: {name} still names a zone twice: {words}")
    client = words_of(values["smtpd_client_restrictions"])
    if client != ["permit_mynetworks", "reject_rbl_client", "zen.spamhaus.org=127.0.0.[2..11]"]:
        fail(f"seed: smtpd_client_restrictions after --fix: {client}")
    sites = words_of(values["postscreen_dnsbl_sites"])
    if sites != ["zen.spamhaus.org=127.0.0.[2..11]*6", "bl.spamcop.net=127.0.0.2*2"]:
        fail(f"seed: postscreen_dnsbl_sites after --fix: {sites}")


def main():
    status = preflight()
    if status is not None:
        return status
    with tempfile.TemporaryDirectory() as tmp:
        check_seed(tmp)
    print(f"1 cases, {len(failures)} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
