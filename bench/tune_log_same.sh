#!/usr/bin/env bash
# Usage: bench/tune_log_same.sh OLD NEW [SCRATCH]: runs `postvet tune
# testdata/demo --log ...` with both binaries over the logs of testdata/logs
# (one by one and all together), bench/gen_mail_log.py logs of a few sizes,
# gzip/xz/zstd copies, a rotated set, several streams merged, and edge cases
# (no final LF, CRLF, a line longer than the buffer, an empty file), in text
# and JSON, and reports any difference in stdout, stderr or exit status.
# A check for speed work on the log reader: its output must not change.
set -uo pipefail
old=${1:?old binary} new=${2:?new binary}
top=$(cd "$(dirname "$0")/.." && pwd)
tmp=${3:-$(mktemp -d)}
mkdir -p "$tmp"
logs=$top/testdata/logs
for mb in 1 7 33; do
  [[ -s $tmp/g$mb.log ]] || python3 "$top/bench/gen_mail_log.py" "$tmp/g$mb.log" "$mb"
done
[[ -s $tmp/g7.log.gz ]] || gzip -c "$tmp/g7.log" > "$tmp/g7.log.gz"
[[ -s $tmp/g1.log.xz ]] || xz -T1 -c "$tmp/g1.log" > "$tmp/g1.log.xz"
[[ -s $tmp/g7.zst ]] || zstd -q -c "$tmp/g7.log" > "$tmp/g7.zst"
mkdir -p "$tmp/rot"
head -c 2500000 "$tmp/g7.log" | tail -c 900000 > "$tmp/rot/mail.log"
head -c 1600000 "$tmp/g7.log" | gzip -c > "$tmp/rot/mail.log.1.gz"
printf 'Nov 20 10:00:01 mx1 postfix/smtpd[1]: connect from a[1.2.3.4]\nNov 20 10:00:02 mx1 postfix/smtpd[2]: connect from b[1.2.3.5]' > "$tmp/nolf.log"
sed 's/$/\r/' "$logs/mx-traditional.log" > "$tmp/crlf.log"
python3 - "$tmp/long.log" <<'PY'
import sys
with open(sys.argv[1], "w") as f:
    f.write("Nov 20 10:00:01 mx1 postfix/smtpd[7]: connect from a[1.2.3.4]\n")
    f.write("Nov 20 10:00:01 mx1 postfix/smtpd[8]: " + "x" * 70000 + "\n")
    f.write("Nov 20 10:00:02 mx1 postfix/smtpd[9]: connect from " + "y" * 1500000 + "\n")
    f.write("Nov 20 10:00:03 mx1 postfix/smtpd[8]: connect from c[1.2.3.6]\n")
    f.write("Nov 20 10:00:04 mx1 postfix/submission/smtpd[10]: connect from c[1.2.3.6]\n")
    f.write("Nov 20 10:00:04 mx1 postfix/smtpd[10]: disconnect from c[1.2.3.6]\n")
    f.write("Nov 20 10:00:05 mx1 postfix/smtpd: connect from d[1.2.3.6]\n")
    f.write("Nov 20 10:00:05 mx1 postfix/smtpd[123456789012]: connect from d[1.2.3.6]\n")
    f.write("Nov 20 10:00:05 mx1 a/b/c/d/e/f/g/h/i/j/k/postfix/smtpd[12]: connect from e\n")
    f.write("Nov 20 10:00:06 mx1 smtpd[13]:connect from f\n")
    f.write("Nov 20 10:00:06 mx1 smtpd[14] connect from f\n")
    f.write("Nov 20 10:00:06 mx1 postfix/master[1]: warning: process /usr/libexec/postfix/smtpd pid 8 killed by signal 9\n")
    # Stamp-and-host cache edges: a new stamp whose host is missing, then
    # the start of the line before it again; hosts of many lengths.
    f.write("Nov 20 10:00:07 mx1 postfix/smtpd[16]: connect from h\n")
    f.write("Nov 20 10:00:09  postfix/smtpd[17]: connect from i\n")
    f.write("Nov 20 10:00:07 mx1 postfix/smtpd[18]: connect from j\n")
    f.write("Nov 20 10:00:07 mx1\n")
    f.write("Nov 20 10:00:07 mx1 \n")
    f.write("Nov 20 10:00:07 mx1 p\n")
    for host in ("a", "mx1.example.org", "a-much-longer-host-name.example.org", "h" * 60, "h" * 70):
        f.write(f"Nov 20 10:00:08 {host} postfix/smtpd[19]: connect from k\n")
        f.write(f"Nov 20 10:00:08 {host} postfix/smtpd[20]: connect from k\n")
        f.write(f"Nov 20 10:00:08.5 {host} postfix/smtpd[21]: connect from k\n")
        f.write(f"2024-11-20T10:00:08.123456+01:00 {host} postfix/smtpd[22]: connect from k\n")
        f.write(f"2024-11-20T10:00:08.123456+01:00 {host} postfix/smtpd[23]: disconnect from k\n")
    f.write("Nov 20 10:00:06 mx1 postfix/smtpd[15]: connect from g")
PY
: > "$tmp/empty.log"
cases=()
for f in "$logs"/*; do
  case $f in *.md|*.py) continue ;; esac
  cases+=("$f")
done
all=()
for f in "$logs"/*.log "$logs"/*.gz "$logs"/journal.*; do
  case $f in *unknown-format*) continue ;; esac
  all+=("$f")
done
cases+=("${all[*]}")
cases+=("$tmp/g1.log" "$tmp/g7.log" "$tmp/g33.log" "$tmp/g7.log.gz" "$tmp/g1.log.xz" "$tmp/g7.zst")
cases+=("$tmp/rot/mail.log $tmp/rot/mail.log.1.gz")
cases+=("$tmp/g1.log $tmp/g7.zst $logs/mx-traditional.log $logs/mx-rfc3339.log")
cases+=("$tmp/nolf.log" "$tmp/crlf.log" "$tmp/long.log" "$tmp/empty.log" "$tmp/empty.log $tmp/nolf.log")
bad=0 n=0
for c in "${cases[@]}"; do
  read -r -a files <<< "$c"
  args=()
  for f in "${files[@]}"; do args+=(--log "$f"); done
  for fmt in text json; do
    n=$((n + 1))
    "$old" tune "$top/testdata/demo" "${args[@]}" --format "$fmt" > "$tmp/old.out" 2> "$tmp/old.err"; ro=$?
    "$new" tune "$top/testdata/demo" "${args[@]}" --format "$fmt" > "$tmp/new.out" 2> "$tmp/new.err"; rn=$?
    if [[ $ro != "$rn" ]] || ! cmp -s "$tmp/old.out" "$tmp/new.out" || ! cmp -s "$tmp/old.err" "$tmp/new.err"; then
      echo "DIFFERENT ($fmt, exit $ro vs $rn): $c"
      diff "$tmp/old.out" "$tmp/new.out" | head -5
      diff "$tmp/old.err" "$tmp/new.err" | head -5
      bad=$((bad + 1))
    fi
  done
done
echo "tune_log_same: $n runs, $bad different"
[[ $bad == 0 ]]
