#!/bin/sh
# The Debian package as a user gets it: builds it (`make deb`, a Release
# build in $RELEASE_BUILD, default build-release), checks its contents,
# installs it with dpkg, runs the INSTALLED postvet (check on the demo,
# --version, man -w, bash completion), then removes it with dpkg -r so the
# machine is left as found. Needs root (or sudo) for dpkg; installs dpkg-dev
# (dpkg-shlibdeps) and man-db if missing, as test dependencies.
#
# Images that exclude /usr/share/man or /usr/share/doc from packages
# (dpkg path-exclude in /etc/dpkg/dpkg.cfg.d/, as Debian's Docker images do)
# would drop the manual pages at install time; the script says so and
# re-includes postvet's own paths for this install (dpkg --path-include),
# so `man -w` tests what a normal system would get.
set -eu
cd "$(dirname "$0")/.."
RELEASE_BUILD=${RELEASE_BUILD:-build-release}

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null 2>&1 || { echo "package-test: dpkg -i needs root (or sudo)" >&2; exit 1; }
  SUDO=sudo
fi
# Installed, or removed but not purged, or half-installed.
present() {
  dpkg-query -W -f='${Status}' postvet 2>/dev/null | grep -Eq 'ok (installed|config-files|half-)'
}
fail() {
  echo "package-test: FAIL: $*" >&2
  exit 1
}

# Never clobber a postvet that is already on this machine.
if present; then
  fail "the postvet package is already installed; remove it first (this test installs and removes it)"
fi
[ -e /usr/bin/postvet ] && fail "/usr/bin/postvet exists and is not from the package; not overwriting it"

DEPS="dpkg-dev man-db" $SUDO sh scripts/install-deps.sh
make deb RELEASE_BUILD="$RELEASE_BUILD"
version=$(sed -n 's/^project(postvet VERSION \([0-9.]*\).*/\1/p' CMakeLists.txt)
deb=$(ls "$RELEASE_BUILD"/postvet_"$version"-*_"$(dpkg --print-architecture)".deb 2>/dev/null | tail -n 1)
[ -n "$deb" ] || fail "no postvet_${version}-*.deb in $RELEASE_BUILD"
echo "package-test: $deb"

# Contents and metadata, independent of what this machine installs.
contents=$(dpkg-deb -c "$deb")
for f in ./usr/bin/postvet ./usr/share/man/man1/postvet.1.gz ./usr/share/man/man7/postvet-rules.7.gz \
  ./usr/share/bash-completion/completions/postvet ./usr/share/zsh/vendor-completions/_postvet \
  ./usr/share/fish/vendor_completions.d/postvet.fish ./usr/share/doc/postvet/rules/PV101.md; do
  echo "$contents" | grep -q " $f\$" || fail "$deb lacks $f"
done
depends=$(dpkg-deb -f "$deb" Depends)
echo "package-test: Depends: $depends"
echo "$depends" | grep -q libc6 || fail "Depends lacks libc6 (dpkg-shlibdeps)"
# c-ares, PCRE2, zlib, liblzma, libzstd, libyaml, fmt and the C++ runtime are linked in (cmake/StaticDeps.cmake).
for lib in libpcre2-8-0 libc-ares2 zlib1g liblzma5 libzstd1 libyaml-0-2 libfmt9 libstdc++6; do
  echo "$depends" | grep -q "$lib" && fail "Depends names $lib, which the build links statically"
done

# Paths this machine's dpkg would leave out.
include=""
if grep -Eqs '^[[:space:]]*path-exclude[[:space:]=]+/usr/share/(man|doc)' /etc/dpkg/dpkg.cfg /etc/dpkg/dpkg.cfg.d/*; then
  echo "package-test: note: dpkg here excludes /usr/share/man or /usr/share/doc" \
    "($(grep -Els 'path-exclude.*/usr/share/(man|doc)' /etc/dpkg/dpkg.cfg /etc/dpkg/dpkg.cfg.d/* | tr '\n' ' '));" \
    "re-including postvet's files for this install"
  include="--path-include=/usr/share/man/man1/postvet.1.gz --path-include=/usr/share/man/man7/postvet-rules.7.gz"
  include="$include --path-include=/usr/share/doc/postvet/*"
fi

installed=0
cleanup() {
  if [ "$installed" = 1 ]; then
    $SUDO dpkg -r postvet >/dev/null
    if present; then
      echo "package-test: FAIL: postvet still installed after dpkg -r" >&2
      exit 1
    fi
    [ -e /usr/bin/postvet ] && { echo "package-test: FAIL: /usr/bin/postvet left behind" >&2; exit 1; }
    echo "package-test: removed again"
  fi
}
trap cleanup EXIT
# shellcheck disable=SC2086 # $include is a list of options
$SUDO dpkg -i $include "$deb"
installed=1

# The installed program, not a build directory's.
[ "$(command -v postvet)" = /usr/bin/postvet ] || fail "postvet on PATH is $(command -v postvet), not /usr/bin/postvet"
readelf -S /usr/bin/postvet | grep -Eq '\.debug_info|\.symtab' && fail "/usr/bin/postvet is not stripped"

out=$(postvet --version)
echo "package-test: $out"
echo "$out" | grep -Eq "^postvet $version \\(revision [0-9A-Za-z._+-]+\\)\$" || fail "--version prints '$out'"

set +e
report=$(postvet check testdata/demo 2>&1)
rc=$?
set -e
[ "$rc" -eq 1 ] || fail "postvet check testdata/demo exited $rc, expected 1 (findings): $report"
echo "$report" | grep -q '^testdata/demo/main.cf:[0-9]*:[0-9]*: error: .*\[PV204\]$' || fail "no PV204 finding: $report"
echo "$report" | tail -n 1 | grep -Eq '^[0-9]+ errors?, ' || fail "no summary line: $report"

# SARIF helpUri names the installed rule doc (found beside /usr/bin/postvet).
set +e
sarif=$(postvet check --format sarif testdata/demo 2>/dev/null)
set -e
echo "$sarif" | grep -q '"helpUri": *"file:///usr/share/doc/postvet/rules/PV204.md"' \
  || fail "SARIF helpUri of PV204 is not the installed doc page"
[ -f /usr/share/doc/postvet/rules/PV204.md ] || fail "no /usr/share/doc/postvet/rules/PV204.md"

page=$(man -w postvet) || fail "man -w postvet finds no page"
[ "$page" = /usr/share/man/man1/postvet.1.gz ] || fail "man -w postvet gives $page"
[ "$(man -w 7 postvet-rules)" = /usr/share/man/man7/postvet-rules.7.gz ] || fail "man -w 7 postvet-rules"
MANWIDTH=80 man 7 postvet-rules 2>/dev/null | grep -q 'PV204 dangerous-dnsbl' || fail "postvet-rules(7) lacks PV204"

# Bash completion from the installed file, with the installed postvet.
complete_bash() {
  bash -c '. /usr/share/bash-completion/completions/postvet
    COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _postvet; printf "%s\n" "${COMPREPLY[@]}"' _ "$@"
}
complete_bash postvet "" | grep -qx check || fail "bash: postvet <TAB> does not offer check"
complete_bash postvet check --sel | grep -qx -- --select || fail "bash: postvet check --sel<TAB> does not offer --select"
complete_bash postvet check --select PV20 | grep -qx PV204 || fail "bash: --select PV20<TAB> does not offer PV204"

echo "package-test: OK"
