#!/usr/bin/env bash
# Fresh clone, fresh machine: proves that the committed project passes its own
# tests with nothing beside it and no Postfix configuration on the machine.
#
#  - clones HEAD of this repository into a new temp dir, where ../shared (the
#    corpus, the SARIF schema) does not exist;
#  - moves /etc/postfix/main.cf aside if there is one (Debian's "No
#    configuration" install has none) and puts it back on exit;
#  - runs `make test` there and checks the ctest report: no test failed, and
#    the tests that skipped are exactly the shared-data parts and the
#    version oracles (VERSION_ORACLES; their roots are not cached there).
#
# usage: scripts/fresh-clone-test.sh [CMAKE_FLAGS]   (CI step, see .ci/run)
# The shared-data parts are found the way CMakeLists.txt registers them: a
# tests/<name>_test.cpp with a case tagged [shared] (tests/test_util.hpp),
# a tests/<name>_test.py with the marker line `# postvet-test-parts: local
# shared` (tests/shared_data.py); each gives a ctest test <name>_test_shared.
set -euo pipefail

VERSION_ORACLES="oracle_v3_10_test oracle_v3_5_test"

src=$(cd "$(dirname "$0")/.." && pwd)
flags=${1:-"-DCMAKE_BUILD_TYPE=RelWithDebInfo -DPOSTVET_WERROR=ON"}
work=$(mktemp -d "${TMPDIR:-/tmp}/postvet-fresh-clone.XXXXXX")
main_cf=/etc/postfix/main.cf
aside=""

restore() {
  if [ -n "$aside" ]; then mv "$aside" "$main_cf"; fi
  rm -rf "$work"
}
trap restore EXIT
trap 'exit 1' INT TERM

if [ -e "$main_cf" ]; then
  if mv "$main_cf" "$main_cf.postvet-fresh-clone" 2>/dev/null; then
    aside=$main_cf.postvet-fresh-clone
    echo "fresh-clone: moved $main_cf aside for the run"
  else
    echo "fresh-clone: cannot move $main_cf aside (not root?): running with it present" >&2
  fi
fi

git clone -q "$src" "$work/postvet"
echo "fresh-clone: testing $(git -C "$work/postvet" rev-parse --short HEAD) in $work/postvet (no ../shared)"
if [ -e "$work/shared" ]; then echo "fresh-clone: $work/shared exists" >&2; exit 1; fi

# ccache, when present, may serve objects of earlier fresh-clone runs: the
# clone's path differs each time, so hash paths relative to it.
if command -v ccache >/dev/null; then
  flags="$flags -DCMAKE_CXX_COMPILER_LAUNCHER=ccache"
  export CCACHE_BASEDIR="$work/postvet" CCACHE_NOHASHDIR=1
fi

log=$work/make-test.log
status=0
mkdir "$work/oracles"
(cd "$work/postvet" && env -u POSTVET_CORPUS -u POSTVET_SARIF_SCHEMA -u POSTVET_ORACLE_VERSIONS \
  POSTVET_ORACLE_CACHE="$work/oracles" make test CMAKE_FLAGS="$flags") 2>&1 \
  | tee "$log" || status=$?
if [ "$status" -ne 0 ]; then
  echo "fresh-clone: make test failed in the fresh clone (exit $status)" >&2
  exit 1
fi

# ctest lists skipped tests after "The following tests did not run:" as
# "<tab>  N - name (Skipped)".
skipped=$(sed -n 's/^[[:space:]]*[0-9][0-9]* - \([A-Za-z0-9_]*\) (Skipped)$/\1/p' "$log" | sort)
expected=$(
  cd "$work/postvet/tests"
  { grep -l '\[shared\]"' -- *_test.cpp | sed 's/\.cpp$/_shared/'
    grep -l '^# postvet-test-parts: local shared' -- *_test.py | sed 's/\.py$/_shared/'
    printf '%s\n' $VERSION_ORACLES; } | sort)
if ! grep -q '^100% tests passed, 0 tests failed out of [0-9]' "$log"; then
  echo "fresh-clone: no ctest summary with every test passed" >&2
  exit 1
fi
if [ "$skipped" != "$expected" ]; then
  echo "fresh-clone: the skipped tests are not the expected shared-data ones" >&2
  echo "  skipped but not expected: $(comm -23 <(echo "$skipped") <(echo "$expected") | tr '\n' ' ')" >&2
  echo "  expected but not skipped: $(comm -13 <(echo "$skipped") <(echo "$expected") | tr '\n' ' ')" >&2
  exit 1
fi
echo "fresh-clone: OK, every test passed but the $(echo "$expected" | wc -l) expected parts (shared data, version oracles), which skipped"
