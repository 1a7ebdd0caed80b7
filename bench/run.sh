#!/usr/bin/env bash
# Runs every benchmark row (bench/rows/*.sh, in name order) and prints one
# table; writes it to bench/results/ as TSV (table-STAMP.tsv) and Markdown
# (table-STAMP.md, also copied to table-latest.md). bench/README.md
# describes the row interface. Always exits 0: a missed goal is a row that
# says "no", a row that fails or prints no proper line is reported as such.
# usage: bench/run.sh [ROW-NAME-SUBSTRING...]
#   POSTVET  the binary to measure (default build/postvet)
#   RUNS     alternating pairs per row (default 20; a row may use fewer)
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(dirname "$here")
POSTVET=${POSTVET:-$top/build/postvet}
[[ $POSTVET == /* ]] || POSTVET=$PWD/$POSTVET
export POSTVET
export RUNS=${RUNS:-20}
out=$here/results
mkdir -p "$out"
stamp=$(date -u +%Y%m%dT%H%M%SZ)
tsv=$out/table-$stamp.tsv
md=$out/table-$stamp.md
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

if [[ ! -x $POSTVET ]]; then
  echo "bench/run.sh: no postvet binary at $POSTVET (build it, or set POSTVET)" >&2
  exit 0
fi

header=$'row\tpostvet\tpostfix\tratio\tgoal\tmet\tnote'
echo "$header" > "$tsv"
for row in "$here"/rows/*.sh; do
  [[ -e $row ]] || continue
  name=$(basename "$row" .sh)
  if (( $# > 0 )); then
    wanted=0
    for pattern in "$@"; do [[ $name == *"$pattern"* ]] && wanted=1; done
    (( wanted )) || continue
  fi
  echo "bench: $name ..." >&2
  export BENCH_TMP=$work/$name
  mkdir -p "$BENCH_TMP"
  line=$(bash "$row" 2> "$work/$name.err")
  rc=$?
  line=$(printf '%s\n' "$line" | grep -v '^$' | tail -n 1)
  fields=$(printf '%s' "$line" | awk -F'\t' '{print NF}')
  if (( rc == 77 )); then
    line=$(printf '%s\t-\t-\t-\t-\tskipped\t%s' "$name" "a tool it needs is missing")
  elif (( rc != 0 )) || [[ $fields != 7 ]]; then
    why=$(tail -n 1 "$work/$name.err" | tr '\t' ' ')
    line=$(printf '%s\t-\t-\t-\t-\terror\texit %s%s' "$name" "$rc" "${why:+: $why}")
  fi
  printf '%s\n' "$line" >> "$tsv"
  rm -rf "$BENCH_TMP"
done

# The Markdown table, for bench/README.md.
{
  echo "$("$POSTVET" --version 2>/dev/null | head -n 1), $(date -u '+%Y-%m-%d %H:%M UTC'), load $(cut -d' ' -f1-3 /proc/loadavg)"
  echo
  awk -F'\t' 'NR == 1 { print "| What | postvet | Postfix | Ratio | Goal | Met? | Note |"; print "|---|---|---|---|---|---|---|"; next }
              { printf "| %s | %s | %s | %s | %s | %s | %s |\n", $1, $2, $3, $4, $5, $6, $7 }' "$tsv"
} > "$md"
cp "$md" "$out/table-latest.md"
column -t -s $'\t' "$tsv" 2>/dev/null || cat "$tsv"
echo "bench: table in $tsv and $md" >&2
exit 0
