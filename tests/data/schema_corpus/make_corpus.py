"""Writes the schema corpus beside this file: for each file kind (results, baseline, instances,
prices, qualify-spec, procurement, trend) files the readers must accept (valid/), files that break the kind's schema
(invalid/, one problem each, named after it) and files the schema accepts but both readers refuse
for a reason a schema cannot state (semantic/).

    /usr/bin/python3 tests/data/schema_corpus/make_corpus.py build-cpu/app/gpuqual

The tool-made files come from the given binary (a tiny cpu run, a baseline made from it, the
run qualified against it, a ranking of the report's fixture runs, the trend of four tiny runs in
one history); the others are those files with one change each. Checked by
tests/unit/schema_corpus_test.cc (the C++ readers; procurement and trend files have none) and
reports/tests/test_schemas.py (the schemas and the report's loaders).
"""

import copy
import json
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", "..", ".."))
KINDS = ("results", "baseline", "instances", "prices", "qualify-spec", "procurement", "trend")
FIXTURES = os.path.join(ROOT, "reports", "tests", "fixtures")
NAME, TEXT = 4096, 65536  # harness/json_fields.h kMaxJsonName, kMaxJsonText
INT_LIMIT = 2 ** 53


def tool_files(binary):
    """(results, baseline, qualified results, trend) made by the binary on the cpu, argv[0]
    "gpuqual"; two rounds per case, so the files hold rounds and replicate medians; the trend is
    `history trend --json` over that run and three more in one history database."""
    with tempfile.TemporaryDirectory() as tmp:
        def gpuqual(*args):
            proc = subprocess.run(["gpuqual", *args], executable=binary, cwd=tmp, capture_output=True,
                                  text=True, timeout=300)
            if proc.returncode != 0:
                sys.exit(f"gpuqual {' '.join(args)}: exit {proc.returncode}\n{proc.stderr}")
        for i in range(4):
            gpuqual("run", "gemm", "membw", "-a", "dtype=fp32", "-a", "m=32", "-a", "n=32", "-a", "k=32",
                    "-a", "size=65536", "-a", "op=copy", "--device", "cpu", "--min-samples", "5",
                    "--min-time", "0.005", "--max-time", "0.02", "--warmup", "0.005", "--repetitions", "2",
                    "--label", "machine=corpus", "--label", f"commit=c{i}", "--db", "history.db",
                    "-o", "run.json" if i == 0 else f"run{i}.json")
        gpuqual("history", "trend", "--db", "history.db", "--window", "2", "--json", "trend.json")
        gpuqual("baseline", "create", "run.json", "--name", "cpu-corpus", "--threshold", "gemm=0.9:0.8",
                "-o", "baseline.json")
        gpuqual("qualify", "run.json", "--baseline", "baseline.json", "-o", "qualified.json")
        out = []
        for name in ("run.json", "baseline.json", "qualified.json", "trend.json"):
            with open(os.path.join(tmp, name), encoding="utf-8") as f:
                out.append(json.load(f))
    return out


def trim(doc, key="cases"):
    """At most 6 samples per case: the corpus stays small."""
    for c in doc[key]:
        c["samples_s"] = c["samples_s"][:6]
        for name, values in (c.get("phase_samples_s") or {}).items():
            c["phase_samples_s"][name] = values[:6]
    return doc


class Writer:
    """Collects the files of one kind and writes them (the directories are rewritten whole)."""

    def __init__(self, kind):
        self.kind = kind
        self.files = {}

    def add(self, group, name, doc=None, text=None, raw=None):
        assert group in ("valid", "invalid", "semantic") and name not in self.files.get(group, {})
        if raw is None:
            raw = (text if text is not None else json.dumps(doc, indent=1, ensure_ascii=False) + "\n").encode()
        self.files.setdefault(group, {})[name] = raw

    def mutant(self, group, name, base, change):
        doc = copy.deepcopy(base)
        change(doc)
        self.add(group, name, doc)

    def write(self):
        for group, files in self.files.items():
            folder = os.path.join(HERE, self.kind, group)
            shutil.rmtree(folder, ignore_errors=True)
            os.makedirs(folder)
            for name, raw in sorted(files.items()):
                with open(os.path.join(folder, name + ".json"), "wb") as f:
                    f.write(raw)


def setter(path, value):
    """A change that sets doc[path...] = value (a missing last key: deletes it when value is DEL)."""
    def change(doc):
        node = doc
        for key in path[:-1]:
            node = node[key]
        if value is DEL:
            del node[path[-1]]
        else:
            node[path[-1]] = value
    return change


DEL = object()


def nested(depth):
    return json.loads("[" * depth + "]" * depth)


