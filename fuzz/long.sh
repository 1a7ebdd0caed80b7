#!/bin/sh
# The long fuzz run (`make fuzz-long`): every target for SECONDS of CPU time
# (default 1800, 30 CPU minutes each; a watcher reads the fuzzer's CPU time
# from /proc and interrupts it at the budget, so a busy or niced machine
# stretches the wall time, not the work done), JOBS at a time (default 2,
# one per core), from its
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
targets=${*:-"main_cf master_cf table expand check baseline project_config log_line fix_convergence dns_reply template_vars"}
jobs=${FUZZ_JOBS:-2}
corpus=${FUZZ_CORPUS:-$here/../fuzz-corpus}
mkdir -p "$corpus/artifacts" "$corpus/logs"
corpus=$(cd "$corpus" && pwd)
seeds=$(mktemp -d)
# Targets that write temp files (check, fix_convergence, log_line,
# project_config) write them to a RAM disk when there is one: on a disk they
# spend most of their time waiting for writeback, not fuzzing.
scratch=""
if [ -z "${FUZZ_TMPDIR:-}" ] && [ -d /dev/shm ] && [ -w /dev/shm ]; then
  scratch=$(mktemp -d /dev/shm/postvet-fuzz-XXXXXX)
  FUZZ_TMPDIR=$scratch
fi
[ -n "${FUZZ_TMPDIR:-}" ] && export TMPDIR="$FUZZ_TMPDIR"
trap 'rm -rf "$seeds" ${scratch:+"$scratch"}' EXIT
python3 "$here/seeds.py" "$seeds" > /dev/null
started=$(date -u '+%Y-%m-%d %H:%M UTC')
commit=$(git -C "$here" rev-parse --short HEAD 2>/dev/null || echo unknown)

# CPU seconds (user + system) a process and its reaped children have used,
# from /proc/PID/stat: with FUZZ_FLAGS="-fork=N" the fuzzing happens in
# child processes, which the parent reaps after each job.
cpu_seconds() {
  awk -v hz="$(getconf CLK_TCK)" '{ sub(/^.*\) /, ""); print int(($12 + $13 + $14 + $15) / hz) }' "/proc/$1/stat" 2>/dev/null || echo 0
}

# One target: run it until it has used SECONDS of CPU (wall cap: 4 times
# that), record its exit status and CPU seconds next to its log. libFuzzer
# exits 72 (its -interrupted_exitcode) when the watcher's SIGINT stops it.
run_one() {
  t=$1
  mkdir -p "$corpus/$t" "$seeds/$t"
  "$build/fuzz/fuzz_$t" -max_total_time=$((seconds * 4)) -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
    -print_final_stats=1 ${FUZZ_FLAGS:-} -artifact_prefix="$corpus/artifacts/$t-" "$corpus/$t" "$seeds/$t" \
    > "$corpus/logs/$t.log" 2>&1 &
  fuzzer=$!
  used=0
  while kill -0 "$fuzzer" 2>/dev/null; do
    used=$(cpu_seconds "$fuzzer")
    if [ "$used" -ge "$seconds" ]; then kill -INT "$fuzzer" 2>/dev/null || true; break; fi
    sleep 5
  done
  # With -fork the parent does not stop on SIGINT (it starts the next job):
  # after a grace period its jobs and then it get SIGTERM.
  grace=0
  while [ "$used" -ge "$seconds" ] && kill -0 "$fuzzer" 2>/dev/null && [ "$grace" -lt 60 ]; do
    sleep 5
    grace=$((grace + 5))
  done
  if [ "$used" -ge "$seconds" ] && kill -0 "$fuzzer" 2>/dev/null; then
    for child in $(pgrep -P "$fuzzer"); do  # sh -c, then the job's fuzzer
      pkill -TERM -P "$child" 2>/dev/null || true
      kill -TERM "$child" 2>/dev/null || true
    done
    kill -TERM "$fuzzer" 2>/dev/null || true
  fi
  rc=0
  wait "$fuzzer" || rc=$?
  # Stopped at the budget (72: libFuzzer's interrupted exit; 143: SIGTERM).
  if { [ "$rc" = 72 ] || [ "$rc" = 143 ]; } && [ "$used" -ge "$seconds" ]; then rc=0; fi
  echo "$rc" > "$corpus/logs/$t.rc"
  echo "$used" > "$corpus/logs/$t.cpu"
  echo "fuzz_$t: exit $rc after $used CPU s"
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
  echo "Long fuzz run: started $started, commit $commit, ${seconds} CPU s per target, $jobs at a time"
  echo
  echo "| Target | Executions | CPU seconds | Execs/s | Corpus | Coverage (edges / features) | Peak RSS | Result |"
  echo "|---|---|---|---|---|---|---|---|"
  for t in $targets; do
    log=$corpus/logs/$t.log
    rc=$(cat "$corpus/logs/$t.rc" 2>/dev/null || echo "?")
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
    rss=$(sed -n 's/^stat::peak_rss_mb: *//p' "$log" | tail -n 1)
    secs=$(cat "$corpus/logs/$t.cpu" 2>/dev/null || echo "")
    cov=$(grep -o 'cov: [0-9]* ft: [0-9]*' "$log" | tail -n 1 | sed 's/cov: \([0-9]*\) ft: \([0-9]*\)/\1 \/ \2/')
    files=$(find "$corpus/$t" -type f | wc -l)
    crashes=$(find "$corpus/artifacts" -name "$t-*" -type f | wc -l)
    rate="?"
    if [ -n "$execs" ] && [ -n "$secs" ] && [ "$secs" -gt 0 ]; then rate=$((execs / secs)); fi
    # With -ignore_crashes the exit status is 0 even after a crash: the
    # artifacts count as well.
    if [ "$rc" = 0 ] && [ "$crashes" = 0 ]; then result="no findings"; else result="**exit $rc**, $crashes artifact(s)"; status=1; fi
    echo "| fuzz_$t | ${execs:-?} | ${secs:-?} | $rate | $files | ${cov:-?} | ${rss:-?} MB | $result |"
  done
} > "$summary"
cat "$summary"
exit $status
