#!/usr/bin/env python3
"""Prove that two postvet binaries behave identically on every fixture.

Usage: scripts/same-behaviour.py OLD_BIN NEW_BIN [--jobs N] [--no-corpus]
                                 [--show N] [--list]

For a refactoring that must not change behaviour (issue 17): run the
binary of the starting commit (OLD_BIN, e.g. /work/ref/postvet) and the
refactored one (NEW_BIN, e.g. build/postvet) on the same inputs and compare
stdout, stderr and the exit code byte for byte, and for the commands that
write files (`check --fix`, `--generate-baseline`) every file of the
directory afterwards.

Inputs:
- every configuration directory under testdata/ (demo, reply_maps/*,
  rules/PVnnn/{fire,clean,fixed}), found as the directories holding a
  main.cf, master.cf or table file;
- ../shared/corpus when present (otherwise one "skipped:" line): each
  main.cf in a scratch directory with the master.cf of the same repository
  (when the corpus has one), each master.cf, checks table and templated
  file on its own.

Per configuration directory: `check` (text, json, sarif, gcc, --statistics,
--diff, --unsafe-fixes --diff, --postfix-version 2.11 / 3.4 json, each
main.cf/master.cf alone), `show` (main.cf plain and -x, master.cf
--entries/--fields/--params), `query` of each table (three keys, both
regexp and pcre), `tune` (text, json, --diff, with all testdata/logs logs,
--memory/--peak-clients, --postfix-version 3.4), `probe` and
`check --probe` against a resolver where nothing listens (127.0.0.1:1:
its error path is deterministic; a live resolver's latency is not),
`check --fix`, `check --fix --unsafe-fixes` and `--generate-baseline` then
`--baseline` on scratch copies, and `diff` (text, json) between the
fixture pairs fire/clean and fire/fixed and between neighbouring corpus
configurations.

Two things differ between two runs of one binary: $process_id expands to
the pid (as in postconf), so each postvet runs as pid 1 in its own pid
namespace (`unshare --pid --fork`, when that works: as root), else both
runs' pids are replaced by <PID>; and the reason a dead resolver gives
(timeout or "Could not contact DNS servers") is replaced by <REASON>. Running the
script with OLD_BIN as both binaries reports 0 differences.

Both binaries see the same arguments, working directory and absolute
scratch paths (a mutating case is set up, run with OLD, snapshotted,
wiped, set up again and run with NEW), so paths in messages match.

Output: one line per difference (up to --show, with the first differing
lines), then "N invocations, M differences". Exit 0 when identical, 1 on
any difference, 2 on a usage error.

How it was run for issue 17 (OLD: a build of the commit before the
refactoring, in a second work tree):
  git worktree add ../before <commit> && cmake -S ../before -B ../before/build && cmake --build ../before/build --target postvet
  scripts/same-behaviour.py ../before/build/postvet build/postvet
"""
import argparse
import concurrent.futures
import difflib
import os
import re
import shutil
import subprocess
import sys
import tempfile

SRC = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TABLE_NAMES = ("header_checks", "body_checks", "smtp_header_checks",
               "milter_header_checks", "mime_header_checks",
               "nested_header_checks", "recipient_access", "client_access")
QUERY_KEYS = ("Subject: test", "From: spammer@example.com",
              "127.0.0.2")
DEAD_RESOLVER = ["--resolver", "127.0.0.1:1", "--timeout", "20",
                 "--tries", "1", "--deadline", "200"]
TIMEOUT_S = 120


def is_table(name):
    return (name in TABLE_NAMES or name.endswith((".regexp", ".pcre"))
            or name.startswith("rbl_reply"))


def config_dirs(root):
    """Directories under root (relative to SRC) holding Postfix input."""
    found = []
    for dirpath, dirnames, filenames in os.walk(os.path.join(SRC, root)):
        dirnames.sort()
        rel = os.path.relpath(dirpath, SRC)
        if rel.startswith(os.path.join("testdata", "golden")) or \
                rel.startswith(os.path.join("testdata", "logs")):
            continue
        if any(f in ("main.cf", "master.cf") or is_table(f)
               for f in filenames):
            found.append(rel)
    return found


