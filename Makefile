# Thin wrapper: dependencies, build, demo run, tests. The real build is CMake.
BUILD ?= build
CMAKE_FLAGS ?= -DCMAKE_BUILD_TYPE=RelWithDebInfo
# Build and run-time libraries postvet needs (their -dev packages ship the
# static archives the build links; cmake/StaticDeps.cmake).
DEPS := cmake ninja-build g++ pkg-config tao-pegtl-dev libcli11-dev libfmt-dev \
        libc-ares-dev catch2 libpcre2-dev libdtl-dev zlib1g-dev liblzma-dev libzstd-dev libyaml-dev python3
# Only the tests need these: Postfix itself is the oracle.
TEST_DEPS := postfix postfix-pcre python3 python3-jsonschema git patch dnsmasq pre-commit zstd

.PHONY: all deps test-deps build run test clean san-build asan-test fuzz-smoke
.PHONY: release install uninstall deb package-test
.PHONY: bench-probe

all: build

deps:
	@DEPS="$(DEPS)" sh scripts/install-deps.sh

test-deps:
	@DEPS="$(DEPS) $(TEST_DEPS)" sh scripts/install-deps.sh

# ccache, when the machine has it, serves objects across build dirs and
# clones (paths hashed relative to the source dir): CI builds the same
# sources several times (make test, the fresh-clone test).
CCACHE := $(shell command -v ccache 2>/dev/null)
ifneq ($(CCACHE),)
LAUNCHER := -DCMAKE_CXX_COMPILER_LAUNCHER=ccache
export CCACHE_BASEDIR := $(CURDIR)
export CCACHE_NOHASHDIR := 1
endif

$(BUILD)/build.ninja:
	cmake -S . -B $(BUILD) -G Ninja $(CMAKE_FLAGS) $(LAUNCHER)

build: $(BUILD)/build.ninja
	cmake --build $(BUILD)

run: release
	$(RELEASE_BUILD)/postvet check testdata/demo || true

test: test-deps build
	cd $(BUILD) && ctest --output-on-failure -j2

# One clang build serves the sanitizer run and the fuzzers: every target,
# the library and the tests included, is built with ASan + UBSan (and the
# coverage hooks libFuzzer needs), warnings as errors. clang rather than GCC:
# a second compiler's warnings, and GCC 12 gives false -Wmaybe-uninitialized
# inside <regex> and <functional> under -fsanitize.
SAN_BUILD ?= build-asan
SAN_FLAGS := -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE= "-DCMAKE_CXX_FLAGS=-O1 -g" \
  -DPOSTVET_SANITIZE=ON -DPOSTVET_FUZZ=ON -DPOSTVET_WERROR=ON

san-build: test-deps
	@DEPS="clang libclang-rt-14-dev" sh scripts/install-deps.sh
	cmake -S . -B $(SAN_BUILD) -G Ninja $(SAN_FLAGS) $(LAUNCHER)
	cmake --build $(SAN_BUILD)

# The whole test suite under the sanitizers (CI step 2). Sanitized processes
# are slower and bigger: the pathological test scales its bounds by 3.
asan-test: san-build
	cd $(SAN_BUILD) && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
	  POSTVET_PATHOLOGICAL_SCALE=3 ctest --output-on-failure -j2

# Every libFuzzer target (fuzz/) for FUZZ_SECONDS from its seeds (CI step 3).
FUZZ_SECONDS ?= 20
fuzz-smoke: san-build
	sh fuzz/run.sh $(SAN_BUILD) $(FUZZ_SECONDS)

# The long run: each fuzz target for FUZZ_LONG_SECONDS (30 minutes), two at
# a time; corpora kept in fuzz-corpus/ (git-ignored), summary table in
# fuzz-corpus/summary.md for bench/README.md.
.PHONY: fuzz-long
FUZZ_LONG_SECONDS ?= 1800
fuzz-long: san-build
	sh fuzz/long.sh $(SAN_BUILD) $(FUZZ_LONG_SECONDS)

# Release build, in its own directory so `make test` keeps RelWithDebInfo:
# `make run`, `make install` and `make deb` use it. Only the program and its
# manual pages are built, not the tests.
RELEASE_BUILD ?= build-release
RELEASE_FLAGS ?= -DCMAKE_BUILD_TYPE=Release

ifneq ($(RELEASE_BUILD),$(BUILD))
$(RELEASE_BUILD)/build.ninja:
	cmake -S . -B $(RELEASE_BUILD) -G Ninja $(RELEASE_FLAGS) $(LAUNCHER)
endif

release: deps $(RELEASE_BUILD)/build.ninja
	cmake --build $(RELEASE_BUILD) --target postvet postvet_man

# Installs the stripped binary, manual pages, completions and rule docs under
# PREFIX (and DESTDIR, if set); `make uninstall` removes what was installed.
PREFIX ?= /usr/local
install: release
	cmake --install $(RELEASE_BUILD) --prefix "$(PREFIX)" --strip

uninstall:
	cmake -DMANIFEST=$(RELEASE_BUILD)/install_manifest.txt -P cmake/Uninstall.cmake

# The Debian package ($(RELEASE_BUILD)/postvet_VERSION-1_ARCH.deb); its Depends
# comes from dpkg-shlibdeps (dpkg-dev): libc6 only, as c-ares, PCRE2, zlib, xz,
# zstd, fmt and the C++ runtime are linked statically (cmake/StaticDeps.cmake).
deb: release
	@DEPS="dpkg-dev" sh scripts/install-deps.sh
	cd $(RELEASE_BUILD) && cpack -G DEB

# Builds the package, installs it, checks the installed postvet, removes it.
package-test:
	sh scripts/package-test.sh

# Minimal Debian roots holding other Postfix releases (bullseye: 3.5, trixie:
# 3.10) for the version oracle tests tests/oracle_v*_test.py; cached in
# $POSTVET_ORACLE_CACHE (default ~/.cache/postvet/oracles), reused when
# complete. Needs root (debootstrap, chroot). See docs/oracles.md.
.PHONY: oracles oracle-trixie
oracles:
	sh scripts/build-oracle-root.sh bullseye
	sh scripts/build-oracle-root.sh trixie

oracle-trixie:
	sh scripts/build-oracle-root.sh trixie

# The live probe's flow control against a local 50 ms responder with a
# stock receive buffer (bench/probe_bench.py; figures in bench/README.md).
# Not part of CI.
bench-probe: build
	python3 bench/probe_bench.py $(BUILD)/postvet

clean:
	rm -rf $(BUILD) $(SAN_BUILD) $(RELEASE_BUILD)
