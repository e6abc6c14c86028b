#!/bin/sh
# 12 real cpu runs of the ci suite; from c07 on, OpenBLAS is limited to one thread (a real config regression).
G=/work/wt-history/build-cpu/app/gpuqual
for i in 01 02 03 04 05 06 07 08 09 10 11 12; do
  if [ "$i" -ge 07 ]; then export OPENBLAS_NUM_THREADS=1; fi
  $G run --suite ci --device cpu --min-time 0.2 --max-time 1 --warmup 0.05 --max-noise 20 \
     --label branch=main --label commit=c$i --db /tmp/hq/h.db -o /tmp/hq/r$i.json > /tmp/hq/log$i.txt 2>&1
  echo "c$i rc=$?"
done
#!/bin/sh
# c13..c18: OpenBLAS back to its default thread count (c07..c12 had OPENBLAS_NUM_THREADS=1).
G=/work/wt-history/build-cpu/app/gpuqual
for i in 13 14 15 16 17 18; do
  $G run --suite ci --device cpu --min-time 0.2 --max-time 1 --warmup 0.05 --max-noise 20 \
     --label branch=main --label commit=c$i --db /tmp/hq/h.db -o /tmp/hq/r$i.json > /tmp/hq/log$i.txt 2>&1
  echo "c$i rc=$?"
done
