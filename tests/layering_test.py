#!/usr/bin/env python3
"""The layer check (scripts/check-layers.py) passes on the real tree and
fails, naming the file and line, on an #include that goes up a layer.

Wrong includes are injected into a copy of the product's trees (src/,
grammar/, rules/) in a temporary directory, never into the checkout. The
build runs the same script (CMake target postvet_layers), so what fails here
fails the build.
"""

import os
import shutil
import subprocess
import sys
import tempfile
import unittest

SOURCE_DIR = os.environ.get("POSTVET_SOURCE_DIR", os.path.join(os.path.dirname(__file__), ".."))
CHECKER = os.path.join(SOURCE_DIR, "scripts", "check-layers.py")


def run_checker(root):
    return subprocess.run([sys.executable, CHECKER, "--root", root], capture_output=True, text=True, timeout=120)


class LayeringTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="postvet-layers-")
        for top in ("src", "grammar", "rules"):
            shutil.copytree(os.path.join(SOURCE_DIR, top), os.path.join(cls.tmp, top),
                            ignore=shutil.ignore_patterns("*.md", "*.tsv", "*.sh", "*.py"))

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def setUp(self):
        self.injected = []

    def tearDown(self):
        for path, text in reversed(self.injected):
            if text is None:
                os.remove(path)
            else:
                with open(path, "w", encoding="utf-8") as f:
                    f.write(text)

    def inject(self, rel, line):
        """Adds `line` after the first line of `rel` in the copy; returns its line number."""
        path = os.path.join(self.tmp, rel)
        with open(path, encoding="utf-8") as f:
            text = f.read()
        self.injected.append((path, text))
        lines = text.split("\n")
        lines.insert(1, line)
        with open(path, "w", encoding="utf-8") as f:
            f.write("\n".join(lines))
        return 2

    def assert_rejected(self, rel, header, own, target):
        line = self.inject(rel, f'#include "{header}"')
        result = run_checker(self.tmp)
        self.assertEqual(result.returncode, 1, result.stderr)
        self.assertIn(f"{rel}:{line}: layer {own} may not include layer {target} ({header})", result.stderr)
        # Only the injected include is reported.
        problems = [l for l in result.stderr.splitlines() if not l.startswith("layer check:")]
        self.assertEqual(len(problems), 1, result.stderr)

    def test_real_tree_passes(self):
        result = run_checker(SOURCE_DIR)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(result.stderr, "")

    def test_copy_passes_before_injection(self):
        result = run_checker(self.tmp)
        self.assertEqual(result.returncode, 0, result.stderr)

    def test_rule_including_cli_fails(self):
        self.assert_rejected("rules/main/duplicate_parameter.cpp", "src/cli/cli.hpp", "rules", "cli")

    def test_model_including_rule_fails(self):
        self.assert_rejected("src/model/main_cf.hpp", "rules/registry.hpp", "model", "rules")

    def test_engine_including_registry_fails(self):
        self.assert_rejected("src/engine/engine.cpp", "rules/registry.hpp", "engine", "rules")

    def test_base_including_report_fails(self):
        self.assert_rejected("src/base/source.cpp", "src/report/reporter.hpp", "base", "report")

    def test_including_down_or_sideways_passes(self):
        self.inject("src/cli/cli.cpp", '#include "src/base/status.hpp"')
        self.inject("src/report/text.cpp", '#include "src/report/reporter.hpp"')
        result = run_checker(self.tmp)
        self.assertEqual(result.returncode, 0, result.stderr)

    def test_test_code_is_off_limits(self):
        rel = "src/engine/engine.cpp"
        line = self.inject(rel, '#include "tests/test_util.hpp"')
        result = run_checker(self.tmp)
        self.assertEqual(result.returncode, 1)
        self.assertIn(f"{rel}:{line}: layer engine may not include tests/test_util.hpp", result.stderr)

    def test_file_outside_every_layer_fails(self):
        path = os.path.join(self.tmp, "src", "stray.cpp")
        with open(path, "w", encoding="utf-8") as f:
            f.write('#include "src/base/status.hpp"\n')
        self.injected.append((path, None))
        result = run_checker(self.tmp)
        self.assertEqual(result.returncode, 1)
        self.assertIn("src/stray.cpp:1: file is in no layer", result.stderr)

    def test_stamp_written_only_on_success(self):
        stamp = os.path.join(self.tmp, "ok.stamp")
        subprocess.run([sys.executable, CHECKER, "--root", self.tmp, "--stamp", stamp], check=True, timeout=120)
        self.assertTrue(os.path.exists(stamp))
        os.remove(stamp)
        self.inject("rules/registry.cpp", '#include "src/cli/cli.hpp"')
        result = subprocess.run([sys.executable, CHECKER, "--root", self.tmp, "--stamp", stamp],
                                capture_output=True, text=True, timeout=120)
        self.assertEqual(result.returncode, 1)
        self.assertFalse(os.path.exists(stamp))


if __name__ == "__main__":
    unittest.main()
