#!/usr/bin/python3
"""The oracle tests against Postfix 3.5, run inside its Debian root
(tests/oracle_versions.py, docs/oracles.md). Skips with one line when not
root or when the root is absent (`make oracles` builds it)."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import oracle_versions  # noqa: E402

sys.exit(oracle_versions.main("3.5"))
