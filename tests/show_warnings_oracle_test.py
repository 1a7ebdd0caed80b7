#!/usr/bin/env python3
"""Oracle test: every warning `postvet show DIR` gives equals postconf's.

show_oracle_test.py compares stdout and the main.cf-path warnings; this test
compares the whole stderr warning set, master.cf included (issue 23):

  {lines of `postconf -c DIR -n` stderr, "postconf: warning: " removed}
  == {lines of `postvet show DIR` stderr, "postvet: warning: " removed}

order aside. When postconf dies, postvet must exit 2. For issue 23's cases
(and a directory without master.cf) `postconf -M/-F/-P` is compared with
`postvet show --entries/--fields/--params` too: the same registration
warnings (undefined/unused/read-only parameter), and the same fatal text
(`open DIR/master.cf: No such file or directory`). Postfix's own pid in a
warning ($process_id) is masked.

Database client configuration files named by absolute path
(`mysql:/etc/x.cf`, through `proxy:`, `$name` and master.cf -o) are read
by both: their `open "mysql" configuration "...": ...`, reading and
`mysql:/etc/x.cf: unused parameter: ...` warnings are compared too (issue 23
part 2), on generated map-configuration cases besides the others.

Directories checked:
  local   every testdata/ directory holding a main.cf or a master.cf (an empty
          main.cf is added where missing), hand-written cases from issue 23,
          seeded master.cf/main.cf pairs that exercise postconf's "unused" and
          "undefined" rules for -o parameters (unused -o names, undefined $name
          in -o values, { name = value } forms, restriction classes, user
          names in main.cf used from master.cf, database-client prefixes,
          read-only names), master.cf files from tests/gen_master_cf.py, and
          generated database client configuration files (every map type,
          known, misspelt and junk settings, redefinitions, bad lines,
          missing files, directories, proxy:, $name, master.cf -o).
  shared  every corpus main.cf with its paired (or the stock) master.cf, and
          every corpus master.cf with an empty main.cf.

Fails (does not skip) when postconf is missing.
"""
# postvet-test-parts: local shared
import csv
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import gen_master_cf  # noqa: E402
import oracle_lib  # noqa: E402
import shared_data  # noqa: E402

SOURCE_DIR = os.environ.get("POSTVET_SOURCE_DIR", os.path.dirname(HERE))
POSTVET = os.environ.get("POSTVET_BIN", os.path.join(SOURCE_DIR, "build", "postvet"))
CORPUS = shared_data.corpus_dir()
STOCK_MASTER = shared_data.STOCK_MASTER_CF
OLD = 946684800  # 2000-01-01: Postfix re-reads "hot" files and repeats warnings
SEED = 20261206
GENERATED = 160
GEN_MASTER = 60

GEN_DBMS = 80

# Issue 23's cases: (name, main.cf, master.cf).
ISSUE_CASES = [
    ("unused-o", b"smtpd_restriction_classes = bar\n",
     b"smtp inet n - n - - smtpd\n  -o bar=yes -o baz=xx\n"),
    ("undefined-o", b"smtpd_restriction_classes = bar\n",
     b"smtp inet n - n - - smtpd -o always_bcc=$bar$baz\n"),
    ("braced-o", b"",
     b"smtp inet n - n - - smtpd -o { qq = 1 2 } -o {always_bcc = $nope}\n"
     b"sub inet n - n - - smtpd -o { x4 = 1\n"),
    ("local-classes", b"foo = 1\n",
     b"s1 inet n - n - - smtpd -o smtpd_restriction_classes=c1,c2 -o c1=x -o always_bcc=$foo\n"
     b"s2 unix - - n - - smtpd -o process_name=x -o x1=$u$u -o virtual_alias_maps=ldap:lq"
     b" -o lq_bind=no -o lq_nonsense=1\n"),
    ("main-refs-master", b"always_bcc = $m1\nmydomain = ${m2?x}\n",
     b"s1 inet n - n - - smtpd -o m1=a -o m2=b -o m3=c\ns2 inet n - n - - smtpd -o m3=$m1\n"),
]

