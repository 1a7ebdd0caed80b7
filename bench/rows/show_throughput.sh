#!/usr/bin/env bash
# Bench row (issue 20): `postvet show` of a generated 50 MB main.cf against
# `postconf -c DIR -n` on the same directory, as MiB of input per second of
# CPU time (user + system, so the load of other work on the machine counts
# less than in wall time). Runs alternate postvet/postconf, RUNS pairs
# (default 5); the medians are reported. Goal: >= 200 MiB/s.
set -euo pipefail
# shellcheck source=show_common.bash
. "$(dirname "$0")/show_common.bash"
pv=() pf=()
for ((i = 0; i < runs; i++)); do
  read -r cpu _ < <(measure "$postvet" show "$big/main.cf"); pv+=("$cpu")
  read -r cpu _ < <(measure postconf -c "$big" -n); pf+=("$cpu")
done
pv_s=$(printf '%s\n' "${pv[@]}" | median)
pf_s=$(printf '%s\n' "${pf[@]}" | median)
awk -v size="$size" -v pv="$pv_s" -v pf="$pf_s" -v runs="$runs" 'BEGIN {
  mib = size / 1048576
  a = pv > 0 ? mib / pv : 0; b = pf > 0 ? mib / pf : 0
  printf "show-50mb-throughput\t%.0f MiB/s\t%.0f MiB/s\t%s\t>= 200 MiB/s\t%s\tCPU (user+sys) median of %d alternating pairs: show %.3f s, postconf -n %.3f s\n",
    a, b, (b > 0 ? sprintf("%.2f", a / b) : "-"), (a >= 200 ? "yes" : "no"), runs, pv, pf
}'
