#!/usr/bin/env python3
"""Oracle test of PV406 (unknown-option-parameter) against postconf.

postconf -n warns "DIR/master.cf: unused parameter: N=V" for every master.cf
`-o` name it does not accept, and "read-only parameter assignment: N=V" for
process_name and friends. PV406 must report exactly those options. The
cases mix what decides acceptance: built-in names, typos, user names
referenced as $name from the same service, from another service (does not
count), from main.cf, restriction classes (main.cf's and the service's),
ldap:/mysql: client names (prefix_suffix, also behind proxy:), main.cf
names referenced from a service that does not set them,
service-derived names, and main.cf names that are set but unreferenced.
Seeded; POSTVET_ORACLE_SEED and POSTVET_ORACLE_CASES override. Fails, not
skips, when postconf is missing.
"""
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import oracle_lib  # noqa: E402

SRC = os.environ.get("POSTVET_SOURCE_DIR", os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN = os.environ.get("POSTVET_BIN", os.path.join(SRC, "build", "postvet"))
SEED = int(os.environ.get("POSTVET_ORACLE_SEED", "406"))
CASES = int(os.environ.get("POSTVET_ORACLE_CASES", "40"))

failures = []


def fail(msg):
    failures.append(msg)
    print("FAIL:", msg)


SERVICES = [("smtp", "inet", "smtpd"), ("submission", "inet", "smtpd"), ("relay", "unix", "smtp"),
            ("amavis", "unix", "lmtp"), ("policy", "unix", "spawn")]


def make_case(rng, index):
    main = ["compatibility_level = 3.6"]
    services = rng.sample(SERVICES, rng.randint(2, len(SERVICES)))
    options = {s[0]: [] for s in services}
    names = [s[0] for s in services]

    def opt(service, name, value):
        options[service].append((name, value))

    for k in range(rng.randint(3, 9)):
        svc = rng.choice(names)
        user = f"u{index}_{k}"
        kind = rng.choice(["builtin", "typo", "local-ref", "other-ref", "main-ref", "main-class",
                           "local-class", "ldap-local", "ldap-main", "proxy-mysql", "derived",
                           "main-set", "main-cross", "read-only", "unreferenced"])
        if kind == "builtin":
            opt(svc, rng.choice(["smtpd_tls_security_level", "syslog_name", "smtpd_sasl_auth_enable"]), "x")
        elif kind == "typo":
            opt(svc, rng.choice(["smtpd_clinet_restrictions", "smtpd_tls_securty_level", "syslog_nmae"]), "x")
        elif kind == "local-ref":
            opt(svc, user, "permit")
            opt(svc, "smtpd_helo_restrictions", f"${user}")
        elif kind == "other-ref":
            opt(svc, user, "permit")
            other = rng.choice(names)
            opt(other, "smtpd_data_restrictions", f"${{{user}}}")
        elif kind == "main-ref":
            opt(svc, user, "permit")
            main.append(f"smtpd_end_of_data_restrictions = ${user}")
        elif kind == "main-class":
            opt(svc, user, "permit")
            main.append(f"smtpd_restriction_classes = {user}")
        elif kind == "local-class":
            opt(svc, "smtpd_restriction_classes", f"{user}, {user}x")
            opt(svc, user, "permit")
        elif kind == "ldap-local":
            opt(svc, "canonical_maps", f"ldap:{user}")
            opt(svc, f"{user}_server_host", "ldap.example")
        elif kind == "ldap-main":
            main.append(f"relocated_maps = ldap:{user}")
            opt(svc, f"{user}_search_base", "dc=example")
        elif kind == "proxy-mysql":
            opt(svc, "transport_maps", f"proxy:mysql:{user}")
            opt(svc, f"{user}_hosts", "db.example")
        elif kind == "derived":
            opt(svc, "relay_destination_concurrency_limit" if "relay" in names else "amavis_destination_recipient_limit"
                if "amavis" in names else "smtp_destination_rate_delay", "1")
        elif kind == "main-set":
            main.append(f"{user} = 1")
            main.append(f"smtpd_etrn_restrictions = ${user}")
            opt(svc, user, "2")
        elif kind == "main-cross":
            # Set in main.cf, referenced from a service that does not set it:
            # the name becomes valid everywhere.
            main.append(f"{user} = 1")
            opt(rng.choice(names), "smtpd_etrn_restrictions", f"${user}")
            opt(svc, user, "2")
        elif kind == "read-only":
            opt(svc, rng.choice(["process_name", "service_name"]), "x")
        else:
            main.append(f"{user} = 1")
            opt(svc, user, "2")

    # Later main.cf lines win; keep one line per name so the case stays readable.
    seen = {}
    for line in main:
        seen[line.split(" = ")[0]] = line
    master = []
    for name, typ, command in services:
        args = "" if command != "spawn" else " user=nobody argv=/bin/true"
        lines = [f"{name:<10} {typ:<5} -       n       n       -       -       {command}"]
        pairs = {}
        for n, v in options[name]:
            pairs[n] = v  # one -o per name: later ones would win anyway
        for n, v in pairs.items():
            lines.append(f"  -o {{ {n} = {v} }}" if " " in v else f"  -o {n}={v}")
        if args:
            lines.append(" " + args)
        master.extend(lines)
    private_fix = [l.replace(" inet  -", " inet  n") for l in master]
    return "\n".join(seen.values()) + "\n", "\n".join(private_fix) + "\n"


def backdate(path):
    old = time.time() - 3600
    for n in os.listdir(path):
        os.utime(os.path.join(path, n), (old, old))


def postconf_warnings(path):
    p = subprocess.run(["postconf", "-c", path, "-n"], capture_output=True, text=True)
    out = []
    for line in p.stderr.splitlines():
        m = re.search(r"master\.cf: (unused parameter|read-only parameter assignment): (.*)$", line)
        if m:
            out.append(f"{m.group(1)}: {m.group(2)}")
    return sorted(out)


def postvet_findings(path):
    p = subprocess.run([BIN, "check", *oracle_lib.version_args(), "--format", "json", "--select", "PV406",
                        "--fail-on", "info", path], capture_output=True, text=True)
    if p.returncode == 2:
        fail(f"postvet failed on {path}: {p.stderr.strip()}")
        return []
    out = []
    for d in json.loads(p.stdout)["diagnostics"]:
        # Postfix's own words are in a detail note.
        text = " ".join([d["message"]] + [n["message"] for n in d.get("notes", [])])
        m = re.search(r'"((?:unused parameter|read-only parameter assignment): [^"]*)"', text)
        out.append(m.group(1) if m else "?" + d["message"])
    return sorted(out)


def main():
    if shutil.which("postconf") is None:
        print("FAIL: postconf (Postfix) is not installed; this oracle test needs it")
        return 1
    rng = random.Random(SEED)
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(CASES):
            d = os.path.join(tmp, f"case{i}")
            os.makedirs(d)
            main_cf, master_cf = make_case(rng, i)
            with open(os.path.join(d, "main.cf"), "w") as f:
                f.write(main_cf)
            with open(os.path.join(d, "master.cf"), "w") as f:
                f.write(master_cf)
            backdate(d)
            want = postconf_warnings(d)
            got = postvet_findings(d)
            if want != got:
                fail(f"case {i}: postconf says {want}, postvet says {got}\n--- main.cf\n{main_cf}--- master.cf\n"
                     f"{master_cf}")
    print(f"{CASES} cases (seed {SEED}), {len(failures)} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
