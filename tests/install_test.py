#!/usr/bin/env python3
"""Installation from the build directory, and its removal.

Runs the build's cmake_install.cmake (what `cmake --install --strip` and
CPack run) with a scratch prefix. It writes BUILD/install_manifest.txt; a
manifest that was there before (from a real install) is put back after. Checks the tree: the
stripped binary (it runs and prints its version), both manual pages
(gzip, roff), the bash/zsh/fish completions, and one rule doc per rule of
`postvet rules`. Then cmake/Uninstall.cmake (what `make uninstall` runs)
must leave no file behind. The same with DESTDIR (a staged install):
files go under DESTDIR/PREFIX and uninstall removes them there.
"""
import gzip
import os
import subprocess
import sys
import tempfile

import pvtest
from pvtest import BIN, SRC, check
BUILD = os.path.dirname(BIN)


ENV = {k: v for k, v in os.environ.items() if k != "DESTDIR"}


def files_under(root):
    return sorted(os.path.relpath(os.path.join(d, f), root) for d, _, fs in os.walk(root) for f in fs)


rule_ids = [line.split()[0] for line in subprocess.run([BIN, "rules"], capture_output=True, text=True,
                                                       timeout=60).stdout.splitlines() if line.startswith("PV")]
MANIFEST = os.path.join(BUILD, "install_manifest.txt")
saved = None
if os.path.exists(MANIFEST):
    with open(MANIFEST, "rb") as f:
        saved = f.read()
with tempfile.TemporaryDirectory() as tmp:
    prefix = os.path.join(tmp, "prefix")
    work = os.path.join(tmp, "work")
    os.makedirs(work)
    p = subprocess.run(["cmake", f"-DCMAKE_INSTALL_PREFIX={prefix}", "-DCMAKE_INSTALL_DO_STRIP=1",
                        "-P", os.path.join(BUILD, "cmake_install.cmake")],
                       capture_output=True, text=True, timeout=120, cwd=work, env=ENV)
    check("install runs", p.returncode == 0, p.stdout + p.stderr)
    installed = files_under(prefix)
    expected = ["bin/postvet", "share/man/man1/postvet.1.gz", "share/man/man7/postvet-rules.7.gz",
                "share/bash-completion/completions/postvet", "share/zsh/site-functions/_postvet",
                "share/fish/vendor_completions.d/postvet.fish", "share/doc/postvet/README.md",
                "share/doc/postvet/ci.md"] + [f"share/doc/postvet/rules/{r}.md" for r in rule_ids]
    check("the installed files", sorted(expected) == installed,
          f"missing {sorted(set(expected) - set(installed))} extra {sorted(set(installed) - set(expected))}")
    exe = os.path.join(prefix, "bin", "postvet")
    if os.path.exists(exe):
        sections = subprocess.run(["readelf", "-S", exe], capture_output=True, text=True, timeout=30).stdout
        check("the binary is stripped", ".text" in sections and ".symtab" not in sections
              and ".debug_info" not in sections, sections[-500:])
        check("the binary is executable", os.access(exe, os.X_OK))
        v = subprocess.run([exe, "--version"], capture_output=True, text=True, timeout=30)
        check("the installed binary runs", v.returncode == 0 and v.stdout.startswith("postvet "), v.stdout)
        check("the build's binary is not stripped by install", ".symtab" in subprocess.run(
            ["readelf", "-S", BIN], capture_output=True, text=True, timeout=30).stdout)
    for page, head in (("man1/postvet.1.gz", ".TH POSTVET 1"), ("man7/postvet-rules.7.gz", ".TH POSTVET\\-RULES 7")):
        path = os.path.join(prefix, "share", "man", page)
        if os.path.exists(path):
            with gzip.open(path, "rt") as f:
                text = f.read()
            check(f"{page} is a gzip'd manual page", head in text, text[:200])
    for r in rule_ids:
        doc = os.path.join(prefix, "share", "doc", "postvet", "rules", r + ".md")
        if os.path.exists(doc):
            explain = subprocess.run([BIN, "explain", r], capture_output=True, text=True, timeout=30).stdout
            with open(doc) as f:
                check(f"rules/{r}.md is what `postvet explain {r}` prints", f.read() == explain)
    manifest = MANIFEST
    with open(manifest) as f:
        listed = sorted(os.path.relpath(line.strip(), prefix) for line in f if line.strip())
    check("the manifest lists the installed files", listed == installed, listed[:5])
    u = subprocess.run(["cmake", f"-DMANIFEST={manifest}", "-P", os.path.join(SRC, "cmake", "Uninstall.cmake")],
                       capture_output=True, text=True, timeout=60, cwd=work, env=ENV)
    check("uninstall runs", u.returncode == 0, u.stdout + u.stderr)
    check("uninstall removes every installed file", files_under(prefix) == [], files_under(prefix))
    check("uninstall removes the doc directory it owned",
          not os.path.exists(os.path.join(prefix, "share", "doc", "postvet")))
    u = subprocess.run(["cmake", f"-DMANIFEST={manifest}", "-P", os.path.join(SRC, "cmake", "Uninstall.cmake")],
                       capture_output=True, text=True, timeout=60, cwd=work, env=ENV)
    # CMake folds a message at its own width, so a long build path can split the words.
    check("uninstall without a manifest is a clear error",
          u.returncode != 0 and "nothing was installed" in " ".join(u.stderr.split()),
          u.stderr)

    # Staged: DESTDIR + /usr/local.
    dest = os.path.join(tmp, "dest")
    staged = dict(ENV, DESTDIR=dest)
    p = subprocess.run(["cmake", "-DCMAKE_INSTALL_PREFIX=/usr/local", "-P", os.path.join(BUILD, "cmake_install.cmake")],
                       capture_output=True, text=True, timeout=120, cwd=work, env=staged)
    check("install with DESTDIR runs", p.returncode == 0, p.stdout + p.stderr)
    check("install with DESTDIR puts the files under DESTDIR/PREFIX",
          files_under(os.path.join(dest, "usr", "local")) == installed and
          files_under(dest) == sorted(os.path.join("usr", "local", f) for f in installed))
    u = subprocess.run(["cmake", f"-DMANIFEST={manifest}", "-P", os.path.join(SRC, "cmake", "Uninstall.cmake")],
                       capture_output=True, text=True, timeout=60, cwd=work, env=staged)
    check("uninstall with DESTDIR removes them", u.returncode == 0 and files_under(dest) == [], u.stdout + u.stderr)

if saved is not None:
    with open(MANIFEST, "wb") as f:
        f.write(saved)
sys.exit(pvtest.summary())
