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

CliTest then runs the real `postvet check` ($POSTVET_BIN) on the demo config
and on every corpus file, and checks the same way what it prints in each
format: real rules, real messages and real bytes (templated files, odd
encodings) instead of a hand-made fixture.

Fails (never skips) when jsonschema, the binary or a file is missing, except
for the shared part: the schema validation and the corpus run need
../shared (tests/shared_data.py) and are skipped without it; the other
checks, the CLI run on the demo config included, always run.
"""
# postvet-test-parts: local shared

import glob
import json
import os
import subprocess
import unittest
import sys
import xml.etree.ElementTree as ET

import jsonschema

import shared_data

SOURCE_DIR = os.environ.get("POSTVET_SOURCE_DIR") or os.path.dirname(
    os.path.dirname(os.path.abspath(__file__)))
GOLDEN = os.path.join(SOURCE_DIR, "testdata", "golden", "report")
CORPUS = shared_data.corpus_dir()
SCHEMA = shared_data.sarif_schema()

# The fixture's message with every character that needs escaping somewhere;
# XML 1.0 cannot carry BEL and invalid UTF-8 becomes U+FFFD.
TRICKY_MESSAGE = ('mydomain: "caf\u00e9.example\ufffd" is 100% not a domain name, '
                  'see: RFC 1035 <a&b>\nsecond line\x07')
FIXTURE_COUNT = 10


def load(name):
    with open(os.path.join(GOLDEN, name), "rb") as f:
        return f.read()


def sarif_validator():
    with open(SCHEMA, encoding="utf-8") as f:
        schema = json.load(f)
    jsonschema.Draft4Validator.check_schema(schema)
    return jsonschema.Draft4Validator(
        schema, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER)


def schema_errors(validator, log):
    errors = sorted(validator.iter_errors(log), key=lambda e: list(e.path))
    return [f"{list(e.path)}: {e.message}" for e in errors]


class SarifTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.validator = sarif_validator()

    def validate(self, name):
        log = json.loads(load(name).decode("utf-8"))
        self.assertEqual([], schema_errors(self.validator, log), name)
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
            # Located notes, then detail notes (no place: the message only).
            shapes = [list(note) for note in d["notes"]]
            located = [s for s in shapes if s != ["message"]]
            self.assertEqual([["file", "line", "column", "message"]] * len(located), located)
            self.assertEqual(located + [["message"]] * (len(shapes) - len(located)), shapes)
            if d["fix"] is not None:
                self.assertEqual(["applicability", "description", "edits"], list(d["fix"]))
                for edit in d["fix"]["edits"]:
                    self.assertEqual(["file", "start", "end", "text"], list(edit))
        self.assertIn(TRICKY_MESSAGE, [d["message"] for d in diagnostics])
        self.assertTrue(any(list(n) == ["message"] for d in diagnostics for n in d["notes"]),
                        "the fixture has a detail note")
        keys = [(d["file"], d["line"], d["column"], d["rule"]) for d in diagnostics]
        self.assertEqual(sorted(keys), keys)


class CliChecks:
    """`postvet check --format F` on real input; exit 0 or 1, never 2.
    Subclasses say which inputs and whether SARIF is schema-validated."""
    validator = None

    @classmethod
    def setUpClass(cls):
        cls.binary = os.environ.get("POSTVET_BIN")
        if not cls.binary or not os.access(cls.binary, os.X_OK):
            raise AssertionError(f"POSTVET_BIN is not an executable: {cls.binary!r}")

    def check(self, fmt, args, cwd):
        run = subprocess.run([self.binary, "check", "--format", fmt, "--color", "never", *args],
                             cwd=cwd, capture_output=True, timeout=120)
        self.assertIn(run.returncode, (0, 1), run.stderr.decode(errors="replace"))
        return run.stdout

    def test_sarif_validates(self):
        for name, args, cwd in self.inputs():
            with self.subTest(name):
                log = json.loads(self.check("sarif", args, cwd).decode("utf-8"))
                if self.validator is not None:
                    self.assertEqual([], schema_errors(self.validator, log)[:5])
                results = log["runs"][0]["results"]
                self.assertTrue(results)
                fps = [r["partialFingerprints"]["postvet/v1"] for r in results]
                self.assertEqual(len(fps), len(set(fps)))

    def test_gitlab_json_and_checkstyle_parse(self):
        for name, args, cwd in self.inputs():
            with self.subTest(name):
                issues = json.loads(self.check("gitlab", args, cwd).decode("utf-8"))
                self.assertTrue(issues)
                self.assertEqual(len(issues), len({i["fingerprint"] for i in issues}))
                report = json.loads(self.check("json", args, cwd).decode("utf-8"))
                self.assertEqual(len(issues), len(report["diagnostics"]))
                root = ET.fromstring(self.check("checkstyle", args, cwd))
                self.assertEqual(len(issues), len(root.findall("file/error")))

    def test_text_and_gcc_are_terminal_safe(self):
        for name, args, cwd in self.inputs():
            for fmt in ("text", "gcc", "github"):
                with self.subTest(f"{name} {fmt}"):
                    out = self.check(fmt, args, cwd)
                    out.decode("utf-8")  # invalid bytes were escaped
                    # LF ends lines; a tab is harmless; nothing else may pass.
                    controls = {b for b in out if (b < 0x20 or b == 0x7F) and b not in (9, 10)}
                    self.assertEqual(set(), controls)


class CliDemoTest(CliChecks, unittest.TestCase):
    def inputs(self):
        yield "demo", ["."], os.path.join(SOURCE_DIR, "testdata", "demo")


class CliCorpusTest(CliChecks, unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.corpus_files = sorted(
            f for kind in ("main.cf", "master.cf", "checks", "templated")
            for f in glob.glob(os.path.join(CORPUS, kind, "*")))
        if len(cls.corpus_files) < 100:
            raise AssertionError(f"corpus not found under {CORPUS}")
        cls.validator = sarif_validator()

    def inputs(self):
        yield "demo", ["."], os.path.join(SOURCE_DIR, "testdata", "demo")
        yield "corpus", self.corpus_files, SOURCE_DIR


def main():
    shared_data.start(SCHEMA, CORPUS)
    classes = []
    if shared_data.run_local():
        classes += [GitlabTest, CheckstyleTest, JsonTest, CliDemoTest]
    if shared_data.run_shared(SCHEMA) and shared_data.run_shared(CORPUS):
        classes += [SarifTest, CliCorpusTest]
    if not classes:
        return 0
    loader = unittest.defaultTestLoader
    suite = unittest.TestSuite(loader.loadTestsFromTestCase(c) for c in classes)
    return 0 if unittest.TextTestRunner(verbosity=2).run(suite).wasSuccessful() else 1


if __name__ == "__main__":
    sys.exit(main())