OPT_NAMES = ["u1", "u2", "u3", "bar", "baz", "c1", "c2", "lq_bind", "lq_timeout", "lq_bogus",
             "always_bcc", "smtpd_banner", "syslog_name", "process_name", "mail_version",
             "smtpd_restriction_classes", "virtual_alias_maps", "smtpd_client_restrictions",
             "smtp_bind_address", "relay_time_limit", "relay_destination_concurrency_limit"]
REF_NAMES = ["u1", "u2", "u3", "bar", "baz", "c1", "c2", "myhostname", "nowhere", "service_name",
             "lq_bind", "relay_time_limit"]


def _value(rng):
    parts = []
    for _ in range(rng.randrange(0, 3)):
        n = rng.choice(REF_NAMES)
        parts.append(rng.choice(["$" + n, "${" + n + "}", "$(" + n + ")", "${" + n + "?yes}",
                                 "ldap:" + rng.choice(["lq", "u1"]), "x"]))
    return ",".join(parts) or rng.choice(["yes", "", "1 2"])


def _option(rng, name):
    value = _value(rng)
    if name == "smtpd_restriction_classes":
        value = ",".join(rng.sample(["c1", "c2", "bar", "u2"], rng.randrange(1, 3)))
    form = rng.randrange(4)
    if form == 0:
        return f"-o {name}={value}" if " " not in value and value else f"-o {{{name}={value}}}"
    if form == 1:
        return f"-o {{ {name} = {value} }}"
    if form == 2 and " " not in value and value:
        return f"-o{name}={value}"
    return f"-o {{{name}={value}}}"


def generate_pair(rng):
    """A main.cf and a master.cf around the -o name rules."""
    main = []
    for name in rng.sample(["u1", "u2", "bar", "c1", "lq_timeout"], rng.randrange(0, 4)):
        main.append(f"{name} = {_value(rng)}")
    if rng.random() < 0.4:
        main.append("smtpd_restriction_classes = " + ",".join(rng.sample(["c1", "c2", "bar", "u3"], 2)))
    if rng.random() < 0.4:
        main.append(f"{rng.choice(['always_bcc', 'smtpd_banner', 'relay_domains'])} = {_value(rng)}")
    master = []
    services = ["smtp", "relay", "sub", "s4", "127.0.0.1:10025"]
    for svc in rng.sample(services, rng.randrange(1, 5)):
        cmd = rng.choice(["smtpd", "smtp", "pipe", "spawn", "cleanup"])
        kind = "inet" if cmd == "smtpd" else "unix"
        opts = [_option(rng, rng.choice(OPT_NAMES)) for _ in range(rng.randrange(0, 5))]
        master.append(f"{svc} {kind} n - n - - {cmd}" + ("\n  " + "\n  ".join(opts) if opts else ""))
    return ("\n".join(main) + "\n").encode(), ("\n".join(master) + "\n").encode()


DBMS_RE = re.compile(r'configuration "|^(?:ldap|mysql|pgsql|sqlite|memcache):/|\.cf, line \d+: ')
DBMS_TYPES = ["ldap", "mysql", "pgsql", "sqlite", "memcache"]
DBMS_NAMES = {
    "ldap": ["search_base", "server_host", "query_filter", "result_attribute", "bind", "version", "domain"],
    "mysql": ["hosts", "user", "password", "dbname", "query", "table", "select_field", "tls_CAfile"],
    "pgsql": ["hosts", "dbname", "query", "select_function", "where_field"],
    "sqlite": ["dbpath", "query", "result_format", "expansion_limit"],
    "memcache": ["memcache", "backup", "ttl", "key_format", "timeout"],
}
DBMS_JUNK = ["junk", "result_atribute", "qeury", "host", "db_name", "server_hosts", "Query", "ttl2",
             "search-base", "tls_cafile"]


