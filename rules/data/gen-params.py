#!/usr/bin/env python3
"""Regenerate rules/data/postfix-params.tsv: what each Postfix parameter is.

Usage:  gen-params.py --repo GITDIR [--out rules/data/postfix-params.tsv]

GITDIR is a git directory of Wietse Venema's Postfix history (github
vdukhovni/postfix, with its release tags). Nothing from that tree is copied
into postvet: this script only reads facts out of it (parameter names, the
kind of conversion table a daemon declares each parameter in, the min/max
bounds, and in which release a name first/last appears).

How the facts are found, release by release (the latest patch of each
major.minor series, so stable backports count for their series):
  * Postfix daemons declare the parameters they read in CONFIG_<KIND>_TABLE
    arrays (KIND = INT, LONG, BOOL, TIME, STR, RAW, NINT, NBOOL, STR_FN ...);
    postconf(1) builds its list of known names by scanning exactly those
    arrays (src/postconf/extract.awk). We do the same scan, resolve the
    VAR_x / DEF_x macros and the numeric bounds.
  * postconf also knows install-time names (postconf/install_table.h), a
    few ad-hoc names (process_name, service_name, process_id) and, since
    3.x, a table of legacy names it still accepts.
  * The installed Postfix (3.7) gives the 3.7 defaults (`postconf -d`), the
    default unit of time parameters (`postconf -dx`). (The "available in
    Postfix X.Y" sentences of postconf(5) were checked too, but they often
    date a later feature of a parameter, so the release scan wins.)
The refinements the daemons do not declare (list, maps, enum, size) and the
renames come from the curated tables at the end of this file.
"""

import argparse
import io
import os
import re
import subprocess
import sys
import tarfile
import tempfile

# Release series we describe, oldest first; "1.0" is the 20010228 release.
SERIES = ["1.0", "1.1"] + ["2.%d" % i for i in range(12)] + \
         ["3.%d" % i for i in range(11)]

TABLE_KINDS = {
    "INT": "int", "INT_FN": "int", "LONG": "long", "LONG_FN": "long",
    "BOOL": "bool", "BOOL_FN": "bool", "TIME": "time", "STR": "string",
    "STR_FN": "string", "RAW": "raw", "RAW_FN": "raw", "NINT": "nint",
    "NINT_FN": "nint", "NBOOL": "nbool", "NBOOL_FN": "nbool",
}


def git(repo, *args):
    return subprocess.run(["git", "--git-dir", repo] + list(args), check=True,
                          capture_output=True).stdout


def latest_tag(repo, series):
    tags = git(repo, "tag").decode().split()
    if series == "1.0":
        return "v20010228-pl08"
    pat = re.compile(r"^v%s\.(\d+)$" % re.escape(series))
    found = sorted((int(m.group(1)), t) for t in tags
                   for m in [pat.match(t)] if m)
    return found[-1][1]


def patch_tags(repo, series):
    tags = git(repo, "tag").decode().split()
    pat = re.compile(r"^v%s\.(\d+)$" % re.escape(series))
    return [t for _, t in sorted((int(m.group(1)), t) for t in tags
                                 for m in [pat.match(t)] if m)]


def read_sources(repo, tag):
    """Return {path: text} of every .c/.h file under postfix/src at tag."""
    data = git(repo, "archive", "--format=tar", tag, "postfix/src")
    files = {}
    with tarfile.open(fileobj=io.BytesIO(data)) as tar:
        for member in tar.getmembers():
            if member.isfile() and member.name.endswith((".c", ".h")):
                files[member.name] = tar.extractfile(member).read().decode(
                    "latin-1")
    return files


COMMENT_RE = re.compile(r"/\*.*?\*/", re.S)
DEFINE_RE = re.compile(r"^[ \t]*#[ \t]*define[ \t]+(\w+)[ \t]+(.*?)[ \t]*$",
                       re.M)


