#!/usr/bin/env python3
"""Reliability probe for the gpuqual CLI: bad input, write failures, signals, plan size.

Runs every case in a fresh temporary directory with a timeout and classifies it against the exit
code contract (DESIGN.md section 9): 0 ok, 1 a check failed, 2 bad usage or bad input with ONE
stderr line naming the input, 3 internal error, 130 interrupted; never a signal, never a traceback.

    python3 tests/probe/reliability_probe.py --binary build/app/gpuqual [--out DIR] [--seed N]

Python 3 standard library only. Needs GQ_SUITES_DIR / GQ_BASELINES_DIR / GQ_REPORTS_DIR (defaults:
the repository's suites/, baselines/ and reports/). Uses the cpu device only.
"""
import argparse
import concurrent.futures
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time

from probe_bad_input import class1, class2, class3, class6, class7
from probe_inputs import build_inputs
from probe_report import class9
from probe_runner import CLASS_NAMES, HEADERS, OUTCOMES, REPO, Runner, SEVERITY
from probe_writes import class4, class5, class8


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--binary", required=True)
    ap.add_argument("--out", default="probe-out")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--jobs", type=int, default=3, help="parallel cases (timing-sensitive classes run alone)")
    ap.add_argument("--mutations", type=int, default=150)
    ap.add_argument("--classes", default="1,2,3,4,5,6,7,8,9")
    args = ap.parse_args()
    binary = os.path.abspath(args.binary)
    os.makedirs(args.out, exist_ok=True)
    env = dict(os.environ)
    env.setdefault("GQ_SUITES_DIR", os.path.join(REPO, "suites"))
    env.setdefault("GQ_BASELINES_DIR", os.path.join(REPO, "baselines"))
    env.setdefault("GQ_REPORTS_DIR", os.path.join(REPO, "reports"))
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    env["MPLBACKEND"] = "Agg"
    work = tempfile.mkdtemp(prefix="gq-probe-")
    runner = Runner(binary, env, work)
    rng = random.Random(args.seed)
    t_start = time.monotonic()
    I = build_inputs(runner, work)
    has_rank = subprocess.run([binary, "rank", "--help"], env=env, capture_output=True).stdout.startswith(b"Rank")
    wanted = {int(x) for x in args.classes.split(",")}
    builders = {1: lambda: class1(I, has_rank), 2: lambda: class2(I, has_rank), 3: lambda: class3(I, has_rank, rng),
                4: lambda: class4(I, has_rank), 5: lambda: class5(I, has_rank), 6: lambda: class6(I, has_rank),
                7: lambda: class7(I), 8: lambda: class8(I), 9: lambda: class9(I, rng, args.mutations)}
    parallel, serial = [], []
    for c in sorted(wanted):
        (serial if c in (5, 7, 8) else parallel).extend(builders[c]())
    print("gpuqual probe: %s, %d cases (rank command: %s)" % (binary, len(parallel) + len(serial),
                                                                "yes" if has_rank else "absent"), flush=True)
    recs = []
    done = [0]
    total = len(parallel) + len(serial)

    def progress(r):
        done[0] += 1
        if r["outcome"] not in ("clean2", "expected"):
            print("  [%s] %s: %s  (exit %s) %s" % (r["outcome"], CLASS_NAMES[r["cls"]], r["cmd"][:160], r["rc"],
                                                  r["reason"][:160]), flush=True)
        if done[0] % 50 == 0:
            print("  ... %d/%d cases, %.0f s" % (done[0], total, time.monotonic() - t_start), flush=True)

    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.jobs)) as ex:
        for r in ex.map(runner.run_case, parallel):
            recs.append(r)
            progress(r)
    for c in serial:
        r = runner.run_case(c)
        recs.append(r)
        progress(r)
    shutil.rmtree(work, ignore_errors=True)

    # details of every case that is not clean, and a table per class with totals last
    with open(os.path.join(args.out, "probe-details.txt"), "w") as f:
        f.write("gpuqual reliability probe: binary %s, seed %d, %d cases\n\n" % (binary, args.seed, len(recs)))
        for r in sorted(recs, key=lambda r: (r["cls"], -SEVERITY[r["outcome"]])):
            if r["outcome"] in ("clean2", "expected"):
                continue
            first = next((ln for ln in r["stderr"].splitlines() if ln.strip()), "")
            f.write("[%s] class %s\n  command: %s\n  exit: %s  (%.1f s)\n  stderr[0]: %s\n  stderr lines: %d\n  why: %s\n%s\n"
                    % (r["outcome"], CLASS_NAMES[r["cls"]], r["cmd"], r["rc"], r["elapsed"], first[:300],
                       len([ln for ln in r["stderr"].splitlines() if ln.strip()]), r["reason"],
                       ("  note: %s\n" % r["note"]) if r["note"] else ""))
    with open(os.path.join(args.out, "probe-results.json"), "w") as f:
        json.dump([{k: (v[:2000] if isinstance(v, str) else v) for k, v in r.items()} for r in recs], f, indent=1)

    rows = []
    for c in sorted({r["cls"] for r in recs}):
        rs = [r for r in recs if r["cls"] == c]
        rows.append([CLASS_NAMES[c], len(rs)] + [sum(1 for r in rs if r["outcome"] == o) for o in OUTCOMES])
    rows.append(["TOTAL", len(recs)] + [sum(1 for r in recs if r["outcome"] == o) for o in OUTCOMES])
    w0 = max(len(r[0]) for r in rows)
    head = "%-*s " % (w0, "class") + " ".join("%14s" % h for h in HEADERS)
    lines = [head, "-" * len(head)]
    for r in rows:
        if r[0] == "TOTAL":
            lines.append("-" * len(head))
        lines.append("%-*s " % (w0, r[0]) + " ".join("%14d" % v for v in r[1:]))
    table = "\n".join(lines)
    with open(os.path.join(args.out, "probe-summary.txt"), "w") as f:
        f.write(table + "\n")
    print("\ndetails of every non-clean case: %s" % os.path.join(args.out, "probe-details.txt"))
    print("elapsed %.0f s\n" % (time.monotonic() - t_start))
    print(table)
    bad = sum(1 for r in recs if r["outcome"] in ("wrong", "crash", "hang", "dataloss"))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
