"""Facts read out of the Postfix source history, for gen-params.py.

GITDIR is a git directory of the Postfix history (github vdukhovni/postfix,
with its release tags); nothing from it is copied, only facts are read:
  * latest_tag()/patch_tags(): the release tags of a major.minor series;
    release_tag(): the one the per-release tables are read at;
  * read_sources(): the .c/.h files under postfix/src at a tag;
  * collect_defines(), resolve_string(), resolve_int(): the VAR_x/DEF_x
    macros and small integer expressions, resolved;
  * extract(): the parameters the daemons declare in CONFIG_<KIND>_TABLE
    arrays (what postconf's extract.awk scans), with type, default and
    bounds, plus postconf's install-time, ad-hoc and legacy names;
  * scan_usage(), referenced_names(): names opened as tables or split as
    lists, and names known only through another parameter's default;
  * extract_at()/first_patch_release(): a cached extract() per tag, and the
    first patch release of a series that declares a name;
  * postconf_defaults(): `postconf -d` and `-dx` of the installed Postfix.
"""

import io
import os
import re
import subprocess
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


# The patch release of a series that a Debian suite ships (bullseye:
# postfix 3.5.25-0+deb11u1, bookworm: 3.7.11-0+deb12u1, trixie:
# 3.10.13-0+deb13u1): the generated per-release tables describe these, as
# the measured 3.7 table does and the oracle roots (docs/oracles.md) run.
DEBIAN_TAGS = {"3.5": "v3.5.25", "3.7": "v3.7.11", "3.10": "v3.10.13"}


def release_tag(repo, series):
    """The tag a series' generated tables are read at: DEBIAN_TAGS, else
    the latest patch tag."""
    return DEBIAN_TAGS.get(series) or latest_tag(repo, series)


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
