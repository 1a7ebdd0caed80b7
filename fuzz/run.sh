#!/bin/sh
# Runs every fuzz target for SECONDS from its seed corpus (fuzz/seeds.py).
# usage: fuzz/run.sh BUILD_DIR SECONDS [TARGET...]
# Exits non-zero when any target finds a crash, leak, timeout or failed
# property; the reproducer is left in $FUZZ_ARTIFACTS (default BUILD_DIR/fuzz-artifacts).
# New corpus entries go to BUILD_DIR/fuzz-corpus/<target> and are kept across runs.
set -eu
build=$1
seconds=$2
shift 2
targets=${*:-"main_cf master_cf table expand check baseline project_config log_line fix_convergence dns_reply template_vars"}
here=$(cd "$(dirname "$0")" && pwd)
corpus=$build/fuzz-corpus
artifacts=${FUZZ_ARTIFACTS:-$build/fuzz-artifacts}
mkdir -p "$corpus" "$artifacts"
seeds=$(mktemp -d)
trap 'rm -rf "$seeds"' EXIT
python3 "$here/seeds.py" "$seeds"
status=0
for t in $targets; do
  mkdir -p "$corpus/$t"
  # First the reproducers of earlier findings (fuzz/regressions/<target>/,
  # top level; names in its replay-skip file are known to be slow or open).
  regressions=$here/regressions/$t
  if [ -d "$regressions" ]; then
    for f in "$regressions"/*; do
      [ -f "$f" ] || continue
      name=$(basename "$f")
      [ "$name" = replay-skip ] && continue
      if [ -f "$regressions/replay-skip" ] && grep -qx "$name" "$regressions/replay-skip"; then continue; fi
      if ! "$build/fuzz/fuzz_$t" -timeout=10 -rss_limit_mb=2048 "$f" > "$build/fuzz_$t.replay.log" 2>&1; then
        echo "fuzz_$t FAILED on the reproducer $f"
        tail -n 40 "$build/fuzz_$t.replay.log"
        status=1
      fi
    done
  fi
  echo "== fuzz_$t: ${seconds}s"
  # -timeout: a single input taking longer is a hang; -rss_limit_mb bounds memory.
  if ! "$build/fuzz/fuzz_$t" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
      -print_final_stats=1 -artifact_prefix="$artifacts/$t-" "$corpus/$t" "$seeds/$t" \
      > "$build/fuzz_$t.log" 2>&1; then
    echo "fuzz_$t FAILED: see $build/fuzz_$t.log and $artifacts"
    tail -n 40 "$build/fuzz_$t.log"
    status=1
  else
    grep -E "stat::number_of_executed_units|cov:" "$build/fuzz_$t.log" | tail -n 2
  fi
done
exit $status
