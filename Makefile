# Thin wrapper: dependencies, build, demo run, tests. The real build is CMake.
BUILD ?= build
CMAKE_FLAGS ?= -DCMAKE_BUILD_TYPE=RelWithDebInfo
# Build and run-time libraries postvet needs.
DEPS := cmake ninja-build g++ pkg-config tao-pegtl-dev libcli11-dev libfmt-dev \
        libc-ares-dev catch2 libpcre2-dev libdtl-dev
# Only the tests need these: Postfix itself is the oracle.
TEST_DEPS := postfix postfix-pcre python3 python3-jsonschema git patch dnsmasq

.PHONY: all deps test-deps build run test clean

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

test: test-deps build
	cd $(BUILD) && ctest --output-on-failure -j2

clean:
	rm -rf $(BUILD)
