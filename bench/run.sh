#!/usr/bin/env bash
# Benchmarks postvet against Postfix's own tools with hyperfine (medians of
# whole-process runs). Needs a built postvet (POSTVET, default build/postvet),
# postconf/postmap and hyperfine; writes results to bench/results/.
# usage: bench/run.sh
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(dirname "$here")
postvet=${POSTVET:-$top/build/postvet}
out=$here/results
mkdir -p "$out"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# 1. The stock Debian config dir: main.cf as Debian installs it, master.cf from the package.
stock=$work/stock
mkdir -p "$stock"
cp /usr/share/postfix/main.cf.debian "$stock/main.cf"
cp /etc/postfix/master.cf.proto "$stock/master.cf"
touch -d '1 hour ago' "$stock"/*
hyperfine --warmup 3 --runs 30 --export-json "$out/stock.json" \
  "postconf -c $stock -n" \
  "$postvet show $stock/main.cf" \
  "$postvet check --format json $stock"

# 2. A generated 30 MB main.cf: parser throughput.
python3 "$here/gen_main_cf.py" "$work/big/main.cf" 30 2>/dev/null || { mkdir -p "$work/big"; python3 "$here/gen_main_cf.py" "$work/big/main.cf" 30; }
: > "$work/big/master.cf"
touch -d '1 hour ago' "$work/big"/*
hyperfine --warmup 1 --runs 5 --export-json "$out/big.json" \
  "postconf -c $work/big -n" \
  "$postvet parse --echo $work/big/main.cf" \
  "$postvet show $work/big/main.cf"
size=$(stat -c %s "$work/big/main.cf")
echo "30 MB main.cf: $size bytes"

# 3. Peak memory (KiB) of each on the big file.
for cmd in "postconf -c $work/big -n" "$postvet show $work/big/main.cf" "$postvet parse --echo $work/big/main.cf"; do
  rss=$( { /usr/bin/time -f '%M' $cmd > /dev/null; } 2>&1 | tail -n 1 )
  echo "peak RSS ${rss} KiB: $cmd"
done | tee "$out/rss.txt"
