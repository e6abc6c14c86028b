#!/bin/sh
# `cmake --install` into a fresh prefix, then the installed gpuqual on its own: no GQ_* variable
# set, run from an unrelated directory. It must find the suites, the instance catalog and the
# report package under PREFIX/share/gpuqual (harness/data_dirs.h), run the ci suite on the cpu,
# qualify and report it; the man page is installed where help2man made one.
# Usage: install_test.sh CMAKE BUILD_DIR WORK_DIR
set -eu
cmake=$1
build=$2
work=$3
rm -rf "$work"
mkdir -p "$work/elsewhere"
prefix="$work/prefix"
"$cmake" --install "$build" --prefix "$prefix" > "$work/install.log"
cat "$work/install.log"

for f in bin/gpuqual share/gpuqual/suites/ci.json share/gpuqual/suites/quick.json \
         share/gpuqual/baselines/instances.json share/gpuqual/reports/gpuqual_reports/__init__.py \
         share/gpuqual/schemas/results.schema.json share/gpuqual/schemas/common.schema.json; do
  test -e "$prefix/$f" || { echo "install_test: $prefix/$f is missing"; exit 1; }
done
# The installed binary keeps the build's run path to libraries outside the system's directories
# (CUDA's lib in a CUDA build): it must start where ld.so.conf does not list them.
if command -v readelf > /dev/null && readelf -d "$build/app/gpuqual" | grep -q 'R.*PATH.*cuda'; then
  readelf -d "$prefix/bin/gpuqual" | grep -q 'R.*PATH.*cuda' ||
    { echo "install_test: the installed gpuqual lost the build's run path to CUDA's libraries"; exit 1; }
fi
if grep -q '^GQ_HELP2MAN:FILEPATH=/' "$build/CMakeCache.txt"; then
  grep -q 'gpuqual run' "$prefix/share/man/man1/gpuqual.1" || { echo "install_test: no man page"; exit 1; }
fi

cd "$work/elsewhere"
gq() { env -u GQ_SUITES_DIR -u GQ_BASELINES_DIR -u GQ_REPORTS_DIR -u GQ_PYTHON "$prefix/bin/gpuqual" "$@"; }
gq --help | head -3
gq list --json > list.json
# Every suite was found under the prefix, none in the source tree.
/usr/bin/python3 - "$prefix" <<'PY'
import json, sys
prefix = sys.argv[1]
suites = json.load(open("list.json"))["suites"]
assert {s["name"] for s in suites} >= {"ci", "quick", "full"}, suites
for s in suites:
    assert s["origin"].startswith(prefix + "/share/gpuqual/suites/"), s["origin"]
print("install_test: suites found under", prefix)
PY
gq run --suite ci --device cpu --quiet -o ci.json
set +e
gq qualify ci.json > qualify.txt 2>&1
rc=$?
set -e
cat qualify.txt
if [ "$rc" -gt 1 ] || grep -q "cannot find\|no such file" qualify.txt; then
  echo "install_test: qualify could not find its data (exit $rc)"
  exit 1
fi
gq report ci.json -o report
test -s report/index.html || { echo "install_test: no report"; exit 1; }
echo "install_test: installed gpuqual ran, qualified and reported the ci suite from $prefix"
