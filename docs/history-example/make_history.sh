#!/bin/sh
# Remakes this folder from real cpu runs on the machine it runs on (about two minutes):
#   docs/history-example/make_history.sh [path/to/gpuqual]
# 18 runs of the ci suite labelled branch=main, commit=c01..c18, each adding itself to one history
# database; c07..c12 run with OPENBLAS_NUM_THREADS=1 (a configuration change the history should
# show as change points at c07 and c13), then a candidate with 3 rounds compared with the newest
# 6 runs. Outputs: history_list.txt, history_show_gemm_fp64.txt, summary.md and the report's trend
# PNGs of fp64 GEMM and the tiny e2e model, compare_history.txt.
set -u
here=$(cd "$(dirname "$0")" && pwd)
G=${1:-$here/../../build/app/gpuqual}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
db=$work/h.db
for i in 01 02 03 04 05 06 07 08 09 10 11 12 13 14 15 16 17 18; do
  if [ "$i" -ge 07 ] && [ "$i" -le 12 ]; then threads=1; else threads=; fi
  OPENBLAS_NUM_THREADS=$threads "$G" run --suite ci --device cpu --min-time 0.2 --max-time 1 --warmup 0.05 \
    --max-noise 20 --label branch=main --label commit=c$i --db "$db" -o "$work/r$i.json" -q > /dev/null
  echo "c$i rc=$?"
done
fp64='gemm/dtype=fp64/m=256/n=256/k=256/layout=TN/algo=autotune'
"$G" history list --db "$db" | sed "s|$work/||" > "$here/history_list.txt"
"$G" history show "$fp64" --db "$db" | sed "s|$work/||" > "$here/history_show_gemm_fp64.txt"
"$G" report --history --db "$db" --label branch=main -o "$work/rep" > /dev/null
sed "s|$work/||g" "$work/rep/summary.md" > "$here/summary.md"
e2e='e2e/model=tiny/scenario=offline/batch=2/input_len=32/output_len=8/dtype=bf16/tp=1'
for pair in "gemm_fp64_trend:$fp64" "e2e_tiny_trend:$e2e"; do  # one case per report: its figure is trend_01
  "$G" report --history --db "$db" --label branch=main --case "${pair#*:}" -o "$work/${pair%%:*}" > /dev/null
  cp "$work/${pair%%:*}/trend_01.png" "$here/${pair%%:*}.png"
done
"$G" run --suite ci --device cpu --repetitions 3 --min-time 0.2 --max-time 1 --warmup 0.05 --max-noise 20 \
  -o "$work/candidate.json" -q > /dev/null
"$G" compare "$work/candidate.json" --history --last 6 --label branch=main --db "$db" 2>&1 |
  sed "s|$work/||g" > "$here/compare_history.txt"
echo "compare rc=$?"
