"""The schemas (schemas/*.schema.json) and the report's loaders against the shared corpus
(tests/data/schema_corpus), which tests/unit/schema_corpus_test.cc runs through the C++ readers:
valid/ files are accepted, invalid/ files break the schema (or are refused before it, as the C++
parser refuses them), semantic/ files satisfy the schema but not the readers. Then the files the
built gpuqual writes (GQ_BINARY) are checked against their schemas."""

import json
import os
import re
import subprocess

import pytest

from gpuqual_reports import validate
from gpuqual_reports.baseline import load_baseline
from gpuqual_reports.errors import ReportInputError
from gpuqual_reports.fields import read_json
from gpuqual_reports.history_load import load_trend
from gpuqual_reports.load import load_results
from gpuqual_reports.procurement import load_procurement
from conftest import binary

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
CORPUS = os.path.join(ROOT, "tests", "data", "schema_corpus")
LOADERS = {"results": load_results, "baseline": load_baseline, "procurement": load_procurement,
           "trend": load_trend}


def _corpus(group):
    out = []
    for kind in validate.KINDS:
        folder = os.path.join(CORPUS, kind, group)
        if os.path.isdir(folder):
            out += [pytest.param(kind, os.path.join(folder, n), id=f"{kind}/{n}")
                    for n in sorted(os.listdir(folder)) if n.endswith(".json")]
    return out


def _schema_problem(path, kind):
    """None when the file parses (as the C++ readers parse) and satisfies its schema, else the
    one-line problem."""
    try:
        doc = read_json(path)
    except ReportInputError as e:
        return str(e)
    found = validate.first_error(doc, kind)
    return None if found is None else f"{found[0]}: {found[1]}"


@pytest.mark.parametrize("kind", validate.KINDS)
def test_every_kind_has_a_schema_and_a_corpus(kind):
    validate.validator(kind)  # the schema itself is valid Draft 2020-12
    assert len(os.listdir(os.path.join(CORPUS, kind, "valid"))) >= 2
    assert len(os.listdir(os.path.join(CORPUS, kind, "invalid"))) >= 10


@pytest.mark.parametrize("kind,path", _corpus("valid"))
def test_valid_file_satisfies_the_schema_and_loads(kind, path):
    assert _schema_problem(path, kind) is None
    if kind in LOADERS:
        LOADERS[kind](path)


@pytest.mark.parametrize("kind,path", _corpus("invalid"))
def test_invalid_file_breaks_the_schema_and_is_one_error_line(kind, path):
    problem = _schema_problem(path, kind)
    assert problem is not None, "the schema accepts it"
    assert "\n" not in problem and len(problem) < 1000
    if kind in LOADERS:
        with pytest.raises(ReportInputError) as err:
            LOADERS[kind](path)
        text = str(err.value)
        assert text.startswith(path + ": ") and "\n" not in text and len(text) < 1000 + len(path)


@pytest.mark.parametrize("kind,path", _corpus("semantic"))
def test_semantic_file_satisfies_the_schema_but_not_the_loader(kind, path):
    assert _schema_problem(path, kind) is None
    if kind in LOADERS:
        with pytest.raises(ReportInputError, match=re.escape(path + ": ")):
            LOADERS[kind](path)


def _header_constant(name):
    with open(os.path.join(ROOT, "harness", "json_fields.h"), encoding="utf-8") as f:
        text = f.read()
    match = re.search(rf"{name} = ([^;]+);", text)
    expr = match.group(1).replace("'", "").replace("int64_t{1}", "1")
    return int(eval(expr, {"__builtins__": {}}))  # noqa: S307 - a constant expression of the header


def _walk(node):
    if isinstance(node, dict):
        yield node
        for v in node.values():
            yield from _walk(v)
    elif isinstance(node, list):
        for v in node:
            yield from _walk(v)


