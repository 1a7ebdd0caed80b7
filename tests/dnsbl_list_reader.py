"""This test suite's own reader of DNS list entries in main.cf and master.cf,
independent of postvet's parser, for the DNS list fix oracle tests
(tests/dnsbl_fix_oracle_test.py, tests/dnsbl_fix_seed_test.py).

It reads lists the way Postfix does (readllines(), mystrtokq() with
braces) and keeps the place (line, column) of every word, so a finding's
place can be mapped to the entry it names. Contract: Lists(files) maps
(file, parameter) to entries; words_of() splits a postconf value;
zone_of(), normalized() and site() give an entry's zone, its comparable
form, and a postscreen site's (zone, filter, weight).
"""

DNSBL_KEYWORDS = {"reject_rbl_client", "reject_rbl", "reject_rhsbl_client", "reject_rhsbl_reverse_client",
                  "reject_rhsbl_helo", "reject_rhsbl_sender", "reject_rhsbl_recipient", "permit_dnswl_client",
                  "permit_rhswl_client"}


def logical_lines(data):
    """readllines(): yields lists of (byte, line, column) per logical line."""
    lines = data.split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    current = None
    for number, raw in enumerate(lines, start=1):
        stripped = raw.lstrip(b" \t\r")
        if stripped == b"" or stripped.startswith(b"#"):
            continue
        chars = [(raw[i:i + 1], number, i + 1) for i in range(len(raw))]
        if raw[:1] in (b" ", b"\t") and current is not None:
            current.extend(chars)
        else:
            if current is not None:
                yield current
            current = chars
    if current is not None:
        yield current


def split_words(chars):
    """mystrtokq(", \\t\\r\\n", "{}") over (byte, line, col) lists."""
    words, i, n = [], 0, len(chars)
    while i < n:
        while i < n and chars[i][0] in (b",", b" ", b"\t", b"\r", b"\n"):
            i += 1
        if i >= n:
            break
        start, level = i, 0
        while i < n and (level > 0 or chars[i][0] not in (b",", b" ", b"\t", b"\r", b"\n")):
            if chars[i][0] == b"{":
                level += 1
            elif chars[i][0] == b"}" and level > 0:
                level -= 1
            i += 1
        words.append((b"".join(c[0] for c in chars[start:i]).decode("latin-1"), chars[start][1], chars[start][2]))
    return words


def main_cf_values(data):
    """name -> list of (word, line, col) for the last definition of each name."""
    out = {}
    for chars in logical_lines(data):
        text = b"".join(c[0] for c in chars)
        eq = text.find(b"=")
        if eq < 0:
            continue
        name = text[:eq].strip().decode("latin-1")
        out[name] = split_words(chars[eq + 1:])
    return out


def master_cf_values(data):
    """service/type/name -> words of each `-o name=value` (separate form only)."""
    out = {}
    for chars in logical_lines(data):
        fields = split_fields(chars)
        if len(fields) < 8:
            continue
        key = fields[0][0] + "/" + fields[1][0]
        args = fields[8:]
        for k, (word, wchars) in enumerate(args):
            if word == "-o" and k + 1 < len(args):
                value_word, vchars = args[k + 1]
                if "=" not in value_word:
                    continue
                name = value_word.split("=", 1)[0]
                out[key + "/" + name] = split_words(vchars[len(name) + 1:])
    return out


def split_fields(chars):
    fields, i, n = [], 0, len(chars)
    while i < n:
        while i < n and chars[i][0] in (b" ", b"\t", b"\r"):
            i += 1
        if i >= n:
            break
        start = i
        while i < n and chars[i][0] not in (b" ", b"\t", b"\r"):
            i += 1
        fields.append((b"".join(c[0] for c in chars[start:i]).decode("latin-1"), chars[start:i]))
    return fields


def entries(words, postscreen):
    """Groups words as smtpd reads a restriction list: [warn_if_reject] name zone."""
    if postscreen:
        return [[w] for w in words]
    out, i = [], 0
    while i < len(words):
        start = i
        while i < len(words) and words[i][0].lower() == "warn_if_reject":
            i += 1
        if i >= len(words):
            out.append(words[start:i])
            break
        low = words[i][0].lower()
        takes = low in DNSBL_KEYWORDS or (low.startswith("check_") and (
            low.endswith("_access") or low in ("check_policy_service", "check_address_map")))
        end = i + 2 if takes and i + 1 < len(words) else i + 1
        out.append(words[start:end])
        i = end
    return out


def words_of(value):
    chars = [(value.encode("latin-1")[i:i + 1], 0, 0) for i in range(len(value.encode("latin-1")))]
    return [w[0] for w in split_words(chars)]


class Lists:
    """Every parameter's entries, from main.cf and master.cf, with places."""

    def __init__(self, files):
        self.params = {}  # (file, key) -> list of entries (lists of (word, line, col))
        for fname, reader in (("main.cf", main_cf_values), ("master.cf", master_cf_values)):
            if fname not in files:
                continue
            for key, words in reader(files[fname]).items():
                postscreen = key.endswith("postscreen_dnsbl_sites")
                self.params[(fname, key)] = entries(words, postscreen)

    def locate(self, fname, line, col):
        for key, ents in self.params.items():
            if key[0] != fname:
                continue
            for k, ent in enumerate(ents):
                if ent and ent[-1][1] == line and ent[-1][2] == col:
                    return key, k
        return None, None

    def words(self, key):
        return [w[0] for ent in self.params[key] for w in ent]


def zone_of(word):
    return word.split("*", 1)[0].split("=", 1)[0].lower().rstrip(".")


def normalized(ent):
    words = [w[0] for w in ent]
    kw = ["reject_rbl_client" if w.lower() == "reject_rbl" else w.lower() for w in words[:-1]]
    rest, _, weight = words[-1].partition("*")
    _, _, filt = rest.partition("=")
    return kw, zone_of(rest), filt, weight


def site(word):
    """(zone, filter, weight) of a postscreen_dnsbl_sites item."""
    rest, _, weight = word.partition("*")
    zone, _, filt = rest.partition("=")
    return zone.lower().rstrip("."), filt, int(weight) if weight else 1
