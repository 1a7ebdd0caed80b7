#!/usr/bin/python3
"""The safe-fix oracle (tests/safe_fix_oracle_test.py) on seeded generated
configs: main.cf with DNS lists and restriction lists, master.cf and
header_checks tables from the generators. The same comparisons with Postfix
as the fixture part; a separate ctest test so that the two long parts run
side by side. POSTVET_ORACLE_SEED picks other configs."""
import os
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import oracle_lib  # noqa: E402
import safe_fix_oracle_test as oracle  # noqa: E402


def main():
    if oracle_lib.POSTCONF is None or oracle_lib.POSTMAP is None:
        print("FAIL: postconf/postmap not found; this oracle test needs Postfix installed")
        return 1
    rules = oracle.safe_rules()
    if not rules:
        print("FAIL: `postvet rules` lists no rule with a safe fix")
        return 1
    with tempfile.TemporaryDirectory() as tmp:
        oracle.generated_cases(rules, tmp)
    cases = sum(c.get("generated", 0) for c in oracle.coverage.values())
    print(f"generated configs: {oracle.GENERATED}, oracle comparisons: {cases}")
    for rule in rules:
        print(f"{rule:<7}{oracle.coverage.get(rule, {}).get('generated', 0):>6}")
    if cases == 0:
        print("FAIL: no generated config gave the oracle anything to compare")
        return 1
    print(f"{len(oracle.fail.items)} failures")
    return 1 if oracle.fail else 0


if __name__ == "__main__":
    sys.exit(main())