class Case:
    """One invocation: argv after the binary, working directory, optional
    stdin, and for a mutating case the tree to copy in and snapshot."""

    def __init__(self, label, args, cwd, stdin=None, setup=None):
        self.label = label
        self.args = args
        self.cwd = cwd
        self.stdin = stdin
        self.setup = setup  # (source dir, scratch dir) or None


def dir_cases(d, cwd, logs):
    """Every read-only invocation for config dir d (relative to cwd)."""
    out = []
    full = os.path.join(cwd, d)
    names = sorted(os.listdir(full))

    def add(*args, stdin=None):
        out.append(Case(" ".join(args), list(args), cwd, stdin))

    add("check", d)
    for fmt in ("json", "sarif", "gcc"):
        add("check", "--format", fmt, d)
    add("check", "--statistics", d)
    add("check", "--diff", d)
    add("check", "--unsafe-fixes", "--diff", d)
    add("check", "--format", "json", "--postfix-version", "2.11", d)
    add("check", "--format", "json", "--postfix-version", "3.4", d)
    for name in ("main.cf", "master.cf"):
        if name in names:
            path = os.path.join(d, name)
            add("check", "--format", "json", path)
            with open(os.path.join(full, name), "rb") as f:
                add("check", "--format", "json", "--stdin-filename", path,
                    "-", stdin=f.read())
    if "main.cf" in names:
        add("show", os.path.join(d, "main.cf"))
        add("show", "-x", os.path.join(d, "main.cf"))
        add("show", d)
    if "master.cf" in names:
        for form in ("--entries", "--fields", "--params"):
            add("show", form, os.path.join(d, "master.cf"))
    for name in names:
        if is_table(name) and name != "main.cf":
            path = os.path.join(d, name)
            for kind in ("regexp", "pcre"):
                for key in QUERY_KEYS:
                    add("query", "--type", kind, path, key)
                add("query", "--type", kind, path, "-",
                    stdin="\n".join(QUERY_KEYS).encode() + b"\n")
    add("tune", d)
    add("tune", "--format", "json", d)
    add("tune", "--diff", d)
    if logs:
        log_args = []
        for log in logs:
            log_args += ["--log", log]
        add("tune", *log_args, d)
        add("tune", "--format", "json", *log_args, d)
    add("tune", "--format", "json", "--memory", "2G", "--peak-clients",
        "300", "--postfix-version", "3.4", d)
    add("probe", *DEAD_RESOLVER, d)
    add("probe", "--format", "json", *DEAD_RESOLVER, d)
    add("check", "--probe", *DEAD_RESOLVER, d)
    return out


def mutating_cases(d, cwd, scratch):
    """check --fix / baseline on a scratch copy of d."""
    out = []
    src = os.path.join(cwd, d)
    for i, args in enumerate((["check", "--fix", "w"],
                              ["check", "--fix", "--unsafe-fixes", "w"],
                              ["check", "--fix", "--format", "json", "w"],
                              ["check", "--generate-baseline", "B", "w"])):
        work = os.path.join(scratch, f"{i}_" + d.replace(os.sep, "_"))
        out.append(Case(" ".join(args[:-1] + [d]), args, work,
                        setup=(src, os.path.join(work, "w"))))
    return out


def diff_cases(pairs, cwd):
    out = []
    for a, b in pairs:
        out.append(Case(f"diff {a} {b}", ["diff", a, b], cwd))
        out.append(Case(f"diff --format json {a} {b}",
                        ["diff", "--format", "json", a, b], cwd))
    return out


def snapshot(path):
    files = {}
    for dirpath, _, filenames in os.walk(path):
        for f in filenames:
            p = os.path.join(dirpath, f)
            with open(p, "rb") as fh:
                files[os.path.relpath(p, path)] = fh.read()
    return files


