#!/bin/sh
# Google Benchmark's compare.py (Debian's libbenchmark-tools, with python3-scipy) reads two JSON
# outputs of gpuqual_microbench, and the outputs carry gpuqual's context. Exit 77 (skipped) when
# compare.py or scipy is missing.
# Usage: compare_py_test.sh MICROBENCH PYTHON COMPARE_PY WORK_DIR
set -eu
mb=$1
py=$2
compare=$3
work=$4
if [ ! -f "$compare" ]; then
  echo "compare_py_test: compare.py not found ($compare): apt-get install libbenchmark-tools"
  exit 77
fi
"$py" -c 'import scipy' 2>/dev/null || { echo "compare_py_test: $py lacks scipy (python3-scipy)"; exit 77; }
rm -rf "$work"
mkdir -p "$work"
for run in 1 2; do
  "$mb" --gq_suite=ci --gq_device=cpu --benchmark_filter='gemm|membw' --benchmark_min_time=0.05 \
        --benchmark_repetitions=3 --benchmark_out_format=json --benchmark_out="$work/run$run.json" > /dev/null
done
for key in gpuqual_version gpuqual_git gq_suite gq_device openblas; do
  grep -q "\"$key\"" "$work/run1.json" || { echo "compare_py_test: the JSON context lacks $key"; exit 1; }
done
"$py" "$compare" --no-color benchmarks "$work/run1.json" "$work/run2.json" > "$work/compare.txt"
cat "$work/compare.txt"
for name in gemm/dtype=fp32/m=256/n=256/k=256/layout=TN/algo=autotune/cpu membw/op=copy; do
  grep -q "$name" "$work/compare.txt" || { echo "compare_py_test: compare.py's output lacks $name"; exit 1; }
done
echo "compare_py_test: compare.py read both outputs"
