#!/usr/bin/env python3
"""Regenerate rules/data/postfix-<series>-restrictions.tsv and
postfix-<series>-restriction-lists.tsv: the smtpd access restrictions one
Postfix release knows, and the restriction lists it evaluates.

Usage:  gen-restrictions.py --repo GITDIR --tag v3.7.22 [--out-dir rules/data]

GITDIR is a git directory of Postfix's release history (github
vdukhovni/postfix, with its release tags). The script only reads facts out of
three files of that tag; nothing is copied into postvet:

  postfix/src/smtpd/smtpd_check.c   generic_checks(), the one function that
      evaluates every restriction list entry. Each `if (strcasecmp(name, X))`
      or `is_map_command(state, name, X, &cpp)` branch names restrictions; its
      body says what they need and do:
        * is_map_command()                 -> argument kind `table`
        * "requires domain name argument"  -> `zone` (missing: warning, skipped)
        * "must be followed by transport:server" -> `server` (bad: server error)
        * "must be followed by number"      -> `number` (bad: server error)
        * the SMTP state the body tests (state->etrn_name, ->recipient,
          ->sender, ->helo_name) -> `needs` (without it the branch does
          nothing); none of them -> `client` (always available)
        * smtpd_acl_permit() -> may permit; reject/defer helpers -> may reject
        * "is deprecated" in a msg_warn -> status `deprecated`
        * "no SASL support" in a msg_warn -> flag `sasl` (ignored unless
          smtpd_sasl_auth_enable = yes)
      The built-in restriction classes that smtpd_check_init() enters into
      smtpd_rest_classes (reject_sender_login_mismatch) become rows too, with
      the needs/effect of their members. smtpd_check_init() also gives the
      lists (smtpd_check_parse(..., var_xxx_checks)) and generic_checks()'s
      callers the implicit table restriction of each list (CHECK_xxx_ACL or
      NO_DEF_ACL).
  postfix/src/global/mail_params.h  the #define of each macro (names, and the
      "compatibility" comments that mark old spellings).
  postfix/proto/postconf.proto      postconf(5): "X (with Postfix < 2.3: Y)"
      marks Y as the old name of X.

Run it again and diff: the output is a pure function of the tag.
"""

import argparse
import re
import subprocess
import sys


def show(repo, tag, path):
    return subprocess.run(["git", "-C", repo, "show", f"{tag}:{path}"], check=True,
                          capture_output=True, text=True, errors="replace").stdout


def macros(mail_params):
    """NAME -> (string value, trailing comment) for string #defines."""
    out = {}
    for m in re.finditer(r'^#define\s+(\w+)\s+(?:\\\n\s*)?"([^"]*)"[ \t]*(/\*.*?\*/)?', mail_params, re.M):
        out[m.group(1)] = (m.group(2), (m.group(3) or "").strip("/* "))
    return out


def function_body(src, signature):
    start = src.index(signature)
    brace = src.index("\n{", start)
    depth = 0
    for i in range(brace + 1, len(src)):
        if src[i] == "{":
            depth += 1
        elif src[i] == "}":
            depth -= 1
            if depth == 0:
                return src[brace:i + 1]
    raise SystemExit(f"unbalanced body of {signature}")


BRANCH = re.compile(r"(?:else\s+)?if\s*\(\s*(?:strcasecmp\(name,|is_map_command\(state, name,)")
NAME_IN_COND = re.compile(r"strcasecmp\(name,\s*(\w+)\)|is_map_command\(state,\s*name,\s*(\w+),")


def branches(generic):
    """(names, is_map, body) per restriction branch of generic_checks()."""
    end = generic.index("User-defined restriction class")
    text = generic[:end]
    starts = [m.start() for m in BRANCH.finditer(text)]
    out = []
    for i, s in enumerate(starts):
        chunk = text[s:starts[i + 1] if i + 1 < len(starts) else len(text)]
        # The condition ends at the first "{" that opens the body.
        cond_end = chunk.index("{")
        cond = chunk[:cond_end]
        names = [a or b for a, b in NAME_IN_COND.findall(cond)]
        out.append((names, "is_map_command" in cond, chunk[cond_end:]))
    return out


