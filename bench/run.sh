#!/usr/bin/env bash
# Benchmarks postvet against Postfix's own tools (issue 9): hyperfine medians
# of whole-process runs, and peak RSS from /usr/bin/time. Needs a built
# postvet (POSTVET, default build/postvet), postconf/postmap, hyperfine and
# /usr/bin/time. Writes hyperfine JSON and a summary to bench/results/.
# usage: bench/run.sh            (RUNS=N to change the number of runs)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(dirname "$here")
postvet=${POSTVET:-$top/build/postvet}
runs=${RUNS:-20}
out=$here/results
mkdir -p "$out"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
summary=$out/summary.txt
: > "$summary"

median() {  # median seconds of command N in a hyperfine JSON
  python3 -c "import json,sys; print('%.4f' % json.load(open(sys.argv[1]))['results'][int(sys.argv[2])]['median'])" "$1" "$2"
}
peak() {  # peak RSS (KiB) of one run of the command, output discarded
  /usr/bin/time -o "$work/rss" -f '%M' "$@" > /dev/null 2>&1 || true
  cat "$work/rss" | tail -n 1
}
note() { echo "$*" | tee -a "$summary"; }

# 1. The stock Debian config dir: main.cf as Debian installs it, master.cf from the package.
stock=$work/stock
mkdir -p "$stock"
cp /usr/share/postfix/main.cf.debian "$stock/main.cf"
cp /usr/share/postfix/master.cf.dist "$stock/master.cf"
touch -d '1 hour ago' "$stock"/*
hyperfine -N --warmup 3 --runs "$runs" --export-json "$out/stock.json" \
  "postconf -c $stock -n" "$postvet check --format json $stock" > "$out/stock.txt" 2>&1 || true
note "stock dir: postconf -n median $(median "$out/stock.json" 0) s, peak $(peak postconf -c "$stock" -n) KiB"
note "stock dir: postvet check median $(median "$out/stock.json" 1) s, peak $(peak "$postvet" check --format json "$stock") KiB"

# 2. 100,000-rule regexp header_checks: postvet check vs postmap loading the same table.
table=$work/table
mkdir -p "$table"
python3 - "$table/header_checks" <<'PY'
import random, sys
rng = random.Random(1)
words = ["viagra", "casino", "lottery", "invoice", "bitcoin", "prize", "urgent", "winner", "loan", "pharmacy"]
with open(sys.argv[1], "w") as f:
    for i in range(100000):
        hdr = rng.choice(["Subject", "From", "To", "X-Mailer", "Received"])
        f.write(f"/^{hdr}:.*{rng.choice(words)}[0-9]*{i}\\b/ REJECT rule {i}\n")
PY
printf 'header_checks = regexp:/etc/postfix/header_checks\n' > "$table/main.cf"
: > "$table/master.cf"
touch -d '1 hour ago' "$table"/*
hyperfine -N --warmup 1 --runs 5 -i --export-json "$out/table.json" \
  "postmap -c $table -q nomatch regexp:$table/header_checks" "$postvet check --format json $table" \
  "$postvet query regexp:$table/header_checks nomatch" > "$out/table.txt" 2>&1 || true
note "100k regexp table: postmap -q (load) median $(median "$out/table.json" 0) s, peak $(peak postmap -c "$table" -q nomatch "regexp:$table/header_checks") KiB"
note "100k regexp table: postvet check median $(median "$out/table.json" 1) s, peak $(peak "$postvet" check --format json "$table") KiB"
note "100k regexp table: postvet query median $(median "$out/table.json" 2) s, peak $(peak "$postvet" query "regexp:$table/header_checks" nomatch) KiB"

# 3. A generated 30 MB main.cf: show throughput (and parse --echo, postconf -n for scale).
big=$work/big
mkdir -p "$big"
python3 "$here/gen_main_cf.py" "$big/main.cf" 30
: > "$big/master.cf"
touch -d '1 hour ago' "$big"/*
size=$(stat -c %s "$big/main.cf")
hyperfine -N --warmup 1 --runs 5 -i --export-json "$out/big.json" \
  "$postvet show $big/main.cf" "$postvet parse --echo $big/main.cf" "postconf -c $big -n" > "$out/big.txt" 2>&1 || true
show_s=$(median "$out/big.json" 0)
note "30 MB main.cf ($size bytes): postvet show median $show_s s = $(python3 -c "print('%.0f' % ($size / 1048576 / $show_s))") MiB/s, peak $(peak "$postvet" show "$big/main.cf") KiB (goal <= $(( size * 3 / 1024 + 20480 )) KiB)"
note "30 MB main.cf: postvet parse --echo median $(median "$out/big.json" 1) s, peak $(peak "$postvet" parse --echo "$big/main.cf") KiB"
note "30 MB main.cf: postconf -n median $(median "$out/big.json" 2) s, peak $(peak postconf -c "$big" -n) KiB"
note "30 MB main.cf: postvet check peak $(peak "$postvet" check --format json "$big") KiB"
cat "$summary"
