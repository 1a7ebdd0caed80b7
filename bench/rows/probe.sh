#!/usr/bin/env bash
# Row: the live DNSBL probe's flow control (bench/probe_bench.py): `postvet
# probe` on 100 postscreen_dnsbl_sites zones against a local responder that
# answers every query after 50 ms. Figures: the slowest of RUNS_PROBE runs
# (default 3) and one query's latency asked alone; ratio = slowest run / one
# query. Goal (issue 15): within 2 x one query, no datagram dropped.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
[[ -r /proc/net/snmp ]] || exit 77
python3 "$here/probe_bench.py" "${POSTVET:?}" --zones 100 --runs "${RUNS_PROBE:-3}" > "${BENCH_TMP:?}/probe.txt"
python3 - "$BENCH_TMP/probe.txt" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
single = float(re.search(r"one query alone: ([0-9.]+) ms", text).group(1))
runs = [line.split() for line in text.splitlines() if re.match(r"\s*100\s+\d+\s+\d+", line)]
if not runs:
    sys.exit("probe_bench.py printed no run: " + text.strip().splitlines()[-1])
worst = max(int(r[2]) for r in runs)
dropped = sum(int(r[5]) for r in runs)
not_ok = sum(int(r[8]) for r in runs)
ratio = worst / single
met = "yes" if ratio <= 2.0 and dropped == 0 and not_ok == 0 else "no"
print("\t".join(["probe_100_zones", f"{worst} ms (slowest of {len(runs)})", f"{single:.1f} ms (one query)",
                 f"{ratio:.2f}", "<= 2.0, 0 dropped", met,
                 f"{runs[0][4]} queries per run; {dropped} datagrams dropped; {not_ok} zones not ok"]))
PY
