#!/usr/bin/env python3
"""`postvet tune --format json`: the document parses, has version 1, and
says what the text report of the same run says (service limits and their
sources, log evidence, advice, memory, findings with file/line/column);
text stays the default; an unknown format is a tool error (exit 2)."""
import json
import os
import re
import subprocess
import sys

from pvtest import BIN, SRC
DEMO = os.path.join(SRC, "testdata", "demo")
LOG = os.path.join(SRC, "testdata", "logs", "mx-traditional.log")

failures = []


def check(cond, msg):
    if not cond:
        failures.append(msg)
        print("FAIL:", msg)


def run(args):
    return subprocess.run([BIN] + args, capture_output=True, text=True)


def limit_text(n):
    if n is None:
        return "invalid"
    if n == 0:
        return "no limit"
    return f"{n} process{'' if n == 1 else 'es'}"


def compare(extra):
    text = run(["tune", DEMO] + extra)
    js = run(["tune", DEMO, "--format", "json"] + extra)
    check(js.returncode == text.returncode, f"{extra}: exit {js.returncode} (json) vs {text.returncode} (text)")
    try:
        doc = json.loads(js.stdout)
    except ValueError as e:
        check(False, f"{extra}: not JSON ({e}): {js.stdout[:500]!r}")
        return
    out = text.stdout
    check(doc.get("version") == 1, f"{extra}: version {doc.get('version')!r}")
    check(doc["config"] == DEMO, f"{extra}: config {doc['config']!r}")
    check(len(doc["services"]) > 0, f"{extra}: no services")
    for s in doc["services"]:
        line = re.search(rf"^  {re.escape(s['service'])}\s+{re.escape(s['command'])}\s+(.*)$", out, re.M)
        check(line is not None, f"{extra}: service {s['service']} not in the text report")
        if line:
            rest = line.group(1)
            check(rest.startswith(limit_text(s["process_limit"])),
                  f"{extra}: {s['service']} limit {s['process_limit']} vs text {rest!r}")
            check(s["limit_source"] in rest, f"{extra}: {s['service']} source {s['limit_source']!r} vs {rest!r}")
            check(s["public"] == (", public" in rest), f"{extra}: {s['service']} public {s['public']} vs {rest!r}")
    for a in doc["advice"]:
        if a["limit"] is not None and a["limit"] < a["recommended"]:
            check(f"{a['service']}: raise the process limit from {a['limit']} to {a['recommended']} " in out,
                  f"{extra}: advice {a} not in the text report")
        check(a["memory_bytes"] > 0, f"{extra}: advice without memory: {a}")
        if a["summary"]:
            check(a["summary"] in out, f"{extra}: advice summary {a['summary']!r} not in the text")
    check(len(doc["advice"]) == len(re.findall(r"^  \S+: (raise|lower|keep|no process limit|the process limit|master\(8\) rejects)",
                                               out, re.M)), f"{extra}: advice count differs from the text")
    finding_lines = re.findall(r"^(\S+):(\d+):(\d+): (\w+): (.*) \[(PV\d+)\]$", out, re.M)
    got = [(f["file"], str(f["line"]), str(f["column"]), f["severity"], f["message"], f["rule"])
           for f in doc["findings"]]
    check(got == finding_lines, f"{extra}: findings differ:\n{got}\nvs\n{finding_lines}")
    return doc, out


def main():
    if not os.path.exists(LOG):
        print(f"skip: {LOG} absent")
        return 0
    doc, out = compare([])
    check(doc["evidence"] is None, "without --log the evidence is not null")
    check(doc["memory"]["available_bytes"] is None, "without --memory the available memory is not null")
    doc, out = compare(["--log", LOG, "--memory", "4G"])
    ev = doc["evidence"]
    check(ev is not None and ev["files"] == 1, f"evidence: {ev}")
    if ev:
        check(f"({ev['files']} file, {ev['lines']} lines, {ev['syslog_lines']} log entries" in out,
              f"evidence counts {ev} not in the text")
        check(f"period: {ev['first']} .. {ev['last']} " in out, "evidence period differs")
        check(len(ev["sessions"]) > 0, "no sessions in the evidence")
        for st in ev["sessions"]:
            check(f"  {st['tag']}: {st['connections']} connections, peak {st['peak']} concurrent sessions" in out and
                  f"{st['lost_after_connect']} lost after CONNECT" in out, f"sessions {st} not in the text")
        check(len(ev["limit_hits"]) > 0, "no limit hits in the evidence")
        for h in ev["limit_hits"]:
            check(f"process limit reached: service \"{h['service']}\" ({h['endpoint']}) at {h['limit']}, {h['count']} warning"
                  in out, f"limit hit {h} not in the text")
        check(f"DNS list lookup errors and timeouts: {ev['dnsbl_errors']} " in out, "dnsbl error count differs")
    check(doc["memory"]["available_bytes"] == 4 << 30, f"memory: {doc['memory']}")
    check(doc["memory"]["origin"] == "--memory", f"memory origin: {doc['memory']}")
    check(any(a["saturated"] for a in doc["advice"]) == ("the limit was reached" in out), "saturation differs")
    check(len(doc["findings"]) > 0, "the demo has tuning findings, the JSON none")
    p = run(["tune", DEMO, "--format", "xml"])
    check(p.returncode == 2, f"--format xml: exit {p.returncode}")
    p = run(["tune", DEMO])
    check(p.stdout.startswith("postvet tune "), "text is no longer the default")
    if failures:
        print(f"{len(failures)} failure(s)")
        return 1
    print("ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
