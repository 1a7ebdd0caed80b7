"""Validates the machine-readable reporter outputs with independent parsers.

The outputs checked are the golden files under testdata/golden/report/, which
tests/report_test.cpp keeps byte-identical to what Render() produces for a
fixed set of diagnostics (and an empty one). So this test does not need a
`postvet check` command or a special binary: if the reporters change, either
report_test fails (stale goldens) or the regenerated goldens are checked here.

- SARIF: validated against the official SARIF 2.1.0 schema (JSON Schema
  draft 4, ../shared/reference/sarif-schema-2.1.0.json) with python3-jsonschema,
  plus what the schema cannot say (rule indexes, fingerprints, URI encoding).
- GitLab Code Quality: parsed with json, structure and unique fingerprints.
- Checkstyle: parsed with xml.etree; the escaped message decodes back.
- JSON: parsed with json; exactly DESIGN.md's version-1 members.

Fails (never skips) when jsonschema or a file is missing.
"""

import json
import os
import re
import sys
import unittest
import xml.etree.ElementTree as ET

import jsonschema

SOURCE_DIR = os.environ.get("POSTVET_SOURCE_DIR") or os.path.dirname(
    os.path.dirname(os.path.abspath(__file__)))
GOLDEN = os.path.join(SOURCE_DIR, "testdata", "golden", "report")
SCHEMA = os.path.join(SOURCE_DIR, "..", "shared", "reference", "sarif-schema-2.1.0.json")

# The fixture's message with every character that needs escaping somewhere;
# XML 1.0 cannot carry BEL and invalid UTF-8 becomes U+FFFD.
TRICKY_MESSAGE = ('mydomain: "caf\u00e9.example\ufffd" is 100% not a domain name, '
                  'see: RFC 1035 <a&b>\nsecond line\x07')
FIXTURE_COUNT = 10


def load(name):
    with open(os.path.join(GOLDEN, name), "rb") as f:
        return f.read()


class SarifTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        with open(SCHEMA, encoding="utf-8") as f:
            schema = json.load(f)
        jsonschema.Draft4Validator.check_schema(schema)
        cls.validator = jsonschema.Draft4Validator(
            schema, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER)

    def validate(self, name):
        log = json.loads(load(name).decode("utf-8"))
        errors = sorted(self.validator.iter_errors(log), key=lambda e: list(e.path))
        self.assertEqual([], [f"{list(e.path)}: {e.message}" for e in errors], name)
        return log

    def test_schema_rejects_a_broken_log(self):
        # The validator is strict enough to catch a missing required member.
        log = json.loads(load("fixture.sarif"))
        del log["runs"][0]["results"][0]["message"]
        self.assertFalse(self.validator.is_valid(log))

    def test_empty_log_is_valid(self):
        log = self.validate("empty.sarif")
        self.assertEqual([], log["runs"][0]["results"])

    def test_fixture_is_valid_and_consistent(self):
        log = self.validate("fixture.sarif")
        self.assertEqual("2.1.0", log["version"])
        run = log["runs"][0]
        rules = run["tool"]["driver"]["rules"]
        results = run["results"]
        self.assertEqual(FIXTURE_COUNT, len(results))
        for rule in rules:
            # GitHub requires these non-empty and shows 1024 characters.
            for key in ("shortDescription", "fullDescription", "help"):
                self.assertTrue(rule[key]["text"], (rule["id"], key))
            for key in ("shortDescription", "fullDescription"):
                self.assertLessEqual(len(rule[key]["text"]), 1024, (rule["id"], key))
        fingerprints = set()
        for result in results:
            self.assertEqual(result["ruleId"], rules[result["ruleIndex"]]["id"])
            self.assertIn(result["level"], ("error", "warning", "note"))
            uri = result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            # Percent-encoded: nothing outside RFC 3986's unreserved set and '/'.
            self.assertRegex(uri, r"^(file://)?[A-Za-z0-9._~/%-]+$")
            self.assertNotRegex(uri, r"%(?![0-9A-F]{2})")
            fp = result["partialFingerprints"]["postvet/v1"]
            self.assertRegex(fp, r"^[0-9a-f]{32}$")
            fingerprints.add(fp)
            for fix in result.get("fixes", []):
                self.assertIn(fix["properties"]["applicability"], ("safe", "unsafe"))
        self.assertEqual(len(results), len(fingerprints))
        self.assertIn("tables/100%25%20header%20checks",
                      {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                       for r in results})
        self.assertIn(TRICKY_MESSAGE, [r["message"]["text"] for r in results])


