"""Snapshots of a rule's findings, and the shape of finding messages.

Shared by tests/rule_fixtures_test.py (every rule but PV9xx) and
tests/probe_test.py (PV9xx, which need a DNS server). Not a test itself.

A snapshot is testdata/rules/<ID>/fire.expected: the findings of
`postvet check --select ID fire` run in testdata/rules/<ID>/, in report
order, each as

    FILE:LINE:COL: severity: message [ID]
    FILE:LINE:COL: note: text        (a located note)
      note: text                     (a detail note, no place)
      fix (safe|unsafe): description

with FILE relative to testdata/rules/<ID>/ (so "fire/main.cf"). A line
feed in a text is written as "\\n". With POSTVET_UPDATE_SNAPSHOTS=1 the
file is rewritten instead of compared; review the change with git diff.

The message shape (docs/messages.md): one sentence of at most MAX_MESSAGE
characters, without a trailing period.
"""
import difflib
import os
import re
import statistics

MAX_MESSAGE = 160
UPDATE = os.environ.get("POSTVET_UPDATE_SNAPSHOTS") == "1"


def _one_line(text):
    return text.replace("\\", "\\\\").replace("\n", "\\n")


def _file(name, fixture_dir):
    if os.path.isabs(name):
        name = os.path.relpath(name, fixture_dir)
    return name


def render(diagnostics, fixture_dir, normalize=lambda text: text):
    """The snapshot text of `diagnostics` (the json format's, in its order).

    `normalize` is applied to every message, note and fix description (the
    probe rules replace ports and timings in it).
    """
    lines = []
    for d in diagnostics:
        where = f"{_file(d['file'], fixture_dir)}:{d['line']}:{d['column']}"
        lines.append(f"{where}: {d['severity']}: {_one_line(normalize(d['message']))} [{d['rule']}]")
        for note in d["notes"]:
            text = _one_line(normalize(note["message"]))
            if "file" in note:
                lines.append(f"{_file(note['file'], fixture_dir)}:{note['line']}:{note['column']}: note: {text}")
            else:
                lines.append(f"  note: {text}")
        fix = d.get("fix")
        if fix:
            description = normalize(fix.get("description", ""))
            lines.append(f"  fix ({fix['applicability']})" + (f": {_one_line(description)}" if description else ""))
    return "".join(line + "\n" for line in lines)


def compare(rule, fixture_dir, actual):
    """None when testdata/rules/<ID>/fire.expected holds `actual` (or was
    just rewritten, under POSTVET_UPDATE_SNAPSHOTS=1); else the failure text
    with a unified diff."""
    path = os.path.join(fixture_dir, "fire.expected")
    if UPDATE:
        with open(path, "w", encoding="utf-8") as f:
            f.write(actual)
        return None
    try:
        with open(path, encoding="utf-8") as f:
            expected = f.read()
    except FileNotFoundError:
        return (f"{rule}: no snapshot testdata/rules/{rule}/fire.expected; "
                f"create it with POSTVET_UPDATE_SNAPSHOTS=1 and review it")
    if expected == actual:
        return None
    diff = difflib.unified_diff(expected.splitlines(keepends=True), actual.splitlines(keepends=True),
                                f"testdata/rules/{rule}/fire.expected", "postvet check (actual)")
    return (f"{rule}: findings differ from testdata/rules/{rule}/fire.expected "
            f"(POSTVET_UPDATE_SNAPSHOTS=1 rewrites it):\n" + "".join(diff))


def shape_problems(message):
    """What is wrong with `message` as docs/messages.md shapes it ([] if nothing)."""
    problems = []
    if len(message) > MAX_MESSAGE:
        problems.append(f"{len(message)} characters (at most {MAX_MESSAGE})")
    if re.search(r"\. [A-Z]", message):
        problems.append("more than one sentence ('. ' before a capital)")
    if message.endswith("."):
        problems.append("a trailing period")
    return problems


def length_summary(messages):
    """'median N, max M characters over K messages'."""
    if not messages:
        return "no messages"
    lengths = [len(m) for m in messages]
    return (f"median {statistics.median(lengths):g}, max {max(lengths)} characters "
            f"over {len(lengths)} messages")
