#!/bin/sh
# The long fuzz run (`make fuzz-long`): every target for SECONDS (default
# 1800, 30 minutes each), JOBS at a time (default 2, one per core), from its
# seeds and the corpus kept across runs in CORPUS (default fuzz-corpus/ in
# the repository, ignored by git). Writes CORPUS/summary.md: per target the
# executions, seconds, corpus size, coverage and crashes, for the table in
# bench/README.md ("Last long fuzz run per target").
# usage: fuzz/long.sh BUILD_DIR [SECONDS] [TARGET...]
# Exits non-zero when any target found a crash, leak, timeout or failed
# property; reproducers are in CORPUS/artifacts/<target>-*. FUZZ_FLAGS adds
# libFuzzer options, e.g. "-fork=1 -ignore_crashes=1" to keep fuzzing past
# a known open finding (fuzz/regressions/README.md).
set -eu
build=$1
seconds=${2:-1800}
[ $# -ge 2 ] && shift 2 || shift $#
here=$(cd "$(dirname "$0")" && pwd)
targets=${*:-"main_cf master_cf table expand check baseline project_config log_line fix_convergence"}
jobs=${FUZZ_JOBS:-2}
corpus=${FUZZ_CORPUS:-$here/../fuzz-corpus}
mkdir -p "$corpus/artifacts" "$corpus/logs"
corpus=$(cd "$corpus" && pwd)
seeds=$(mktemp -d)
trap 'rm -rf "$seeds"' EXIT
python3 "$here/seeds.py" "$seeds" > /dev/null
started=$(date -u '+%Y-%m-%d %H:%M UTC')
commit=$(git -C "$here" rev-parse --short HEAD 2>/dev/null || echo unknown)

# One target: run it, record its exit status next to its log.
run_one() {
  t=$1
  mkdir -p "$corpus/$t" "$seeds/$t"
  rc=0
  "$build/fuzz/fuzz_$t" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
    -print_final_stats=1 ${FUZZ_FLAGS:-} -artifact_prefix="$corpus/artifacts/$t-" "$corpus/$t" "$seeds/$t" \
    > "$corpus/logs/$t.log" 2>&1 || rc=$?
  echo "$rc" > "$corpus/logs/$t.rc"
  echo "fuzz_$t: exit $rc"
}

pids=""
running=0
for t in $targets; do
  if [ "$running" -ge "$jobs" ]; then
    # POSIX sh has no `wait -n`: wait for the oldest job of the batch.
    first=${pids%% *}
    wait "$first" || true
    pids=${pids#"$first"}
    pids=${pids# }
    running=$((running - 1))
  fi
  run_one "$t" &
  pids="$pids${pids:+ }$!"
  running=$((running + 1))
done
wait

summary=$corpus/summary.md
status=0
{
  echo "Long fuzz run: started $started, commit $commit, ${seconds} s per target, $jobs at a time"
  echo
  echo "| Target | Executions | Seconds | Execs/s | Corpus | Coverage (edges / features) | Peak RSS | Result |"
  echo "|---|---|---|---|---|---|---|---|"
  for t in $targets; do
    log=$corpus/logs/$t.log
    rc=$(cat "$corpus/logs/$t.rc" 2>/dev/null || echo "?")
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
    rss=$(sed -n 's/^stat::peak_rss_mb: *//p' "$log" | tail -n 1)
    secs=$(sed -n 's/^Done [0-9]* runs in \([0-9]*\) second.*/\1/p' "$log" | tail -n 1)
    cov=$(grep -o 'cov: [0-9]* ft: [0-9]*' "$log" | tail -n 1 | sed 's/cov: \([0-9]*\) ft: \([0-9]*\)/\1 \/ \2/')
    files=$(find "$corpus/$t" -type f | wc -l)
    crashes=$(find "$corpus/artifacts" -name "$t-*" -type f | wc -l)
    rate="?"
    if [ -n "$execs" ] && [ -n "$secs" ] && [ "$secs" -gt 0 ]; then rate=$((execs / secs)); fi
    if [ "$rc" = 0 ]; then result="no findings"; else result="**exit $rc**, $crashes artifact(s)"; status=1; fi
    echo "| fuzz_$t | ${execs:-?} | ${secs:-?} | $rate | $files | ${cov:-?} | ${rss:-?} MB | $result |"
  done
} > "$summary"
cat "$summary"
exit $status