def collect_defines(files):
    defines = {}
    for text in files.values():
        text = COMMENT_RE.sub(" ", text.replace("\\\n", " "))
        for name, value in DEFINE_RE.findall(text):
            defines.setdefault(name, value.strip())
    return defines


def resolve_string(expr, defines, depth=0):
    """Concatenate string literals in expr, expanding macros; None if not."""
    if depth > 20:
        return None
    out = []
    pos = 0
    expr = expr.strip()
    token_re = re.compile(r'\s*("(?:[^"\\]|\\.)*"|\w+|\(|\))')
    while pos < len(expr):
        m = token_re.match(expr, pos)
        if not m:
            return None
        tok = m.group(1)
        pos = m.end()
        if tok.startswith('"'):
            out.append(bytes(tok[1:-1], "latin-1").decode("unicode_escape"))
        elif tok in ("(", ")"):
            continue
        elif tok in defines:
            sub = resolve_string(defines[tok], defines, depth + 1)
            if sub is None:
                return None
            out.append(sub)
        else:
            return None
    return "".join(out)


def resolve_int(expr, defines, depth=0):
    """Evaluate a small C integer expression with macros; None if unable."""
    if depth > 20:
        return None
    expr = re.sub(r"\((int|long|unsigned|ssize_t|size_t|off_t)\)", "", expr)
    expr = re.sub(r"(\d+)[lLuU]+\b", r"\1", expr)

    def sub(m):
        name = m.group(0)
        if name == "INT_MAX":
            return str(2**31 - 1)
        if name == "LONG_MAX":
            return str(2**63 - 1)
        if name in defines:
            val = resolve_int(defines[name], defines, depth + 1)
            if val is not None:
                return "(%d)" % val
        raise ValueError(name)

    try:
        text = re.sub(r"[A-Za-z_]\w*", sub, expr)
    except ValueError:
        return None
    if not re.fullmatch(r"[\d\s()+\-*/<>%]*", text) or not text.strip():
        return None
    try:
        return int(eval(text.replace("/", "//")))  # digits and operators only
    except Exception:  # noqa: BLE001 - any failure means "not a constant"
        return None


TABLE_RE = re.compile(
    r"CONFIG_(\w+?)_TABLE\s+\w+\s*\[\s*\]\s*=\s*\{(.*?)\n\s*\}\s*;", re.S)


def split_row(line):
    line = line.strip().strip("{},")
    parts, depth, cur = [], 0, ""
    for ch in line:
        if ch in "({":
            depth += 1
        elif ch in ")}":
            depth -= 1
        if ch == "," and depth == 0:
            parts.append(cur.strip())
            cur = ""
        else:
            cur += ch
    if cur.strip():
        parts.append(cur.strip())
    return parts


