#!/usr/bin/env bash
# Bench row (issue 20): peak RSS (/usr/bin/time %M) of `postvet show` on a
# generated 50 MB main.cf against `postconf -c DIR -n` on the same
# directory; median of RUNS alternating pairs (default 3). Goal: at most
# 2 x the input + 10 MiB.
set -euo pipefail
# shellcheck source=show_common.bash
. "$(dirname "$0")/show_common.bash"
runs=${RUNS:-3}
pv=() pf=()
for ((i = 0; i < runs; i++)); do
  read -r _ kib < <(measure "$postvet" show "$big/main.cf"); pv+=("$kib")
  read -r _ kib < <(measure postconf -c "$big" -n); pf+=("$kib")
done
pv_k=$(printf '%s\n' "${pv[@]}" | median)
pf_k=$(printf '%s\n' "${pf[@]}" | median)
awk -v size="$size" -v pv="$pv_k" -v pf="$pf_k" -v runs="$runs" 'BEGIN {
  goal = 2 * size / 1048576 + 10
  printf "show-50mb-rss\t%.1f MiB\t%.1f MiB\t%s\t<= %.0f MiB\t%s\tpeak RSS median of %d alternating pairs; input %.1f MiB\n",
    pv / 1024, pf / 1024, (pf > 0 ? sprintf("%.2f", pv / pf) : "-"), goal, (pv / 1024 <= goal ? "yes" : "no"), runs, size / 1048576
}'
