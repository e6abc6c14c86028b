"""Inputs the probe classes share: valid files made by the binary, the places in them to break, and mk(),
which makes one Case."""
import json
import os
import re
import shutil
import subprocess
import tempfile

from probe_runner import Case, FAST, REPO, SMALL, SUITE_FAST


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
