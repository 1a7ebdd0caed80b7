#!/usr/bin/env python3
"""Paired timing of postvet against a Postfix command, for bench/rows/*.sh.

On a loaded machine absolute times drift; what is compared is the ratio of
two commands run in alternating pairs (A B, then B A, ...), each pair close
in time. After WARMUP rounds, RUNS pairs are timed (wall clock of the whole
process, output to /dev/null); the ratio reported is the median of the
per-pair ratios A/B. Peak RSS is the larger of two runs under
/usr/bin/time (a small parent: a child of this Python process would report
the parent's RSS, inherited up to its exec). With valgrind installed (and BENCH_IR not 0) each command is also run
once under callgrind for its instruction count, which load does not change.

Prints the row line of bench/run.sh's interface:
  NAME TAB A-figure TAB B-figure TAB ratio TAB goal TAB yes|no TAB note
where a figure is "median ms, peak MiB" and the goal is met when the ratio
is at most GOAL. Exit 0 unless a command could not be run at all.

usage: paired.py NAME GOAL [--runs N] [--warmup N] [--note TEXT] -- A ARGS... -- B ARGS...
"""
import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time


def run_once(argv):
    """(wall seconds, ru_maxrss, exit status) of one run (see peak_kib for RSS)."""
    t0 = time.perf_counter()
    pid = os.posix_spawnp(argv[0], argv, os.environ,
                          file_actions=[(os.POSIX_SPAWN_OPEN, 0, os.devnull, os.O_RDONLY, 0),
                                        (os.POSIX_SPAWN_OPEN, 1, os.devnull, os.O_WRONLY, 0),
                                        (os.POSIX_SPAWN_OPEN, 2, os.devnull, os.O_WRONLY, 0)])
    _, status, usage = os.wait4(pid, 0)
    return time.perf_counter() - t0, usage.ru_maxrss, status


def peak_kib(argv):
    """Peak RSS (KiB) of the command, the larger of two runs, or None."""
    if not os.path.exists("/usr/bin/time"):
        return None
    best = None
    for _ in range(2):
        with tempfile.NamedTemporaryFile(prefix="bench-rss-", mode="r") as out:
            subprocess.run(["/usr/bin/time", "-o", out.name, "-f", "%M", *argv],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            lines = out.read().split()
        if lines and lines[-1].isdigit():
            best = max(best or 0, int(lines[-1]))
    return best


def instructions(argv):
    """Instructions of one run under callgrind, or None."""
    if os.environ.get("BENCH_IR", "1") == "0" or shutil.which("valgrind") is None:
        return None
    with tempfile.NamedTemporaryFile(prefix="bench-cg-") as out:
        p = subprocess.run(["valgrind", "--tool=callgrind", f"--callgrind-out-file={out.name}", *argv],
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    m = re.search(r"Collected : (\d+)", p.stderr)
    return int(m.group(1)) if m else None


def main():
    argv = sys.argv[1:]
    if argv.count("--") != 2:
        sys.exit(__doc__.strip().splitlines()[-1])
    first = argv.index("--")
    second = argv.index("--", first + 1)
    ap = argparse.ArgumentParser()
    ap.add_argument("name")
    ap.add_argument("goal", type=float)
    ap.add_argument("--runs", type=int, default=int(os.environ.get("RUNS", "20")))
    ap.add_argument("--warmup", type=int, default=3)
    ap.add_argument("--note", default="")
    args = ap.parse_args(argv[:first])
    cmd_a, cmd_b = argv[first + 1:second], argv[second + 1:]
    for cmd in (cmd_a, cmd_b):
        _, _, status = run_once(cmd)
        if os.WIFSIGNALED(status) or os.waitstatus_to_exitcode(status) in (126, 127):
            print(f"{args.name}: cannot run {' '.join(cmd)} (status {status})", file=sys.stderr)
            return 2
    for _ in range(args.warmup):
        run_once(cmd_a)
        run_once(cmd_b)
    times_a, times_b, ratios = [], [], []
    for i in range(args.runs):
        order = (0, 1) if i % 2 == 0 else (1, 0)
        got = [None, None]
        for which in order:
            wall, rss, _ = run_once(cmd_a if which == 0 else cmd_b)
            got[which] = (wall, rss)
        times_a.append(got[0][0])
        times_b.append(got[1][0])
        ratios.append(got[0][0] / got[1][0])
    ratio = statistics.median(ratios)
    note = []
    if args.note:
        note.append(args.note)
    note.append(f"{args.runs} alternating pairs; median of pair ratios")
    ir_a, ir_b = instructions(cmd_a), instructions(cmd_b)
    if ir_a and ir_b:
        note.append(f"instructions {ir_a / 1e6:.1f}M vs {ir_b / 1e6:.1f}M = {ir_a / ir_b:.2f}")

    peak_a, peak_b = peak_kib(cmd_a), peak_kib(cmd_b)

    def fig(times, peak):
        rss = f", {peak / 1024:.1f} MiB" if peak else ""
        return f"{statistics.median(times) * 1000:.2f} ms{rss}"

    met = "yes" if ratio <= args.goal else "no"
    print("\t".join([args.name, fig(times_a, peak_a), fig(times_b, peak_b), f"{ratio:.2f}",
                     f"<= {args.goal}", met, "; ".join(note)]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
