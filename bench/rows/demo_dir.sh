#!/usr/bin/env bash
# Row: testdata/demo (main.cf, master.cf, header_checks, body_checks), with
# the one master.cf line postconf would reject indented as a continuation:
# `postvet check DIR` against `postconf -c DIR -n`, in alternating pairs
# (bench/paired.py). Goal: no slower than postconf (issue 20).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
command -v postconf > /dev/null || exit 77
dir=${BENCH_TMP:?}/demo_dir
mkdir -p "$dir"
cp "$here/../testdata/demo/"* "$dir/"
sed -i 's/^-o /  -o /' "$dir/master.cf"
exec python3 "$here/paired.py" demo_dir 1.0 --note "check vs postconf -n, testdata/demo" \
  -- "${POSTVET:?}" check "$dir" -- postconf -c "$dir" -n
