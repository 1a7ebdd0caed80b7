#!/usr/bin/env python3
"""Seeded random main.cf generator for the postconf oracle test.

Each file mixes what makes main.cf reading tricky (format spec sections 1-3):
continuation lines starting with spaces or tabs, comment and blank lines
inside continuations, CRLF line ends, every `$` form (plain, braced,
parenthesised, ?/: with braced and legacy operands, relational with the
`level` suffix, nesting, `$$`), duplicate definitions with equal and
different values, unknown names (some referenced, some not), empty values,
`=` and `#` inside values, restriction classes and ldap: prefixes.
A few files get a line Postfix rejects, so rejection is compared too.

Usage: gen_main_cf.py SEED OUTFILE   (or import and call generate(rng)).
"""
import random
import sys

BUILTINS = [
    "myhostname", "mydomain", "myorigin", "smtpd_banner", "relay_domains",
    "mydestination", "alias_maps", "smtpd_recipient_restrictions",
    "smtpd_client_restrictions", "header_checks", "message_size_limit",
    "smtpd_timeout", "compatibility_level", "virtual_alias_maps",
    "smtpd_restriction_classes", "inet_protocols", "mynetworks",
    "default_process_limit", "mail_name", "delay_warning_time",
    "smtpd_tls_security_level", "smtp_tls_security_level", "stress",
    "transport_maps", "relayhost", "notify_classes", "bounce_queue_lifetime",
]
SERVICE_DERIVED = ["relay_destination_concurrency_limit", "maildrop_time_limit",
                   "uucp_destination_recipient_limit", "smtp_time_limit"]
USER = ["foo", "bar", "baz", "my_class", "other_class", "unused_thing", "x1",
        "MyHostname", "foo-bar.baz", "myldap_server_host", "myldap_bogus"]
RAW = ["mailbox_command", "smtpd_reject_footer", "luser_relay"]
WORDS = ["a", "b", "host.example", "permit", "reject", "hash:/etc/postfix/x",
         "10", "010", "3.6", "yes", "no", "ldap:myldap", "{a, b}", "x=y", "#c",
         "\"q\"", "1h"]
REFERABLE = BUILTINS + [u for u in USER if u != "foo-bar.baz"] + ["mail_version", "config_directory", "process_name",
                               "nosuch_param", "default_destination_concurrency_limit",
                               "mydomain_x"]


def macro(rng, depth=0):
    name = rng.choice(REFERABLE)
    word = rng.choice(WORDS).replace("$", "$$")
    inner = macro(rng, depth + 1) if depth < 2 and rng.random() < 0.3 else word
    forms = [
        lambda: "$" + name,
        lambda: "${" + name + "}",
        lambda: "$(" + name + ")",
        lambda: "$$" + name,
        lambda: "${" + name + "?" + inner + "}",
        lambda: "${" + name + ":" + inner + "}",
        lambda: "${" + name + "?{" + inner + "}:{" + word + "}}",
        lambda: "${ " + name + " ? {" + inner + "} : {" + word + "} }",
        lambda: "${{$" + name + "} == {" + word + "} ? {eq} : {ne}}",
        lambda: "${{" + word + "} != {010}}",
        lambda: "${{$compatibility_level} <level {3.6} ? {old} : {" + inner + "}}",
        lambda: "${" + name + "?" + word + ":" + word + "}",
        lambda: "$" + name + ".x",
        lambda: "$" + name + "-y",
    ]
    return rng.choice(forms)()


def value(rng):
    parts = []
    for _ in range(rng.randint(0, 4)):
        if rng.random() < 0.45:
            parts.append(macro(rng))
        else:
            parts.append(rng.choice(WORDS).replace("$", "$$"))
    sep = rng.choice([" ", ", ", "  ", "\t", ","])
    return sep.join(parts)


def continued(rng, text, eol):
    """Split text into continuation lines, maybe with comments between."""
    words = text.split(" ")
    if len(words) < 2 or rng.random() < 0.5:
        return text
    cut = rng.randint(1, len(words) - 1)
    first, rest = " ".join(words[:cut]), " ".join(words[cut:])
    glue = eol
    if rng.random() < 0.3:
        glue += rng.choice(["# comment inside" + eol, "  # indented comment" + eol, eol, " \t" + eol])
    return first + glue + rng.choice([" ", "\t", "  ", " \t"]) + rest


def generate(rng):
    eol = "\r\n" if rng.random() < 0.15 else "\n"
    lines = []
    if rng.random() < 0.2:
        lines.append("# generated" + eol)
    # Pin the host-dependent names sometimes, leave them to Postfix otherwise.
    if rng.random() < 0.5:
        lines.append("myhostname = mail.example.org" + eol)
    defined = []
    for _ in range(rng.randint(3, 14)):
        r = rng.random()
        if r < 0.55:
            name = rng.choice(BUILTINS)
        elif r < 0.65:
            name = rng.choice(SERVICE_DERIVED)
        elif r < 0.72:
            name = rng.choice(RAW)
        else:
            name = rng.choice(USER)
        if name == "smtpd_restriction_classes":
            v = rng.choice(["my_class", "my_class, other_class", "$foo my_class", ""])
        elif name == "compatibility_level":
            v = rng.choice(["2", "3.6", "0", "${{1} == {1} ? {3.6} : {2}}"])
        elif name == "inet_protocols":
            v = rng.choice(["all", "ipv4", "ipv4, ipv6", "all", "yes" if rng.random() < 0.1 else "all"])
        elif name in ("mynetworks", "stress"):
            v = rng.choice(["127.0.0.0/8", "", "yes", "no", "$myhostname"])
        elif defined and rng.random() < 0.15:
            name, v = rng.choice(defined)  # duplicate, same value: no warning
        else:
            v = value(rng)
        defined.append((name, v))
        if rng.random() < 0.05:
            line = name + eol + " = " + v
        else:
            line = name + rng.choice([" = ", "=", " =\t", "  =  "]) + v
        if rng.random() < 0.1:
            line += rng.choice([" ", "\t", " \t "])
        lines.append(continued(rng, line, eol) + eol)
        if rng.random() < 0.15:
            lines.append(rng.choice(["", "# note", "   ", "\t# tab comment"]) + eol)
    bad = rng.random()
    if bad < 0.03:
        lines.insert(rng.randint(0, len(lines)), "myhostname example.com" + eol)
    elif bad < 0.05:
        lines.insert(rng.randint(0, len(lines)), "= value" + eol)
    elif bad < 0.08:
        lines.insert(0, "  indented = first" + eol)
    elif bad < 0.10:
        lines.append("smtpd_banner = cost 5$" + eol)
    text = "".join(lines)
    if rng.random() < 0.1 and text.endswith(eol):
        text = text[: -len(eol)]  # no final newline
    return text.encode("utf-8")


def main():
    seed, out = int(sys.argv[1]), sys.argv[2]
    with open(out, "wb") as fh:
        fh.write(generate(random.Random(seed)))


if __name__ == "__main__":
    main()
