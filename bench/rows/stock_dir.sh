#!/usr/bin/env bash
# Row: the stock Debian configuration directory (main.cf as Debian installs
# it, master.cf from the package): `postvet check DIR` against
# `postconf -c DIR -n`, in alternating pairs (bench/paired.py). Goal: no
# slower than postconf (issue 20).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
command -v postconf > /dev/null || exit 77
[[ -f /usr/share/postfix/main.cf.debian && -f /usr/share/postfix/master.cf.dist ]] || exit 77
dir=${BENCH_TMP:?}/stock_dir
mkdir -p "$dir"
cp /usr/share/postfix/main.cf.debian "$dir/main.cf"
cp /usr/share/postfix/master.cf.dist "$dir/master.cf"
exec python3 "$here/paired.py" stock_dir 1.0 --note "check vs postconf -n, Debian's main.cf + master.cf" \
  -- "${POSTVET:?}" check "$dir" -- postconf -c "$dir" -n
