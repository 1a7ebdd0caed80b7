#!/usr/bin/env bash
# Bench row (issue 20, issue 22): one `postvet check` over a repository of
# 1,000 generated host config dirs (bench/gen_fleet.py), found by discovery.
# Figures: CPU time (user + sys, median of 3 runs; the machine is shared, so
# wall time is noise) and peak RSS of the 1,000-dir run with -j 1 (threads
# add no CPU time, only spread it; the note gives the default -j's peak RSS); linearity as the CPU
# time per dir at 1,000 dirs over that at 100 dirs. Postfix peer:
# `postconf -c DIR -n` once per dir (its CPU time summed over the 1,000).
# Goal: peak RSS <= 30 MiB and per-dir time at 1,000 <= 1.25 x at 100.
# Env: POSTVET (binary), BENCH_TMP (scratch). Prints one TSV line; exit 77
# when a tool is missing.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
postvet=${POSTVET:-$here/../build/postvet}
for tool in /usr/bin/time python3 postconf; do
  command -v "$tool" > /dev/null || { echo "fleet: $tool missing" >&2; exit 77; }
done
[ -r /usr/share/postfix/main.cf.debian ] && [ -r /usr/share/postfix/master.cf.dist ] ||
  { echo "fleet: Debian's stock main.cf/master.cf missing" >&2; exit 77; }
tmp=$(mktemp -d "${BENCH_TMP:-${TMPDIR:-/tmp}}/fleet.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
python3 "$here/gen_fleet.py" "$tmp/f100" 100
python3 "$here/gen_fleet.py" "$tmp/f1000" 1000

# "CPU-seconds peak-KiB" of one run, output discarded (exit 1 = findings).
measure() {
  /usr/bin/time -o "$tmp/t" -f '%U %S %M' "$@" > /dev/null 2>&1 || true
  tail -n 1 "$tmp/t" | awk '{ printf "%.3f %d\n", $1 + $2, $3 }'
}
median3() {  # the median of three "cpu kib" runs of the command: "cpu kib"
  { measure "$@"; measure "$@"; measure "$@"; } | sort -n | sed -n 2p
}
read -r cpu100 _ < <(median3 "$postvet" check -j 1 --format json "$tmp/f100")
read -r cpu1000 kib1000 < <(median3 "$postvet" check -j 1 --format json "$tmp/f1000")
# The default -j (every online CPU): its peak RSS, for the note (at most one
# host's model per thread more; its output is byte-identical, tests/fleet_jobs_test.py).
read -r _ kibjobs < <(measure "$postvet" check --format json "$tmp/f1000")
# Postfix: postconf -n per dir, CPU summed (one shell loop, timed as a whole).
/usr/bin/time -o "$tmp/pt" -f '%U %S' sh -c 'for d in "$1"/hosts/*/; do postconf -c "$d" -n > /dev/null; done' \
  sh "$tmp/f1000" > /dev/null 2>&1 || true
pf=$(tail -n 1 "$tmp/pt" | awk '{ printf "%.3f", $1 + $2 }')

python3 - "$cpu100" "$cpu1000" "$kib1000" "$pf" "$kibjobs" "$(nproc 2>/dev/null || echo '?')" <<'PY'
import sys
cpu100, cpu1000, kib, pf = float(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
kib_jobs, cpus = int(sys.argv[5]), sys.argv[6]
mib = kib / 1024
per100, per1000 = cpu100 / 100 * 1000, cpu1000 / 1000 * 1000  # ms per dir
growth = per1000 / per100 if per100 > 0 else float("inf")
ratio = f"{cpu1000 / pf:.2f}" if pf > 0 else "-"
met = "yes" if mib <= 30 and growth <= 1.25 else "no"
note = (f"1,000 host dirs in one check run: {per1000:.2f} ms CPU per dir (100 dirs: {per100:.2f} ms, "
        f"x{growth:.2f}), -j 1; default -j ({cpus} CPUs): {kib_jobs / 1024:.1f} MiB peak; "
        "peer: postconf -c DIR -n once per dir")
print(f"fleet-1000-dirs\t{cpu1000:.2f} s, {mib:.1f} MiB\t{pf:.2f} s\t{ratio}\t<= 30 MiB peak, per-dir time x<=1.25\t{met}\t{note}")
PY
