#!/bin/sh
# Builds (or reuses) a minimal Debian root holding one Postfix release, for
# the version oracle tests (docs/oracles.md):
#
#   bullseye -> Postfix 3.5, bookworm -> 3.7, trixie -> 3.10
#
# usage: scripts/build-oracle-root.sh SUITE      (as root; `make oracles`)
#
# The root lives in $POSTVET_ORACLE_CACHE/SUITE (default
# ~/.cache/postvet/oracles/SUITE), outside any build dir. A root is complete
# when its stamp file (.postvet-oracle-stamp: suite, Postfix version,
# package versions) exists; a complete root is reused, anything else under
# that name is rebuilt from scratch. The root is assembled in SUITE.new and
# renamed into place only when the stamp is written, so an interrupted build
# never looks complete.
#
# Nothing is started: the packages are installed with DEBIAN_FRONTEND=
# noninteractive, Postfix's debconf answer preset to "No configuration" and a
# policy-rc.d that forbids every service start. Apt lists, caches, docs, man
# pages and locales are removed afterwards to keep the root small.
set -eu

suite=${1:-}
case "$suite" in
  bullseye|bookworm|trixie) ;;
  *) echo "usage: $0 bullseye|bookworm|trixie" >&2; exit 2 ;;
esac
mirror=${POSTVET_ORACLE_MIRROR:-http://deb.debian.org/debian}
cache=${POSTVET_ORACLE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/postvet/oracles}
root=$cache/$suite
stamp=$root/.postvet-oracle-stamp

if [ -f "$stamp" ]; then
  echo "oracle root $suite: cached in $root ($(sed -n 's/^postfix=//p' "$stamp"))"
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "oracle root $suite: building needs root (debootstrap, chroot)" >&2
  exit 1
fi
if ! command -v debootstrap >/dev/null; then
  DEPS=debootstrap sh "$(dirname "$0")/install-deps.sh"
fi

# Refuses to delete a tree that has anything mounted inside it (a leftover
# /proc from a killed run): rm -rf would reach through the mount.
remove_tree() {
  [ -e "$1" ] || return 0
  if awk -v p="$1/" 'index($2 "/", p) == 1 { found = 1 } END { exit !found }' /proc/mounts; then
    echo "oracle root $suite: something is mounted under $1; unmount it first" >&2
    exit 1
  fi
  rm -rf "$1"
}

new=$root.new
mkdir -p "$cache"
remove_tree "$new"
proc_mounted=0
cleanup() {
  if [ "$proc_mounted" = 1 ]; then umount "$new/proc" 2>/dev/null || umount -l "$new/proc" || true; fi
}
trap cleanup EXIT
trap 'exit 1' INT TERM

start=$(date +%s)
echo "oracle root $suite: debootstrap --variant=minbase into $new"
debootstrap --variant=minbase "$suite" "$new" "$mirror" >"$cache/$suite.debootstrap.log" 2>&1 || {
  echo "oracle root $suite: debootstrap failed; see $cache/$suite.debootstrap.log" >&2
  tail -5 "$cache/$suite.debootstrap.log" >&2
  exit 1
}

printf '#!/bin/sh\n# postvet oracle root: never start a service\nexit 101\n' >"$new/usr/sbin/policy-rc.d"
chmod 755 "$new/usr/sbin/policy-rc.d"
mount -t proc proc "$new/proc" && proc_mounted=1
chroot "$new" /bin/sh -eu -c '
  export DEBIAN_FRONTEND=noninteractive LC_ALL=C
  echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends postfix postfix-pcre >/dev/null
  apt-get clean
' >>"$cache/$suite.debootstrap.log" 2>&1 || {
  echo "oracle root $suite: installing postfix failed; see $cache/$suite.debootstrap.log" >&2
  tail -5 "$cache/$suite.debootstrap.log" >&2
  exit 1
}
umount "$new/proc" && proc_mounted=0
rm -rf "$new/var/lib/apt/lists/"* "$new/var/cache/apt/"*.bin "$new/usr/share/doc" \
  "$new/usr/share/man" "$new/usr/share/info" "$new/usr/share/locale" "$new/var/log/"*.log

postfix=$(chroot "$new" /usr/sbin/postconf -h -d mail_version)
{
  echo "suite=$suite"
  echo "postfix=$postfix"
  echo "built=$(date -u +%Y-%m-%dT%H:%M:%SZ) in $(( $(date +%s) - start )) s"
  # shellcheck disable=SC2016  # dpkg-query's format, not shell
  chroot "$new" dpkg-query -W -f='package=${Package} ${Version}\n' postfix postfix-pcre libc6
} >"$new/.postvet-oracle-stamp"
remove_tree "$root"
mv "$new" "$root"
echo "oracle root $suite: Postfix $postfix in $root ($(du -sm "$root" | cut -f1) MiB, $(( $(date +%s) - start )) s)"
