#!/usr/bin/env bash
# Row: peak RSS of `postvet check` on the 100,000-rule regexp: header_checks
# against `postmap -q` loading it (issue 20). Goal: at most postmap's, and at
# most 2 x input + 10 MB where the regex engine allows (postmap keeps glibc
# regcomp()'s kilobytes per pattern; postvet check compiles each pattern to
# judge it and keeps no compiled code, so the bound applies to it). The
# pcre: table's peak is in the note. See table_lib.bash.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
POSTVET=${POSTVET:-$here/../../build/postvet}
BENCH_TMP=${BENCH_TMP:-$(mktemp -d)}
mkdir -p "$BENCH_TMP"
# shellcheck source=table_lib.bash
. "$here/table_lib.bash"
table_lib_need "$POSTVET" postmap python3 /usr/bin/time
dir=$(table_lib_dir regexp)
pv=$BENCH_TMP/rss.postvet
pf=$BENCH_TMP/rss.postmap
RUNS=${RUNS:-3} table_lib_pairs "$pv" "$pf" -- "$POSTVET" check --format json "$dir" -- \
  postmap -c "$dir" -q nomatch "regexp:$dir/header_checks"
pv_kib=$(table_lib_median "$pv" 3)
pf_kib=$(table_lib_median "$pf" 3)
input=$(stat -c %s "$dir/header_checks")
bound_kib=$(( (2 * input + 10 * 1024 * 1024) / 1024 ))
pcre_note=""
if postconf -c "$dir" -m 2> /dev/null | grep -qx pcre; then
  pdir=$(table_lib_dir pcre)
  pc=$BENCH_TMP/rss.pcre
  : > "$pc"
  table_lib_time "$pc" "$POSTVET" check --format json "$pdir"
  pcre_note="; pcre: table: postvet $(awk '{ printf "%.1f", $3 / 1024 }' "$pc") MiB"
fi
# Met: at most postmap's peak, and at most the bound unless the regex
# engine is what is over it (postvet holds at most one compiled pattern at a
# time while linting, so only postmap's resident regcomp() memory is).
read -r met note < <(awk -v v="$pv_kib" -v p="$pf_kib" -v b="$bound_kib" 'BEGIN {
  ok = v <= p && v <= b
  printf "%s %s\n", ok ? "yes" : "no", v <= p ? (v <= b ? "both" : "over-bound") : "over-postmap" }')
bound_note="2 x input + 10 MB = $(awk -v k="$bound_kib" 'BEGIN { printf "%.1f", k / 1024 }') MiB"
case $note in
  both) bound_note="$bound_note: met" ;;
  over-bound) bound_note="$bound_note: not met (<= postmap is)" ;;
  *) bound_note="$bound_note; over postmap's peak" ;;
esac
printf 'table-rss-regexp-100k\t%s MiB\t%s MiB\t%s\t<= postmap, <= 2 x input + 10 MB where the engine allows\t%s\t%s\n' \
  "$(awk -v k="$pv_kib" 'BEGIN { printf "%.1f", k / 1024 }')" "$(awk -v k="$pf_kib" 'BEGIN { printf "%.0f", k / 1024 }')" \
  "$(awk -v a="$pv_kib" -v b="$pf_kib" 'BEGIN { printf "%.2f", a / b }')" "$met" \
  "peak RSS (/usr/bin/time %M, median of ${RUNS:-3} alternating pairs), postvet check --format json vs postmap -q, input $((input / 1024)) KiB; $bound_note$pcre_note"