def extract(files, defines):
    """name -> dict(type, min, max, default, files) for one release."""
    params = {}

    def add(name, kind, default, lo, hi, path):
        entry = params.setdefault(name, {"types": set(), "mins": [],
                                         "maxs": [], "default": default,
                                         "files": set()})
        entry["types"].add(kind)
        if lo is not None:
            entry["mins"].append(lo)
        if hi is not None:
            entry["maxs"].append(hi)
        entry["files"].add(path.split("/")[2])

    for path, text in files.items():
        if not path.endswith(".c") or "/postconf/" in path:
            continue
        text = COMMENT_RE.sub(" ", text)
        for kind, body in TABLE_RE.findall(text):
            if kind not in TABLE_KINDS:
                continue
            rows = []
            for line in body.split("\n"):
                stripped = line.strip().lstrip("{").strip()
                if stripped.startswith("VAR_"):
                    rows.append(line)
                elif rows and stripped and not stripped.startswith(
                        ("#", "0", "}")) and not rows[-1].rstrip().endswith(
                            ("},", "}")) and len(split_row(rows[-1])) < 3:
                    rows[-1] += " " + stripped  # a row split over lines
            for row in rows:
                parts = split_row(row)
                if len(parts) < 2:
                    continue
                name = resolve_string(parts[0], defines)
                if not name:
                    continue
                ptype = TABLE_KINDS[kind]
                if kind.endswith("_FN"):
                    default = None
                elif ptype in ("int", "long"):
                    default = resolve_int(parts[1], defines)
                else:
                    default = resolve_string(parts[1], defines)
                lo = hi = None
                if len(parts) >= 5 and ptype not in ("bool", "nbool"):
                    lo = resolve_int(parts[3], defines)
                    hi = resolve_int(parts[4], defines)
                add(name, ptype, default, lo, hi, path)

    # postconf's own additions: install-time names, ad-hoc names, legacy names.
    for path, text in files.items():
        if path.endswith("postconf/install_table.h"):
            for line in text.split("\n"):
                parts = split_row(line)
                if parts and parts[0].startswith("VAR_"):
                    name = resolve_string(parts[0], defines)
                    if name:
                        add(name, "string", resolve_string(parts[1], defines),
                            None, None, path)
    for var, ptype in (("VAR_PROCNAME", "string"), ("VAR_SERVNAME", "string"),
                       ("VAR_PID", "int")):
        name = resolve_string(var, defines) if var in defines else None
        if name:
            add(name, ptype, None, None, None, "postfix/src/postconf/x")
    legacy = set()
    for path, text in files.items():
        if "/postconf/" in path and path.endswith(".c"):
            m = re.search(r"pcf_legacy_str_table\[\]\s*=\s*\{(.*?)\};", text,
                          re.S)
            if m:
                legacy.update(re.findall(r'\{\s*"(\w+)"', m.group(1)))
    return params, legacy


def postconf_defaults():
    with tempfile.TemporaryDirectory() as d:
        for f in ("main.cf", "master.cf"):
            open(os.path.join(d, f), "w").close()
            os.utime(os.path.join(d, f), (0, 1))
        raw = subprocess.run(["postconf", "-c", d, "-d"], check=True,
                             capture_output=True, text=True).stdout
        exp = subprocess.run(["postconf", "-c", d, "-dx"], check=True,
                             capture_output=True, text=True).stdout

    def parse(out):
        res = {}
        for line in out.split("\n"):
            if " =" in line:
                name, _, val = line.partition(" =")
                res[name] = val.strip()
        return res

    return parse(raw), parse(exp)


def vkey(v):
    return tuple(int(x) for x in v.split("."))


# ----- curated knowledge that the conversion tables do not carry -----

# Pure renames: old name -> (new name, series of the rename). The value
# keeps its meaning under the new name (the new parameter's default refers
# to the old one where Postfix keeps backwards compatibility), so renaming
# the line in main.cf is a safe fix.
RENAMES = {
    "virtual_maps": ("virtual_alias_maps", "2.0"),
    "authorized_verp_clients": ("smtpd_authorized_verp_clients", "2.1"),
    "smtpd_client_connection_limit_exceptions":
        ("smtpd_client_event_limit_exceptions", "2.2"),
    "fallback_relay": ("smtp_fallback_relay", "2.3"),
    "connection_cache_service": ("connection_cache_service_name", "2.3"),
    "smtpd_sasl_application_name": ("smtpd_sasl_path", "2.3"),
    "postscreen_dnsbl_ttl": ("postscreen_dnsbl_max_ttl", "3.1"),
    "postscreen_blacklist_action": ("postscreen_denylist_action", "3.6"),
    "postscreen_dnsbl_whitelist_threshold":
        ("postscreen_dnsbl_allowlist_threshold", "3.6"),
    "postscreen_whitelist_interfaces": ("postscreen_allowlist_interfaces",
                                        "3.6"),
    "smtpd_per_record_deadline": ("smtpd_per_request_deadline", "3.7"),
    "smtp_per_record_deadline": ("smtp_per_request_deadline", "3.7"),
    "lmtp_per_record_deadline": ("lmtp_per_request_deadline", "3.7"),
    "tlsproxy_client_level": ("tlsproxy_client_security_level", "3.7"),
    "tlsproxy_client_policy": ("tlsproxy_client_policy_maps", "3.7"),
}

