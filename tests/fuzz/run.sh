#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (ASan + UBSan + libFuzzer) in build-fuzz/ and runs each on its seed
# corpus (tests/fuzz/corpus/<target>/). See docs/testing.md, "Fuzzing".
#
#   tests/fuzz/run.sh --short          30 s per target, JOBS (2) at a time (4 targets: about a minute plus
#                                      the build); the test command (tests/run-all.sh) runs this
#   tests/fuzz/run.sh                  the long run: 1 hour per target
#   tests/fuzz/run.sh --seconds N      N seconds per target
#   tests/fuzz/run.sh ... fuzz_decode  only the named targets
#
# New inputs libFuzzer finds go to build-fuzz/corpus/<target>/ (the seeds in tests/fuzz/corpus/ are only read);
# a crash writes build-fuzz/artifacts/<target>-crash-<sha1>, prints the log and exits non-zero. Reproduce one
# with: build-fuzz/<target> build-fuzz/artifacts/<target>-crash-<sha1>
# Each target's line in the summary gives the executions that ran clean (libFuzzer's
# stat::number_of_executed_units).
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
BUILD=${TEMOIN_FUZZ_BUILD_DIR:-$ROOT/build-fuzz}
JOBS=${JOBS:-2}
seconds=3600
targets=()
while [ $# -gt 0 ]; do
  case "$1" in
    --short) seconds=30 ;;
    --seconds) seconds=$2; shift ;;
    -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
    fuzz_*) targets+=("$1") ;;
    *) echo "run.sh: unknown argument $1 (try --help)" >&2; exit 64 ;;
  esac
  shift
done
[ ${#targets[@]} -gt 0 ] || targets=(fuzz_frame_reader fuzz_decode fuzz_store fuzz_body_fields)

if ! command -v clang++ >/dev/null 2>&1; then
  echo "run.sh: clang++ is missing (apt-get install clang libclang-rt-14-dev, or bash install/deps.sh --test)" >&2
  exit 1
fi

cmake -S . -B "$BUILD" -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DTEMOIN_FUZZ=ON -DTEMOIN_BUILD_TESTS=OFF -DTEMOIN_SANITIZE=address,undefined >"$BUILD.configure.log" 2>&1 ||
  { cat "$BUILD.configure.log"; exit 1; }
cmake --build "$BUILD" -j"$JOBS" --target "${targets[@]}"

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:allocator_may_return_null=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
mkdir -p "$BUILD/artifacts" "$BUILD/logs"

# Runs one target; its outcome goes to $BUILD/logs/<target>.result ("ok <executions>" or "failed").
run_target() {
  local t=$1
  mkdir -p "$BUILD/corpus/$t"
  local opts=(-max_total_time="$seconds" -print_final_stats=1 -timeout=60 -rss_limit_mb=2048
              -artifact_prefix="$BUILD/artifacts/$t-")
  case "$t" in
    # The reader must allocate nothing for a frame it skips: a single allocation over 8 MiB is a bug.
    fuzz_frame_reader) opts+=(-max_len=8192 -malloc_limit_mb=8) ;;
    fuzz_decode) opts+=(-max_len=8192 -dict="$ROOT/tests/fuzz/temoin.dict") ;;
    fuzz_store) opts+=(-max_len=16384 -dict="$ROOT/tests/fuzz/temoin.dict") ;;
    fuzz_body_fields) opts+=(-max_len=4096 -dict="$ROOT/tests/fuzz/temoin.dict") ;;
  esac
  local log="$BUILD/logs/$t.log"
  if "$BUILD/$t" "${opts[@]}" "$BUILD/corpus/$t" "$ROOT/tests/fuzz/corpus/$t" >"$log" 2>&1; then
    echo "ok $(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)" >"$BUILD/logs/$t.result"
  else
    echo failed >"$BUILD/logs/$t.result"
  fi
}

# The targets run JOBS at a time, each on its own core (one after another, the suite's short run took two
# minutes of its 30).
for t in "${targets[@]}"; do
  while [ "$(jobs -rp | wc -l)" -ge "$JOBS" ]; do wait -n || true; done
  rm -f "$BUILD/logs/$t.result"
  echo "=== $t: ${seconds}s on $(ls "$ROOT/tests/fuzz/corpus/$t" | wc -l) seeds (log: $BUILD/logs/$t.log)"
  run_target "$t" &
done
wait || true

summary=()
failed=0
for t in "${targets[@]}"; do
  result=$(cat "$BUILD/logs/$t.result" 2>/dev/null || echo failed)
  if [ "${result%% *}" = ok ]; then
    runs=${result#ok }
    summary+=("$t: ${runs:-?} executions ran clean in ${seconds}s")
  else
    failed=1
    tail -60 "$BUILD/logs/$t.log"
    summary+=("$t: FAILED (see $BUILD/logs/$t.log and $BUILD/artifacts/)")
  fi
done
echo
printf '%s\n' "${summary[@]}"
exit $failed