def common_invalid(w, base, schema_name, long_name_path, number_path):
    """Problems every kind shares: the top level, the schema, parse-level refusals, a long name."""
    w.add("invalid", "top_level_array", [base])
    w.add("invalid", "top_level_string", schema_name)
    w.add("invalid", "top_level_null", None)
    w.mutant("invalid", "schema_missing", base, setter(["schema"], DEL))
    w.mutant("invalid", "schema_other_version", base, setter(["schema"], schema_name[:-1] + "2"))
    w.mutant("invalid", "schema_not_a_string", base, setter(["schema"], 1))
    if long_name_path:
        w.mutant("invalid", "name_100kb", base, setter(long_name_path, "x" * 100_000))
        w.mutant("invalid", "name_one_character_too_long", base, setter(long_name_path, "é" * (NAME + 1)))
    text = json.dumps(base)
    # Both parsers refuse these before any schema: nesting beyond 64 levels (in a key no reader
    # knows, so only the limit refuses it), a number beyond a double, NaN, a lone surrogate
    # escape, bytes that are not UTF-8, a cut-off file.
    deep = copy.deepcopy(base)
    deep["extension"] = nested(70)
    w.add("invalid", "deep_nesting_70_levels", deep)
    marker = "31415926.5"
    doc = copy.deepcopy(base)
    setter(number_path, float(marker))(doc)
    w.add("invalid", "number_1e400", text=json.dumps(doc).replace(marker, "1e400"))
    w.add("invalid", "number_nan_literal", text=json.dumps(doc).replace(marker, "NaN"))
    w.add("invalid", "number_400_digit_integer", text=json.dumps(doc).replace(marker, "1" + "0" * 400))
    w.add("invalid", "string_lone_surrogate", text=text[:-1] + ', "extension": "\\ud800x"}')
    w.add("invalid", "string_not_utf8", raw=text[:-1].encode() + b', "extension": "\xff\xfe"}')
    w.add("invalid", "truncated", text=text[: len(text) // 2])


def results_corpus(run, qualified):
    w = Writer("results")
    w.add("valid", "tool_cpu_run", run)
    w.add("valid", "tool_cpu_run_qualified", qualified)
    base = run
    case = base["cases"][0]

    # A GPU-shaped run: one GPU, a group's telemetry with every GPU's own, health snapshots,
    # phases, MPI ranks with a straggler, a verdict with every status and a cost.
    gpu = copy.deepcopy(base)
    gpu["system"]["devices"] = [{
        "index": 0, "name": "NVIDIA H200", "sku": "h200-sxm-141gb", "uuid": "GPU-0000", "pci_bus_id": "00000000:18:00.0",
        "compute_capability": "9.0", "sm_count": 132, "memory_bytes": 150754820096, "driver": "580.95.05",
        "cuda_runtime": "13.0", "clocks_max": {"sm_mhz": 1980, "memory_mhz": 3201},
        "pcie": {"gen": 5, "width": 16, "gen_max": 5, "width_max": 16}}]
    gpu["system"]["world"] = {"ranks": 2, "nodes": 1, "backend": "mpi"}
    figures = {"samples": 3, "sm_mhz_min": 1950.0, "sm_mhz_median": 1980.0, "memory_mhz_median": 3201.0,
               "temperature_c_max": 61.0, "power_w_mean": 612.5, "power_w_max": 690.0, "energy_j": 42.1,
               "throttle_reasons": ["sw_power_cap"],
               "series": [{"t_s": 0.0, "sm_mhz": 1980.0, "memory_mhz": 3201.0, "power_w": 600.0, "temperature_c": 55.0}]}
    c = gpu["cases"][0]
    c["device"] = "cuda"
    c["telemetry"] = {"available": True, "reason": "", "period_s": 0.05, **figures,
                      "gpus": [{**figures, "index": 0}, {**figures, "index": 1}]}
    c["phase_samples_s"] = {"prefill": [s / 2 for s in c["samples_s"]], "decode": [s / 2 for s in c["samples_s"]]}
    c["ranks"] = [{"rank": 0, "host": "h0", "device": "cuda:0", "median_s": 0.001},
                  {"rank": 1, "host": "h0", "device": "cuda:1", "median_s": 0.0012}]
    c["straggler"] = {"rank": 1, "host": "h0", "device": "cuda:1", "median_s": 0.0012, "spread": 0.2}
    c["roofline"] = {"bound": "compute", "peak": 989.0, "efficiency": 0.5, "peak_source": "datasheet"}
    c["details"] = {"algo": "cuBLASLt heuristic 3 of 8", "note": "é" * 100}
    device = {"index": 0, "available": True, "reason": "", "driver_version": "580.95.05", "ecc_enabled": 1,
              "ecc_volatile_corrected": 0, "ecc_volatile_uncorrected": 0, "ecc_aggregate_corrected": 3,
              "ecc_aggregate_uncorrected": 0, "retired_pages_sbe": -1, "retired_pages_dbe": -1,
              "retired_pages_pending": -1, "remapped_rows_correctable": 0, "remapped_rows_uncorrectable": 0,
              "remapped_rows_pending": 0, "remapped_rows_failure": 0,
              "pcie": {"gen": 5, "width": 16, "gen_max": 5, "width_max": 16}, "power_limit_w": 700.0,
              "power_default_limit_w": 700.0, "persistence_mode": 1, "temperature_c": 40}
    gpu["health"] = {"before": {"taken_at": "2025-01-01T00:00:00Z", "devices": [device]},
                     "after": {"taken_at": "2025-01-01T00:10:00Z",
                               "devices": [{"index": 1, "available": False, "reason": "NVML: not supported"}]}}
    gpu["verdict"] = {"overall": "INCOMPLETE", "baseline": "h200", "instance_type": "p5e.48xlarge",
                      "evaluated_at": "2025-01-01T00:11:00Z",
                      "checks": [{"name": n, "kind": "health", "status": s, "reason": "because", "value": 1.0,
                                  "threshold": 0.5, "unit": "x"}
                                 for n, s in (("a", "PASS"), ("b", "WARN"), ("c", "INCOMPLETE"), ("d", "FAIL"))],
                      "cost": {"price_per_hour_usd": 98.32, "tflops_per_usd_hour": 5.5, "usd_per_mtok": 0.62,
                               "scenario": "Llama-3-8B offline, batch 64, 1024 in / 128 out, tp 1",
                               "usd_per_mtok_note": "from 8 GPUs that ran the case"}}
    w.add("valid", "gpu_group_telemetry_health_ranks_verdict", gpu)

    # null exactly where the writer may write null: undefined spread figures (NaN), absent parts.
    nulls = copy.deepcopy(gpu)
    c = nulls["cases"][0]
    for m in c["metrics"].values():
        for key in ("stddev", "cv", "p10", "p90", "ci95_low", "ci95_high"):
            m[key] = None
    c["verification"]["max_rel_err"] = None
    c["roofline"].update(peak=None, efficiency=None)
    c["ranks"][0]["median_s"] = None
    c["straggler"].update(median_s=None, spread=None)
    for key in ("sm_mhz_min", "sm_mhz_median", "memory_mhz_median", "temperature_c_max", "power_w_mean",
                "power_w_max", "energy_j", "period_s"):
        c["telemetry"][key] = None
    c["telemetry"]["series"][0].update(sm_mhz=None, power_w=None)
    nulls["health"]["before"]["devices"][0]["pcie"] = None
    w.add("valid", "nulls_where_the_writer_writes_them", nulls)

    # Optional keys absent (files written before they existed) or null (read as absent).
    for how in ("absent", "null"):
        doc = copy.deepcopy(gpu)
        for c in doc["cases"]:
            for key in ("phase_samples_s", "roofline", "verification", "details", "telemetry", "wall_time_s",
                        "ranks", "straggler", "rounds"):
                c.pop(key, None) if how == "absent" else c.__setitem__(key, None)
            for key in ("busbw_factor", "compute_dtype", "prefill_tokens", "gpus", "phases"):
                c["work"].pop(key, None) if how == "absent" else c["work"].__setitem__(key, None)
        for key in ("interrupted", "complete"):
            doc["run"].pop(key) if how == "absent" else doc["run"].__setitem__(key, None)
        for key in ("health", "verdict"):
            doc.pop(key) if how == "absent" else doc.__setitem__(key, None)
        w.add("valid", f"optional_keys_{how}", doc)

    doc = copy.deepcopy(base)
    doc["future_part"] = {"x": [1, 2]}
    doc["run"]["future"] = "x"
    doc["cases"][0]["future"] = {"y": None}
    doc["cases"][0]["metrics"][case["primary_metric"]]["future"] = 1
    w.add("valid", "unknown_keys_are_ignored", doc)

    doc = copy.deepcopy(base)
    doc["system"]["host"]["cores"] = float(doc["system"]["host"]["cores"])
    doc["cases"][0]["iterations_per_sample"] = float(doc["cases"][0]["iterations_per_sample"])
    doc["cases"][0]["params"]["m"] = 32.0
    for m in doc["cases"][0]["metrics"].values():
        m["n"] = float(m["n"])
    w.add("valid", "integers_written_as_integral_floats", doc)

    doc = copy.deepcopy(base)
    doc["run"]["labels"] = {"é" * NAME: "é" * NAME}  # 4096 characters, 8192 UTF-8 bytes
    doc["run"]["command"] = "x" * TEXT
    doc["cases"][0]["reason"] = "€" * TEXT
    doc["cases"][0]["iterations_per_sample"] = INT_LIMIT
    w.add("valid", "strings_and_integers_at_their_limits", doc)

    doc = copy.deepcopy(base)
    doc["cases"][0]["telemetry"] = {"available": False, "reason": "NVML not found", "samples": "not read"}
    w.add("valid", "telemetry_unavailable_reads_only_the_reason", doc)

    doc = copy.deepcopy(base)
    doc["cases"].append({**copy.deepcopy(case), "id": "gemm/failed", "status": "failed", "reason": "CUDA error",
                         "primary_metric": "", "metrics": {}, "samples_s": []})
    w.add("valid", "failed_case_without_metrics", doc)
    w.add("valid", "utf8_byte_order_mark", raw=b"\xef\xbb\xbf" + json.dumps(base).encode())

    common_invalid(w, base, "gpuqual.results/1", ["run", "labels", "machine"],
                   ["cases", 0, "metrics", case["primary_metric"], "median"])
    pm = ["cases", 0, "metrics", case["primary_metric"]]
    for key, value in (("median", None), ("mean", None), ("min", None), ("max", None), ("median", "0.08"),
                       ("median", -1.5), ("min", -1.0),
                       ("median", DEL), ("stddev", DEL), ("n", -1), ("n", 2 ** 41), ("n", 1.5),
                       ("higher_is_better", "true"), ("unit", None)):
        tag = "missing" if value is DEL else "null" if value is None else json.dumps(value).replace('"', "").replace(".", "_")
        w.mutant("invalid", f"metric_{key}_{tag}", base, setter(pm + [key], value))
    s = ["cases", 0, "samples_s", 0]
    for tag, value in (("null", None), ("negative", -1e-3), ("string", "0.001"), ("bool", True)):
        w.mutant("invalid", f"sample_{tag}", base, setter(s, value))
    mutants = [
        ("case_status_unknown", ["cases", 0, "status"], "great"),
        ("case_status_upper_case", ["cases", 0, "status"], "OK"),
        ("case_id_too_long", ["cases", 0, "id"], "x" * (NAME + 1)),
        ("case_reason_too_long", ["cases", 0, "reason"], "x" * (TEXT + 1)),
        ("case_missing_work", ["cases", 0, "work"], DEL),
        ("case_missing_samples", ["cases", 0, "samples_s"], DEL),
        ("case_missing_params", ["cases", 0, "params"], DEL),
        ("case_details_a_list", ["cases", 0, "details"], ["a"]),
        ("case_details_value_a_number", ["cases", 0, "details"], {"algo": 3}),
        ("case_telemetry_an_integer", ["cases", 0, "telemetry"], 5),
        ("case_params_value_fractional", ["cases", 0, "params", "m"], 32.5),
        ("case_params_value_null", ["cases", 0, "params", "m"], None),
        ("case_params_value_a_list", ["cases", 0, "params", "m"], [32]),
        ("case_params_value_too_big", ["cases", 0, "params", "m"], INT_LIMIT + 1),
        ("case_iterations_2_pow_53_plus_1", ["cases", 0, "iterations_per_sample"], INT_LIMIT + 1),
        ("case_iterations_2_pow_64", ["cases", 0, "iterations_per_sample"], 2 ** 64),
        ("case_wall_time_a_string", ["cases", 0, "wall_time_s"], "1s"),
        ("case_verification_tolerance_null", ["cases", 0, "verification", "tolerance"], None),
        ("case_roofline_missing_bound", ["cases", 0, "roofline"], {"peak": 1.0, "efficiency": 0.5}),
        ("case_phase_sample_null", ["cases", 0, "phase_samples_s"], {"decode": [None]}),
        ("case_ranks_an_object", ["cases", 0, "ranks"], {"rank": 0}),
        ("rounds_an_array", ["cases", 0, "rounds"], [2, 2]),
        ("rounds_planned_zero", ["cases", 0, "rounds", "planned"], 0),
        ("rounds_planned_above_100", ["cases", 0, "rounds", "planned"], 101),
        ("rounds_done_a_string", ["cases", 0, "rounds", "done"], "2"),
        ("rounds_done_fractional", ["cases", 0, "rounds", "done"], 1.5),
        ("rounds_median_zero", ["cases", 0, "rounds", "medians_s", 0], 0),
        ("rounds_median_null", ["cases", 0, "rounds", "medians_s", 0], None),
        ("rounds_missing_medians", ["cases", 0, "rounds", "medians_s"], DEL),
        ("work_flops_null", ["cases", 0, "work", "flops"], None),
        ("work_flops_a_string", ["cases", 0, "work", "flops"], "1e9"),
        ("work_missing_tokens", ["cases", 0, "work", "tokens"], DEL),
        ("work_phase_missing_bytes", ["cases", 0, "work", "phases"], [{"name": "x", "flops": 1.0}]),
        ("run_missing", ["run"], DEL),
        ("run_complete_a_string", ["run", "complete"], "yes"),
        ("run_labels_value_a_number", ["run", "labels", "machine"], 7),
        ("run_label_key_too_long", ["run", "labels"], {"k" * (NAME + 1): "v"}),
        ("run_command_too_long", ["run", "command"], "x" * (TEXT + 1)),
        ("cases_missing", ["cases"], DEL),
        ("cases_an_object", ["cases"], {}),
        ("host_cores_fractional", ["system", "host", "cores"], 2.5),
        ("host_cores_a_boolean", ["system", "host", "cores"], True),
        ("host_cores_beyond_int32", ["system", "host", "cores"], 2 ** 31),
        ("host_memory_negative", ["system", "host", "memory_bytes"], -1),
        ("host_missing_cpu", ["system", "host", "cpu"], DEL),
        ("world_missing", ["system", "world"], DEL),
        ("health_an_array", ["health"], []),
        ("verdict_a_string", ["verdict"], "PASS"),
    ]
    for name, path, value in mutants:
        w.mutant("invalid", name, base, setter(path, value))
    gc = ["cases", 0]
    for name, path, value in [
        ("gpu_clock_null", ["system", "devices", 0, "clocks_max", "sm_mhz"], None),
        ("gpu_pcie_null", ["system", "devices", 0, "pcie"], None),
        ("gpu_missing_uuid", ["system", "devices", 0, "uuid"], DEL),
        ("telemetry_available_without_series", gc + ["telemetry", "series"], DEL),
        ("telemetry_throttle_reason_a_number", gc + ["telemetry", "throttle_reasons"], [3]),
        ("telemetry_gpu_without_index", gc + ["telemetry", "gpus", 0, "index"], DEL),
        ("telemetry_series_missing_t_s", gc + ["telemetry", "series", 0, "t_s"], DEL),
        ("health_ecc_a_string", ["health", "before", "devices", 0, "ecc_enabled"], "on"),
        ("health_pcie_missing_gen", ["health", "before", "devices", 0, "pcie", "gen"], DEL),
        ("health_snapshot_missing_devices", ["health", "before", "devices"], DEL),
        ("straggler_missing_spread", gc + ["straggler", "spread"], DEL),
        ("verdict_status_lower_case", ["verdict", "overall"], "pass"),
        ("verdict_check_status_unknown", ["verdict", "checks", 0, "status"], "MAYBE"),
        ("verdict_missing_checks", ["verdict", "checks"], DEL),
        ("verdict_cost_price_null", ["verdict", "cost", "price_per_hour_usd"], None),
        ("verdict_cost_scenario_an_object", ["verdict", "cost", "scenario"], {"model": "llama-3-8b"}),
        ("verdict_cost_note_too_long", ["verdict", "cost", "usd_per_mtok_note"], "x" * (TEXT + 1)),
    ]:
        w.mutant("invalid", name, gpu, setter(path, value))
    w.mutant("semantic", "primary_metric_not_in_metrics", base, setter(["cases", 0, "primary_metric"], "nope"))
    w.mutant("semantic", "rounds_done_above_planned", base,
             setter(["cases", 0, "rounds"], {"planned": 2, "done": 3, "medians_s": [0.001, 0.001]}))
    w.mutant("semantic", "rounds_more_medians_than_planned", base,
             setter(["cases", 0, "rounds"], {"planned": 1, "done": 1, "medians_s": [0.001, 0.001]}))
    w.write()


def baseline_corpus(baseline):
    w = Writer("baseline")
    w.add("valid", "tool_cpu_baseline", baseline)
    doc = copy.deepcopy(baseline)
    doc["future"] = 1
    doc["cases"][0]["sources"] = 2.0
    doc["qualify"]["workloads"]["membw"] = {"warn_below": 1.5, "fail_below": 1e-9}
    w.add("valid", "unknown_keys_integral_floats_threshold_bounds", doc)
    for how in ("absent", "null"):  # baselines written before run-level replicates
        doc = copy.deepcopy(baseline)
        for c in doc["cases"]:
            for key in ("replicate_medians_s", "noisy"):
                c.pop(key) if how == "absent" else c.__setitem__(key, None)
        w.add("valid", f"replicates_{how}", doc)
    pm = ["cases", 0, "metrics", baseline["cases"][0]["primary_metric"]]
    common_invalid(w, baseline, "gpuqual.baseline/1", ["name"], pm + ["median"])
    for name, path, value in [
        ("metric_median_null", pm + ["median"], None),
        ("metric_median_negative", pm + ["median"], -1.5),
        ("metric_max_null", pm + ["max"], None),
        ("metrics_empty", ["cases", 0, "metrics"], {}),
        ("sample_null", ["cases", 0, "samples_s", 0], None),
        ("sample_negative", ["cases", 0, "samples_s", 0], -1.0),
        ("threshold_zero", ["qualify", "default", "fail_below"], 0),
        ("threshold_above_1_5", ["qualify", "default", "warn_below"], 1.6),
        ("threshold_null", ["qualify", "default", "warn_below"], None),
        ("workload_threshold_missing_fail_below", ["qualify", "workloads", "gemm", "fail_below"], DEL),
        ("qualify_missing_workloads", ["qualify", "workloads"], DEL),
        ("sources_missing", ["sources"], DEL),
        ("source_device_a_number", ["sources", 0, "devices"], [0]),
        ("source_missing_hostname", ["sources", 0, "hostname"], DEL),
        ("case_sources_a_string", ["cases", 0, "sources"], "1"),
        ("case_missing_work", ["cases", 0, "work"], DEL),
        ("case_id_too_long", ["cases", 0, "id"], "x" * (NAME + 1)),
        ("replicate_median_zero", ["cases", 0, "replicate_medians_s", 0], 0),
        ("replicate_median_negative", ["cases", 0, "replicate_medians_s", 0], -0.001),
        ("replicate_medians_a_number", ["cases", 0, "replicate_medians_s"], 0.001),
        ("noisy_a_string", ["cases", 0, "noisy"], "false"),
        ("schema_of_a_results_file", ["schema"], "gpuqual.results/1"),
        ("tool_missing_git", ["tool", "git"], DEL),
    ]:
        w.mutant("invalid", name, baseline, setter(path, value))
    w.mutant("semantic", "case_id_twice", baseline, lambda d: d["cases"].append(copy.deepcopy(d["cases"][0])))
    w.mutant("semantic", "primary_metric_not_in_metrics", baseline, setter(["cases", 0, "primary_metric"], "nope"))
    w.mutant("semantic", "fail_below_above_warn_below", baseline,
             setter(["qualify", "default"], {"warn_below": 0.8, "fail_below": 0.9}))
    w.write()


def instances_corpus():
    w = Writer("instances")
    with open(os.path.join(ROOT, "baselines", "instances.json"), encoding="utf-8") as f:
        shipped = json.load(f)
    w.add("valid", "shipped_catalog", shipped)
    base = {"schema": "gpuqual.instances/1", "instances": [copy.deepcopy(shipped["instances"][0])]}
    w.add("valid", "one_instance", base)
    w.mutant("valid", "no_instances", base, setter(["instances"], []))
    common_invalid(w, base, "gpuqual.instances/1", ["instances", 0, "instance_type"], ["instances", 0, "gpu_count"])
    for name, path, value in [
        ("gpu_count_zero", ["instances", 0, "gpu_count"], 0),
        ("gpu_count_a_string", ["instances", 0, "gpu_count"], "8"),
        ("gpu_count_fractional", ["instances", 0, "gpu_count"], 7.5),
        ("gpu_count_beyond_int32", ["instances", 0, "gpu_count"], 2 ** 31),
        ("missing_network", ["instances", 0, "network"], DEL),
        ("source_null", ["instances", 0, "source"], None),
        ("instances_an_object", ["instances"], {}),
        ("instance_a_string", ["instances", 0], "p5.48xlarge"),
    ]:
        w.mutant("invalid", name, base, setter(path, value))
    w.mutant("semantic", "instance_type_twice_in_other_case", base,
             lambda d: d["instances"].append({**d["instances"][0], "instance_type": d["instances"][0]["instance_type"].upper()}))
    w.write()


def prices_corpus():
    w = Writer("prices")
    base = {"schema": "gpuqual.prices/1", "prices": [
        {"provider": "aws", "instance_type": "p5.48xlarge", "usd_per_hour": 98.32, "gpus": 8, "note": "on-demand"},
        {"instance_type": "a2-ultragpu-8g", "usd_per_hour": 40.55}]}
    w.add("valid", "two_prices", base)
    w.mutant("valid", "optional_keys_null_gpus_integral_float", base, lambda d: d["prices"].append(
        {"provider": None, "instance_type": "x", "usd_per_hour": 1e-6, "gpus": 8.0, "note": None, "region": None,
         "future": 1}))
    w.mutant("valid", "bounds_region_and_gpus_absent", base, lambda d: d["prices"].append(
        {"provider": "oci", "instance_type": "BM.GPU.H100.8", "usd_per_hour": 1e6, "region": "us-ashburn-1"}))
    w.mutant("valid", "gpus_at_their_limits", base, lambda d: d["prices"].extend(
        [{"instance_type": "a", "usd_per_hour": 1, "gpus": 0}, {"instance_type": "b", "usd_per_hour": 1, "gpus": 4096}]))
    w.mutant("valid", "no_prices", base, setter(["prices"], []))
    w.mutant("valid", "one_type_priced_by_two_providers", base, lambda d: d["prices"].append(
        {"provider": "gcp", "instance_type": "p5.48xlarge", "usd_per_hour": 90.0}))
    w.mutant("valid", "one_type_priced_in_two_regions", base, lambda d: d["prices"].append(
        {"provider": "aws", "instance_type": "p5.48xlarge", "usd_per_hour": 90.0, "region": "eu-west-1"}))
    w.mutant("semantic", "type_priced_twice_for_one_provider", base, lambda d: d["prices"].append(
        {"provider": "aws", "instance_type": "p5.48xlarge", "usd_per_hour": 60.0}))
    w.mutant("semantic", "type_priced_twice_without_provider", base, lambda d: d["prices"].append(
        {"instance_type": "a2-ultragpu-8g", "usd_per_hour": 30.0}))
    common_invalid(w, base, "gpuqual.prices/1", ["prices", 0, "instance_type"], ["prices", 0, "usd_per_hour"])
    for name, path, value in [
        ("usd_zero", ["prices", 0, "usd_per_hour"], 0),
        ("usd_negative", ["prices", 0, "usd_per_hour"], -1),
        ("usd_a_string", ["prices", 0, "usd_per_hour"], "9"),
        ("usd_null", ["prices", 0, "usd_per_hour"], None),
        ("gpus_negative", ["prices", 0, "gpus"], -1),
        ("gpus_fractional", ["prices", 0, "gpus"], 2.5),
        ("gpus_above_4096", ["prices", 0, "gpus"], 4097),
        ("usd_above_1e6", ["prices", 0, "usd_per_hour"], 1000000.5),
        ("instance_type_empty", ["prices", 0, "instance_type"], ""),
        ("region_a_number", ["prices", 0, "region"], 1),
        ("provider_too_long", ["prices", 0, "provider"], "x" * (NAME + 1)),
        ("missing_instance_type", ["prices", 0, "instance_type"], DEL),
        ("note_too_long", ["prices", 0, "note"], "x" * (NAME + 1)),
        ("prices_missing", ["prices"], DEL),
        ("price_a_list", ["prices", 0], []),
    ]:
        w.mutant("invalid", name, base, setter(path, value))
    w.write()


def qualify_spec_corpus():
    w = Writer("qualify-spec")
    base = {"schema": "gpuqual.qualify-spec/1", "default": {"warn_below": 0.95, "fail_below": 0.9},
            "workloads": {"gemm": {"warn_below": 0.9, "fail_below": 0.8}, "e2e": {"warn_below": 1.5, "fail_below": 1.5}}}
    w.add("valid", "default_and_workloads", base)
    w.add("valid", "schema_only", {"schema": "gpuqual.qualify-spec/1"})
    w.add("valid", "null_default_empty_workloads", {"schema": "gpuqual.qualify-spec/1", "default": None, "workloads": {}})
    common_invalid(w, base, "gpuqual.qualify-spec/1", None, ["default", "warn_below"])
    # A spec allows no unknown keys, so the shared "extension" cases above are refused for that
    # key too; these are the spec's own problems.
    for name, path, value in [
        ("unknown_top_level_key", ["defaults"], {"warn_below": 0.9, "fail_below": 0.8}),
        ("unknown_threshold_key", ["default", "warn"], 0.9),
        ("threshold_zero", ["default", "fail_below"], 0),
        ("threshold_above_1_5", ["workloads", "gemm", "warn_below"], 1.6),
        ("threshold_missing_fail_below", ["workloads", "gemm", "fail_below"], DEL),
        ("workload_threshold_null", ["workloads", "gemm"], None),
        ("default_a_string", ["default"], "0.9"),
        ("workloads_a_list", ["workloads"], []),
        ("workload_name_too_long", ["workloads"], {"g" * (NAME + 1): {"warn_below": 0.9, "fail_below": 0.8}}),
    ]:
        w.mutant("invalid", name, base, setter(path, value))
    w.mutant("semantic", "fail_below_above_warn_below", base,
             setter(["workloads", "gemm"], {"warn_below": 0.8, "fail_below": 0.9}))
    w.write()


def procurement_docs(binary):
    """`gpuqual rank --json` over the report's fixture runs: ranked per dollar with prices, and by
    performance against the fixture baseline (argv[0] "gpuqual")."""
    runs = sorted(os.path.join(FIXTURES, n) for n in os.listdir(FIXTURES)
                  if n.endswith(".json") and n.split("_")[0] in ("aws", "azure", "gcp", "oci"))
    out = []
    with tempfile.TemporaryDirectory() as tmp:
        for extra in (["--prices", os.path.join(FIXTURES, "prices.json")],
                      ["--baseline", os.path.join(FIXTURES, "baseline_h100.json"), "--objective", "performance"]):
            path = os.path.join(tmp, "procurement.json")
            proc = subprocess.run(["gpuqual", "rank", *runs, "--json", path, *extra], executable=binary,
                                  capture_output=True, text=True, timeout=300)
            if proc.returncode != 0:
                sys.exit(f"gpuqual rank: exit {proc.returncode}\n{proc.stderr}")
            with open(path, encoding="utf-8") as f:
                out.append(json.load(f))
    return out


def procurement_corpus(per_dollar, performance):
    w = Writer("procurement")
    w.add("valid", "tool_rank_per_dollar", per_dollar)
    w.add("valid", "tool_rank_performance", performance)
    base = per_dollar
    m = ["machines", 0]
    common_invalid(w, base, "gpuqual.procurement/1", m + ["machine"], ["ranking", 0, "objective", "value"])
    for name, path, value in [
        ("objective_unknown", ["objective"], "cheapest"),
        ("scenario_missing_batch", ["scenario", "batch"], DEL),
        ("scenario_a_string", ["scenario"], "llama-3-8b"),
        ("machines_an_object", ["machines"], {}),
        ("machine_runs_negative", m + ["runs"], -1),
        ("machine_gpus_fractional", m + ["gpus"], 7.5),
        ("machine_verdict_lower_case", m + ["verdict"], "pass"),
        ("machine_score_missing_low", m + ["score"], {"value": 1.0, "high": 1.1}),
        ("machine_workload_score_null", m + ["workload_scores"], {"gemm": None}),
        ("machine_usd_per_hour_a_string", m + ["usd_per_hour"], "98"),
        ("machine_missing_run_spread", m + ["run_spread"], DEL),
        ("ranking_rank_a_string", ["ranking", 0, "rank"], "1"),
        ("ranking_objective_null", ["ranking", 0, "objective"], None),
        ("set_apart_a_number", ["set_apart"], [1]),
        ("recommendation_missing", ["recommendation"], DEL),
    ]:
        w.mutant("invalid", name, base, setter(path, value))
    w.mutant("semantic", "ranked_machine_not_among_the_machines", base, setter(["ranking", 0, "machine"], "nope"))
    w.mutant("semantic", "figure_value_outside_its_interval", base,
             setter(["ranking", 0, "objective"], {"value": 2.0, "low": 0.5, "high": 1.0}))
    w.write()


def trend_corpus(trend):
    w = Writer("trend")
    w.add("valid", "tool_history_trend", trend)
    base = copy.deepcopy(trend)
    s = ["series", 0]
    n = len(base["series"][0]["points"])
    # A level shift at the third point, in the writer's words (harness/decide/history_trend.cc).
    change = {"index": 2, "run_id": base["series"][0]["points"][2]["run_id"], "commit": "c2",
              "started_at": base["series"][0]["points"][2]["started_at"], "call": "regressed",
              "change": -0.2, "ratio": 0.8, "ratio_low": 0.75, "ratio_high": 0.85, "p_value": 0.001,
              "before": 1.0, "after": 0.8, "reason": "20.0% worse (p = 0.001 < 0.01)"}
    base["series"][0]["change_points"] = [change]
    base["series"][0]["segments"] = [{"begin": 0, "end": 2, "level": 1.0}, {"begin": 2, "end": n, "level": 0.8}]
    w.add("valid", "change_point_and_two_segments", base)
    doc = copy.deepcopy(base)
    for p in doc["series"][0]["points"][:2]:
        p.update(status="failed", reason="cublas error", used=False, median=None, ci95_low=None, ci95_high=None)
    doc["metric"] = "tflops"
    doc["filters"] = None
    w.add("valid", "failed_points_nulls_and_a_metric", doc)
    w.mutant("valid", "only_what_the_reader_needs", base, lambda d: [
        d.pop(k) for k in ("generated_at", "database", "filters", "metric")] + [
        p.pop(k) for p in d["series"][0]["points"] for k in ("commit", "tool_git", "labels", "reason",
                                                              "run_finished", "rounds_done", "rounds_planned")])
    common_invalid(w, base, "gpuqual.trend/1", s + ["case_id"], s + ["segments", 0, "level"])
    for name, path, value in [
        ("rule_missing", ["rule"], DEL),
        ("rule_text_missing", ["rule", "text"], DEL),
        ("rule_window_one", ["rule", "window"], 1),
        ("series_an_object", ["series"], {}),
        ("series_missing_device", s + ["device"], DEL),
        ("point_status_unknown", s + ["points", 0, "status"], "great"),
        ("point_used_a_string", s + ["points", 0, "used"], "yes"),
        ("point_median_a_string", s + ["points", 0, "median"], "1.5"),
        ("point_rounds_negative", s + ["points", 0, "rounds_done"], -1),
        ("change_call_unknown", s + ["change_points", 0, "call"], "worse"),
        ("change_index_negative", s + ["change_points", 0, "index"], -1),
        ("change_p_value_above_1", s + ["change_points", 0, "p_value"], 1.5),
        ("change_missing_after", s + ["change_points", 0, "after"], DEL),
        ("segment_begin_fractional", s + ["segments", 0, "begin"], 0.5),
        ("segments_missing", s + ["segments"], DEL),
        ("filters_labels_a_list", ["filters", "labels"], ["branch=main"]),
    ]:
        w.mutant("invalid", name, base, setter(path, value))
    w.mutant("semantic", "change_index_beyond_the_points", base, setter(s + ["change_points", 0, "index"], n))
    w.mutant("semantic", "segment_ends_beyond_the_points", base, setter(s + ["segments", 1, "end"], n + 1))
    w.mutant("semantic", "segment_ends_before_it_begins", base, setter(s + ["segments", 1, "end"], 1))
    w.mutant("semantic", "point_ci_null_beside_a_median", base, setter(s + ["points", 0, "ci95_low"], None))
    w.mutant("semantic", "point_used_without_a_median", base, lambda d: d["series"][0]["points"][0].update(
        median=None, ci95_low=None, ci95_high=None, used=True))
    w.write()


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: make_corpus.py GPUQUAL_BINARY")
    run, baseline, qualified, trend = tool_files(os.path.abspath(sys.argv[1]))
    results_corpus(trim(run), trim(qualified))
    baseline_corpus(trim(baseline))
    instances_corpus()
    prices_corpus()
    qualify_spec_corpus()
    procurement_corpus(*procurement_docs(os.path.abspath(sys.argv[1])))
    trend_corpus(trend)


if __name__ == "__main__":
    main()