def pid_namespace_works():
    """Whether `unshare --pid --fork` runs here (root): then every postvet
    runs as pid 1 and $process_id expands the same in both runs."""
    try:
        return subprocess.run(["unshare", "--pid", "--fork", "true"],
                              capture_output=True).returncode == 0
    except OSError:
        return False


PREFIX = ["unshare", "--pid", "--fork"] if pid_namespace_works() else []


def normalize(data):
    """A resolver where nothing listens fails as "timeout" or "Could not
    contact DNS servers" depending on timing."""
    return re.sub(rb"did not answer any query \([^)]*\)",
                  b"did not answer any query (<REASON>)", data)


def unpid(result, pids):
    """Without a pid namespace: both runs' pids, as whole numbers, become
    <PID> in both results (a number in the output that equals a pid by
    chance then changes in both alike)."""
    if PREFIX:
        return result
    out = {}
    for key, data in result.items():
        for pid in pids:
            data = re.sub(rb"\b%d\b" % pid, b"<PID>", data)
        out[key] = data
    return out


def run_one(binary, case, home):
    if case.setup:
        src, dst = case.setup
        if os.path.exists(case.cwd):
            shutil.rmtree(case.cwd)
        os.makedirs(case.cwd)
        shutil.copytree(src, dst)
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LC_ALL": "C",
           "TZ": "UTC", "HOME": home}
    with subprocess.Popen(PREFIX + [binary] + case.args, cwd=case.cwd, env=env,
                          stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE) as p:
        try:
            out, err = p.communicate(case.stdin or b"", timeout=TIMEOUT_S)
            result = {"exit": str(p.returncode).encode(),
                      "stdout": normalize(out), "stderr": normalize(err)}
            pid = p.pid
        except subprocess.TimeoutExpired:
            p.kill()
            p.communicate()
            result = {"exit": b"timeout", "stdout": b"", "stderr": b""}
            pid = p.pid
    if case.setup:
        for name, data in sorted(snapshot(case.cwd).items()):
            result["file " + name] = data
        # A baseline is only useful if --baseline reads it back the same.
        if case.args[:2] == ["check", "--generate-baseline"]:
            q = subprocess.run(PREFIX + [binary, "check", "--baseline", "B",
                                "--baseline-report", "w"], cwd=case.cwd,
                               capture_output=True, env=env,
                               timeout=TIMEOUT_S)
            result["baseline exit"] = str(q.returncode).encode()
            result["baseline stdout"] = q.stdout
            result["baseline stderr"] = q.stderr
        shutil.rmtree(case.cwd)
    return result, pid


def compare(old, new, case, home):
    a, pid_a = run_one(old, case, home)
    b, pid_b = run_one(new, case, home)
    a, b = unpid(a, (pid_a, pid_b)), unpid(b, (pid_a, pid_b))
    if a == b:
        return None
    lines = []
    for key in sorted(set(a) | set(b)):
        x, y = a.get(key), b.get(key)
        if x == y:
            continue
        if x is None or y is None:
            lines.append(f"  {key}: only in {'NEW' if x is None else 'OLD'}")
            continue
        d = list(difflib.unified_diff(
            x.decode("utf-8", "replace").splitlines(),
            y.decode("utf-8", "replace").splitlines(),
            "OLD " + key, "NEW " + key, n=1, lineterm=""))
        lines.append("  " + "\n  ".join(d[:12]))
    return "\n".join(lines)


def corpus_inputs(corpus, scratch):
    """Scratch config dirs for the corpus, and its lone files."""
    cdir = os.path.join(scratch, "corpus")
    os.makedirs(cdir)
    dirs = []
    mains = sorted(os.listdir(os.path.join(corpus, "main.cf")))
    masters = set(os.listdir(os.path.join(corpus, "master.cf")))
    for name in mains:
        d = os.path.join(cdir, name)
        os.makedirs(d)
        shutil.copy(os.path.join(corpus, "main.cf", name),
                    os.path.join(d, "main.cf"))
        if name.endswith("main.cf"):
            pair = name[:-len("main.cf")] + "master.cf"
            if pair in masters:
                shutil.copy(os.path.join(corpus, "master.cf", pair),
                            os.path.join(d, "master.cf"))
        dirs.append(name)
    return cdir, dirs


