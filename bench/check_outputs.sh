#!/usr/bin/env bash
# Prints, for every directory under testdata/ and ../shared/corpus that holds
# a main.cf, the directory, the exit code and the JSON `postvet check` gives
# for it: run it with an old and a new build and diff the two files to show
# a change kept check's output byte-identical.
# usage: bench/check_outputs.sh POSTVET > out.txt
set -uo pipefail
postvet=${1:?usage: bench/check_outputs.sh POSTVET}
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 2
roots=(testdata)
[[ -d ../shared/corpus ]] && roots+=(../shared/corpus)
find "${roots[@]}" -name main.cf -printf '%h\n' | LC_ALL=C sort | while read -r dir; do
  echo "== $dir"
  "$postvet" check --format json "$dir" 2>&1
  echo "== exit $?"
done
