#!/usr/bin/env python3
"""The libraries Debian ships as archives are linked into postvet.

With POSTVET_STATIC_LIBS on (the default; cmake/StaticDeps.cmake), the
binary's dynamic section names none of libfmt, libcares, libpcre2-8, liblzma, libzstd, libyaml and
libz, and, outside the sanitizer and fuzz builds, neither libstdc++ nor
libgcc_s: what is left is the C library. The build's options are read from
the CMakeCache.txt beside $POSTVET_BIN; a build with static linking off is
skipped with one line, as is a binary without a build directory or a
machine without readelf.
"""
import os
import re
import shutil
import subprocess
import sys

from pvtest import BIN


def cache_options():
    path = os.path.join(os.path.dirname(os.path.abspath(BIN)), "CMakeCache.txt")
    if not os.path.exists(path):
        return None
    options = {}
    with open(path) as f:
        for line in f:
            m = re.match(r"(POSTVET_\w+):BOOL=(\S*)", line)
            if m:
                options[m.group(1)] = m.group(2).upper() in ("ON", "1", "TRUE", "YES")
    return options


def needed():
    out = subprocess.run(["readelf", "-d", BIN], capture_output=True, text=True, check=True).stdout
    return re.findall(r"\(NEEDED\)\s+Shared library: \[([^\]]+)\]", out)


def main():
    if shutil.which("readelf") is None:
        print("skipped: readelf is not installed")
        return 0
    options = cache_options()
    if options is None:
        print("skipped: no CMakeCache.txt beside the binary, so its build options are unknown")
        return 0
    if not options.get("POSTVET_STATIC_LIBS", False):
        print("skipped: this build links its libraries dynamically (POSTVET_STATIC_LIBS off)")
        return 0
    libs = needed()
    print("NEEDED:", " ".join(libs))
    banned = ["libfmt", "libcares", "libpcre2-8", "libz.", "liblzma", "libzstd", "libyaml"]
    if not options.get("POSTVET_SANITIZE", False) and not options.get("POSTVET_FUZZ", False):
        banned += ["libstdc++", "libgcc_s"]
    failed = 0
    for prefix in banned:
        for lib in libs:
            if lib.startswith(prefix):
                print(f"FAIL: {BIN} still needs {lib}")
                failed += 1
    if not any(lib.startswith("libc.so") for lib in libs):
        print(f"FAIL: {BIN} does not name libc.so (is it a dynamic executable?)")
        failed += 1
    print("static_link_test:", "FAILED" if failed else "ok")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