# Parameters that still work (or worked) but are superseded by something
# that is not a plain rename: name -> (deprecated in, replacement, note).
# Sources: DEPRECATION_README and postconf_unused.c (3.9+), RELEASE_NOTES.
DEPRECATIONS = {
    "disable_dns_lookups": ("2.11", "smtp_dns_support_level",
                            "postconf warns from 3.9"),
    "smtpd_use_tls": ("2.3", "smtpd_tls_security_level",
                      "yes = may; postconf warns from 3.9"),
    "smtpd_enforce_tls": ("2.3", "smtpd_tls_security_level",
                          "yes = encrypt; postconf warns from 3.9"),
    "smtp_use_tls": ("2.3", "smtp_tls_security_level",
                     "yes = may; postconf warns from 3.9"),
    "smtp_enforce_tls": ("2.3", "smtp_tls_security_level",
                         "yes = encrypt; postconf warns from 3.9"),
    "lmtp_use_tls": ("2.3", "lmtp_tls_security_level",
                     "yes = may; postconf warns from 3.9"),
    "lmtp_enforce_tls": ("2.3", "lmtp_tls_security_level",
                         "yes = encrypt; postconf warns from 3.9"),
    "postscreen_use_tls": ("2.8", "postscreen_tls_security_level",
                           "postconf warns from 3.9"),
    "postscreen_enforce_tls": ("2.8", "postscreen_tls_security_level",
                               "postconf warns from 3.9"),
    "tlsproxy_use_tls": ("2.8", "tlsproxy_tls_security_level",
                         "postconf warns from 3.9"),
    "tlsproxy_enforce_tls": ("2.8", "tlsproxy_tls_security_level",
                             "postconf warns from 3.9"),
    "tlsproxy_client_use_tls": ("3.7", "tlsproxy_client_security_level",
                                "postconf warns from 3.9"),
    "tlsproxy_client_enforce_tls": ("3.7", "tlsproxy_client_security_level",
                                    "postconf warns from 3.9"),
    "smtp_tls_per_site": ("2.3", "smtp_tls_policy_maps",
                          "table format differs; postconf warns from 3.9"),
    "lmtp_tls_per_site": ("2.3", "lmtp_tls_policy_maps",
                          "table format differs; postconf warns from 3.9"),
    "tlsproxy_client_per_site": ("3.7", "tlsproxy_client_policy_maps",
                                 "table format differs; postconf warns "
                                 "from 3.9"),
    "smtpd_tls_dh1024_param_file": ("3.9", "-",
                                    "leave at the default"),
    "smtpd_tls_eecdh_grade": ("3.9", "-", "leave at the default"),
    "smtp_tls_cipherlist": ("2.3", "smtp_tls_mandatory_ciphers",
                            "cipher grade instead of an OpenSSL list"),
    "smtpd_tls_cipherlist": ("2.3", "smtpd_tls_mandatory_ciphers",
                             "cipher grade instead of an OpenSSL list"),
    "tls_eecdh_strong_curve": ("3.6", "tls_eecdh_auto_curves",
                               "ignored from 3.6"),
    "tls_eecdh_ultra_curve": ("3.6", "tls_eecdh_auto_curves",
                              "ignored from 3.6"),
    "maps_rbl_domains": ("2.1", "reject_rbl_client",
                         "only used by reject_maps_rbl"),
    "lmtp_assume_final": ("3.5", "-",
                          "specify flags=X on the lmtp service "
                          "in master.cf instead"),
    "sun_mailtool_compatibility": ("1.0", "mailbox_delivery_lock",
                                   "use mailbox_delivery_lock = dotlock"),
    "lmtp_cache_connection": ("2.3", "lmtp_connection_cache_destinations",
                              "-"),
    "smtp_skip_4xx_greeting": ("2.1", "-", "always on since 2.1"),
}