def classify(is_map, body):
    if is_map:
        arg, missing = "table", "error"
    elif "requires domain name argument" in body:
        arg, missing = "zone", "ignored"
    elif "must be followed by transport:server" in body:
        arg, missing = "server", "error"
    elif "must be followed by number" in body:
        arg, missing = "number", "error"
    else:
        arg, missing = "-", "-"
    needs = "client"
    for field, stage in (("helo_name", "helo"), ("sender", "sender"), ("recipient", "recipient"),
                         ("etrn_name", "etrn")):
        if re.search(r"if \(state->" + field + r"\b", body) or re.search(r"&& state->" + field + r"\b", body):
            needs = stage
    # A body may test several; the last assignment above keeps the latest
    # protocol stage of the ones it tests, which is the one that matters.
    permit = "smtpd_acl_permit" in body
    defer = bool(re.search(r"var_defer_code|DEFER_IF_PERMIT2|DEFER_IF_REJECT2|var_relay_code - 100", body))
    reject = bool(re.search(r"smtpd_check_reject\(|\breject_(?!server_error)\w+\(|check_\w+_rcpt_maps\(|check_relay_domains\(",
                            body))
    if is_map or arg == "server":
        effect = "any"
    elif permit and reject:
        effect = "any"
    elif permit:
        effect = "permit"
    elif defer:
        effect = "defer"
    elif reject:
        effect = "reject"
    else:
        effect = "neutral"
    status = "deprecated" if "is deprecated" in body else "current"
    flags = ["sasl"] if "no SASL support" in body else []
    return arg, missing, needs, effect, status, flags


