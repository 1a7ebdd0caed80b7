#!/usr/bin/env python3
"""Templated configurations (docs/templates.md): the fixtures of
testdata/templates/ (Jinja2/Ansible, ERB, Go templates, Salt) are linted on
their static text.

- Each set gives exactly its real static defects (file, line, column, rule,
  message pinned) and nothing the template syntax caused; the same files
  with template handling off (--template none, or `template = none` in
  .postvet.cf) are full of such findings, so the filter is what keeps them out.
- A directory holding main.cf.j2 / master.cf.tmpl is a configuration
  directory; a table the configuration names may be a template
  (header_checks.j2, body_checks.pcre.erb); a template given alone works.
- stderr says once per template file that it is one.
- The text report quotes the template as written.
- --fix and --diff never touch a template.
- Standard input named main.cf.j2 is a template too.
- Jinja2 whitespace control ({%- -%}, {{- -}}, {#- -#}) reads as the plain
  tags do, in kind detection and in the static view (trim/).
- --vars (and `vars` in .postvet.cf) renders simple expressions: a rendered
  value's defect is reported at the expression's line and column, an
  undefined variable stays silent, YAML and JSON agree, a broken file is
  exit 2 naming its line; --show-settings lists template and vars.
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile

import pvtest
from pvtest import BIN, SRC, check
FIXTURES = os.path.join(SRC, "testdata", "templates")


def run(args, cwd=FIXTURES, stdin=None):
    return subprocess.run([BIN] + args, cwd=cwd, capture_output=True, text=True, input=stdin)


def findings(proc):
    return [(d["file"], d["line"], d["column"], d["rule"], d["message"]) for d in json.loads(proc.stdout)["diagnostics"]]


EXPECTED = {
    "jinja": [
        ("jinja/header_checks.j2", 7, 22, "PV303", '"REJCT" is not an action of header_checks'),
        ("jinja/main.cf.j2", 31, 1, "PV101",
         '"smtpd_helo_restrictons" is not a Postfix 3.7 parameter and nothing uses it as $smtpd_helo_restrictons'),
        ("jinja/main.cf.j2", 32, 22, "PV106", '"10MB" is not a valid value for message_size_limit'),
        ("jinja/main.cf.j2", 33, 1, "PV102", '"mailbox_size_limit" is defined again on line 34'),
        ("jinja/main.cf.j2", 35, 77, "PV109",
         '"reject_unknwon_client_hostname" in smtpd_client_restrictions is not a Postfix 3.7 smtpd restriction'),
        ("jinja/master.cf.j2", 33, 1, "PV403",
         "`-o smtpd_sasl_auth_enable=yes` starts at column 0 instead of continuing service discard/unix"),
    ],
    "erb": [
        ("erb/body_checks.pcre.erb", 6, 1, "PV001", "the pattern on this line is never closed"),
        ("erb/main.cf.erb", 19, 1, "PV102", '"smtpd_sasl_auth_enable" is defined again on line 20'),
        ("erb/main.cf.erb", 21, 22, "PV106", '"lots" is not a valid value for mailbox_size_limit'),
        ("erb/main.cf.erb", 22, 48, "PV109",
         '"reject_unknown_client_hostnam" in smtpd_client_restrictions is not a Postfix 3.7 smtpd restriction'),
    ],
    "go": [
        ("go/main.cf.tmpl", 16, 51, "PV109",
         '"reject_unauth_destinatoin" in smtpd_recipient_restrictions is not a Postfix 3.7 smtpd restriction'),
        ("go/main.cf.tmpl", 17, 18, "PV106", '"ipv5" is not a valid value for inet_protocols'),
        ("go/master.cf.tmpl", 29, 1, "PV001", "this master.cf entry has fewer than the 8 fields of a service"),
    ],
    "salt": [
        ("salt/main.cf", 15, 28, "PV106", '"sometimes" is not a valid value for smtpd_tls_security_level'),
        ("salt/main.cf", 16, 1, "PV102", '"disable_vrfy_command" is defined again with the same value on line 17'),
    ],
}
TEMPLATES = {
    "jinja": ["jinja/main.cf.j2", "jinja/master.cf.j2", "jinja/header_checks.j2"],
    "erb": ["erb/main.cf.erb", "erb/body_checks.pcre.erb"],
    "go": ["go/main.cf.tmpl", "go/master.cf.tmpl"],
    "salt": ["salt/main.cf"],
}
KINDS = {"jinja": "Jinja2", "erb": "ERB", "go": "Go template", "salt": "Jinja2"}


def test_sets():
    for name, expected in EXPECTED.items():
        p = run(["check", "--format", "json", name])
        check(f"{name}: exit 1 (real defects)", p.returncode == 1, p.stderr)
        got = findings(p)
        check(f"{name}: exactly the static defects", sorted(got) == sorted(expected),
              "\n".join(map(repr, sorted(set(got) ^ set(expected)))))
        notices = [line for line in p.stderr.splitlines() if line.startswith("postvet: ")]
        want = [f"postvet: {t}: {KINDS[name]}: linted on its static text" for t in TEMPLATES[name]]
        check(f"{name}: one notice per template", len(notices) == len(want) and
              all(any(n.startswith(w) for n in notices) for w in want), p.stderr)
        # Without template handling the same files drown in template-caused findings.
        raw = run(["check", "--format", "json", "--template", "none", name])
        noise = [f for f in findings(raw) if f not in expected]
        check(f"{name}: --template none shows the template noise", len(noise) >= 3, findings(raw))
        check(f"{name}: --template none prints no notice", "linted on its static text" not in raw.stderr, raw.stderr)


def test_lone_files():
    p = run(["check", "--format", "json", "jinja/main.cf.j2"])
    want = [f for f in EXPECTED["jinja"] if f[0] == "jinja/main.cf.j2"]
    check("main.cf.j2 alone", sorted(findings(p)) == sorted(want), p.stdout + p.stderr)
    p = run(["check", "--format", "json", "jinja/header_checks.j2"])
    want = [f for f in EXPECTED["jinja"] if f[0] == "jinja/header_checks.j2"]
    check("header_checks.j2 alone: its use from its name", findings(p) == want, p.stdout + p.stderr)
    # A template given alone is linted with its directory and reported alone.
    p = run(["check", "--format", "json", "go/master.cf.tmpl"])
    want = [f for f in EXPECTED["go"] if f[0] == "go/master.cf.tmpl"]
    check("master.cf.tmpl alone", findings(p) == want, p.stdout + p.stderr)
    text = open(os.path.join(FIXTURES, "jinja/main.cf.j2")).read()
    p = run(["check", "--format", "json", "--stdin-filename", "main.cf.j2", "-"], stdin=text)
    want = [f[1:] for f in EXPECTED["jinja"] if f[0] == "jinja/main.cf.j2"]
    check("stdin named main.cf.j2", p.stdout.startswith("{") and [f[1:] for f in findings(p)] == want,
          p.stdout + p.stderr)


def test_text_quotes_template():
    p = run(["check", "--format", "text", "--color", "never", "jinja"])
    check("snippet quotes the template as written",
          "permit_mynetworks, {{ postfix_client_checks }}, reject_unknwon_client_hostname" in p.stdout, p.stdout)
    check("no opaque byte in the report", "\x1a" not in p.stdout and "\\x1a" not in p.stdout.lower(), p.stdout)


def test_settings_and_fix():
    with tempfile.TemporaryDirectory() as tmp:
        for name in EXPECTED:
            shutil.copytree(os.path.join(FIXTURES, name), os.path.join(tmp, name))
        before = {n: open(os.path.join(tmp, "jinja", n)).read() for n in os.listdir(os.path.join(tmp, "jinja"))}
        p = run(["check", "--fix", "--unsafe-fixes", "--format", "json", "jinja"], cwd=tmp)
        after = {n: open(os.path.join(tmp, "jinja", n)).read() for n in os.listdir(os.path.join(tmp, "jinja"))}
        check("--fix leaves templates alone", before == after and p.returncode == 1, p.stderr)
        check("--fix: findings still reported", sorted(findings(p)) == sorted(EXPECTED["jinja"]), p.stdout)
        p = run(["check", "--diff", "--unsafe-fixes", "jinja"], cwd=tmp)
        check("--diff prints nothing for templates", p.stdout == "", p.stdout)
        with open(os.path.join(tmp, ".postvet.cf"), "w") as f:
            f.write("template = none\n")
        p = run(["check", "--format", "json", "salt"], cwd=tmp)
        check("template = none in .postvet.cf", any(f[3] == "PV001" for f in findings(p)), p.stdout + p.stderr)
        p = run(["check", "--format", "json", "--template", "jinja", "salt"], cwd=tmp)
        check("--template wins over .postvet.cf", sorted(findings(p)) == sorted(EXPECTED["salt"]), p.stdout)
        with open(os.path.join(tmp, ".postvet.cf"), "w") as f:
            f.write("template = mustache\n")
        p = run(["check", "salt"], cwd=tmp)
        check("a bad template setting is a tool error", p.returncode == 2 and "template" in p.stderr and
              ".postvet.cf" in p.stderr, p.stderr)


TRIM_EXPECTED = [
    ("trim/main.cf", 20, 28, "PV106", '"sometimes" is not a valid value for smtpd_tls_security_level'),
    ("trim/main.cf", 22, 1, "PV102", '"disable_vrfy_command" is defined again with the same value on line 23'),
]


def test_vars_go_erb():
    # Go ({{ .Name }}) and ERB (<%= @name %>) render too: the new findings sit at the expressions,
    # the static ones stay where they were.
    with tempfile.TemporaryDirectory() as tmp:
        go_vars = os.path.join(tmp, "go.json")
        with open(go_vars, "w") as f:
            json.dump({"Concurrency": "lots", "RelayCheck": "permit", "Hostname": "mx1"}, f)
        erb_vars = os.path.join(tmp, "puppet.yaml")
        with open(erb_vars, "w") as f:
            f.write("process_limit: many\nfqdn: mx1.example.com\n")
        p = run(["check", "--format", "json", "--vars", go_vars, "go"])
        want = EXPECTED["go"] + [
            ("go/main.cf.tmpl", 13, 47, "PV601", "service smtp/inet: neither smtpd_relay_restrictions nor "
             "smtpd_recipient_restrictions has reject_unauth_destination before a `permit`"),
            ("go/main.cf.tmpl", 14, 41, "PV106", '"lots" is not a valid value for default_destination_concurrency_limit'),
        ]
        check("--vars with a Go template", sorted(findings(p)) == sorted(want), p.stdout + p.stderr)
        check("--vars with a Go template: the notice", "go/main.cf.tmpl: Go template: linted on its static text "
              "(3 expressions rendered from the variables, 4 expressions taken as unknown values" in p.stderr, p.stderr)
        p = run(["check", "--format", "json", "--vars", erb_vars, "erb"])
        want = EXPECTED["erb"] + [("erb/main.cf.erb", 16, 25, "PV106", '"many" is not a valid value for default_process_limit')]
        check("--vars with ERB", sorted(findings(p)) == sorted(want), p.stdout + p.stderr)


def test_whitespace_control():
    # trim/main.cf has no suffix and only whitespace-control tags ({%- -%}, {{- -}}, {#- -#}, raw).
    p = run(["check", "--format", "json", "trim"])
    check("whitespace control: a template by content, static defects only",
          p.returncode == 1 and sorted(findings(p)) == TRIM_EXPECTED, p.stdout + p.stderr)
    check("whitespace control: the notice counts its tags",
          "trim/main.cf: Jinja2: linted on its static text (5 expressions taken as unknown values, "
          "2 control blocks" in p.stderr, p.stderr)
    # The same file with every marker blanked out (same columns) reads the same.
    with tempfile.TemporaryDirectory() as tmp:
        text = open(os.path.join(FIXTURES, "trim", "main.cf")).read()
        for marked, plain in (("{%-", "{% "), ("-%}", " %}"), ("{{-", "{{ "), ("-}}", " }}"), ("{#-", "{# "),
                              ("-#}", " #}")):
            text = text.replace(marked, plain)
        os.mkdir(os.path.join(tmp, "trim"))
        with open(os.path.join(tmp, "trim", "main.cf"), "w") as f:
            f.write(text)
        q = run(["check", "--format", "json", "trim"], cwd=tmp)
        check("whitespace control: same findings as the plain tags", findings(q) == findings(p), q.stdout)
    raw = run(["check", "--format", "json", "--template", "none", "trim"])
    check("whitespace control: --template none shows the noise", len(findings(raw)) >= 5, raw.stdout)


# --vars: the fixture's rendered values, at the template's own line and column.
VARS_EXPECTED = [
    ("vars/main.cf.j2", 8, 22, "PV106", '"10MB" is not a valid value for message_size_limit'),
    ("vars/main.cf.j2", 10, 28, "PV106", '"sometimes" is not a valid value for smtpd_tls_security_level'),
    ("vars/main.cf.j2", 11, 47, "PV601", "smtpd: neither smtpd_relay_restrictions nor smtpd_recipient_restrictions "
     "has reject_unauth_destination before a `permit`"),
    ("vars/main.cf.j2", 12, 50, "PV109",
     '"reject_unknwon_client_hostname" in smtpd_client_restrictions is not a Postfix 3.7 smtpd restriction'),
]
VARS_STATIC = [f for f in VARS_EXPECTED if f[3] == "PV109"]


def test_vars():
    # Without variables only the static typo is found; the expressions are unknown values.
    p = run(["check", "--format", "json", "vars"])
    check("vars fixture without --vars: static text only", sorted(findings(p)) == VARS_STATIC, p.stdout + p.stderr)
    for name in ("vars.yml", "vars.json"):
        p = run(["check", "--format", "json", "--vars", f"vars/{name}", "vars"])
        got = findings(p)
        check(f"--vars {name}: rendered values are judged at the expression, the undefined one stays silent",
              p.returncode == 1 and sorted(got) == sorted(VARS_EXPECTED), "\n".join(map(repr, got)) + p.stderr)
        check(f"--vars {name}: the notice counts the rendered expressions", "rendered" in p.stderr, p.stderr)
    # Several targets: each context is freed after its lint, the findings must still read right.
    p = run(["check", "--format", "json", "--vars", "vars/vars.yml", "vars", "trim", "jinja"])
    got = [f for f in findings(p) if f[0].startswith("vars/")]
    check("--vars with several targets", sorted(got) == sorted(VARS_EXPECTED), got)
    yml = findings(run(["check", "--format", "json", "--vars", "vars/vars.yml", "vars"]))
    js = findings(run(["check", "--format", "json", "--vars", "vars/vars.json", "vars"]))
    check("--vars: YAML and JSON give the same findings", yml == js, (yml, js))
    p = run(["check", "--format", "text", "--color", "never", "--vars", "vars/vars.yml", "vars"])
    check("--vars: the report quotes the template, caret under the expression",
          "message_size_limit = {{ postfix.message_size }}" in p.stdout and
          "                     ^~~~~~~~~~~~~~~~~~~~~~~~~~~" in p.stdout, p.stdout)
    # libyaml finds the unclosed sequence of line 3 at the end of the file.
    for name, line in (("broken.yml", 4), ("broken.json", 4)):
        p = run(["check", "--vars", f"vars/{name}", "vars"])
        check(f"--vars {name}: exit 2 naming file and line", p.returncode == 2 and
              f"vars/{name}:{line}:" in p.stderr and p.stdout == "", p.stderr)
    p = run(["check", "--vars", "vars/missing.yml", "vars"])
    check("--vars: a missing file is a tool error", p.returncode == 2 and "vars/missing.yml" in p.stderr, p.stderr)
    with tempfile.TemporaryDirectory() as tmp:
        shutil.copytree(os.path.join(FIXTURES, "vars"), os.path.join(tmp, "tpl"))
        os.mkdir(os.path.join(tmp, "inv"))
        shutil.copy(os.path.join(FIXTURES, "vars", "vars.yml"), os.path.join(tmp, "inv", "all.yml"))
        with open(os.path.join(tmp, ".postvet.cf"), "w") as f:
            f.write("# team settings\ntemplate = jinja\nvars = inv/all.yml\n")
        p = run(["check", "--format", "json", "tpl"], cwd=tmp)
        want = [("tpl/" + f[0][5:],) + f[1:] for f in VARS_EXPECTED]
        check("vars in .postvet.cf, relative to it", sorted(findings(p)) == sorted(want), p.stdout + p.stderr)
        sub = os.path.join(tmp, "tpl")
        p = run(["check", "--format", "json", "."], cwd=sub)
        check("vars in .postvet.cf: found from a subdirectory too",
              sorted(findings(p)) == sorted((f[0][4:],) + f[1:] for f in want), p.stdout + p.stderr)
        p = run(["check", "--show-settings", "tpl"], cwd=tmp)
        lines = {line.split(" =")[0]: line for line in p.stdout.splitlines() if not line.startswith("#")}
        check("--show-settings: template and vars with their lines",
              lines.get("template", "").startswith("template = jinja ") and
              lines["template"].endswith("# .postvet.cf, line 2") and
              lines.get("vars", "").startswith("vars = inv/all.yml ") and
              lines["vars"].endswith("# .postvet.cf, line 3"), p.stdout)
        p = run(["check", "--show-settings", "--template", "go", "--vars", "x.json", "tpl"], cwd=tmp)
        lines = {line.split(" =")[0]: line for line in p.stdout.splitlines() if not line.startswith("#")}
        check("--show-settings: --template and --vars win and say so",
              lines.get("template", "").startswith("template = go ") and lines["template"].endswith("# --template")
              and lines.get("vars", "").startswith("vars = x.json ") and lines["vars"].endswith("# --vars"), p.stdout)
        os.remove(os.path.join(tmp, ".postvet.cf"))
        p = run(["check", "--show-settings", "tpl"], cwd=tmp)
        lines = {line.split(" =")[0]: line for line in p.stdout.splitlines() if not line.startswith("#")}
        check("--show-settings: template and vars defaults",
              lines.get("template", "").startswith("template = auto ") and lines["template"].endswith("# default")
              and lines.get("vars", "").rstrip().endswith("# default"), p.stdout)
        with open(os.path.join(tmp, ".postvet.cf"), "w") as f:
            f.write("\nvars = tpl/broken.yml\n")
        p = run(["check", "tpl"], cwd=tmp)
        check("a broken vars file in .postvet.cf: exit 2 naming both files and lines", p.returncode == 2 and
              ".postvet.cf, line 2" in p.stderr and "tpl/broken.yml:4:" in p.stderr and "line 3" in p.stderr, p.stderr)


def main():
    if not os.path.exists(BIN):
        print(f"FAIL: no binary at {BIN}")
        return 1
    test_sets()
    test_lone_files()
    test_text_quotes_template()
    test_settings_and_fix()
    test_vars()
    test_whitespace_control()
    test_vars_go_erb()
    return pvtest.summary()


if __name__ == "__main__":
    sys.exit(main())
