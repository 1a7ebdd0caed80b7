#!/usr/bin/python3
"""Oracle test: `postvet show --fields/--params/--entries FILE` against live
`postconf -c DIR -F` / `-P` / `-M` (DIR holds the file as master.cf and an
empty main.cf, both backdated so postconf reads them once).

Cases: every corpus master.cf, the master.cf-like templated files, the
hand-made edge cases of format spec section 11, and files from the seeded
generator gen_master_cf.py. For each case and listing:
  * stdout must be identical, byte for byte;
  * postconf exit 0 <=> postvet exit 0; when postconf dies, postvet exits 2
    with the same reason (and the same line number where postconf gives one);
  * the warnings postconf prints while reading master.cf (brace errors,
    name=value errors, leading whitespace; from 3.9 on "text after null
    byte may be ignored") must come out in the same order
    with the same text. "unused parameter" and friends are not compared:
    they need main.cf knowledge that `show` does not have.
Fails (never skips) when postconf is missing. The corpus and templated
files are the shared part, skipped without the corpus.
"""
# postvet-test-parts: local shared

import os
import re
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import gen_master_cf  # noqa: E402
import oracle_lib  # noqa: E402
import shared_data  # noqa: E402

SOURCE_DIR = os.environ.get("POSTVET_SOURCE_DIR", os.path.dirname(HERE))
POSTVET = os.environ.get("POSTVET_BIN", os.path.join(SOURCE_DIR, "build", "postvet"))
CORPUS = shared_data.corpus_dir()
GENERATED_SEED = 20260523
GENERATED_COUNT = 240
OLD = 946684800  # 2000-01-01: postconf re-reads files younger than ~1 s

# Format spec section 11 (cases 32-46) and 5.3, as master.cf bodies.
EDGE_CASES = {
    "s32_bad_field_count": b"smtp inet n - y - smtpd\n",
    "s33_bad_type": b"smtp INET n - y - - smtpd\n",
    "s34_wakeups_ok": b"a unix - - n 60? - x\nb unix - - n -? - x\nc unix - - n ? - x\n"
                      b"d unix - - n 0 - x\ne unix - - n 007 - x\n",
    "s34_wakeup_60x": b"a unix - - n 60x - x\n",
    "s34_wakeup_minus1": b"a unix - - n -1 - x\n",
    "s34_wakeup_60qq": b"a unix - - n 60?? - x\n",
    "s35_maxproc_minus1": b"a unix - - n - -1 x\n",
    "s35_maxproc_1k": b"a unix - - n - 1k x\n",
    "s36_inet_private_default": b"smtp inet - - - - - smtpd\n",
    "s37_attached_o": b"smtp inet n - y - - smtpd -omyhostname=foo\n",
    "s38_braced": b"smtp inet n - y - - smtpd -o { smtpd_banner  =  hi  there  }\n",
    "s39_spaced": b"smtp inet n - y - - smtpd -o smtpd_banner = hello\n",
    "s40_unclosed": b"smtp inet n - y - - smtpd -o { smtpd_banner = a\n",
    "s41_after_brace": b"smtp inet n - y - - smtpd -o {smtpd_banner=a}x\n",
    "s42_comment_in_continuation": b"smtp inet n - y - - smtpd\n# comment\n\n\t-o smtpd_sasl_auth_enable=yes\n",
    "s43_hash_argument": b"smtp inet n - y - - smtpd #comment\n",
    "s44_empty_arguments": b"pipe unix - n n - - pipe argv=/bin/echo {} { }\n",
    "s45_duplicates": b"smtp inet n - y - - smtpd -o a=1\nsmtp inet n - y - - smtpd -o a=2 -o b=3\n",
    "s46_braced_name": b"{my svc} unix - n n - - pipe argv=x -o {a = b}\n",
    "no_equals": b"smtp inet n - y - - smtpd -o smtpd_banner\n",
    "trailing_o": b"smtp inet n - y - - smtpd -o\n",
    "empty_braces_o": b"smtp inet n - y - - smtpd -o {}\n",
    "attached_brace": b"smtp inet n - y - - smtpd -o{smtpd_banner = x}\n",
    "attached_brace_with_o": b"smtp inet n - y - - smtpd -o{smtpd_client_restrictions = permit_mynetworks, reject}\n",
    "combined": b"smtp inet n - y - - smtpd -vo x=y -Do a=b\n",
    "double_dash": b"smtp inet n - y - - smtpd -- -o a=b {x y}\n",
    "lone_dash": b"x unix - - - - - cmd - {a b} -o y=1\n",
    "first_nonoption_braces": b"x unix - - - - - cmd {a b} {c d}\n",
    "nul_cut": b"smtp inet n - y - - smtpd -o a=1\0 -o b=2\n",
    "nul_in_field": b"smtp inet n\0 - y - - smtpd\n",
    "nul_first": b"\0smtp inet n - y - - smtpd\n",
    "crlf": b"smtp inet n - y - - smtpd\r\n  -o a=b\r\n",
    "cr_only": b"smtp inet n - y - - smtpd\r  -o a=b\r",
    "leading_whitespace": b"  -o orphan=1\nsmtp inet n - y - - smtpd\n",
    "leading_whitespace_long": b"   this orphan continuation is longer than thirty bytes\nsmtp inet n - y - - smtpd\n",
    "vt_continuation": b"smtp inet n - y - - smtpd\n\v-o a=b\n",
    "multi_line_brace": b"smtp inet n - y - - smtpd -o {\n smtpd_banner =\n# c\n  a b }\n",
    "long_fields": b"a-very-long-service-name-that-goes-on-and-on-for-ever-and-ever unix - - - - - "
                   b"a-very-long-command-name-that-makes-postconf-fold-the-line -o x=1 {y z}\n",
    "non_utf8": b"caf\xe9 unix - n n - - pi\xe9pe -o a=\xe9\n",
    "bad_utf8_type": b"caf\xe9 unix\xe9 - n n - - pipe\n",
    "empty_value": b"smtp inet n - y - - smtpd -o a= -o b=\n",
    "value_with_tab": b"smtp inet n - y - - smtpd -o {a=x\ty}\n",
    "no_final_newline": b"smtp inet n - y - - smtpd -o a=b",
    "read_only_names": b"smtp inet n - y - - smtpd -o process_name=x -o service_name=y -o a=1\n",
    "macro_loop": b"smtp inet n - y - - smtpd -o myhostname=$mydomain -o mydomain=$myhostname\n",
    "macro_empty_name": b"smtp inet n - y - - smtpd -o {smtpd_banner = cost 5$}\n",
    "macro_user_param": b"smtp inet n - y - - smtpd -o {foo_bar = cost 5$}\n",
    "shared_name_space": b"x unix - - - - - cmd\nx unix - - - - - cmd -o a=1\nx unix - - - - - cmd\n",
    "spaces_in_name_space": b"{my   svc} unix - n n - - pipe -o a=1 -o {b = x   y}\n",
    "vt_ff_in_value": b"smtp inet n - y - - smtpd -o {a=x\vy\fz}\n",
    "many_o_letters": b"smtp inet n - y - - smtpd -ooo -o{o=o} -voo=o\n",
    "only_options": b"smtp inet n - y - - smtpd -v -v -D -S\n",
    "long_type_fold": b"s unix - - - - - " + b"c" * 100 + b" -o a=1\n",
    "empty_file": b"",
    "comments_only": b"# nothing\n\n   \n",
}


