"""A model of how smtpd and postscreen decide on a restriction list, for the
fix oracle (tests/safe_fix_oracle_test.py): it evaluates the lists Postfix
itself expanded (`postconf -x`) in many "worlds" (what each DNS list answers
for the client, what every other restriction decides) and reports the
outcome, including the reply rbl_reply_maps gives (asked through postmap).
Two lists behave the same when every world gives the same outcome.

Model (smtpd_check.c generic_checks(), postscreen_dnsbl.c):
  * restrictions run in order; the first that permits or rejects decides;
    restriction names compare without case, old names (ALIASES) as the new; warn_if_reject turns the next
    restriction's reject into a logged warning (no decision);
  * reject_rbl_client/reject_rhsbl_* (and the alias reject_rbl) hit when an
    answer of the zone passes the `=filter` (no filter: any answer); the
    reply is rbl_reply_maps' answer for the argument as written, else
    default_rbl_reply; permit_dnswl_client/permit_rhswl_client permit;
  * any other restriction (with its argument, for check_*_access and
    check_policy_service) is opaque: each world fixes what it decides;
  * postscreen_dnsbl_sites: the score is the sum of the weights of the
    sites with a matching answer.
Worlds follow the catalogue (rules/data/dnsbl.tsv): a zone answers codes its
filter column accepts; a member zone beside its combined zone answers what
the combined zone says about it; a shut-down zone answers nothing; error
answers (policy codes) never occur: that they must not reject mail is
PV205's premise, stated by that rule, not behaviour a fix has to keep.
"""
import os
import random
import re
import subprocess

import oracle_lib

DNSBL = {"reject_rbl_client": "ip", "reject_rbl": "ip", "permit_dnswl_client": "ip",
         "reject_rhsbl_client": "client", "reject_rhsbl_reverse_client": "reverse", "reject_rhsbl_helo": "helo",
         "reject_rhsbl_sender": "sender", "reject_rhsbl_recipient": "recipient", "permit_rhswl_client": "client"}
PERMITS = {"permit_dnswl_client", "permit_rhswl_client"}
# Old names smtpd still accepts for the same restriction (postconf(5): "with
# Postfix < 2.3 ..."; smtpd_check.c tests both names in one branch).
ALIASES = {"reject_unknown_client": "reject_unknown_client_hostname",
           "reject_unknown_hostname": "reject_unknown_helo_hostname",
           "reject_non_fqdn_hostname": "reject_non_fqdn_helo_hostname",
           "reject_invalid_hostname": "reject_invalid_helo_hostname",
           "reject_rbl": "reject_rbl_client"}
SMTPD_LISTS = ["smtpd_client_restrictions", "smtpd_helo_restrictions", "smtpd_sender_restrictions",
               "smtpd_relay_restrictions", "smtpd_recipient_restrictions", "smtpd_data_restrictions",
               "smtpd_end_of_data_restrictions", "smtpd_etrn_restrictions"]


def split_list(value):
    """mystrtokq(value, ", \\t\\r\\n", "{}")."""
    words, i, n = [], 0, len(value)
    while i < n:
        while i < n and value[i] in ", \t\r\n":
            i += 1
        if i >= n:
            break
        start, level = i, 0
        while i < n and (level > 0 or value[i] not in ", \t\r\n"):
            level += 1 if value[i] == "{" else (-1 if value[i] == "}" and level > 0 else 0)
            i += 1
        words.append(value[start:i])
    return words


def takes_argument(low):
    return low in DNSBL or (low.startswith("check_") and (
        low.endswith("_access") or low in ("check_policy_service", "check_address_map")))


def restrictions(words):
    """[(warn, name lowercased, argument or None)] as smtpd reads the list."""
    out, i = [], 0
    while i < len(words):
        warn = False
        while i < len(words) and words[i].lower() == "warn_if_reject":
            warn, i = True, i + 1
        if i >= len(words):
            break
        low = ALIASES.get(words[i].lower(), words[i].lower())
        if takes_argument(low):
            out.append((warn, low, words[i + 1] if i + 1 < len(words) else None))
            i += 2
        else:
            out.append((warn, low, None))
            i += 1
    return out


def zone_of(arg):
    return arg.split("*", 1)[0].split("=", 1)[0].lower().rstrip(".")


def parse_octets(text):
    """A reply filter or code set ("127.0.0.[2..11]") as four sets of octets."""
    parts = re.findall(r"\[[^\]]*\]|[^.]+", text)
    if len(parts) != 4:
        return None
    out = []
    for p in parts:
        values = set()
        for item in p.strip("[]").split(";"):
            lo, _, hi = item.partition("..")
            if not lo.isdigit() or (hi and not hi.isdigit()):
                return None
            values.update(range(int(lo), int(hi or lo) + 1))
        out.append(values)
    return out


def matches(octets, address):
    return octets is None or all(int(v) in s for v, s in zip(address.split("."), octets))


def addresses(octets, cap=12):
    if octets is None:
        return []
    out = [""]
    for s in octets:
        out = [f"{a}.{v}" if a else str(v) for a in out for v in sorted(s)][:cap]
    return out


class Catalogue:
    """The rows of rules/data/dnsbl.tsv the worlds need."""

    def __init__(self):
        self.rows = {}
        path = os.path.join(oracle_lib.SRC, "rules", "data", "dnsbl.tsv")
        for line in open(path, encoding="utf-8"):
            f = line.rstrip("\n").split("\t")
            if line.startswith("#") or len(f) < 7 or f[0] == "zone":
                continue
            members = {}
            for m in f[5].split(",") if f[5] != "-" else []:
                name, _, codes = m.partition("=")
                members[name.lower()] = parse_octets(codes)
            self.rows[f[0].lower()] = {"status": f[2], "members": members,
                                       "filter": parse_octets(f[6]) if f[6] != "-" else None}

    def row(self, zone):
        if zone in self.rows:
            return self.rows[zone]
        for key, row in self.rows.items():
            if key.startswith("*.") and zone.endswith(key[1:]):
                return row
        # Operator rows (".sorbs.net"): every zone under the domain, nearest first.
        parts = zone.split(".")
        for i in range(1, len(parts)):
            if "." + ".".join(parts[i:]) in self.rows:
                return self.rows["." + ".".join(parts[i:])]
        return None


