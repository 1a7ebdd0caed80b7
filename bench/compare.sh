#!/usr/bin/env bash
# Compares two postvet builds on bench/run.sh's inputs (the stock Debian
# directory, a 100,000-rule regexp header_checks, a 30 MB main.cf), for a
# refactoring that must not cost speed or memory. On a loaded machine the
# absolute figures drift, so OLD and NEW run alternately (OLD first in odd
# rounds, NEW first in even ones) after one warm-up each, and what counts is
# the ratio old/new of their medians: wall time, and user + system CPU time
# (less sensitive to other load); peak RSS is the larger of two runs each
# (/usr/bin/time). ONLY=substring runs only the inputs whose name has it.
# usage: bench/compare.sh OLD_BIN NEW_BIN   (RUNS=N rounds, default 10; results in bench/results/compare.txt)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
old=${1:?usage: bench/compare.sh OLD_BIN NEW_BIN}
new=${2:?usage: bench/compare.sh OLD_BIN NEW_BIN}
runs=${RUNS:-10}
out=$here/results
mkdir -p "$out"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
summary=$out/compare.txt
: > "$summary"

peak() {
  local best=0 kib
  for _ in 1 2; do
    /usr/bin/time -o "$work/rss" -f '%M' "$@" > /dev/null 2>&1 || true
    kib=$(tail -n 1 "$work/rss")
    (( kib > best )) && best=$kib
  done
  echo "$best"
}
# NAME, ARGS...: median time and peak RSS of OLD and NEW, and their ratios.
compare() {
  local name=$1; shift
  [[ -n ${ONLY:-} && $name != *"$ONLY"* ]] && return 0
  local to tn co cn ro rn times
  times=$(python3 - "$runs" "$old" "$new" "$@" <<'PY'
import resource, statistics, subprocess, sys, time
runs, old, new, args = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4:]
def cpu():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime
def run(binary):  # (wall, user + system CPU) seconds of one run
    t, c = time.perf_counter(), cpu()
    subprocess.run([binary, *args], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - t, cpu() - c
run(old), run(new)  # warm-up
got = {old: [], new: []}
for i in range(runs):
    for b in ((old, new) if i % 2 == 0 else (new, old)):
        got[b].append(run(b))
med = lambda b, k: statistics.median(x[k] for x in got[b])
print(med(old, 0), med(new, 0), med(old, 1), med(new, 1))
PY
)
  read -r to tn co cn <<< "$times"
  ro=$(peak "$old" "$@"); rn=$(peak "$new" "$@")
  printf '%-40s wall old %7.4f s new %7.4f s old/new %.3f | cpu old %7.4f s new %7.4f s old/new %.3f | peak old %7d KiB new %7d KiB old/new %.3f\n' \
    "$name" "$to" "$tn" "$(python3 -c "print($to/$tn)")" "$co" "$cn" "$(python3 -c "print($co/max($cn,1e-9))")" \
    "$ro" "$rn" "$(python3 -c "print($ro/$rn)")" | tee -a "$summary"
}

stock=$work/stock
mkdir -p "$stock"
cp /usr/share/postfix/main.cf.debian "$stock/main.cf"
cp /usr/share/postfix/master.cf.dist "$stock/master.cf"
table=$work/table
mkdir -p "$table"
python3 "$(dirname "$0")/gen_header_checks.py" "$table/header_checks"
printf 'header_checks = regexp:/etc/postfix/header_checks\n' > "$table/main.cf"
: > "$table/master.cf"
big=$work/big
mkdir -p "$big"
python3 "$here/gen_main_cf.py" "$big/main.cf" 30
: > "$big/master.cf"

compare "stock dir: check --format json" check --format json "$stock"
compare "stock dir: tune --format json" tune --format json "$stock"
compare "100k regexp table: check --format json" check --format json "$table"
compare "100k regexp table: query" query "regexp:$table/header_checks" nomatch
compare "30 MB main.cf: show" show "$big/main.cf"
compare "30 MB main.cf: check --format json" check --format json "$big"
