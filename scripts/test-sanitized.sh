#!/usr/bin/env bash
# The sanitizer half of scripts/test.sh: an AddressSanitizer + UndefinedBehaviorSanitizer build
# without CUDA (clang), the unit and smoke tests under it, and every loader's libFuzzer target
# (tests/fuzz/) for a bounded time over a working copy of its corpus. A crash, a leak, undefined
# behaviour, or a loader answering bad input with anything but a UsageError fails the script and
# leaves the input in ${dir}/fuzz-crash-*: add it to tests/fuzz/corpus/<loader>/ with the fix.
# Environment: GQ_ASAN_BUILD_DIR (build-asan), GQ_FUZZ_SECONDS per target (20), GQ_JOBS.
set -euo pipefail
cd "$(dirname "$0")/.."
dir="${GQ_ASAN_BUILD_DIR:-build-asan}"
seconds="${GQ_FUZZ_SECONDS:-20}"

mkdir -p "$dir"
CC=clang CXX=clang++ cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DGQ_CUDA=OFF -DGQ_MPI=OFF \
  -DGQ_BUILD_MICROBENCH=OFF -DGQ_SANITIZE=ON -DGQ_FUZZ=ON > "$dir/configure.log" 2>&1 || { cat "$dir/configure.log"; exit 1; }
cmake --build "$dir" -j "${GQ_JOBS:-$(nproc)}"

export ASAN_OPTIONS="abort_on_error=1:detect_leaks=1:strict_string_checks=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
ctest --test-dir "$dir" -L "unit|smoke" --output-on-failure -j "${GQ_JOBS:-$(nproc)}"

for name in results baseline suite instances prices qualify_spec; do
  work="$dir/fuzz-corpus-$name"
  rm -rf "$work" && mkdir -p "$work" && cp tests/fuzz/corpus/"$name"/* "$work"/
  # The schema corpus's valid files of the same kind are seeds too (tests/data/schema_corpus).
  seeds="tests/data/schema_corpus/${name/_/-}/valid"
  if [ -d "$seeds" ]; then cp "$seeds"/*.json "$work"/; fi
  log="$dir/fuzz-$name.log"
  if ! "$dir/tests/fuzz/fuzz_$name" -max_total_time="$seconds" -max_len=65536 -timeout=10 \
       -artifact_prefix="$dir/fuzz-crash-$name-" "$work" > "$log" 2>&1; then
    tail -40 "$log"
    echo "test-sanitized: fuzz_$name found a failing input (see $dir/fuzz-crash-$name-*)"
    exit 1
  fi
  echo "test-sanitized: fuzz_$name: $(grep -o 'Done [0-9]* runs in [0-9]* second(s)' "$log" | tail -1), no failure"
done
echo "test-sanitized: sanitizer build, tests and fuzzing passed"