# Restriction names (smtpd_*_restrictions): name -> (deprecated, removed,
# replacement, fix, note). fix "rename" means the new name is an alias with
# the same behaviour. Sources: DEPRECATION_README, smtpd_check.c.
RESTRICTIONS = {
    "reject_maps_rbl": ("2.1", "3.9", "reject_rbl_client domain-name",
                        "none", "queried every maps_rbl_domains zone; "
                        "3.9+ answers every use with a server error"),
    "check_relay_domains": ("2.2", "3.9",
                            "permit_mynetworks, reject_unauth_destination",
                            "none", "3.9+ answers every use with a server "
                            "error"),
    "permit_naked_ip_address": ("2.0", "3.9",
                                "permit_mynetworks, "
                                "permit_sasl_authenticated", "none",
                                "3.9+ answers every use with a server "
                                "error"),
    "permit_mx_backup": ("3.9", "-", "relay_domains", "none",
                         "smtpd warns from 3.9"),
    "reject_unknown_hostname": ("2.3", "-", "reject_unknown_helo_hostname",
                                "rename", "old name still accepted"),
    "reject_non_fqdn_hostname": ("2.3", "-", "reject_non_fqdn_helo_hostname",
                                 "rename", "old name still accepted"),
    "reject_invalid_hostname": ("2.3", "-", "reject_invalid_helo_hostname",
                                "rename", "old name still accepted"),
    # postconf(5): "This feature is called reject_unknown_client before
    # Postfix version 2.3" (of reject_unknown_client_hostname, which also
    # checks the forward lookup; the reverse-only check is a different one).
    "reject_unknown_client": ("2.3", "-",
                              "reject_unknown_client_hostname",
                              "rename", "old name still accepted"),
}

# Enumerations the daemons check by name: values separated by "|" (an
# empty field means the empty value is accepted). "mask:" means a list of
# any of the words, separated by comma or white space (name_mask()), matched
# case-sensitively; the others are matched as one word without case
# (name_code()). "level" is compatibility_level's major[.minor[.patch]].
ENUMS = {
    "inet_protocols": "mask:ipv4|ipv6|all",
    "mynetworks_style": "host|subnet|class",
    "notify_classes":
        "mask:bounce|2bounce|data|delay|policy|protocol|resource|software",
    # smtpd accepts fingerprint/verify/secure with a warning ("using
    # encrypt"); dane and dane-only are fatal there.
    "smtpd_tls_security_level": "|none|may|encrypt|fingerprint|verify|secure",
    "postscreen_tls_security_level":
        "|none|may|encrypt|fingerprint|verify|secure",
    "tlsproxy_tls_security_level":
        "|none|may|encrypt|fingerprint|verify|secure",
    "smtp_tls_security_level":
        "|none|may|encrypt|dane|dane-only|fingerprint|verify|secure",
    "lmtp_tls_security_level":
        "|none|may|encrypt|dane|dane-only|fingerprint|verify|secure",
    "tlsproxy_client_security_level":
        "|none|may|encrypt|dane|dane-only|fingerprint|verify|secure",
    "smtpd_tls_ciphers": "export|low|medium|high|null",
    "smtpd_tls_mandatory_ciphers": "export|low|medium|high|null",
    "smtp_tls_ciphers": "export|low|medium|high|null",
    "smtp_tls_mandatory_ciphers": "export|low|medium|high|null",
    "lmtp_tls_ciphers": "export|low|medium|high|null",
    "lmtp_tls_mandatory_ciphers": "export|low|medium|high|null",
    "tlsproxy_tls_ciphers": "export|low|medium|high|null",
    "tlsproxy_tls_mandatory_ciphers": "export|low|medium|high|null",
    "tlsproxy_client_ciphers": "export|low|medium|high|null",
    "tlsproxy_client_mandatory_ciphers": "export|low|medium|high|null",
    "smtpd_tls_eecdh_grade": "none|strong|ultra|auto",
    "tlsproxy_tls_eecdh_grade": "none|strong|ultra|auto",
    "smtp_address_preference": "any|ipv4|ipv6",
    "lmtp_address_preference": "any|ipv4|ipv6",
    "smtp_dns_support_level": "|disabled|enabled|dnssec",
    "lmtp_dns_support_level": "|disabled|enabled|dnssec",
    "postscreen_dnsbl_action": "ignore|enforce|drop",
    "postscreen_greet_action": "ignore|enforce|drop",
    "postscreen_denylist_action": "ignore|enforce|drop",
    "postscreen_blacklist_action": "ignore|enforce|drop",
    "postscreen_bare_newline_action": "ignore|enforce|drop",
    "postscreen_non_smtp_command_action": "ignore|enforce|drop",
    "postscreen_pipelining_action": "ignore|enforce|drop",
    "header_from_format": "standard|obsolete",
    "info_log_address_format": "external|internal",
    "smtpd_forbid_bare_newline": "yes|no|normalize|reject",
}
LEVEL_PARAMS = {"compatibility_level"}