def find_postconf():
    path = shutil.which("postconf") or ("/usr/sbin/postconf" if os.path.exists("/usr/sbin/postconf") else None)
    if path is None:
        print("FAIL: postconf not found; this oracle test needs Postfix installed", file=sys.stderr)
        sys.exit(1)
    return path


def corpus_cases():
    cases = {}
    master_dir = os.path.join(CORPUS, "master.cf")
    for name in sorted(os.listdir(master_dir)):
        with open(os.path.join(master_dir, name), "rb") as f:
            cases["corpus/" + name] = f.read()
    templated = os.path.join(CORPUS, "templated")
    for name in sorted(os.listdir(templated)):
        if "master" in name:
            with open(os.path.join(templated, name), "rb") as f:
                cases["templated/" + name] = f.read()
    return cases


# postconf stderr: which warnings we reproduce, reduced to comparable text.
# postconf names itself as invoked (argv[0]), hence the optional directory.
PREFIX = rb"^(?:\S*/)?postconf: "
NORMALIZE_WARNING = re.compile(PREFIX + rb"warning: master\.cf: (.*)$")
LEADING_WARNING = re.compile(PREFIX + rb"warning: .*?/master\.cf: (logical line must not start with whitespace: .*)$")
FATAL_LINE = re.compile(PREFIX + rb"fatal: file .*?/master\.cf: line (\d+): (.*)$")
FATAL_OTHER = re.compile(PREFIX + rb"fatal: (.*)$")
OUR_WARNING = re.compile(rb"^postvet: warning: .*?, line \d+: (.*)$")
# Postfix 3.9+: "DIR/master.cf, line N[-M]: text after null byte may be ignored".
NUL_WARNING = re.compile(PREFIX + rb"warning: .*?/master\.cf, (line [\d-]+: text after null byte may be ignored)$")
OUR_NUL_WARNING = re.compile(rb"^postvet: warning: .*?, (line [\d-]+: text after null byte may be ignored)$")
OUR_FATAL = re.compile(rb"^postvet: .*?(?:, line (\d+))?: (.*)$")


