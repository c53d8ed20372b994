#!/usr/bin/env bash
# The README's second command: installs what the tests need, builds, and runs every test suite:
#   1. the C++ unit and integration tests (GoogleTest, through ctest), in a normal build;
#   2. the same under AddressSanitizer + UndefinedBehaviorSanitizer;
#   3. a short libFuzzer run of each fuzz target (long runs: docs/testing.md);
#   4. the extension's and the contract's tests (node's test runner), the contract tests against the real host;
#   5. the end-to-end tests in headless Chromium and Firefox ESR.
# Every test uses its own temporary TEMOIN_DATA_DIR and HOME; nothing of the user's is read or written.
# ctest gives a failing test one more run (--repeat until-pass:2), so that a test made slow by a loaded machine
# does not hide the others; a test that failed once is still listed in ctest's output.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
JOBS=${JOBS:-$(nproc)}
export CTEST_OUTPUT_ON_FAILURE=1

step() { printf '\n=== %s (%s)\n' "$1" "$(date +%H:%M:%S)"; }

# Ninja for a new build folder (it keeps both cores busy to the end: the links and the last large files); a
# folder already configured with another generator keeps it, since CMake refuses to switch.
generator() {
  if [ -f "$1/CMakeCache.txt" ] && ! grep -q '^CMAKE_GENERATOR:INTERNAL=Ninja$' "$1/CMakeCache.txt"; then
    return 0
  fi
  echo "-GNinja"
}

step "dependencies"
bash install/deps.sh --test

step "build (RelWithDebInfo)"
cmake -S . -B build $(generator build) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DTEMOIN_BUILD_TESTS=ON >/dev/null
cmake --build build -j"$JOBS"

step "C++ unit and integration tests"
(cd build && ctest -j"$JOBS" --timeout 300 --repeat until-pass:2)

if [ "${TEMOIN_SKIP_SANITIZERS:-0}" != 1 ]; then
  step "build with ASan + UBSan"
  # The benchmarks are left out here: their smoke run is in the first build, and they are not tests.
  cmake -S . -B build-asan $(generator build-asan) -DCMAKE_BUILD_TYPE=Debug -DTEMOIN_BUILD_TESTS=ON \
    -DTEMOIN_SANITIZE=address,undefined -DTEMOIN_BUILD_BENCH=OFF >/dev/null
  cmake --build build-asan -j"$JOBS"
  step "C++ tests under ASan + UBSan"
  (cd build-asan && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
     ctest -j"$JOBS" --timeout 600 --repeat until-pass:2)
fi

if [ -x tests/fuzz/run.sh ]; then
  step "fuzzing (short run)"
  bash tests/fuzz/run.sh --short
fi

step "extension and contract tests (node)"
node_suites=()
for d in tests/contract tests/extension; do [ -d "$d" ] && node_suites+=("$d/"); done
TEMOIN_HOST_BIN="$ROOT/build/temoin-host" TEMOIN_CLI_BIN="$ROOT/build/temoin" node --test "${node_suites[@]}"

if [ -d tests/e2e ] && ls tests/e2e/*.test.js >/dev/null 2>&1; then
  step "end-to-end tests (headless Chromium and Firefox ESR)"
  TEMOIN_HOST_BIN="$ROOT/build/temoin-host" TEMOIN_CLI_BIN="$ROOT/build/temoin" \
    node --test --test-concurrency=1 tests/e2e/
fi

step "all test suites passed"
