#!/usr/bin/env python3
"""Shell completions (completions/) complete what the binary accepts.

bash (always): completions/postvet.bash is sourced in a non-interactive
bash, COMP_WORDS/COMP_CWORD are set and _postvet is called, as bash does
on <TAB>. Checked: `postvet <TAB>` offers every command `postvet --help`
lists; `postvet CMD -<TAB>` offers exactly the options `postvet CMD --help`
lists (so the hand-kept lists cannot go stale); `check --sel<TAB>`;
rule IDs (from `postvet rules`) after --select/--ignore, also after a comma
and in the --select=... form; explain's rule IDs; the values of --format,
--fail-on, --type; file names for paths and for --config.

fish (when installed): the same through `complete -C`. zsh (when
installed): the file parses. Without them, their files are checked as text:
each command's block names each of its options. A missing shell is
reported in one SKIP line.
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

import pvtest
from pvtest import BIN, SRC, check
COMPLETIONS = os.path.join(SRC, "completions")


def run(args):
    return subprocess.run([BIN] + args, capture_output=True, text=True, timeout=60)


def help_section(text, title):
    """The first words of the lines of one section ('Options', 'Subcommands') of a CLI11 --help."""
    found = []
    inside = False
    for line in text.splitlines():
        if re.match(r"^[A-Z][A-Za-z ]*:\s*$", line):
            inside = line.strip().lower().startswith(title)
            continue
        m = re.match(r"^\s+(\S+)", line)
        if inside and m:
            found.append(m.group(1))
    return found


def help_options(cmd):
    words = help_section(run(cmd + ["--help"]).stdout, "options")
    return {o for w in words for o in w.split(",") if o.startswith("-")}


def bash_complete(words, cwd=SRC):
    """COMPREPLY of _postvet for the command line `words` (the last is the word under the cursor)."""
    script = ('. "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _postvet; '
              'printf "%s\\n" "${COMPREPLY[@]}"')
    p = subprocess.run(["bash", "--norc", "--noprofile", "-c", script, "_",
                        os.path.join(COMPLETIONS, "postvet.bash"), BIN] + words,
                       capture_output=True, text=True, timeout=60, cwd=cwd)
    if p.stderr:
        print(f"bash stderr for {words}: {p.stderr.strip()}")
    return [w for w in p.stdout.split("\n") if w]


commands = help_section(run(["--help"]).stdout, "subcommands")
rules = [line.split()[:2] for line in run(["rules"]).stdout.splitlines() if line.startswith("PV")]
rule_ids = [r[0] for r in rules]
check("the binary lists commands and rules", len(commands) >= 9 and len(rule_ids) >= 40, (commands, rule_ids[:3]))
options = {cmd: help_options([cmd]) for cmd in commands}

# --- bash ------------------------------------------------------------------
got = bash_complete([""])
check("bash: postvet <TAB> offers check", "check" in got, got)
check("bash: postvet <TAB> offers every command", set(commands) <= set(got), got)
check("bash: postvet ch<TAB>", bash_complete(["ch"]) == ["check"], bash_complete(["ch"]))
got = bash_complete(["check", "--sel"])
check("bash: postvet check --sel<TAB> is --select", got == ["--select"], got)
for cmd in commands:
    got = bash_complete([cmd, "-"])
    check(f"bash: postvet {cmd} -<TAB> offers exactly `postvet {cmd} --help`'s options",
          set(got) == options[cmd], f"missing {sorted(options[cmd] - set(got))} extra {sorted(set(got) - options[cmd])}")
got = bash_complete(["--"])
check("bash: postvet --<TAB> (check is the default) offers --version and check's options",
      "--version" in got and {o for o in options["check"] if o.startswith("--")} <= set(got), got)

pv20 = sorted(r for r in rule_ids if r.startswith("PV20"))
got = bash_complete(["check", "--select", "PV20"])
check("bash: --select PV20<TAB> offers the PV20x rules", sorted(got) == pv20 and "PV204" in got, got)
got = bash_complete(["check", "--ignore", "PV101,PV20"])
check("bash: --ignore PV101,PV20<TAB> completes after the comma", sorted(got) == [f"PV101,{r}" for r in pv20], got)
got = bash_complete(["check", "--select", "=", "PV10"])
check("bash: --select=PV10<TAB>", sorted(got) == sorted(r for r in rule_ids if r.startswith("PV10")), got)
slug = dict(rules)["PV204"]
got = bash_complete(["check", "--select", slug[:-2]])
check("bash: --select completes slugs", slug in got, got)
got = bash_complete(["explain", "PV20"])
check("bash: explain PV20<TAB>", sorted(got) == pv20, got)
check("bash: --format values", {"sarif", "json", "auto"} <= set(bash_complete(["check", "--format", ""])))
check("bash: diff --format has no auto", "auto" not in bash_complete(["diff", "--format", ""]))
check("bash: --fail-on w", bash_complete(["check", "--fail-on", "w"]) == ["warning"])
check("bash: query --type", sorted(bash_complete(["query", "--type", ""])) == ["pcre", "regexp"])
check("bash: show -x completes nothing odd", bash_complete(["show", "-x"]) == ["-x"])
got = bash_complete(["check", "testdata/de"])
check("bash: paths complete as files", got == ["testdata/demo"], got)
got = bash_complete(["testdata/demo/ma"])
check("bash: postvet PATH (default check) completes files",
      sorted(got) == ["testdata/demo/main.cf", "testdata/demo/master.cf"], got)
got = bash_complete(["check", "--config", "testdata/demo/mai"])
check("bash: --config completes files", got == ["testdata/demo/main.cf"], got)
with tempfile.TemporaryDirectory() as tmp:
    open(os.path.join(tmp, "my main.cf"), "w").close()
    got = bash_complete(["check", "my"], cwd=tmp)
    check("bash: a file name with a blank stays one word", got == ["my main.cf"], got)
check("bash: rules takes no files", bash_complete(["rules", "t"]) == [])


# --- fish --------------------------------------------------------------------
def block(text, start, end_pattern):
    i = text.find(start)
    if i < 0:
        return ""
    m = re.compile(end_pattern, re.M).search(text, i + len(start))
    return text[i:m.start() if m else len(text)]


def names_in(text, opt):
    return re.search(r"(?<![\w-])%s(?![\w-])" % re.escape(opt), text) is not None


fish_file = os.path.join(COMPLETIONS, "postvet.fish")
fish_text = open(fish_file).read()
if shutil.which("fish"):
    def fish_complete(line):
        env = dict(os.environ, PATH=os.path.dirname(BIN) + os.pathsep + os.environ.get("PATH", ""))
        p = subprocess.run(["fish", "--no-config", "-c", f"source {fish_file}; complete -C '{line}'"],
                           capture_output=True, text=True, timeout=60, cwd=SRC, env=env)
        return [w.split("\t")[0] for w in p.stdout.split("\n") if w]

    check("fish: the file parses", subprocess.run(["fish", "--no-config", "-n", fish_file]).returncode == 0)
    check("fish: postvet <TAB> offers every command", set(commands) <= set(fish_complete("postvet ")))
    check("fish: postvet check --sel<TAB>", fish_complete("postvet check --sel") == ["--select"],
          fish_complete("postvet check --sel"))
    for cmd in commands:
        got = set(fish_complete(f"postvet {cmd} -"))
        want = {o for o in options[cmd]}
        check(f"fish: postvet {cmd} -<TAB> offers exactly its options", got == want,
              f"missing {sorted(want - got)} extra {sorted(got - want)}")
    got = fish_complete("postvet check --select PV20")
    check("fish: --select PV20<TAB>", sorted(g for g in got if g.startswith("PV")) == pv20, got)
    got = fish_complete("postvet check --ignore PV101,PV20")
    check("fish: --ignore PV101,PV20<TAB>", sorted(got) == [f"PV101,{r}" for r in pv20], got)
    got = fish_complete("postvet explain PV20")
    check("fish: explain PV20<TAB>", sorted(got) == pv20, got)
    got = fish_complete("postvet check testdata/de")
    check("fish: paths complete as files", got == ["testdata/demo/"], got)
else:
    print("SKIP: fish is not installed; its completions were checked as text only")
for cmd in commands:
    marker = "'__postvet_using %s" % cmd
    text = block(fish_text, marker, r"^# |^set -l c ")
    for opt in sorted(options[cmd] - {"-h", "--help"}):
        long_or_short = f"-l {opt[2:]}" if opt.startswith("--") else f"-s {opt[1:]}"
        check(f"fish file: {cmd} has {opt}", long_or_short + " " in text + " " or long_or_short + "\n" in text)

# --- zsh ---------------------------------------------------------------------
zsh_file = os.path.join(COMPLETIONS, "_postvet")
zsh_text = open(zsh_file).read()
if shutil.which("zsh"):
    check("zsh: the file parses", subprocess.run(["zsh", "-n", zsh_file]).returncode == 0)
else:
    print("SKIP: zsh is not installed; its completions were checked as text only")
check("zsh: #compdef postvet", zsh_text.startswith("#compdef postvet\n"))
for cmd in commands:
    text = block(zsh_text, f"        {cmd})\n", r"^\s*;;\s*$")
    check(f"zsh file: a block for {cmd}", text != "")
    for opt in sorted(options[cmd]):
        check(f"zsh file: {cmd} has {opt}", names_in(text, opt))
    check(f"zsh file: {cmd} is among the commands", re.search(r"'%s:" % cmd, zsh_text))

sys.exit(pvtest.summary())