STAGES = {  # reply class macro of the generic_checks() caller -> list stage
    "SMTPD_NAME_CLIENT": "client", "SMTPD_NAME_HELO": "helo", "SMTPD_NAME_SENDER": "sender",
    "SMTPD_NAME_RECIPIENT": "recipient", "SMTPD_NAME_ETRN": "etrn", "SMTPD_NAME_DATA": "data",
    "SMTPD_NAME_EOD": "end_of_data",
}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--repo", required=True)
    ap.add_argument("--tag", required=True)
    ap.add_argument("--out-dir", default="rules/data")
    args = ap.parse_args()
    series = ".".join(args.tag.lstrip("v").split(".")[:2])

    src = show(args.repo, args.tag, "postfix/src/smtpd/smtpd_check.c")
    params = show(args.repo, args.tag, "postfix/src/global/mail_params.h")
    proto = show(args.repo, args.tag, "postfix/proto/postconf.proto")
    smtpd_c = show(args.repo, args.tag, "postfix/src/smtpd/smtpd.c")
    defs = macros(params)

    def value(macro):
        if macro not in defs:
            raise SystemExit(f"{macro}: no string #define in mail_params.h")
        return defs[macro][0]

    generic = function_body(src, "static int generic_checks(SMTPD_STATE *state")
    rows = {}
    order = []
    # warn_if_reject: a pseudo restriction that qualifies the next entry.
    pseudo = re.search(r"strcasecmp\(name,\s*(\w+)\)\s*==\s*0\)\s*\{\s*if \(state->warn_if_reject", generic)
    if pseudo is None:
        raise SystemExit("warn_if_reject branch not found")
    rows[value(pseudo.group(1))] = ["-", "-", "client", "pseudo", "current", "-", []]
    order.append(value(pseudo.group(1)))
    for names, is_map, body in branches(generic):
        if not names or names[0] == pseudo.group(1):
            continue
        arg, missing, needs, effect, status, flags = classify(is_map, body)
        for macro in names:
            name = value(macro)
            comment = defs[macro][1].lower()
            st = status
            if "compat" in comment:
                st = "old-name"
            rows[name] = [arg, missing, needs, effect, st, "-", list(flags)]
            order.append(name)

    # Old spellings that postconf(5) documents: "X</a></b> (with Postfix &lt; V: Y)".
    for new, old in re.findall(r'<a name="(\w+)">\1</a></b> \(with Postfix &lt; [0-9.]+: (\w+)\)', proto):
        if old in rows and new in rows:
            rows[old][4] = "old-name"
            rows[old][5] = new
    # Two names in one branch where one is marked old: the other replaces it.
    for names, _, _ in branches(generic):
        vals = [value(m) for m in names]
        olds = [v for v in vals if rows.get(v, [""] * 6)[4] == "old-name"]
        news = [v for v in vals if rows.get(v, [""] * 6)[4] != "old-name"]
        if len(news) == 1:
            for o in olds:
                if rows[o][5] == "-":
                    rows[o][5] = news[0]
    # Two names in one branch, none marked yet: postconf(5) documents the new one.
    for names, _, _ in branches(generic):
        vals = [value(m) for m in names]
        if len(vals) == 2 and all(rows[v][4] == "current" for v in vals):
            documented = [v for v in vals if f'<a name="{v}">' in proto]
            if len(documented) == 1:
                old = [v for v in vals if v != documented[0]][0]
                rows[old][4] = "old-name"
                rows[old][5] = documented[0]

    # Built-in restriction classes: htable_enter(smtpd_rest_classes, MACRO, parse(A " " B)).
    init = function_body(src, "void    smtpd_check_init(void)")
    for m in re.finditer(r"htable_enter\(smtpd_rest_classes,\s*([A-Z_]+),\s*\(void \*\)\s*smtpd_check_parse\("
                         r"SMTPD_CHECK_PARSE_ALL,\s*([^;]*?)\)\);", init):
        members = [value(x) for x in re.findall(r"\b([A-Z_]+)\b", m.group(2)) if x in defs]
        name = value(m.group(1))
        needs = max((rows[x][2] for x in members),
                    key=["client", "helo", "sender", "recipient", "etrn"].index)
        effects = {rows[x][3] for x in members}
        flags = sorted({f for x in members for f in rows[x][6]})
        rows[name] = ["-", "-", needs, effects.pop() if len(effects) == 1 else "any", "current", "-", flags]
        order.append(name)

    # Restriction lists: var_xxx -> parameter (smtpd.c's config tables), and
    # the implicit table of each list (generic_checks() callers).
    var_to_param = {}
    for m in re.finditer(r"(VAR_\w+),\s*DEF_\w+,\s*&(var_\w+)", smtpd_c):
        var_to_param[m.group(2)] = value(m.group(1))
    lists = []
    for m in re.finditer(r"(\w+) = smtpd_check_parse\(SMTPD_CHECK_PARSE_ALL,\s*(var_\w+)\)", init):
        array, var = m.group(1), m.group(2)
        call = re.search(r"generic_checks\(state,\s*" + array + r",\s*[^,]+,\s*(\w+),\s*(\w+)\)", src)
        if array in ("relay_restrctions", "rcpt_restrctions"):
            call = re.search(r"generic_checks\(state,\s*restrctions\[n\],\s*\w+,\s*(\w+),\s*(\w+)\)", src)
        if call is None:
            raise SystemExit(f"no generic_checks() call for {array}")
        implicit = "-" if call.group(2) == "NO_DEF_ACL" else value(call.group(2))
        lists.append((var_to_param[var], STAGES[call.group(1)], implicit))
    required = re.search(r"rcpt_required\[\] = \{([^}]*)\}", init)
    relay_guards = [value(x) for x in re.findall(r"\b([A-Z_]+)\b", required.group(1)) if x in defs]
    for name in relay_guards:
        rows[name][6].append("relay-guard")

    out = f"{args.out_dir}/postfix-{series}-restrictions.tsv"
    with open(out, "w", encoding="utf-8", newline="\n") as f:
        f.write(f"# Generated by rules/data/gen-restrictions.py from Postfix {args.tag}; do not edit.\n")
        f.write("name\targ\tmissing_arg\tneeds\teffect\tstatus\treplacement\tflags\n")
        for name in order:
            r = rows[name]
            f.write("\t".join([name] + r[:6] + [",".join(r[6]) or "-"]) + "\n")
    out2 = f"{args.out_dir}/postfix-{series}-restriction-lists.tsv"
    with open(out2, "w", encoding="utf-8", newline="\n") as f:
        f.write(f"# Generated by rules/data/gen-restrictions.py from Postfix {args.tag}; do not edit.\n")
        f.write("param\tstage\timplicit\n")
        for p, stage, implicit in lists:
            f.write(f"{p}\t{stage}\t{implicit}\n")
    documented = set(re.findall(r'^<dt><b><a name="((?:check|permit|reject|defer|warn|sleep)\w*)">', proto, re.M))
    missing = sorted(documented - set(rows))
    if missing:
        print("documented in postconf(5) but not in generic_checks(): " + ", ".join(missing), file=sys.stderr)


if __name__ == "__main__":
    main()