def dbms_file_text(rng, mtype):
    lines = []
    for _ in range(rng.randrange(0, 7)):
        r = rng.random()
        name = rng.choice(DBMS_NAMES[mtype]) if r < 0.55 else rng.choice(DBMS_JUNK + DBMS_NAMES[rng.choice(DBMS_TYPES)])
        sep = rng.choice(["=", " = ", " =", "= "])
        lines.append(f"{name}{sep}{rng.choice(['x', 'yes', '1 2', '%s', '', 'a,b'])}")
        if rng.random() < 0.1:
            lines.append(rng.choice(["# comment", "", "  continued", "\tmore"]))
    if rng.random() < 0.05:
        lines.insert(rng.randrange(len(lines) + 1), rng.choice(["junk", "= x"]))  # fatal for postconf
    if rng.random() < 0.05:
        lines.insert(0, " leading = 1")
    return ("\n".join(lines) + ("\n" if lines and rng.random() < 0.9 else "")).encode()


def generate_dbms_case(rng, d):
    """A main.cf/master.cf naming database client files in `d` (written there)."""
    refs = []
    for i in range(rng.randrange(1, 4)):
        mtype = rng.choice(DBMS_TYPES)
        path = os.path.join(d, f"{mtype}-{i}.cf")
        kind = rng.random()
        if kind < 0.8:
            with open(path, "wb") as fh:
                fh.write(dbms_file_text(rng, mtype))
        elif kind < 0.9:
            os.makedirs(path)
        spec = f"{mtype}:{path}"
        if rng.random() < 0.25:
            spec = "proxy:" + spec
        refs.append(spec)
        if rng.random() < 0.1:  # the same file under another type
            refs.append(f"{rng.choice(DBMS_TYPES)}:{path}")
    main, master = [], []
    for spec in refs:
        where = rng.random()
        param = rng.choice(["alias_maps", "virtual_alias_maps", "relay_recipient_maps", "transport_maps",
                            "smtpd_sender_login_maps"])
        if where < 0.5:
            main.append(f"{param} = hash:/x {spec}")
        elif where < 0.7:
            var = f"m{len(main)}"
            main.append(f"{var} = {spec}")
            main.append(f"{param} = ${{{var}}}")
        elif where < 0.8:
            main.append(f"my_var = {spec}")  # a user name: postconf does not read its files
        else:
            master.append(f"s{len(master)} inet n - n - - smtpd -o {param}={spec}")
    return ("\n".join(main) + "\n").encode(), ("\n".join(master) + "\n").encode()


def run_pair(postconf_cmd, postvet_cmd):
    """Runs both; their stderr texts with both pids masked ($process_id)."""
    prc, _, perr, ppid = oracle_lib.run_with_pid(postconf_cmd)
    vrc, _, verr, vpid = oracle_lib.run_with_pid(postvet_cmd)
    mask = lambda err: oracle_lib.mask_pids(err, [ppid, vpid]).decode("utf-8", "replace")
    return prc, mask(perr), vrc, mask(verr)


def warnings(stderr, program):
    prefix = f"{program}: warning: "
    return {line[len(prefix):] for line in stderr.splitlines() if line.startswith(prefix)}


def scratch(root, name, main_bytes, master_bytes):
    d = os.path.join(root, name)
    os.makedirs(d)
    for f, data in (("main.cf", main_bytes), ("master.cf", master_bytes)):
        if data is None:
            continue
        with open(os.path.join(d, f), "wb") as fh:
            fh.write(data)
        os.utime(os.path.join(d, f), (OLD, OLD))
    return d


