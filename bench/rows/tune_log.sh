#!/usr/bin/env bash
# Row: `postvet tune --log` on a 1 GiB syslog (bench/gen_mail_log.py, made
# once under $BENCH_TMP; TUNE_LOG_MB for another size) against `grep -c
# postfix/` over the same file, the cheapest pass over it one could make:
# wall-clock medians of alternating pairs (RUNS pairs, default 3), the file
# read once before so both find it in the page cache. Goal (issue 20):
# tune reads at least 1 GB/s.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
top=$(dirname "$here")
postvet=${POSTVET:?}
tmp=${BENCH_TMP:?}
command -v grep > /dev/null || exit 77
mb=${TUNE_LOG_MB:-1024}
log=$tmp/tune_log_${mb}m.log
if [[ ! -s $log ]]; then
  python3 "$here/gen_mail_log.py" "$log.tmp" "$mb" && mv "$log.tmp" "$log"
fi
exec python3 - "$postvet" "$top/testdata/demo" "$log" "${RUNS:-3}" <<'PY'
import os, statistics, subprocess, sys, time
postvet, config, log, runs = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
size = os.path.getsize(log)
tune = [postvet, "tune", config, "--log", log]
grep = ["grep", "-c", "postfix/", log]

def once(cmd):
    start = time.perf_counter()
    # A pipe, not /dev/null: GNU grep stops at the first match when its
    # output goes to /dev/null.
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    took = time.perf_counter() - start
    if p.returncode not in (0, 1):
        sys.stderr.write(f"tune_log: {cmd[0]} failed ({p.returncode}): {p.stderr.decode(errors='replace')}\n")
        sys.exit(0)
    return took

once(grep)  # into the page cache
ours, peer = [], []
for _ in range(runs):
    ours.append(once(tune))
    peer.append(once(grep))
t, g = statistics.median(ours), statistics.median(peer)
rate = lambda s: f"{size / s / 1e9:.2f} GB/s"
ok = "yes" if size / t >= 1e9 else "no"
# The load average beside the figures: wall-clock rates on a shared machine
# say little without it.
load = os.getloadavg()[0]
print(f"tune_log\t{rate(t)}\t{rate(g)}\t{t / g:.2f}\t>= 1 GB/s\t{ok}\t"
      f"tune --log over a {size / 2**20:.0f} MiB syslog vs grep -c postfix/ (peer), medians of {runs} alternating pairs, "
      f"load average {load:.1f} on {os.cpu_count()} CPUs")
PY