def corpus_file_cases(corpus):
    out = []

    def add(*args, stdin=None):
        out.append(Case(" ".join(args), list(args), corpus, stdin))

    for name in sorted(os.listdir(os.path.join(corpus, "master.cf"))):
        path = os.path.join("master.cf", name)
        add("check", "--format", "json", "--type", "master", path)
        for form in ("--entries", "--fields", "--params"):
            add("show", form, path)
    for name in sorted(os.listdir(os.path.join(corpus, "checks"))):
        path = os.path.join("checks", name)
        for kind in ("regexp", "pcre"):
            add("check", "--format", "json", "--type", kind, path)
            add("query", "--type", kind, path, "-",
                stdin="\n".join(QUERY_KEYS).encode() + b"\n")
    for name in sorted(os.listdir(os.path.join(corpus, "templated"))):
        path = os.path.join("templated", name)
        add("check", "--format", "json", path)
        add("show", path)
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("old")
    ap.add_argument("new")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--show", type=int, default=10,
                    help="differences printed in full (default 10)")
    ap.add_argument("--no-corpus", action="store_true")
    ap.add_argument("--list", action="store_true",
                    help="print the invocations and exit")
    opts = ap.parse_args()
    old, new = (os.path.abspath(opts.old), os.path.abspath(opts.new))
    for b in (old, new):
        if not os.access(b, os.X_OK):
            print(f"same-behaviour: {b} is not an executable", file=sys.stderr)
            return 2

    scratch = tempfile.mkdtemp(prefix="same-behaviour-")
    home = os.path.join(scratch, "home")
    os.makedirs(home)
    try:
        logs_dir = os.path.join("testdata", "logs")
        logs = sorted(os.path.join(logs_dir, f)
                      for f in os.listdir(os.path.join(SRC, logs_dir))
                      if ".log" in f)
        cases = []
        dirs = config_dirs("testdata")
        for d in dirs:
            cases += dir_cases(d, SRC, logs)
            cases += mutating_cases(d, SRC, scratch)
        pairs = []
        for d in dirs:
            if d.endswith(os.sep + "fire"):
                base = os.path.dirname(d)
                for other in ("clean", "fixed"):
                    if os.path.isdir(os.path.join(SRC, base, other)):
                        pairs.append((d, os.path.join(base, other)))
        pairs.append((os.path.join("testdata", "demo"),
                      os.path.join("testdata", "rules", "PV101", "fire")))
        cases += diff_cases(pairs, SRC)

        corpus = os.path.normpath(os.path.join(SRC, "..", "shared", "corpus"))
        if opts.no_corpus:
            print("skipped: ../shared/corpus (--no-corpus)")
        elif not os.path.isdir(corpus):
            print(f"skipped: {corpus} not present")
        else:
            cdir, cdirs = corpus_inputs(corpus, scratch)
            for d in cdirs:
                cases += dir_cases(d, cdir, logs=None)
                cases += mutating_cases(d, cdir, scratch)
            cases += diff_cases(list(zip(cdirs, cdirs[1:])), cdir)
            cases += corpus_file_cases(corpus)

        if opts.list:
            for c in cases:
                print(c.label)
            return 0
        diffs = []
        with concurrent.futures.ThreadPoolExecutor(opts.jobs) as pool:
            futures = [pool.submit(compare, old, new, c, home) for c in cases]
            for c, f in zip(cases, futures):
                d = f.result()
                if d is not None:
                    diffs.append((c, d))
        invocations = len(cases)
        for c, d in diffs[:opts.show]:
            print(f"DIFFERENT: postvet {c.label}  (in {c.cwd})")
            print(d)
        for c, _ in diffs[opts.show:]:
            print(f"DIFFERENT: postvet {c.label}  (in {c.cwd})")
        print(f"{invocations} invocations (each run with both binaries), "
              f"{len(diffs)} differences")
        return 1 if diffs else 0
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
