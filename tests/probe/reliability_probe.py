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
import copy
import hashlib
import json
import os
import random
import re
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import threading
import time

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUTCOMES = ["clean2", "expected", "wrong", "crash", "hang", "dataloss"]
HEADERS = ["tried", "clean exit 2", "expected other", "wrong exit", "crash", "hang", "data lost"]
SEVERITY = {"crash": 5, "hang": 4, "dataloss": 3, "wrong": 2, "clean2": 1, "expected": 0}
CLASS_NAMES = {
    1: "1 deep JSON",
    2: "2 bad numbers in files",
    3: "3 bad files to loaders",
    4: "4 output write failures",
    5: "5 writes keep data",
    6: "6 bad flag/suite values",
    7: "7 plan size",
    8: "8 signals",
    9: "9 report mutations",
}
SMALL = ["gemm", "--device", "cpu", "-a", "dtype=fp32", "-a", "m=64", "-a", "n=64", "-a", "k=64"]
FAST = ["--max-time", "0.2", "--min-time", "0.05", "--warmup", "0.01", "--min-samples", "5"]
SUITE_FAST = ["--max-time", "0.4", "--min-time", "0.1", "--warmup", "0.02"]
SIGNAL_RUN = ["--max-time", "1", "--min-time", "0.3", "--warmup", "0.05"]  # the ci suite lasts ~5 s on the cpu
CRASH_MARKERS = ["Traceback (most recent call last)", "terminate called", "AddressSanitizer",
                 "Segmentation fault", "core dumped", "runtime error:", "Aborted"]


class Case:
    """One probe: a command run in a fresh directory, what it should do, and extra checks."""

    def __init__(self, cls, args, expect=(2,), names=(), files=None, outputs=(), timeout=60.0,
                 sig=None, post=None, setup=None, max_s=None, note=""):
        self.cls = cls
        self.args = list(args)
        self.expect = set(expect)        # exit codes that are right; 2 must also be clean
        self.names = list(names)          # any of these in the stderr line = "names the input"
        self.files = files or {}          # relative path -> bytes|str (copied into the case dir)
        self.outputs = list(outputs)      # relative paths the user named as outputs (may change)
        self.timeout = timeout
        self.sig = sig                    # [(delay_s, signal, to_group)] sent while it runs
        self.post = post                  # f(dir, rc, stdout, stderr) -> None | (outcome, reason)
        self.setup = setup                # f(dir) after files are written (symlinks, chmod ...)
        self.max_s = max_s                # answer slower than this = hang
        self.note = note

    def command_line(self):
        return "gpuqual " + " ".join(_quote(a) for a in self.args)


def _quote(a):
    if a == "" or any(ch in a for ch in " \t\n'\"$*;&|<>()"):
        return "'" + a.replace("'", "'\\''") + "'"
    return a if len(a) < 200 else a[:80] + "...(%d chars)" % len(a)


# ---------------------------------------------------------------------------------------------
# Running and classifying


def snapshot(root):
    """path -> (kind, digest-or-link-target) of everything under root, without following links."""
    out = {}
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        for name in dirnames + filenames:
            p = os.path.join(dirpath, name)
            rel = os.path.relpath(p, root)
            try:
                st = os.lstat(p)
            except OSError:
                continue
            if stat.S_ISLNK(st.st_mode):
                out[rel] = ("link", os.readlink(p))
            elif stat.S_ISDIR(st.st_mode):
                out[rel] = ("dir", None)
            elif stat.S_ISREG(st.st_mode):
                try:
                    with open(p, "rb") as f:
                        out[rel] = ("file", hashlib.sha1(f.read()).hexdigest())
                except OSError:
                    out[rel] = ("file", "unreadable")
            else:
                out[rel] = ("other", None)
    return out


def under(rel, outputs):
    for o in outputs:
        o = o.rstrip("/")
        if rel == o or rel.startswith(o + "/"):
            return True
    return False


def valid_json_file(path, schema_prefix=None):
    try:
        with open(path, "rb") as f:
            doc = json.loads(f.read().decode("utf-8"))
    except Exception as e:  # noqa: BLE001 - any failure means not valid
        return False, "not valid JSON (%s)" % str(e)[:80]
    if schema_prefix and not str(doc.get("schema", "") if isinstance(doc, dict) else "").startswith(schema_prefix):
        return False, "schema is not %s" % schema_prefix
    return True, doc