class GitlabTest(unittest.TestCase):
    def test_fixture(self):
        issues = json.loads(load("fixture.gitlab.json").decode("utf-8"))
        self.assertIsInstance(issues, list)
        self.assertEqual(FIXTURE_COUNT, len(issues))
        for issue in issues:
            self.assertIsInstance(issue["description"], str)
            self.assertRegex(issue["check_name"], r"^PV\d{3}$")
            self.assertRegex(issue["fingerprint"], r"^[0-9a-f]{32}$")
            self.assertIn(issue["severity"], ("info", "minor", "major", "critical", "blocker"))
            self.assertIsInstance(issue["location"]["path"], str)
            self.assertGreaterEqual(issue["location"]["lines"]["begin"], 1)
            self.assertFalse(issue["location"]["path"].startswith("./"))
        self.assertEqual(len(issues), len({i["fingerprint"] for i in issues}))
        self.assertIn("tables/100% header checks", {i["location"]["path"] for i in issues})
        self.assertEqual({"info", "major", "critical"}, {i["severity"] for i in issues})

    def test_empty(self):
        self.assertEqual([], json.loads(load("empty.gitlab.json")))


class CheckstyleTest(unittest.TestCase):
    def test_fixture(self):
        root = ET.fromstring(load("fixture.checkstyle.xml"))
        self.assertEqual("checkstyle", root.tag)
        self.assertEqual("4.3", root.get("version"))
        files = root.findall("file")
        names = [f.get("name") for f in files]
        self.assertEqual(len(names), len(set(names)), "one <file> per file")
        errors = root.findall("file/error")
        self.assertEqual(FIXTURE_COUNT, len(errors))
        for error in errors:
            self.assertEqual({"line", "column", "severity", "message", "source"},
                             set(error.keys()))
            self.assertIn(error.get("severity"), ("error", "warning", "info"))
            self.assertRegex(error.get("source"), r"^postvet\.PV\d{3}$")
            int(error.get("line")), int(error.get("column"))
        messages = [e.get("message") for e in errors]
        self.assertIn(TRICKY_MESSAGE.replace("\x07", ""), messages)

    def test_empty(self):
        root = ET.fromstring(load("empty.checkstyle.xml"))
        self.assertEqual([], list(root))


class JsonTest(unittest.TestCase):
    DIAGNOSTIC_KEYS = ["rule", "slug", "severity", "file", "line", "column", "end_line",
                       "end_column", "message", "notes", "fix"]

    def test_fixture_has_the_version_1_shape(self):
        report = json.loads(load("fixture.json").decode("utf-8"))
        self.assertEqual(["version", "tool", "diagnostics"], list(report))
        self.assertEqual(1, report["version"])
        self.assertEqual("postvet", report["tool"]["name"])
        diagnostics = report["diagnostics"]
        self.assertEqual(FIXTURE_COUNT, len(diagnostics))
        for d in diagnostics:
            self.assertEqual(self.DIAGNOSTIC_KEYS, list(d))
            self.assertIn(d["severity"], ("error", "warning", "info"))
            self.assertLessEqual((d["line"], d["column"]), (d["end_line"], d["end_column"]))
            for note in d["notes"]:
                self.assertEqual(["file", "line", "column", "message"], list(note))
            if d["fix"] is not None:
                self.assertEqual(["applicability", "edits"], list(d["fix"]))
                for edit in d["fix"]["edits"]:
                    self.assertEqual(["file", "start", "end", "text"], list(edit))
        self.assertIn(TRICKY_MESSAGE, [d["message"] for d in diagnostics])
        keys = [(d["file"], d["line"], d["column"], d["rule"]) for d in diagnostics]
        self.assertEqual(sorted(keys), keys)


if __name__ == "__main__":
    unittest.main(verbosity=2)