class Tally:
    def __init__(self):
        self.failures = []
        self.checked = 0
        self.master_warnings = 0  # postconf master.cf warnings seen (coverage)
        self.warnings = 0         # postconf warnings compared
        self.dbms_warnings = 0    # postconf warnings about database client files (coverage)

    def compare(self, name, directory):
        self.checked += 1
        prc, perr, vrc, verr = run_pair(["postconf", "-c", directory, "-n"],
                                        [POSTVET, "show", *oracle_lib.version_args(), directory])
        if prc != 0:
            if vrc != 2:
                self.failures.append(f"{name}: postconf failed ({perr.strip()[-200:]!r}) but postvet exit {vrc}")
            return
        if vrc != 0:
            self.failures.append(f"{name}: postvet exit {vrc}: {verr.strip()[-300:]!r}")
            return
        pw = warnings(perr, "postconf")
        vw = warnings(verr, "postvet")
        self.warnings += len(pw)
        self.dbms_warnings += sum(1 for w in pw if DBMS_RE.search(w))
        self.master_warnings += sum(1 for w in pw if "master.cf" in w)
        if pw != vw:
            self.failures.append(f"{name}: warnings differ: postconf-only {sorted(pw - vw)[:4]} "
                                 f"postvet-only {sorted(vw - pw)[:4]}")


    def compare_listings(self, name, directory):
        """-M/-F/-P: the registration warnings, and the open failure."""
        registration = re.compile(r".*: (?:undefined parameter|unused parameter|read-only parameter assignment): ")
        for pc, pv in (("-M", "--entries"), ("-F", "--fields"), ("-P", "--params")):
            self.checked += 1
            prc, perr, vrc, verr = run_pair(["postconf", "-c", directory, pc],
                                            [POSTVET, "show", *oracle_lib.version_args(), pv, directory])
            if prc != 0:
                pfatal = [l[len("postconf: fatal: "):] for l in perr.splitlines() if l.startswith("postconf: fatal: ")]
                vfatal = [l[len("postvet: "):] for l in verr.splitlines()
                          if l.startswith("postvet: ") and not l.startswith("postvet: warning: ")]
                if vrc != 2 or pfatal != vfatal:
                    self.failures.append(f"{name} [{pc}]: postconf {pfatal} postvet exit {vrc} {vfatal}")
                continue
            pw = {w for w in warnings(perr, "postconf") if registration.match(w)}
            vw = {w for w in warnings(verr, "postvet") if registration.match(w)}
            self.warnings += len(pw)
            if vrc != 0 or pw != vw:
                self.failures.append(f"{name} [{pc}]: postvet exit {vrc}; postconf-only {sorted(pw - vw)[:4]} "
                                     f"postvet-only {sorted(vw - pw)[:4]}")


def read(path):
    with open(path, "rb") as fh:
        return fh.read()


def testdata_dirs():
    top = os.path.join(SOURCE_DIR, "testdata")
    for dirpath, _, files in sorted(os.walk(top)):
        if "main.cf" in files or "master.cf" in files:
            yield os.path.relpath(dirpath, top), dirpath


