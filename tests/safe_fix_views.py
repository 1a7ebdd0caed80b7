"""What the safe-fix oracle (safe_fix_oracle_test.py) compares before and
after a fix: the rules with safe fixes, which parameter or service a finding
names, postconf's views of a directory (-n, -x -n, -M, -F, -P) with the
directory's own path written as $DIR, the expanded restriction lists and
the regexp/pcre tables of a directory. Results for a directory that does
not change are cached."""
import os
import re
import shutil
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import oracle_smtpd  # noqa: E402
from oracle_lib import postconf, postvet  # noqa: E402


def safe_rules():
    p = postvet(["rules"])
    out = []
    for line in p.stdout.splitlines()[1:]:
        f = line.split()
        if len(f) >= 4 and re.fullmatch(r"PV\d{3}", f[0]) and f[3] in ("safe", "sometimes"):
            out.append(f[0])
    return out


# ------------------------------------------------------------ what a fix names

def main_owner(path):
    """line number -> {parameter whose logical line holds it, and for an
    indented line its own first word}."""
    owner, current = {}, None
    if os.path.exists(path):
        for i, line in enumerate(open(path, encoding="latin-1"), 1):
            s = line.strip()
            if s and not s.startswith("#"):
                if not line[0].isspace():
                    current = re.split(r"[\s=]", line, maxsplit=1)[0]
                owner[i] = {current, re.split(r"[\s=]", s, maxsplit=1)[0]} - {None}
    return owner


def master_owner(path):
    """line number -> "service/type" of the entry holding it (a column-0
    argument line belongs to the service above it, as its fix makes it)."""
    owner, current = {}, None
    if os.path.exists(path):
        for i, line in enumerate(open(path, encoding="latin-1"), 1):
            s = line.strip()
            if s and not s.startswith("#"):
                f = line.split()
                if not line[0].isspace() and len(f) >= 2 and not f[0].startswith("-") and "=" not in f[0]:
                    current = f"{f[0]}/{f[1]}"
                owner[i] = current
    return owner


def named(work, diags):
    params, services, text = set(), set(), ""
    mo, so = main_owner(os.path.join(work, "main.cf")), master_owner(os.path.join(work, "master.cf"))
    for d in diags:
        text += " " + d["message"] + " " + " ".join(n["message"] for n in d["notes"])
        for line in range(d["line"], d["end_line"] + 1):
            if d["file"].endswith("main.cf") and mo.get(line):
                params.update(mo[line])
            if d["file"].endswith("master.cf") and so.get(line):
                services.add(so[line])
    return params, services, text


# Rules whose fix makes the daemon read a master.cf option as it is written
# (the option was lost, cut short, or the service could not start): the
# service's -o values change by what the rule states, so only the -P view's
# "named service only" check applies to them, not the list semantics.
OPTION_REPAIRS = {"PV403", "PV404", "PV405"}

# ------------------------------------------------------------ postconf views

VIEWS = [("-n",), ("-x", "-n"), ("-M",), ("-F",), ("-P",)]


def view_key(flags, line):
    if flags in (("-n",), ("-x", "-n")):
        return "param", line.split(" =", 1)[0]
    if flags == ("-M",):
        f = line.split()
        return "service", f"{f[0]}/{f[1]}" if len(f) > 1 else line
    return "service", "/".join(line.split(" =", 1)[0].split("/")[:2])


_cache = {}  # (function, directory) -> result, for the unchanged "before" copy of a case


def cached(fn, directory):
    if (fn, directory) not in _cache:
        _cache[(fn, directory)] = fn(directory)
    return _cache[(fn, directory)]


def views(directory):
    """The postconf views, with the directory's own path (config_directory
    as `-c` sets it) written as $DIR so that two copies compare equal."""
    out = {}
    for flags in VIEWS:
        lines = postconf(directory, *flags)
        out[flags] = None if lines is None else [l.replace(directory, "$DIR") for l in lines]
    # $process_id is postconf's own pid: values using it differ on every run.
    pid_users = {l.split(" =", 1)[0] for l in out[("-n",)] or [] if "process_id" in l}
    if out[("-x", "-n")] is not None:
        out[("-x", "-n")] = [l for l in out[("-x", "-n")] if l.split(" =", 1)[0] not in pid_users]
    return out


def without_lines(src, dst, diags):
    """A copy of `src` without the lines the findings are on."""
    shutil.copytree(src, dst)
    drop = {}
    for d in diags:
        drop.setdefault(os.path.basename(d["file"]), set()).update(range(d["line"], d["end_line"] + 1))
    for name, lines in drop.items():
        path = os.path.join(dst, name)
        if os.path.exists(path):
            kept = [l for i, l in enumerate(open(path, "rb").read().split(b"\n"), 1) if i not in lines]
            open(path, "wb").write(b"\n".join(kept))


def list_values(directory):
    """Restriction lists, restriction classes and postscreen_dnsbl_sites,
    expanded by postconf, with rbl_reply_maps; None when postconf fails."""
    out = {}
    lines = postconf(directory, "-x", "-n")
    if lines is None:
        return None, None
    values = dict(l.split(" = ", 1) if " = " in l else (l.rstrip(" ="), "") for l in lines)
    names = oracle_smtpd.SMTPD_LISTS + ["postscreen_dnsbl_sites"]
    names += oracle_smtpd.split_list(values.get("smtpd_restriction_classes", ""))
    for n in names:
        if n in values:
            out[n] = values[n].replace(directory, "$DIR")
    for line in postconf(directory, "-P") or []:  # master.cf -o lists (literal ones)
        key, _, value = line.partition(" = ")
        if key.rsplit("/", 1)[-1] in names and "$" not in value:
            out[key] = value
    maps = oracle_smtpd.split_list(values.get("rbl_reply_maps", ""))
    return out, oracle_smtpd.Replies(directory, maps)


# ------------------------------------------------------------ tables

def tables(directory):
    """{file name: "regexp"|"pcre"} for the tables main.cf names."""
    out = {}
    main = os.path.join(directory, "main.cf")
    text = open(main, encoding="latin-1").read() if os.path.exists(main) else ""
    for kind, path in re.findall(r"\b(regexp|pcre):([^\s,]+)", text):
        name = os.path.basename(path)
        if os.path.exists(os.path.join(directory, name)):
            out[name] = kind
    return out
