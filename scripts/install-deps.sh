#!/bin/sh
# Installs the Debian packages named in $DEPS that are not installed yet.
# As root it runs apt-get; otherwise it prints the command to run and fails.
# Postfix is installed without starting it (policy-rc.d), and non-interactively.
set -eu
missing=""
for pkg in $DEPS; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing="$missing $pkg"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "postvet: missing Debian packages:$missing" >&2
  echo "run: sudo apt-get install -y$missing" >&2
  exit 1
fi
echo "installing:$missing"
export DEBIAN_FRONTEND=noninteractive
# Never let package scripts start a mail server (or dnsmasq) on this machine.
policy=/usr/sbin/policy-rc.d
created_policy=0
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' > "$policy" && chmod 755 "$policy" && created_policy=1
fi
echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections 2>/dev/null || true
apt-get update -qq
apt-get install -y -qq --no-install-recommends $missing >/dev/null
[ "$created_policy" = 1 ] && rm -f "$policy"
exit 0
