#!/usr/bin/env bash
# The project's test command (CI runs it through .ci/run): installs dependencies, builds, runs
# every ctest (GPU tests skip themselves without a GPU), the pytest suites, the GPU kit's dry run,
# and the sanitizer build with the fuzzers (scripts/test-sanitized.sh). Non-zero on any failure.
# Works on a fresh Debian 12 machine with no GPU.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh --test
scripts/build.sh -DGQ_BUILD_TESTS=ON "$@"
build_dir="${GQ_BUILD_DIR:-build}"
ctest --test-dir "$build_dir" --output-on-failure -j "${GQ_JOBS:-$(nproc)}"

# Reports are drawn with a python3 that has matplotlib (Debian's /usr/bin/python3).
py=/usr/bin/python3
if [ -d reports/tests ] && ls reports/tests/test_*.py >/dev/null 2>&1; then
  GQ_BINARY="$PWD/$build_dir/app/gpuqual" "$py" -m pytest -q reports/tests
fi
GQ_BINARY="$PWD/$build_dir/app/gpuqual" "$py" -m pytest -q tests/docs
"$py" -m pytest -q tests/scripts  # the GPU kit's summary on made-up inputs
# Every ctest has a time limit (a stuck kernel or child process must fail, not hang).
ctest --test-dir "$build_dir" --show-only=json-v1 | python3 -c '
import json, sys
tests = json.load(sys.stdin)["tests"]
bare = [t["name"] for t in tests if not any(p["name"] == "TIMEOUT" for p in t.get("properties", []))]
sys.exit(f"tests without a TIMEOUT: {bare}" if bare else 0)'

# The GPU kit, dry: every step's skip path, the watchdog on a test that hangs on purpose, the
# baseline flow on the cpu (quick runs, baseline create, qualify, compare), the summary.
kit_out="$build_dir/gpu-check-dry-run"
rm -rf "$kit_out"
GQ_OUT="$kit_out" scripts/gpu-check.sh --dry-run --build-dir "$build_dir" --budget 300
for expect in "setup: dry run | ok" "tests: gpu GoogleTests" "tests: WatchdogSelfTest.HangsWhenAsked | timed out" \
              "sanitize" "perf: gpuqual anchors | skipped" "cudnn: debug rerun | skipped" \
              "baseline: quick run 4 | ok" "baseline: create | ok" "baseline: qualify last run | ok" \
              "baseline: compare last run | ok"; do
  grep -qF "$expect" "$kit_out/summary.md" || { echo "test.sh: the GPU kit's dry run lacks '$expect'"; exit 1; }
done
for f in logs.tar.gz baseline.tar.gz; do
  test -s "$kit_out/$f" || { echo "test.sh: the GPU kit's dry run left no $f"; exit 1; }
done

# The sanitizer build (ASan + UBSan, no CUDA) of the unit and smoke tests, and every loader's fuzzer.
scripts/test-sanitized.sh

echo "test.sh: all tests passed"
