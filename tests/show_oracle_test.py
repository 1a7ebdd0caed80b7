#!/usr/bin/env python3
"""Oracle test: `postvet show` / `show --expand` against real postconf.

For every corpus main.cf (with its paired master.cf, or the stock Debian
master.cf, as corpus/ORACLE.tsv's context column says) and for 220 files
from the seeded generator tests/gen_main_cf.py, the file is copied into a
scratch DIR (mtimes backdated: Postfix re-reads "hot" files and repeats its
warnings), then compared:

  postconf -c DIR -n      vs  postvet show DIR/main.cf
  postconf -c DIR -x -n   vs  postvet show --expand DIR/main.cf

stdout must be equal once postconf's synthetic `config_directory = DIR` line
is dropped; the sets of "overriding earlier entry", "unused parameter" and
"undefined parameter" warnings about DIR/main.cf must be equal; when postconf
fails, postvet must fail too (exit 2).

Host-dependent defaults (myhostname, mydomain, mynetworks) are not pinned:
postvet computes them as postconf does (gethostname(), interface networks),
and half of the generated files set myhostname explicitly.

Fails (does not skip) when postconf is missing. The corpus files are the
shared part, skipped without the corpus.
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
import gen_main_cf  # noqa: E402
import oracle_lib  # noqa: E402
import shared_data  # noqa: E402

SOURCE_DIR = os.environ.get("POSTVET_SOURCE_DIR", os.path.dirname(HERE))
POSTVET = os.environ.get("POSTVET_BIN", os.path.join(SOURCE_DIR, "build", "postvet"))
CORPUS = shared_data.corpus_dir()
STOCK_MASTER = shared_data.STOCK_MASTER_CF
OLD = 946684800  # 2000-01-01
GENERATED = 220
SEED = 20240611

WARN_RE = re.compile(r"^(?:postconf|postvet): warning: (.*)$")


def main_cf_warnings(stderr, path):
    """The comparable warnings about `path`, with the program name removed."""
    out = set()
    for line in stderr.splitlines():
        m = WARN_RE.match(line)
        if not m:
            continue
        text = m.group(1)
        if not text.startswith(path):
            continue
        rest = text[len(path):]
        if re.match(r", line \d+: overriding earlier entry: ", rest) or \
                rest.startswith(": unused parameter: ") or rest.startswith(": undefined parameter: "):
            out.add(rest)
    return out


def compare(name, directory, failures):
    main_cf = os.path.join(directory, "main.cf")
    n_failed = False
    for mode, pc_args, pv_args in (("n", ["-n"], []), ("x", ["-x", "-n"], ["--expand"])):
        if n_failed:
            # postconf -x -n fails where -n does (and each fatal costs postconf
            # a one-second sleep): only check that postvet fails too.
            prc, pout, perr, ppid = 1, b"", b"(as with -n)", None
        else:
            prc, pout, perr, ppid = oracle_lib.run_with_pid(["postconf", "-c", directory] + pc_args)
            n_failed = prc != 0
        vrc, vout, verr, vpid = oracle_lib.run_with_pid(
            [POSTVET, "show", *oracle_lib.version_args()] + pv_args + [main_cf])
        # $process_id: each tool's own pid, masked in both outputs.
        pids = [pid for pid in (ppid, vpid) if pid is not None]
        pout, vout = oracle_lib.mask_pids(pout, pids), oracle_lib.mask_pids(vout, pids)
        perr = oracle_lib.mask_pids(perr, pids).decode("utf-8", "replace")
        verr = oracle_lib.mask_pids(verr, pids).decode("utf-8", "replace")
        if prc != 0:
            if vrc != 2:
                failures.append(f"{name} [{mode}]: postconf failed ({perr.strip()[-200:]!r}) "
                                f"but postvet exit {vrc}")
            continue
        if vrc != 0:
            failures.append(f"{name} [{mode}]: postvet exit {vrc}: {verr.strip()[-300:]!r}")
            continue
        synthetic = f"config_directory = {directory}\n".encode()
        plines = [l for l in pout.splitlines(keepends=True) if l != synthetic]
        vlines = vout.splitlines(keepends=True)
        if plines != vlines:
            diff = [f"-{l!r}" for l in plines if l not in vlines] + [f"+{l!r}" for l in vlines if l not in plines]
            failures.append(f"{name} [{mode}]: stdout differs: {diff[:6]}")
        pw = main_cf_warnings(perr, main_cf)
        vw = main_cf_warnings(verr, main_cf)
        if pw != vw:
            failures.append(f"{name} [{mode}]: warnings differ: postconf-only {sorted(pw - vw)[:4]} "
                            f"postvet-only {sorted(vw - pw)[:4]}")


def scratch(root, name, main_bytes, master_path):
    d = os.path.join(root, name)
    os.makedirs(d)
    with open(os.path.join(d, "main.cf"), "wb") as fh:
        fh.write(main_bytes)
    shutil.copyfile(master_path, os.path.join(d, "master.cf"))
    for f in ("main.cf", "master.cf"):
        os.utime(os.path.join(d, f), (OLD, OLD))
    return d


def corpus_cases():
    cases = []
    with open(os.path.join(CORPUS, "ORACLE.tsv"), newline="") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            if row["mode"] != "n" or not row["file"].startswith("main.cf/"):
                continue
            ctx = row["context"]
            master = os.path.join(CORPUS, ctx) if ctx.startswith("master.cf/") else STOCK_MASTER
            cases.append((row["file"], os.path.join(CORPUS, row["file"]), master))
    return cases


def main():
    shared_data.start(CORPUS)
    if shutil.which("postconf") is None:
        print("FAIL: postconf is not installed; this oracle test needs Postfix 3.7")
        return 1
    if not os.path.exists(STOCK_MASTER):
        print(f"FAIL: {STOCK_MASTER} is missing")
        return 1
    failures = []
    checked = 0
    with tempfile.TemporaryDirectory(prefix="show-oracle-") as root:
        if shared_data.run_shared(CORPUS):
            cases = corpus_cases()
            if len(cases) < 30:
                failures.append(f"only {len(cases)} corpus main.cf files found in {CORPUS}")
            for name, path, master in cases:
                with open(path, "rb") as fh:
                    data = fh.read()
                d = scratch(root, os.path.basename(name), data, master)
                compare(name, d, failures)
                checked += 1
        if shared_data.run_local():
            rng = random.Random(SEED)
            for i in range(GENERATED):
                data = gen_main_cf.generate(rng)
                d = scratch(root, f"gen{i:03d}", data, STOCK_MASTER)
                compare(f"generated #{i} (seed {SEED})", d, failures)
                checked += 1
    if checked == 0 and not failures:
        return 0  # the shared part was skipped
    for f in failures:
        print("FAIL:", f)
    print(f"{checked - len({f.split(' [')[0] for f in failures})} passed, "
          f"{len({f.split(' [')[0] for f in failures})} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
