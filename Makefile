# Thin wrapper: dependencies, build, demo run, tests. The real build is CMake.
BUILD ?= build
CMAKE_FLAGS ?= -DCMAKE_BUILD_TYPE=RelWithDebInfo
# Build and run-time libraries postvet needs.
DEPS := cmake ninja-build g++ pkg-config tao-pegtl-dev libcli11-dev libfmt-dev \
        libc-ares-dev catch2 libpcre2-dev libdtl-dev zlib1g-dev
# Only the tests need these: Postfix itself is the oracle.
TEST_DEPS := postfix postfix-pcre python3 python3-jsonschema git patch dnsmasq pre-commit

.PHONY: all deps test-deps build run test pathological-test clean asan-test fuzz-smoke

all: build

deps:
	@DEPS="$(DEPS)" sh scripts/install-deps.sh

test-deps:
	@DEPS="$(DEPS) $(TEST_DEPS)" sh scripts/install-deps.sh

$(BUILD)/build.ninja:
	cmake -S . -B $(BUILD) -G Ninja $(CMAKE_FLAGS)

build: $(BUILD)/build.ninja
	cmake --build $(BUILD)

run: deps build
	$(BUILD)/postvet check testdata/demo || true

# pathological_test is run on its own (make pathological-test): some of its
# inputs still take minutes on a loaded 2-core machine (see bench/README.md).
test: test-deps build
	cd $(BUILD) && ctest --output-on-failure -j2 -E pathological_test

pathological-test: test-deps build
	cd $(BUILD) && ctest --output-on-failure -R pathological_test

# The test suite under AddressSanitizer + UBSan, warnings as errors (CI step 2).
# Built with clang: a second compiler's warnings, and GCC 12 reports false
# -Wmaybe-uninitialized inside <regex> and <functional> under -fsanitize.
ASAN_BUILD ?= build-asan
ASAN_CTEST_ARGS ?=
asan-test: test-deps
	@DEPS="clang" sh scripts/install-deps.sh
	cmake -S . -B $(ASAN_BUILD) -G Ninja -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE= \
	  "-DCMAKE_CXX_FLAGS=-O1 -g" -DPOSTVET_SANITIZE=ON -DPOSTVET_WERROR=ON
	cmake --build $(ASAN_BUILD)
	cd $(ASAN_BUILD) && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
	  ctest --output-on-failure -j2 $(ASAN_CTEST_ARGS)

# Every libFuzzer target (fuzz/) for FUZZ_SECONDS from its seed corpus (CI step 3).
FUZZ_BUILD ?= build-fuzz
FUZZ_SECONDS ?= 20
fuzz-smoke: test-deps
	@DEPS="clang" sh scripts/install-deps.sh
	cmake -S . -B $(FUZZ_BUILD) -G Ninja -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE= \
	  "-DCMAKE_CXX_FLAGS=-O1 -g" -DPOSTVET_FUZZ=ON
	cmake --build $(FUZZ_BUILD) --target fuzz_all
	sh fuzz/run.sh $(FUZZ_BUILD) $(FUZZ_SECONDS)

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(FUZZ_BUILD)