def local_part(root, tally):
    for rel, path in testdata_dirs():
        main = read(os.path.join(path, "main.cf")) if os.path.exists(os.path.join(path, "main.cf")) else b""
        master = read(os.path.join(path, "master.cf")) if os.path.exists(os.path.join(path, "master.cf")) else None
        tally.compare(f"testdata/{rel}", scratch(root, "td-" + rel.replace("/", "_"), main, master))
    for name, main, master in ISSUE_CASES:
        d = scratch(root, "issue-" + name, main, master)
        tally.compare(f"issue 23 {name}", d)
        tally.compare_listings(f"issue 23 {name}", d)
    tally.compare_listings("issue 23 missing master.cf", scratch(root, "issue-no-master", b"", None))
    rng = random.Random(SEED)
    for i in range(GENERATED):
        main, master = generate_pair(rng)
        tally.compare(f"generated pair #{i} (seed {SEED})", scratch(root, f"pair{i:03d}", main, master))
    # Issue 23's example: an ldap map file with a setting ldap does not know,
    # named directly, through $name and proxy:, and from master.cf.
    d = os.path.join(root, "issue-ldap")
    os.makedirs(d)
    with open(os.path.join(d, "ldap-aliases.cf"), "wb") as fh:
        fh.write(b"server_host = ldap.example.com\nsearch_base = dc=example\njunk = junk\nresult_atribute = mail\n")
    with open(os.path.join(d, "mysql.cf"), "wb") as fh:
        fh.write(b"hosts = db\nuser = u\nqeury = SELECT 1\n")
    main = f"alias_maps = ldap:{d}/ldap-aliases.cf\nmy_maps = proxy:mysql:{d}/mysql.cf\n"
    main += "virtual_alias_maps = $my_maps\n"
    master = f"s1 inet n - n - - smtpd -o relay_recipient_maps=pgsql:{d}/mysql.cf\n"
    conf = scratch(root, "issue-ldap-conf", main.encode(), master.encode())
    tally.compare("issue 23 ldap/mysql/pgsql files", conf)
    tally.compare_listings("issue 23 ldap/mysql/pgsql files", conf)
    # A client file postconf cannot parse: it dies (-n and -M/-F/-P alike).
    with open(os.path.join(d, "bad.cf"), "wb") as fh:
        fh.write(b"hosts = db\nno equals sign\n")
    conf = scratch(root, "issue-ldap-fatal", f"alias_maps = mysql:{d}/bad.cf\n".encode(), master.encode())
    tally.compare("issue 23 unparsable client file", conf)
    tally.compare_listings("issue 23 unparsable client file", conf)
    for i in range(GEN_DBMS):
        d = os.path.join(root, f"dbms{i:03d}")
        os.makedirs(d)
        main, master = generate_dbms_case(rng, d)
        scratch(root, f"dbms{i:03d}-conf", main, master)
        tally.compare(f"generated database client case #{i} (seed {SEED})", os.path.join(root, f"dbms{i:03d}-conf"))
        if i < 10:
            tally.compare_listings(f"generated database client case #{i} (seed {SEED})",
                                   os.path.join(root, f"dbms{i:03d}-conf"))
    for i, master in enumerate(gen_master_cf.generate(SEED, GEN_MASTER)):
        tally.compare(f"gen_master_cf #{i} (seed {SEED})", scratch(root, f"genm{i:03d}", b"", master))


def shared_part(root, tally):
    stock = read(STOCK_MASTER)
    n = 0
    with open(os.path.join(CORPUS, "ORACLE.tsv"), newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t"))
    seen = set()
    for row in rows:
        f, ctx = row["file"], row["context"]
        if (f, ctx) in seen:
            continue
        seen.add((f, ctx))
        if f.startswith("main.cf/") and row["mode"] == "n":
            master = read(os.path.join(CORPUS, ctx)) if ctx.startswith("master.cf/") else stock
            main = read(os.path.join(CORPUS, f))
        elif f.startswith("master.cf/") and row["mode"] == "M" and ctx == "main.cf=empty":
            main, master = b"", read(os.path.join(CORPUS, f))
        else:
            continue
        n += 1
        tally.compare(f"corpus {f} ({ctx})", scratch(root, f"corpus{n:03d}", main, master))
    if n < 50:
        tally.failures.append(f"only {n} corpus directories found in {CORPUS}")


def main():
    shared_data.start(CORPUS)
    if shutil.which("postconf") is None:
        print("FAIL: postconf is not installed; this oracle test needs Postfix 3.7")
        return 1
    tally = Tally()
    with tempfile.TemporaryDirectory(prefix="show-warnings-oracle-") as root:
        if shared_data.run_shared(CORPUS):
            shared_part(root, tally)
        if shared_data.run_local():
            local_part(root, tally)
    if tally.checked == 0 and not tally.failures:
        return 0  # the shared part was skipped
    for f in tally.failures:
        print("FAIL:", f)
    print(f"{tally.checked - len(tally.failures)} of {tally.checked} runs agree; "
          f"{tally.warnings} distinct postconf warnings compared, {tally.master_warnings} of them "
          f"about master.cf, {tally.dbms_warnings} about database client files")
    if shared_data.run_local() and tally.dbms_warnings < 100:
        print(f"FAIL: only {tally.dbms_warnings} database client file warnings compared")
        return 1
    return 1 if tally.failures else 0


if __name__ == "__main__":
    sys.exit(main())