# Parameters whose default depended on ${stress} in some release although
# the 3.7 default text does not mention it (spec 8.2).
STRESS_EXTRA = {"smtpd_per_record_deadline"}

MAPS_SUFFIXES = ("_maps", "_checks", "_per_site", "_map")

# Lists the source scan cannot see (split by hand-written loops, or read
# only through another parameter's default).
LIST_EXTRA = {
    "postscreen_dnsbl_sites", "postscreen_access_list", "smtpd_milters",
    "non_smtpd_milters", "smtpd_restriction_classes", "authorized_flush_users",
    "authorized_mailq_users", "authorized_submit_users", "inet_interfaces",
    "proxy_interfaces", "defer_transports", "masquerade_domains",
    "masquerade_classes", "canonical_classes", "sender_canonical_classes",
    "recipient_canonical_classes", "hash_queue_names",
    "export_environment", "import_environment", "allow_mail_to_commands",
    "allow_mail_to_files", "smtpd_discard_ehlo_keywords",
    "smtp_discard_ehlo_keywords", "lmtp_discard_lhlo_keywords",
    "postscreen_discard_ehlo_keywords", "propagate_unmatched_extensions",
    "internal_mail_filter_classes", "smtpd_sasl_security_options",
    "smtp_sasl_security_options", "lmtp_sasl_security_options",
    "milter_connect_macros", "milter_helo_macros", "milter_mail_macros",
    "milter_rcpt_macros", "milter_data_macros", "milter_end_of_data_macros",
    "milter_end_of_header_macros", "milter_unknown_command_macros",
    "smtp_connection_cache_destinations", "lmtp_connection_cache_destinations",
    "smtputf8_autodetect_classes",
    "smtpd_client_connection_limit_exceptions", "authorized_verp_clients",
    "postscreen_whitelist_interfaces",
}


def classify_string(name, maps_names, list_names):
    if name in LEVEL_PARAMS:
        return "level"
    if name in ENUMS:
        return "enum"
    if name in maps_names or name.endswith(MAPS_SUFFIXES) or \
            name == "alias_database":
        return "maps"
    if name.endswith("_restrictions") or name in list_names or \
            name in LIST_EXTRA:
        return "list"
    return "string"


def scan_usage(files, defines, var_to_name):
    """Names opened as lookup tables or split as lists (3.7 sources)."""
    maps, lists = set(), set()
    maps_re = re.compile(
        r"\b(?:maps_create|mail_addr_map_create|hbc_header_checks_create|"
        r"hbc_body_checks_create)\s*\(\s*(VAR_\w+)")
    list_re = re.compile(
        r"\b(?:string_list_init|namadr_list_init|domain_list_init|"
        r"addr_match_list_init|match_list_init|server_acl_parse|"
        r"smtpd_check_parse)\s*\([^;]*?\b(var_\w+)")
    for text in files.values():
        for m in maps_re.finditer(text):
            name = resolve_string(m.group(1), defines)
            if name:
                maps.add(name)
        for m in list_re.finditer(text):
            if m.group(1) in var_to_name:
                lists.add(var_to_name[m.group(1)])
    return maps, lists - maps


