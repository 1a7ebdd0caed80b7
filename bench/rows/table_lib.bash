# Shared by the table rows (table_regexp.sh, table_pcre.sh, table_rss.sh);
# sourced, not run (bench/run.sh runs only rows/*.sh). Builds the 100,000-rule
# header_checks of bench/run.sh section 2 and measures postvet against postmap
# in alternating pairs.
#
# Needs: POSTVET (the binary), BENCH_TMP (scratch), RUNS (pairs, default 5).

table_lib_need() {  # exit 77 (skipped) unless every tool named is there
  local tool
  for tool in "$@"; do
    if ! command -v "$tool" > /dev/null 2>&1 && [ ! -x "$tool" ]; then
      echo "skipped: $tool not found" >&2
      exit 77
    fi
  done
}

# table_lib_dir TYPE: a config dir under $BENCH_TMP whose main.cf names the
# generated table as header_checks (TYPE regexp or pcre); prints its path.
# The table comes from bench/gen_header_checks.py: /^Header:.*word[0-9]*N\b/ REJECT rule N.
table_lib_dir() {
  local type=$1 dir=$BENCH_TMP/table-$1
  if [ ! -s "$dir/header_checks" ]; then
    mkdir -p "$dir"
    python3 "$(dirname "${BASH_SOURCE[0]}")/../gen_header_checks.py" "$dir/header_checks"
    printf 'header_checks = %s:/etc/postfix/header_checks\n' "$type" > "$dir/main.cf"
    : > "$dir/master.cf"
    touch -d '1 hour ago' "$dir"/*
  fi
  echo "$dir"
}

# table_lib_time OUT CMD...: one run; appends "wall cpu maxrss_kib" to OUT.
table_lib_time() {
  local out=$1
  shift
  /usr/bin/time -o "$BENCH_TMP/time.$$" -f '%e %U %S %M' "$@" > /dev/null 2>&1 || true
  tail -n 1 "$BENCH_TMP/time.$$" | awk '{ printf "%s %.3f %s\n", $1, $2 + $3, $4 }' >> "$out"
}

# table_lib_pairs A_OUT B_OUT -- A... -- B...: one warm-up each, then RUNS
# rounds of A and B, A first in odd rounds and B first in even ones, so that
# load from other work falls on both alike.
table_lib_pairs() {
  local a_out=$1 b_out=$2
  shift 3
  local a=() b=()
  while [ "$1" != "--" ]; do a+=("$1"); shift; done
  shift
  b=("$@")
  : > "$a_out"
  : > "$b_out"
  "${a[@]}" > /dev/null 2>&1 || true
  "${b[@]}" > /dev/null 2>&1 || true
  local i
  for ((i = 1; i <= ${RUNS:-5}; i++)); do
    if ((i % 2)); then
      table_lib_time "$a_out" "${a[@]}"
      table_lib_time "$b_out" "${b[@]}"
    else
      table_lib_time "$b_out" "${b[@]}"
      table_lib_time "$a_out" "${a[@]}"
    fi
  done
}

# table_lib_median FILE COLUMN: median of one column (1 wall, 2 cpu, 3 rss).
table_lib_median() {
  sort -g -k "$2,$2" "$1" | awk -v c="$2" '{ v[NR] = $c } END { m = int((NR + 1) / 2); print v[m] }'
}

# table_lib_pair_ratio A B COLUMN: median over rounds of A/B (the two runs
# of one round saw the same load).
table_lib_pair_ratio() {
  paste -d ' ' "$1" "$2" | awk -v c="$3" '{ print ($(c + 3) > 0 ? $c / $(c + 3) : 0) }' | sort -g |
    awk '{ v[NR] = $1 } END { m = int((NR + 1) / 2); printf "%.2f\n", v[m] }'
}

# table_lib_time_row NAME TYPE: the timing row for a TYPE table.
table_lib_time_row() {
  local name=$1 type=$2
  local dir
  dir=$(table_lib_dir "$type")
  local pv=$BENCH_TMP/$name.postvet pf=$BENCH_TMP/$name.postmap
  table_lib_pairs "$pv" "$pf" -- "$POSTVET" check --format json "$dir" -- \
    postmap -c "$dir" -q nomatch "$type:$dir/header_checks"
  local pv_wall pf_wall pv_cpu pf_cpu ratio cpu_ratio met
  pv_wall=$(table_lib_median "$pv" 1)
  pf_wall=$(table_lib_median "$pf" 1)
  pv_cpu=$(table_lib_median "$pv" 2)
  pf_cpu=$(table_lib_median "$pf" 2)
  ratio=$(table_lib_pair_ratio "$pv" "$pf" 1)
  cpu_ratio=$(table_lib_pair_ratio "$pv" "$pf" 2)
  met=$(awk -v r="$ratio" 'BEGIN { print (r <= 1.0 ? "yes" : "no") }')
  printf '%s\t%s s\t%s s\t%s\t<= 1.0\t%s\t%s\n' "$name" "$pv_wall" "$pf_wall" "$ratio" "$met" \
    "postvet check --format json vs postmap -q (load), 100k-rule $type: header_checks; median wall of ${RUNS:-5} alternating pairs, ratio = median per-pair ratio; CPU (user+sys) $pv_cpu s vs $pf_cpu s, ratio $cpu_ratio"
}