def postconf_view(proc):
    warnings, fatal = [], None
    for line in proc.stderr.splitlines():
        m = NORMALIZE_WARNING.match(line) or LEADING_WARNING.match(line) or NUL_WARNING.match(line)
        if m:
            warnings.append(m.group(1))
            continue
        m = FATAL_LINE.match(line)
        if m:
            fatal = (int(m.group(1)), m.group(2))
            continue
        m = FATAL_OTHER.match(line)
        if m:
            fatal = (None, m.group(1))
    return warnings, fatal


def postvet_view(proc):
    warnings, fatal = [], None
    for line in proc.stderr.splitlines():
        m = OUR_NUL_WARNING.match(line) or OUR_WARNING.match(line)
        if m:
            warnings.append(m.group(1))
            continue
        m = OUR_FATAL.match(line)
        if m:
            fatal = (int(m.group(1)) if m.group(1) else None, m.group(2))
            continue
        warnings.append(b"UNEXPECTED: " + line)
    return warnings, fatal


def run_case(postconf, scratch, index, name, data):
    d = os.path.join(scratch, "c%04d" % index)
    os.mkdir(d)
    master = os.path.join(d, "master.cf")
    with open(os.path.join(d, "main.cf"), "wb"):
        pass
    with open(master, "wb") as f:
        f.write(data)
    for p in (master, os.path.join(d, "main.cf")):
        os.utime(p, (OLD, OLD))
    problems = []
    accepted = True
    want = None
    for flag, option in (("-F", "--fields"), ("-P", "--params"), ("-M", "--entries")):
        # A fatal postconf sleeps 1 s before exiting; -P and -M die exactly
        # where -F did, so a later fatal run is skipped and -F's result reused.
        if want is None or want.returncode == 0:
            want = subprocess.run([postconf, "-c", d, flag], capture_output=True)
        got = subprocess.run([POSTVET, "show", *oracle_lib.version_args(), option, master], capture_output=True)
        tag = "%s %s" % (name, flag)
        if want.returncode not in (0, 1):
            problems.append("%s: postconf exit %d: %r" % (tag, want.returncode, want.stderr[:300]))
            continue
        if got.stdout != want.stdout:
            problems.append("%s: stdout differs\n--- postconf\n%s\n--- postvet\n%s" % (
                tag, want.stdout.decode("latin-1")[:1500], got.stdout.decode("latin-1")[:1500]))
        accepted = accepted and want.returncode == 0
        want_warnings, want_fatal = postconf_view(want)
        got_warnings, got_fatal = postvet_view(got)
        if want.returncode == 0:
            if got.returncode != 0:
                problems.append("%s: postconf accepts, postvet exit %d: %r" % (tag, got.returncode, got.stderr[:300]))
        else:
            if got.returncode != 2:
                problems.append("%s: postconf dies, postvet exit %d" % (tag, got.returncode))
            if want_fatal is None or got_fatal is None:
                problems.append("%s: fatal message missing: postconf %r, postvet %r" % (tag, want.stderr[-300:], got.stderr[-300:]))
            else:
                if want_fatal[1] != got_fatal[1] or (want_fatal[0] is not None and want_fatal[0] != got_fatal[0]):
                    problems.append("%s: fatal differs:\n  postconf %r\n  postvet  %r" % (tag, want_fatal, got_fatal))
        if want_warnings != got_warnings:
            problems.append("%s: warnings differ:\n  postconf %r\n  postvet  %r" % (tag, want_warnings, got_warnings))
    return problems, accepted


def main():
    shared_data.start(CORPUS)
    postconf = find_postconf()
    if not os.access(POSTVET, os.X_OK):
        print("FAIL: postvet binary not found at %s" % POSTVET, file=sys.stderr)
        return 1
    cases = {}
    if shared_data.run_shared(CORPUS):
        cases.update(corpus_cases())
        if len(cases) < 20:
            print("FAIL: only %d corpus master.cf files in %s" % (len(cases), CORPUS))
            return 1
    if shared_data.run_local():
        for name, data in EDGE_CASES.items():
            cases["edge/" + name] = data
        for i, data in enumerate(gen_master_cf.generate(GENERATED_SEED, GENERATED_COUNT)):
            cases["generated/%04d" % i] = data
    if not cases:
        return 0  # the shared part was skipped
    scratch = tempfile.mkdtemp(prefix="postvet-master-oracle-")
    failures = []
    accepted = rejected = 0
    try:
        with ThreadPoolExecutor(max_workers=6) as pool:
            futures = [pool.submit(run_case, postconf, scratch, i, name, data)
                       for i, (name, data) in enumerate(cases.items())]
            for fut in futures:
                problems, ok = fut.result()
                failures.extend(problems)
                if ok:
                    accepted += 1
                else:
                    rejected += 1
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    print("%d cases (%d accepted by postconf, %d rejected), %d mismatches" % (
        len(cases), accepted, rejected, len(failures)))
    for f in failures[:40]:
        print("MISMATCH", f)
    if accepted == 0 or (rejected == 0 and shared_data.run_local()):
        print("FAIL: both accepting and rejecting cases are needed")
        return 1
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
