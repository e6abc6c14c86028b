"""Mutation fuzzing of the report's loaders (DESIGN.md §9: no input crashes gpuqual): seeded
mutants of the fixture results, baseline and prices files, each given to the report. Every one
must end in a report (exit 0) or one error line (exit 2): never a traceback or an unexpected
failure (exit 3), whatever value lands where."""

import io
import json
import random
from contextlib import redirect_stderr, redirect_stdout

import pytest
from conftest import fixture

from gpuqual_reports import cli

HOSTILE = [None, True, False, 0, -1, 1e308, -1e308, 2 ** 64, 3.5, "", "x", "<b>x</b>",
           "x" * 100_000, [], {}, [1, "a", None], {"a": {"b": []}}, "NaN", "-inf"]


def _paths(node, prefix=()):
    """Every path to a value inside a JSON document."""
    yield prefix
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _paths(v, prefix + (k,))
    elif isinstance(node, list):
        for i, v in enumerate(node[:3]):
            yield from _paths(v, prefix + (i,))


def _mutate(doc, rng):
    doc = json.loads(json.dumps(doc))
    paths = [p for p in _paths(doc) if p]
    for _ in range(rng.randint(1, 3)):
        path = rng.choice(paths)
        parent = doc
        try:
            for key in path[:-1]:
                parent = parent[key]
            if rng.random() < 0.15 and isinstance(parent, dict):
                parent.pop(path[-1], None)
            else:
                parent[path[-1]] = rng.choice(HOSTILE)
        except (KeyError, IndexError, TypeError):
            continue
    return doc


def _run(args):
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = cli.main(args)
    return code, err.getvalue()


@pytest.mark.parametrize("kind", ["results", "baseline", "prices"])
def test_mutated_inputs_end_in_a_report_or_one_error_line(kind, tmp_path):
    rng = random.Random(f"gpuqual-report-fuzz-{kind}")
    seed_name = {"results": "aws_p5_run1.json", "baseline": "baseline_h100.json", "prices": "prices.json"}[kind]
    with open(fixture(seed_name), encoding="utf-8") as f:
        seed = json.load(f)
    failures = []
    for i in range(50):
        path = tmp_path / f"{kind}_{i}.json"
        path.write_text(json.dumps(_mutate(seed, rng)), encoding="utf-8")
        args = {"results": [str(path)],
                "baseline": [fixture("aws_p5_run1.json"), "--baseline", str(path)],
                "prices": [fixture("aws_p5_run1.json"), "--prices", str(path)]}[kind]
        code, err = _run(args + ["-o", str(tmp_path / "out")])
        if code not in (0, 2) or (code == 2 and (err.count("\n") != 1 or "error:" not in err)):
            failures.append(f"mutant {i}: exit {code}: {err.strip()[:300]}")
    assert not failures, "\n".join(failures)
