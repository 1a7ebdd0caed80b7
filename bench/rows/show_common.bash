# Shared by show_throughput.sh and show_rss.sh (sourced; not *.sh, so not a row):
# generates the 50 MB main.cf of issue 20 once under $BENCH_TMP and measures
# one run of a command with /usr/bin/time.
# shellcheck shell=bash
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
postvet=${POSTVET:-$here/../../build/postvet}
runs=${RUNS:-5}
if [ -n "${BENCH_TMP:-}" ]; then
  tmp=$BENCH_TMP
else
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
fi
for tool in postconf /usr/bin/time python3; do
  command -v "$tool" > /dev/null 2>&1 || { echo "skipped: $tool missing" >&2; exit 77; }
done
[ -x "$postvet" ] || { echo "skipped: no postvet binary at $postvet" >&2; exit 77; }
big=$tmp/show-50mb
if [ ! -s "$big/main.cf" ]; then
  mkdir -p "$big"
  python3 "$here/../gen_main_cf.py" "$big/main.cf" 50
  : > "$big/master.cf"
fi
size=$(stat -c %s "$big/main.cf")

# measure CMD...: prints "CPU_SECONDS PEAK_KIB" (user + system time) of one run.
measure() {
  /usr/bin/time -o "$tmp/show-time" -f '%U %S %M' "$@" > /dev/null 2>&1 || true
  awk 'END { printf "%.3f %d\n", $1 + $2, $3 }' "$tmp/show-time"
}

# median of the numbers on stdin
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
