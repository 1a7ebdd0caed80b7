#!/usr/bin/env python3
"""Derive rules/data/postfix-X.Y-defaults.tsv for the Postfix series that are
not installed here, from the 3.7 table and the Postfix sources.

Usage:  gen-version-defaults.py --repo GITDIR [--series 3.10 ...]
                                [--tag 3.10=v3.10.5 ...] [--out-dir DIR]

GITDIR is a git directory of the Postfix history (github vdukhovni/postfix,
with its release tags). The series default to 3.5 3.6 3.8 3.9 3.10, each
read at the patch release Debian ships for that series
(postfix_history.DEBIAN_TAGS: the 3.7 base is Debian bookworm's 3.7.11
too, and the version oracle tests run Debian's packages; only
mail_version and mail_release_date tell patch releases apart here), else
at the latest patch tag of that series, unless --tag names another.

Why derived and not measured: only Postfix 3.7 is installed here, and 3.6,
3.8 and 3.9 have no Debian package at all. postconf -d prints, for each
parameter the daemons declare (the CONFIG_*_TABLE rows that postconf's
extract.awk collects), the DEF_* text of mail_params.h and friends; the
platform (Debian's build) changes some of those (paths, lock styles) the
same way in every release. So the 3.7 table, measured with the installed
postconf by gen-defaults.sh, is the base, and for each series:

  * a name declared in both the base source (the 3.7 tag whose mail_version
    the 3.7 table records) and the target source keeps its 3.7 row when its
    source default is the same in both (so Debian's own values carry
    over), and gets the target's source default otherwise;
  * a name the target no longer declares is dropped (or becomes a legacy
    row when the target's postconf lists it in pcf_legacy_str_table);
  * a name only the target declares is added with its source default;
  * legacy rows are the target's pcf_legacy_str_table;
  * mail_version is the tag's version and mail_release_date the tag's
    MAIL_RELEASE_DATE (they only describe the build);
  * class: rows carried over keep theirs; new rows are `raw` when declared
    in a CONFIG_RAW_TABLE, else `builtin`.

Source defaults are rendered the way postconf -d prints them: strings (and
time, nint, nbool expressions) verbatim, int and long as decimal numbers,
bool as yes/no. tls_eecdh_auto_curves and tls_ffdhe_auto_groups name
OpenSSL groups through OpenSSL's SN_* macros; Debian builds with OpenSSL 3,
which defines all of them (OPENSSL_NAMES below; with them the 3.7 source
gives exactly the measured 3.7 value). The script refuses (exit 1) any other default it cannot render.
"""

import argparse
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from postfix_history import (collect_defines, extract, read_sources,  # noqa: E402
                             release_tag, resolve_int, resolve_string)

SERIES = ["3.5", "3.6", "3.8", "3.9", "3.10"]
BASE_TABLE = os.path.join(HERE, "postfix-3.7-defaults.tsv")
# OpenSSL's short names (obj_mac.h) that mail_params.h builds TLS defaults
# from; all defined in the OpenSSL 3 that Debian builds Postfix with.
OPENSSL_NAMES = {"SN_ffdhe2048": '"ffdhe2048"', "SN_ffdhe3072": '"ffdhe3072"', "SN_X25519": '"X25519"',
                 "SN_X448": '"X448"', "SN_X9_62_prime256v1": '"prime256v1"', "SN_secp384r1": '"secp384r1"',
                 "SN_secp521r1": '"secp521r1"'}


def read_table(path):
    rows = {}
    with open(path, encoding="utf-8") as fh:
        lines = [line for line in fh.read().split("\n") if line and not line.startswith("#")]
    for line in lines[1:]:
        name, value, cls = line.split("\t")
        rows[name] = (value, cls)
    return rows


def release_date(repo, tag):
    text = subprocess.run(["git", "--git-dir", repo, "show", tag + ":postfix/src/global/mail_version.h"],
                          check=True, capture_output=True).stdout.decode("latin-1")
    m = re.search(r'#\s*define\s+MAIL_RELEASE_DATE\s+"(\d+)"', text)
    if not m:
        sys.exit("gen-version-defaults.py: no MAIL_RELEASE_DATE at " + tag)
    return m.group(1)


