#!/usr/bin/python3
"""Oracle test for the DNS list fixes (PV201-PV205) against live postconf.

For every case (the fire/ fixtures of PV201-PV205 and restriction lists
from a seeded generator, tests/gen_dnsbl_lists.py):

  * each fixable rule on its own: the findings of `postvet check --select ID
    --format json` say which entries go (PV201 smtpd, PV202, PV203, PV204),
    which are merged (PV201 postscreen: the notes name the copies, the fix
    the merged text), and which get a filter (PV205). This test locates those
    entries itself (its own reader of main.cf/master.cf lists,
    tests/dnsbl_list_reader.py), computes the expected lists, runs `--select
    ID --fix`, and requires `postconf -c DIR -n` (and `-P` for master.cf
    overrides) to succeed and to show exactly the expected values: every
    parameter word for word, the changed lists differing only by the
    removed, merged or filtered entries. PV203/PV204 remove every copy of a
    reported zone (later copies are reported once the first is gone);
  * all of PV2 at once: postconf accepts the result, no fixable PV201-PV205
    finding is left, a second --fix changes nothing, and parameters other
    than the lists are unchanged.

Those checks are tests/dnsbl_fix_expect.py; the hand-made seed config is
tests/dnsbl_fix_seed_test.py. Fails (never skips) when postconf is missing.
"""

import os
import random
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from dnsbl_fix_expect import FIXABLE, SOURCE_DIR, fail, failures, preflight, run_case  # noqa: E402
from gen_dnsbl_lists import generate  # noqa: E402

GENERATED_SEED = 2024
GENERATED_COUNT = 40


def main():
    status = preflight()
    if status is not None:
        return status
    with tempfile.TemporaryDirectory() as tmp:
        cases = 0
        for rule in FIXABLE:
            fire = os.path.join(SOURCE_DIR, "testdata", "rules", rule, "fire")
            if not os.path.isdir(fire):
                fail(f"missing fixture {fire}")
                continue
            run_case(f"{rule}/fire", fire)
            cases += 1
        rng = random.Random(GENERATED_SEED)
        for n in range(GENERATED_COUNT):
            d = os.path.join(tmp, f"gen{n}")
            os.makedirs(d)
            main_cf, master_cf = generate(rng)
            with open(os.path.join(d, "main.cf"), "wb") as f:
                f.write(main_cf)
            if master_cf is not None:
                with open(os.path.join(d, "master.cf"), "wb") as f:
                    f.write(master_cf)
            before = len(failures)
            run_case(f"generated #{n}", d)
            if len(failures) > before:
                for name in ("main.cf", "master.cf"):
                    if os.path.exists(os.path.join(d, name)):
                        with open(os.path.join(d, name), "rb") as f:
                            print(f"--- {name}\n" + f.read().decode("latin-1"))
            cases += 1
    print(f"{cases} cases, {len(failures)} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
