#!/usr/bin/env bash
# Row: bench/fixtures/seed, a 142-line directory as a small site writes it
# (main.cf with restriction lists and DNS lists, master.cf with postscreen
# in front of smtpd, a regexp header_checks): `postvet check DIR` against
# `postconf -c DIR -n`, in alternating pairs (bench/paired.py). Goal: no
# slower than postconf (issue 20).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
command -v postconf > /dev/null || exit 77
dir=${BENCH_TMP:?}/seed_dir
mkdir -p "$dir"
cp "$here/fixtures/seed/"* "$dir/"
exec python3 "$here/paired.py" seed_dir 1.0 --note "check vs postconf -n, bench/fixtures/seed (142 lines)" \
  -- "${POSTVET:?}" check "$dir" -- postconf -c "$dir" -n