class Source:
    """One release's declared parameters and their defaults."""

    def __init__(self, repo, tag):
        files = read_sources(repo, tag)
        self.defines = collect_defines(files)
        self.defines.update(OPENSSL_NAMES)
        self.params, self.legacy = extract(files, self.defines)
        # name -> DEF_ macro, for the defaults extract() leaves unresolved.
        self.var_of = {}
        for macro, value in self.defines.items():
            if macro.startswith("VAR_"):
                name = resolve_string(value, self.defines)
                if name:
                    self.var_of.setdefault(name, macro)

    def fingerprint(self, name):
        """The DEF_ macro text of `name` with every macro it uses, expanded
        textually (for defaults that depend on the build, #ifdef'd)."""
        seen, todo, out = set(), ["DEF_" + self.var_of.get(name, "VAR_?")[4:]], []
        while todo:
            macro = todo.pop()
            if macro in seen or macro not in self.defines:
                continue
            seen.add(macro)
            out.append("%s=%s" % (macro, self.defines[macro]))
            todo.extend(re.findall(r"[A-Za-z_]\w*", self.defines[macro]))
        return "\n".join(sorted(out))

    def render(self, name):
        """The default of `name` as postconf -d prints it."""
        entry = self.params[name]
        types = entry["types"]
        default = entry["default"]
        def_macro = "DEF_" + self.var_of.get(name, "VAR_?")[4:]
        if types & {"bool"}:
            value = resolve_int(self.defines.get(def_macro, "?"), self.defines)
            if value is None:
                sys.exit("gen-version-defaults.py: cannot resolve the bool default of " + name)
            return "yes" if value else "no"
        if default is None and def_macro in self.defines:
            default = resolve_string(self.defines[def_macro], self.defines)
        if default is None:
            sys.exit("gen-version-defaults.py: cannot resolve the default of " + name)
        if isinstance(default, int):
            return str(default)
        return " ".join(default.split())


def same_default(base, target, name):
    a, b = base.params[name], target.params[name]
    if a["types"] != b["types"]:
        return False
    if a["default"] is None or b["default"] is None:
        return base.fingerprint(name) == target.fingerprint(name)
    return a["default"] == b["default"]


def derive(base_table, base, target, tag, date):
    out = {}
    for name, (value, cls) in base_table.items():
        if cls == "legacy":
            continue
        in_base, in_target = name in base.params, name in target.params
        if cls in ("readonly", "host"):
            pass  # computed by postconf itself, the same way in every series
        elif in_target and not (in_base and same_default(base, target, name)):
            value = target.render(name)
        if in_target or (not in_base and cls in ("readonly", "host")):
            out[name] = (value, cls)
    for name in target.params:
        if name not in out:
            out[name] = (target.render(name), "raw" if target.params[name]["types"] == {"raw"} else "builtin")
    for name in target.legacy:
        if name not in target.params:
            out[name] = ("", "legacy")
    out["mail_version"] = (tag[1:], out["mail_version"][1])
    out["mail_release_date"] = (date, out["mail_release_date"][1])
    return out


def write(path, rows, tag, base_tag):
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        fh.write("# Generated by rules/data/gen-version-defaults.py from Postfix %s and the %s table"
                 " (base %s); do not edit.\n" % (tag, os.path.basename(BASE_TABLE), base_tag))
        fh.write("name\tdefault\tclass\n")
        for name in sorted(rows):
            value, cls = rows[name]
            fh.write("%s\t%s\t%s\n" % (name, value, cls))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--repo", required=True)
    ap.add_argument("--series", nargs="*", default=SERIES)
    ap.add_argument("--tag", action="append", default=[], help="SERIES=TAG")
    ap.add_argument("--out-dir", default=HERE)
    args = ap.parse_args()
    tags = dict(t.split("=", 1) for t in args.tag)

    base_table = read_table(BASE_TABLE)
    base_tag = "v" + base_table["mail_version"][0]
    base = Source(args.repo, base_tag)
    for series in args.series:
        tag = tags.get(series) or release_tag(args.repo, series)
        rows = derive(base_table, base, Source(args.repo, tag), tag, release_date(args.repo, tag))
        path = os.path.join(args.out_dir, "postfix-%s-defaults.tsv" % series)
        write(path, rows, tag, base_tag)
        print("%s: %d rows from %s" % (path, len(rows), tag), file=sys.stderr)


if __name__ == "__main__":
    main()
