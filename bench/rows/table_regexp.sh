#!/usr/bin/env bash
# Row: 100,000-rule regexp: header_checks, `postvet check` vs `postmap -q`
# loading the same table (issue 20; goal: ratio <= 1.0). See table_lib.bash.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
POSTVET=${POSTVET:-$here/../../build/postvet}
BENCH_TMP=${BENCH_TMP:-$(mktemp -d)}
mkdir -p "$BENCH_TMP"
# shellcheck source=table_lib.bash
. "$here/table_lib.bash"
table_lib_need "$POSTVET" postmap python3 /usr/bin/time
table_lib_time_row table-regexp-100k regexp