@pytest.mark.parametrize("kind", validate.KINDS + ("common",))
def test_schema_bounds_are_the_cpp_readers(kind):
    """Every string, key, array and integer of a schema is bounded by the constants of
    harness/json_fields.h (names or texts, items, 2^53), or tighter."""
    name, text = _header_constant("kMaxJsonName"), _header_constant("kMaxJsonText")
    items, integer = _header_constant("kMaxJsonItems"), _header_constant("kMaxJsonInteger")
    with open(os.path.join(validate.schemas_dir(), f"{kind}.schema.json"), encoding="utf-8") as f:
        schema = json.load(f)
    for node in _walk(schema):
        types = node.get("type", [])
        types = types if isinstance(types, list) else [types]
        if "string" in types:
            assert node.get("maxLength") in (name, text), node
        if "array" in types:
            assert node.get("maxItems") == items, node
        if "integer" in types:
            assert -integer <= node["minimum"] and node["maximum"] <= integer, node
        if "propertyNames" in node:
            assert node["propertyNames"] == {"maxLength": name}, node


def test_messages_name_the_path_in_the_readers_words(tmp_path):
    path = tmp_path / "r.json"
    with open(os.path.join(CORPUS, "results", "valid", "tool_cpu_run.json"), encoding="utf-8") as f:
        doc = json.load(f)
    cases = [
        (("cases", 0, "metrics", "tflops", "median"), None, "cases[0].metrics.tflops.median: must be a number"),
        (("cases", 0, "status"), "great", "cases[0].status: unknown status 'great' (one of ok, failed, skipped, "
                                          "invalid, noisy)"),
        (("run", "labels", "machine"), "x" * 100_000, "run.labels.machine: longer than 4096 characters"),
        (("system", "host", "cores"), 2.5, "system.host.cores: must be an integer"),
        (("run", "labels"), {"a\nb": 1}, "run.labels.a\\nb: must be a string"),
        (("run", "labels"), {"k" * 5000: "v"}, "run.labels: a key is longer than 4096 characters"),
    ]
    for keys, value, message in cases:
        mutant = json.loads(json.dumps(doc))
        node = mutant
        for k in keys[:-1]:
            node = node[k]
        node[keys[-1]] = value
        path.write_text(json.dumps(mutant), encoding="utf-8")
        with pytest.raises(ReportInputError) as err:
            load_results(str(path))
        assert str(err.value) == f"{path}: {message}"
    del doc["cases"][0]["work"]
    path.write_text(json.dumps(doc), encoding="utf-8")
    with pytest.raises(ReportInputError, match=r"r.json: cases\[0\].work: missing$"):
        load_results(str(path))


def _gpuqual(*args, cwd):
    proc = subprocess.run([binary(), *args], cwd=cwd, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return proc


def test_the_writers_output_satisfies_the_schemas(cpu_results, tmp_path):
    """The built gpuqual's cpu run of the ci suite, a baseline made from it, the run qualified
    against that baseline and ranked, and the trend of both runs in one history: each satisfies its
    schema and loads in the report."""
    _gpuqual("baseline", "create", cpu_results, "--name", "ci-cpu", "--threshold", "gemm=0.9:0.8",
             "-o", "baseline.json", cwd=tmp_path)
    _gpuqual("qualify", cpu_results, "--baseline", "baseline.json", "-o", "qualified.json", cwd=tmp_path)
    _gpuqual("rank", "qualified.json", "--json", "procurement.json", cwd=tmp_path)
    _gpuqual("history", "add", cpu_results, "qualified.json", "--db", "h.db", "--replace", cwd=tmp_path)
    _gpuqual("history", "trend", "--db", "h.db", "--json", "trend.json", cwd=tmp_path)
    for path, kind in ((cpu_results, "results"), (str(tmp_path / "baseline.json"), "baseline"),
                       (str(tmp_path / "qualified.json"), "results"),
                       (str(tmp_path / "procurement.json"), "procurement"),
                       (str(tmp_path / "trend.json"), "trend")):
        assert _schema_problem(path, kind) is None, path
        LOADERS[kind](path)
    assert all(len(s.points) == 1 for s in load_trend(str(tmp_path / "trend.json")).series)  # one run id
    with open(tmp_path / "qualified.json", encoding="utf-8") as f:
        assert json.load(f)["verdict"]["overall"] in ("PASS", "WARN", "INCOMPLETE", "FAIL")