class Runner:
    def __init__(self, binary, env, workroot):
        self.binary = binary
        self.env = env
        self.workroot = workroot
        self.dev_lock = threading.Lock()

    def run_case(self, case):
        d = tempfile.mkdtemp(prefix="c%d-" % case.cls, dir=self.workroot)
        for rel, content in case.files.items():
            p = os.path.join(d, rel)
            os.makedirs(os.path.dirname(p), exist_ok=True)
            with open(p, "wb") as f:
                f.write(content.encode("utf-8") if isinstance(content, str) else content)
        if case.setup:
            case.setup(d)
        before = snapshot(d)
        t0 = time.monotonic()
        hang = False
        p = subprocess.Popen([self.binary] + case.args, cwd=d, env=self.env, stdin=subprocess.DEVNULL,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
        result = {}

        def pump():
            result["out"], result["err"] = p.communicate()

        th = threading.Thread(target=pump, daemon=True)
        th.start()
        if case.sig:
            for delay, sg, group in case.sig:
                end = t0 + delay
                while time.monotonic() < end and p.poll() is None:
                    time.sleep(0.02)
                if p.poll() is None:
                    try:
                        (os.killpg(p.pid, sg) if group else os.kill(p.pid, sg))
                    except ProcessLookupError:
                        pass
        th.join(case.timeout)
        if th.is_alive():
            hang = True
            try:
                os.killpg(p.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            th.join(10)
        elapsed = time.monotonic() - t0
        rc = p.returncode
        out = result.get("out", b"").decode("utf-8", "replace")
        err = result.get("err", b"").decode("utf-8", "replace")
        outcome, reason = self.classify(case, d, before, rc, out, err, hang, elapsed)
        rec = {"cls": case.cls, "cmd": case.command_line(), "rc": rc, "stderr": err, "outcome": outcome,
               "reason": reason, "elapsed": elapsed, "note": case.note}
        self.guard_devices()
        shutil.rmtree(d, ignore_errors=True)
        return rec

    def guard_devices(self):
        # A broken /dev/null or /dev/full would break every other process on the machine: put it back.
        with self.dev_lock:
            for path, minor in (("/dev/null", 3), ("/dev/full", 7)):
                try:
                    if stat.S_ISCHR(os.lstat(path).st_mode):
                        continue
                except FileNotFoundError:
                    pass
                try:
                    if os.path.lexists(path):
                        os.unlink(path)
                    os.mknod(path, 0o666 | stat.S_IFCHR, os.makedev(1, minor))
                    os.chmod(path, 0o666)
                except OSError:
                    pass

    def classify(self, case, d, before, rc, out, err, hang, elapsed):
        found = []  # (outcome, reason)
        if hang:
            found.append(("hang", "no answer in %.0f s" % case.timeout))
        elif case.max_s is not None and elapsed > case.max_s:
            found.append(("hang", "answered after %.1f s (limit %.0f s)" % (elapsed, case.max_s)))
        sent = [s for _, s, _ in (case.sig or [])]
        if rc is not None and rc == -signal.SIGKILL and signal.SIGKILL in sent:
            found.append(("expected", ""))
        elif rc is not None and rc < 0:
            found.append(("crash", "killed by signal %d (%s)" % (-rc, signal.Signals(-rc).name)))
        for m in CRASH_MARKERS:
            if m in err or m in out:
                found.append(("crash", "'%s' in output" % m))
                break
        # data: files the user did not name as outputs must be untouched; no stray files
        after = snapshot(d)
        for rel, st in before.items():
            if under(rel, case.outputs):
                continue
            if rel not in after:
                found.append(("dataloss", "%s was deleted" % rel))
            elif after[rel] != st:
                found.append(("dataloss", "%s was modified (%s -> %s)" % (rel, st[0], after[rel][0])))
        for rel in after:
            if rel not in before and not under(rel, case.outputs):
                found.append(("wrong", "stray file left: %s" % rel))
        # a pre-existing output must not be destroyed when the command fails
        if rc in (2, 3) and not hang:
            for o in case.outputs:
                if o in before and before[o][0] == "file" and after.get(o) != before[o]:
                    found.append(("dataloss", "existing output %s changed although the command failed" % o))
        if case.post and not hang:
            r = case.post(d, rc, out, err)
            if r:
                found.append(r)
        lines = [ln for ln in err.splitlines() if ln.strip()]
        if not hang and rc is not None and rc >= 0:
            if rc in case.expect:
                if rc == 2:
                    if len(lines) != 1:
                        found.append(("wrong", "exit 2 with %d stderr lines" % len(lines)))
                    elif case.names and not any(n.lower() in lines[0].lower() for n in case.names):
                        found.append(("wrong", "exit 2 but stderr does not name the input (%s)" % case.names[0]))
                    else:
                        found.append(("clean2", ""))
                else:
                    found.append(("expected", ""))
            else:
                found.append(("wrong", "exit %d (expected %s)" % (rc, "/".join(map(str, sorted(case.expect))))))
        found.sort(key=lambda x: -SEVERITY[x[0]])
        top = found[0][0] if found else "wrong"
        reasons = "; ".join(r for o, r in found if r and SEVERITY[o] >= 2)
        return top, reasons


# ---------------------------------------------------------------------------------------------
# Inputs


def read(path):
    with open(path, "rb") as f:
        return f.read()


RAW_TOKENS = []


def raw_dump(doc):
    """json.dumps with placeholders made by raw() replaced by their raw text (NaN, 1e400, deep nesting)."""
    text = json.dumps(doc, indent=1, allow_nan=True)
    return re.sub(r'"__RAW__(\d+)__"', lambda m: RAW_TOKENS[int(m.group(1))], text)


def raw(token):
    RAW_TOKENS.append(token)
    return "__RAW__%d__" % (len(RAW_TOKENS) - 1)


def first_case_with_metric(doc):
    for c in doc.get("cases", []):
        m = c.get("metrics") or {}
        pm = c.get("primary_metric")
        if pm in m and c.get("samples_s"):
            return c, pm
    raise SystemExit("no case with a primary metric and samples in the seed file")


def build_inputs(runner, work):
    """Valid seed files: two real cpu results, a small fresh run, baselines made from them."""
    tests = os.path.join(REPO, "tests", "data", "aa")
    fx = os.path.join(REPO, "reports", "tests", "fixtures")
    I = {
        "run1": read(os.path.join(tests, "run1.json")),
        "run2": read(os.path.join(tests, "run2.json")),
        "aws": read(os.path.join(fx, "aws_p5_run1.json")),
        "baseline_h100": read(os.path.join(fx, "baseline_h100.json")),
        "prices": read(os.path.join(fx, "prices.json")),
        "instances": read(os.path.join(REPO, "baselines", "instances.json")),
        "suite": read(os.path.join(REPO, "suites", "ci.json")),
    }
    I["spec"] = json.dumps({"schema": "gpuqual.qualify-spec/1", "default": {"warn_below": 0.95, "fail_below": 0.9},
                            "workloads": {"gemm": {"warn_below": 0.97, "fail_below": 0.93}}}).encode()
    d = tempfile.mkdtemp(prefix="seed-", dir=work)
    env = runner.env
    for n in ("run1", "run2"):
        with open(os.path.join(d, n + ".json"), "wb") as f:
            f.write(I[n])
    subprocess.run([runner.binary, "baseline", "create", "run1.json", "run2.json", "--name", "x", "-o", "base.json"],
                   cwd=d, env=env, check=True, capture_output=True, timeout=120)
    I["base"] = read(os.path.join(d, "base.json"))
    subprocess.run([runner.binary, "run"] + SMALL + FAST + ["-q", "-o", "small.json"], cwd=d, env=env, check=True,
                   capture_output=True, timeout=120)
    I["small"] = read(os.path.join(d, "small.json"))
    shutil.rmtree(d, ignore_errors=True)
    return I


# Where each kind of file can be given. {F} is the probed file; other files are valid seeds.
def result_sites(has_rank):
    s = [
        ("compare", ["compare", "{F}", "--baseline", "base.json"]),
        ("compare-baseline", ["compare", "run1.json", "--baseline", "{F}"]),
        ("baseline-create", ["baseline", "create", "{F}", "--name", "x", "-o", "out.json"]),
        ("qualify", ["qualify", "{F}", "--baseline", "base.json"]),
        ("report", ["report", "{F}", "-o", "rep"]),
    ]
    if has_rank:
        s.append(("rank", ["rank", "{F}"]))
    return s


def baseline_sites(has_rank):
    s = [
        ("compare", ["compare", "run1.json", "--baseline", "{F}"]),
        ("qualify", ["qualify", "run1.json", "--baseline", "{F}"]),
        ("report", ["report", "run1.json", "--baseline", "{F}", "-o", "rep"]),
    ]
    if has_rank:
        s.append(("rank", ["rank", "run1.json", "--baseline", "{F}"]))
    return s


def other_sites(has_rank):
    s = {
        "suite": [("run", ["run", "--suite", "{F}", "--device", "cpu", "-q", "-o", "out.json"] + SUITE_FAST)],
        "catalog": [("qualify", ["qualify", "run1.json", "--baseline", "base.json", "--instance", "p5.48xlarge",
                                 "--catalog", "{F}"])],
        "prices": [("report", ["report", "aws.json", "--prices", "{F}", "-o", "rep"])],
        "spec": [("qualify", ["qualify", "run1.json", "--baseline", "base.json", "--spec", "{F}"])],
    }
    if has_rank:
        s["catalog"].append(("rank", ["rank", "aws.json", "--catalog", "{F}"]))
        s["prices"].append(("rank", ["rank", "aws.json", "--prices", "{F}"]))
    return s


def seed_files(I):
    return {"run1.json": I["run1"], "run2.json": I["run2"], "base.json": I["base"], "aws.json": I["aws"],
            "small.json": I["small"]}


def outputs_of(args):
    outs = []
    for i, a in enumerate(args[:-1]):
        if a in ("-o", "--output", "--junit", "--json", "--markdown", "--export-github-benchmark", "--export-bencher"):
            outs.append(args[i + 1])
    return outs


def mk(cls, args, fname, content, I, expect=(2,), names=None, note="", **kw):
    args = [a.replace("{F}", fname) for a in args]
    files = seed_files(I)
    files[fname] = content
    if "out.json" in args:  # an earlier output that a refused command must leave alone
        files["out.json"] = I["small"]
    return Case(cls, args, expect=expect, names=names or [fname], files=files, outputs=outputs_of(args),
                note=note, **kw)


# ---------------------------------------------------------------------------------------------
# Classes


def class1(I, has_rank):
    n = 100000
    run1 = json.loads(I["run1"])
    emb = copy.deepcopy(run1)
    emb["cases"][0]["params"]["m"] = raw("[" * n + "]" * n)
    deep = {
        "deep_arrays.json": "[" * n + "]" * n,
        "deep_objects.json": '{"a":' * (n // 2) + "1" + "}" * (n // 2),
        "deep_in_results.json": raw_dump(emb),
        "deep_mixed.json": '{"schema":"gpuqual.results/1","cases":' + "[{\"x\":" * (n // 4) + "0" + "}]" * (n // 4) + "}",
    }
    cases = []
    sites = [s for _, s in result_sites(has_rank)] + [s for _, s in baseline_sites(has_rank)[1:]]
    sites.append(["run", "--suite", "{F}", "--device", "cpu", "-q", "-o", "out.json"] + SUITE_FAST)
    for _, lst in other_sites(has_rank).items():
        sites += [s for _, s in lst if s[0] != "run"]
    for fname, content in deep.items():
        for s in sites:
            cases.append(mk(1, s, fname, content, I))
    return cases


NUM_VARIANTS = [
    ("median", "null", None), ("median", "string_NaN", "NaN"), ("median", "literal_NaN", raw("NaN")),
    ("median", "Infinity", raw("Infinity")), ("median", "1e400", raw("1e400")), ("median", "negative", -1.5),
    ("median", "string", "12.5"), ("median", "bool", True),
    ("samples", "null", [None]), ("samples", "negative", [-0.001, 0.001]), ("samples", "1e400", [raw("1e400")]),
    ("samples", "string", "abc"), ("samples", "literal_NaN", [raw("NaN"), 0.001]),
]


def numeric_mutant(seed_bytes, where, value):
    doc = json.loads(seed_bytes)
    c, pm = first_case_with_metric(doc)
    if where == "median":
        c["metrics"][pm]["median"] = value
    else:
        c["samples_s"] = value
    return raw_dump(doc)


def class2(I, has_rank):
    cases = []
    for where, label, value in NUM_VARIANTS:
        fname = "num_%s_%s.json" % (where, label)
        content = numeric_mutant(I["run1"], where, value)
        for _, s in result_sites(has_rank):
            cases.append(mk(2, s, fname, content, I, note="results %s=%s" % (where, label)))
        bname = "base_%s_%s.json" % (where, label)
        bcontent = numeric_mutant(I["base"], where, value)
        for _, s in baseline_sites(has_rank)[:2]:
            cases.append(mk(2, s, bname, bcontent, I, note="baseline %s=%s" % (where, label)))
    return cases


def bad_variants(valid, wrong_schema_doc, kind, rng):
    doc = json.loads(valid)
    ver = copy.deepcopy(doc)
    ver["schema"] = doc["schema"].rsplit("/", 1)[0] + "/2"
    noschema = copy.deepcopy(doc)
    del noschema["schema"]
    garbage = bytes(rng.randrange(256) for _ in range(4096))
    return [
        ("empty", b""),
        ("truncated", valid[: len(valid) // 2]),
        ("truncated_1byte", valid[:1]),
        ("garbage", garbage),
        ("garbage_nul", b"\x00" * 100 + valid[:200]),
        ("bad_utf8", valid.replace(b'"', b'"\xff\xfe', 3)),
        ("wrong_schema", json.dumps(wrong_schema_doc).encode()),
        ("wrong_version", json.dumps(ver).encode()),
        ("no_schema", json.dumps(noschema).encode()),
        ("json_array", b"[]"),
        ("json_string", b'"hello"'),
    ]


def class3(I, has_rank, rng):
    cases = []
    prices_doc = json.loads(I["prices"])
    kinds = [
        ("results", I["run1"], prices_doc, result_sites(has_rank)),
        ("baseline", I["base"], json.loads(I["run1"].decode())["system"], baseline_sites(has_rank)),
    ]
    o = other_sites(has_rank)
    kinds += [
        ("suite", I["suite"], prices_doc, o["suite"]),
        ("catalog", I["instances"], prices_doc, o["catalog"]),
        ("prices", I["prices"], json.loads(I["instances"]), o["prices"]),
        ("spec", I["spec"], prices_doc, o["spec"]),
    ]
    for kind, valid, wrong, sites in kinds:
        for label, content in bad_variants(valid, wrong, kind, rng):
            fname = "%s_%s.json" % (kind, label)
            for _, s in sites:
                cases.append(mk(3, s, fname, content, I, note=kind))
        # a directory and a missing file where a file is expected (first site only)
        for label, setup in (("is_a_directory", lambda d, f="%s_dir.json" % kind: os.mkdir(os.path.join(d, f))),
                             ("missing", None)):
            fname = "%s_%s.json" % (kind, "dir" if setup else "missing")
            s = [a.replace("{F}", fname) for a in sites[0][1]]
            cases.append(Case(3, s, names=[fname], files=seed_files(I), outputs=outputs_of(s), setup=setup,
                              note=kind + " " + label))
    return cases


def class4(I, has_rank):
    cases = []

    def setup(d):
        with open(os.path.join(d, "file.txt"), "w") as f:
            f.write("user data\n")
        os.mkdir(os.path.join(d, "adir"))
        with open(os.path.join(d, "adir", "keep.txt"), "w") as f:
            f.write("keep\n")
        os.mkdir(os.path.join(d, "ro"))
        os.chmod(os.path.join(d, "ro"), 0o555)

    targets = [("file.txt/out.json", ["file.txt/out.json", "file.txt"]),
               ("/proc/gq_probe_out.json", ["/proc/gq_probe_out.json"]),
               ("/proc/version/out.json", ["/proc/version"]),
               ("adir", ["adir"]),
               ("/dev/full", ["/dev/full"])]
    cmds = [
        ("run", ["run"] + SMALL + FAST + ["-q", "-o", "{T}"]),
        ("baseline create", ["baseline", "create", "run1.json", "--name", "x", "-o", "{T}"]),
        ("compare --junit", ["compare", "run1.json", "--baseline", "base.json", "--junit", "{T}"]),
        ("compare --json", ["compare", "run1.json", "--baseline", "base.json", "--json", "{T}"]),
        ("compare --markdown", ["compare", "run1.json", "--baseline", "base.json", "--markdown", "{T}"]),
        ("compare --export-bencher", ["compare", "run1.json", "--baseline", "base.json", "--export-bencher", "{T}"]),
        ("qualify -o", ["qualify", "run1.json", "--baseline", "base.json", "-o", "{T}"]),
        ("report -o", ["report", "run1.json", "-o", "{T}"]),
    ]
    if has_rank:
        cmds.append(("rank --json", ["rank", "aws.json", "--json", "{T}"]))
    for label, args in cmds:
        for t, names in targets:
            if label == "report -o" and t == "adir":
                continue  # an existing directory is a valid report output directory
            a = [x.replace("{T}", t) for x in args]
            cases.append(Case(4, a, names=names, files=seed_files(I), setup=setup, outputs=[],
                              post=_dev_still_char, note=label))
    # report -o at an existing regular file and at a read-only dir's child (root writes anyway: informational)
    for t in ("file.txt", "file.txt/sub"):
        a = ["report", "run1.json", "-o", t]
        cases.append(Case(4, a, names=[t.split("/")[0]], files=seed_files(I), setup=setup, outputs=[], note="report -o"))
    return cases


def _dev_still_char(d, rc, out, err):
    for p in ("/dev/full", "/dev/null"):
        if not stat.S_ISCHR(os.lstat(p).st_mode):
            return ("dataloss", "%s is no longer a character device" % p)
    return None


def results_ok(rel, need=None, may_be_absent=False, old=None):
    """post check: rel is a valid results file (optionally run.<key> == value for key in need)."""
    def post(d, rc, out, err):
        p = os.path.join(d, rel)
        if not os.path.lexists(p):
            return None if may_be_absent else ("dataloss" if old else "wrong", "%s is missing" % rel)
        ok, doc = valid_json_file(p, "gpuqual.results/")
        if not ok:
            return ("dataloss", "%s: %s" % (rel, doc))
        if old is not None and read(p) == old:
            return None
        for k, v in (need or {}).items():
            got = (doc.get("run") or {}).get(k)
            if got != v:
                return ("wrong", "%s: run.%s is %r, expected %r" % (rel, k, got, v))
        return None
    return post


def class5(I, has_rank):
    cases = []
    old = I["small"]
    suite_run = ["run", "--suite", "ci", "--device", "cpu"] + SIGNAL_RUN + ["-q", "-o", "existing.json"]
    for delay, sg, group in ((1.0, signal.SIGINT, True), (0.3, signal.SIGINT, True), (1.0, signal.SIGTERM, False),
                             (1.0, signal.SIGKILL, False), (2.5, signal.SIGKILL, False)):
        expect = (0, 130) if sg != signal.SIGKILL else (0,)
        cases.append(Case(5, suite_run, expect=expect, files={"existing.json": old}, outputs=["existing.json"],
                          sig=[(delay, sg, group)], post=results_ok("existing.json", old=old),
                          note="existing output, %s after %.1f s" % (signal.Signals(sg).name, delay)))
    # planted symlinks named like temporaries beside the target must not be written through
    victim = b"victim: must stay unchanged\n"

    def plant(target):
        def setup(d):
            base = os.path.basename(target)
            for n in ("." + base + ".tmp", base + ".tmp", "." + base + ".tmp.XXXXXX", base + "~", "." + base + ".swp",
                      "." + base + ".tmp.000000"):
                os.symlink(os.path.join(d, "victim.txt"), os.path.join(d, os.path.dirname(target), n))
        return setup

    writers = [
        (["run"] + SMALL + FAST + ["-q", "-o", "out.json"], (0,), "out.json"),
        (["baseline", "create", "run1.json", "--name", "x", "-o", "out.json"], (0,), "out.json"),
        (["compare", "run1.json", "--baseline", "base.json", "--json", "out.json"], (0, 1), "out.json"),
        (["compare", "run1.json", "--baseline", "base.json", "--junit", "out.json"], (0, 1), "out.json"),
        (["qualify", "run1.json", "--baseline", "base.json", "-o", "out.json"], (0, 1), "out.json"),
        (["report", "run1.json", "-o", "rep"], (0,), "rep/index.html"),
        (["report", "run1.json", "-o", "rep"], (0,), "rep/summary.md"),
    ]
    if has_rank:
        writers.append((["rank", "aws.json", "--json", "out.json"], (0,), "out.json"))
    for args, expect, target in writers:
        files = seed_files(I)
        files["victim.txt"] = victim
        outs = outputs_of(args)
        if target.startswith("rep/"):
            # a symlink AT the output file inside the output directory: the report must replace it, not write through
            def setup(d, t=target):
                os.mkdir(os.path.join(d, "rep"))
                os.symlink(os.path.join(d, "victim.txt"), os.path.join(d, t))
                plant(t)(d)
            note = "symlink at %s -> victim.txt" % target
        else:
            setup = plant(target)
            note = "symlinks .%s.tmp* etc. -> victim.txt" % target
        cases.append(Case(5, args, expect=expect, files=files, outputs=outs, setup=setup, note=note,
                          post=_victim_ok(victim)))
    # --junit /dev/null etc. must leave /dev/null a character device
    for args in (["compare", "run1.json", "--baseline", "base.json", "--junit", "/dev/null"],
                 ["compare", "run1.json", "--baseline", "base.json", "--json", "/dev/null"],
                 ["baseline", "create", "run1.json", "--name", "x", "-o", "/dev/null"],
                 ["run"] + SMALL + FAST + ["-q", "-o", "/dev/null"],
                 ["qualify", "run1.json", "--baseline", "base.json", "-o", "/dev/null"]):
        cases.append(Case(5, args, expect=(0, 1), names=["/dev/null"], files=seed_files(I), post=_dev_still_char,
                          note="/dev/null as output"))
    return cases


def _victim_ok(victim):
    def post(d, rc, out, err):
        if read(os.path.join(d, "victim.txt")) != victim:
            return ("dataloss", "victim.txt was written through a planted symlink")
        return None
    return post


def class6(I, has_rank):
    cases = []
    run = ["run"] + SMALL + ["-q", "-o", "out.json"]
    run_flags = [
        ("--max-time", "nan"), ("--max-time", "inf"), ("--max-time", "-1"), ("--max-time", "0"),
        ("--min-time", "nan"), ("--min-time", "-1"), ("--warmup", "nan"), ("--warmup", "-inf"),
        ("--max-noise", "nan"), ("--max-noise", "0"), ("--max-noise", "-1"), ("--repetitions", "0"),
        ("--repetitions", "1e9"), ("--repetitions", "-1"), ("--max-cases", "0"), ("--max-cases", "-5"),
        ("--min-samples", "0"), ("--min-samples", "4294967301"), ("--telemetry-period", "nan"),
        ("--straggler-threshold", "nan"), ("--max-time", "1e400"),
    ]
    for flag, val in run_flags:
        base = list(FAST)
        if flag in base:
            i = base.index(flag)
            del base[i:i + 2]
        cases.append(Case(6, run + base + [flag, val], names=[flag], outputs=["out.json"], files={"out.json": I["small"]}))
    for ax in ("m=18446744073709551615", "m=-64", "m=1e400", "m=nan", "m=64.5", "m=0", "dtype=fp13", "m=", "nosuch=1"):
        a = ["run", "gemm", "--device", "cpu", "-a", "dtype=fp32", "-a", "n=64", "-a", "k=64"]
        if not ax.startswith("m="):
            a += ["-a", "m=64"]
        a += ["-a", ax, "-q", "-o", "out.json"] + FAST
        key, val = ax.split("=", 1)
        cases.append(Case(6, a, names=[ax, "axis", "'%s'" % key, "gemm: %s " % key], outputs=["out.json"]))
    files = seed_files(I)
    cmp_ = ["compare", "run1.json", "--baseline", "base.json"]
    for flag, val in (("--tolerance-for", "gemm=5x"), ("--tolerance-for", "gemm=nan"), ("--tolerance-for", "gemm=-5"),
                      ("--tolerance-for", "nosuch=5"), ("--tolerance-for", "gemm"), ("--tolerance", "nan"),
                      ("--tolerance", "-5"), ("--tolerance", "inf"), ("--alpha", "0"), ("--alpha", "nan"),
                      ("--alpha", "1.5")):
        cases.append(Case(6, cmp_ + [flag, val], names=[flag], files=files))
    bc = ["baseline", "create", "run1.json", "--name", "x", "-o", "out.json"]
    for flag, val in (("--threshold", "gemm=0.95:0.9x"), ("--threshold", "gemm=0.9:0.95"), ("--threshold", "gemm=nan:0.9"),
                      ("--threshold", "gemm=0.95"), ("--threshold", "nosuch=0.95:0.9"), ("--warn-below", "nan"),
                      ("--fail-below", "2"), ("--fail-below", "-0.1"), ("--warn-below", "inf")):
        cases.append(Case(6, bc + [flag, val], names=[flag], files=files, outputs=["out.json"]))
    ql = ["qualify", "run1.json", "--baseline", "base.json"]
    for val in ("inf", "-1", "nan", "0", "1e400"):
        cases.append(Case(6, ql + ["--price-per-hour", val], names=["--price-per-hour"], files=files))
    if has_rank:
        for flag, val in (("--objective", "bogus"), ("--scenario", "batch=nan"), ("--scenario", "batch=-1"),
                          ("--scenario", "batch=18446744073709551615"), ("--scenario", "tp=0")):
            cases.append(Case(6, ["rank", "aws.json", flag, val], names=[flag, val.split("=")[0]], files=files))
    # suite files with bad numbers
    suite = json.loads(I["suite"])
    cpu_entry = {"workload": "gemm", "device": "cpu", "axes": {"dtype": ["fp32"], "m": [64], "n": [64], "k": [64]}}
    variants = [
        ("max_time_null", {"max_time_s": None}, None),
        ("min_samples_huge", {"min_samples": 4294967301}, None),
        ("min_samples_neg", {"min_samples": -1}, None),
        ("min_time_neg", {"min_time_s": -1}, None),
        ("max_time_string", {"max_time_s": "5"}, None),
        ("max_time_1e400", {"max_time_s": raw("1e400")}, None),
        ("warmup_nan", {"warmup_time_s": raw("NaN")}, None),
        ("max_noise_zero", {"max_noise": 0}, None),
        ("axis_m_u64max", None, {"m": [raw("18446744073709551615")]}),
        ("axis_m_neg", None, {"m": [-64]}),
        ("axis_m_float", None, {"m": [64.5]}),
        ("axis_m_null", None, {"m": [None]}),
        ("axis_m_empty", None, {"m": []}),
    ]
    for label, measure, axes in variants:
        s = copy.deepcopy(suite)
        s["measure"] = {"min_time_s": 0.05, "max_time_s": 0.2, "warmup_time_s": 0.01}
        if measure:
            s["measure"].update(measure)
        e = copy.deepcopy(cpu_entry)
        if axes:
            e["axes"].update(axes)
        s["entries"] = [e]
        fname = "suite_%s.json" % label
        cases.append(Case(6, ["run", "--suite", fname, "--device", "cpu", "-q", "-o", "out.json"], names=[fname],
                          files={fname: raw_dump(s)}, outputs=["out.json"]))
    return cases


def class7(I):
    cases = []
    suite = json.loads(I["suite"])
    vals = list(range(1, 1001))
    plans = [
        ("1e6", {"m": vals, "n": vals}),
        ("1e9", {"m": vals, "n": vals, "k": vals}),
        ("1e12", {"m": list(range(1, 10001)), "n": list(range(1, 10001)), "k": list(range(1, 10001))}),
    ]
    for label, axes in plans:
        s = copy.deepcopy(suite)
        ax = {"dtype": ["fp32"], "m": [64], "n": [64], "k": [64]}
        ax.update(axes)
        s["entries"] = [{"workload": "gemm", "device": "cpu", "axes": ax}]
        fname = "suite_%s.json" % label
        cases.append(Case(7, ["run", "--suite", fname, "--device", "cpu", "-q", "-o", "out.json"], names=[fname, "case"],
                          files={fname: json.dumps(s)}, outputs=["out.json"], max_s=5, timeout=30, note="plan " + label))
        # many entries instead of one big one
    s = copy.deepcopy(suite)
    s["entries"] = [{"workload": "gemm", "device": "cpu", "axes": {"dtype": ["fp32"], "m": vals, "n": [64], "k": [64]}}
                    for _ in range(1000)]
    cases.append(Case(7, ["run", "--suite", "suite_1e6_entries.json", "--device", "cpu", "-q", "-o", "out.json"],
                      names=["suite_1e6_entries.json", "case"], files={"suite_1e6_entries.json": json.dumps(s)},
                      outputs=["out.json"], max_s=5, timeout=30, note="plan 1e6 over 1000 entries"))
    lst = ",".join(str(i) for i in range(1, 1001))
    for label, axes in (("1e6", ["-a", "m=" + lst, "-a", "n=" + lst, "-a", "k=64"]),
                        ("1e9", ["-a", "m=" + lst, "-a", "n=" + lst, "-a", "k=" + lst])):
        cases.append(Case(7, ["run", "gemm", "--device", "cpu", "-a", "dtype=fp32"] + axes + ["-q", "-o", "out.json"],
                          names=["case", "--max-cases", "plan"], outputs=["out.json"], max_s=5, timeout=30,
                          note="plan %s from -a" % label))
    cases.append(Case(7, ["run", "gemm", "--device", "cpu", "-a", "dtype=fp32", "-a", "m=" + lst, "-a", "n=" + lst,
                          "-a", "k=" + lst, "--max-cases", "100000000", "-q", "-o", "out.json"],
                      names=["case", "--max-cases", "plan"], outputs=["out.json"], max_s=5, timeout=30,
                      note="plan 1e9 with --max-cases 1e8"))
    return cases


def _after_kill(rel):
    def post(d, rc, out, err):
        if rc == 0:
            return results_ok(rel, {"complete": True})(d, rc, out, err)
        return results_ok(rel, {"complete": False}, may_be_absent=True)(d, rc, out, err)
    return post


def class8(I):
    cases = []
    a = ["run", "--suite", "ci", "--device", "cpu"] + SIGNAL_RUN + ["-q", "-o", "F.json"]
    for sg in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        cases.append(Case(8, a, expect=(130,), outputs=["F.json"], sig=[(2.0, sg, False)],
                          post=results_ok("F.json", {"interrupted": True, "complete": True}),
                          note="%s after 2 s" % signal.Signals(sg).name))
    cases.append(Case(8, a, expect=(130,), outputs=["F.json"], sig=[(2.0, signal.SIGINT, True)],
                      post=results_ok("F.json", {"interrupted": True, "complete": True}),
                      note="SIGINT to the process group (Ctrl-C) after 2 s"))
    cases.append(Case(8, a, expect=(130,), outputs=["F.json"], sig=[(2.0, signal.SIGINT, True), (2.1, signal.SIGINT, True)],
                      post=results_ok("F.json", may_be_absent=True), note="two Ctrl-C, 0.1 s apart"))
    cases.append(Case(8, a, expect=(130,), outputs=["F.json"], sig=[(0.2, signal.SIGINT, False)],
                      post=results_ok("F.json", {"interrupted": True}, may_be_absent=True), note="SIGINT after 0.2 s"))
    for delay in (2.0, 3.5):
        cases.append(Case(8, a, expect=(0,), outputs=["F.json"], sig=[(delay, signal.SIGKILL, False)],
                          post=_after_kill("F.json"),
                          note="SIGKILL after %.1f s" % delay))
    # interrupting report (a Python child) must not print a traceback
    for delay in (0.5, 1.0):
        cases.append(Case(8, ["report", "run1.json", "-o", "rep"], expect=(0, 130), files=seed_files(I), outputs=["rep"],
                          sig=[(delay, signal.SIGINT, True)], note="report, Ctrl-C after %.1f s" % delay))
    return cases


# ---------------------------------------------------------------------------------------------
# Class 9: seeded random mutations of a results file, given to `report`


def random_path(doc, rng):
    node, path = doc, []
    while isinstance(node, (dict, list)) and node:
        keys = list(node.keys()) if isinstance(node, dict) else list(range(len(node)))
        k = rng.choice(keys)
        path.append(k)
        node = node[k]
        if rng.random() < 0.22:
            break
    return path


def mutate(doc, rng):
    kinds = []
    for _ in range(rng.choice([1, 1, 2, 3])):
        path = random_path(doc, rng)
        if not path:
            continue
        parent = doc
        for k in path[:-1]:
            parent = parent[k]
        k = path[-1]
        op = rng.choice(["delete", "type", "type", "huge", "nan", "nan", "deep", "unicode", "empty"])
        if op == "delete":
            del parent[k]
        elif op == "type":
            parent[k] = rng.choice([None, True, "x", 0, -1, [], {}, 1.5, ["a", None], {"k": "v"}])
        elif op == "huge":
            parent[k] = "A" * 100000 if rng.random() < 0.7 else ("<b>&" * 25000)
        elif op == "nan":
            parent[k] = raw(rng.choice(["NaN", "Infinity", "-Infinity", "1e400", "-1e400", "1e-400", "-0",
                                        "18446744073709551616", "-9223372036854775809"]))
        elif op == "deep":
            n = rng.choice([50, 65, 1000, 100000])
            parent[k] = raw("[" * n + "]" * n)
        elif op == "unicode":
            parent[k] = raw(rng.choice(['"\\ud800"', '"\\u0000x"', '"a\\nb\\rc\\t"', '"\u202e\u00e9\U0001f600"']))
        elif op == "empty":
            parent[k] = rng.choice(["", [], {}])
        kinds.append("%s@%s" % (op, "/".join(str(p) for p in path)[:80]))
    return kinds


def class9(I, rng, count):
    cases = []
    seed = json.loads(I["run1"])
    top = ["schema", "run", "system", "cases"]
    for i in range(count):
        doc = copy.deepcopy(seed)
        if i < len(top):  # start with a few certain ones: each top-level key deleted
            del doc[top[i]]
            kinds = ["delete@" + top[i]]
        else:
            kinds = mutate(doc, rng)
        fname = "mut%03d.json" % i
        cases.append(Case(9, ["report", fname, "-o", "rep"], expect=(0, 2), names=[fname],
                          files={fname: raw_dump(doc)}, outputs=["rep"], note="; ".join(kinds)))
    for title in ("-x", "--", "<script>alert(1)</script>", "a\nb", "T" * 100000, ""):
        cases.append(Case(9, ["report", "small.json", "--title", title, "-o", "rep"], expect=(0, 2), names=["--title"],
                          files=seed_files(I), outputs=["rep"], note="title %r" % title[:30]))
    return cases


# ---------------------------------------------------------------------------------------------


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