class Replies:
    """rbl_reply_maps answers, asked through postmap (cached per map and key)."""

    def __init__(self, directory, maps):
        self.directory, self.maps, self.cache = directory, maps, {}

    def __call__(self, key):
        for m in self.maps:
            if (m, key) not in self.cache:
                oracle_lib.backdate(self.directory)
                p = subprocess.run([oracle_lib.POSTMAP, "-c", self.directory, "-q", key, m],
                                   capture_output=True, encoding="latin-1")
                # postmap exits 1 both for "not found" and on a fatal error.
                self.cache[(m, key)] = p.stdout.strip() if p.returncode == 0 else (
                    f"unreadable map {m}" if "fatal" in p.stderr else None)
            if self.cache[(m, key)] is not None:
                return self.cache[(m, key)]
        return "default_rbl_reply"


def make_worlds(lists, catalogue, rng, count=80):
    """Worlds for the restriction lists `lists` (lists of restrictions)."""
    zones, opaque = set(), set()
    for rs in lists:
        for warn, name, arg in rs:
            if name in DNSBL and arg:
                zones.add((zone_of(arg), DNSBL[name]))
            elif name not in DNSBL:
                opaque.add((name, arg))
    zones, opaque = sorted(zones), sorted(opaque, key=str)
    combined = {}  # (member zone, lookup) -> (combined zone, codes)
    for z, kind in zones:
        row = catalogue.row(z)
        for m, codes in (row["members"].items() if row else []):
            if (m, kind) in zones:
                combined[(m, kind)] = (z, codes)

    def codes_of(z):
        row = catalogue.row(z)
        return addresses(row["filter"]) if row and row["filter"] else [f"127.0.0.{n}" for n in range(2, 12)]

    worlds = [({}, {})]
    for z in zones:  # each zone alone with each of its codes
        if z not in combined:
            worlds += [({z: {a}}, {}) for a in codes_of(z[0])]
    for _ in range(count):
        dns = {z: set(rng.sample(codes_of(z[0]), min(len(codes_of(z[0])), rng.randint(1, 2))))
               if rng.random() < 0.4 else set()
               for z in zones if z not in combined}
        dec = {o: rng.choice([None, None, None, "permit", "reject"]) for o in opaque}
        worlds.append((dns, dec))
    out = []
    for dns, dec in worlds:
        dns = dict(dns)
        for z in zones:
            row = catalogue.row(z[0])
            if row and row["status"].startswith("dead"):
                dns[z] = set()  # shut down: answers nothing
            elif z in combined:
                cz, codes = combined[z]
                inside = {a for a in dns.get((cz, z[1]), set()) if matches(codes, a)}
                own = catalogue.row(z[0])
                same_space = own and own["filter"] and any(matches(own["filter"], a) for a in addresses(codes))
                dns[z] = inside if same_space else ({"127.0.0.2"} if inside else set())
        out.append((dns, dec))
    return out


def decide(rs, world, replies):
    dns, dec = world
    for warn, name, arg in rs:
        if name in DNSBL:
            if not arg:
                continue  # "requires domain name argument": skipped
            zone, _, filt = arg.split("*", 1)[0].partition("=")
            octets = parse_octets(filt) if filt else None
            if not any(matches(octets, a) for a in dns.get((zone_of(arg), DNSBL[name]), ())):
                continue
            if name in PERMITS:
                return ("permit", name)
            if not warn:
                return ("reject", replies(arg))
            continue
        outcome = dec.get((name, arg))
        if outcome is None or (warn and outcome == "reject"):
            continue
        return (outcome, name, arg)
    return ("dunno",)


def score(words, world):
    dns, _ = world
    total = 0
    for w in words:
        rest, _, weight = w.partition("*")
        zone, _, filt = rest.partition("=")
        octets = parse_octets(filt) if filt else None
        if any(matches(octets, a) for a in dns.get((zone.lower().rstrip("."), "ip"), ())):
            total += int(weight) if weight else 1
    return total


def compare_lists(before, after, replies_before, replies_after, catalogue, seed):
    """None when every list behaves the same in every world, else why not.
    `before`/`after`: {list name: expanded value}."""
    names = sorted(set(before) | set(after))
    parsed = {n: (split_list(before.get(n, "")), split_list(after.get(n, ""))) for n in names}
    smtpd = [restrictions(w) for n in names if n != "postscreen_dnsbl_sites" for w in parsed[n]]
    sites = [w for n in names if n == "postscreen_dnsbl_sites" for ws in parsed[n] for w in ws]
    worlds = make_worlds(smtpd + [[(False, "reject_rbl_client", s)] for s in sites], catalogue,
                         random.Random(seed))
    for n in names:
        b, a = parsed[n]
        for world in worlds:
            if n == "postscreen_dnsbl_sites":
                x, y = score(b, world), score(a, world)
            else:
                x, y = decide(restrictions(b), world, replies_before), decide(restrictions(a), world, replies_after)
            if x != y:
                listed = {k[0]: sorted(v) for k, v in world[0].items() if v}
                return f"{n}: with DNS answers {listed} it decided {x} before the fix and {y} after"
    return None
