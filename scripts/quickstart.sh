#!/usr/bin/env bash
# One command from a fresh machine to a first result: installs dependencies if missing, builds
# Release, runs the quick suite on every detected device (all GPUs, else the cpu) and prints the
# table and the results path. Arguments go to `gpuqual run` (e.g. --device cpu, -o FILE).
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh
scripts/build.sh -DGQ_BUILD_TESTS=OFF  # the tests are scripts/test.sh's (their packages are not installed here)
build_dir="${GQ_BUILD_DIR:-build}"
"$build_dir/app/gpuqual" info
exec "$build_dir/app/gpuqual" run --suite quick "$@"
