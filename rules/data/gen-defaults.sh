#!/bin/sh
# Generates rules/data/postfix-3.7-defaults.tsv from the installed Postfix
# (`postconf -d`). Run it on a host with Postfix 3.7 installed:
#
#   sh rules/data/gen-defaults.sh > rules/data/postfix-3.7-defaults.tsv
#
# Columns (tab-separated, header row first):
#   name     parameter name
#   default  the default text exactly as `postconf -d` prints it (unexpanded;
#            postconf -d collapses whitespace runs, defaults have none that
#            matter)
#   class    builtin | raw | readonly | legacy | host
#
# How the awkward entries are handled:
# * Service-derived names (<service>_destination_concurrency_limit, ...,
#   <service>_time_limit) depend on master.cf. The scratch directory used here
#   has an EMPTY master.cf, so none are baked in; postvet derives them from the
#   master.cf that sits beside the main.cf it reads (as postconf does).
# * raw: parameters postconf never $-expands (raw_table.h). Detected by giving
#   every built-in the value $zzprobe_NAME: postconf's scan reports
#   "undefined parameter" for every non-raw one, so the silent ones are raw.
# * readonly: postconf answers "read-only parameter assignment" for them
#   (process_name, process_id, service_name). Their default is what postconf
#   itself has (process_name = postconf, service_name empty); process_id is the
#   pid of the running program, written here as an empty placeholder.
# * legacy: names postconf accepts for backwards compatibility but does not
#   list with -d (postconf_builtin.c pcf_legacy_str_table). -d does not print
#   them, so they are listed here by hand and checked with `postconf -d NAME`.
# * host: defaults that postconf computes from the machine: myhostname
#   (gethostname(), plus ".$mydomain" or ".localdomain" when it has no dot),
#   mydomain (myhostname after its first dot) and mynetworks (the local
#   interface networks). The value recorded is the generating host's and is
#   only informative: postvet computes these at run time the same way.
set -eu

dir=$(mktemp -d "${TMPDIR:-/tmp}/gen-defaults.XXXXXX")
trap 'rm -rf "$dir"' EXIT
: > "$dir/main.cf"
: > "$dir/master.cf"
# Postfix re-reads files modified within the last second; backdate them.
touch -d '1 hour ago' "$dir/main.cf" "$dir/master.cf"

postconf -c "$dir" -d > "$dir/defaults.txt"

# Probe raw and read-only parameters.
awk -F' = ' '{ printf "%s = $zzprobe_%s\n", $1, $1 }' "$dir/defaults.txt" > "$dir/main.cf"
touch -d '1 hour ago' "$dir/main.cf"
postconf -c "$dir" -n > /dev/null 2> "$dir/probe.err" || true
sed -n 's/.*: undefined parameter: zzprobe_//p' "$dir/probe.err" | sort -u > "$dir/nonraw.txt"
sed -n 's/.*: read-only parameter assignment: \([^=]*\)=.*/\1/p' "$dir/probe.err" | sort -u > "$dir/readonly.txt"

legacy="virtual_maps fallback_relay authorized_verp_clients
smtpd_client_connection_limit_exceptions postscreen_dnsbl_ttl
postscreen_blacklist_action postscreen_dnsbl_whitelist_threshold
postscreen_whitelist_interfaces lmtp_per_record_deadline
smtp_per_record_deadline smtpd_per_record_deadline tlsproxy_client_level
tlsproxy_client_policy"
for name in $legacy; do
  if ! out=$(postconf -c "$dir" -d "$name" 2>&1) || [ "$out" != "$name =" ]; then
    echo "gen-defaults.sh: legacy parameter $name: unexpected: $out" >&2
    exit 1
  fi
done

printf 'name\tdefault\tclass\n'
{
  awk -v nonraw="$dir/nonraw.txt" -v ro="$dir/readonly.txt" '
    BEGIN {
      while ((getline n < nonraw) > 0) isnonraw[n] = 1
      while ((getline n < ro) > 0) isro[n] = 1
      host["myhostname"] = host["mydomain"] = host["mynetworks"] = 1
    }
    {
      i = index($0, " =")
      name = substr($0, 1, i - 1)
      value = substr($0, i + 2)
      sub(/^ /, "", value)
      class = "builtin"
      if (name in isro) class = "readonly"
      else if (name in host) class = "host"
      else if (!(name in isnonraw)) class = "raw"
      if (name == "process_id") value = ""
      printf "%s\t%s\t%s\n", name, value, class
    }' "$dir/defaults.txt"
  for name in $legacy; do printf '%s\t\tlegacy\n' "$name"; done
} | LC_ALL=C sort
