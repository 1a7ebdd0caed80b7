"""Curated knowledge for gen-params.py that the Postfix conversion tables do
not carry: renames, deprecations and obsolete restrictions (with the series
and the fix), enum values, and the names the source scan cannot classify
(level, stress-dependent defaults, lists split by hand-written loops).
classify_string() refines a "string" parameter to level, enum, maps or list.
"""

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