def referenced_names(params):
    """Names that appear as $name in string defaults (postconf: "used")."""
    refs = set()
    for entry in params.values():
        default = entry["default"]
        if isinstance(default, str):
            refs.update(re.findall(r"\$[{(]?(\w+)", default))
    return refs


_cache = {}


def extract_at(repo, tag):
    if tag not in _cache:
        files = read_sources(repo, tag)
        _cache[tag] = extract(files, collect_defines(files))[0]
    return _cache[tag]


def first_patch_release(repo, series, name):
    for tag in patch_tags(repo, series):
        if name in extract_at(repo, tag):
            return tag[1:]
    return None


def main():
    ap = argparse.ArgumentParser()
    here = os.path.dirname(os.path.abspath(__file__))
    ap.add_argument("--repo", required=True)
    ap.add_argument("--out", default=os.path.join(here, "postfix-params.tsv"))
    ap.add_argument("--obsolete-out",
                    default=os.path.join(here, "postfix-obsolete.tsv"))
    args = ap.parse_args()

    per_series, legacy_by_series, refs_by_series = {}, {}, {}
    src37 = defines37 = None
    for series in SERIES:
        tag = latest_tag(args.repo, series)
        files = read_sources(args.repo, tag)
        defines = collect_defines(files)
        params, legacy = extract(files, defines)
        per_series[series] = params
        legacy_by_series[series] = legacy
        refs_by_series[series] = referenced_names(params) - set(params)
        if series == "3.7":
            src37, defines37 = files, defines
        print("%s (%s): %d parameters, %d legacy" %
              (series, tag, len(params), len(legacy)), file=sys.stderr)

    defaults, expanded = postconf_defaults()

    var_to_name = {}
    for text in src37.values():
        for m in re.finditer(r"^\s*\{?\s*(VAR_\w+)\s*,[^,\n]*,\s*&(var_\w+)",
                             text, re.M):
            name = resolve_string(m.group(1), defines37)
            if name:
                var_to_name[m.group(2)] = name
    maps_names, list_names = scan_usage(src37, defines37, var_to_name)

    names = set(defaults)
    for series in SERIES:
        names |= set(per_series[series]) | legacy_by_series[series]
    names |= set(RENAMES) | set(DEPRECATIONS)

    rows = []
    for name in sorted(names):
        declared = [s for s in SERIES if name in per_series[s]]
        known = [s for s in SERIES if name in per_series[s]
                 or name in legacy_by_series[s] or name in refs_by_series[s]]
        notes = []
        # Type: the newest series at or before 3.7 that declares it, else
        # the oldest series after 3.7.
        ref = None
        for s in reversed(SERIES):
            if name in per_series[s] and vkey(s) <= (3, 7):
                ref = s
                break
        if ref is None and declared:
            ref = declared[0]
        lo = hi = None
        if ref:
            entry = per_series[ref][name]
            ptype = sorted(entry["types"])[0]
            if len(entry["types"]) > 1:
                notes.append("declared as %s in different daemons" %
                             "/".join(sorted(entry["types"])))
            mins = [v for v in entry["mins"] if v]
            maxs = [v for v in entry["maxs"] if v]
            lo = max(mins) if mins else None
            hi = min(maxs) if maxs else None
            if len(set(entry["mins"])) > 1 or len(set(entry["maxs"])) > 1:
                notes.append("bounds differ between daemons; the strictest "
                             "is listed")
            history = []
            for s in declared:
                t = sorted(per_series[s][name]["types"])[0]
                if not history or history[-1][1] != t:
                    history.append((s, t))
            if len(history) > 1:
                notes.append("type history: " + ", ".join(
                    "%s from %s" % (t, s) for s, t in history))
        else:
            ptype = "string"
            if name not in known:
                notes.append("not seen in any release table")
        if ptype == "string":
            ptype = classify_string(name, maps_names, list_names)
        if ptype == "long":
            ptype = "size"  # every long parameter is a byte count

        unit = "-"
        if ptype == "time":
            source = expanded.get(name)
            if source is None and ref:
                source = per_series[ref][name]["default"] or ""
            m = re.search(r"[A-Za-z]", source or "")
            unit = m.group(0) if m else "s"

        if known:
            since = known[0]
            if vkey(since) >= (2, 0):
                zero = extract_at(args.repo, "v%s.0" % since)
                if name not in zero and name in per_series[since]:
                    first = first_patch_release(args.repo, since, name)
                    if first:
                        notes.append("first in %s" % first)
            last = known[-1]
            removed = "-" if last == SERIES[-1] else \
                SERIES[SERIES.index(last) + 1]
            gaps = [s for s in SERIES[SERIES.index(known[0]):
                                      SERIES.index(last) + 1]
                    if s not in known]
            if gaps:
                notes.append("unknown to postconf in " + ",".join(gaps))
        else:
            since, removed = "-", "-"
        legacy_in = [s for s in SERIES if name in legacy_by_series[s]]
        if legacy_in:
            notes.append("postconf %s+ lists it as a legacy name" %
                         legacy_in[0])
        ref_only = [s for s in SERIES if name in refs_by_series[s]
                    and name not in per_series[s]
                    and name not in legacy_by_series[s]]
        if ref_only:
            notes.append("known only through another default in %s-%s" %
                         (ref_only[0], ref_only[-1]))

        deprecated, renamed = "-", "-"
        if name in RENAMES:
            renamed, deprecated = RENAMES[name]
        elif name in DEPRECATIONS:
            deprecated = DEPRECATIONS[name][0]

        stress = "-"
        if "stress" in defaults.get(name, "") and name != "stress":
            stress = "yes"
        elif name in STRESS_EXTRA:
            stress = "yes"
            notes.append("default depended on ${stress} in 2.9-3.6")

        def num(v):
            return "-" if v is None else str(v)

        enum = "level" if ptype == "level" else ENUMS.get(name, "-")
        rows.append([name, ptype, unit, num(lo), num(hi), enum, since,
                     removed, deprecated, renamed, stress,
                     "; ".join(notes) or "-"])

    with open(args.out, "w") as out:
        out.write("name\ttype\tunit\tmin\tmax\tenum\tsince\tremoved\t"
                  "deprecated\trenamed_to\tstress_default\tnotes\n")
        for row in rows:
            out.write("\t".join(row) + "\n")
    print("wrote %d rows to %s" % (len(rows), args.out), file=sys.stderr)

    by_name = {row[0]: row for row in rows}
    with open(args.obsolete_out, "w") as out:
        out.write("name\tkind\tdeprecated\tremoved\treplacement\tfix\tnotes\n")
        obsolete = []
        for name, (new, when) in RENAMES.items():
            obsolete.append([name, "parameter", when, by_name[name][7], new,
                             "rename", "renamed"])
        for name, (when, repl, note) in DEPRECATIONS.items():
            obsolete.append([name, "parameter", when, by_name[name][7], repl,
                             "none", note])
        for name, (when, gone, repl, fix, note) in RESTRICTIONS.items():
            obsolete.append([name, "restriction", when, gone, repl, fix,
                             note])
        for row in sorted(obsolete, key=lambda r: (r[1], r[0])):
            out.write("\t".join(row) + "\n")
    print("wrote %d rows to %s" % (len(obsolete), args.obsolete_out),
          file=sys.stderr)


if __name__ == "__main__":
    main()
