"""Probe classes about bad input: deep JSON (1), bad numbers in files (2), bad files to every loader (3),
bad flag and suite values (6) and plan size (7)."""
import copy
import json
import os

from probe_inputs import (baseline_sites, first_case_with_metric, mk, other_sites, outputs_of, raw,
                          raw_dump, result_sites, seed_files)
from probe_runner import Case, FAST, SMALL, SUITE_FAST


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
