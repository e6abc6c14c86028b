#!/usr/bin/env bash
# The project's test command (CI runs it through .ci/run): installs dependencies, builds, runs
# every ctest (GPU tests skip themselves without a GPU) and the pytest suites. Non-zero on any
# failure. Works on a fresh Debian 12 machine with no GPU.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh
scripts/build.sh "$@"
build_dir="${GQ_BUILD_DIR:-build}"
ctest --test-dir "$build_dir" --output-on-failure -j "${GQ_JOBS:-$(nproc)}"

# Reports are drawn with a python3 that has matplotlib (Debian's /usr/bin/python3).
py=/usr/bin/python3
if [ -d reports/tests ] && ls reports/tests/test_*.py >/dev/null 2>&1; then
  GQ_BINARY="$PWD/$build_dir/harness/cli/gpuqual" "$py" -m pytest -q reports/tests
fi
echo "test.sh: all tests passed"
